import COptimSupport

extension Kernels {
    /// `_single_tensor_rprop`'s elementwise pass: its scalars, the Swift
    /// loop, and `run`, which takes the C loop where it runs.
    enum Rprop {
        /// One group's Rprop constants (checked conversions of its options).
        struct Scalars {
            var maximize: Bool
            var etaPlus: Float
            var etaMinus: Float
            var stepSizeMin: Float
            var stepSizeMax: Float

            /// `-1` with `maximize` (`-grad`), else `1`.
            var sign: Float { maximize ? -1 : 1 }
        }

        /// The factor of `sign = grad.mul(prev).sign()` after its three masked
        /// writes, in PyTorch's order: `etaplus` where positive, then
        /// `etaminus` where negative, then 1 where zero.
        @inline(__always)
        static func factor(_ s: Scalars, _ product: Float) -> Float {
            var factor = Element.sign(product)
            if factor > 0 { factor = s.etaPlus }
            if factor < 0 { factor = s.etaMinus }
            if factor == 0 { factor = 1 }
            return factor
        }

        /// Per element: the factor (``factor(_:_:)``) of `±grad * prev`;
        /// `step_size = clamp(step_size * factor, min, max)`; the gradient
        /// zeroed where the factor is `etaminus`; `p -= sign(g) * step_size`;
        /// `prev = g`.
        static func scalarLoop(
            _ s: Scalars, _ p: UnsafeMutableBufferPointer<Float>, _ g: UnsafeBufferPointer<Float>,
            _ prev: UnsafeMutableBufferPointer<Float>, _ size: UnsafeMutableBufferPointer<Float>
        ) {
            let sign = s.sign
            for i in 0..<p.count {
                var gi = g[i] * sign
                let f = factor(s, gi * prev[i])
                size[i] = Element.clamp(size[i] * f, s.stepSizeMin, s.stepSizeMax)
                if f == s.etaMinus { gi = 0 }
                p[i] = p[i].addingProduct(-Element.sign(gi), size[i])
                prev[i] = gi
            }
        }

        /// The pass over one parameter: in C on every thread where it runs
        /// (``Kernels/elementwiseRunsInC``), else ``scalarLoop(_:_:_:_:_:)``;
        /// `inC` chooses (the tests run both and compare them).
        static func run(
            _ s: Scalars, _ p: UnsafeMutableBufferPointer<Float>, _ g: UnsafeBufferPointer<Float>,
            _ prev: UnsafeMutableBufferPointer<Float>, _ size: UnsafeMutableBufferPointer<Float>,
            inC: Bool = elementwiseRunsInC
        ) {
            guard inC, let param = p.baseAddress, let grad = g.baseAddress, let previous = prev.baseAddress,
                let stepSize = size.baseAddress
            else { return scalarLoop(s, p, g, prev, size) }
            let scalars = anneal_rprop_scalars(
                sign: s.sign, etaPlus: s.etaPlus, etaMinus: s.etaMinus, stepSizeMin: s.stepSizeMin,
                stepSizeMax: s.stepSizeMax)
            let loop = CFunctionLoop(streamsUsed: 0b1111) { streams, offset, count in
                withUnsafePointer(to: scalars) { scalars in
                    anneal_rprop_update(
                        scalars, streams.s0 + offset, streams.s1 + offset, streams.s2 + offset, streams.s3 + offset, count)
                }
            }
            runLoop(loop, Streams(param, grad, previous, stepSize), count: p.count)
        }
    }
}
