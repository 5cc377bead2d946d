/// The functions an ``Expression`` may call, with Python semantics.
///
/// | Python            | Swift                         | result |
/// | ----------------- | ----------------------------- | ------ |
/// | `math.sqrt(a)`    | `try PyValue.sqrt(a)`         | float  |
/// | `math.exp(a)`     | `try PyValue.exp(a)`          | float  |
/// | `math.log(a)`     | `try PyValue.log(a)`          | float  |
/// | `math.log(a, b)`  | `try PyValue.log(a, base: b)` | float  |
/// | `math.cos(a)`     | `try PyValue.cos(a)`          | float  |
/// | `math.sin(a)`     | `try PyValue.sin(a)`          | float  |
/// | `math.tanh(a)`    | `PyValue.tanh(a)`             | float  |
/// | `math.floor(a)`   | `try PyValue.floor(a)`        | int    |
/// | `math.ceil(a)`    | `try PyValue.ceil(a)`         | int    |
/// | `abs(a)`          | `PyValue.abs(a)`              | int or float |
/// | `min(a, b, ...)`  | fold `PyValue.min(_:_:)`      | one of the arguments |
/// | `max(a, b, ...)`  | fold `PyValue.max(_:_:)`      | one of the arguments |
/// | `float(a)`        | `PyValue.toFloat(a)`          | float  |
/// | `int(a)`          | `try PyValue.toInt(a)`        | int    |
///
/// The `math` functions convert an `int` or `bool` argument to `float` first
/// and raise what CPython raises: `ValueError("math domain error")` outside
/// the domain, `OverflowError("math range error")` when `exp` overflows.
/// Conversions to `int` raise `ValueError` for NaN and `OverflowError` for
/// infinities, and `OverflowError` beyond ±2^53 (``PyValue/maxInteger``).
///
/// ```swift
/// try PyValue.floor(.float(2.5))             // .int(2)
/// PyValue.max(.int(1), .float(1.0))          // .int(1): the first maximal one
/// try PyValue.log(.int(8), base: .int(2))    // .float(3.0)
/// ```
extension PyValue {
    /// `math.sqrt(a)`.
    @inlinable
    public static func sqrt(_ a: PyValue) throws(PythonError) -> PyValue {
        .float(try PyFloat.sqrt(a.doubleValue))
    }

    /// `math.exp(a)`.
    @inlinable
    public static func exp(_ a: PyValue) throws(PythonError) -> PyValue {
        .float(try PyFloat.exp(a.doubleValue))
    }

    /// `math.log(a)`, the natural logarithm.
    @inlinable
    public static func log(_ a: PyValue) throws(PythonError) -> PyValue {
        .float(try PyFloat.log(a.doubleValue))
    }

    /// `math.log(a, base)`: `log(a) / log(base)`, as CPython computes it
    /// (so `log(8, 2)` is exactly `3.0` only because the division rounds so).
    @inlinable
    public static func log(_ a: PyValue, base: PyValue) throws(PythonError) -> PyValue {
        .float(try PyFloat.log(a.doubleValue, base: base.doubleValue))
    }

    /// `math.cos(a)`.
    @inlinable
    public static func cos(_ a: PyValue) throws(PythonError) -> PyValue {
        .float(try PyFloat.cos(a.doubleValue))
    }

    /// `math.sin(a)`.
    @inlinable
    public static func sin(_ a: PyValue) throws(PythonError) -> PyValue {
        .float(try PyFloat.sin(a.doubleValue))
    }

    /// `math.tanh(a)`; never raises.
    @inlinable
    public static func tanh(_ a: PyValue) -> PyValue {
        .float(PyFloat.tanh(a.doubleValue))
    }

    /// `math.floor(a)`: an `int` (`floor(2.5) == 2`, `floor(True) == 1`).
    @inlinable
    public static func floor(_ a: PyValue) throws(PythonError) -> PyValue {
        switch a {
        case .float(let value): return try checkedInt(integral: PyFloat.floorToInteger(value))
        case .int, .bool: return .int(a.integerValue!)
        }
    }

    /// `math.ceil(a)`: an `int` (`ceil(-0.5) == 0`).
    @inlinable
    public static func ceil(_ a: PyValue) throws(PythonError) -> PyValue {
        switch a {
        case .float(let value): return try checkedInt(integral: PyFloat.ceilToInteger(value))
        case .int, .bool: return .int(a.integerValue!)
        }
    }

    /// The built-in `abs(a)`: an `int` stays an `int` (`abs(True) == 1`).
    @inlinable
    public static func abs(_ a: PyValue) -> PyValue {
        switch a {
        case .float(let value): return .float(Swift.abs(value))
        case .int(let value): return .int(Swift.abs(value))
        case .bool(let value): return .int(value ? 1 : 0)
        }
    }

    /// One step of the built-in `min(...)`: `b` if `b < a`, else `a`.
    ///
    /// Python's `min(a, b, c)` keeps the first argument and replaces it by each
    /// later one that compares smaller, so it is
    /// `PyValue.min(PyValue.min(a, b), c)`. The chosen argument is returned
    /// unchanged (`min(0.5, 1)` is the float `0.5`, `min(1, 1.0)` the int
    /// `1`), and a NaN only wins from the first position.
    @inlinable
    public static func min(_ a: PyValue, _ b: PyValue) -> PyValue {
        isLess(b, a) ? b : a
    }

    /// One step of the built-in `max(...)`: `b` if `b > a`, else `a`
    /// (see ``min(_:_:)``; `max(1, 1.0)` is the int `1`).
    @inlinable
    public static func max(_ a: PyValue, _ b: PyValue) -> PyValue {
        isLess(a, b) ? b : a
    }

    /// The built-in `float(a)`.
    @inlinable
    public static func toFloat(_ a: PyValue) -> PyValue {
        .float(a.doubleValue)
    }

    /// The built-in `int(a)`: truncates a `float` toward zero (`int(-0.5) ==
    /// 0`); `int(True) == 1`.
    @inlinable
    public static func toInt(_ a: PyValue) throws(PythonError) -> PyValue {
        switch a {
        case .float(let value):
            try PyFloat.checkConvertibleToInteger(value)
            return try checkedInt(integral: value.rounded(.towardZero))
        case .int, .bool: return .int(a.integerValue!)
        }
    }
}
