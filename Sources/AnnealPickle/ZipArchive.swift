import CZlib

/// The zip container torch.save writes (and Python's zipfile, deflated),
/// read from a buffer with every offset and size checked.
///
/// Anneal reads zip itself rather than through ZIPFoundation: torch files
/// are read from a memory map, and stored records (the tensors) must be
/// borrowed in place; ZIPFoundation reads entries through file handles into
/// `Data` copies, and it accepts what a hostile-file reader must refuse
/// (duplicate names, overlapping entries, local headers that disagree with
/// the central directory). What is read: the end of central directory (and
/// torch's zip64 end record, consistent with it), the central directory, and
/// each entry's local header. Refused: encryption, methods other than stored
/// and deflate, multi-disk archives, duplicate names, entries that overlap,
/// leave the file or run into the directory, and truncation anywhere.
///
/// ```swift
/// let archive = try ZipArchive(buffer: bytes.buffer)
/// let pickle = try archive.contents(of: archive.entry(named: "archive/data.pkl")!)
/// ```
struct ZipArchive {
    typealias Problem = TorchFileError.Problem

    struct Entry {
        var name: String
        var method: UInt16
        var flags: UInt16
        var crc: UInt32
        var compressedSize: Int
        var size: Int
        var localHeaderOffset: Int
        /// Where the entry's bytes start (after its local header).
        var dataOffset: Int
    }

    let buffer: UnsafeRawBufferPointer
    private(set) var entries: [Entry] = []
    private var index: [String: Int] = [:]

    /// The most entries an archive may have.
    static let maxEntries = 1 << 20
    /// The most bytes one deflated entry may inflate to.
    static let maxInflatedBytes = 1 << 34

    init(buffer: UnsafeRawBufferPointer) throws(Problem) {
        self.buffer = buffer
        let directory = try Self.endOfCentralDirectory(buffer)
        var cursor = directory.offset
        let end = directory.offset + directory.size
        for _ in 0..<directory.count {
            let entry = try Self.centralEntry(buffer, at: &cursor, end: end)
            guard index[entry.name] == nil else { throw .zip("the name \(entry.name) appears twice") }
            index[entry.name] = entries.count
            entries.append(entry)
        }
        guard cursor == end else {
            throw .zip("the central directory is \(directory.size) bytes but its \(directory.count) entries take \(cursor - directory.offset)")
        }
        // Entries must not overlap one another nor the central directory.
        let ordered = entries.sorted { $0.localHeaderOffset < $1.localHeaderOffset }
        for (position, entry) in ordered.enumerated() {
            let dataEnd = entry.dataOffset + entry.compressedSize  // checked in centralEntry
            let limit = position + 1 < ordered.count ? ordered[position + 1].localHeaderOffset : directory.offset
            guard dataEnd <= limit else {
                throw .zip("entry \(entry.name) (bytes \(entry.localHeaderOffset)..<\(dataEnd)) overlaps the next entry or the central directory")
            }
        }
    }

    func entry(named name: String) -> Entry? { index[name].map { entries[$0] } }

    /// The stored bytes of an entry, in place (no copy).
    func storedBytes(of entry: Entry) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: buffer[entry.dataOffset..<entry.dataOffset + entry.compressedSize])
    }

    /// An entry's bytes: stored ones borrowed from the buffer, deflated ones
    /// inflated; the CRC-32 checked either way.
    func contents(of entry: Entry) throws(Problem) -> EntryBytes {
        let raw = storedBytes(of: entry)
        if entry.method == 0 {
            try checkCRC(entry, raw)
            return .borrowed(raw)
        }
        let inflated = try inflate(entry, raw)
        let actual = inflated.withUnsafeBytes { Self.crc32($0) }
        guard actual == entry.crc else { throw .crcMismatch(record: entry.name, expected: entry.crc, actual: actual) }
        return .owned(inflated)
    }

    /// Every entry's bytes, as ``contents(of:)`` gives them, in order: the
    /// stored entries' CRCs computed in one parallel pass; the first entry
    /// in the archive's order that fails is the one reported.
    func contentsOfAllEntries() throws(Problem) -> [EntryBytes] {
        let stored = entries.indices.filter { entries[$0].method == 0 }
        let crcs = CRC32.checksums(of: stored.map { storedBytes(of: entries[$0]) })
        var storedCRC: [Int: UInt32] = [:]
        for (index, crc) in zip(stored, crcs) { storedCRC[index] = crc }
        var all: [EntryBytes] = []
        all.reserveCapacity(entries.count)
        for (index, entry) in entries.enumerated() {
            guard let actual = storedCRC[index] else {
                all.append(try contents(of: entry))
                continue
            }
            guard actual == entry.crc else { throw .crcMismatch(record: entry.name, expected: entry.crc, actual: actual) }
            all.append(.borrowed(storedBytes(of: entry)))
        }
        return all
    }

    private func checkCRC(_ entry: Entry, _ bytes: UnsafeRawBufferPointer) throws(Problem) {
        let actual = CRC32.parallelChecksum(of: bytes)
        guard actual == entry.crc else { throw .crcMismatch(record: entry.name, expected: entry.crc, actual: actual) }
    }

    /// The zip CRC-32 (``CRC32``).
    static func crc32(_ bytes: UnsafeRawBufferPointer) -> UInt32 { CRC32.checksum(of: bytes) }

    private func inflate(_ entry: Entry, _ raw: UnsafeRawBufferPointer) throws(Problem) -> [UInt8] {
        // Deflate expands at most about 1032:1; anything claiming more is refused before allocating.
        let (bound, overflow) = entry.compressedSize.multipliedReportingOverflow(by: 1032)
        guard entry.size <= Self.maxInflatedBytes, overflow || entry.size <= bound + 64 else {
            throw .zip("entry \(entry.name) claims to inflate \(entry.compressedSize) bytes to \(entry.size)")
        }
        var output = [UInt8](repeating: 0, count: entry.size)
        var stream = z_stream()
        guard inflateInit2_(&stream, -15, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw .zip("zlib could not start inflating \(entry.name)")
        }
        defer { inflateEnd(&stream) }
        var status: Int32 = Z_OK
        var spare: UInt8 = 0
        output.withUnsafeMutableBytes { out in
            var inputDone = 0
            var outputDone = 0
            // zlib counts in 32 bits: feed it in chunks.
            repeat {
                let inputChunk = min(raw.count - inputDone, 1 << 30)
                stream.next_in = UnsafeMutablePointer(mutating: raw.baseAddress.map { $0.assumingMemoryBound(to: Bytef.self) + inputDone })
                stream.avail_in = uInt(inputChunk)
                let outputChunk = min(out.count - outputDone, 1 << 30)
                if outputChunk == 0 {
                    // Room for one byte more: a stream that inflates past the declared size is caught.
                    withUnsafeMutablePointer(to: &spare) { stream.next_out = $0 }
                    stream.avail_out = 1
                } else {
                    stream.next_out = out.baseAddress!.assumingMemoryBound(to: Bytef.self) + outputDone
                    stream.avail_out = uInt(outputChunk)
                }
                let beforeIn = Int(stream.avail_in)
                let beforeOut = Int(stream.avail_out)
                status = CZlib.inflate(&stream, Z_NO_FLUSH)
                inputDone += beforeIn - Int(stream.avail_in)
                let produced = beforeOut - Int(stream.avail_out)
                if outputChunk == 0 {
                    if produced > 0 { status = Z_DATA_ERROR; outputDone += 1; break }
                } else {
                    outputDone += produced
                }
                if status != Z_OK { break }
                if produced == 0 && beforeIn == Int(stream.avail_in) { status = Z_BUF_ERROR; break }
            } while true
            if status == Z_STREAM_END && (outputDone != out.count || inputDone != raw.count) { status = Z_DATA_ERROR }
        }
        guard status == Z_STREAM_END else {
            throw .zip("entry \(entry.name): the deflated data is damaged or does not inflate to the declared \(entry.size) bytes")
        }
        return output
    }
}

/// An entry's bytes: borrowed from the file (stored) or inflated.
enum EntryBytes: @unchecked Sendable {
    // @unchecked: the borrowed bytes belong to a FileBytes kept alive beside them.
    case borrowed(UnsafeRawBufferPointer)
    case owned([UInt8])

    var count: Int {
        switch self {
        case .borrowed(let bytes): bytes.count
        case .owned(let bytes): bytes.count
        }
    }

    func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        switch self {
        case .borrowed(let bytes): return try body(bytes)
        case .owned(let bytes):
            let result = bytes.withUnsafeBytes { buffer in Result { () throws(E) -> R in try body(buffer) } }
            return try result.get()
        }
    }

    var array: [UInt8] {
        switch self {
        case .borrowed(let bytes): Array(bytes)
        case .owned(let bytes): bytes
        }
    }
}
