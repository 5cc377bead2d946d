import Testing
@testable import AnnealOptim

/// NAdam's C loop against the scalar loop (the reference, which the goldens
/// check against PyTorch), bit for bit.
@Suite struct NAdamKernelTests {
    /// One combination of the options that change the C loop's arithmetic.
    struct Options: Sendable, CustomTestStringConvertible {
        var weightDecay: KernelWeightDecay
        var maximize: Bool
        /// `1 - beta1`: below 0.5 lerp starts from `exp_avg`, else from the gradient.
        var lerpWeight: Float
        /// `beta2` 1, `1 - beta2` 0 and `bias_correction2` 1, so the square
        /// root's argument is the input `exp_avg_sq` itself: the rare lanes'
        /// boundaries (`0x7f7ff000`, `0x7f7ff001`, subnormals, negatives) exactly.
        var rawArguments: Bool

        var testDescription: String {
            "\(weightDecay), maximize \(maximize), lerp weight \(lerpWeight)\(rawArguments ? ", raw sqrt arguments" : "")"
        }

        static let all: [Options] = KernelWeightDecay.allCases.flatMap { weightDecay in
            [false, true].flatMap { maximize in
                [Float(0.1), 0.7].flatMap { lerpWeight in
                    [false, true].map { Options(weightDecay: weightDecay, maximize: maximize, lerpWeight: lerpWeight, rawArguments: $0) }
                }
            }
        }

        var scalars: Kernels.NAdam.Scalars {
            Kernels.NAdam.Scalars(
                maximize: maximize, coupledWeightDecay: weightDecay == .coupled ? 0.01 : nil,
                decoupledDecay: weightDecay == .decoupled ? Float(1 - 0.002 * 0.01) : nil, lerpWeight: lerpWeight,
                beta2: rawArguments ? 1 : 0.999, oneMinusBeta2: rawArguments ? 0 : Float(1 - 0.999),
                biasCorrection2: rawArguments ? 1 : Float(1 - 0.999 * 0.999 * 0.999), eps: 1e-8,
                gradValue: Float(-0.002 * (1 - 0.9 * 0.98) / (1 - 0.86)), expAvgValue: Float(-0.002 * 0.89 / (1 - 0.86 * 0.89)))
        }
    }

    /// The lengths each combination runs at: a padded remainder alone, whole
    /// vectors and a remainder, and a split among threads (with a remainder).
    static let counts = [5, 4_099, 2 * Kernels.parallelThreshold + 37]

    /// Parameter, gradient, `exp_avg` and `exp_avg_sq` (nonnegative but for
    /// the special values), made once for the longest length.
    static let inputs: [[Float]] = [21, 22, 23, 24].map { seed in
        let next = LoopComparison.inputs(seed: UInt64(seed), nonNegative: seed == 24)
        return (0..<counts.max()!).map { _ in next() }
    }

    /// With `rawArguments`, `exp_avg_sq` cycles through MKL's rare square root
    /// arguments and their neighbours (``LoopComparison/rareArguments``), so
    /// rare and ordinary lanes share vectors.
    static let rareExpAvgSq: [Float] = (0..<counts.max()!).map {
        LoopComparison.rareArguments[$0 % LoopComparison.rareArguments.count]
    }

    /// Every option combination, at a length with a padded remainder, one
    /// of whole vectors and a remainder, and one split among threads.
    @Test(
        .enabled(if: Kernels.NAdam.runsInC, "NAdam's C loop does not run on this CPU"),
        arguments: Options.all, counts)
    func loopsAgree(options: Options, count: Int) {
        let (param, grad, expAvg) = (Array(Self.inputs[0][..<count]), Array(Self.inputs[1][..<count]), Array(Self.inputs[2][..<count]))
        let expAvgSq = Array((options.rawArguments ? Self.rareExpAvgSq : Self.inputs[3])[..<count])
        let scalars = options.scalars
        func run(inC: Bool) -> [[Float]] {
            var (p, m, v) = (param, expAvg, expAvgSq)
            p.withUnsafeMutableBufferPointer { p in
                m.withUnsafeMutableBufferPointer { m in
                    v.withUnsafeMutableBufferPointer { v in
                        grad.withUnsafeBufferPointer { g in
                            if inC {
                                Kernels.NAdam.run(
                                    scalars, count: count, param: p.baseAddress!, grad: g.baseAddress!, expAvg: m.baseAddress!,
                                    expAvgSq: v.baseAddress!, inC: true)
                            } else {
                                Kernels.NAdam.scalarLoop(
                                    scalars, count: count, param: p.baseAddress!, grad: g.baseAddress!, expAvg: m.baseAddress!,
                                    expAvgSq: v.baseAddress!)
                            }
                        }
                    }
                }
            }
            return [p, m, v]
        }
        let (got, expected) = (run(inC: true), run(inC: false))
        for (name, (got, expected)) in zip(["param", "exp_avg", "exp_avg_sq"], zip(got, expected)) {
            LoopComparison.expectSameBits(name, got: got, expected: expected)
        }
        #expect(zip(got[0], param).filter { $0.bitPattern != $1.bitPattern }.count > count / 4)
    }
}

/// The weight decay a kernel test runs with.
enum KernelWeightDecay: CaseIterable, Sendable {
    case none, coupled, decoupled
}
