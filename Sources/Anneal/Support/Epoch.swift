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
    @inlinable
    public func advanced(by n: Int) throws(PythonError) -> Epoch {
        if isFloat { return Epoch(float: value + Double(n)) }
        let (sum, overflow) = integer.addingReportingOverflow(n)
        if overflow { throw .beyondAnneal("the epoch \(integer) + \(n) is beyond the range of a 64-bit integer") }
        return Epoch(sum)
    }

    /// Python's `a < b`, exact for ints and for an int against a float.
    @inlinable
    public static func < (lhs: Epoch, rhs: Epoch) -> Bool {
        switch (lhs.isFloat, rhs.isFloat) {
        case (false, false): return lhs.integer < rhs.integer
        case (true, true): return lhs.value < rhs.value
        case (false, true): return compare(lhs.integer, rhs.value) == -1
        case (true, false): return compare(rhs.integer, lhs.value) == 1
        }
    }

    /// Python equality: `2 == 2.0`, exact for ints.
    @inlinable
    public static func == (lhs: Epoch, rhs: Epoch) -> Bool {
        switch (lhs.isFloat, rhs.isFloat) {
        case (false, false): return lhs.integer == rhs.integer
        case (true, true): return lhs.value == rhs.value
        case (false, true): return compare(lhs.integer, rhs.value) == 0
        case (true, false): return compare(rhs.integer, lhs.value) == 0
        }
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
