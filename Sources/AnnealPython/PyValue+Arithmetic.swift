/// Python's arithmetic operators and comparisons on ``PyValue``.
///
/// Each function is the Python operator of the same meaning, with CPython
/// 3.11's results and exceptions:
///
/// | Python   | Swift                         |
/// | -------- | ----------------------------- |
/// | `a + b`  | `try PyValue.add(a, b)`       |
/// | `a - b`  | `try PyValue.subtract(a, b)`  |
/// | `a * b`  | `try PyValue.multiply(a, b)`  |
/// | `a / b`  | `try PyValue.trueDivide(a, b)`|
/// | `a // b` | `try PyValue.floorDivide(a, b)`|
/// | `a % b`  | `try PyValue.modulo(a, b)`    |
/// | `a ** b` | `try PyValue.power(a, b)`     |
/// | `-a`, `+a` | `PyValue.negate(a)`, `PyValue.positive(a)` |
/// | `a < b` ... `a != b` | `PyValue.lessThan(a, b)` ... `PyValue.notEqual(a, b)` |
///
/// The rules: `bool` counts as the `int` 0 or 1; `int op int` stays `int`
/// for `+ - * // %` and for `**` with a non-negative exponent; `/` always
/// gives a `float`; a `float` operand makes the result a `float` (the `int`
/// converts exactly). Integer `//` and `%` floor toward negative infinity.
/// An `int` result beyond ±2^53 throws `OverflowError` (see
/// ``PyValue/maxInteger``).
///
/// ```swift
/// try PyValue.add(.bool(true), .bool(true))     // .int(2)
/// try PyValue.floorDivide(.int(-7), .int(2))    // .int(-4)
/// try PyValue.power(.int(2), .int(-1))          // .float(0.5)
/// PyValue.lessThan(.int(1), .float(1.5))        // .bool(true)
/// ```
extension PyValue {
    /// The error for an integer outside ±2^53.
    @usableFromInline
    static var integerRangeError: PythonError {
        .beyondAnneal("integer beyond 2**53 is not supported in expressions")
    }

    /// `.int(value)`, or `OverflowError` when `|value| > 2^53`.
    @inlinable
    static func checkedInt(_ value: Int) throws(PythonError) -> PyValue {
        if value > maxInteger || value < -maxInteger { throw integerRangeError }
        return .int(value)
    }

    /// `.int(value)` for an integral `Double` (from `floor`, `ceil`, `int`),
    /// or `OverflowError` when it is beyond ±2^53.
    @inlinable
    static func checkedInt(integral value: Double) throws(PythonError) -> PyValue {
        if !(Swift.abs(value) <= Double(maxInteger)) { throw integerRangeError }
        return .int(Int(value))
    }

    // MARK: Binary operators

    /// Python's `a + b`.
    @inlinable
    public static func add(_ a: PyValue, _ b: PyValue) throws(PythonError) -> PyValue {
        if let x = a.integerValue, let y = b.integerValue { return try checkedInt(x + y) }
        return .float(a.doubleValue + b.doubleValue)
    }

    /// Python's `a - b`.
    @inlinable
    public static func subtract(_ a: PyValue, _ b: PyValue) throws(PythonError) -> PyValue {
        if let x = a.integerValue, let y = b.integerValue { return try checkedInt(x - y) }
        return .float(a.doubleValue - b.doubleValue)
    }

    /// Python's `a * b`.
    @inlinable
    public static func multiply(_ a: PyValue, _ b: PyValue) throws(PythonError) -> PyValue {
        if let x = a.integerValue, let y = b.integerValue {
            let (product, overflow) = x.multipliedReportingOverflow(by: y)
            if overflow { throw integerRangeError }
            return try checkedInt(product)
        }
        return .float(a.doubleValue * b.doubleValue)
    }

    /// Python's `a / b`: always a `float`.
    ///
    /// For two `int`s Python rounds the exact quotient once; within ±2^53
    /// both convert to `Double` exactly, so IEEE division is that rounding.
    /// A zero divisor raises `ZeroDivisionError("division by zero")` for
    /// `int / int` and `"float division by zero"` otherwise.
    @inlinable
    public static func trueDivide(_ a: PyValue, _ b: PyValue) throws(PythonError) -> PyValue {
        if let x = a.integerValue, let y = b.integerValue {
            if y == 0 { throw .zeroDivisionError("division by zero") }
            return .float(Double(x) / Double(y))
        }
        return .float(try PyFloat.divide(a.doubleValue, b.doubleValue))
    }

    /// Python's `a // b`, rounded toward negative infinity (`-7 // 2 == -4`).
    ///
    /// `int // 0` raises `ZeroDivisionError("integer division or modulo by
    /// zero")`; with a `float` operand, `"float floor division by zero"`.
    @inlinable
    public static func floorDivide(_ a: PyValue, _ b: PyValue) throws(PythonError) -> PyValue {
        if let x = a.integerValue, let y = b.integerValue {
            if y == 0 { throw .zeroDivisionError("integer division or modulo by zero") }
            var quotient = x / y
            if x % y != 0, (x < 0) != (y < 0) { quotient -= 1 }
            return try checkedInt(quotient)
        }
        return .float(try PyFloat.floorDivide(a.doubleValue, b.doubleValue))
    }

    /// Python's `a % b`: the result has the sign of `b` (`-7 % 3 == 2`).
    ///
    /// A zero divisor raises `ZeroDivisionError`: `"integer modulo by zero"`
    /// for two `int`s and `"float modulo"` otherwise (CPython 3.11's words).
    @inlinable
    public static func modulo(_ a: PyValue, _ b: PyValue) throws(PythonError) -> PyValue {
        if let x = a.integerValue, let y = b.integerValue {
            if y == 0 { throw .zeroDivisionError("integer modulo by zero") }
            var remainder = x % y
            if remainder != 0, (remainder < 0) != (y < 0) { remainder += y }
            return .int(remainder)
        }
        let y = b.doubleValue
        if y == 0 { throw .zeroDivisionError("float modulo") }
        return .float(try PyFloat.mod(a.doubleValue, y))
    }

    /// Python's `a ** b`.
    ///
    /// `int ** int` with a non-negative exponent is an exact `int`; a
    /// negative exponent makes both operands `float` (`2 ** -1 == 0.5`,
    /// `0 ** -1` raises `ZeroDivisionError`), as CPython's `long_pow` does.
    /// A negative `float` base with a non-integral exponent, which Python
    /// answers with a `complex`, raises `ValueError` (see ``PyFloat/pow(_:_:)``).
    @inlinable
    public static func power(_ a: PyValue, _ b: PyValue) throws(PythonError) -> PyValue {
        if let x = a.integerValue, let y = b.integerValue, y >= 0 {
            return try integerPower(x, y)
        }
        return .float(try PyFloat.pow(a.doubleValue, b.doubleValue))
    }

    /// `base ** exponent` for `exponent >= 0`, exactly, within ±2^53.
    @usableFromInline
    static func integerPower(_ base: Int, _ exponent: Int) throws(PythonError) -> PyValue {
        if exponent == 0 { return .int(1) }
        switch base {
        case 0, 1: return .int(base)
        case -1: return .int(exponent & 1 == 0 ? 1 : -1)
        default: break
        }
        // |base| >= 2, so 54 or more factors exceed 2^53.
        if exponent > 53 { throw integerRangeError }
        var result = base
        for _ in 1..<exponent {
            let (product, overflow) = result.multipliedReportingOverflow(by: base)
            if overflow || product > maxInteger || product < -maxInteger { throw integerRangeError }
            result = product
        }
        return try checkedInt(result)
    }

    // MARK: Unary operators

    /// Python's `-a` (`-True == -1`, `-0.0` for `0.0`).
    @inlinable
    public static func negate(_ a: PyValue) -> PyValue {
        switch a {
        case .float(let value): return .float(-value)
        case .int(let value): return .int(-value)
        case .bool(let value): return .int(value ? -1 : 0)
        }
    }

    /// Python's `+a`: the value itself, except that `+True` is the `int` 1.
    @inlinable
    public static func positive(_ a: PyValue) -> PyValue {
        if case .bool(let value) = a { return .int(value ? 1 : 0) }
        return a
    }

    // MARK: Comparisons

    /// Python's `a < b` as a Swift `Bool` (false whenever NaN is involved).
    ///
    /// `int`/`bool` against `int`/`bool` compares integers; otherwise both
    /// sides convert to `Double`, which is exact for integers within ±2^53
    /// and so agrees with Python's exact mixed comparison.
    @inlinable
    public static func isLess(_ a: PyValue, _ b: PyValue) -> Bool {
        if let x = a.integerValue, let y = b.integerValue { return x < y }
        return a.doubleValue < b.doubleValue
    }

    /// Python's `a <= b` as a Swift `Bool`.
    @inlinable
    public static func isLessOrEqual(_ a: PyValue, _ b: PyValue) -> Bool {
        if let x = a.integerValue, let y = b.integerValue { return x <= y }
        return a.doubleValue <= b.doubleValue
    }

    /// Python's `a == b` as a Swift `Bool` (`1 == 1.0 == True`; NaN is
    /// unequal to everything).
    @inlinable
    public static func isEqual(_ a: PyValue, _ b: PyValue) -> Bool {
        if let x = a.integerValue, let y = b.integerValue { return x == y }
        return a.doubleValue == b.doubleValue
    }

    /// Python's `a < b`: a `.bool`.
    @inlinable
    public static func lessThan(_ a: PyValue, _ b: PyValue) -> PyValue { .bool(isLess(a, b)) }

    /// Python's `a <= b`: a `.bool`.
    @inlinable
    public static func lessOrEqual(_ a: PyValue, _ b: PyValue) -> PyValue { .bool(isLessOrEqual(a, b)) }

    /// Python's `a > b`: a `.bool`.
    @inlinable
    public static func greaterThan(_ a: PyValue, _ b: PyValue) -> PyValue { .bool(isLess(b, a)) }

    /// Python's `a >= b`: a `.bool`.
    @inlinable
    public static func greaterOrEqual(_ a: PyValue, _ b: PyValue) -> PyValue { .bool(isLessOrEqual(b, a)) }

    /// Python's `a == b`: a `.bool` (compare with Swift's `==` for
    /// structural equality instead).
    @inlinable
    public static func equal(_ a: PyValue, _ b: PyValue) -> PyValue { .bool(isEqual(a, b)) }

    /// Python's `a != b`: a `.bool` (`True` when either side is NaN).
    @inlinable
    public static func notEqual(_ a: PyValue, _ b: PyValue) -> PyValue { .bool(!isEqual(a, b)) }
}
