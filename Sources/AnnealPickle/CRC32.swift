#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import CCRC32
import CZlib
import Dispatch

/// The zip CRC-32: folded with carry-less multiplication where the CPU has
/// it (``anneal_crc32_fold``, about 3x zlib's tables on this machine:
/// 4.4 GB/s against 1.5), zlib for the rest. A torch file's reader checks
/// every record's CRC, so this is most of the time a load takes.
///
/// ```swift
/// CRC32.checksum(of: bytes)                           // zlib.crc32(bytes)
/// CRC32.checksum(of: tail, continuing: CRC32.checksum(of: head))   // of head + tail
/// ```
enum CRC32 {
    /// Records at least this large are checked in pieces on every core,
    /// the pieces' CRCs combined (zlib's `crc32_combine`): a load of a
    /// 120 MB training state is mostly the CRC of a few large records.
    static let parallelThreshold = 4 << 20

    /// ``checksum(of:continuing:)`` of `bytes`, computed on up to `cores`
    /// threads when it is at least ``parallelThreshold`` long.
    static func parallelChecksum(of bytes: UnsafeRawBufferPointer) -> UInt32 {
        let cores = min(max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))), 16)
        guard bytes.count >= parallelThreshold, cores > 1 else { return checksum(of: bytes) }
        let piece = (bytes.count / cores + 4095) / 4096 * 4096
        let pieces = (bytes.count + piece - 1) / piece
        let results = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: pieces)
        defer { results.deallocate() }
        let shared = UncheckedBuffers(bytes: bytes, results: results)
        DispatchQueue.concurrentPerform(iterations: pieces) { index in
            let start = index * piece
            let end = min(start + piece, shared.bytes.count)
            shared.results[index] = checksum(of: UnsafeRawBufferPointer(rebasing: shared.bytes[start..<end]))
        }
        var crc = results[0]
        for index in 1..<pieces {
            let length = min(piece, bytes.count - index * piece)
            crc = UInt32(crc32_combine(uLong(crc), uLong(results[index]), off_t(length)))
        }
        return crc
    }

    /// The buffers the pieces' threads read and write (each its own result).
    private struct UncheckedBuffers: @unchecked Sendable {
        let bytes: UnsafeRawBufferPointer
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
