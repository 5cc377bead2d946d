import AnnealSpec
/// Distances between floating-point numbers in units in the last place.
///
/// The distance between two finite numbers is the number of representable
/// values one must step through to get from one to the other: adjacent
/// numbers (`x` and `x.nextUp`) are 1 ULP apart, whatever their magnitude.
///
/// ## How it is computed
///
/// An IEEE 754 number is stored in sign-magnitude form: a sign bit, then a
/// magnitude (exponent and significand) whose bit pattern, read as an
/// unsigned integer, increases with the magnitude of the number. Mapping each
/// number to the signed integer `±magnitude` (the sign-magnitude to
/// two's-complement trick) gives integers that are ordered exactly as the
/// numbers are and that are consecutive for adjacent numbers, so the distance
/// is the difference of the two integers:
///
/// - same sign: `|magnitude(a) - magnitude(b)|`;
/// - opposite signs: `magnitude(a) + magnitude(b)`, the steps down to zero on
///   one side plus the steps up from zero on the other. This sum cannot
///   overflow `UInt64` (each magnitude is below 2^63).
///
/// `+0` and `-0` both have magnitude 0, so they are 0 ULP apart, and the
/// smallest subnormals `±5e-324` are 1 ULP from either zero and 2 ULP from
/// each other.
///
/// ## Special values
///
/// - NaN is 0 ULP from NaN (any payload, either sign): the trace format says
///   NaN equals NaN.
/// - An infinity is 0 ULP from the same infinity. It is *not comparable*
///   with anything else: the raw ordering would put `Double.infinity` 1 ULP
///   above `Double.greatestFiniteMagnitude`, but the format says infinities
///   equal only the same infinity, so no tolerance may accept that pair.
/// - NaN against a number is likewise not comparable.
///
/// Pairs that are not comparable get the distance ``unbounded``
/// (`UInt64.max`), which exceeds every tolerance a golden can state.
public enum ULP {
    /// The distance given to pairs that are not comparable (NaN against a
    /// number, an infinity against anything but the same infinity):
    /// `UInt64.max`.
    public static let unbounded = UInt64.max

    /// The ULP distance between two doubles; see ``ULP`` for the rules.
    ///
    /// ```swift
    /// ULP.distance(1.0, 1.0.nextUp)        // 1
    /// ULP.distance(0.0, -0.0)              // 0
    /// ULP.distance(-5e-324, 5e-324)        // 2
    /// ULP.distance(.nan, .nan)             // 0
    /// ULP.distance(.infinity, .greatestFiniteMagnitude)  // ULP.unbounded
    /// ```
    public static func distance(_ a: Double, _ b: Double) -> UInt64 {
        if a.isNaN || b.isNaN { return a.isNaN && b.isNaN ? 0 : unbounded }
        if a.isInfinite || b.isInfinite { return a == b ? 0 : unbounded }
        let signMask: UInt64 = 1 << 63
        let ma = a.bitPattern & ~signMask
        let mb = b.bitPattern & ~signMask
        return orderedDistance(ma, a.sign, mb, b.sign)
    }

    /// The ULP distance between two floats, in float32 ULPs; the same rules
    /// as for doubles. Used for the float32 `params` of a trace.
    ///
    /// ```swift
    /// ULP.distance(Float(0.5), Float(0.5).nextUp)   // 1
    /// ```
    public static func distance(_ a: Float, _ b: Float) -> UInt64 {
        if a.isNaN || b.isNaN { return a.isNaN && b.isNaN ? 0 : unbounded }
        if a.isInfinite || b.isInfinite { return a == b ? 0 : unbounded }
        let signMask: UInt32 = 1 << 31
        let ma = UInt64(a.bitPattern & ~signMask)
        let mb = UInt64(b.bitPattern & ~signMask)
        return orderedDistance(ma, a.sign, mb, b.sign)
    }

    /// The distance between `±ma` and `±mb` on the ordered-integer line.
    @inline(__always)
    private static func orderedDistance(
        _ ma: UInt64, _ sa: FloatingPointSign, _ mb: UInt64, _ sb: FloatingPointSign
    ) -> UInt64 {
        if sa == sb {
            return ma >= mb ? ma - mb : mb - ma
        }
        return ma + mb  // each below 2^63: no overflow
    }
}
