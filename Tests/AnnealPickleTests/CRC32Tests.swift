import CZlib
import Testing

@testable import AnnealPickle

/// ``CRC32``'s folded path against zlib's tables.
@Suite("CRC-32")
struct CRC32Tests {
    static let bytes: [UInt8] = {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        return (0..<(1 << 16) + 67).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
    }()

    func zlib(_ bytes: UnsafeRawBufferPointer, _ crc: UInt32) -> UInt32 {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return crc }
        return UInt32(crc32_z(uLong(crc), base.assumingMemoryBound(to: Bytef.self), z_size_t(bytes.count)))
    }

    @Test("Every length up to 1,100 at three alignments, and 64 KiB, is zlib's CRC", arguments: [0, 1, 7])
    func lengths(offset: Int) {
        Self.bytes.withUnsafeBytes { all in
            var mismatches: [Int] = []
            for length in Array(0...1100) + [1 << 16] {
                let slice = UnsafeRawBufferPointer(rebasing: all[offset..<(offset + length)])
                let seed = UInt32(truncatingIfNeeded: length &* 0x1234_5679)
                if CRC32.checksum(of: slice, continuing: seed) != zlib(slice, seed) { mismatches.append(length) }
            }
            #expect(mismatches.isEmpty, "lengths \(mismatches.prefix(20))")
        }
    }

    @Test("Large records checked in parallel pieces are zlib's CRC", arguments: [0, 1, 4095, 3 << 19 + 5])
    func parallel(extra: Int) {
        // Past the threshold, a length that splits unevenly across cores.
        let count = CRC32.parallelThreshold + extra
        var bytes = [UInt8](repeating: 0, count: count)
        var state: UInt64 = 0x2545_F491_4F6C_DD1D &+ UInt64(extra)
        for index in bytes.indices {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            bytes[index] = UInt8(truncatingIfNeeded: state >> 56)
        }
        bytes.withUnsafeBytes { all in #expect(CRC32.parallelChecksum(of: all) == zlib(all, 0)) }
    }

    @Test("A file's records checked in one parallel pass are each zlib's CRC")
    func records() {
        // Records of every kind of size, together past the threshold: empty,
        // small, one piece, several pieces with a remainder.
        let sizes = [0, 5, 4096, CRC32.parallelThreshold + 12_345, 1, 3 << 20, 0, 2 * CRC32.parallelThreshold]
        var state: UInt64 = 0x5851_F42D_4C95_7F2D
        let records: [[UInt8]] = sizes.map { size in
            (0..<size).map { _ in
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return UInt8(truncatingIfNeeded: state >> 56)
            }
        }
        let expected = records.map { record in record.withUnsafeBytes { zlib($0, 0) } }
        let buffers = records.map { record in
            let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: max(record.count, 1), alignment: 16)
            copy.copyBytes(from: record)
            return UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(copy)[0..<record.count])
        }
        defer { for buffer in buffers { UnsafeMutableRawPointer(mutating: buffer.baseAddress!).deallocate() } }
        #expect(CRC32.checksums(of: buffers) == expected)
    }

    @Test("Checksums continue across pieces")
    func pieces() {
        Self.bytes.withUnsafeBytes { all in
            let whole = CRC32.checksum(of: all)
            var crc: UInt32 = 0
            var start = 0
            for size in [1, 63, 64, 65, 1000, 4096, 17] {
                crc = CRC32.checksum(of: UnsafeRawBufferPointer(rebasing: all[start..<(start + size)]), continuing: crc)
                start += size
            }
            crc = CRC32.checksum(of: UnsafeRawBufferPointer(rebasing: all[start...]), continuing: crc)
            #expect(crc == whole && whole == zlib(all, 0))
        }
    }
}
