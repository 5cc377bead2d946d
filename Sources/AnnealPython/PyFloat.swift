/// Python's `float` arithmetic and `math` functions, operation for operation.
///
/// Each function does what CPython 3.11 does for two `float` operands (an
/// `int` operand is converted to `float` first, exactly, below 2^53), calls
/// the same libm function, and raises the same exception type where Python
/// raises. Integer-valued operands give the same values as Python's `int`
/// operators, so schedulers can use these for `last_epoch % step_size` too.
public enum PyFloat {
    /// `a / b` (`ZeroDivisionError` for a zero divisor).
    @inlinable
    public static func divide(_ a: Double, _ b: Double) throws(PythonError) -> Double {
        if b == 0 { throw .zeroDivisionError("float division by zero") }
        return a / b
    }

    /// `a % b`: the result takes the sign of `b` (CPython `float_rem`).
    @inlinable
    public static func mod(_ a: Double, _ b: Double) throws(PythonError) -> Double {
        if b == 0 { throw .zeroDivisionError("float modulo") }
        var mod = a.truncatingRemainder(dividingBy: b)
        if mod != 0 {
            if (b < 0) != (mod < 0) { mod += b }
        } else {
            mod = Double(signOf: b, magnitudeOf: 0.0)
        }
        return mod
    }

    /// `a // b`, rounded toward negative infinity (CPython `_float_div_mod`).
    @inlinable
    public static func floorDivide(_ a: Double, _ b: Double) throws(PythonError) -> Double {
        if b == 0 { throw .zeroDivisionError("float floor division by zero") }
        let mod = a.truncatingRemainder(dividingBy: b)
        var div = (a - mod) / b
        if mod != 0, (b < 0) != (mod < 0) {
            div -= 1.0
        }
        if div != 0 {
            var floorDiv = div.rounded(.down)
            if div - floorDiv > 0.5 { floorDiv += 1.0 }
            return floorDiv
        }
        return Double(signOf: a / b, magnitudeOf: 0.0)
    }

    /// `a ** b` for floats (CPython `float_pow`): libm `pow` with Python's
    /// special cases and errors.
    ///
    /// A negative base with a non-integral exponent has a complex value in
    /// Python; Anneal treats it as invalid and raises `ValueError`.
    @inlinable
    public static func pow(_ a: Double, _ b: Double) throws(PythonError) -> Double {
        // The common case first: a finite positive base and a finite exponent,
        // where none of Python's special cases apply (`pow(1, y)` and
        // `pow(x, 0)` are 1 in libm too), only its overflow check.
        if _fastPath(a > 0 && a < .infinity && b.isFinite) {
            let result = LibM.power(a, b)
            if result.isInfinite { throw powOverflowError }
            return result
        }
        return try powSpecialCases(a, b)
    }

    @usableFromInline
    static var powOverflowError: PythonError { .overflowError("(34, 'Numerical result out of range')") }

    /// ``pow(_:_:)`` for the operands its fast path leaves: zero, negative,
    /// infinite or NaN operands.
    @usableFromInline
    static func powSpecialCases(_ a: Double, _ b: Double) throws(PythonError) -> Double {
        if b == 0 { return 1.0 }
        if a.isNaN { return a }
        if b.isNaN { return a == 1.0 ? 1.0 : b }
        if b.isInfinite {
            let absA = Swift.abs(a)
            if absA == 1.0 { return 1.0 }
            if (b > 0) == (absA > 1.0) { return .infinity }
            return 0.0
        }
        if a.isInfinite {
            let bIsOddInteger = isOddInteger(b)
            if b > 0 { return bIsOddInteger ? a : Swift.abs(a) }
            return bIsOddInteger ? Double(signOf: a, magnitudeOf: 0.0) : 0.0
        }
        if a == 0 {
            if b < 0 { throw .zeroDivisionError("0.0 cannot be raised to a negative power") }
            return isOddInteger(b) ? a : 0.0
        }
        if a < 0, b != b.rounded(.down) {
            throw .valueError("complex result: \(a) ** \(b) is not a real number")
        }
        if a == 1.0 { return 1.0 }
        let result = LibM.power(a, b)
        if result.isInfinite { throw powOverflowError }
        return result
    }

    /// `(a ** b).real` and `.imag` where Python's float `a ** b` is complex:
    /// a finite negative base and a finite non-integral exponent (for which
    /// ``pow(_:_:)`` raises). CPython's `float_pow` hands it to `complex_pow`
    /// (`_Py_c_pow`): `len = |a| ** b`, `phase = atan2(0.0, a) * b` (`pi * b`),
    /// `len * cos(phase)`, `len * sin(phase)`; an infinite part is
    /// `OverflowError: complex exponentiation`.
    ///
    /// ```swift
    /// try PyFloat.complexPow(-8, 0.5)   // (1.7319121124709868e-16, 2.8284271247461903)
    /// ```
    public static func complexPow(_ a: Double, _ b: Double) throws(PythonError) -> (real: Double, imag: Double) {
        let length = LibM.power(-a, b), phase = Double.pi * b
        let result = (real: length * LibM.cosine(phase), imag: length * LibM.sine(phase))
        if result.real.isInfinite || result.imag.isInfinite { throw .overflowError("complex exponentiation") }
        return result
    }

    /// `(a / b).real` for a float `a` and a complex `b` (CPython's
    /// `_Py_c_quot` with `a + 0j`: the ratio of the smaller part of `b` to the
    /// larger); `ZeroDivisionError` when `b` is 0.
    public static func divideReal(_ a: Double, by b: (real: Double, imag: Double)) throws(PythonError) -> Double {
        if Swift.abs(b.real) >= Swift.abs(b.imag) {
            if b.real == 0 { throw .zeroDivisionError("complex division by zero") }
            let ratio = b.imag / b.real
            return (a + 0.0 * ratio) / (b.real + b.imag * ratio)
        }
        if Swift.abs(b.imag) >= Swift.abs(b.real) {
            let ratio = b.real / b.imag
            return (a * ratio + 0.0) / (b.real * ratio + b.imag)
        }
        return .nan  // a NaN part
    }

    @usableFromInline
    static func isOddInteger(_ x: Double) -> Bool {
        x == x.rounded(.down) && Swift.abs(x.truncatingRemainder(dividingBy: 2.0)) == 1.0
    }

    /// `math.cos(x)`; `ValueError` for an infinite argument.
    @inlinable
    public static func cos(_ x: Double) throws(PythonError) -> Double {
        if x.isInfinite { throw .valueError("math domain error") }
        return LibM.cosine(x)
    }

    /// `math.sin(x)`; `ValueError` for an infinite argument.
    @inlinable
    public static func sin(_ x: Double) throws(PythonError) -> Double {
        if x.isInfinite { throw .valueError("math domain error") }
        return LibM.sine(x)
    }

    /// `math.tanh(x)`.
    @inlinable
    public static func tanh(_ x: Double) -> Double { LibM.hyperbolicTangent(x) }

    /// `math.sqrt(x)`; `ValueError` for a negative argument.
    @inlinable
    public static func sqrt(_ x: Double) throws(PythonError) -> Double {
        if x < 0 { throw .valueError("math domain error") }
        return x.squareRoot()
    }

    /// `math.exp(x)`; `OverflowError` when the result overflows.
    @inlinable
    public static func exp(_ x: Double) throws(PythonError) -> Double {
        let result = LibM.exponential(x)
        if result.isInfinite && x.isFinite { throw .overflowError("math range error") }
        return result
    }

    /// `math.log(x)`; `ValueError` for a non-positive argument.
    @inlinable
    public static func log(_ x: Double) throws(PythonError) -> Double {
        if x.isNaN { return x }
        if x <= 0 { throw .valueError("math domain error") }
        return LibM.naturalLogarithm(x)
    }

    /// `math.log(x, base)`, computed as Python does: `log(x) / log(base)`.
    @inlinable
    public static func log(_ x: Double, base: Double) throws(PythonError) -> Double {
        let numerator = try log(x)
        let denominator = try log(base)
        if denominator == 0 { throw .zeroDivisionError("float division by zero") }
        return numerator / denominator
    }

    /// `math.floor(x)` as an integer; errors for infinities and NaN as Python's.
    @inlinable
    public static func floorToInteger(_ x: Double) throws(PythonError) -> Double {
        try checkConvertibleToInteger(x)
        return x.rounded(.down)
    }

    /// `math.ceil(x)` as an integer.
    @inlinable
    public static func ceilToInteger(_ x: Double) throws(PythonError) -> Double {
        try checkConvertibleToInteger(x)
        return x.rounded(.up)
    }

    /// Python refuses to turn infinities and NaN into integers.
    @inlinable
    public static func checkConvertibleToInteger(_ x: Double) throws(PythonError) {
        if x.isNaN { throw .valueError("cannot convert float NaN to integer") }
        if x.isInfinite { throw .overflowError("cannot convert float infinity to integer") }
    }
}
