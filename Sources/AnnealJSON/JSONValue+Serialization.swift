#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension JSONValue {
    /// The JSON text of the value, laid out as Python's `json.dumps` lays it
    /// out, so that files written here and by Python's side can be diffed.
    ///
    /// - `indent: nil` (the default): one line, with Python's default
    ///   separators `", "` and `": "`: `{"a": 1, "b": [1, 2]}`.
    /// - `indent: n`: like `json.dumps(value, indent=n)`: one element or
    ///   member per line, nested `n` spaces per level, separators `","` and
    ///   `": "`, and empty containers as `[]` and `{}`. `indent: 0` puts
    ///   elements on their own lines without indentation, as Python does; a
    ///   negative indent counts as 0.
    ///
    /// Numbers: `.int` in decimal; `.double` as ``pythonFloatRepr(_:)``
    /// (shortest round-trip digits, `NaN`/`Infinity`/`-Infinity` for
    /// non-finite values). Strings are written like
    /// `json.dumps(..., ensure_ascii=False)`: UTF-8, with `"` and `\` and the
    /// control characters U+0000–U+001F escaped (`\n`, `\r`, `\t`, `\b`, `\f`,
    /// otherwise `\u00XX` in lowercase hex). Object keys keep their order.
    ///
    /// The result has no trailing newline.
    public func serialized(indent: Int? = nil) -> String {
        var writer = JSONWriter(indent: indent.map { max(0, $0) })
        writer.write(self, level: 0)
        return String(decoding: writer.out, as: UTF8.self)
    }

    /// Appends the JSON text of the value to `bytes` as it appears nested
    /// `level` deep in a document written with `indent` (``serialized(indent:)``
    /// at level 0): a record of a trace file is at level 2.
    public func appendSerialized(to bytes: inout [UInt8], indent: Int?, level: Int) {
        var writer = JSONWriter(indent: indent.map { max(0, $0) })
        swap(&writer.out, &bytes)
        writer.write(self, level: max(0, level))
        swap(&writer.out, &bytes)
    }

    /// Writes ``serialized(indent:)`` and a final newline to the file at
    /// `path`, replacing it atomically.
    ///
    /// The text goes to a temporary file in the same directory, which is
    /// then renamed over `path`, so a reader (or a crash of this process)
    /// sees either the old file or the complete new one, never a partial
    /// write. The default indent of 1 is the layout of the golden corpus.
    ///
    /// - Throws: ``JSONError`` with `line == 0`, naming the file, when the
    ///   temporary file cannot be created or written or the rename fails.
    public func write(toFile path: String, indent: Int? = 1) throws(JSONError) {
        var writer = JSONWriter(indent: indent.map { max(0, $0) })
        writer.write(self, level: 0)
        writer.out.append(UInt8(ascii: "\n"))
        try writeFileAtomically(path: path, bytes: writer.out)
    }
}

/// Builds JSON text as UTF-8 bytes.
internal struct JSONWriter {
    var out: [UInt8] = []
    /// Spaces per nesting level, or `nil` for the compact one-line form.
    let indent: Int?

    init(indent: Int?) {
        self.indent = indent
        out.reserveCapacity(256)
    }

    mutating func write(_ value: JSONValue, level: Int) {
        switch value {
        case .null:
            out.append(contentsOf: "null".utf8)
        case .bool(let b):
            out.append(contentsOf: b ? "true".utf8 : "false".utf8)
        case .int(let i):
            appendDecimal(i, to: &out)
        case .double(let d):
            appendPythonFloatRepr(d, to: &out)
        case .string(let s):
            writeString(s)
        case .array(let elements):
            if elements.isEmpty {
                out.append(contentsOf: "[]".utf8)
                return
            }
            out.append(UInt8(ascii: "["))
            for (i, element) in elements.enumerated() {
                if i > 0 { writeItemSeparator() }
                newline(level + 1)
                write(element, level: level + 1)
            }
            newline(level)
            out.append(UInt8(ascii: "]"))
        case .object(let object):
            if object.isEmpty {
                out.append(contentsOf: "{}".utf8)
                return
            }
            out.append(UInt8(ascii: "{"))
            for (i, (key, member)) in object.enumerated() {
                if i > 0 { writeItemSeparator() }
                newline(level + 1)
                writeString(key)
                out.append(contentsOf: ": ".utf8)
                write(member, level: level + 1)
            }
            newline(level)
            out.append(UInt8(ascii: "}"))
        }
    }

    /// `", "` in the compact form, `","` (before a newline) when indenting.
    private mutating func writeItemSeparator() {
        out.append(UInt8(ascii: ","))
        if indent == nil { out.append(UInt8(ascii: " ")) }
    }

    /// A newline and the indentation of `level`, when indenting.
    mutating func newline(_ level: Int) {
        guard let indent else { return }
        out.append(UInt8(ascii: "\n"))
        let spaces = indent * level
        if spaces > 0 {
            out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: spaces))
        }
    }

    /// A string literal, escaped as `json.dumps(ensure_ascii=False)` does.
    mutating func writeString(_ string: String) {
        out.append(UInt8(ascii: "\""))
        var string = string
        string.withUTF8 { bytes in
            var runStart = 0
            for i in 0..<bytes.count {
                let byte = bytes[i]
                if byte >= 0x20 && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\") {
                    continue
                }
                if runStart < i {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<i]))
                }
                runStart = i + 1
                out.append(UInt8(ascii: "\\"))
                switch byte {
                case UInt8(ascii: "\""): out.append(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"))
                case 0x0A: out.append(UInt8(ascii: "n"))
                case 0x0D: out.append(UInt8(ascii: "r"))
                case 0x09: out.append(UInt8(ascii: "t"))
                case 0x08: out.append(UInt8(ascii: "b"))
                case 0x0C: out.append(UInt8(ascii: "f"))
                default:
                    out.append(contentsOf: "u00".utf8)
                    out.append(hexDigit(byte >> 4))
                    out.append(hexDigit(byte & 0xF))
                }
            }
            if runStart < bytes.count {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}

/// The lowercase hexadecimal digit for `nibble` (0...15).
@inline(__always)
private func hexDigit(_ nibble: UInt8) -> UInt8 {
    nibble < 10 ? UInt8(ascii: "0") &+ nibble : UInt8(ascii: "a") &+ (nibble &- 10)
}

/// Writes `bytes` to a temporary file next to `path`, then renames it over
/// `path`.
internal func writeFileAtomically(path: String, bytes: [UInt8]) throws(JSONError) {
    func failure(_ what: String, _ code: Int32) -> JSONError { writeFailure(path, what, code) }
    let temporary = temporaryPath(for: path)

    let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
    if fd < 0 { throw failure("cannot create a temporary file in its directory", errno) }

    var written = 0
    let writeError: Int32? = bytes.withUnsafeBytes { raw -> Int32? in
        while written < raw.count {
            let n = write(fd, raw.baseAddress! + written, raw.count - written)
            if n < 0 {
                if errno == EINTR { continue }
                return errno
            }
            written += n
        }
        return nil
    }
    if let writeError {
        close(fd)
        unlink(temporary)
        throw failure("write failed", writeError)
    }
    if close(fd) != 0 {
        let code = errno
        unlink(temporary)
        throw failure("close failed", code)
    }
    if rename(temporary, path) != 0 {
        let code = errno
        unlink(temporary)
        throw failure("rename failed", code)
    }
}

/// `cannot write 'PATH': WHAT: REASON`.
internal func writeFailure(_ path: String, _ what: String, _ code: Int32) -> JSONError {
    JSONError(file: path, line: 0, column: 0,
              message: "cannot write '\(path)': \(what): \(String(cString: strerror(code)))")
}

/// A fresh name for a temporary file in `path`'s directory.
internal func temporaryPath(for path: String) -> String {
    let directory: String
    let base: String
    if let slash = path.lastIndex(of: "/") {
        directory = String(path[...slash])
        base = String(path[path.index(after: slash)...])
    } else {
        directory = ""
        base = path
    }
    return "\(directory).\(base).tmp-\(getpid())-\(UInt32.random(in: 0 ... .max))"
}
