/// The random generator for initialization and shuffling: xoshiro256**
/// (Blackman and Vigna, "Scrambled linear pseudorandom number generators",
/// 2018; the reference `xoshiro256starstar.c`), seeded with ``SplitMix64``.
///
/// Why this algorithm: it is small (four 64-bit words of state), fast,
/// passes BigCrush, has a period of 2²⁵⁶ − 1, and is fully specified by its
/// reference C code, so the sequence for a seed is the same on every
/// platform and Swift version — unlike Swift's `SystemRandomNumberGenerator`
/// or the standard library's `random(in:using:)` algorithms, which make no
/// such promise. Everything derived from it here (uniform and normal
/// floats, bounded integers, shuffles) is documented on its method.
///
/// The state is four words, readable and writable through ``state``: save it
/// with a checkpoint and restore it to continue the exact same sequence
/// (the same data order after resuming a run).
///
/// ```swift
/// var rng = Xoshiro256StarStar(seed: 42)
/// let saved = rng.state            // [UInt64], 4 words
/// let a = rng.next()
/// rng.state = saved
/// rng.next() == a                  // true
/// ```
///
/// This is not PyTorch's generator (a Mersenne Twister with its own
/// transformations): the same seed gives different numbers than
/// `torch.manual_seed`.
public struct Xoshiro256StarStar: RandomNumberGenerator, Sendable, Hashable {
    @usableFromInline var s0: UInt64
    @usableFromInline var s1: UInt64
    @usableFromInline var s2: UInt64
    @usableFromInline var s3: UInt64

    /// A generator seeded from one number: the four state words are the
    /// first four outputs of `SplitMix64(seed: seed)` (never all zero).
    ///
    /// ```swift
    /// var rng = Xoshiro256StarStar(seed: 42)
    /// rng.next()   // 1546998764402558742
    /// ```
    public init(seed: UInt64) {
        var mixer = SplitMix64(seed: seed)
        s0 = mixer.next()
        s1 = mixer.next()
        s2 = mixer.next()
        s3 = mixer.next()
    }

    /// A generator with the given state words (four, not all zero), e.g. a
    /// saved ``state``.
    ///
    /// ```swift
    /// var rng = Xoshiro256StarStar(state: [1, 2, 3, 4])
    /// rng.next()   // 11520, the reference implementation's first output
    /// ```
    public init(state: [UInt64]) {
        precondition(state.count == 4, "xoshiro256** state has 4 words, got \(state.count): \(state)")
        precondition(state.contains { $0 != 0 }, "xoshiro256** state must not be all zero, got \(state)")
        s0 = state[0]
        s1 = state[1]
        s2 = state[2]
        s3 = state[3]
    }

    /// The four state words, in the reference code's order `s[0]...s[3]`.
    /// Setting a saved value continues that sequence exactly; the setter
    /// has the same requirements as ``init(state:)``.
    ///
    /// ```swift
    /// var rng = Xoshiro256StarStar(seed: 7)
    /// let checkpoint = rng.state
    /// let first = (rng.next(), rng.next())
    /// rng.state = checkpoint   // replays `first`
    /// ```
    public var state: [UInt64] {
        get { [s0, s1, s2, s3] }
        set { self = Xoshiro256StarStar(state: newValue) }
    }

    /// The next 64 random bits: `rotl(s[1] * 5, 7) * 9`, then the state
    /// advances by the xoshiro linear transformation.
    ///
    /// ```swift
    /// var rng = Xoshiro256StarStar(state: [1, 2, 3, 4])
    /// (rng.next(), rng.next(), rng.next())   // (11520, 0, 1509978240)
    /// ```
    @inlinable
    public mutating func next() -> UInt64 {
        let x = s1 &* 5
        let result = ((x << 7) | (x >> 57)) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = (s3 << 45) | (s3 >> 19)
        return result
    }
}
