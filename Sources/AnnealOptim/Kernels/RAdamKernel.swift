import COptimSupport

extension Kernels {
    /// `_single_tensor_radam`'s elementwise pass: its scalars, the C loop, the
    /// scalar loop (the reference, and the fallback where C cannot run), and `run`.
    enum RAdam {
        /// One parameter's RAdam constants for one step (the Python-double math,
        /// the bias corrections, `rho_t` and `rect`, done before).
        struct Scalars {
            var maximize: Bool
            /// `Float(weight_decay)` for `grad.add(param, alpha=weight_decay)`; `nil` when 0 or decoupled.
            var coupledWeightDecay: Float?
            /// `Float(1 - lr * weight_decay)` for the decoupled `param.mul_(...)`; `nil` when 0 or coupled.
            var decoupledDecay: Float?
            /// `Float(1 - beta1)`: `exp_avg.lerp_(grad, 1 - beta1)`.
            var lerpWeight: Float
            /// `Float(beta2)`, `Float(1 - beta2)`: `exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)`.
            var beta2: Float
            var oneMinusBeta2: Float
            /// `Float(bias_correction1)`, `Float(lr)`: `exp_avg / bias_correction1 * lr`.
            var biasCorrection1: Float
            var lr: Float
            var eps: Float
            /// When `rho_t > 5`: `Float(rect)` and `Float(bias_correction2 ** 0.5)`, the
            /// adaptive update `* ((1 / (sqrt(exp_avg_sq) + eps)) * bias_correction2 ** 0.5) * rect`.
            var rectification: (rect: Float, biasCorrection2Sqrt: Float)?

            /// `-1` with `maximize` (`-grad`), else `1`.
            var sign: Float { maximize ? -1 : 1 }
        }

        /// The update in C (``anneal_radam_update``), one call per thread's share.
        struct CLoop: VectorKernel {
            let scalars: anneal_radam_scalars

            init(_ s: Scalars) {
                precondition(runsInC, "RAdam's C loop needs AVX2 or AVX-512 and the CPU's rsqrtps to match the table")
                let lerp = Lerp(weight: Double(s.lerpWeight))
                scalars = anneal_radam_scalars(
                    sign: s.sign, coupledWeightDecay: s.coupledWeightDecay ?? 0, decay: s.decoupledDecay ?? 1,
                    lerpCoefficient: lerp.coefficient[0], beta2: s.beta2, oneMinusBeta2: s.oneMinusBeta2,
                    biasCorrection1: s.biasCorrection1, lr: s.lr, eps: s.eps,
                    biasCorrection2Sqrt: s.rectification?.biasCorrection2Sqrt ?? 1, rect: s.rectification?.rect ?? 1,
                    lerpFromEnd: lerp.fromEnd[0] ? 1 : 0, coupled: s.coupledWeightDecay != nil ? 1 : 0,
                    rectified: s.rectification != nil ? 1 : 0)
            }

            var streamsUsed: Int { 0b1111 }
            var elementsPerUpdate: Int { .max }

            func update(_ streams: Streams, at offset: Int, count: Int, scratch: UnsafeMutablePointer<UInt32>) {
                withUnsafePointer(to: scalars) { scalars in
                    anneal_radam_update(
                        scalars, streams.s0 + offset, streams.s1 + offset, streams.s2 + offset, streams.s3 + offset, count)
                }
            }
        }

        /// Whether RAdam's loop runs in C (`Sources/COptimSupport/radam_kernel.c`):
        /// where Adam's does (``Adam/runsInC``), one pass with the CPU's
        /// `rsqrtps` inline, in every build; ``scalarLoop(_:count:param:grad:expAvg:expAvgSq:)``
        /// runs everywhere else.
        static let runsInC = MKLSqrt.cpuEstimatesScaleExactly && anneal_radam_kernel_available() != 0

        /// `_single_tensor_radam`'s elementwise ops for one parameter, one
        /// element at a time: `g = ±grad`, the weight decay, `exp_avg.lerp_`,
        /// `exp_avg_sq.mul_(beta2).addcmul_`, then `param.add_(exp_avg /
        /// bias_correction1 * lr [* adaptive_lr * rect], alpha=-1.0)` with
        /// MKL's square root in `adaptive_lr`.
        static func scalarLoop(
            _ s: Scalars, count: Int, param p: UnsafeMutablePointer<Float>, grad g: UnsafePointer<Float>,
            expAvg m: UnsafeMutablePointer<Float>, expAvgSq v: UnsafeMutablePointer<Float>
        ) {
            let sign = s.sign
            for i in 0..<count {
                var gi = g[i] * sign
                if let decay = s.decoupledDecay { p[i] = p[i] * decay }
                if let coupled = s.coupledWeightDecay { gi = gi.addingProduct(p[i], coupled) }
                m[i] = Element.lerp(m[i], gi, weight: s.lerpWeight)
                v[i] = (v[i] * s.beta2).addingProduct(s.oneMinusBeta2 * gi, gi)
                var update = m[i] / s.biasCorrection1 * s.lr
                if let rectified = s.rectification {
                    let adaptive = (1 / (Element.sqrt(v[i]) + s.eps)) * rectified.biasCorrection2Sqrt
                    update = update * adaptive * rectified.rect
                }
                p[i] = p[i] - update
            }
        }

        /// The whole elementwise pass for one parameter; `inC` chooses the loop
        /// (the tests run both and compare them).
        static func run(
            _ s: Scalars, count: Int, param: UnsafeMutablePointer<Float>, grad: UnsafePointer<Float>,
            expAvg: UnsafeMutablePointer<Float>, expAvgSq: UnsafeMutablePointer<Float>, inC: Bool = runsInC
        ) {
            if inC { return runLoop(CLoop(s), Streams(param, grad, expAvg, expAvgSq), count: count) }
            scalarLoop(s, count: count, param: param, grad: grad, expAvg: expAvg, expAvgSq: expAvgSq)
        }
    }
}
