#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The C library's math functions: the one file of AnnealPython that
/// imports the platform's C module.
///
/// CPython's `float` operators and `math` functions call libm, and
/// bit-exactness with Python depends on calling the same functions (Swift's
/// `Double` methods need not round as libm's `pow`, `exp`, `log`, `cos`,
/// `sin` and `tanh` do). Each member is one direct call of the C function
/// named in its comment, inlined away. The members are named for what they
/// compute rather than after the C functions, so that no member hides the C
/// function it calls.
///
/// ```swift
/// LibM.power(0.95, 10)   // 0.5987369392383787: C pow, as Python's 0.95 ** 10
/// ```
@usableFromInline
enum LibM {
    /// C `pow(x, y)`.
    @inlinable @inline(__always)
    static func power(_ x: Double, _ y: Double) -> Double { pow(x, y) }

    /// C `exp(x)`.
    @inlinable @inline(__always)
    static func exponential(_ x: Double) -> Double { exp(x) }

    /// C `log(x)`, the natural logarithm.
    @inlinable @inline(__always)
    static func naturalLogarithm(_ x: Double) -> Double { log(x) }

    /// C `cos(x)`.
    @inlinable @inline(__always)
    static func cosine(_ x: Double) -> Double { cos(x) }

    /// C `sin(x)`.
    @inlinable @inline(__always)
    static func sine(_ x: Double) -> Double { sin(x) }

    /// C `tanh(x)`.
    @inlinable @inline(__always)
    static func hyperbolicTangent(_ x: Double) -> Double { tanh(x) }

    /// C `sqrt(x)`.
    @inlinable @inline(__always)
    static func squareRoot(_ x: Double) -> Double { sqrt(x) }

    /// C `floor(x)`.
    @inlinable @inline(__always)
    static func roundedDown(_ x: Double) -> Double { floor(x) }

    /// C `ceil(x)`.
    @inlinable @inline(__always)
    static func roundedUp(_ x: Double) -> Double { ceil(x) }

    /// C `fmod(x, y)`: the exact remainder of `x / y`, with the sign of `x`.
    @inlinable @inline(__always)
    static func truncatingRemainder(_ x: Double, _ y: Double) -> Double { fmod(x, y) }

    /// C `copysign(magnitude, sign)`: `magnitude`'s absolute value with
    /// `sign`'s sign bit.
    @inlinable @inline(__always)
    static func magnitude(_ magnitude: Double, signOf sign: Double) -> Double { copysign(magnitude, sign) }
}
