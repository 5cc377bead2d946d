import AnnealJSON

/// One tensor of a safetensors header: its name, element type, shape and
/// byte range in the data section.
public struct SafetensorsEntry: Sendable, Equatable {
    /// The tensor's name (the header's key).
    public var name: String
    /// The element type.
    public var dtype: SafetensorsDType
    /// The extent of each dimension (`[]` for a scalar).
    public var shape: [Int]
    /// `data_offsets`: the bytes of the tensor, relative to the start of the data section.
    public var dataOffsets: Range<Int>

    /// An entry; `dataOffsets.count` must be `shape`'s element count times `dtype.size`.
    public init(name: String, dtype: SafetensorsDType, shape: [Int], dataOffsets: Range<Int>) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in shape \(shape) of '\(name)'")
        precondition(
            dataOffsets.count == shape.reduce(1, *) * dtype.size,
            "'\(name)': \(dtype.rawValue) \(shape) does not fill data_offsets \(dataOffsets)")
        self.name = name
        self.dtype = dtype
        self.shape = shape
        self.dataOffsets = dataOffsets
    }
}

/// The header of a safetensors file, the container of every checkpoint.
///
/// The layout (the safetensors format, as its reference implementation
/// writes it):
///
/// ```text
/// bytes 0..<8      N, the header length: UInt64, little-endian
/// bytes 8..<8+N    the header: a JSON object, padded with spaces so N % 8 == 0
///                  {"__metadata__": {"key": "string", ...},
///                   "name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]}, ...}
/// bytes 8+N...     the data section: each tensor's little-endian elements,
///                  row-major, back to back at its data_offsets
/// ```
///
/// Anneal writes tensors in the byte order of their names (the reference
/// implementation's order for tensors of one dtype), `__metadata__` first
/// with its keys sorted, and compact JSON, so equal contents give equal
/// bytes. Reading checks everything ``parse(_:fileSize:)`` lists.
public struct SafetensorsHeader: Sendable, Equatable {
    /// The longest header a reader accepts (the reference implementation's limit).
    public static let maximumLength = 100_000_000

    /// `__metadata__`: string keys and values.
    public var metadata: [String: String]
    /// The tensors, in the order of their data.
    public var entries: [SafetensorsEntry]
    /// The header length `N`: the JSON text and its padding.
    public var length: Int

    /// Where the data section begins in the file: `8 + N`.
    public var dataStart: Int { 8 + length }
    /// The size of the data section: the end of the last tensor.
    public var dataSize: Int { entries.last?.dataOffsets.upperBound ?? 0 }

    /// Lays out `tensors` (name, dtype, shape) back to back in the byte
    /// order of their names, with `metadata`, and computes the header length.
    public init(tensors: [(name: String, dtype: SafetensorsDType, shape: [Int])], metadata: [String: String]) {
        let sorted = tensors.sorted { Array($0.name.utf8).lexicographicallyPrecedes(Array($1.name.utf8)) }
        var entries: [SafetensorsEntry] = []
        var offset = 0
        for (index, tensor) in sorted.enumerated() {
            precondition(
                index == 0 || sorted[index - 1].name != tensor.name, "duplicate tensor name '\(tensor.name)'")
            precondition(tensor.name != "__metadata__", "a tensor cannot be named '__metadata__'")
            let bytes = tensor.shape.reduce(1, *) * tensor.dtype.size
            entries.append(SafetensorsEntry(name: tensor.name, dtype: tensor.dtype, shape: tensor.shape, dataOffsets: offset..<offset + bytes))
            offset += bytes
        }
        self.metadata = metadata
        self.entries = entries
        self.length = 0
        self.length = jsonText().count.roundedUp(toMultipleOf: 8)
    }

    /// A header with the given fields, as a reader found them.
    init(metadata: [String: String], entries: [SafetensorsEntry], length: Int) {
        self.metadata = metadata
        self.entries = entries
        self.length = length
    }

    /// The compact JSON text, without padding.
    func jsonText() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64 + entries.count * 96 + metadata.reduce(0) { $0 + $1.key.utf8.count + $1.value.utf8.count + 8 })
        out.append(UInt8(ascii: "{"))
        var first = true
        if !metadata.isEmpty {
            out += Array(#""__metadata__":{"#.utf8)
            let keys = metadata.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            for (index, key) in keys.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                appendJSONString(key, to: &out)
                out.append(UInt8(ascii: ":"))
                appendJSONString(metadata[key]!, to: &out)
            }
            out.append(UInt8(ascii: "}"))
            first = false
        }
        for entry in entries {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            appendJSONString(entry.name, to: &out)
            out += Array(#":{"dtype":""#.utf8) + Array(entry.dtype.rawValue.utf8) + Array(#"","shape":["#.utf8)
            out += Array(entry.shape.map(String.init).joined(separator: ",").utf8)
            out += Array(#"],"data_offsets":["#.utf8)
            out += Array("\(entry.dataOffsets.lowerBound),\(entry.dataOffsets.upperBound)]}".utf8)
        }
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// The first `8 + N` bytes of the file: the length and the padded JSON.
    public func encoded() -> [UInt8] {
        var text = jsonText()
        precondition(text.count <= length, "header text of \(text.count) bytes over its length \(length)")
        text += [UInt8](repeating: UInt8(ascii: " "), count: length - text.count)
        var out: [UInt8] = []
        out.reserveCapacity(8 + length)
        var value = UInt64(length).littleEndian
        withUnsafeBytes(of: &value) { out += $0 }
        return out + text
    }
}

// MARK: - Reading

extension SafetensorsHeader {
    /// The validated header of the safetensors file at `path` (any such
    /// file, not only checkpoints); the data is not read.
    public static func read(from path: String) throws(CheckpointError) -> SafetensorsHeader {
        do {
            let source = try FileSource(path: path)
            return try parse(fileSize: source.size) { count throws(CheckpointError.Problem) in try source.bytes(at: 0, count: count) }
        } catch {
            throw CheckpointError(file: path, error)
        }
    }

    /// The validated header of a safetensors file's `bytes`; `file` names them in errors.
    public static func decode(_ bytes: [UInt8], file: String = "safetensors") throws(CheckpointError) -> SafetensorsHeader {
        let source = MemorySource(storage: bytes)
        do {
            return try parse(fileSize: source.size) { count throws(CheckpointError.Problem) in try source.bytes(at: 0, count: count) }
        } catch {
            throw CheckpointError(file: file, error)
        }
    }

    /// Reads and validates the header of a file of `fileSize` bytes whose
    /// first bytes `prefix(count)` gives.
    ///
    /// Checks, each with its own ``CheckpointError/Problem``: at least 8
    /// bytes; the header length at most ``maximumLength`` and within the
    /// file; the header well-formed JSON and an object; no key twice in any
    /// object (so no tensor name twice); `__metadata__` an object of
    /// strings; every entry exactly `dtype`, `shape` and `data_offsets` of
    /// the right types; dtypes known; shapes without negative dimensions or
    /// overflow; `end >= begin`; each byte length equal to the element count
    /// times the element size; the tensors, in offset order, contiguous from
    /// 0 without gap or overlap, and ending exactly at the end of the file.
    static func parse(
        fileSize: Int, prefix: (_ count: Int) throws(CheckpointError.Problem) -> [UInt8]
    ) throws(CheckpointError.Problem) -> SafetensorsHeader {
        guard fileSize >= 8 else { throw .fileTooShort(size: fileSize) }
        let lengthBytes = try prefix(8)
        var rawLength: UInt64 = 0
        for (index, byte) in lengthBytes.enumerated() { rawLength |= UInt64(byte) << (8 * UInt64(index)) }
        guard rawLength <= UInt64(maximumLength) else { throw .headerTooLarge(length: rawLength, limit: maximumLength) }
        let length = Int(rawLength)
        guard length <= fileSize - 8 else { throw .headerBeyondFile(length: rawLength, fileSize: fileSize) }
        let text = Array(try prefix(8 + length).dropFirst(8))

        let json: JSONValue
        do {
            json = try JSONValue.parse(bytes: text)
        } catch {
            throw .headerNotJSON(error.line > 0 ? "line \(error.line), column \(error.column): \(error.message)" : error.message)
        }
        guard case .object(let object) = json else { throw .headerNotObject(kind: json.kindName) }
        if let (path, key) = firstDuplicateKey(in: text) { throw .duplicateKey(path: path, key: key) }

        var metadata: [String: String] = [:]
        var entries: [SafetensorsEntry] = []
        for (name, value) in object {
            if name == "__metadata__" {
                guard case .object(let pairs) = value else {
                    throw .invalidMetadata("it is \(article(value.kindName)), not an object of strings")
                }
                for (key, item) in pairs {
                    guard case .string(let string) = item else {
                        throw .invalidMetadata("the value of \(quoted(key)) is \(article(item.kindName)), not a string")
                    }
                    metadata[key] = string
                }
            } else {
                entries.append(try entry(name: name, value: value))
            }
        }

        entries.sort { a, b in
            if a.dataOffsets.lowerBound != b.dataOffsets.lowerBound { return a.dataOffsets.lowerBound < b.dataOffsets.lowerBound }
            if a.dataOffsets.upperBound != b.dataOffsets.upperBound { return a.dataOffsets.upperBound < b.dataOffsets.upperBound }
            return Array(a.name.utf8).lexicographicallyPrecedes(Array(b.name.utf8))
        }
        var end = 0
        for entry in entries {
            guard entry.dataOffsets.lowerBound == end else {
                throw .offsetsNotContiguous(name: entry.name, expected: end, begin: entry.dataOffsets.lowerBound)
            }
            end = entry.dataOffsets.upperBound
        }
        let dataSize = fileSize - 8 - length
        guard end == dataSize else { throw .dataSizeMismatch(covered: end, dataSize: dataSize) }
        return SafetensorsHeader(metadata: metadata, entries: entries, length: length)
    }

    /// One validated tensor entry.
    private static func entry(name: String, value: JSONValue) throws(CheckpointError.Problem) -> SafetensorsEntry {
        guard case .object(let fields) = value else {
            throw .invalidTensorEntry(name: name, problem: "the entry is \(article(value.kindName)), not an object")
        }
        for key in fields.keys where !["dtype", "shape", "data_offsets"].contains(key) {
            throw .invalidTensorEntry(name: name, problem: "unexpected key \(quoted(key)) (an entry has dtype, shape and data_offsets)")
        }
        for key in ["dtype", "shape", "data_offsets"] where fields[key] == nil {
            throw .invalidTensorEntry(name: name, problem: "missing \(quoted(key))")
        }
        guard case .string(let dtypeName)? = fields["dtype"] else {
            throw .invalidTensorEntry(name: name, problem: "dtype is \(article(fields["dtype"]!.kindName)), not a string")
        }
        guard case .array(let shapeValues)? = fields["shape"] else {
            throw .invalidTensorEntry(name: name, problem: "shape is \(article(fields["shape"]!.kindName)), not an array")
        }
        guard case .array(let offsetValues)? = fields["data_offsets"], offsetValues.count == 2,
            let begin = offsetValues[0].intValue, let end = offsetValues[1].intValue, begin >= 0, end >= 0
        else {
            throw .invalidTensorEntry(
                name: name, problem: "data_offsets \(fields["data_offsets"]!) is not two non-negative integers [begin, end]")
        }
        guard let dtype = SafetensorsDType(rawValue: dtypeName) else { throw .unknownDType(name: name, dtype: dtypeName) }
        var shape: [Int] = []
        var elements = 1
        var overflow = false
        for dimension in shapeValues {
            guard let extent = dimension.intValue else {
                throw .invalidShape(name: name, shape: "\(JSONValue.array(shapeValues)) (dimensions must be integers)")
            }
            guard extent >= 0 else { throw .invalidShape(name: name, shape: "\(JSONValue.array(shapeValues)) (negative dimension)") }
            shape.append(extent)
            let (product, overflowed) = elements.multipliedReportingOverflow(by: extent)
            elements = product
            overflow = overflow || overflowed
        }
        let (bytes, bytesOverflowed) = elements.multipliedReportingOverflow(by: dtype.size)
        guard !overflow, !bytesOverflowed else {
            throw .invalidShape(name: name, shape: "\(shape) (the byte count overflows)")
        }
        guard end >= begin else { throw .invalidOffsets(name: name, begin: begin, end: end) }
        guard end - begin == bytes else {
            throw .byteLengthMismatch(name: name, dtype: dtype.rawValue, shape: shape, expected: bytes, actual: end - begin)
        }
        return SafetensorsEntry(name: name, dtype: dtype, shape: shape, dataOffsets: begin..<end)
    }
}

/// "an array", "a string": a JSON kind with its article, for messages.
func article(_ kind: String) -> String {
    (["a", "e", "i", "o", "u"].contains(kind.prefix(1)) ? "an " : "a ") + kind
}

/// Appends `text` as a JSON string: `"` and `\` escaped, control characters
/// as `\u00XX`, everything else as its UTF-8 bytes.
func appendJSONString(_ text: String, to out: inout [UInt8]) {
    let hex = Array("0123456789abcdef".utf8)
    out.append(UInt8(ascii: "\""))
    for byte in text.utf8 {
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"):
            out.append(UInt8(ascii: "\\"))
            out.append(byte)
        case 0..<0x20:
            out += Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 15)]]
        default:
            out.append(byte)
        }
    }
    out.append(UInt8(ascii: "\""))
}

extension Int {
    /// The smallest multiple of `multiple` at least `self`.
    func roundedUp(toMultipleOf multiple: Int) -> Int { (self + multiple - 1) / multiple * multiple }
}
