/// A scheduler epoch counter as Python holds it: an `int`, or a `float` once
/// a fractional epoch was passed to `step(epoch:)`.
///
/// PyTorch stores whatever was passed (`scheduler.step(2.5)` makes
/// `last_epoch` the float `2.5`, and later `+= 1` keeps it a float), and
/// traces and state dicts record that type, so the value carries it.
///
/// An `int` is kept exactly over the whole of `Int` (a Python int has no
/// bound; past `Int`'s range, ``advanced(by:)`` raises
/// ``PythonError/beyondAnneal(_:)`` rather than wrapping or trapping).
/// ``value`` is its nearest double, which is what Python's `float(epoch)`
/// gives, so float formulas over it match Python's.
public struct Epoch: Sendable, Hashable, Comparable, CustomStringConvertible,
    ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral
{
    /// The numeric value: the float, or the int rounded to the nearest double.
    public let value: Double
    /// Whether Python would hold this epoch as a `float` rather than an `int`.
    public let isFloat: Bool
    /// The exact value of an `int` epoch (0 for a float).
    public let integer: Int

    @inlinable
    public init(_ value: Int) {
        self.value = Double(value)
        self.isFloat = false
        self.integer = value
    }

    @inlinable
    public init(float value: Double) {
        self.value = value
        self.isFloat = true
        self.integer = 0
    }

    @inlinable
    public init(integerLiteral value: Int) { self.init(value) }

    @inlinable
    public init(floatLiteral value: Double) { self.init(float: value) }

    /// The int `value` for an integral double (from `math.floor`), or
    /// ``PythonError/beyondAnneal(_:)`` when it is outside `Int`'s range.
    public init(integral value: Double) throws(PythonError) {
        guard let integer = Int(exactly: value) else {
            throw .beyondAnneal("the epoch \(PyFloat.repr(value)) as an int is beyond 2**63 - 1")
        }
        self.init(integer)
    }

    /// The epoch as a Python value (for expressions such as `lr_lambda`);
    /// expressions take integers within ±2^53 (the format's rule).
    @inlinable
    public func pythonValue() throws(PythonError) -> PyValue {
        if isFloat { return .float(value) }
        if integer > PyValue.maxInteger || integer < -PyValue.maxInteger {
            throw .beyondAnneal("the epoch \(integer) is beyond 2**53, the largest integer expressions take")
        }
        return .int(integer)
    }

    /// Whether ``value`` is exactly this epoch, so comparing doubles is
    /// comparing epochs: a float, or an int within ±2^53.
    @inlinable
    public var isExactAsDouble: Bool { isFloat || integer.magnitude <= 1 << 53 }

    /// The epoch as a JSON value with Python's type (`3` or `3.0`).
    public var json: JSONValue { isFloat ? .double(value) : .int(integer) }

    /// Reads an epoch from a JSON number, keeping its type.
    public init?(json: JSONValue) {
        switch json {
        case .int(let i): self.init(i)
        case .double(let d): self.init(float: d)
        case .bool(let b): self.init(b ? 1 : 0)
        default: return nil
        }
    }

    /// `epoch + n` with Python's typing: an int stays an int. An int past
    /// `Int`'s range raises ``PythonError/beyondAnneal(_:)``.
    @inlinable @inline(__always)
    public func advanced(by n: Int) throws(PythonError) -> Epoch {
        if isFloat { return Epoch(float: value + Double(n)) }
        let (sum, overflow) = integer.addingReportingOverflow(n)
        if overflow { throw Self.overflow(integer, n) }
        return Epoch(sum)
    }

    /// The error of ``advanced(by:)``, out of line: every step passes there.
    @usableFromInline @inline(never)
    static func overflow(_ integer: Int, _ n: Int) -> PythonError {
        .beyondAnneal("the epoch \(integer) + \(n) is beyond the range of a 64-bit integer")
    }

    /// Python's `a < b`, exact for ints and for an int against a float.
    @inlinable @inline(__always)
    public static func < (lhs: Epoch, rhs: Epoch) -> Bool {
        if lhs.isFloat == rhs.isFloat { return lhs.isFloat ? lhs.value < rhs.value : lhs.integer < rhs.integer }
        return lhs.isFloat ? compare(rhs.integer, lhs.value) == 1 : compare(lhs.integer, rhs.value) == -1
    }

    /// Python equality: `2 == 2.0`, exact for ints.
    @inlinable @inline(__always)
    public static func == (lhs: Epoch, rhs: Epoch) -> Bool {
        if lhs.isFloat == rhs.isFloat { return lhs.isFloat ? lhs.value == rhs.value : lhs.integer == rhs.integer }
        return compare(lhs.isFloat ? rhs.integer : lhs.integer, lhs.isFloat ? lhs.value : rhs.value) == 0
    }

    /// The sign of `int − float`, exactly (NaN compares as unordered: 2).
    @usableFromInline
    static func compare(_ int: Int, _ float: Double) -> Int {
        if float.isNaN { return 2 }
        let rounded = Double(int)
        if rounded < float { return -1 }
        if rounded > float { return 1 }
        // `float` is integral here; 2^63 itself is beyond every Int.
        guard let exact = Int(exactly: float) else { return -1 }
        return int < exact ? -1 : int > exact ? 1 : 0
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(value) }

    public var description: String { isFloat ? PyFloat.repr(value) : String(integer) }
}

extension Epoch {
    /// `float(epoch - 1)`: for an int, the subtraction is exact before the
    /// rounding, as in Python (past 2^53, `value - 1` would round first).
    @inlinable
    public var predecessorValue: Double {
        if isFloat { return value - 1 }
        let (difference, overflow) = integer.subtractingReportingOverflow(1)
        return overflow ? value - 1 : Double(difference)
    }

    /// Python's `a / b`: for two ints the correctly rounded quotient (which
    /// `Double(a) / Double(b)` is not past 2^53), else float division.
    @inlinable
    public static func trueDivide(_ a: Epoch, _ b: Epoch) throws(PythonError) -> Double {
        if a.isFloat || b.isFloat { return try PyFloat.divide(a.value, b.value) }
        if b.integer == 0 { throw .zeroDivisionError("division by zero") }
        return exactQuotient(a.integer, b.integer)
    }

    /// `a / b` rounded once, to the nearest double (ties to even).
    @inlinable @inline(__always)
    static func exactQuotient(_ a: Int, _ b: Int) -> Double {
        // Within 2^53 both convert exactly, and one division rounds once.
        let limit: UInt = 1 << 53
        if a.magnitude <= limit && b.magnitude <= limit { return Double(a) / Double(b) }
        return wideQuotient(a, b)
    }

    @usableFromInline @inline(never)
    static func wideQuotient(_ a: Int, _ b: Int) -> Double {
        if a == 0 { return (a < 0) != (b < 0) ? -0.0 : 0.0 }
        // Shift the dividend to the top of 128 bits, so the quotient keeps at
        // least 62 bits; a nonzero remainder sets the lowest bit (sticky),
        // which only breaks ties, far below the 53 bits a double keeps.
        let dividend = UInt128(a.magnitude)
        let shift = 127 - (128 - dividend.leadingZeroBitCount)
        let (quotient, remainder) = (dividend << shift).quotientAndRemainder(dividingBy: UInt128(b.magnitude))
        let magnitude = Double(quotient | (remainder == 0 ? 0 : 1)) * Double(sign: .plus, exponent: -shift, significand: 1)
        return (a < 0) != (b < 0) ? -magnitude : magnitude
    }
}
