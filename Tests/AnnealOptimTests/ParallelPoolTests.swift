import Dispatch
import Foundation
import Testing
@testable import AnnealOptim
import COptimSupport

/// The worker pool behind the optimizers' parallel loops
/// (Sources/COptimSupport/parallel_pool.c): every share runs once, and a
/// caller it cannot serve is told so and runs nothing. (Other suites'
/// loops may hold the pool meanwhile: a test that needs it retries.)
@Suite(.serialized) struct ParallelPoolTests {
    /// Counts, per share, how often it ran, and on which thread.
    final class Tally: @unchecked Sendable {
        let lock = NSLock()
        var runs: [Int]
        var threads: Set<UInt> = []
        init(_ count: Int) { runs = Array(repeating: 0, count: count) }
        func record(_ index: Int) {
            lock.lock()
            runs[index] += 1
            threads.insert(UInt(bitPattern: Int(bitPattern: pthread_self())))
            lock.unlock()
        }
    }

    static func run(_ count: Int, _ tally: Tally) -> Int32 {
        anneal_pool_run(count, { context, index in
            Unmanaged<Tally>.fromOpaque(context!).takeUnretainedValue().record(index)
        }, Unmanaged.passUnretained(tally).toOpaque())
    }

    /// Runs a job through the pool, retrying while another test's loop
    /// holds it; false if it never got it.
    static func runPooled(_ count: Int, _ tally: Tally) -> Bool {
        for _ in 0..<20_000 {
            if run(count, tally) == 1 { return true }
            #expect(tally.runs.allSatisfy { $0 == 0 }, "a refused job ran shares")
            usleep(100)
        }
        return false
    }

    @Test(.enabled(if: Kernels.processorCount > 1, "one core: nothing to share"))
    func everyShareRunsOnceOnItsOwnThread() {
        let count = Kernels.processorCount
        for _ in 0..<1_000 {  // back to back, while the workers spin
            let tally = Tally(count)
            #expect(Self.runPooled(count, tally))
            #expect(tally.runs == Array(repeating: 1, count: count))
        }
        usleep(5_000)  // long enough for the workers to sleep
        let tally = Tally(count)
        #expect(Self.runPooled(count, tally))
        #expect(tally.runs == Array(repeating: 1, count: count))
        #expect(tally.threads.count == count, "shares ran on \(tally.threads.count) threads")
    }

    @Test func jobsItCannotTakeRunNothing() {
        let tally = Tally(Kernels.processorCount + 2)
        #expect(Self.run(1, tally) == 0, "a single share is the caller's own loop")
        #expect(Self.run(Kernels.processorCount + 1, tally) == 0, "more shares than threads")
        #expect(tally.runs.allSatisfy { $0 == 0 })
    }

    /// A task that starts a loop of its own finds the pool busy (it would
    /// otherwise wait for itself): it gets 0 and runs it another way.
    @Test(.enabled(if: Kernels.processorCount > 1, "one core: nothing to share"))
    func aTaskInsideAJobIsRefused() {
        final class Nested: @unchecked Sendable {
            var inner: [Int32] = []
            let lock = NSLock()
        }
        let nested = Nested()
        var result: Int32 = 0
        for _ in 0..<20_000 where result == 0 {
            result = anneal_pool_run(2, { context, _ in
            let nested = Unmanaged<Nested>.fromOpaque(context!).takeUnretainedValue()
            let inner = anneal_pool_run(2, { _, _ in }, nil)
            nested.lock.lock()
            nested.inner.append(inner)
            nested.lock.unlock()
            }, Unmanaged.passUnretained(nested).toOpaque())
            if result == 0 { usleep(100) }
        }
        #expect(result == 1)
        #expect(nested.inner == [0, 0])
    }

    /// Loops started from several threads at once: each runs all its
    /// shares exactly once, through the pool or, when it is busy, not at all
    /// (the caller's fallback), never half.
    @Test(.enabled(if: Kernels.processorCount > 1, "one core: nothing to share"))
    func concurrentCallersEachGetAllOrNothing() {
        let count = Kernels.processorCount
        let outcomes = Tally(2)  // runs[0]: pooled, runs[1]: refused
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            for _ in 0..<200 {
                let tally = Tally(count)
                let pooled = Self.run(count, tally) == 1
                let expected = Array(repeating: pooled ? 1 : 0, count: count)
                if tally.runs != expected { Issue.record("pooled \(pooled) but runs \(tally.runs)") }
                outcomes.record(pooled ? 0 : 1)
            }
        }
        #expect(outcomes.runs[0] > 0, "no caller ever got the pool")
    }
}
