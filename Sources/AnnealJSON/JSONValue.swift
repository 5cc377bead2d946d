/// A JSON value, as read from or written to a trace file.
///
/// `JSONValue` mirrors what Python's `json` module produces and consumes, so
/// that a trace written by PyTorch's side and one written by Anneal can be
/// compared value by value:
///
/// - Numbers keep Python's int/float distinction: a number written without
///   `.`, `e` or `E` that fits in `Int64` is ``int(_:)``; every other number
///   (including the bare tokens `NaN`, `Infinity` and `-Infinity`) is
///   ``double(_:)``. Doubles are read and written bit-exactly.
/// - Objects keep their keys in insertion order (see ``JSONObject``), so a
///   file read and written again keeps its layout.
///
/// Equality is structural, with two choices made so that `JSONValue` is a
/// lawful `Hashable` type: `.double(.nan) == .double(.nan)` (any NaN equals
/// any NaN), and `.int(1) != .double(1.0)` (the kinds differ). As with
/// `Double`, `.double(0.0) == .double(-0.0)`. Objects compare by key set and
/// values, ignoring key order.
///
/// ```swift
/// let v = try JSONValue.parse(#"{"lr": [0.1, 0.01], "last_epoch": 3}"#)
/// v["lr"]?[1]?.doubleValue      // 0.01
/// v["last_epoch"]?.intValue     // 3
/// v.serialized()                // {"lr": [0.1, 0.01], "last_epoch": 3}
/// ```
public enum JSONValue: Sendable {
    /// JSON `null` (Python `None`).
    case null
    /// JSON `true` or `false`.
    case bool(Bool)
    /// A JSON number written without `.`, `e` or `E` that fits in `Int64`
    /// (Python `int`).
    case int(Int)
    /// Any other JSON number (Python `float`), including `NaN`, `Infinity`
    /// and `-Infinity`, and integers too large for `Int64`.
    case double(Double)
    /// A JSON string.
    case string(String)
    /// A JSON array.
    case array([JSONValue])
    /// A JSON object; its keys keep insertion order.
    case object(JSONObject)
}

// MARK: - Equality and hashing

extension JSONValue: Hashable {
    /// Structural equality: same kind and equal contents. Any NaN equals any
    /// NaN (so that `==` is reflexive), `0.0` equals `-0.0`, and an `.int`
    /// never equals a `.double`. Objects compare without regard to key order.
    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null):
            return true
        case let (.bool(a), .bool(b)):
            return a == b
        case let (.int(a), .int(b)):
            return a == b
        case let (.double(a), .double(b)):
            return a == b || (a.isNaN && b.isNaN)
        case let (.string(a), .string(b)):
            return a == b
        case let (.array(a), .array(b)):
            return a == b
        case let (.object(a), .object(b)):
            return a == b
        default:
            return false
        }
    }

    /// Hashes consistently with ``==(_:_:)``: every NaN hashes alike, and
    /// object hashes ignore key order.
    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null:
            hasher.combine(0 as UInt8)
        case .bool(let b):
            hasher.combine(1 as UInt8)
            hasher.combine(b)
        case .int(let i):
            hasher.combine(2 as UInt8)
            hasher.combine(i)
        case .double(let d):
            hasher.combine(3 as UInt8)
            if d.isNaN {
                hasher.combine(Double.nan.bitPattern)
            } else {
                hasher.combine(d)  // Double's hash already equates 0.0 and -0.0.
            }
        case .string(let s):
            hasher.combine(4 as UInt8)
            hasher.combine(s)
        case .array(let a):
            hasher.combine(5 as UInt8)
            hasher.combine(a)
        case .object(let o):
            hasher.combine(6 as UInt8)
            hasher.combine(o)
        }
    }
}

// MARK: - Accessors

extension JSONValue {
    /// Whether this is `null`.
    @inlinable
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The boolean, or `nil` when this is not a boolean.
    @inlinable
    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    /// The integer of an ``int(_:)``, or `nil` for any other kind.
    ///
    /// A `.double` is never converted, even when integral: the trace format
    /// distinguishes Python `int` from `float`, and a reader that wants
    /// either can use ``doubleValue``.
    @inlinable
    public var intValue: Int? {
        if case .int(let i) = self { return i }
        return nil
    }

    /// The number as a `Double`: the value of a `.double`, or an `.int`
    /// converted to the nearest `Double`; `nil` for every other kind,
    /// booleans included (unlike Python, where `True` is a number).
    @inlinable
    public var doubleValue: Double? {
        switch self {
        case .double(let d): return d
        case .int(let i): return Double(i)
        default: return nil
        }
    }

    /// The string, or `nil` when this is not a string.
    @inlinable
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The elements, or `nil` when this is not an array.
    @inlinable
    public var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// The object, or `nil` when this is not an object.
    @inlinable
    public var objectValue: JSONObject? {
        if case .object(let o) = self { return o }
        return nil
    }

    /// The value stored under `key`, or `nil` when this is not an object or
    /// has no such key (a key holding `null` gives `.null`, not `nil`).
    @inlinable
    public subscript(key: String) -> JSONValue? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    /// The element at `index`, or `nil` when this is not an array or the
    /// index is out of range (negative indices are out of range).
    @inlinable
    public subscript(index: Int) -> JSONValue? {
        if case .array(let a) = self, a.indices.contains(index) { return a[index] }
        return nil
    }

    /// The kind of value, as json-c's nodes report theirs.
    @inlinable
    public var kind: JSONCNode.Kind {
        switch self {
        case .null: return .null
        case .bool: return .bool
        case .int: return .int
        case .double: return .double
        case .string: return .string
        case .array: return .array
        case .object: return .object
        }
    }

    /// The kind of value, named as the trace format's error messages name
    /// it: `"null"`, `"boolean"`, `"integer"`, `"number"` (a `.double`),
    /// `"string"`, `"array"` or `"object"`.
    public var kindName: String { kind.name }
}

extension JSONValue: CustomStringConvertible {
    /// The compact JSON text of the value, as ``serialized(indent:)`` writes
    /// it with no indent.
    public var description: String { serialized() }
}
