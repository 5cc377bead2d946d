import COptimSupport

extension Kernels {
    /// `_single_tensor_adadelta`'s loop: its scalars, the C loop, the scalar
    /// loop (the reference, and the fallback), and `run`.
    enum Adadelta {
        /// One group's Adadelta constants.
        struct Scalars {
            var maximize: Bool
            /// `Float(weight_decay)`: `grad.add(param, alpha=weight_decay)`; `nil` when 0.
            var weightDecay: Float?
            /// `Float(rho)`, `Float(1 - rho)`: `x.mul_(rho).addcmul_(y, y, value=1 - rho)`.
            var rho: Float
            var oneMinusRho: Float
            /// `Float(eps)`: `square_avg.add(eps)`, `acc_delta.add(eps)`.
            var eps: Float
            /// `Float(-lr)`: `param.add_(delta, alpha=-lr)`.
            var negativeLR: Float

            /// `-1` with `maximize` (`-grad`), else `1`.
            var sign: Float { maximize ? -1 : 1 }
        }

        /// `_single_tensor_adadelta` for one parameter, element by element:
        /// `g = ±grad + weight_decay * p`; `sq = fma((1 - rho) * g, g, sq * rho)`;
        /// `delta = sqrt(acc + eps) / sqrt(sq + eps) * g` (MKL's `sqrt`);
        /// `acc = fma((1 - rho) * delta, delta, acc * rho)`; `p = fma(delta, -lr, p)`.
        static func scalarLoop(
            _ s: Scalars, count: Int, param: UnsafeMutablePointer<Float>, grad: UnsafePointer<Float>,
            squareAvg: UnsafeMutablePointer<Float>, accDelta: UnsafeMutablePointer<Float>
        ) {
            let sign = s.sign, decay = s.weightDecay ?? 0, hasWeightDecay = s.weightDecay != nil
            for i in 0..<count {
                var g = grad[i] * sign
                if hasWeightDecay { g = g.addingProduct(param[i], decay) }
                squareAvg[i] = (squareAvg[i] * s.rho).addingProduct(s.oneMinusRho * g, g)
                let std = Kernels.Element.sqrt(squareAvg[i] + s.eps)
                var delta = Kernels.Element.sqrt(accDelta[i] + s.eps)
                delta = delta / std * g
                accDelta[i] = (accDelta[i] * s.rho).addingProduct(s.oneMinusRho * delta, delta)
                param[i] = param[i].addingProduct(delta, s.negativeLR)
            }
        }

        /// The same update in C (``anneal_adadelta_update``), one call per
        /// thread's share.
        struct CLoop: VectorKernel {
            let scalars: anneal_adadelta_scalars

            init(_ s: Scalars) {
                precondition(runsInC, "Adadelta's C loop needs AVX2 or AVX-512 and the CPU's rsqrtps to match the table")
                scalars = anneal_adadelta_scalars(
                    sign: s.sign, weightDecay: s.weightDecay ?? 0, rho: s.rho, oneMinusRho: s.oneMinusRho, eps: s.eps,
                    negativeLR: s.negativeLR, hasWeightDecay: s.weightDecay != nil ? 1 : 0)
            }

            var streamsUsed: Int { 0b1111 }
            var elementsPerUpdate: Int { .max }

            func update(_ streams: Streams, at offset: Int, count: Int, scratch: UnsafeMutablePointer<UInt32>) {
                withUnsafePointer(to: scalars) { scalars in
                    anneal_adadelta_update(
                        scalars, streams.s0 + offset, streams.s1 + offset, streams.s2 + offset, streams.s3 + offset, count)
                }
            }
        }

        /// Whether Adadelta's loop runs in C (`Sources/COptimSupport/adadelta_kernel.c`):
        /// where Adam's does (``Adam/runsInC``), one pass with the CPU's
        /// `rsqrtps` inline, in every build; ``scalarLoop`` runs everywhere else.
        static let runsInC = MKLSqrt.cpuEstimatesScaleExactly && anneal_adadelta_kernel_available() != 0

        /// `_single_tensor_adadelta` for one parameter; `inC` chooses the loop
        /// (the tests run both and compare them).
        static func run(
            _ s: Scalars, count: Int, param: UnsafeMutablePointer<Float>, grad: UnsafePointer<Float>,
            squareAvg: UnsafeMutablePointer<Float>, accDelta: UnsafeMutablePointer<Float>, inC: Bool = runsInC
        ) {
            if inC { return runLoop(CLoop(s), Streams(param, grad, squareAvg, accDelta), count: count) }
            scalarLoop(s, count: count, param: param, grad: grad, squareAvg: squareAvg, accDelta: accDelta)
        }
    }
}
