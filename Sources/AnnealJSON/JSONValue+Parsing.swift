import CJSONC

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension JSONValue {
    /// The deepest nesting of arrays and objects the parser accepts.
    ///
    /// Traces nest a handful of levels; the limit only guards against
    /// runaway input (json-c's own default is 32).
    public static let maximumDepth = 1024

    /// Parses one JSON value from `text`.
    ///
    /// The whole text must be one JSON value, optionally surrounded by
    /// whitespace (space, tab, newline, carriage return). The grammar is
    /// RFC 8259 plus the bare tokens `NaN`, `Infinity` and `-Infinity`,
    /// which Python's `json` module writes for non-finite floats. See
    /// ``parse(bytes:file:)`` for the details.
    ///
    /// - Parameters:
    ///   - text: the JSON text.
    ///   - file: the path the text came from, used only in error messages.
    /// - Throws: ``JSONError`` pointing at the first offending character.
    public static func parse(_ text: String, file: String? = nil) throws(JSONError) -> JSONValue {
        var text = text
        let result = text.withUTF8 { bytes in
            Result { () throws(JSONError) in try parseBuffer(bytes, file: file) }
        }
        return try result.get()
    }

    /// Parses one JSON value from UTF-8 `bytes`.
    ///
    /// Parsing is done by json-c (in strict mode), with a pre-scan for what
    /// json-c lets through. The result follows Python's `json.loads`:
    ///
    /// - A number without `.`, `e` or `E` is an ``int(_:)`` when it fits in
    ///   `Int64` (`-0` is `.int(0)`), and otherwise a ``double(_:)`` rounded
    ///   from its full text (Python would keep a big integer exact; a trace
    ///   never holds one). Every other number is a `.double`, converted with
    ///   correct rounding, so Python's `repr` output reads back bit-exactly;
    ///   `-0.0` keeps its sign, and a magnitude beyond `Double` gives an
    ///   infinity, as in Python.
    /// - `NaN`, `Infinity` and `-Infinity` (exactly these spellings) are
    ///   `.double`s.
    /// - Strings may use every JSON escape, surrogate pairs included. An
    ///   unpaired surrogate escape (`"\ud800"`) becomes U+FFFD, because a
    ///   Swift `String` cannot hold one (Python keeps it).
    /// - Object keys keep their order; a repeated key keeps its first
    ///   position and its last value, as in Python.
    ///
    /// Rejected, with a ``JSONError`` at the offending character: invalid
    /// UTF-8, a byte order mark, empty input, anything after the value,
    /// trailing commas, comments, single quotes, leading zeros, `1.`,
    /// unescaped control characters in strings, and nesting deeper than
    /// ``maximumDepth``.
    ///
    /// Known limitation: a `\u0000` escape in an object *key* ends the key
    /// there (json-c stores keys as C strings); in string values it is kept.
    public static func parse(bytes: [UInt8], file: String? = nil) throws(JSONError) -> JSONValue {
        let result = bytes.withUnsafeBufferPointer { buffer in
            Result { () throws(JSONError) in try parseBuffer(buffer, file: file) }
        }
        return try result.get()
    }

    /// Reads and parses the JSON file at `path`.
    ///
    /// - Throws: ``JSONError`` with `file` set to `path`: for a file that
    ///   cannot be opened or read, `line` and `column` are 0 and the message
    ///   names the file and the system's reason; for a parse error (invalid
    ///   UTF-8 included), they point at the offending character.
    public static func load(contentsOf path: String) throws(JSONError) -> JSONValue {
        let bytes = try readFile(path)
        return try parse(bytes: bytes, file: path)
    }

    /// Reads and parses the JSON file at `path` as ``load(contentsOf:)``
    /// does, except that an integer outside `Int64` is an error (naming its
    /// line and column) rather than a float: for readers whose values keep
    /// Python's int/float distinction, where a float would change meaning.
    public static func loadExactIntegers(contentsOf path: String) throws(JSONError) -> JSONValue {
        let bytes = try readFile(path)
        let result = bytes.withUnsafeBufferPointer { buffer in
            Result { () throws(JSONError) in
                let tokener = JSONCTokener(maximumDepth: maximumDepth, rejectsIntegersBeyond64Bits: true)
                let root = try parseJSONC(buffer, file: path, tokener: tokener)
                defer { if let root { json_object_put(root) } }
                return convert(root)
            }
        }
        return try result.get()
    }
}

// MARK: - The parser

extension JSONValue {
    /// Parses `bytes`; see ``parse(bytes:file:)``.
    internal static func parseBuffer(_ bytes: UnsafeBufferPointer<UInt8>, file: String?) throws(JSONError) -> JSONValue {
        let root = try parseJSONC(bytes, file: file, tokener: JSONCTokener(maximumDepth: maximumDepth))
        defer { if let root { json_object_put(root) } }
        return convert(root)
    }

    /// Parses `bytes` with json-c under the rules of ``parse(bytes:file:)``
    /// and returns json-c's tree (owned by the caller: `json_object_put` it;
    /// NULL is JSON null). The tokener's depth bounds the nesting.
    internal static func parseJSONC(
        _ bytes: UnsafeBufferPointer<UInt8>, file: String?, tokener: JSONCTokener
    ) throws(JSONError) -> OpaquePointer? {
        let maximumDepth = tokener.maximumDepth
        func error(at offset: Int, _ message: String) -> JSONError {
            let (line, column) = lineAndColumn(of: offset, in: bytes)
            return JSONError(file: file, line: line, column: column, message: message)
        }

        let n = bytes.count
        guard n < Int(Int32.max) - 64 else {
            throw error(at: 0, "input too large (\(n) bytes; json-c takes at most 2 GiB)")
        }
        var firstContent = 0
        while firstContent < n && isJSONWhitespace(bytes[firstContent]) { firstContent += 1 }
        if firstContent == n {
            throw error(at: n, "empty input (expected a JSON value)")
        }

        let prescan = prescanJSON(bytes)

        // Integers outside Int64 are rewritten as floats (`...` → `....0`):
        // json-c saturates them and keeps no text, but parses a float with
        // correct rounding from its full text.
        var parsed: JSONCParseResult
        if prescan.error == nil && !prescan.oversizedIntegers.isEmpty {
            let (rewritten, insertions) = appendingPointZero(to: bytes, at: prescan.oversizedIntegers)
            parsed = rewritten.withUnsafeBufferPointer { runJSONC($0, tokener: tokener) }
            parsed.mapOffsets { offset in
                offset - 2 * insertions.prefix { $0 < offset }.count
            }
        } else {
            parsed = runJSONC(bytes, tokener: tokener)
        }
        var handedOver = false
        defer { if !handedOver, let root = parsed.root { json_object_put(root) } }

        // Report whichever error comes first; at the same offset the
        // scanner's message is the more specific one.
        if let (offset, message) = prescan.error {
            if let (jsoncOffset, jsoncMessage) = parsed.error(in: bytes, maximumDepth: maximumDepth), jsoncOffset < offset {
                throw error(at: jsoncOffset, jsoncMessage)
            }
            throw error(at: offset, message)
        }
        if let (offset, message) = parsed.error(in: bytes, maximumDepth: maximumDepth) {
            throw error(at: offset, message)
        }
        // Syntax first; then, where wanted, the first integer a float would change.
        if tokener.rejectsIntegersBeyond64Bits, let first = prescan.oversizedIntegers.first {
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[first]), as: UTF8.self)
            let shown = text.count <= 40 ? text : "\(text.prefix(30))... (\(text.count) digits)"
            throw error(at: first.lowerBound, "integer \(shown) is beyond 64 bits, which Anneal does not hold exactly")
        }
        handedOver = true
        return parsed.root
    }

    /// Converts a json-c value (NULL is JSON null) to a `JSONValue`.
    internal static func convert(_ object: OpaquePointer?) -> JSONValue {
        guard let object else { return .null }
        let type = json_object_get_type(object)
        if type == json_type_double {
            return .double(json_object_get_double(object))
        } else if type == json_type_int {
            return .int(Int(json_object_get_int64(object)))
        } else if type == json_type_string {
            let length = Int(json_object_get_string_len(object))
            guard let pointer = json_object_get_string(object) else { return .string("") }
            let buffer = UnsafeRawBufferPointer(start: pointer, count: length)
            return .string(String(decoding: buffer, as: UTF8.self))
        } else if type == json_type_array {
            let count = json_object_array_length(object)
            var elements: [JSONValue] = []
            elements.reserveCapacity(count)
            for i in 0..<count {
                elements.append(convert(json_object_array_get_idx(object, i)))
            }
            return .array(elements)
        } else if type == json_type_object {
            let count = Int(json_object_object_length(object))
            var keys: [String] = []
            var values: [JSONValue] = []
            keys.reserveCapacity(count)
            values.reserveCapacity(count)
            var entry = lh_table_head(json_object_get_object(object))
            while let current = entry {
                let key = lh_entry_k(current)!.assumingMemoryBound(to: CChar.self)
                keys.append(String(cString: key))
                values.append(convert(lh_entry_v(current).map(OpaquePointer.init)))
                entry = lh_entry_next(current)
            }
            return .object(JSONObject(uniqueKeys: keys, values: values))
        } else if type == json_type_boolean {
            return .bool(json_object_get_boolean(object) != 0)
        } else {
            return .null
        }
    }
}

/// What json-c made of a buffer.
private struct JSONCParseResult {
    /// The parsed value (owned; NULL for JSON null or on error).
    var root: OpaquePointer?
    /// The json-c error, or `json_tokener_success`.
    var status: json_tokener_error
    /// Where json-c stopped: the offending byte on error, the end of the
    /// value on success.
    var offset: Int
    /// On success, the offset of the first non-whitespace byte after the
    /// value, if any.
    var trailing: Int?

    mutating func mapOffsets(_ transform: (Int) -> Int) {
        offset = transform(offset)
        trailing = trailing.map(transform)
    }

    /// The error to report, if any, with a message for a person.
    func error(in bytes: UnsafeBufferPointer<UInt8>, maximumDepth: Int) -> (Int, String)? {
        if status == json_tokener_success {
            guard let trailing else { return nil }
            return (trailing, "trailing characters after the JSON value (found \(describeCharacter(at: trailing, in: bytes)))")
        }
        let n = bytes.count
        let offset = min(offset, n)
        if status == json_tokener_error_depth {
            return (offset, "nesting too deep (more than \(maximumDepth) levels of arrays and objects)")
        }
        if offset >= n {
            return (n, "unexpected end of input")
        }
        let found = describeCharacter(at: offset, in: bytes)
        let message: String
        switch status {
        case json_tokener_error_parse_null:
            message = "unexpected character \(found) (expected 'null', 'NaN' or a number)"
        case json_tokener_error_parse_boolean:
            message = "unexpected character \(found) (expected 'true' or 'false')"
        case json_tokener_error_parse_number:
            message = "unexpected character \(found) (expected a number)"
        case json_tokener_error_parse_array:
            message = "unexpected character \(found) (expected ',' or ']' after an array element)"
        case json_tokener_error_parse_object_key_name:
            message = isAfterComma(offset, in: bytes) && bytes[offset] == UInt8(ascii: "}")
                ? "trailing comma before '}'"
                : "unexpected character \(found) (expected a double-quoted object key)"
        case json_tokener_error_parse_object_key_sep:
            message = "unexpected character \(found) (expected ':' after an object key)"
        case json_tokener_error_parse_object_value_sep:
            message = "unexpected character \(found) (expected ',' or '}' after an object value)"
        case json_tokener_error_parse_string:
            message = "invalid escape sequence in a string (at \(found))"
        case json_tokener_error_parse_comment:
            message = "comments are not allowed"
        case json_tokener_error_parse_utf8_string:
            message = "invalid UTF-8"
        default:
            let c = bytes[offset]
            if (c == UInt8(ascii: "]") || c == UInt8(ascii: "}")) && isAfterComma(offset, in: bytes) {
                message = "trailing comma before '\(Character(Unicode.Scalar(c)))'"
            } else if c == UInt8(ascii: "/") {
                message = "comments are not allowed"
            } else {
                message = "unexpected character \(found)"
            }
        }
        return (offset, message)
    }
}

/// A json-c tokener, kept for many parses (creating one allocates its
/// whole stack, a cost per record when records are parsed one by one).
internal final class JSONCTokener {
    let pointer: UnsafeMutablePointer<json_tokener>
    let maximumDepth: Int
    /// Whether an integer outside `Int64` is an error (else it becomes a float).
    let rejectsIntegersBeyond64Bits: Bool

    init(maximumDepth: Int, rejectsIntegersBeyond64Bits: Bool = false) {
        self.rejectsIntegersBeyond64Bits = rejectsIntegersBeyond64Bits
        guard let tokener = json_tokener_new_ex(Int32(maximumDepth)) else {
            fatalError("json_tokener_new_ex failed (out of memory)")
        }
        pointer = tokener
        self.maximumDepth = maximumDepth
        // STRICT rejects comments, single quotes, trailing commas and other
        // extensions; it still accepts NaN/Infinity/-Infinity in exactly those
        // spellings. ALLOW_TRAILING_CHARS lets json-c stop after the value so
        // that trailing text gets its own error message here.
        json_tokener_set_flags(tokener, JSON_TOKENER_STRICT | JSON_TOKENER_ALLOW_TRAILING_CHARS)
    }

    deinit { json_tokener_free(pointer) }
}

/// Runs json-c over `bytes` in strict mode (the tokener is reset first).
private func runJSONC(_ bytes: UnsafeBufferPointer<UInt8>, tokener tokenerObject: JSONCTokener) -> JSONCParseResult {
    let tokener = tokenerObject.pointer
    json_tokener_reset(tokener)

    let n = bytes.count
    var root: OpaquePointer?
    let empty: StaticString = ""
    let base = bytes.baseAddress.map(UnsafeRawPointer.init) ?? UnsafeRawPointer(empty.utf8Start)
    root = json_tokener_parse_ex(tokener, base.assumingMemoryBound(to: CChar.self), Int32(n))
    var status = json_tokener_get_error(tokener)
    var offset = json_tokener_get_parse_end(tokener)
    if status == json_tokener_continue && offset >= n {
        // The value may still be open (a number has no terminator): tell
        // json-c the input has ended by passing the terminating NUL, as its
        // documentation asks.
        root = empty.utf8Start.withMemoryRebound(to: CChar.self, capacity: 1) {
            json_tokener_parse_ex(tokener, $0, 1)
        }
        status = json_tokener_get_error(tokener)
        offset = n + json_tokener_get_parse_end(tokener)
    }
    if status == json_tokener_continue {
        status = json_tokener_error_parse_eof
    }
    var trailing: Int?
    if status == json_tokener_success {
        var k = min(offset, n)
        while k < n && isJSONWhitespace(bytes[k]) { k += 1 }
        if k < n { trailing = k }
    }
    return JSONCParseResult(root: root, status: status, offset: offset, trailing: trailing)
}

/// `bytes` with `.0` appended to each range's token; also returns the
/// offsets (in the original) where text was inserted.
private func appendingPointZero(to bytes: UnsafeBufferPointer<UInt8>, at ranges: [Range<Int>]) -> ([UInt8], [Int]) {
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count + 2 * ranges.count)
    var start = 0
    for range in ranges {
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<range.upperBound]))
        out.append(contentsOf: ".0".utf8)
        start = range.upperBound
    }
    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...]))
    // Insertion points, expressed in rewritten coordinates for mapping back.
    var insertions: [Int] = []
    for (k, range) in ranges.enumerated() {
        insertions.append(range.upperBound + 2 * k)
    }
    return (out, insertions)
}

@inline(__always)
internal func isJSONWhitespace(_ b: UInt8) -> Bool {
    b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09
}

/// Whether the last non-whitespace byte before `offset` is a comma.
private func isAfterComma(_ offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    var k = offset - 1
    while k >= 0 && isJSONWhitespace(bytes[k]) { k -= 1 }
    return k >= 0 && bytes[k] == UInt8(ascii: ",")
}

/// The 1-based line and column (in Unicode scalars) of byte `offset`.
internal func lineAndColumn(of offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> (line: Int, column: Int) {
    let end = min(max(offset, 0), bytes.count)
    var line = 1
    var lineStart = 0
    for k in 0..<end where bytes[k] == 0x0A {
        line += 1
        lineStart = k + 1
    }
    var column = 1
    for k in lineStart..<end where bytes[k] & 0xC0 != 0x80 {
        column += 1
    }
    return (line, column)
}

/// The character at `offset` for an error message: `'x'`, `'é'`, `U+0009`,
/// `byte 0xFF`, or `end of input`.
private func describeCharacter(at offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> String {
    guard offset < bytes.count else { return "end of input" }
    let b = bytes[offset]
    if b < 0x80 {
        if b > 0x20 && b < 0x7F { return "'\(Character(Unicode.Scalar(b)))'" }
        return unicodeName(UInt32(b))
    }
    let length = utf8SequenceLength(bytes, at: offset)
    guard length > 0 else {
        return "byte 0x" + String(b, radix: 16, uppercase: true)
    }
    let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[offset..<offset + length]), as: UTF8.self)
    let scalar = text.unicodeScalars.first!
    return "'\(text)' (\(unicodeName(scalar.value)))"
}

/// Reads the whole file at `path`.
private func readFile(_ path: String) throws(JSONError) -> [UInt8] {
    func failure(_ code: Int32) -> JSONError {
        JSONError(file: path, line: 0, column: 0,
                  message: "cannot read '\(path)': \(String(cString: strerror(code)))")
    }
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    if fd < 0 { throw failure(errno) }
    defer { close(fd) }

    var info = stat()
    if fstat(fd, &info) != 0 { throw failure(errno) }
    if (info.st_mode & S_IFMT) == S_IFDIR { throw failure(EISDIR) }

    var bytes = [UInt8](repeating: 0, count: max(Int(info.st_size), 0) + 1)
    var count = 0
    while true {
        if count == bytes.count {
            bytes.append(contentsOf: repeatElement(0, count: max(bytes.count, 4096)))
        }
        let readCount = bytes.withUnsafeMutableBytes { raw in
            read(fd, raw.baseAddress! + count, raw.count - count)
        }
        if readCount < 0 {
            if errno == EINTR { continue }
            throw failure(errno)
        }
        if readCount == 0 { break }
        count += readCount
    }
    bytes.removeSubrange(count...)
    return bytes
}
