import Foundation
import Testing
@testable import AnnealTensor

/// Large buffers come from ScalarStorage with huge pages asked for; their
/// contents are what the plain array constructors give, at every size.
@Suite struct ScalarStorageTests {
    static let counts = [0, 1, 17, ScalarStorage.hugePageThreshold - 1, ScalarStorage.hugePageThreshold, 3 << 20 | 5]

    @Test(arguments: counts) func filledHoldsTheValue(count: Int) {
        let buffer = ScalarStorage.filled(-2.5, count: count)
        #expect(buffer.count == count)
        #expect(buffer.allSatisfy { $0.bitPattern == Float(-2.5).bitPattern })
    }

    @Test(arguments: counts) func uninitializedAndCopyKeepEveryElement(count: Int) {
        let original = ScalarStorage.uninitialized(count: count) { buffer in
            for i in buffer.indices { buffer[i] = Float(i % 1_000) - 0.5 }
        }
        #expect(original == (0..<count).map { Float($0 % 1_000) - 0.5 })
        let copy = original.withUnsafeBufferPointer { ScalarStorage.copy(of: $0) }
        #expect(copy == original)
    }

    @Test func tensorsOfEveryKindUseIt() {
        let count = ScalarStorage.hugePageThreshold + 3
        #expect(Tensor.zeros([count]).scalars.allSatisfy { $0 == 0 })
        let ramp = Tensor(shape: [count]) { buffer in
            for i in buffer.indices { buffer[i] = Float(i) }
        }
        #expect(ramp.scalars[count - 1] == Float(count - 1))
    }

    /// Where Linux offers transparent huge pages on request, a large buffer's
    /// memory is marked eligible for them (`THPeligible: 1` in smaps), and a
    /// small one's is not asked for. (Whether the kernel then finds free
    /// 2 MiB pages depends on the machine's memory, so that is not checked.)
    /// Elsewhere the test is skipped, and the skip is reported.
    @Test(
        .enabled(
            if: transparentHugePageMode.contains("[madvise]"),
            "needs transparent huge pages on request ([madvise]): [always] marks everything, [never] nothing"))
    func largeBuffersAreMarkedForHugePages() throws {
        let large = ScalarStorage.filled(1, count: 4 << 20)
        let small = ScalarStorage.filled(1, count: 1_000)
        let largeEligible = try large.withUnsafeBufferPointer { try hugePageEligibility(of: $0.baseAddress! + $0.count / 2) }
        #expect(largeEligible == true, "THPeligible of a 16 MiB buffer")
        let smallEligible = try small.withUnsafeBufferPointer { try hugePageEligibility(of: $0.baseAddress!) }
        #expect(smallEligible == false, "THPeligible of a 4 KB buffer")
    }

    /// Linux's transparent huge page mode, e.g. `always [madvise] never`;
    /// empty where the kernel has none (or the system is not Linux).
    static let transparentHugePageMode: String = {
        #if os(Linux)
        FileHandle(forReadingAtPath: "/sys/kernel/mm/transparent_hugepage/enabled")
            .map { String(decoding: $0.readDataToEndOfFile(), as: UTF8.self) } ?? ""
        #else
        ""
        #endif
    }()

    /// The `THPeligible` field of the mapping holding `address` in
    /// /proc/self/smaps (`nil` when the kernel does not report it).
    func hugePageEligibility(of address: UnsafePointer<Float>) throws -> Bool? {
        // Read to the end: /proc files report a size of 0.
        let file = try #require(FileHandle(forReadingAtPath: "/proc/self/smaps"))
        let smaps = String(decoding: file.readDataToEndOfFile(), as: UTF8.self)
        let target = UInt(bitPattern: address)
        var inside = false
        for line in smaps.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if let range = fields.first, range.contains("-"), !range.hasSuffix(":") {
                let bounds = range.split(separator: "-").compactMap { UInt($0, radix: 16) }
                inside = bounds.count == 2 && bounds[0] <= target && target < bounds[1]
            } else if inside, fields.first == "THPeligible:", fields.count > 1 {
                return fields[1] == "1"
            }
        }
        return nil
    }
}
