import Testing
@testable import AnnealOptim

/// Adagrad's C loop against the scalar loop (the reference, which PyTorch's
/// goldens check), bit for bit.
@Suite struct AdagradKernelTests {
    /// Every flag (weight decay, maximize) with and without an `lr_decay`'d
    /// `clr`, over lengths with padded remainders (1, 15, 4,099) and one
    /// split among threads, on values with zeros, subnormals, negatives,
    /// infinities, NaN and sums near `Float.greatestFiniteMagnitude` (the
    /// rare lanes of MKL's `sqrt`) among random ones.
    @Test(
        .enabled(if: Kernels.Adagrad.runsInC, "Adagrad's C loop does not run on this CPU"),
        arguments: [
            (weightDecay: false, maximize: false, negativeCLR: -0.01),
            (weightDecay: true, maximize: false, negativeCLR: -0.01),
            (weightDecay: false, maximize: true, negativeCLR: -0.01 / (1 + 41 * 1e-4)),
            (weightDecay: true, maximize: true, negativeCLR: -3e37),
        ], [1, 15, 4_099, 2 * Kernels.parallelThreshold + 13])
    func loopsAgree(options: (weightDecay: Bool, maximize: Bool, negativeCLR: Double), count: Int) {
        let next = LoopComparison.inputs(seed: 17 &+ UInt64(count))
        let param = (0..<count).map { _ in next() }, grad = (0..<count).map { _ in next() }
        let nextSum = LoopComparison.inputs(seed: 23 &+ UInt64(count), nonNegative: true)
        let sum = (0..<count).map { _ in nextSum() }
        let scalars = Kernels.Adagrad.Scalars(
            maximize: options.maximize, weightDecay: options.weightDecay ? 0.01 : nil, eps: 1e-10,
            negativeCLR: Float(options.negativeCLR))
        func run(inC: Bool) -> [[Float]] {
            var (p, s) = (param, sum)
            p.withUnsafeMutableBufferPointer { p in
                s.withUnsafeMutableBufferPointer { s in
                    grad.withUnsafeBufferPointer { g in
                        if inC {
                            Kernels.Adagrad.run(
                                scalars, count: count, param: p.baseAddress!, grad: g.baseAddress!, sum: s.baseAddress!)
                        } else {
                            Kernels.Adagrad.scalarLoop(
                                scalars, count: count, param: p.baseAddress!, grad: g.baseAddress!, sum: s.baseAddress!)
                        }
                    }
                }
            }
            return [p, s]
        }
        let (c, scalar) = (run(inC: true), run(inC: false))
        for (name, (got, expected)) in zip(["param", "sum"], zip(c, scalar)) {
            LoopComparison.expectSameBits(name, got: got, expected: expected)
        }
        #expect(count < 16 || c[0] != param)
    }

    /// The rare lanes on their own: sums of zero, -0, subnormals, negatives,
    /// infinities, NaN and the edge of MKL's huge range, with zero gradients
    /// (the sum is the square root's argument unchanged), inside whole vectors.
    @Test(.enabled(if: Kernels.Adagrad.runsInC, "Adagrad's C loop does not run on this CPU"))
    func rareSquareRootLanes() {
        let sum = LoopComparison.rareArguments + LoopComparison.rareArguments.map { $0 * 0.5 }
        let count = sum.count
        let param = (0..<count).map { Float($0) - 7.5 }, grad = [Float](repeating: 0, count: count)
        let scalars = Kernels.Adagrad.Scalars(maximize: false, weightDecay: nil, eps: 0, negativeCLR: -0.5)
        var results: [[Float]] = []
        for inC in [true, false] {
            var (p, s) = (param, sum)
            p.withUnsafeMutableBufferPointer { p in
                s.withUnsafeMutableBufferPointer { s in
                    grad.withUnsafeBufferPointer { g in
                        Kernels.Adagrad.run(
                            scalars, count: count, param: p.baseAddress!, grad: g.baseAddress!, sum: s.baseAddress!,
                            inC: inC)
                    }
                }
            }
            results.append(p)
        }
        LoopComparison.expectSameBits("param", got: results[0], expected: results[1])
    }
}
