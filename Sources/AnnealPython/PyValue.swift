/// A Python number: the value of an ``Expression`` and of its variable.
///
/// Anneal's expressions (the `lr_lambda` and `scale_fn` strings of a trace
/// spec) are evaluated with Python semantics, and Python distinguishes `int`,
/// `float` and `bool` (`1 / 2` is `0.5` but `1 // 2` is `0`; `max(1, 1.0)` is
/// the int `1`). `PyValue` keeps that distinction so results match CPython
/// bit for bit.
///
/// Integers are limited to 2^53 in magnitude (every such integer is exactly a
/// `Double`); an operation that would leave that range throws
/// `OverflowError` (see ``PyValue/maxInteger``).
///
/// ```swift
/// let v: PyValue = .int(3)
/// v.description          // "3"
/// PyValue.float(1e-5)    // prints "1e-05", like Python's repr
/// try PyValue.trueDivide(.int(1), .int(2))  // .float(0.5)
/// ```
///
/// `Equatable`/`Hashable` are structural (`.int(1) != .float(1.0)`, and
/// like `Double`, `.float(.nan) != .float(.nan)`); for Python's `==` use
/// ``PyValue/equal(_:_:)``.
public enum PyValue: Sendable, Hashable, CustomStringConvertible {
    /// A Python `int`, within ±``maxInteger``.
    case int(Int)
    /// A Python `float`.
    case float(Double)
    /// A Python `bool`; it counts as the integer 0 or 1 in arithmetic.
    case bool(Bool)

    /// The largest integer magnitude an expression may produce: 2^53.
    ///
    /// Every integer up to this size converts to `Double` exactly, so mixed
    /// int/float arithmetic needs no big integers. Python itself has no limit;
    /// the trace format calls an expression whose integers go beyond it
    /// invalid input, and Anneal raises
    /// `PythonError.beyondAnneal("integer beyond 2**53 is not supported in expressions")` (the format calls such an expression invalid input).
    public static let maxInteger: Int = 1 << 53

    /// Python's `repr` of the value: `True`, `3`, `0.1`, `1e-05`, `inf`, `nan`.
    public var description: String {
        switch self {
        case .int(let value): return String(value)
        case .float(let value): return PyFloat.repr(value)
        case .bool(let value): return value ? "True" : "False"
        }
    }

    /// The Python type name: `"int"`, `"float"` or `"bool"`.
    public var typeName: String {
        switch self {
        case .int: return "int"
        case .float: return "float"
        case .bool: return "bool"
        }
    }

    /// The value as Python's `float(v)` gives it: `True` is `1.0`, an `int`
    /// converts exactly.
    ///
    /// ```swift
    /// PyValue.bool(true).doubleValue   // 1.0
    /// PyValue.int(-3).doubleValue      // -3.0
    /// ```
    @inlinable
    public var doubleValue: Double {
        switch self {
        case .int(let value): return Double(value)
        case .float(let value): return value
        case .bool(let value): return value ? 1.0 : 0.0
        }
    }

    /// The integer value of an `int` or `bool` (`True` is 1); `nil` for a
    /// `float`, which Python never treats as an integer implicitly.
    @inlinable
    public var integerValue: Int? {
        switch self {
        case .int(let value): return value
        case .float: return nil
        case .bool(let value): return value ? 1 : 0
        }
    }

    /// Python's `bool(v)`: false only for `False`, `0` and `±0.0`
    /// (NaN is truthy). Used for the test of `A if C else B`.
    ///
    /// ```swift
    /// PyValue.float(.nan).isTruthy   // true
    /// PyValue.int(0).isTruthy        // false
    /// ```
    @inlinable
    public var isTruthy: Bool {
        switch self {
        case .int(let value): return value != 0
        case .float(let value): return value != 0
        case .bool(let value): return value
        }
    }
}

/// Integer literals make `.int` values, so tests and callers can write
/// `try expression.evaluate(3)`.
extension PyValue: ExpressibleByIntegerLiteral {
    /// `.int(value)`: `let v: PyValue = 3`.
    public init(integerLiteral value: Int) { self = .int(value) }
}

/// Float literals make `.float` values: `try expression.evaluate(0.5)`.
extension PyValue: ExpressibleByFloatLiteral {
    /// `.float(value)`: `let v: PyValue = 0.5`.
    public init(floatLiteral value: Double) { self = .float(value) }
}

/// `true`/`false` make `.bool` values.
extension PyValue: ExpressibleByBooleanLiteral {
    /// `.bool(value)`: `let v: PyValue = true`.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}
