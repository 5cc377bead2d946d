import COptimSupport

extension Kernels {
    /// `_single_tensor_sgd`'s loop: its scalars, its vector kernel, and `run`.
    enum SGD {
        /// One group's SGD hyperparameters, as the loop uses them.
        struct Scalars {
            /// `Float(-lr)`: `param.add_(grad, alpha=-lr)`.
            var negativeLR: Float
            /// `Float(weight_decay)`: `grad.add(param, alpha=weight_decay)`; `nil` when 0.
            var weightDecay: Float?
            /// `Float(momentum)`; `nil` when `momentum == 0`.
            var momentum: Float?
            /// `Float(1 - dampening)`: `buf.mul_(momentum).add_(grad, alpha=1 - dampening)`.
            var oneMinusDampening: Float
            var nesterov: Bool
            var maximize: Bool

            /// `-1` with `maximize` (`-grad`), else `1`.
            var sign: Float { maximize ? -1 : 1 }
        }

        /// `_single_tensor_sgd` for one vector, in Swift. `Initialize`: the
        /// first step with momentum (`buf = grad.clone()`).
        struct Vector<WeightDecay: Flag, Momentum: Flag, Initialize: Flag>: VectorKernel {
            let s: Scalars

            var streamsUsed: Int { Momentum.isOn ? 0b111 : 0b11 }
            var elementsPerUpdate: Int { blockSize }

            @inline(__always)
            func update(_ streams: Streams, at offset: Int, count: Int, scratch: UnsafeMutablePointer<UInt32>) {
                let momentum = Lanes(repeating: s.momentum ?? 0)
                let nesterov = SIMDMask<Int32Lanes>(repeating: s.nesterov)
                for i in stride(from: offset, to: offset &+ count, by: laneCount) {
                    let p = load(streams.s0, i)
                    var g = load(streams.s1, i) * Lanes(repeating: s.sign)  // -g is exactly g * -1
                    if WeightDecay.isOn { g = fusedMultiplyAdd(g, p, Lanes(repeating: s.weightDecay ?? 0)) }
                    if Momentum.isOn {
                        var b = g
                        if !Initialize.isOn {
                            b = fusedMultiplyAdd(load(streams.s2, i) * momentum, g, Lanes(repeating: s.oneMinusDampening))
                        }
                        store(b, streams.s2, i)
                        // Nesterov: grad.add(buf, alpha=momentum); otherwise grad = buf.
                        g = b.replacing(with: fusedMultiplyAdd(g, b, momentum), where: nesterov)
                    }
                    store(fusedMultiplyAdd(p, g, Lanes(repeating: s.negativeLR)), streams.s0, i)
                }
            }
        }

        /// The same update in C (``anneal_sgd_update``), one call per
        /// thread's share.
        struct CLoop: VectorKernel {
            let scalars: anneal_sgd_scalars
            let streamsUsed: Int

            init(_ s: Scalars, hasBuffer: Bool, initializeBuffer: Bool) {
                precondition(runsInC, "SGD's C loop needs AVX2 and FMA")
                scalars = anneal_sgd_scalars(
                    sign: s.sign, weightDecay: s.weightDecay ?? 0, momentum: s.momentum ?? 0,
                    oneMinusDampening: s.oneMinusDampening, negativeLR: s.negativeLR,
                    hasWeightDecay: s.weightDecay != nil ? 1 : 0, initialize: hasBuffer && initializeBuffer ? 1 : 0,
                    nesterov: s.nesterov ? 1 : 0)
                streamsUsed = hasBuffer ? 0b111 : 0b11
            }

            var elementsPerUpdate: Int { .max }

            func update(_ streams: Streams, at offset: Int, count: Int, scratch: UnsafeMutablePointer<UInt32>) {
                withUnsafePointer(to: scalars) { scalars in
                    anneal_sgd_update(
                        scalars, streams.s0 + offset, streams.s1 + offset,
                        streamsUsed & 0b100 != 0 ? streams.s2 + offset : nil, count)
                }
            }
        }

        /// Whether SGD's loop runs in C (`Sources/COptimSupport/sgd_kernel.c`):
        /// on x86-64 CPUs with AVX2 and FMA, in every build (a build for plain
        /// x86-64 has no FMA instructions of its own), with the same arithmetic as
        /// the Swift loop, which runs everywhere else.
        static let runsInC = anneal_sgd_kernel_available() != 0

        /// `_single_tensor_sgd` for one parameter; `buffer` is the momentum
        /// buffer when momentum is on, `initializeBuffer` on its first step.
        /// `inC` chooses the loop (the tests run both and compare them).
        static func run(
            _ s: Scalars, count: Int, param: UnsafeMutablePointer<Float>, grad: UnsafePointer<Float>,
            buffer: UnsafeMutablePointer<Float>?, initializeBuffer: Bool, inC: Bool = runsInC
        ) {
            let streams = Streams(param, grad, buffer)
            if inC {
                return runLoop(
                    CLoop(s, hasBuffer: buffer != nil, initializeBuffer: initializeBuffer), streams, count: count)
            }
            switch (s.weightDecay != nil, buffer != nil, initializeBuffer) {
            case (false, false, _): runLoop(Vector<Off, Off, Off>(s: s), streams, count: count)
            case (true, false, _): runLoop(Vector<On, Off, Off>(s: s), streams, count: count)
            case (false, true, false): runLoop(Vector<Off, On, Off>(s: s), streams, count: count)
            case (true, true, false): runLoop(Vector<On, On, Off>(s: s), streams, count: count)
            case (false, true, true): runLoop(Vector<Off, On, On>(s: s), streams, count: count)
            case (true, true, true): runLoop(Vector<On, On, On>(s: s), streams, count: count)
            }
        }
    }
}
