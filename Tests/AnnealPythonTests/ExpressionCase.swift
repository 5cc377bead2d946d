import AnnealPython
import Testing

/// A Python number written exactly, as the generated tables hold them.
enum Exact: Sendable, Hashable, CustomStringConvertible {
    case i(Int)
    /// A float by its IEEE bit pattern (NaN, infinities and -0.0 included).
    case f(UInt64)
    case b(Bool)

    var value: PyValue {
        switch self {
        case .i(let value): return .int(value)
        case .f(let bits): return .float(Double(bitPattern: bits))
        case .b(let value): return .bool(value)
        }
    }

    var description: String { value.description }
}

/// What Python gave: a value, or an exception (message `nil`: not compared).
enum Outcome: Sendable, Hashable {
    case i(Int)
    case f(UInt64)
    case b(Bool)
    case error(String, String?)
}

/// One evaluation: the value of `epoch`/`x`, Python's outcome and `repr`.
struct Check: Sendable {
    var input: Exact
    var expected: Outcome
    var repr: String?

    init(_ input: Exact, _ expected: Outcome, _ repr: String?) {
        self.input = input
        self.expected = expected
        self.repr = repr
    }
}

/// An expression and its checks, from make_expression_cases.py.
struct ExpressionCase: Sendable, CustomTestStringConvertible {
    var source: String
    var checks: [Check]

    init(_ source: String, _ checks: [Check]) {
        self.source = source
        self.checks = checks
    }

    var testDescription: String { source }
}

/// A double (by bits) and Python's `repr` of it.
struct ReprCase: Sendable, CustomTestStringConvertible {
    var bits: UInt64
    var repr: String

    init(_ bits: UInt64, _ repr: String) {
        self.bits = bits
        self.repr = repr
    }

    var testDescription: String { repr }
}

/// Whether `actual` is exactly Python's value: same type, same integer or
/// same IEEE bits (every NaN matches every NaN; Python does not expose the
/// sign or payload of a NaN consistently across libm versions).
func matches(_ actual: PyValue, _ expected: Outcome) -> Bool {
    switch (actual, expected) {
    case (.int(let a), .i(let b)): return a == b
    case (.bool(let a), .b(let b)): return a == b
    case (.float(let a), .f(let bits)):
        let b = Double(bitPattern: bits)
        return (a.isNaN && b.isNaN) || a.bitPattern == bits
    default: return false
    }
}

/// `actual` spelled like an ``Outcome``, for failure messages.
func describe(_ actual: PyValue) -> String {
    switch actual {
    case .int(let value): return ".i(\(value))"
    case .bool(let value): return ".b(\(value))"
    case .float(let value): return ".f(0x\(String(value.bitPattern, radix: 16, uppercase: true))) = \(value)"
    }
}

// MARK: Reading the generated tables

/// Parses `generatedExpressionTable` (format: make_expression_cases.py).
func parseExpressionTable(_ table: String) -> [ExpressionCase] {
    var cases: [ExpressionCase] = []
    for line in table.split(separator: "\n", omittingEmptySubsequences: true) {
        let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        if fields[0] == "E" {
            cases.append(ExpressionCase(fields[1], []))
            continue
        }
        precondition(fields.count == 5 && !cases.isEmpty, "bad table line: \(line)")
        let input = exact(fields[0], fields[1])
        let expected: Outcome
        let repr: String?
        switch fields[2] {
        case "error":
            expected = .error(fields[3], fields[4])
            repr = nil
        case "error?":
            expected = .error(fields[3], nil)
            repr = nil
        default:
            switch exact(fields[2], fields[3]) {
            case .i(let value): expected = .i(value)
            case .f(let bits): expected = .f(bits)
            case .b(let value): expected = .b(value)
            }
            repr = fields[4]
        }
        cases[cases.count - 1].checks.append(Check(input, expected, repr))
    }
    return cases
}

/// Parses `generatedReprTable`.
func parseReprTable(_ table: String) -> [ReprCase] {
    table.split(separator: "\n").map { line in
        let fields = line.split(separator: "\t")
        return ReprCase(UInt64(fields[0], radix: 16)!, String(fields[1]))
    }
}

private func exact(_ kind: String, _ value: String) -> Exact {
    switch kind {
    case "i": return .i(Int(value)!)
    case "f": return .f(UInt64(value, radix: 16)!)
    case "b": return .b(value == "1")
    default: preconditionFailure("bad kind \(kind)")
    }
}

let generatedExpressionCases = parseExpressionTable(generatedExpressionTable)
let generatedReprCases = parseReprTable(generatedReprTable)
