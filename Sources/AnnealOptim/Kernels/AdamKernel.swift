import COptimSupport

extension Kernels {
    /// `_single_tensor_adam`'s loop (Adam and AdamW): its scalars, its vector kernel, and `run`.
    enum Adam {
        /// One group's Adam/AdamW hyperparameters for one step count.
        struct Scalars {
            var maximize: Bool
            /// `Float(weight_decay)` for Adam's `grad.add(param, alpha=weight_decay)`; `nil` when 0 or decoupled.
            var coupledWeightDecay: Float?
            /// `Float(1 - lr * weight_decay)` for AdamW's `param.mul_(...)`; `nil` when 0 or coupled.
            var decoupledDecay: Float?
            /// `exp_avg.lerp_(grad, 1 - beta1)`.
            var lerp: Lerp
            /// `Float(beta2)`, `Float(1 - beta2)`: `exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)`.
            var beta2: Float
            var oneMinusBeta2: Float
            /// `Float(bias_correction2 ** 0.5)`: `(exp_avg_sq.sqrt() / bias_correction2_sqrt).add_(eps)`.
            var biasCorrection2Sqrt: Float
            var eps: Float
            /// `Float(-step_size)`: `param.addcdiv_(exp_avg, denom, value=-step_size)`.
            var negativeStepSize: Float

            /// `-1` with `maximize` (`-grad`), else `1`.
            var sign: Float { maximize ? -1 : 1 }
        }

        /// `_single_tensor_adam` (not capturable) for one vector, in Swift.
        struct Vector<CoupledWeightDecay: Flag, AMSGrad: Flag>: VectorKernel {
            let s: Scalars
            let table: UnsafePointer<UInt32>

            var streamsUsed: Int { AMSGrad.isOn ? 0b11111 : 0b1111 }
            var elementsPerUpdate: Int { blockSize }

            /// Three passes over the block (in L1 after the first): the moments;
            /// the `rsqrtps` estimates of the square root's argument
            /// (``MKLSqrt/lookUpEstimates(_:count:table:into:usingCPU:)``: the
            /// CPU's own `rsqrtps` where it gives the table's values, else a lookup
            /// per element); the parameters, prefetching the next blocks. Separate
            /// passes keep the long dependent chain of the last (square root, two
            /// divisions) apart from the loads and lookups (one fused pass measured
            /// slower). `-g` is exactly `g * -1`, and `p * 1` exactly `p` (Adam's
            /// decay when decoupled decay is off).
            @inline(__always)
            func update(_ streams: Streams, at offset: Int, count: Int, scratch: UnsafeMutablePointer<UInt32>) {
                let end = offset &+ count
                let decay = Lanes(repeating: s.decoupledDecay ?? 1)
                for i in stride(from: offset, to: end, by: laneCount) {
                    let p = load(streams.s0, i) * decay
                    var g = load(streams.s1, i) * Lanes(repeating: s.sign)
                    if CoupledWeightDecay.isOn { g = fusedMultiplyAdd(g, p, Lanes(repeating: s.coupledWeightDecay ?? 0)) }
                    store(s.lerp(load(streams.s2, i), g), streams.s2, i)
                    let v = fusedMultiplyAdd(
                        load(streams.s3, i) * Lanes(repeating: s.beta2), Lanes(repeating: s.oneMinusBeta2) * g, g)
                    store(v, streams.s3, i)
                    if AMSGrad.isOn {
                        // torch.maximum(max_exp_avg_sq, exp_avg_sq): NaN when either is.
                        let old = load(streams.s4, i)
                        store(old.replacing(with: v, where: (v .> old) .| (v .!= v)), streams.s4, i)
                    }
                }
                let moment = AMSGrad.isOn ? streams.s4 : streams.s3
                let rare = MKLSqrt.lookUpEstimates(moment + offset, count: count, table: table, into: scratch)
                prefetchAhead(streams, from: offset, to: end, streamsUsed: streamsUsed)
                for i in stride(from: offset, to: end, by: laneCount) {
                    let p = load(streams.s0, i) * decay
                    let m = load(streams.s2, i)
                    let estimates = UnsafeRawPointer(scratch + (i &- offset)).loadUnaligned(as: UInt32Lanes.self)
                    let root = MKLSqrt.sqrt(load(moment, i), estimates: estimates, mayBeRare: rare)
                    let denominator = root / Lanes(repeating: s.biasCorrection2Sqrt) + Lanes(repeating: s.eps)
                    store(p + (Lanes(repeating: s.negativeStepSize) * m) / denominator, streams.s0, i)
                }
            }
        }

        /// The same update in C (``anneal_adam_update``), one call per
        /// thread's share (it needs no scratch; a call per block cost 2% of a step).
        struct CLoop: VectorKernel {
            let scalars: anneal_adam_scalars
            let streamsUsed: Int

            init(_ s: Scalars, amsgrad: Bool) {
                precondition(runsInC, "Adam's C loop needs AVX2 or AVX-512 and the CPU's rsqrtps to match the table")
                scalars = anneal_adam_scalars(
                    sign: s.sign, coupledWeightDecay: s.coupledWeightDecay ?? 0, decay: s.decoupledDecay ?? 1,
                    lerpCoefficient: s.lerp.coefficient[0], beta2: s.beta2, oneMinusBeta2: s.oneMinusBeta2,
                    biasCorrection2Sqrt: s.biasCorrection2Sqrt, eps: s.eps, negativeStepSize: s.negativeStepSize,
                    lerpFromEnd: s.lerp.fromEnd[0] ? 1 : 0, coupled: s.coupledWeightDecay != nil ? 1 : 0)
                streamsUsed = amsgrad ? 0b11111 : 0b1111
            }

            var elementsPerUpdate: Int { .max }

            func update(_ streams: Streams, at offset: Int, count: Int, scratch: UnsafeMutablePointer<UInt32>) {
                withUnsafePointer(to: scalars) { scalars in
                    anneal_adam_update(
                        scalars, streams.s0 + offset, streams.s1 + offset, streams.s2 + offset, streams.s3 + offset,
                        streamsUsed & 0b10000 != 0 ? streams.s4 + offset : nil, count)
                }
            }
        }

        /// Whether Adam's loop runs in C (`Sources/COptimSupport/adam_kernel.c`):
        /// on x86-64 CPUs with AVX-512, or AVX2 and FMA, whose `rsqrtps` gives the
        /// table's estimates at every exponent (``MKLSqrt/cpuEstimatesScaleExactly``).
        /// There one pass does it all, with the CPU's `rsqrtps` of each `x` inline
        /// (as MKL itself takes it, no reduction to [1, 4); Swift cannot inline
        /// it), in every build, with the same arithmetic as the Swift loop below,
        /// which runs everywhere else.
        static let runsInC = MKLSqrt.cpuEstimatesScaleExactly && anneal_adam_kernel_available() != 0

        /// `inC` chooses the loop (the tests run both and compare them).
        static func run(
            _ s: Scalars, count: Int, param: UnsafeMutablePointer<Float>, grad: UnsafePointer<Float>,
            expAvg: UnsafeMutablePointer<Float>, expAvgSq: UnsafeMutablePointer<Float>,
            maxExpAvgSq: UnsafeMutablePointer<Float>?, inC: Bool = runsInC
        ) {
            let streams = Streams(param, grad, expAvg, expAvgSq, maxExpAvgSq)
            if inC { return runLoop(CLoop(s, amsgrad: maxExpAvgSq != nil), streams, count: count) }
            MKLSqrt.rsqrtTable.withUnsafeBufferPointer { table in
                let table = table.baseAddress!
                switch (s.coupledWeightDecay != nil, maxExpAvgSq != nil) {
                case (false, false): runLoop(Vector<Off, Off>(s: s, table: table), streams, count: count)
                case (true, false): runLoop(Vector<On, Off>(s: s, table: table), streams, count: count)
                case (false, true): runLoop(Vector<Off, On>(s: s, table: table), streams, count: count)
                case (true, true): runLoop(Vector<On, On>(s: s, table: table), streams, count: count)
                }
            }
        }
    }
}
