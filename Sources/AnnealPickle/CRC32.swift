#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import CCRC32
import CZlib
import Dispatch

/// The zip CRC-32: folded with carry-less multiplication where the CPU has
/// it (``anneal_crc32_fold``: on this machine about 50 GB/s in cache with
/// AVX-512's VPCLMULQDQ, 13 with PCLMULQDQ, zlib's tables 1.5), zlib for
/// the rest. A torch file's reader checks
/// every record's CRC, so this is most of the time a load takes.
///
/// ```swift
/// CRC32.checksum(of: bytes)                           // zlib.crc32(bytes)
/// CRC32.checksum(of: tail, continuing: CRC32.checksum(of: head))   // of head + tail
/// ```
enum CRC32 {
    /// Records at least this large are checked in pieces of about this
    /// size, the pieces' CRCs combined (zlib's `crc32_combine`), so that a
    /// file of a few large records keeps every core busy.
    static let parallelThreshold = 4 << 20

    /// ``checksum(of:continuing:)`` of each buffer, computed on up to every
    /// core when they add up to at least ``parallelThreshold`` bytes: one
    /// parallel pass over all of them (a load checks every record of a file
    /// at once), large buffers cut into pieces, small ones a piece each.
    static func checksums(of buffers: [UnsafeRawBufferPointer]) -> [UInt32] {
        let cores = min(max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))), 16)
        let total = buffers.reduce(0) { $0 &+ $1.count }
        guard total >= parallelThreshold, cores > 1 else { return buffers.map { checksum(of: $0) } }
        // Pieces of at least a page, at most a core's share of the whole.
        let pieceSize = max(4096, min(parallelThreshold, (total / cores + 4095) / 4096 * 4096))
        var pieces: [Piece] = []
        for (index, buffer) in buffers.enumerated() {
            var start = 0
            repeat {
                let end = min(start + pieceSize, buffer.count)
                pieces.append(Piece(buffer: index, bytes: UnsafeRawBufferPointer(rebasing: buffer[start..<end])))
                start = end
            } while start < buffer.count
        }
        let results = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: pieces.count)
        defer { results.deallocate() }
        let shared = UncheckedPieces(pieces: pieces, results: results)
        DispatchQueue.concurrentPerform(iterations: pieces.count) { index in
            shared.results[index] = checksum(of: shared.pieces[index].bytes)
        }
        var crcs = [UInt32](repeating: 0, count: buffers.count)
        var seen = [Bool](repeating: false, count: buffers.count)
        for (piece, crc) in zip(pieces, results) {
            if seen[piece.buffer] {
                crcs[piece.buffer] = UInt32(
                    crc32_combine(uLong(crcs[piece.buffer]), uLong(crc), off_t(piece.bytes.count)))
            } else {
                crcs[piece.buffer] = crc
                seen[piece.buffer] = true
            }
        }
        return crcs
    }

    /// ``checksum(of:continuing:)`` of `bytes`, on every core when it is
    /// at least ``parallelThreshold`` long (``checksums(of:)``).
    static func parallelChecksum(of bytes: UnsafeRawBufferPointer) -> UInt32 { checksums(of: [bytes])[0] }

    /// A piece of buffer `buffer`, in order among that buffer's pieces.
    private struct Piece {
        let buffer: Int
        let bytes: UnsafeRawBufferPointer
    }

    /// What the pieces' threads read and write (each its own result).
    private struct UncheckedPieces: @unchecked Sendable {
        let pieces: [Piece]
        let results: UnsafeMutableBufferPointer<UInt32>
    }

    static func checksum(of bytes: UnsafeRawBufferPointer, continuing crc: UInt32 = 0) -> UInt32 {
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count > 0 else { return crc }
        var value = crc
        let folded = anneal_crc32_fold(&value, base, bytes.count)
        guard folded < bytes.count else { return value }
        return UInt32(crc32_z(uLong(value), base + folded, z_size_t(bytes.count - folded)))
    }
}
