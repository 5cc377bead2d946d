#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// PyTorch's CPU random generator (`torch.Generator()`, ATen's
/// `CPUGeneratorImpl`), for the draws timm's schedulers make: one float32
/// element of `torch.randn(1, generator=g)` or `torch.rand(1, generator=g)`,
/// bit for bit.
///
/// - The engine is ATen's `mt19937` (the standard 32-bit Mersenne Twister):
///   `manual_seed(s)` seeds it with `s & 0xffffffff` (`s` taken as a 64-bit
///   two's-complement integer) and clears the cached normal sample.
/// - `rand` of a float32 element is `uniform_real_distribution<float>`:
///   `(random() & (2^24 - 1)) * 2^-24`, in float.
/// - `randn` of fewer than 16 elements is `normal_distribution<double>`:
///   Box–Muller over two double uniforms from `random64()` (two engine
///   outputs, the first the high half) masked to 53 bits times 2^-53;
///   `r = sqrt(-2 * log1p(-u2))`, `theta = 2π * u1`; it returns
///   `r * cos(theta)` and caches `r * sin(theta)` for the next call; the
///   element is that double rounded to float32.
///
/// ```swift
/// var generator = TorchGenerator(seed: 42)
/// generator.randn()   // 0.33669036626815796, as torch.randn(1, generator=torch.Generator().manual_seed(42)).item()
/// ```
public struct TorchGenerator: Sendable {
    private var state = [UInt32](repeating: 0, count: 624)
    private var left = 1
    private var next = 0
    /// `next_double_normal_sample_`: the second Box–Muller value, cached.
    private var cachedNormal: Double?

    /// `torch.Generator().manual_seed(seed)`.
    public init(seed: Int) {
        state[0] = UInt32(truncatingIfNeeded: seed)
        for j in 1..<624 {
            let previous = state[j - 1]
            state[j] = 1_812_433_253 &* (previous ^ (previous >> 30)) &+ UInt32(j)
        }
    }

    /// The engine's next 32-bit output (`mt19937::operator()`).
    public mutating func random() -> UInt32 {
        left -= 1
        if left == 0 { nextState() }
        var y = state[next]
        next += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9d2c_5680
        y ^= (y << 15) & 0xefc6_0000
        y ^= y >> 18
        return y
    }

    /// `CPUGeneratorImpl::random64()`: two outputs, the first the high half.
    public mutating func random64() -> UInt64 {
        let high = UInt64(random())
        let low = UInt64(random())
        return high << 32 | low
    }

    private mutating func nextState() {
        let n = 624, m = 397
        func twist(_ u: UInt32, _ v: UInt32) -> UInt32 {
            let mixed = (u & 0x8000_0000) | (v & 0x7fff_ffff)
            return (mixed >> 1) ^ (v & 1 != 0 ? 0x9908_b0df : 0)
        }
        for j in 0..<(n - m) { state[j] = state[j + m] ^ twist(state[j], state[j + 1]) }
        for j in (n - m)..<(n - 1) { state[j] = state[j + m - n] ^ twist(state[j], state[j + 1]) }
        state[n - 1] = state[m - 1] ^ twist(state[n - 1], state[0])
        left = n
        next = 0
    }

    /// `torch.rand(1, generator=g).item()`: a float32 uniform in [0, 1).
    public mutating func rand() -> Double {
        let x = Float(random() & 0xff_ffff) * (1 / Float(1 << 24))
        return Double(x * (1 - 0) + 0)
    }

    /// A double uniform in [0, 1): `uniform_real_distribution<double>`.
    private mutating func uniformDouble() -> Double {
        Double(random64() & (1 << 53 - 1)) * (1 / Double(UInt64(1) << 53))
    }

    /// `torch.randn(1, generator=g).item()`: a float32 standard normal.
    public mutating func randn() -> Double {
        let sample: Double
        if let cached = cachedNormal {
            cachedNormal = nil
            sample = cached
        } else {
            let u1 = uniformDouble()
            let u2 = uniformDouble()
            let r = (-2.0 * log1p(-u2)).squareRoot()
            let theta = 2.0 * Double.pi * u1
            cachedNormal = r * sin(theta)
            sample = r * cos(theta)
        }
        // transformation::normal(ret, mean 0, std 1), then the cast to float.
        return Double(Float(sample * 1 + 0))
    }
}
