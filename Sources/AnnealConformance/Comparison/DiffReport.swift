import AnnealSpec
import AnnealJSON

/// How many divergences after the first ``renderDiffReport(_:goldenName:goldenPath:candidatePath:)``
/// lists, one per line.
public let diffReportFurtherDivergenceLimit = 10

/// How many divergences (and notes) ``diffJSON(_:goldenName:goldenPath:candidatePath:)``
/// includes.
public let diffJSONDivergenceLimit = 100

/// The human-readable report of a comparison, as `anneal diff` prints it.
///
/// A match is one line:
///
/// ```
/// match: StepLR/step_size=3 (101 records, 404 values, max 0 ULP)
/// ```
///
/// A mismatch names the first divergence in detail, then summarizes, then
/// lists up to ``diffReportFurtherDivergenceLimit`` more, one per line:
///
/// ```
/// mismatch: StepLR/step_size=3
///   first divergence at record 12 (op "step"), key lr[0]
///     expected 0.0025000000000000005
///     got      0.0025000000000000001
///     distance 1 ULP
///   3 values differ in 2 records; largest distance 4 ULP (tolerance 0 ULP)
///   further divergences:
///     record 13 (op "step"), lr[0]: values differ by 4 ULP; expected 0.00125, got 0.0012500000000000009
///   golden    Golden/StepLR/step_size=3.json
///   candidate out/StepLR/step_size=3.json
/// ```
///
/// Floats are printed as Python writes them (``pythonFloatRepr(_:)``), other
/// values as compact JSON (long ones shortened). Error messages that differ
/// where the types match are listed as `note:` lines in both forms. The
/// text ends with a newline.
public func renderDiffReport(
    _ result: ComparisonResult, goldenName: String, goldenPath: String, candidatePath: String?
) -> String {
    var lines: [String] = []
    if result.matches {
        var summary = "\(result.recordCount.expected) record\(plural(result.recordCount.expected)), "
            + "\(result.comparedValueCount) value\(plural(result.comparedValueCount)), "
            + "max \(formatULP(result.maxULPDistance))"
        switch result.tolerance {
        case .ulps(0):
            break
        case .ulps:
            summary += ", tolerance \(result.tolerance.summary)"
        case .absolute:
            summary += ", max difference \(pythonFloatRepr(result.maxAbsoluteDifference)), tolerance \(result.tolerance.summary)"
        }
        lines.append("match: \(goldenName) (\(summary))")
        appendNotes(result, to: &lines)
        return lines.joined(separator: "\n") + "\n"
    }

    lines.append("mismatch: \(goldenName)")
    if let first = result.first {
        appendDetail(first, tolerance: result.tolerance, to: &lines)
    }
    lines.append("  " + mismatchSummary(result))

    let further = result.divergences.dropFirst().prefix(diffReportFurtherDivergenceLimit)
    if !further.isEmpty {
        lines.append("  further divergences:")
        for divergence in further {
            lines.append("    " + oneLine(divergence))
        }
        let remaining = result.differingValueCount - 1 - further.count
        if remaining > 0 {
            lines.append("    ... and \(remaining) more")
        }
    }
    appendNotes(result, to: &lines)
    lines.append("  golden    \(goldenPath)")
    if let candidatePath {
        lines.append("  candidate \(candidatePath)")
    }
    return lines.joined(separator: "\n") + "\n"
}

/// The comparison as JSON, for `anneal diff --format json`:
///
/// ```json
/// {"match": false, "name": "StepLR/step_size=3", "golden": "Golden/...", "candidate": "out/...",
///  "tolerance": {"ulps": 0}, "records": {"expected": 101, "got": 101},
///  "differing_values": 3, "differing_records": 2, "compared_values": 404,
///  "max_ulp": 4, "max_abs": 8.673617379884035e-19,
///  "first_divergence": {"record": 12, "op": "step", "path": "lr[0]", "kind": "number",
///                       "expected": 0.0025000000000000005, "got": 0.0025, "ulp": 1,
///                       "abs": 4.336808689942018e-19, "float32": false,
///                       "message": "values differ by 1 ULP"},
///  "divergences": [...], "notes": [...]}
/// ```
///
/// - `candidate` is `null` when there is no candidate path.
/// - `first_divergence` is `null` on a match; `divergences` holds the first
///   ``diffJSONDivergenceLimit`` (the first included), `notes` likewise.
/// - In a divergence, `record` is -1 at the top level; `op`, `ulp` and `abs`
///   are `null` when unknown or not applicable; `expected`/`got` are `null`
///   when that side has nothing there (`kind` `missing_key` or
///   `unexpected_key` tells which) — or when it holds `null`.
/// - A distance that is not comparable (NaN against a number, an infinity
///   against anything else) is written `Infinity` in `ulp` and `max_ulp`.
public func diffJSON(
    _ result: ComparisonResult, goldenName: String, goldenPath: String, candidatePath: String?
) -> JSONValue {
    var object = JSONObject()
    object["match"] = .bool(result.matches)
    object["name"] = .string(goldenName)
    object["golden"] = .string(goldenPath)
    object["candidate"] = candidatePath.map(JSONValue.string) ?? .null
    object["tolerance"] = result.tolerance.json
    object["records"] = ["expected": .int(result.recordCount.expected), "got": .int(result.recordCount.got)]
    object["differing_values"] = .int(result.differingValueCount)
    object["differing_records"] = .int(result.differingRecordCount)
    object["compared_values"] = .int(result.comparedValueCount)
    object["max_ulp"] = ulpJSON(result.maxULPDistance)
    object["max_abs"] = .double(result.maxAbsoluteDifference)
    object["first_divergence"] = result.first.map(divergenceJSON) ?? .null
    object["divergences"] = .array(result.divergences.prefix(diffJSONDivergenceLimit).map(divergenceJSON))
    object["notes"] = .array(result.notes.prefix(diffJSONDivergenceLimit).map(divergenceJSON))
    return .object(object)
}

/// One divergence as JSON (see ``diffJSON(_:goldenName:goldenPath:candidatePath:)``).
public func divergenceJSON(_ divergence: Divergence) -> JSONValue {
    var object = JSONObject()
    object["record"] = .int(divergence.recordIndex)
    object["op"] = divergence.op.map(JSONValue.string) ?? .null
    object["path"] = .string(divergence.path)
    object["kind"] = .string(divergence.kind.rawValue)
    object["expected"] = divergence.expected ?? .null
    object["got"] = divergence.got ?? .null
    object["ulp"] = divergence.ulpDistance.map(ulpJSON) ?? .null
    object["abs"] = divergence.absoluteDifference.map(JSONValue.double) ?? .null
    object["float32"] = .bool(divergence.isFloat32)
    object["message"] = .string(divergence.message)
    return .object(object)
}

// MARK: - Pieces

private func ulpJSON(_ distance: UInt64) -> JSONValue {
    if distance == ULP.unbounded { return .double(.infinity) }
    return distance <= UInt64(Int.max) ? .int(Int(distance)) : .double(Double(distance))
}

private func plural(_ n: Int) -> String { n == 1 ? "" : "s" }

/// `4 ULP`, or `unbounded` for pairs that are not comparable.
private func formatULP(_ distance: UInt64, float32: Bool = false) -> String {
    if distance == ULP.unbounded { return "unbounded" }
    return "\(distance) \(float32 ? "float32 ULP" : "ULP")"
}

/// A value as the report prints it: floats as Python writes them, anything
/// else as compact JSON cut at `limit` characters; `(missing)` for `nil`.
private func formatValue(_ value: JSONValue?, limit: Int = 200) -> String {
    guard let value else { return "(missing)" }
    if case .double(let x) = value { return pythonFloatRepr(x) }
    let text = value.serialized()
    guard text.count > limit else { return text }
    return String(text.prefix(limit)) + " ..."
}

/// `record 12 (op "step"), key lr[0]`, `top level, key error`.
private func location(_ divergence: Divergence, keyWord: Bool) -> String {
    var out = divergence.recordIndex >= 0 ? "record \(divergence.recordIndex)" : "top level"
    if let op = divergence.op, divergence.recordIndex >= 0 || divergence.path == "error" {
        out += " (op \"\(op)\")"
    }
    if !divergence.path.isEmpty {
        out += keyWord ? ", key \(divergence.path)" : ", \(divergence.path)"
    }
    return out
}

private func appendDetail(_ divergence: Divergence, tolerance: Tolerance, to lines: inout [String]) {
    if divergence.kind == .recordCount {
        lines.append("  first divergence: \(divergence.message)")
        if let expected = divergence.expected?.intValue, let got = divergence.got?.intValue {
            let opText = divergence.op.map { " (op \"\($0)\")" } ?? ""
            if got < expected {
                lines.append("    the candidate's trace ends before record \(got)\(opText)")
            } else {
                lines.append("    the candidate's trace has extra records from record \(expected)\(opText)")
            }
        }
        return
    }
    lines.append("  first divergence at \(location(divergence, keyWord: true))")
    if divergence.kind != .number {
        lines.append("    \(divergence.message)")
    }
    lines.append("    expected \(formatValue(divergence.expected))")
    lines.append("    got      \(formatValue(divergence.got))")
    if divergence.kind == .number, let ulp = divergence.ulpDistance {
        if ulp == ULP.unbounded {
            lines.append("    distance unbounded (\(divergence.message))")
        } else if let abs = divergence.absoluteDifference, case .absolute = tolerance {
            lines.append("    distance \(formatULP(ulp, float32: divergence.isFloat32)), difference \(pythonFloatRepr(abs))")
        } else {
            lines.append("    distance \(formatULP(ulp, float32: divergence.isFloat32))")
        }
    }
}

/// `3 values differ in 2 records; largest distance 4 ULP (tolerance 0 ULP)`.
private func mismatchSummary(_ result: ComparisonResult) -> String {
    let n = result.differingValueCount
    var out = n == 1 ? "1 value differs" : "\(n) values differ"
    let records = result.differingRecordCount
    if records > 0 {
        out += " in \(records) record\(plural(records))"
    } else {
        out += " at the top level"
    }
    if result.recordCount.expected != result.recordCount.got {
        out += " (record count: expected \(result.recordCount.expected), got \(result.recordCount.got))"
    }
    switch result.tolerance {
    case .ulps:
        out += "; largest distance \(formatULP(result.maxULPDistance)) (tolerance \(result.tolerance.summary))"
    case .absolute:
        out += "; largest difference \(pythonFloatRepr(result.maxAbsoluteDifference)) (tolerance \(result.tolerance.summary))"
        out += ", largest distance \(formatULP(result.maxULPDistance))"
    }
    return out
}

/// `record 13 (op "step"), lr[0]: values differ by 4 ULP; expected 0.1, got 0.10000000000000002`.
private func oneLine(_ divergence: Divergence) -> String {
    if divergence.kind == .recordCount { return "top level: \(divergence.message)" }
    var out = "\(location(divergence, keyWord: false)): \(divergence.message)"
    switch divergence.kind {
    case .missingKey:
        out += "; expected \(formatValue(divergence.expected, limit: 60))"
    case .unexpectedKey:
        out += "; got \(formatValue(divergence.got, limit: 60))"
    default:
        out += "; expected \(formatValue(divergence.expected, limit: 60)), got \(formatValue(divergence.got, limit: 60))"
    }
    return out
}

private func appendNotes(_ result: ComparisonResult, to lines: inout [String]) {
    let shown = result.notes.prefix(diffReportFurtherDivergenceLimit)
    for note in shown {
        let expected = note.expected?["message"].map { formatValue($0, limit: 100) } ?? "(none)"
        let got = note.got?["message"].map { formatValue($0, limit: 100) } ?? "(none)"
        lines.append("  note: \(location(note, keyWord: false)): \(note.message); expected \(expected), got \(got)")
    }
    if result.notes.count > shown.count {
        lines.append("  note: ... and \(result.notes.count - shown.count) more")
    }
}
