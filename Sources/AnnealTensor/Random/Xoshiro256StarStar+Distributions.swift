#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Numbers of given distributions from the raw 64-bit outputs. Each method
// documents how many outputs it consumes and how, so sequences are
// reproducible from the algorithm alone.

extension Xoshiro256StarStar {
    /// A uniform `Float` in `[0, 1)`: the top 24 bits of one output times
    /// 2⁻²⁴ (every value is a multiple of 2⁻²⁴, all equally likely).
    ///
    /// ```swift
    /// var rng = Xoshiro256StarStar(seed: 0)
    /// let u = rng.nextFloat()   // 0 <= u < 1
    /// ```
    @inlinable
    public mutating func nextFloat() -> Float {
        Float(next() >> 40) * 0x1p-24
    }

    /// A uniform `Double` in `[0, 1)`: the top 53 bits of one output times 2⁻⁵³.
    ///
    /// ```swift
    /// var rng = Xoshiro256StarStar(seed: 0)
    /// let u = rng.nextDouble()   // 0 <= u < 1
    /// ```
    @inlinable
    public mutating func nextDouble() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// A uniform `Float` in `[low, high)`: `low + (high − low) · u` computed
    /// in `Double` from one ``nextDouble()`` and rounded once to `Float`
    /// (rounding can give `high` itself when the interval is tiny).
    ///
    /// ```swift
    /// var rng = Xoshiro256StarStar(seed: 0)
    /// let w = rng.uniform(-0.5, 0.5)   // -0.5 <= w <= 0.5
    /// ```
    @inlinable
    public mutating func uniform(_ low: Float, _ high: Float) -> Float {
        precondition(low <= high, "uniform(_:_:) needs low <= high, got \(low) and \(high)")
        return Float(Double(low) + (Double(high) - Double(low)) * nextDouble())
    }

    /// A standard normal `Double` (mean 0, standard deviation 1) by the
    /// Box–Muller transform of two outputs: `u1 = 1 − nextDouble()` (in
    /// `(0, 1]`, so the logarithm is finite), `u2 = nextDouble()`, and the
    /// result `sqrt(−2 ln u1) · cos(2π u2)` with glibc's `log` and `cos`.
    /// The sine half of the pair is discarded so the state stays the four
    /// words; ``fillNormal(_:mean:standardDeviation:)`` uses both halves.
    ///
    /// ```swift
    /// var rng = Xoshiro256StarStar(seed: 0)
    /// let z = rng.normal()   // mostly within -3...3
    /// ```
    @inlinable
    public mutating func normal() -> Double {
        let (z, _) = normalPair()
        return z
    }

    /// Two independent standard normals from two outputs (Box–Muller's cosine
    /// and sine halves, in that order).
    @inlinable
    mutating func normalPair() -> (Double, Double) {
        let u1 = 1 - nextDouble()
        let u2 = nextDouble()
        let radius = (-2 * log(u1)).squareRoot()
        let angle = 2 * Double.pi * u2
        return (radius * cos(angle), radius * sin(angle))
    }

    /// Fills `buffer` with normals of the given mean and standard deviation
    /// (`mean + std · z`, computed in `Double`, rounded to `Float`), using
    /// both halves of each Box–Muller pair: element `2i` gets the cosine
    /// and `2i + 1` the sine half of pair `i`; an odd last element uses a
    /// fresh pair's cosine half.
    ///
    /// ```swift
    /// var rng = Xoshiro256StarStar(seed: 0)
    /// var values = [Float](repeating: 0, count: 4)
    /// values.withUnsafeMutableBufferPointer { rng.fillNormal($0) }
    /// ```
    public mutating func fillNormal(_ buffer: UnsafeMutableBufferPointer<Float>, mean: Double = 0, standardDeviation: Double = 1) {
        var i = 0
        while i + 1 < buffer.count {
            let (a, b) = normalPair()
            buffer[i] = Float(mean + standardDeviation * a)
            buffer[i + 1] = Float(mean + standardDeviation * b)
            i += 2
        }
        if i < buffer.count { buffer[i] = Float(mean + standardDeviation * normal()) }
    }

    /// A uniform integer in `0 ..< bound` without modulo bias, by Lemire's
    /// multiply-and-reject method ("Fast random integer generation in an
    /// interval", 2019): the high word of `next() × bound` (128-bit),
    /// redrawing while the low word is below `2⁶⁴ mod bound`. Usually one
    /// output; more only on the rare rejection.
    ///
    /// ```swift
    /// var rng = Xoshiro256StarStar(seed: 0)
    /// let die = rng.int(below: 6) + 1   // 1...6
    /// ```
    @inlinable
    public mutating func int(below bound: Int) -> Int {
        precondition(bound > 0, "int(below:) needs a positive bound, got \(bound)")
        let n = UInt64(bound)
        var product = next().multipliedFullWidth(by: n)
        if product.low < n {
            let threshold = (0 &- n) % n
            while product.low < threshold {
                product = next().multipliedFullWidth(by: n)
            }
        }
        return Int(product.high)
    }
}
