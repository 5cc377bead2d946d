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

    /// Parameter, gradient, `exp_avg` and `exp_avg_sq` (positive but for
    /// the special values), made once for the longest length.
    static let inputs: [[Float]] = [21, 22, 23, 24].map {
        kernelTestInputs(counts.max()!, seed: $0, positive: $0 == 24)
    }

    /// Every option combination, at a length with a padded remainder, one
    /// of whole vectors and a remainder, and one split among threads.
    @Test(
        .enabled(if: Kernels.NAdam.runsInC, "NAdam's C loop does not run on this CPU"),
        arguments: Options.all, counts)
    func loopsAgree(options: Options, count: Int) {
        let (param, grad, expAvg) = (Array(Self.inputs[0][..<count]), Array(Self.inputs[1][..<count]), Array(Self.inputs[2][..<count]))
        let expAvgSq = Array(Self.inputs[3][..<count])
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
            expectSameBits(got, expected, name)
        }
        #expect(zip(got[0], param).filter { $0.bitPattern != $1.bitPattern }.count > count / 4)
    }
}

/// The weight decay a kernel test runs with.
enum KernelWeightDecay: CaseIterable, Sendable {
    case none, coupled, decoupled
}

/// `count` float32 inputs for the loop comparisons: random signs (positive
/// with `positive`), mantissas and exponents from 2^-32 to 2^31, and one in
/// 32 a special value: zeros, infinities, NaN, subnormals, negatives, the
/// normal range's ends and the two floats around MKL's rare threshold
/// (`0x7f7ff000`, `0x7f7ff001`).
func kernelTestInputs(_ count: Int, seed: UInt64, positive: Bool = false) -> [Float] {
    let special: [Float] = [
        0, -0.0, .infinity, -.infinity, .nan, -1, .leastNonzeroMagnitude, -.leastNonzeroMagnitude,
        Float(bitPattern: 0x007f_ffff), .leastNormalMagnitude, .greatestFiniteMagnitude, -.greatestFiniteMagnitude,
        Float(bitPattern: 0x7f7f_f000), Float(bitPattern: 0x7f7f_f001), 3.3e38, 1e-30,
    ]
    var state = seed
    return (0..<count).map { _ in
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        if state >> 59 == 0 { return special[Int(state >> 32) % special.count] }
        return Float(
            sign: positive || (state >> 40) & 1 == 0 ? .plus : .minus, exponent: Int((state >> 41) & 63) - 32,
            significand: 1 + Float((state >> 17) & 0x7f_ffff) * 0x1p-23)
    }
}

/// Expects `got` and `expected` to hold the same bits (any NaN matching
/// any NaN), naming the first differing index and both values.
func expectSameBits(_ got: [Float], _ expected: [Float], _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(got.count == expected.count, "\(name): \(got.count) values, expected \(expected.count)", sourceLocation: sourceLocation)
    var differing = 0, first: Int?
    for index in got.indices where index < expected.count {
        let (value, reference) = (got[index], expected[index])
        if value.bitPattern != reference.bitPattern && !(value.isNaN && reference.isNaN) {
            differing += 1
            if first == nil { first = index }
        }
    }
    if let index = first {
        let (value, reference) = (got[index], expected[index])
        Issue.record(
            "\(name): \(differing) of \(got.count) values differ; first at \(index): expected \(reference) (0x\(String(reference.bitPattern, radix: 16))), got \(value) (0x\(String(value.bitPattern, radix: 16)))",
            sourceLocation: sourceLocation)
    }
}
