import COptimSupport

extension Kernels {
    /// `_single_tensor_nadam`'s elementwise pass: its scalars, the C loop, the
    /// scalar loop (the reference, and the fallback where C cannot run), and `run`.
    enum NAdam {
        /// One parameter's NAdam constants for one step (the Python-double math,
        /// `mu`, `mu_product` and the bias correction, done before).
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
            /// `Float(bias_correction2)`: `exp_avg_sq.div(bias_correction2).sqrt()`.
            var biasCorrection2: Float
            var eps: Float
            /// The two `param.addcdiv_` values: `Float(-lr * (1 - mu) / (1 - mu_product))`
            /// and `Float(-lr * mu_next / (1 - mu_product * mu_next))`.
            var gradValue: Float
            var expAvgValue: Float

            /// `-1` with `maximize` (`-grad`), else `1`.
            var sign: Float { maximize ? -1 : 1 }
        }

        /// The update in C (``anneal_nadam_update``), one call per thread's share.
        struct CLoop: VectorKernel {
            let scalars: anneal_nadam_scalars

            init(_ s: Scalars) {
                precondition(runsInC, "NAdam's C loop needs AVX2 or AVX-512 and the CPU's rsqrtps to match the table")
                let lerp = Lerp(weight: Double(s.lerpWeight))
                scalars = anneal_nadam_scalars(
                    sign: s.sign, coupledWeightDecay: s.coupledWeightDecay ?? 0, decay: s.decoupledDecay ?? 1,
                    lerpCoefficient: lerp.coefficient[0], beta2: s.beta2, oneMinusBeta2: s.oneMinusBeta2,
                    biasCorrection2: s.biasCorrection2, eps: s.eps, gradValue: s.gradValue, expAvgValue: s.expAvgValue,
                    lerpFromEnd: lerp.fromEnd[0] ? 1 : 0, coupled: s.coupledWeightDecay != nil ? 1 : 0)
            }

            var streamsUsed: Int { 0b1111 }
            var elementsPerUpdate: Int { .max }

            func update(_ streams: Streams, at offset: Int, count: Int, scratch: UnsafeMutablePointer<UInt32>) {
                withUnsafePointer(to: scalars) { scalars in
                    anneal_nadam_update(
                        scalars, streams.s0 + offset, streams.s1 + offset, streams.s2 + offset, streams.s3 + offset, count)
                }
            }
        }

        /// Whether NAdam's loop runs in C (`Sources/COptimSupport/nadam_kernel.c`):
        /// where Adam's does (``Adam/runsInC``), one pass with the CPU's
        /// `rsqrtps` inline, in every build; ``scalarLoop(_:count:param:grad:expAvg:expAvgSq:expAvgUpdate:)``
        /// runs everywhere else.
        static let runsInC = MKLSqrt.cpuEstimatesScaleExactly && anneal_nadam_kernel_available() != 0

        /// `_single_tensor_nadam`'s elementwise ops for one parameter, one
        /// element at a time: `g = ±grad`, the weight decay, `exp_avg.lerp_`,
        /// `exp_avg_sq.mul_(beta2).addcmul_`, `denom = sqrt(exp_avg_sq /
        /// bias_correction2) + eps` (MKL's square root) and both
        /// `param.addcdiv_`, the second only when `expAvgUpdate` (the failure
        /// path where its value cannot be converted).
        static func scalarLoop(
            _ s: Scalars, count: Int, param p: UnsafeMutablePointer<Float>, grad g: UnsafePointer<Float>,
            expAvg m: UnsafeMutablePointer<Float>, expAvgSq v: UnsafeMutablePointer<Float>, expAvgUpdate: Bool = true
        ) {
            let sign = s.sign
            for i in 0..<count {
                var gi = g[i] * sign
                if let decay = s.decoupledDecay { p[i] = p[i] * decay }
                if let coupled = s.coupledWeightDecay { gi = gi.addingProduct(p[i], coupled) }
                m[i] = Element.lerp(m[i], gi, weight: s.lerpWeight)
                v[i] = (v[i] * s.beta2).addingProduct(s.oneMinusBeta2 * gi, gi)
                let denom = Element.sqrt(v[i] / s.biasCorrection2) + s.eps
                p[i] = p[i] + (s.gradValue * gi) / denom
                if expAvgUpdate { p[i] = p[i] + (s.expAvgValue * m[i]) / denom }
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
