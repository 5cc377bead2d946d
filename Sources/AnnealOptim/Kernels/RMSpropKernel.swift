import COptimSupport

extension Kernels {
    /// `_single_tensor_rmsprop`'s loop: its scalars, its vector kernel, and `run`.
    enum RMSprop {
        /// One group's RMSprop hyperparameters.
        struct Scalars {
            var maximize: Bool
            /// `Float(weight_decay)`: `grad.add(param, alpha=weight_decay)`; `nil` when 0.
            var weightDecay: Float?
            /// `Float(alpha)`, `Float(1 - alpha)`: `square_avg.mul_(alpha).addcmul_(grad, grad, value=1 - alpha)`.
            var alpha: Float
            var oneMinusAlpha: Float
            /// `grad_avg.lerp_(grad, 1 - alpha)` (centered).
            var lerp: Lerp
            var eps: Float
            /// `Float(momentum)` when `momentum > 0`.
            var momentum: Float?
            /// `Float(-lr)`.
            var negativeLR: Float

            /// `-1` with `maximize` (`-grad`), else `1`.
            var sign: Float { maximize ? -1 : 1 }
        }

        /// `_single_tensor_rmsprop` for one vector.
        struct Vector<WeightDecay: Flag, Centered: Flag, Momentum: Flag>: VectorKernel {
            let s: Scalars
            let table: UnsafePointer<UInt32>

            var streamsUsed: Int { 0b111 | (Centered.isOn ? 0b1000 : 0) | (Momentum.isOn ? 0b10000 : 0) }
            var elementsPerUpdate: Int { blockSize }

            /// Three passes over the block, as ``Adam/Vector``'s; the square root's
            /// argument (`square_avg`, or `square_avg - grad_avg^2` when centered)
            /// goes through `scratch`'s second half.
            @inline(__always)
            func update(_ streams: Streams, at offset: Int, count: Int, scratch: UnsafeMutablePointer<UInt32>) {
                let end = offset &+ count
                let arguments = UnsafeMutableRawPointer(scratch + blockSize / 2).assumingMemoryBound(to: Float.self)
                var start = offset
                // The argument needs its own half of the scratch: half blocks.
                while start < end {
                    let stop = min(start &+ blockSize / 2, end)
                    for i in stride(from: start, to: stop, by: laneCount) {
                        let p = load(streams.s0, i)
                        var g = load(streams.s1, i) * Lanes(repeating: s.sign)
                        if WeightDecay.isOn { g = fusedMultiplyAdd(g, p, Lanes(repeating: s.weightDecay ?? 0)) }
                        let squareAverage = fusedMultiplyAdd(load(streams.s2, i) * Lanes(repeating: s.alpha), Lanes(repeating: s.oneMinusAlpha) * g, g)
                        store(squareAverage, streams.s2, i)
                        var argument = squareAverage
                        if Centered.isOn {
                            let gradAverage = s.lerp(load(streams.s3, i), g)
                            store(gradAverage, streams.s3, i)
                            // square_avg.addcmul(grad_avg, grad_avg, value=-1)
                            argument = fusedMultiplyAdd(squareAverage, -gradAverage, gradAverage)
                        }
                        store(argument, arguments, i &- start)
                    }
                    let rare = MKLSqrt.lookUpEstimates(arguments, count: stop &- start, table: table, into: scratch)
                    prefetchAhead(streams, from: start, to: stop, streamsUsed: streamsUsed)
                    for i in stride(from: start, to: stop, by: laneCount) {
                        let p = load(streams.s0, i)
                        var g = load(streams.s1, i) * Lanes(repeating: s.sign)
                        if WeightDecay.isOn { g = fusedMultiplyAdd(g, p, Lanes(repeating: s.weightDecay ?? 0)) }
                        let estimates = UnsafeRawPointer(scratch + (i &- start)).loadUnaligned(as: UInt32Lanes.self)
                        let average = MKLSqrt.sqrt(load(arguments, i &- start), estimates: estimates, mayBeRare: rare) + Lanes(repeating: s.eps)
                        if Momentum.isOn {
                            // buf.mul_(momentum).addcdiv_(grad, avg); param.add_(buf, alpha=-lr)
                            let b = load(streams.s4, i) * Lanes(repeating: s.momentum ?? 0) + g / average
                            store(b, streams.s4, i)
                            store(fusedMultiplyAdd(p, b, Lanes(repeating: s.negativeLR)), streams.s0, i)
                        } else {
                            // param.addcdiv_(grad, avg, value=-lr)
                            store(p + (Lanes(repeating: s.negativeLR) * g) / average, streams.s0, i)
                        }
                    }
                    start = stop
                }
            }
        }

        /// The same update in C (``anneal_rmsprop_update``), one call per
        /// thread's share.
        struct CLoop: VectorKernel {
            let scalars: anneal_rmsprop_scalars
            let streamsUsed: Int

            init(_ s: Scalars, centered: Bool, momentum: Bool) {
                precondition(runsInC, "RMSprop's C loop needs AVX2 or AVX-512 and the CPU's rsqrtps to match the table")
                scalars = anneal_rmsprop_scalars(
                    sign: s.sign, weightDecay: s.weightDecay ?? 0, alpha: s.alpha, oneMinusAlpha: s.oneMinusAlpha,
                    lerpCoefficient: s.lerp.coefficient[0], eps: s.eps, momentum: s.momentum ?? 0,
                    negativeLR: s.negativeLR, hasWeightDecay: s.weightDecay != nil ? 1 : 0,
                    lerpFromEnd: s.lerp.fromEnd[0] ? 1 : 0)
                streamsUsed = 0b111 | (centered ? 0b1000 : 0) | (momentum ? 0b10000 : 0)
            }

            var elementsPerUpdate: Int { .max }

            func update(_ streams: Streams, at offset: Int, count: Int, scratch: UnsafeMutablePointer<UInt32>) {
                withUnsafePointer(to: scalars) { scalars in
                    anneal_rmsprop_update(
                        scalars, streams.s0 + offset, streams.s1 + offset, streams.s2 + offset,
                        streamsUsed & 0b1000 != 0 ? streams.s3 + offset : nil,
                        streamsUsed & 0b10000 != 0 ? streams.s4 + offset : nil, count)
                }
            }
        }

        /// Whether RMSprop's loop runs in C (`Sources/COptimSupport/rmsprop_kernel.c`):
        /// where Adam's does (``Adam/runsInC``), one pass with the CPU's
        /// `rsqrtps` inline, in every build; the Swift loop runs everywhere else.
        static let runsInC = MKLSqrt.cpuEstimatesScaleExactly && anneal_rmsprop_kernel_available() != 0

        /// `_single_tensor_rmsprop` for one parameter; `inC` chooses the loop
        /// (the tests run both and compare them).
        static func run(
            _ s: Scalars, count: Int, param: UnsafeMutablePointer<Float>, grad: UnsafePointer<Float>,
            squareAvg: UnsafeMutablePointer<Float>, gradAvg: UnsafeMutablePointer<Float>?,
            momentumBuffer: UnsafeMutablePointer<Float>?, inC: Bool = runsInC
        ) {
            let streams = Streams(param, grad, squareAvg, gradAvg, momentumBuffer)
            if inC {
                return runLoop(
                    CLoop(s, centered: gradAvg != nil, momentum: momentumBuffer != nil), streams, count: count)
            }
            MKLSqrt.rsqrtTable.withUnsafeBufferPointer { table in
                let table = table.baseAddress!
                switch (s.weightDecay != nil, gradAvg != nil, momentumBuffer != nil) {
                case (false, false, false): runLoop(Vector<Off, Off, Off>(s: s, table: table), streams, count: count)
                case (true, false, false): runLoop(Vector<On, Off, Off>(s: s, table: table), streams, count: count)
                case (false, true, false): runLoop(Vector<Off, On, Off>(s: s, table: table), streams, count: count)
                case (true, true, false): runLoop(Vector<On, On, Off>(s: s, table: table), streams, count: count)
                case (false, false, true): runLoop(Vector<Off, Off, On>(s: s, table: table), streams, count: count)
                case (true, false, true): runLoop(Vector<On, Off, On>(s: s, table: table), streams, count: count)
                case (false, true, true): runLoop(Vector<Off, On, On>(s: s, table: table), streams, count: count)
                case (true, true, true): runLoop(Vector<On, On, On>(s: s, table: table), streams, count: count)
                }
            }
        }
    }
}
