import CCRC32
import CZlib

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
    static func checksum(of bytes: UnsafeRawBufferPointer, continuing crc: UInt32 = 0) -> UInt32 {
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count > 0 else { return crc }
        var value = crc
        let folded = anneal_crc32_fold(&value, base, bytes.count)
        guard folded < bytes.count else { return value }
        return UInt32(crc32_z(uLong(value), base + folded, z_size_t(bytes.count - folded)))
    }
}
