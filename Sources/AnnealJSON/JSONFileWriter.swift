#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes one JSON document to a file piece by piece, in exactly the bytes
/// ``JSONValue/write(toFile:indent:)`` writes for the whole value, so a
/// document too long to hold (a trace of millions of records) can be
/// written as it is produced.
///
/// The text goes to a temporary file next to the destination; ``commit()``
/// renames it over the destination, and ``discard()`` (or dropping the
/// writer uncommitted) removes it, so the destination only ever holds a
/// complete document.
///
/// ```swift
/// let writer = try JSONFileWriter(path: "out.json", indent: 1)
/// try writer.beginObject()
/// try writer.member("name", "x")
/// try writer.beginArrayMember("trace")
/// try writer.element(["lr": [0.1]])
/// try writer.endArray()
/// try writer.endObject()
/// try writer.commit()
/// ```
public final class JSONFileWriter {
    private let path: String
    private let temporary: String
    private var fd: Int32
    private var writer: JSONWriter
    /// For each open container: how many items it holds so far.
    private var openCounts: [Int] = []
    private var committed = false

    /// Flushes once this many bytes are buffered.
    static let flushThreshold = 1 << 16

    /// Creates the temporary file for `path`.
    ///
    /// - Throws: ``JSONError`` (line 0) naming `path` when it cannot be created.
    public init(path: String, indent: Int? = 1) throws(JSONError) {
        self.path = path
        temporary = temporaryPath(for: path)
        writer = JSONWriter(indent: indent.map { max(0, $0) })
        fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        if fd < 0 { throw writeFailure(path, "cannot create a temporary file in its directory", errno) }
    }

    deinit {
        if !committed { discard() }
    }

    /// `{`: the top-level object (or an object member's, after ``key(_:)``).
    public func beginObject() throws(JSONError) {
        writer.out.append(UInt8(ascii: "{"))
        openCounts.append(0)
    }

    /// A member with a whole value.
    public func member(_ key: String, _ value: JSONValue) throws(JSONError) {
        try startItem()
        writer.writeString(key)
        writer.out.append(contentsOf: ": ".utf8)
        writer.write(value, level: openCounts.count)
        try flushIfFull()
    }

    /// A member whose value is an array given element by element, up to ``endArray()``.
    public func beginArrayMember(_ key: String) throws(JSONError) {
        try startItem()
        writer.writeString(key)
        writer.out.append(contentsOf: ": [".utf8)
        openCounts.append(0)
    }

    /// One element of the array begun last.
    public func element(_ value: JSONValue) throws(JSONError) {
        try startItem()
        writer.write(value, level: openCounts.count)
        try flushIfFull()
    }

    /// `]`, or `[]` for an array without elements.
    public func endArray() throws(JSONError) {
        try endContainer(UInt8(ascii: "]"))
    }

    /// `}` (or `{}`); at the top level, also the final newline.
    public func endObject() throws(JSONError) {
        try endContainer(UInt8(ascii: "}"))
        if openCounts.isEmpty { writer.out.append(UInt8(ascii: "\n")) }
    }

    /// Writes what is buffered, closes the file and renames it over the destination.
    public func commit() throws(JSONError) {
        try flush()
        committed = true
        let closing = fd
        fd = -1
        if close(closing) != 0 {
            let code = errno
            unlink(temporary)
            throw writeFailure(path, "close failed", code)
        }
        if rename(temporary, path) != 0 {
            let code = errno
            unlink(temporary)
            throw writeFailure(path, "rename failed", code)
        }
    }

    /// Drops the document: closes and removes the temporary file.
    public func discard() {
        committed = true
        if fd >= 0 { close(fd) }
        fd = -1
        unlink(temporary)
    }

    // MARK: - Pieces

    private func startItem() throws(JSONError) {
        guard let last = openCounts.indices.last else { return }
        if openCounts[last] > 0 {
            writer.out.append(UInt8(ascii: ","))
            if writer.indent == nil { writer.out.append(UInt8(ascii: " ")) }
        }
        openCounts[last] += 1
        writer.newline(openCounts.count)
    }

    private func endContainer(_ bracket: UInt8) throws(JSONError) {
        guard let items = openCounts.popLast() else { return }
        if items > 0 { writer.newline(openCounts.count) }
        writer.out.append(bracket)
        try flushIfFull()
    }

    private func flushIfFull() throws(JSONError) {
        if writer.out.count >= Self.flushThreshold { try flush() }
    }

    private func flush() throws(JSONError) {
        var failure: Int32?
        writer.out.withUnsafeBytes { raw in
            var written = 0
            while written < raw.count {
                let n = write(fd, raw.baseAddress! + written, raw.count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                written += n
            }
        }
        writer.out.removeAll(keepingCapacity: true)
        if let failure { throw writeFailure(path, "write failed", failure) }
    }
}
