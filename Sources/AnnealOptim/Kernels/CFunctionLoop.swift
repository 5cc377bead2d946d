import COptimSupport

extension Kernels {
    /// A loop in C (`Sources/COptimSupport/elementwise_kernels.c`) as a
    /// ``VectorKernel``: ``runLoop(_:_:count:)`` hands each thread's share to
    /// `body(streams, offset, count)` in one call, and the tail through a
    /// padded vector. (SGD's, Adam's and the `sqrt` optimizers' C loops are
    /// typed `CLoop`s of their own; this one serves any C function.)
    struct CFunctionLoop: VectorKernel {
        let streamsUsed: Int
        let body: (_ streams: Streams, _ offset: Int, _ count: Int) -> Void

        var elementsPerUpdate: Int { .max }

        func update(_ streams: Streams, at offset: Int, count: Int, scratch: UnsafeMutablePointer<UInt32>) {
            body(streams, offset, count)
        }
    }

    /// Whether the loops of `elementwise_kernels.c` (Adamax, ASGD, Rprop)
    /// run: on x86-64 CPUs with AVX2 and FMA, in every build (a build for
    /// plain x86-64 has no FMA instructions of its own). Elsewhere each
    /// optimizer's Swift `scalarLoop` runs, with the same arithmetic.
    static let elementwiseRunsInC = anneal_elementwise_kernels_available() != 0
}
