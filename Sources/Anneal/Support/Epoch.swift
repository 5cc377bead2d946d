/// A scheduler epoch counter as Python holds it: an `int`, or a `float` once
/// a fractional epoch was passed to `step(epoch:)`.
///
/// PyTorch stores whatever was passed (`scheduler.step(2.5)` makes
/// `last_epoch` the float `2.5`, and later `+= 1` keeps it a float), and
/// traces and state dicts record that type, so the value carries it.
public struct Epoch: Sendable, Hashable, Comparable, CustomStringConvertible,
    ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral
{
    /// The numeric value; exact for integers below 2^53.
    public var value: Double
    /// Whether Python would hold this epoch as a `float` rather than an `int`.
    public var isFloat: Bool

    @inlinable
    public init(_ value: Int) {
        self.value = Double(value)
        self.isFloat = false
    }

    @inlinable
    public init(float value: Double) {
        self.value = value
        self.isFloat = true
    }

    @inlinable
    public init(integerLiteral value: Int) { self.init(value) }

    @inlinable
    public init(floatLiteral value: Double) { self.init(float: value) }

    /// The epoch as a Python value (for expressions such as `lr_lambda`).
    @inlinable
    public var pythonValue: PyValue { isFloat ? .float(value) : .int(Int(value)) }

    /// The epoch as a JSON value with Python's type (`3` or `3.0`).
    public var json: JSONValue { isFloat ? .double(value) : .int(Int(value)) }

    /// Reads an epoch from a JSON number, keeping its type.
    public init?(json: JSONValue) {
        switch json {
        case .int(let i): self.init(i)
        case .double(let d): self.init(float: d)
        case .bool(let b): self.init(b ? 1 : 0)
        default: return nil
        }
    }

    /// `epoch + n` with Python's typing: an int stays an int.
    @inlinable
    public static func + (lhs: Epoch, rhs: Int) -> Epoch {
        var result = lhs
        result.value += Double(rhs)
        return result
    }

    @inlinable
    public static func - (lhs: Epoch, rhs: Int) -> Epoch {
        var result = lhs
        result.value -= Double(rhs)
        return result
    }

    @inlinable
    public static func < (lhs: Epoch, rhs: Epoch) -> Bool { lhs.value < rhs.value }

    /// Python equality: `2 == 2.0`.
    @inlinable
    public static func == (lhs: Epoch, rhs: Epoch) -> Bool { lhs.value == rhs.value }

    public func hash(into hasher: inout Hasher) { hasher.combine(value) }

    public var description: String { pythonValue.description }
}
