import COptimSupport

extension Kernels {
    /// `_single_tensor_adamax`'s elementwise pass: its scalars, the Swift
    /// loop, and `run`, which takes the C loop where it runs.
    enum Adamax {
        /// One parameter's Adamax constants.
        struct Scalars {
            var maximize: Bool
            /// `Float(weight_decay)`: `grad.add(param, alpha=weight_decay)`; `nil` when 0.
            var weightDecay: Float?
            /// `Float(1 - beta1)`: `exp_avg.lerp_(grad, 1 - beta1)`.
            var lerpWeight: Float
            var beta2: Float
            var eps: Float
            /// `Float(-clr)`: `param.addcdiv_(exp_avg, exp_inf, value=-clr)`.
            var negativeCLR: Float

            /// `-1` with `maximize` (`-grad`), else `1`.
            var sign: Float { maximize ? -1 : 1 }
        }

        /// Per element: `g = ±grad + weight_decay * p`; `m = lerp(m, g, 1 - beta1)`;
        /// `u = maximum(u * beta2, |g| + eps)`; `p += -clr * m / u`.
        static func scalarLoop(
            _ s: Scalars, _ p: UnsafeMutableBufferPointer<Float>, _ g: UnsafeBufferPointer<Float>,
            _ m: UnsafeMutableBufferPointer<Float>, _ u: UnsafeMutableBufferPointer<Float>
        ) {
            let sign = s.sign, decay = s.weightDecay ?? 0
            for i in 0..<p.count {
                var gi = g[i] * sign
                if s.weightDecay != nil { gi = gi.addingProduct(p[i], decay) }
                m[i] = Element.lerp(m[i], gi, weight: s.lerpWeight)
                u[i] = Element.maximum(u[i] * s.beta2, abs(gi) + s.eps)
                p[i] = p[i] + (s.negativeCLR * m[i]) / u[i]
            }
        }

        /// The pass over one parameter: in C on every thread where it runs
        /// (``Kernels/elementwiseRunsInC``), else ``scalarLoop(_:_:_:_:_:)``;
        /// `inC` chooses (the tests run both and compare them).
        static func run(
            _ s: Scalars, _ p: UnsafeMutableBufferPointer<Float>, _ g: UnsafeBufferPointer<Float>,
            _ m: UnsafeMutableBufferPointer<Float>, _ u: UnsafeMutableBufferPointer<Float>,
            inC: Bool = elementwiseRunsInC
        ) {
            guard inC, let param = p.baseAddress, let grad = g.baseAddress, let expAvg = m.baseAddress,
                let expInf = u.baseAddress
            else { return scalarLoop(s, p, g, m, u) }
            let scalars = anneal_adamax_scalars(
                sign: s.sign, weightDecay: s.weightDecay ?? 0, lerpWeight: s.lerpWeight, beta2: s.beta2, eps: s.eps,
                negativeCLR: s.negativeCLR, hasWeightDecay: s.weightDecay != nil ? 1 : 0)
            let loop = CFunctionLoop(streamsUsed: 0b1111) { streams, offset, count in
                withUnsafePointer(to: scalars) { scalars in
                    anneal_adamax_update(
                        scalars, streams.s0 + offset, streams.s1 + offset, streams.s2 + offset, streams.s3 + offset, count)
                }
            }
            runLoop(loop, Streams(param, grad, expAvg, expInf), count: p.count)
        }
    }
}
