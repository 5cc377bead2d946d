import CJSONC

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file holding one JSON object without building the whole tree:
/// every top-level member is parsed as usual except one array member (a
/// trace's `trace`), whose elements ``nextElement()`` parses one at a time.
/// Memory stays at about one element plus a read buffer, however long the
/// array.
///
/// This is a fast path for valid files only. Whenever the file is not one
/// well-formed object of the expected shape (a syntax error anywhere, a
/// repeated top-level key, an escape in a top-level key, nesting near
/// ``JSONValue/maximumDepth``, a read error), it throws
/// ``JSONStreamUnsupported`` and the caller reads the file whole with
/// ``JSONValue/load(contentsOf:)``, which gives the exact error (line,
/// column, message) or the value. So a file read through the stream means
/// exactly what the whole-file parser makes of it.
///
/// The streamed array is found in a first pass, which parses the other
/// members (wherever they are, before or after it) and skips the array;
/// ``nextElement()`` then reads it from the start.
public final class JSONObjectStream {
    /// The top-level members in file order, except the streamed array.
    public private(set) var members = JSONObject()
    /// Whether the file has the streamed key holding an array. When the key
    /// holds anything else, that value is in ``members`` instead.
    public private(set) var hasStreamedArray = false

    private let file: ChunkedFile
    private let streamedKey: String
    private let elementTokener = JSONCTokener(maximumDepth: JSONValue.maximumDepth - 4)
    /// Where the array's `[` is, once found.
    private var arrayOffset = 0
    private enum ElementState { case notStarted, inside, finished }
    private var state = ElementState.notStarted

    /// Opens `path` and parses every top-level member but `streamedKey`'s array.
    public init(path: String, streamedKey: String) throws(JSONStreamUnsupported) {
        self.streamedKey = streamedKey
        file = try ChunkedFile(path: path)
        try readMembers()
    }

    /// The next element of the streamed array, or `nil` after the last one
    /// (and always `nil` when there is no streamed array).
    public func nextElement() throws(JSONStreamUnsupported) -> JSONCDocument? {
        guard hasStreamedArray else { return nil }
        switch state {
        case .finished:
            return nil
        case .notStarted:
            try file.seek(to: arrayOffset)
            guard try file.peek() == UInt8(ascii: "[") else { throw JSONStreamUnsupported() }
            file.advance()
            try file.skipWhitespace()
            if try file.peek() == UInt8(ascii: "]") {
                file.advance()
                state = .finished
                return nil
            }
            state = .inside
        case .inside:
            try file.skipWhitespace()
            switch try file.peek() {
            case UInt8(ascii: ","):
                file.advance()
                try file.skipWhitespace()
            case UInt8(ascii: "]"):
                file.advance()
                state = .finished
                return nil
            default:
                throw JSONStreamUnsupported()
            }
        }
        let document = try file.withValue { bytes throws(JSONStreamUnsupported) in
            do {
                return JSONCDocument(owning: try JSONValue.parseJSONC(bytes, file: nil, tokener: elementTokener))
            } catch {
                throw JSONStreamUnsupported()
            }
        }
        return document
    }

    /// The first pass: `{`, then `"key": value` pairs, then `}` and nothing
    /// but whitespace.
    private func readMembers() throws(JSONStreamUnsupported) {
        let memberTokener = JSONCTokener(maximumDepth: JSONValue.maximumDepth - 2)
        try file.skipWhitespace()
        guard try file.peek() == UInt8(ascii: "{") else { throw JSONStreamUnsupported() }
        file.advance()
        try file.skipWhitespace()
        if try file.peek() == UInt8(ascii: "}") {
            file.advance()
        } else {
            while true {
                let key = try file.readPlainKey()
                guard members[key] == nil, !(hasStreamedArray && key == streamedKey) else {
                    throw JSONStreamUnsupported()  // Python keeps the last value; leave that to the whole parse.
                }
                try file.skipWhitespace()
                guard try file.peek() == UInt8(ascii: ":") else { throw JSONStreamUnsupported() }
                file.advance()
                try file.skipWhitespace()
                if key == streamedKey, try file.peek() == UInt8(ascii: "[") {
                    hasStreamedArray = true
                    arrayOffset = file.offset
                    try file.skipValue()
                } else {
                    let value = try file.withValue { bytes throws(JSONStreamUnsupported) in
                        do {
                            let root = try JSONValue.parseJSONC(bytes, file: nil, tokener: memberTokener)
                            defer { if let root { json_object_put(root) } }
                            return JSONValue.convert(root)
                        } catch {
                            throw JSONStreamUnsupported()
                        }
                    }
                    members[key] = value
                }
                try file.skipWhitespace()
                let next = try file.peek()
                file.advance()
                if next == UInt8(ascii: "}") { break }
                guard next == UInt8(ascii: ",") else { throw JSONStreamUnsupported() }
                try file.skipWhitespace()
            }
        }
        try file.skipWhitespace()
        guard try file.atEnd() else { throw JSONStreamUnsupported() }
    }
}

/// The file is not one the stream vouches for; read it whole instead.
public struct JSONStreamUnsupported: Error, Sendable {
    public init() {}
}

/// A file read through a window that slides forward (and can restart at
/// an offset), with the scanning the stream needs: whitespace, plain keys,
/// and the extent of one value.
private final class ChunkedFile {
    private let fd: Int32
    private var buffer: UnsafeMutableRawBufferPointer
    /// The file offset of `buffer[0]`.
    private var base = 0
    /// Valid bytes in `buffer`.
    private var count = 0
    /// The read position, an index into `buffer`.
    private var position = 0
    private var reachedEnd = false

    /// Files up to this size are read in one go (the corpus's goldens).
    static let wholeFileLimit = 8 << 20
    static let chunk = 1 << 20

    init(path: String) throws(JSONStreamUnsupported) {
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw JSONStreamUnsupported() }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw JSONStreamUnsupported()
        }
        let size = Int(info.st_size)
        let capacity = size < Self.wholeFileLimit ? size + 1 : Self.chunk
        buffer = .allocate(byteCount: max(capacity, 64), alignment: 16)
        // A BOM, or anything json-c's whole parse would see differently,
        // is left to it.
        try fill()
        if count >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF {
            throw JSONStreamUnsupported()
        }
    }

    deinit {
        buffer.deallocate()
        close(fd)
    }

    /// The file offset of the read position.
    var offset: Int { base + position }

    /// Reads more bytes after `count`, keeping everything from `keep`
    /// (an index into `buffer`) on; returns how far indices moved down.
    @discardableResult
    private func fill(keeping keep: Int? = nil) throws(JSONStreamUnsupported) -> Int {
        let keep = keep ?? position
        var shift = 0
        if keep > 0 && count == buffer.count {
            // Slide the kept bytes to the front.
            let kept = count - keep
            if kept > 0 { memmove(buffer.baseAddress!, buffer.baseAddress! + keep, kept) }
            base += keep
            count = kept
            position -= keep
            shift = keep
        }
        if count == buffer.count {
            // One value longer than the buffer: grow it.
            let larger = UnsafeMutableRawBufferPointer.allocate(byteCount: buffer.count * 2, alignment: 16)
            larger.copyMemory(from: UnsafeRawBufferPointer(buffer))
            buffer.deallocate()
            buffer = larger
        }
        while true {
            let n = read(fd, buffer.baseAddress! + count, buffer.count - count)
            if n < 0 {
                if errno == EINTR { continue }
                throw JSONStreamUnsupported()
            }
            if n == 0 { reachedEnd = true }
            count += n
            return shift
        }
    }

    /// Whether more bytes could be had, reading if needed.
    @inline(__always)
    private func ensure(_ index: Int, keeping keep: Int) throws(JSONStreamUnsupported) -> Int? {
        var index = index
        var keep = keep
        while index >= count {
            if reachedEnd { return nil }
            let shift = try fill(keeping: keep)
            index -= shift
            keep -= shift
        }
        return index
    }

    /// Restarts reading at file offset `target`.
    func seek(to target: Int) throws(JSONStreamUnsupported) {
        if target >= base && target < base + count {
            position = target - base
            return
        }
        guard lseek(fd, off_t(target), SEEK_SET) >= 0 else { throw JSONStreamUnsupported() }
        base = target
        count = 0
        position = 0
        reachedEnd = false
        try fill()
    }

    /// The byte at the read position (a read past the end is unsupported).
    func peek() throws(JSONStreamUnsupported) -> UInt8 {
        guard let index = try ensure(position, keeping: position) else { throw JSONStreamUnsupported() }
        position = index
        return buffer[index]
    }

    func advance() { position += 1 }

    func atEnd() throws(JSONStreamUnsupported) -> Bool {
        try ensure(position, keeping: position) == nil
    }

    func skipWhitespace() throws(JSONStreamUnsupported) {
        while let index = try ensure(position, keeping: position) {
            position = index
            guard isJSONWhitespace(buffer[index]) else { return }
            position += 1
        }
    }

    /// A double-quoted key without escapes (a key with one is left to the
    /// whole parse, which has its own rules for `\u0000` in keys).
    func readPlainKey() throws(JSONStreamUnsupported) -> String {
        guard try peek() == UInt8(ascii: "\"") else { throw JSONStreamUnsupported() }
        var start = position + 1
        var index = start
        while true {
            guard let at = try ensure(index, keeping: position) else { throw JSONStreamUnsupported() }
            start -= index - at
            index = at
            let byte = buffer[index]
            if byte == UInt8(ascii: "\"") {
                let bytes = UnsafeRawBufferPointer(rebasing: buffer[start..<index])
                guard let key = String(validating: bytes, as: UTF8.self) else { throw JSONStreamUnsupported() }
                position = index + 1
                return key
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 { throw JSONStreamUnsupported() }
            index += 1
        }
    }

    /// Moves past the value at the read position: a string, a container up
    /// to its matching bracket, or a scalar up to the next delimiter. Only
    /// the extent is found here; json-c checks the bytes (see `withValue`).
    func skipValue() throws(JSONStreamUnsupported) {
        var index = position
        var depth = 0
        var inString = false
        let keep = position
        var kept = keep
        while true {
            guard let at = try ensure(index, keeping: kept) else {
                // The end of the file ends a scalar, nothing else.
                if depth == 0 && !inString && index > kept { position = index; return }
                throw JSONStreamUnsupported()
            }
            kept -= index - at
            index = at
            let byte = buffer[index]
            if inString {
                if byte == UInt8(ascii: "\\") {
                    index += 2
                    continue
                }
                if byte == UInt8(ascii: "\"") {
                    inString = false
                    if depth == 0 { position = index + 1; return }
                }
                index += 1
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth > JSONValue.maximumDepth - 8 { throw JSONStreamUnsupported() }
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                if depth == 0 { position = index; return }  // a scalar's end
                depth -= 1
                if depth == 0 { position = index + 1; return }
            case UInt8(ascii: ","), 0x20, 0x09, 0x0A, 0x0D:
                if depth == 0 { position = index; return }
            default:
                break
            }
            index += 1
        }
    }

    /// Finds the value at the read position (see `skipValue`), hands its
    /// bytes to `body`, and moves past it.
    func withValue<T>(_ body: (UnsafeBufferPointer<UInt8>) throws(JSONStreamUnsupported) -> T) throws(JSONStreamUnsupported) -> T {
        let startOffset = offset
        try skipValue()
        let start = startOffset - base  // skipValue may have slid the window, never past the value's start
        guard start >= 0, position > start else { throw JSONStreamUnsupported() }
        let bytes = UnsafeBufferPointer(
            start: buffer.baseAddress!.assumingMemoryBound(to: UInt8.self) + start, count: position - start)
        return try body(bytes)
    }
}
