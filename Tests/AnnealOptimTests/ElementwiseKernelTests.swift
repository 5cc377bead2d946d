import Testing
@testable import AnnealOptim

/// The C loops of Adamax, ASGD and Rprop (where they run) against their
/// Swift loops: the same bits for every option, over values with zeros,
/// subnormals, infinities, NaN and huge ones in them, at a length split
/// among threads with a padded remainder.
@Suite(.enabled(if: Kernels.elementwiseRunsInC, "the elementwise C loops do not run on this CPU"))
struct ElementwiseKernelTests {
    /// Past two threads' share (``Kernels/parallelThreshold``), not a multiple of a vector.
    static let count = 2 * (1 << 17) + 4_099

    /// Runs `body` on copies of `arrays` (the first is the gradient, only
    /// read) in C and in Swift, and compares what each wrote, bit for bit.
    func compare(
        _ names: [String], _ arrays: [[Float]],
        _ body: ([UnsafeMutableBufferPointer<Float>], UnsafeBufferPointer<Float>, Bool) -> Void
    ) {
        func run(inC: Bool) -> [[Float]] {
            var state = Array(arrays.dropFirst())
            let grad = arrays[0]
            var buffers: [UnsafeMutableBufferPointer<Float>] = []
            for index in state.indices {
                let buffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: state[index].count)
                _ = buffer.initialize(from: state[index])
                buffers.append(buffer)
            }
            grad.withUnsafeBufferPointer { g in body(buffers, g, inC) }
            for index in state.indices {
                state[index] = Array(buffers[index])
                buffers[index].deallocate()
            }
            return state
        }
        let (c, swift) = (run(inC: true), run(inC: false))
        for (name, (got, expected)) in zip(names, zip(c, swift)) {
            LoopComparison.expectSameBits(name, got: got, expected: expected)
        }
        #expect(c[0] != arrays[1], "the parameter was not updated")
    }

    func values(_ seed: UInt64, magnitude: Bool = false) -> [Float] {
        let next = LoopComparison.inputs(seed: seed, nonNegative: magnitude)
        return (0..<Self.count).map { _ in next() }
    }

    @Test(arguments: [
        (weightDecay: false, maximize: false, weight: 0.1, beta2: 0.999),
        (weightDecay: true, maximize: true, weight: 0.1, beta2: 0.999),
        (weightDecay: true, maximize: false, weight: 0.7, beta2: 0.0),
        (weightDecay: false, maximize: true, weight: 1.0, beta2: 1.5),
    ])
    func adamax(options: (weightDecay: Bool, maximize: Bool, weight: Float, beta2: Float)) {
        let s = Kernels.Adamax.Scalars(
            maximize: options.maximize, weightDecay: options.weightDecay ? 0.01 : nil, lerpWeight: options.weight,
            beta2: options.beta2, eps: 1e-8, negativeCLR: -0.002)
        compare(["param", "exp_avg", "exp_inf"], [values(1), values(2), values(3), values(4, magnitude: true)]) {
            state, g, inC in Kernels.Adamax.run(s, state[0], g, state[1], state[2], inC: inC)
        }
    }

    @Test(arguments: [
        (weightDecay: false, maximize: false, mu: Float(1)),
        (weightDecay: true, maximize: false, mu: 0.5),
        (weightDecay: true, maximize: true, mu: 1),
        (weightDecay: false, maximize: true, mu: 0.125),
    ])
    func asgd(options: (weightDecay: Bool, maximize: Bool, mu: Float)) {
        let s = Kernels.ASGD.Scalars(
            maximize: options.maximize, weightDecay: options.weightDecay ? 0.1 : nil, shrink: 0.9999,
            negativeEta: -0.01, mu: options.mu)
        compare(["param", "ax"], [values(5), values(6), values(7)]) { state, g, inC in
            Kernels.ASGD.run(s, state[0], g, state[1], inC: inC)
        }
    }

    /// PyTorch's etas and step sizes, and values a user can set in a group
    /// afterwards: a negative `etaplus`, equal etas, a NaN bound.
    @Test(arguments: [
        (maximize: false, plus: Float(1.2), minus: Float(0.5), low: Float(1e-6), high: Float(50)),
        (maximize: true, plus: 1.2, minus: 0.5, low: 1e-6, high: 50),
        (maximize: false, plus: -0.5, minus: 0.25, low: 0, high: .infinity),
        (maximize: false, plus: 0.5, minus: 0.5, low: .nan, high: 1),
        (maximize: true, plus: 2, minus: 0, low: -1, high: .nan),
    ])
    func rprop(options: (maximize: Bool, plus: Float, minus: Float, low: Float, high: Float)) {
        let s = Kernels.Rprop.Scalars(
            maximize: options.maximize, etaPlus: options.plus, etaMinus: options.minus, stepSizeMin: options.low,
            stepSizeMax: options.high)
        compare(["param", "prev", "step_size"], [values(8), values(9), values(10), values(11, magnitude: true)]) {
            state, g, inC in Kernels.Rprop.run(s, state[0], g, state[1], state[2], inC: inC)
        }
    }
}
