import COptimSupport

extension Kernels {
    /// `_single_tensor_asgd`'s elementwise pass: its scalars, the Swift
    /// loop, and `run`, which takes the C loop where it runs.
    enum ASGD {
        /// One parameter's ASGD constants (`eta` and `mu` are its state's).
        struct Scalars {
            var maximize: Bool
            /// `Float(weight_decay)`: `grad.add(param, alpha=weight_decay)`; `nil` when 0.
            var weightDecay: Float?
            /// `Float(1 - lambd * eta)`: `param.mul_(1 - lambd * eta.item())`.
            var shrink: Float
            /// `Float(-eta)`: `param.add_(grad, alpha=-eta.item())`.
            var negativeEta: Float
            /// `mu`: `ax.add_(param.sub(ax).mul_(mu))`, or `ax.copy_(param)` when 1.
            var mu: Float

            /// `-1` with `maximize` (`-grad`), else `1`.
            var sign: Float { maximize ? -1 : 1 }
        }

        /// Per element: `g = ±grad + weight_decay * p`; `p = p * shrink - eta * g`;
        /// `ax += (p - ax) * mu` (`ax = p` when `mu` is 1).
        static func scalarLoop(
            _ s: Scalars, _ p: UnsafeMutableBufferPointer<Float>, _ g: UnsafeBufferPointer<Float>,
            _ ax: UnsafeMutableBufferPointer<Float>
        ) {
            let sign = s.sign, decay = s.weightDecay ?? 0, mu = s.mu
            for i in 0..<p.count {
                var gi = g[i] * sign
                if s.weightDecay != nil { gi = gi.addingProduct(p[i], decay) }
                p[i] = (p[i] * s.shrink).addingProduct(gi, s.negativeEta)
                ax[i] = mu != 1 ? ax[i] + (p[i] - ax[i]) * mu : p[i]
            }
        }

        /// The pass over one parameter: in C on every thread where it runs
        /// (``Kernels/elementwiseRunsInC``), else ``scalarLoop(_:_:_:_:)``;
        /// `inC` chooses (the tests run both and compare them).
        static func run(
            _ s: Scalars, _ p: UnsafeMutableBufferPointer<Float>, _ g: UnsafeBufferPointer<Float>,
            _ ax: UnsafeMutableBufferPointer<Float>, inC: Bool = elementwiseRunsInC
        ) {
            guard inC, let param = p.baseAddress, let grad = g.baseAddress, let average = ax.baseAddress else {
                return scalarLoop(s, p, g, ax)
            }
            let scalars = anneal_asgd_scalars(
                sign: s.sign, weightDecay: s.weightDecay ?? 0, shrink: s.shrink, negativeEta: s.negativeEta, mu: s.mu,
                hasWeightDecay: s.weightDecay != nil ? 1 : 0)
            // ax is written either way; it is read only when mu is not 1.
            let loop = CFunctionLoop(streamsUsed: 0b111) { streams, offset, count in
                withUnsafePointer(to: scalars) { scalars in
                    anneal_asgd_update(scalars, streams.s0 + offset, streams.s1 + offset, streams.s2 + offset, count)
                }
            }
            runLoop(loop, Streams(param, grad, average), count: p.count)
        }
    }
}
