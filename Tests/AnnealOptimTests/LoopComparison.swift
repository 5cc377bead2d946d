import Testing

/// What the C-loop-against-scalar-loop tests (``AdagradKernelTests``,
/// ``AdadeltaKernelTests``) share: their inputs and their comparison.
enum LoopComparison {
    /// Random values in (-8, 8) (`nonNegative`: [0, 8), for a square
    /// root's argument, so that most vectors take MKL's estimate in every
    /// lane), and one in 32 a special one: ±0, ±infinity, NaN, subnormals
    /// of both signs, the smallest normal, values at and around the edge of
    /// MKL's huge range (`0x7f7ff000`, `0x7f7ff001`),
    /// `Float.greatestFiniteMagnitude`, tiny and huge ones.
    static func inputs(seed: UInt64, nonNegative: Bool = false) -> () -> Float {
        var state = seed
        return {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            if state >> 59 == 0 { return specials[Int(state >> 32) % specials.count] }
            let value = Float(Int32(truncatingIfNeeded: state >> 32)) * 0x1p-28
            return nonNegative ? abs(value) : value
        }
    }

    static let specials: [Float] = [
        0, -0.0, .infinity, -.infinity, .nan, 0x1p-140, -0x1p-140, .leastNormalMagnitude,
        Float(bitPattern: 0x7f7f_f000), Float(bitPattern: 0x7f7f_f001), .greatestFiniteMagnitude, 3.3e38, 1e-30, -1e-30,
    ]

    /// Square root arguments MKL sends to its exact path (zero, -0,
    /// subnormals, negatives, infinities, NaN, `0x7f7ff001` and above) and
    /// their neighbours on the estimate's side (the smallest normal,
    /// `0x7f7ff000`), with ordinary values between them.
    static let rareArguments: [Float] = [
        0, -0.0, 0x1p-149, 0x1p-140, Float(bitPattern: 0x007f_ffff), .leastNormalMagnitude, -1, -0x1p-140,
        .infinity, -.infinity, .nan, Float(bitPattern: 0x7f7f_f000), Float(bitPattern: 0x7f7f_f001),
        .greatestFiniteMagnitude, 2, 0.75, 1e-30, 3e38, 5, 1,
    ]

    /// Records a failure for the first element where `got` (the C loop)
    /// and `expected` (the scalar loop) differ in their bits, with its
    /// index, both values and the number of elements that differ.
    static func expectSameBits(
        _ name: String, got: [Float], expected: [Float], sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(got.count == expected.count, sourceLocation: sourceLocation)
        let differing = (0..<min(got.count, expected.count)).filter { got[$0].bitPattern != expected[$0].bitPattern }
        guard let first = differing.first else { return }
        let (e, g) = (expected[first], got[first])
        let message = "\(name): \(differing.count) of \(got.count) differ; first at \(first): expected \(e) "
            + "(bits 0x\(String(e.bitPattern, radix: 16))), got \(g) (bits 0x\(String(g.bitPattern, radix: 16)))"
        Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
    }
}
