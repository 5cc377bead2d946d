import AnnealSpec
import AnnealJSON

/// Compares a candidate trace with its golden, as the trace format's
/// "Comparing a candidate with a golden" section says.
///
/// ## Rules
///
/// - **Records** are compared pairwise. A different record count is a
///   divergence (``Divergence/Kind/recordCount``), and the common prefix is
///   still compared, so a candidate that stops early is told where it went
///   wrong before it stopped.
/// - **Numbers** compare as doubles by their distance in ULPs (see ``ULP``)
///   under the golden's ``Tolerance``: NaN equals NaN, `+0` equals `-0`, an
///   infinity equals only the same infinity; with `{"ulps": N}` the distance
///   must not exceed `N`, with `{"abs": X}` `|expected - got|` must not
///   exceed `X`.
/// - **An integer and a float compare numerically, as doubles.** Python
///   writes SGD's default `momentum=0` as the integer `0` where a Swift
///   writer holding a `Double` writes `0.0`; the format's number comparison
///   is about values, not about how they were spelt, so `.int(0)` and
///   `.double(0.0)` match (and `.int(1)` against `.double(1.0.nextUp)` is
///   1 ULP apart). The integer is converted to the nearest double.
/// - **Two integers compare exactly**, whatever the tolerance (the format:
///   "integers ... compare exactly"); `last_epoch` 3 against 4 is a
///   divergence even under `{"abs": 10}`.
/// - **Booleans are not numbers**: `true` against `1` is a type divergence
///   (unlike Python, where `True == 1`).
/// - **`params`** (any value under a record's `params` key) are float32:
///   when both numbers are exactly representable as `Float` they compare in
///   float32 ULPs (one float32 step is one ULP, not 2^29 double ULPs); if
///   either is not (a writer that did not round to float32), they fall back
///   to double ULPs, so the difference still shows.
/// - Strings, booleans and `null` compare exactly; objects by key set (each
///   missing or unexpected key is a divergence naming the key) and then value
///   by value; arrays by length (a divergence) and then element by element
///   over the common prefix.
/// - **`error`** objects (a record's `error`, and the file's top-level
///   construction `error`) match on `type` alone; when the types match but
///   the messages differ, the difference is kept in
///   ``ComparisonResult/notes``, not counted.
///
/// Other top-level keys (`name`, `optimizer`, `script`, `source`, ...) are
/// not compared: they say what was run, and `source` legitimately differs.
public enum TraceComparison {
    /// The op name given to record 0.
    public static let constructionOp = "construction"

    /// Compares a golden with a candidate, both whole trace files (top-level
    /// objects).
    ///
    /// Compares the top-level construction `error` when either file has one
    /// (by `type`; a construction error on one side only is a divergence),
    /// then the `trace` arrays record by record, then the record counts. The
    /// tolerance is the golden's `tolerance` key (the candidate's is
    /// ignored). Each divergence in a record names the op that produced it,
    /// derived from the golden's `script` (see ``recordOps(script:limit:)``).
    ///
    /// A record-count divergence has record index -1 and path `trace`; its
    /// ``Divergence/op`` is the op of the first record one side lacks.
    ///
    /// - Throws: ``ComparisonInputError`` when either file is not an object
    ///   or has no `trace` array, or the golden's `tolerance` is invalid.
    public static func compare(golden: JSONValue, candidate: JSONValue) throws(ComparisonInputError) -> ComparisonResult {
        let goldenTrace = try traceArray(golden, side: .golden)
        let candidateTrace = try traceArray(candidate, side: .candidate)
        let tolerance = try Tolerance(json: golden["tolerance"])
        var comparator = TraceRecordComparator(tolerance: tolerance, script: golden["script"])
        comparator.compareConstructionErrors(golden: golden["error"], candidate: candidate["error"])
        for index in 0..<min(goldenTrace.count, candidateTrace.count) {
            comparator.compareNext(goldenTrace[index], candidateTrace[index])
        }
        return comparator.finish(goldenCount: goldenTrace.count, candidateCount: candidateTrace.count)
    }

    /// Compares one trace record with another under `result.tolerance`,
    /// with the record rules: a top-level `params` key compares float32, a
    /// top-level `error` key compares by type. Paths are relative to the
    /// record (`lr[0]`).
    public static func compareRecord(
        _ expected: JSONValue, _ got: JSONValue,
        recordIndex: Int, op: String?,
        into result: inout ComparisonResult
    ) {
        var walker = Walker(tolerance: result.tolerance, recordIndex: recordIndex, op: op, prefix: "")
        walker.isRecord = true
        walker.compare(expected, got, float32: false, into: &result)
    }

    /// Compares two values under `tolerance` (the lower level: no record
    /// rules), appending divergences to `result` and updating its counts.
    ///
    /// - Parameters:
    ///   - expected: the golden's value; `nil` when absent.
    ///   - got: the candidate's value; `nil` when absent.
    ///   - float32: compare numbers as float32 (as `params` are).
    ///   - path: the path of the two values, prefixed to the divergences'
    ///     paths (`""` for none).
    ///   - recordIndex, op: stored in the divergences.
    public static func compareValues(
        _ expected: JSONValue?, _ got: JSONValue?,
        tolerance: Tolerance, float32: Bool = false,
        path: String = "", recordIndex: Int = -1, op: String? = nil,
        into result: inout ComparisonResult
    ) {
        var walker = Walker(tolerance: tolerance, recordIndex: recordIndex, op: op, prefix: path)
        switch (expected, got) {
        case let (e?, g?):
            walker.compare(e, g, float32: float32, into: &result)
        case let (e?, nil):
            walker.record(.missingKey, expected: e, got: nil, message: "missing key", into: &result)
        case let (nil, g?):
            walker.record(.unexpectedKey, expected: nil, got: g, message: "unexpected key", into: &result)
        case (nil, nil):
            break
        }
    }

    /// The op that produced each record of a trace run from `script`:
    /// `"construction"` for record 0, then, for each op of the script, its
    /// `op` name once per record it yields: `repeat: N` yields N records,
    /// `metrics: [M1, ...]` one per metric (`metrics` wins if both are
    /// given, as the reference generator does), anything else one.
    ///
    /// A malformed script gives what can be read of it: an op without a
    /// string `op` is named `"?"`, a non-integer `repeat` counts 1, and a
    /// script that is not an array yields only `"construction"`.
    ///
    /// - Parameter limit: stop after this many names (a record count), so
    ///   that a huge `repeat` costs nothing; `nil` for no limit.
    public static func recordOps(script: JSONValue?, limit: Int? = nil) -> [String] {
        var ops = [constructionOp]
        let limit = limit ?? Int.max
        guard let script = script?.arrayValue else { return Array(ops.prefix(limit)) }
        for op in script {
            guard ops.count < limit else { break }
            let name = op["op"]?.stringValue ?? "?"
            let count = recordCount(of: op)
            let take = min(count, limit - ops.count)
            ops.append(contentsOf: repeatElement(name, count: take))
        }
        return Array(ops.prefix(limit))
    }

    /// How many records a script op yields, as ``recordOps(script:limit:)`` counts.
    static func recordCount(of op: JSONValue) -> Int {
        if let metrics = op["metrics"]?.arrayValue { return metrics.count }
        if let repeatCount = op["repeat"]?.intValue { return max(0, repeatCount) }
        return 1
    }

    // MARK: - Internals

    private static func traceArray(_ file: JSONValue, side: ComparisonInputError.Side) throws(ComparisonInputError) -> [JSONValue] {
        guard case .object(let object) = file else {
            throw ComparisonInputError(side: side, message: "the file is \(comparisonKindPhrase(file)), not a trace object")
        }
        guard let trace = object["trace"] else {
            throw ComparisonInputError(side: side, message: "no `trace` key (a spec rather than a golden?)")
        }
        guard let records = trace.arrayValue else {
            throw ComparisonInputError(side: side, message: "`trace` is \(comparisonKindPhrase(trace)), not an array")
        }
        return records
    }
}

/// One step of a key path.
enum PathComponent {
    case key(String)
    case index(Int)
}

/// Renders a key path: `lr[1]`, `state_dict._schedulers[0].base_lrs[2]`;
/// keys that are not identifiers as `["key"]`.
private func renderPath(prefix: String, _ components: [PathComponent]) -> String {
    var out = prefix
    for component in components {
        switch component {
        case .index(let i):
            out += "[\(i)]"
        case .key(let key):
            if isIdentifier(key) {
                out += out.isEmpty ? key : "." + key
            } else {
                out += "[" + JSONValue.string(key).serialized() + "]"
            }
        }
    }
    return out
}

private func isIdentifier(_ key: String) -> Bool {
    guard let first = key.utf8.first else { return false }
    func isLetter(_ c: UInt8) -> Bool { (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 95 }
    guard isLetter(first) else { return false }
    return key.utf8.allSatisfy { isLetter($0) || ($0 >= 48 && $0 <= 57) }
}

/// Walks two values in step, keeping the key path as components (rendered
/// only when a divergence is recorded).
struct Walker {
    let tolerance: Tolerance
    var recordIndex: Int
    var op: String?
    let prefix: String
    /// Whether the root is a trace record (so `params` and `error` directly
    /// under it get their rules).
    var isRecord = false
    var components: [PathComponent] = []

    init(tolerance: Tolerance, recordIndex: Int, op: String?, prefix: String) {
        self.tolerance = tolerance
        self.recordIndex = recordIndex
        self.op = op
        self.prefix = prefix
    }

    var path: String { renderPath(prefix: prefix, components) }

    func record(
        _ kind: Divergence.Kind, expected: JSONValue?, got: JSONValue?,
        ulp: UInt64? = nil, abs: Double? = nil, isFloat32: Bool = false,
        message: String, into result: inout ComparisonResult
    ) {
        result.record(Divergence(
            recordIndex: recordIndex, op: op, path: path, expected: expected, got: got,
            ulpDistance: ulp, absoluteDifference: abs, isFloat32: isFloat32,
            kind: kind, message: message))
    }

    mutating func compare<E: ComparisonNode, G: ComparisonNode>(
        _ expected: E, _ got: G, float32: Bool, into result: inout ComparisonResult
    ) {
        switch (expected.kind, got.kind) {
        case (.int, .int):
            let e = expected.int, g = got.int
            result.comparedValueCount += 1
            // |e - g| without overflow: the true difference is below 2^64,
            // so wrapping subtraction of the bit patterns gives it exactly.
            let (high, low) = e >= g ? (e, g) : (g, e)
            let difference = Double(UInt64(bitPattern: Int64(high)) &- UInt64(bitPattern: Int64(low)))
            result.maxAbsoluteDifference = max(result.maxAbsoluteDifference, difference)
            if e != g {
                record(.value, expected: expected.jsonValue, got: got.jsonValue, abs: difference,
                       message: "integers differ (integers compare exactly)", into: &result)
            }
        case (.int, .double):
            compareNumbers(Double(expected.int), got.double, expected, got, float32: float32, into: &result)
        case (.double, .int):
            compareNumbers(expected.double, Double(got.int), expected, got, float32: float32, into: &result)
        case (.double, .double):
            compareNumbers(expected.double, got.double, expected, got, float32: float32, into: &result)
        case (.bool, .bool):
            if expected.bool != got.bool {
                record(.value, expected: expected.jsonValue, got: got.jsonValue, message: "booleans differ", into: &result)
            }
        case (.string, .string):
            if expected.string != got.string {
                record(.value, expected: expected.jsonValue, got: got.jsonValue, message: "strings differ", into: &result)
            }
        case (.null, .null):
            break
        case (.array, .array):
            let e = expected.arrayCount, g = got.arrayCount
            if e != g {
                record(.length, expected: expected.jsonValue, got: got.jsonValue,
                       message: "array length differs: expected \(e), got \(g)", into: &result)
            }
            for i in 0..<min(e, g) {
                components.append(.index(i))
                compare(expected.element(i), got.element(i), float32: float32, into: &result)
                components.removeLast()
            }
        case (.object, .object):
            compareObjects(expected, got, float32: float32, into: &result)
        default:
            record(.type, expected: expected.jsonValue, got: got.jsonValue,
                   message: "type differs: expected \(expected.nodeKindName), got \(got.nodeKindName)", into: &result)
        }
    }

    private mutating func compareObjects<E: ComparisonNode, G: ComparisonNode>(
        _ expected: E, _ got: G, float32: Bool, into result: inout ComparisonResult
    ) {
        let atRecordTop = isRecord && components.isEmpty
        expected.forEachMember { key, e in
            components.append(.key(key))
            if let g = got.member(key) {
                if atRecordTop && key == "error" {
                    compareErrors(e.jsonValue, g.jsonValue, into: &result)
                } else {
                    compare(e, g, float32: float32 || (atRecordTop && key == "params"), into: &result)
                }
            } else {
                record(.missingKey, expected: e.jsonValue, got: nil, message: "missing key \"\(key)\"", into: &result)
            }
            components.removeLast()
        }
        got.forEachMember { key, g in
            guard expected.member(key) == nil else { return }
            components.append(.key(key))
            record(.unexpectedKey, expected: nil, got: g.jsonValue, message: "unexpected key \"\(key)\"", into: &result)
            components.removeLast()
        }
    }

    /// Two `error` objects: equal when their `type`s are; differing messages
    /// become a note. Anything that is not an object with a `type` on either
    /// side is compared as an ordinary value.
    mutating func compareErrors(_ expected: JSONValue, _ got: JSONValue, into result: inout ComparisonResult) {
        guard let expectedType = expected["type"], let gotType = got["type"] else {
            compare(expected, got, float32: false, into: &result)
            return
        }
        let e = expectedType.stringValue ?? expectedType.serialized()
        let g = gotType.stringValue ?? gotType.serialized()
        if expectedType != gotType {
            record(.errorType, expected: expected, got: got,
                   message: "error type differs: expected \(e), got \(g)", into: &result)
        } else if expected["message"] != got["message"] {
            result.note(Divergence(
                recordIndex: recordIndex, op: op, path: path, expected: expected, got: got,
                kind: .errorType,
                message: "error message differs (not compared; both \(e))"))
        }
    }

    private func compareNumbers<E: ComparisonNode, G: ComparisonNode>(
        _ e: Double, _ g: Double, _ expected: E, _ got: G,
        float32: Bool, into result: inout ComparisonResult
    ) {
        result.comparedValueCount += 1
        let bothNaN = e.isNaN && g.isNaN
        let comparable = bothNaN || (!e.isNaN && !g.isNaN && ((e.isFinite && g.isFinite) || e == g))

        var distance: UInt64
        var isFloat32 = false
        if float32, comparable, !bothNaN, let fe = Float(exactly: e), let fg = Float(exactly: g) {
            distance = ULP.distance(fe, fg)
            isFloat32 = true
        } else {
            distance = ULP.distance(e, g)
        }
        let difference: Double
        if !comparable {
            distance = ULP.unbounded
            difference = .infinity
        } else if bothNaN || e == g {
            difference = 0
        } else {
            difference = Swift.abs(e - g)
        }
        result.maxULPDistance = max(result.maxULPDistance, distance)
        result.maxAbsoluteDifference = max(result.maxAbsoluteDifference, difference)

        let within: Bool
        switch tolerance {
        case .ulps(let n): within = comparable && distance <= n
        case .absolute(let x): within = comparable && difference <= x
        }
        guard !within else { return }

        let unit = isFloat32 ? "float32 ULP" : "ULP"
        let message: String
        if !comparable {
            if e.isNaN {
                message = "expected NaN, got a number"
            } else if g.isNaN {
                message = "expected a number, got NaN"
            } else {
                message = "an infinity equals only the same infinity"
            }
        } else {
            switch tolerance {
            case .ulps:
                message = "values differ by \(distance) \(unit)"
            case .absolute:
                message = "values differ by \(pythonFloatRepr(difference)) (\(distance) \(unit))"
            }
        }
        record(.number, expected: expected.jsonValue, got: got.jsonValue, ulp: distance, abs: difference,
               isFloat32: isFloat32, message: message, into: &result)
    }
}
