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
/// trace's `trace`), whose elements ``nextElement()`` hands out in order,
/// parsed a small batch at a time. Memory stays at about one batch plus a
/// read buffer, however long the array.
///
/// This is a fast path for valid files only. Whenever the file is not one
/// well-formed object of the expected shape (a syntax error anywhere, a
/// repeated top-level key, an escape in a top-level key, nesting near
/// ``JSONValue/maximumDepth``, a read error), it throws
/// ``JSONStreamUnsupported`` and the caller reads the file whole with
/// ``JSONValue/load(contentsOf:)``, which gives the exact error (line,
/// column, message) or the value. So a file read through the stream means
/// exactly what the whole-file parser makes of it: each piece goes through
/// the same checks and json-c, and the scanner here only finds where
/// pieces start and end (and accepts nothing but whitespace, `,`, `:` and
/// brackets between them).
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

    /// Elements parsed together: json-c's per-call set-up (a locale, a
    /// tokener reset) is paid once per batch, and a batch's tree is small
    /// enough to stay in the allocator's caches.
    static let batchElements = 64
    static let batchBytes = 1 << 16

    private let file: ChunkedFile
    private let streamedKey: String
    private let batchTokener: JSONCTokener
    /// Whether an integer outside `Int64` is an error (as in
    /// ``JSONValue/loadExactIntegers(contentsOf:)``) rather than a float.
    private let exactIntegers: Bool
    /// Where the array's `[` is, once found.
    private var arrayOffset = 0
    private enum ArrayState { case notStarted, inside, finished }
    private var state = ArrayState.notStarted
    private var batch: JSONCDocument?
    private var batchCount = 0
    private var batchNext = 0
    private var lastElement: Range<Int>?

    /// Opens `path` and parses every top-level member but `streamedKey`'s array.
    public convenience init(path: String, streamedKey: String, exactIntegers: Bool = false) throws(JSONStreamUnsupported) {
        try self.init(path: path, streamedKey: streamedKey, windowSize: nil, exactIntegers: exactIntegers)
    }

    /// With `windowSize`, reads through a window of that many bytes (to
    /// begin with) whatever the file's size; without, files up to 8 MiB
    /// are read whole.
    init(path: String, streamedKey: String, windowSize: Int?, exactIntegers: Bool = false) throws(JSONStreamUnsupported) {
        self.streamedKey = streamedKey
        self.exactIntegers = exactIntegers
        batchTokener = JSONCTokener(maximumDepth: JSONValue.maximumDepth - 4, rejectsIntegersBeyond64Bits: exactIntegers)
        file = try ChunkedFile(path: path, windowSize: windowSize)
        try readMembers()
    }

    /// The next element of the streamed array, or `nil` after the last one
    /// (and always `nil` when there is no streamed array). The element is
    /// valid while the returned value is alive.
    public func nextElement() throws(JSONStreamUnsupported) -> JSONCElement? {
        if batchNext == batchCount {
            try parseBatch()
            if batchCount == 0 { return nil }
        }
        defer { batchNext += 1 }
        return JSONCElement(owner: batch!, node: batch!.root.element(batchNext))
    }

    /// The next element's bytes (valid until the next call), or `nil` after
    /// the last one: for a reader that can often decide from the text alone
    /// (a record byte for byte what it expects) and parses only when not,
    /// with ``parseLastElement()``. Use this or ``nextElement()``, not both.
    public func nextElementBytes() throws(JSONStreamUnsupported) -> UnsafeBufferPointer<UInt8>? {
        file.keep(from: nil)
        guard hasStreamedArray, state != .finished else { return nil }
        if state == .notStarted { try file.seek(to: arrayOffset) }
        guard try moveToNextElement() else { return nil }
        let start = file.offset
        file.keep(from: start)  // until the next call
        try file.skipValue()
        lastElement = start..<file.offset
        return file.bytes(from: start, to: file.offset)
    }

    /// Parses the element ``nextElementBytes()`` returned last.
    public func parseLastElement() throws(JSONStreamUnsupported) -> JSONCElement {
        guard let range = lastElement else { throw JSONStreamUnsupported() }
        do {
            let root = try JSONValue.parseJSONC(
                file.bytes(from: range.lowerBound, to: range.upperBound), file: nil, tokener: batchTokener)
            let document = JSONCDocument(owning: root)
            return JSONCElement(owner: document, node: document.root)
        } catch {
            throw JSONStreamUnsupported()
        }
    }

    /// Moves to the start of the next element of the streamed array: past
    /// its `[` on the first call (the file positioned at it), else past the
    /// separator. Returns false, with the state `.finished`, at its end.
    private func moveToNextElement() throws(JSONStreamUnsupported) -> Bool {
        guard state == .notStarted else {
            try nextItem()
            return state != .finished
        }
        guard try file.peek() == UInt8(ascii: "[") else { throw JSONStreamUnsupported() }
        file.advance()
        try file.skipWhitespace()
        if try file.peek() == UInt8(ascii: "]") {
            file.advance()
            state = .finished
            return false
        }
        state = .inside
        return true
    }

    /// Scans the next elements, up to a batch, and parses them as one array.
    private func parseBatch() throws(JSONStreamUnsupported) {
        batch = nil
        batchCount = 0
        batchNext = 0
        guard hasStreamedArray, state != .finished else { return }
        // Everything from here stays in the window, the separator before
        // the batch included (see below).
        if state == .notStarted { try file.seek(to: arrayOffset) }
        file.keep(from: file.offset)
        defer { file.keep(from: nil) }
        guard try moveToNextElement() else { return }
        // From the first element's start to the last one's end: the
        // elements with their separators, parsed in place as `[...]` with
        // the byte before (`[`, `,` or whitespace) and the byte after (`,`,
        // `]` or whitespace) standing in for the brackets for the parse.
        let start = file.offset
        file.keep(from: start - 1)
        var count = 0
        var end = start
        while true {
            try file.skipValue()
            end = file.offset
            count += 1
            if count == Self.batchElements || end - start >= Self.batchBytes { break }
            try nextItem()
            if state == .finished { break }
        }
        guard try file.isLoaded(end) else { throw JSONStreamUnsupported() }
        let root: OpaquePointer?
        do {
            root = try file.withBracketed(from: start - 1, to: end) { bytes throws(JSONError) in
                try JSONValue.parseJSONC(bytes, file: nil, tokener: batchTokener)
            }
        } catch {
            throw JSONStreamUnsupported()
        }
        let document = JSONCDocument(owning: root)
        guard document.root.kind == .array, document.root.arrayCount == count else { throw JSONStreamUnsupported() }
        batch = document
        batchCount = count
    }

    /// After an element: `,` and the next one's start, or `]`.
    private func nextItem() throws(JSONStreamUnsupported) {
        try file.skipWhitespace()
        switch try file.peek() {
        case UInt8(ascii: ","):
            file.advance()
            try file.skipWhitespace()
        case UInt8(ascii: "]"):
            file.advance()
            state = .finished
        default:
            throw JSONStreamUnsupported()
        }
    }

    /// The first pass: `{`, then `"key": value` pairs, then `}` and nothing
    /// but whitespace.
    private func readMembers() throws(JSONStreamUnsupported) {
        let memberTokener = JSONCTokener(maximumDepth: JSONValue.maximumDepth - 2, rejectsIntegersBeyond64Bits: exactIntegers)
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
                let start = file.offset
                if key == streamedKey, try file.peek() == UInt8(ascii: "[") {
                    hasStreamedArray = true
                    arrayOffset = start
                    try file.skipValue()
                } else {
                    file.keep(from: start)
                    try file.skipValue()
                    let bytes = file.bytes(from: start, to: file.offset)
                    file.keep(from: nil)
                    do {
                        let root = try JSONValue.parseJSONC(bytes, file: nil, tokener: memberTokener)
                        defer { if let root { json_object_put(root) } }
                        members[key] = JSONValue.convert(root)
                    } catch {
                        throw JSONStreamUnsupported()
                    }
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

/// One element of a streamed array, keeping its batch's tree alive.
public struct JSONCElement {
    let owner: JSONCDocument
    /// The element.
    public let node: JSONCNode
}

/// The file is not one the stream vouches for; read it whole instead.
public struct JSONStreamUnsupported: Error, Sendable {
    public init() {}
}

/// A file read through a window that slides forward (and can restart at an
/// offset), addressed by file offsets, with the scanning the stream needs:
/// whitespace, plain keys, and the extent of one value.
private final class ChunkedFile {
    private let fd: Int32
    private var buffer: UnsafeMutableRawBufferPointer
    /// The file offset of `buffer[0]`.
    private var base = 0
    /// Valid bytes in `buffer`.
    private var count = 0
    private var reachedEnd = false
    /// The read position (a file offset).
    private(set) var offset = 0
    /// Bytes from here on stay in the window (a piece being scanned).
    private var kept: Int?

    /// Files up to this size are read in one go (the corpus's goldens).
    static let wholeFileLimit = 8 << 20
    static let chunk = 1 << 20

    init(path: String, windowSize: Int?) throws(JSONStreamUnsupported) {
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw JSONStreamUnsupported() }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw JSONStreamUnsupported()
        }
        let size = Int(info.st_size)
        let capacity = windowSize ?? (size < Self.wholeFileLimit ? size + 1 : Self.chunk)
        buffer = .allocate(byteCount: max(capacity, 16), alignment: 16)
        try fill()
        // A byte order mark is the whole parse's to report.
        if count >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF {
            throw JSONStreamUnsupported()
        }
    }

    deinit {
        buffer.deallocate()
        close(fd)
    }

    func keep(from offset: Int?) { kept = offset }

    /// Reads more bytes, sliding the window past what is no longer needed
    /// (before the read position and before `kept`), growing it when one
    /// piece fills it.
    private func fill() throws(JSONStreamUnsupported) {
        let keepFrom = min(offset, kept ?? offset) - base
        if keepFrom > 0 && count == buffer.count {
            let remaining = count - keepFrom
            if remaining > 0 { memmove(buffer.baseAddress!, buffer.baseAddress! + keepFrom, remaining) }
            base += keepFrom
            count = remaining
        }
        if count == buffer.count {
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
            return
        }
    }

    /// Makes the byte at file offset `at` available; `false` at the end of the file.
    @inline(__always)
    private func load(_ at: Int) throws(JSONStreamUnsupported) -> Bool {
        while at - base >= count {
            if reachedEnd { return false }
            try fill()
        }
        return true
    }

    /// Restarts reading at file offset `target`.
    func seek(to target: Int) throws(JSONStreamUnsupported) {
        offset = target
        if target >= base && target < base + count { return }
        guard lseek(fd, off_t(target), SEEK_SET) >= 0 else { throw JSONStreamUnsupported() }
        base = target
        count = 0
        reachedEnd = false
        try fill()
    }

    /// The byte at the read position (a read past the end is unsupported).
    func peek() throws(JSONStreamUnsupported) -> UInt8 {
        guard try load(offset) else { throw JSONStreamUnsupported() }
        return buffer[offset - base]
    }

    func advance() { offset += 1 }

    func atEnd() throws(JSONStreamUnsupported) -> Bool { try !load(offset) }

    func skipWhitespace() throws(JSONStreamUnsupported) {
        while try load(offset), isJSONWhitespace(buffer[offset - base]) { offset += 1 }
    }

    /// The bytes from `start` to `end` (valid until the window moves).
    func bytes(from start: Int, to end: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: buffer.baseAddress!.assumingMemoryBound(to: UInt8.self) + (start - base), count: end - start)
    }

    /// Whether the byte at file offset `at` is in the window (reading it if need be).
    func isLoaded(_ at: Int) throws(JSONStreamUnsupported) -> Bool { try load(at) }

    /// Calls `body` with the bytes from `open` to `close` (both in the
    /// window, `open` before the read position) with those two bytes made
    /// `[` and `]` for the call, then puts them back.
    func withBracketed<T>(
        from open: Int, to close: Int, _ body: (UnsafeBufferPointer<UInt8>) throws(JSONError) -> T
    ) throws(JSONError) -> T {
        guard open >= base, close >= open, close < base + self.count else {
            throw JSONError(line: 0, column: 0, message: "outside the read window")  // never: the window keeps them
        }
        let bytes = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self) + (open - base)
        let length = close - open + 1
        let (first, last) = (bytes[0], bytes[length - 1])
        bytes[0] = UInt8(ascii: "[")
        bytes[length - 1] = UInt8(ascii: "]")
        defer {
            bytes[0] = first
            bytes[length - 1] = last
        }
        return try body(UnsafeBufferPointer(start: bytes, count: length))
    }

    /// A double-quoted key without escapes (a key with one is left to the
    /// whole parse, which has its own rules for `\u0000` in keys).
    func readPlainKey() throws(JSONStreamUnsupported) -> String {
        guard try peek() == UInt8(ascii: "\"") else { throw JSONStreamUnsupported() }
        let start = offset + 1
        keep(from: start)
        defer { keep(from: nil) }
        var at = start
        while true {
            guard try load(at) else { throw JSONStreamUnsupported() }
            let byte = buffer[at - base]
            if byte == UInt8(ascii: "\"") {
                guard let key = String(validating: UnsafeRawBufferPointer(bytes(from: start, to: at)), as: UTF8.self)
                else { throw JSONStreamUnsupported() }
                offset = at + 1
                return key
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 { throw JSONStreamUnsupported() }
            at += 1
        }
    }

    /// Moves past the value at the read position: a string, a container up
    /// to its matching bracket, or a scalar up to the next delimiter. Only
    /// the extent is found here; json-c checks the bytes. The window keeps
    /// the value's bytes only when the caller asked (`keep(from:)`): the
    /// first pass skips a trace of any length in constant memory.
    func skipValue() throws(JSONStreamUnsupported) {
        let start = offset
        var at = start
        var depth = 0
        var inString = false
        while true {
            offset = at  // what was scanned may leave the window
            guard try load(at) else {
                // The end of the file ends a scalar, nothing else.
                if depth == 0 && !inString && at > start { offset = at; return }
                throw JSONStreamUnsupported()
            }
            // Scan what the window holds without further checks.
            let bytes = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
            var i = at - base
            let n = count
            while i < n {
                if depth > 0 && !inString {
                    // Inside a container only quotes and brackets matter.
                    while i < n {
                        let c = bytes[i]
                        let folded = c | 0x20  // '[' → '{', ']' → '}'
                        if folded == UInt8(ascii: "{") || folded == UInt8(ascii: "}") || c == UInt8(ascii: "\"") { break }
                        i += 1
                    }
                    if i == n { break }
                }
                let byte = bytes[i]
                if inString {
                    if byte == UInt8(ascii: "\\") {
                        i += 2
                        continue
                    }
                    if byte == UInt8(ascii: "\"") {
                        inString = false
                        if depth == 0 { offset = base + i + 1; return }
                    }
                    i += 1
                    continue
                }
                switch byte {
                case UInt8(ascii: "\""):
                    inString = true
                case UInt8(ascii: "["), UInt8(ascii: "{"):
                    depth += 1
                    if depth > JSONValue.maximumDepth - 8 { throw JSONStreamUnsupported() }
                case UInt8(ascii: "]"), UInt8(ascii: "}"):
                    if depth == 0 { offset = base + i; return }  // a scalar's end
                    depth -= 1
                    if depth == 0 { offset = base + i + 1; return }
                case UInt8(ascii: ","), 0x20, 0x09, 0x0A, 0x0D:
                    if depth == 0 { offset = base + i; return }
                default:
                    break
                }
                i += 1
            }
            at = base + i
        }
    }
}
