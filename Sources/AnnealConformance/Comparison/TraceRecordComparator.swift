import AnnealSpec
import AnnealJSON

/// Compares a candidate's trace with a golden's as the records arrive, one
/// pair at a time, under the rules of ``TraceComparison`` (which compares
/// whole documents with it). Nothing of a record is kept once compared
/// (beyond the first ``ComparisonResult/storedDivergenceLimit``
/// divergences), so a trace of any length compares in constant memory.
///
/// Call ``compareConstructionErrors(golden:candidate:)`` first, then
/// ``compareNext(_:_:)`` for each record both traces have, in order, then
/// ``finish(goldenCount:candidateCount:)`` with the two record counts.
public struct TraceRecordComparator {
    private var result: ComparisonResult
    private var ops: RecordOpCursor
    private var index = 0
    /// One walker for every record, so its key path keeps its storage.
    private var recordWalker: Walker

    /// A comparator under `tolerance` (the golden's), naming each record's
    /// op from the golden's `script`.
    public init(tolerance: Tolerance, script: JSONValue?) {
        result = ComparisonResult(tolerance: tolerance)
        ops = RecordOpCursor(script: script)
        recordWalker = Walker(tolerance: tolerance, recordIndex: 0, op: nil, prefix: "")
        recordWalker.isRecord = true
        recordWalker.components.reserveCapacity(8)
    }

    /// The construction `error`s of the two files (`nil` where a file has
    /// none): a construction error explains everything after it, so it
    /// comes first.
    public mutating func compareConstructionErrors(golden: JSONValue?, candidate: JSONValue?) {
        let op = TraceComparison.constructionOp
        switch (golden, candidate) {
        case (nil, nil):
            break
        case let (expected?, got?):
            var walker = Walker(tolerance: result.tolerance, recordIndex: -1, op: op, prefix: "error")
            walker.compareErrors(expected, got, into: &result)
        case let (expected?, nil):
            result.record(Divergence(
                recordIndex: -1, op: op, path: "error", expected: expected, got: nil,
                kind: .missingKey,
                message: "construction error missing: the golden's construction raised \(errorSummary(expected)), the candidate's did not"))
        case let (nil, got?):
            result.record(Divergence(
                recordIndex: -1, op: op, path: "error", expected: nil, got: got,
                kind: .unexpectedKey,
                message: "unexpected construction error: the candidate's construction raised \(errorSummary(got)), the golden's did not"))
        }
    }

    /// Compares the next record of the golden with the next of the candidate.
    public mutating func compareNext(_ expected: JSONValue, _ got: JSONValue) { compareNode(expected, got) }

    /// Compares the next record, the golden's as json-c parsed it.
    public mutating func compareNext(_ expected: JSONCNode, _ got: JSONValue) { compareNode(expected, got) }

    /// Compares the next record, both as json-c parsed them.
    public mutating func compareNext(_ expected: JSONCNode, _ got: JSONCNode) { compareNode(expected, got) }

    /// Takes the next record pair when the golden's record is, byte for
    /// byte, the text `got` serializes to (``JSONValue/appendSerialized(to:indent:level:)``
    /// at the golden's layout). The text fixes every value (floats are
    /// written in the shortest form that reads back exactly), so the pair is
    /// equal throughout: what ``compareNext(_:_:)`` would find is that each
    /// number pair is 0 apart, which only counts them.
    public mutating func compareNext(identicalTo got: JSONValue) {
        result.comparedValueCount += numberCount(got)
        _ = ops.next()
        index += 1
    }

    private func numberCount(_ value: JSONValue) -> Int {
        switch value {
        case .int, .double: return 1
        case .array(let elements): return elements.reduce(0) { $0 + numberCount($1) }
        case .object(let object): return object.values.reduce(0) { $0 + numberCount($1) }
        default: return 0
        }
    }

    private mutating func compareNode<E: ComparisonNode, G: ComparisonNode>(_ expected: E, _ got: G) {
        recordWalker.recordIndex = index
        recordWalker.op = ops.next()
        recordWalker.components.removeAll(keepingCapacity: true)
        recordWalker.compare(expected, got, float32: false, into: &result)
        index += 1
    }

    /// The result, with a record-count divergence when the counts differ
    /// (its op is that of the first record one side lacks).
    public mutating func finish(goldenCount: Int, candidateCount: Int) -> ComparisonResult {
        result.recordCount = (goldenCount, candidateCount)
        if goldenCount != candidateCount {
            // Records not compared still name their ops.
            while index < min(goldenCount, candidateCount) {
                _ = ops.next()
                index += 1
            }
            result.record(Divergence(
                recordIndex: -1, op: ops.next(), path: "trace",
                expected: .int(goldenCount), got: .int(candidateCount),
                kind: .recordCount,
                message: "record count differs: expected \(goldenCount), got \(candidateCount)"))
        }
        return result
    }
}

/// The op that produced each record, in order, read off a script as
/// ``TraceComparison/recordOps(script:limit:)`` reads it, without listing
/// them: a `repeat` of a billion costs nothing.
struct RecordOpCursor {
    private let script: [JSONValue]
    /// The op being repeated (-1: record 0, construction).
    private var opIndex = -1
    private var remaining = 1
    private var name = TraceComparison.constructionOp

    init(script: JSONValue?) {
        self.script = script?.arrayValue ?? []
    }

    /// The op of the next record, or `nil` past the script's records.
    mutating func next() -> String? {
        while remaining == 0 {
            opIndex += 1
            guard opIndex < script.count else { return nil }
            let op = script[opIndex]
            name = op["op"]?.stringValue ?? "?"
            remaining = TraceComparison.recordCount(of: op)
        }
        remaining -= 1
        return name
    }
}

/// `ValueError: message`, or the error value's JSON when it is not an
/// `error` object.
func errorSummary(_ error: JSONValue) -> String {
    guard let type = error["type"] else { return error.serialized() }
    let typeText = type.stringValue ?? type.serialized()
    if let message = error["message"]?.stringValue, !message.isEmpty {
        return "\(typeText): \(message)"
    }
    return typeText
}
