#if canImport(Glibc)
    import Glibc
#endif
import COptimSupport
import Dispatch

extension Kernels {
    // MARK: - Splitting

    /// Runs `body(start, end)` over `0..<count` (a multiple of `laneCount`),
    /// split among the machine's cores when the tensor is large (at least
    /// ``parallelThreshold`` elements per thread). Every element gets the same
    /// arithmetic wherever it falls, so the split never changes a result.
    @inline(__always)
    static func parallelChunks(_ count: Int, _ body: (_ start: Int, _ end: Int) -> Void) {
        let threads = min(processorCount, count / parallelThreshold)
        guard threads > 1 else {
            body(0, count)
            return
        }
        let perThread = (count / threads + laneCount - 1) / laneCount * laneCount
        // The chunks touch disjoint elements, so handing the (non-Sendable)
        // body and its pointers to the other threads is safe.
        withoutActuallyEscaping(body) { body in
            var job = ChunkJob(body: body, count: count, perThread: perThread)
            // The worker pool (Sources/COptimSupport/parallel_pool.c), whose
            // threads start their shares together; when it cannot take the job
            // (busy, or no pool on this system), GCD.
            let pooled = withUnsafeMutablePointer(to: &job) { job in
                anneal_pool_run(threads, { context, thread in
                    context!.assumingMemoryBound(to: ChunkJob.self).pointee.run(Int(thread))
                }, job) != 0
            }
            if pooled { return }
            let shared = UncheckedSendable(job)
            DispatchQueue.concurrentPerform(iterations: threads) { thread in shared.value.run(thread) }
        }
    }

    /// One ``parallelChunks(_:_:)`` loop: chunk `thread` of `count` elements
    /// is `thread * perThread ..< min(count, (thread + 1) * perThread)`.
    private struct ChunkJob {
        let body: (_ start: Int, _ end: Int) -> Void
        let count: Int
        let perThread: Int

        func run(_ thread: Int) {
            let start = thread * perThread
            let end = min(count, start + perThread)
            if start < end { body(start, end) }
        }
    }

    private struct UncheckedSendable<Value>: @unchecked Sendable {
        let value: Value
        init(_ value: Value) { self.value = value }
    }

    /// Elements per thread below which a loop stays on one thread (the
    /// hand-off costs a few microseconds).
    static var parallelThreshold: Int { 1 << 17 }

    /// The cores the loops may use.
    static let processorCount: Int = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
}
