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
        }

        /// `_single_tensor_sgd` for one vector. `Initialize`: the first step with
        /// momentum (`buf = grad.clone()`).
        struct Vector<WeightDecay: Flag, Momentum: Flag, Initialize: Flag>: VectorKernel {
            let sign: Lanes
            let weightDecay: Lanes
            let momentum: Lanes
            let oneMinusDampening: Lanes
            let nesterov: SIMDMask<Int32Lanes>
            let negativeLR: Lanes

            /// The same constants for the C loop (``anneal_sgd_update``), used
            /// when `inC` (by default where ``runsInC``).
            let cScalars: anneal_sgd_scalars
            let inC: Bool

            init(_ s: Scalars, inC: Bool) {
                precondition(!inC || runsInC, "SGD's C loop needs AVX2 and FMA")
                self.inC = inC
                cScalars = anneal_sgd_scalars(
                    sign: s.maximize ? -1 : 1, weightDecay: s.weightDecay ?? 0, momentum: s.momentum ?? 0,
                    oneMinusDampening: s.oneMinusDampening, negativeLR: s.negativeLR, hasWeightDecay: WeightDecay.isOn ? 1 : 0,
                    initialize: Initialize.isOn ? 1 : 0, nesterov: s.nesterov ? 1 : 0)
                sign = Lanes(repeating: s.maximize ? -1 : 1)  // -g is exactly g * -1
                weightDecay = Lanes(repeating: s.weightDecay ?? 0)
                momentum = Lanes(repeating: s.momentum ?? 0)
                oneMinusDampening = Lanes(repeating: s.oneMinusDampening)
                nesterov = SIMDMask(repeating: s.nesterov)
                negativeLR = Lanes(repeating: s.negativeLR)
            }

            var streamsUsed: Int { Momentum.isOn ? 0b111 : 0b11 }
            var elementsPerUpdate: Int { inC ? .max : blockSize }

            @inline(__always)
            func update(_ streams: Streams, at offset: Int, count: Int, scratch: UnsafeMutablePointer<UInt32>) {
                if inC {
                    withUnsafePointer(to: cScalars) { scalars in
                        anneal_sgd_update(scalars, streams.s0 + offset, streams.s1 + offset, Momentum.isOn ? streams.s2 + offset : nil, count)
                    }
                    return
                }
                for i in stride(from: offset, to: offset &+ count, by: laneCount) { update(streams, at: i) }
            }

            @inline(__always)
            func update(_ streams: Streams, at i: Int) {
                let p = load(streams.s0, i)
                var g = load(streams.s1, i) * sign
                if WeightDecay.isOn { g = fusedMultiplyAdd(g, p, weightDecay) }
                if Momentum.isOn {
                    var b = g
                    if !Initialize.isOn { b = fusedMultiplyAdd(load(streams.s2, i) * momentum, g, oneMinusDampening) }
                    store(b, streams.s2, i)
                    // Nesterov: grad.add(buf, alpha=momentum); otherwise grad = buf.
                    g = b.replacing(with: fusedMultiplyAdd(g, b, momentum), where: nesterov)
                }
                store(fusedMultiplyAdd(p, g, negativeLR), streams.s0, i)
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
            switch (s.weightDecay != nil, buffer != nil, initializeBuffer) {
            case (false, false, _): runLoop(Vector<Off, Off, Off>(s, inC: inC), streams, count: count)
            case (true, false, _): runLoop(Vector<On, Off, Off>(s, inC: inC), streams, count: count)
            case (false, true, false): runLoop(Vector<Off, On, Off>(s, inC: inC), streams, count: count)
            case (true, true, false): runLoop(Vector<On, On, Off>(s, inC: inC), streams, count: count)
            case (false, true, true): runLoop(Vector<Off, On, On>(s, inC: inC), streams, count: count)
            case (true, true, true): runLoop(Vector<On, On, On>(s, inC: inC), streams, count: count)
            }
        }
    }
}
