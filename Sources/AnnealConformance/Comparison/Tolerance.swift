import AnnealSpec
import AnnealJSON

/// How far a candidate's numbers may be from a golden's: a golden's
/// `tolerance` key.
///
/// - ``ulps(_:)``: the distance in units in the last place (see ``ULP``) must
///   not exceed `N`. The default, `ulps(0)`, is bit-exact (with NaN equal to
///   NaN and `+0` equal to `-0`). For float32 `params` the unit is a float32
///   ULP.
/// - ``absolute(_:)``: `|expected - got|` must not exceed `X` (goldens
///   transcribed from a document, whose numbers are rounded, use this).
///
/// Under either, NaN equals only NaN and an infinity only the same infinity,
/// whatever the tolerance.
public enum Tolerance: Sendable, Hashable {
    /// At most this many ULPs apart.
    case ulps(UInt64)
    /// At most this far apart in absolute value.
    case absolute(Double)

    /// Bit-exact: `.ulps(0)`, the format's default.
    public static let exact = Tolerance.ulps(0)

    /// The tolerance a golden's `tolerance` key states.
    ///
    /// - `nil` (key absent) or `null`: ``exact``. (`null` is accepted as
    ///   absent, as the reference generator accepts it.)
    /// - `{"ulps": N}` with `N` a non-negative integer: `.ulps(N)`.
    /// - `{"abs": X}` with `X` a non-negative number (integer or float, not
    ///   NaN): `.absolute(X)`.
    ///
    /// - Throws: ``ComparisonInputError`` for anything else: another kind of
    ///   value, extra or missing keys, both keys, a negative, fractional or
    ///   boolean `ulps`, a negative or NaN `abs`.
    public init(json: JSONValue?) throws(ComparisonInputError) {
        guard let json, !json.isNull else {
            self = .exact
            return
        }
        func invalid(_ why: String) -> ComparisonInputError {
            ComparisonInputError(
                side: .golden,
                message: #"tolerance must be {"ulps": N} or {"abs": X}; \#(why) (got \#(json.serialized()))"#)
        }
        guard let object = json.objectValue else {
            throw invalid("it is \(comparisonKindPhrase(json))")
        }
        guard object.count == 1 else {
            throw invalid(object.isEmpty ? "the object is empty" : "it must have exactly one key")
        }
        let key = object.keys[0]
        let value = object.values[0]
        switch key {
        case "ulps":
            guard case .int(let n) = value else {
                throw invalid("ulps must be an integer, not \(comparisonKindPhrase(value))")
            }
            guard n >= 0 else { throw invalid("ulps must not be negative") }
            self = .ulps(UInt64(n))
        case "abs":
            guard let x = value.doubleValue else {
                throw invalid("abs must be a number, not \(comparisonKindPhrase(value))")
            }
            guard !x.isNaN else { throw invalid("abs must not be NaN") }
            guard x >= 0 else { throw invalid("abs must not be negative") }
            self = .absolute(x)
        default:
            throw invalid("unknown key \"\(key)\"")
        }
    }

    /// The tolerance as a golden writes it: `{"ulps": N}` or `{"abs": X}`.
    public var json: JSONValue {
        switch self {
        case .ulps(let n):
            // UInt64 beyond Int.max cannot be an .int; such a tolerance
            // cannot come from a file anyway.
            return ["ulps": n <= UInt64(Int.max) ? .int(Int(n)) : .double(Double(n))]
        case .absolute(let x):
            return ["abs": .double(x)]
        }
    }

    /// `0 ULP`, `2 ULP`, or `abs 1e-12` (numbers as Python writes them).
    public var summary: String {
        switch self {
        case .ulps(let n): return "\(n) ULP"
        case .absolute(let x): return "abs \(pythonFloatRepr(x))"
        }
    }
}

/// "an integer", "a float", "null", ...: a value's kind for error messages.
func comparisonKindPhrase(_ value: JSONValue) -> String {
    switch value {
    case .null: return "null"
    case .bool: return "a boolean"
    case .int: return "an integer"
    case .double: return "a float"
    case .string: return "a string"
    case .array: return "an array"
    case .object: return "an object"
    }
}
