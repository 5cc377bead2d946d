import Testing
@testable import AnnealOptim

/// Adadelta's C loop against the scalar loop (the reference, which
/// PyTorch's goldens check), bit for bit.
@Suite struct AdadeltaKernelTests {
    /// Every flag (weight decay, maximize), `eps` 0 (so zero, negative and
    /// subnormal averages reach the square roots as they are) and not, over
    /// lengths with padded remainders (1, 15, 4,099) and one split among
    /// threads, on values with zeros, subnormals, negatives, infinities, NaN
    /// and values near `Float.greatestFiniteMagnitude` (the rare lanes of
    /// MKL's `sqrt`) among random ones.
    @Test(
        .enabled(if: Kernels.Adadelta.runsInC, "Adadelta's C loop does not run on this CPU"),
        arguments: [
            (weightDecay: false, maximize: false, rho: 0.9, eps: 1e-6),
            (weightDecay: true, maximize: false, rho: 0.9, eps: 0),
            (weightDecay: false, maximize: true, rho: 0.3, eps: 0),
            (weightDecay: true, maximize: true, rho: 0.99, eps: 1e-6),
        ], [1, 15, 4_099, 2 * Kernels.parallelThreshold + 13])
    func loopsAgree(options: (weightDecay: Bool, maximize: Bool, rho: Double, eps: Double), count: Int) {
        let next = LoopComparison.inputs(seed: 19 &+ UInt64(count))
        let param = (0..<count).map { _ in next() }, grad = (0..<count).map { _ in next() }
        let nextAverage = LoopComparison.inputs(seed: 29 &+ UInt64(count), nonNegative: true)
        let squareAvg = (0..<count).map { _ in nextAverage() }, accDelta = (0..<count).map { _ in nextAverage() }
        let scalars = Kernels.Adadelta.Scalars(
            maximize: options.maximize, weightDecay: options.weightDecay ? 0.01 : nil, rho: Float(options.rho),
            oneMinusRho: Float(1 - options.rho), eps: Float(options.eps), negativeLR: -1)
        func run(inC: Bool) -> [[Float]] {
            var (p, sq, acc) = (param, squareAvg, accDelta)
            p.withUnsafeMutableBufferPointer { p in
                sq.withUnsafeMutableBufferPointer { sq in
                    acc.withUnsafeMutableBufferPointer { acc in
                        grad.withUnsafeBufferPointer { g in
                            if inC {
                                Kernels.Adadelta.run(
                                    scalars, count: count, param: p.baseAddress!, grad: g.baseAddress!,
                                    squareAvg: sq.baseAddress!, accDelta: acc.baseAddress!)
                            } else {
                                Kernels.Adadelta.scalarLoop(
                                    scalars, count: count, param: p.baseAddress!, grad: g.baseAddress!,
                                    squareAvg: sq.baseAddress!, accDelta: acc.baseAddress!)
                            }
                        }
                    }
                }
            }
            return [p, sq, acc]
        }
        let (c, scalar) = (run(inC: true), run(inC: false))
        for (name, (got, expected)) in zip(["param", "square_avg", "acc_delta"], zip(c, scalar)) {
            LoopComparison.expectSameBits(name, got: got, expected: expected)
        }
        #expect(count < 16 || c[0] != param)
    }

    /// The rare lanes on their own, for each square root: `square_avg` and
    /// `acc_delta` of zero, -0, subnormals, negatives, infinities, NaN and
    /// the edge of MKL's huge range (with `rho` 1 and `eps` 0 they reach
    /// the square roots unchanged), inside whole vectors.
    @Test(.enabled(if: Kernels.Adadelta.runsInC, "Adadelta's C loop does not run on this CPU"))
    func rareSquareRootLanes() {
        let rare = LoopComparison.rareArguments + LoopComparison.rareArguments.map { $0 * 0.5 }
        let count = rare.count * 2
        let ordinary = (0..<rare.count).map { Float($0) + 1.5 }
        let param = (0..<count).map { Float($0) - 7.5 }, grad = [Float](repeating: 0.25, count: count)
        // First half: rare averages; second half: rare accumulated deltas.
        let squareAvg = rare + ordinary, accDelta = ordinary + rare
        let scalars = Kernels.Adadelta.Scalars(
            maximize: false, weightDecay: nil, rho: 1, oneMinusRho: 0, eps: 0, negativeLR: -1)
        var results: [[Float]] = []
        for inC in [true, false] {
            var (p, sq, acc) = (param, squareAvg, accDelta)
            p.withUnsafeMutableBufferPointer { p in
                sq.withUnsafeMutableBufferPointer { sq in
                    acc.withUnsafeMutableBufferPointer { acc in
                        grad.withUnsafeBufferPointer { g in
                            Kernels.Adadelta.run(
                                scalars, count: count, param: p.baseAddress!, grad: g.baseAddress!,
                                squareAvg: sq.baseAddress!, accDelta: acc.baseAddress!, inC: inC)
                        }
                    }
                }
            }
            results += [p, sq, acc]
        }
        for (index, name) in ["param", "square_avg", "acc_delta"].enumerated() {
            LoopComparison.expectSameBits(name, got: results[index], expected: results[index + 3])
        }
    }
}
