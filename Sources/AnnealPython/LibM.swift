#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The C library's transcendental functions: the one file of AnnealPython
/// that imports the platform's C module.
///
/// CPython's `float` operators and `math` functions call libm, and
/// bit-exactness with Python depends on calling the same functions: libm's
/// `pow`, `exp`, `log`, `cos`, `sin` and `tanh` are not correctly rounded,
/// and Swift's need not round as they do. The exact operations CPython also
/// takes from libm (`sqrt`, `floor`, `ceil`, `fmod`, `copysign`) have one
/// right answer, which Swift's `squareRoot()`, `rounded(.down)`,
/// `rounded(.up)`, `truncatingRemainder(dividingBy:)` and
/// `Double(signOf:magnitudeOf:)` give bit for bit, so they are not here. Each member is one direct call of the C function
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
}
