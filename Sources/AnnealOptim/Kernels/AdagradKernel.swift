import COptimSupport

extension Kernels {
    /// `_single_tensor_adagrad`'s loop: its scalars, the C loop, the scalar
    /// loop (the reference, and the fallback), and `run`.
    enum Adagrad {
        /// One parameter's Adagrad constants (`clr` depends on its step).
        struct Scalars {
            var maximize: Bool
            /// `Float(weight_decay)`: `grad.add(param, alpha=weight_decay)`; `nil` when 0.
            var weightDecay: Float?
            /// `Float(eps)`: `std = state_sum.sqrt().add_(eps)`.
            var eps: Float
            /// `Float(-clr)`, `clr = lr / (1 + (step - 1) * lr_decay)`:
            /// `param.addcdiv_(grad, std, value=-clr)`.
            var negativeCLR: Float

            /// `-1` with `maximize` (`-grad`), else `1`.
            var sign: Float { maximize ? -1 : 1 }
        }

        /// `_single_tensor_adagrad` for one parameter, element by element:
        /// `g = ±grad + weight_decay * p`; `sum = fma(g, g, sum)`;
        /// `p = p + (-clr * g) / (sqrt(sum) + eps)` (MKL's `sqrt`).
        static func scalarLoop(
            _ s: Scalars, count: Int, param: UnsafeMutablePointer<Float>, grad: UnsafePointer<Float>,
            sum: UnsafeMutablePointer<Float>
        ) {
            let sign = s.sign, decay = s.weightDecay ?? 0, hasWeightDecay = s.weightDecay != nil
            for i in 0..<count {
                var g = grad[i] * sign
                if hasWeightDecay { g = g.addingProduct(param[i], decay) }
                sum[i] = sum[i].addingProduct(g, g)
                let std = Kernels.Element.sqrt(sum[i]) + s.eps
                param[i] = param[i] + (s.negativeCLR * g) / std
            }
        }

        /// The same update in C (``anneal_adagrad_update``), one call per
        /// thread's share.
        struct CLoop: VectorKernel {
            let scalars: anneal_adagrad_scalars

            init(_ s: Scalars) {
                precondition(runsInC, "Adagrad's C loop needs AVX2 or AVX-512 and the CPU's rsqrtps to match the table")
                scalars = anneal_adagrad_scalars(
                    sign: s.sign, weightDecay: s.weightDecay ?? 0, eps: s.eps, negativeCLR: s.negativeCLR,
                    hasWeightDecay: s.weightDecay != nil ? 1 : 0)
            }

            var streamsUsed: Int { 0b111 }
            var elementsPerUpdate: Int { .max }

            func update(_ streams: Streams, at offset: Int, count: Int, scratch: UnsafeMutablePointer<UInt32>) {
                withUnsafePointer(to: scalars) { scalars in
                    anneal_adagrad_update(scalars, streams.s0 + offset, streams.s1 + offset, streams.s2 + offset, count)
                }
            }
        }

        /// Whether Adagrad's loop runs in C (`Sources/COptimSupport/adagrad_kernel.c`):
        /// where Adam's does (``Adam/runsInC``), one pass with the CPU's
        /// `rsqrtps` inline, in every build; ``scalarLoop`` runs everywhere else.
        static let runsInC = MKLSqrt.cpuEstimatesScaleExactly && anneal_adagrad_kernel_available() != 0

        /// `_single_tensor_adagrad` for one parameter; `inC` chooses the loop
        /// (the tests run both and compare them).
        static func run(
            _ s: Scalars, count: Int, param: UnsafeMutablePointer<Float>, grad: UnsafePointer<Float>,
            sum: UnsafeMutablePointer<Float>, inC: Bool = runsInC
        ) {
            if inC { return runLoop(CLoop(s), Streams(param, grad, sum), count: count) }
            scalarLoop(s, count: count, param: param, grad: grad, sum: sum)
        }
    }
}
