/// SplitMix64 (Steele, Lea and Flood, 2014; Vigna's `splitmix64.c`): a
/// 64-bit generator with a single word of state, used here only to expand a
/// seed into the four words of ``Xoshiro256StarStar``, as Vigna recommends.
///
/// Each call adds the golden-ratio increment `0x9E3779B97F4A7C15` to the
/// state and returns the state passed through a fixed mix (two
/// xor-shift-multiply rounds and a final xor-shift).
///
/// ```swift
/// var mixer = SplitMix64(seed: 1234567)
/// mixer.next()   // 6457827717110365317 (the reference implementation's first output)
/// ```
public struct SplitMix64: RandomNumberGenerator, Sendable, Hashable {
    /// The single word of state; the next output mixes `state &+ 0x9E3779B97F4A7C15`.
    public var state: UInt64

    /// A generator whose state is `seed`.
    ///
    /// ```swift
    /// var mixer = SplitMix64(seed: 0)
    /// mixer.next()   // 0xE220A8397B1DCDAF
    /// ```
    public init(seed: UInt64) {
        state = seed
    }

    /// The next 64 random bits.
    ///
    /// ```swift
    /// var mixer = SplitMix64(seed: 1234567)
    /// _ = mixer.next()
    /// mixer.next()   // 3203168211198807973
    /// ```
    @inlinable
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
