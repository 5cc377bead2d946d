import AnnealSpec
import Anneal
import AnnealJSON

/// The fast path of replay and diff: a golden (and a candidate file) read
/// record by record (``JSONObjectStream``) and compared as Anneal produces
/// its records (``TraceRecordComparator``), with no document tree of either
/// side and memory independent of the trace's length.
///
/// It answers only for inputs that replay cleanly: a golden that is valid
/// JSON, a valid spec, and a `trace` array on each side. Anything else
/// throws ``Unsupported``, and the caller takes the whole-document path,
/// which reports the problem exactly as it always has (the same file, place
/// and message, in the same order of checks).
enum StreamingReplay {
    typealias Unsupported = JSONStreamUnsupported

    /// What the golden says about itself.
    struct Golden {
        var members: JSONObject
        var spec: TraceSpec
    }

    /// Reads the golden at `path`, runs its spec, and compares. The hooks
    /// see the golden before the run, each candidate record, and each of the
    /// golden's records.
    static func replay(
        goldenAt path: String,
        prepare: (TraceSpec, JSONObject) -> Void = { _, _ in },
        candidateRecord: @escaping (JSONValue) -> Void = { _ in },
        goldenRecord: ((JSONCNode) -> Void)? = nil
    ) throws(Unsupported) -> (Golden, ComparisonResult) {
        let (stream, golden, tolerance) = try open(goldenAt: path)
        prepare(golden.spec, golden.members)
        var sink = ComparingSink(
            candidateRecord: candidateRecord, goldenRecord: goldenRecord,
            golden: stream,
            comparator: TraceRecordComparator(tolerance: tolerance, script: golden.members["script"]),
            goldenError: golden.members["error"])
        let constructionError: PythonError?
        do {
            constructionError = try TraceRunner.run(golden.spec, into: &sink)
        } catch {
            throw Unsupported()
        }
        if sink.failed { throw Unsupported() }
        if !sink.started {
            sink.comparator.compareConstructionErrors(
                golden: golden.members["error"], candidate: constructionError.map(TraceRunner.errorJSON))
        }
        let goldenCount = try sink.goldenCountAfterDraining()
        return (golden, sink.comparator.finish(goldenCount: goldenCount, candidateCount: sink.candidateCount))
    }

    /// Compares the golden at `goldenPath` with the candidate file at
    /// `candidatePath`, both read record by record.
    static func compare(goldenAt goldenPath: String, candidateAt candidatePath: String) throws(Unsupported) -> (Golden, ComparisonResult) {
        let (golden, goldenInfo, tolerance) = try open(goldenAt: goldenPath)
        let candidate = try JSONObjectStream(path: candidatePath, streamedKey: "trace", exactIntegers: true)
        guard candidate.hasStreamedArray else { throw Unsupported() }
        var comparator = TraceRecordComparator(tolerance: tolerance, script: goldenInfo.members["script"])
        comparator.compareConstructionErrors(golden: goldenInfo.members["error"], candidate: candidate.members["error"])
        var goldenCount = 0
        var candidateCount = 0
        var expected = try golden.nextElement()
        var got = try candidate.nextElement()
        while let e = expected, let g = got {
            comparator.compareNext(e.node, g.node)
            goldenCount += 1
            candidateCount += 1
            expected = try golden.nextElement()
            got = try candidate.nextElement()
        }
        // The longer side's remaining records are counted (and still parsed:
        // a syntax error in them is the whole-document path's to report).
        if expected != nil {
            goldenCount += 1
            while try golden.nextElement() != nil { goldenCount += 1 }
        }
        if got != nil {
            candidateCount += 1
            while try candidate.nextElement() != nil { candidateCount += 1 }
        }
        return (goldenInfo, comparator.finish(goldenCount: goldenCount, candidateCount: candidateCount))
    }

    private static func open(goldenAt path: String) throws(Unsupported) -> (JSONObjectStream, Golden, Tolerance) {
        let stream: JSONObjectStream
        do { stream = try JSONObjectStream(path: path, streamedKey: "trace", exactIntegers: true) } catch { throw Unsupported() }
        guard stream.hasStreamedArray else { throw Unsupported() }
        let members = stream.members
        do {
            let spec = try TraceSpec(json: .object(members))
            let tolerance = try Tolerance(json: members["tolerance"])
            return (stream, Golden(members: members, spec: spec), tolerance)
        } catch {
            throw Unsupported()
        }
    }
}

/// Compares each record Anneal produces with the golden's next one.
private struct ComparingSink: TraceRecordSink {
    let candidateRecord: (JSONValue) -> Void
    let goldenRecord: ((JSONCNode) -> Void)?
    let golden: JSONObjectStream
    var comparator: TraceRecordComparator
    let goldenError: JSONValue?
    var started = false
    var failed = false
    var goldenExhausted = false
    var goldenCount = 0
    var candidateCount = 0
    /// Whether a hook wants every golden record parsed (plots draw them).
    var wantsGoldenNodes: Bool { goldenRecord != nil }
    var text: [UInt8] = []

    mutating func record(_ record: JSONValue) {
        if !started {
            // A record means construction succeeded: no candidate construction error.
            started = true
            comparator.compareConstructionErrors(golden: goldenError, candidate: nil)
        }
        candidateCount += 1
        candidateRecord(record)
        guard !goldenExhausted, !failed else { return }
        do {
            guard let expected = try golden.nextElementBytes() else {
                goldenExhausted = true
                return
            }
            goldenCount += 1
            // Most records are exactly what Anneal writes: compare the text
            // first, and parse the golden's record only when it differs.
            text.removeAll(keepingCapacity: true)
            record.appendSerialized(to: &text, indent: 1, level: 2)
            if !wantsGoldenNodes && text.elementsEqual(expected) {
                comparator.compareNext(identicalTo: record)
            } else {
                let element = try golden.parseLastElement()
                goldenRecord?(element.node)
                comparator.compareNext(element.node, record)
            }
        } catch {
            failed = true
        }
    }

    var wantsMore: Bool { !failed }

    mutating func goldenCountAfterDraining() throws(StreamingReplay.Unsupported) -> Int {
        if !goldenExhausted {
            while try golden.nextElementBytes() != nil {
                goldenCount += 1
                let element = try golden.parseLastElement()  // still checked, and drawn
                goldenRecord?(element.node)
            }
            goldenExhausted = true
        }
        return goldenCount
    }
}
