import Anneal
import AnnealConformance
import AnnealSpec

/// One curve: a param group's learning rate (and momentum) at every trace
/// record of one spec, as Anneal ran it or as a golden recorded it.
///
/// Index `k` of ``learningRates``, ``momenta`` and ``steps`` is trace
/// record `k`: the state after `k` ops. A value the trace lacks is NaN and
/// is not drawn.
public struct PlotCurve: Sendable, Equatable {
    /// Where a curve comes from.
    public enum Role: String, Sendable, Equatable {
        /// Anneal ran the spec.
        case schedule
        /// The records of a golden (PyTorch's, or a document's), drawn under
        /// Anneal's curve by `--compare`.
        case reference
    }

    /// The legend's text: the spec's `name`, with the group when the
    /// optimizer has several, and the source for a comparison.
    public var label: String
    /// The spec's `name`.
    public var specName: String
    /// The param group.
    public var group: Int
    /// Where the curve comes from.
    public var role: Role
    /// `lr` of this group at each record.
    public var learningRates: [Double]
    /// `momentum` (`betas[0]` for Adam and AdamW) of this group at each
    /// record; NaN where the record has none.
    public var momenta: [Double]
    /// The step of each record, where it is drawn: how many `step` and
    /// `scheduler_step` repetitions ran before it. Ops that do not step
    /// (`set_lr`, `state_dict`, `reload`, `rebuild`, `optimizer_step`) keep
    /// the step of the record before, so a `set_lr` shows as a jump at one
    /// step. For a script of plain steps, record `k` is step `k`.
    public var steps: [Int]
    /// How many learning rates of the whole trace are finite and ≤ 0 (what
    /// a log axis leaves out). A curve of a long trace holds only the points
    /// its drawing needs (see `CurveReducer`); this count is over them all.
    public var nonPositiveLearningRateCount: Int

    /// The step of the last record (0 for an empty curve).
    public var lastStep: Int { steps.last ?? 0 }

    /// Whether any momentum value can be drawn.
    public var hasMomentum: Bool { momenta.contains { $0.isFinite } }
}

/// Which panel of a chart a value belongs to.
public enum PlotPanel: String, Sendable, Equatable {
    /// The learning rates.
    case learningRate = "lr"
    /// Momentum, or `betas[0]`.
    case momentum
}

/// The first place where Anneal's run of a golden's spec differs from the
/// golden, as a chart marks it.
public struct PlotDivergence: Sendable, Equatable {
    /// The trace record.
    public var recordIndex: Int
    /// The step it is drawn at (see ``PlotCurve/steps``).
    public var step: Int
    /// The key path inside the record, e.g. `lr[0]`, `last_epoch`.
    public var path: String
    /// The panel and group of a `lr[g]` or `momentum[g]` divergence; `nil`
    /// for another key, which is marked by its record alone.
    public var panel: PlotPanel?
    /// The group of ``panel``'s value.
    public var group: Int?
    /// The golden's value, when it is a number.
    public var expected: Double?
    /// Anneal's value, when it is a number.
    public var got: Double?
    /// The comparator's explanation, e.g. `values differ by 3 ULP`.
    public var message: String
}

/// The curves of one input file: one per param group, plus the golden's
/// own curves for a comparison, and what the reader should know about them.
public struct PlotRun: Sendable {
    /// The spec's `name`.
    public var name: String
    /// The file it came from.
    public var file: String
    /// Anneal's curves, one per group, each followed by its reference curve
    /// in a comparison.
    public var curves: [PlotCurve]
    /// Things worth saying about the run: a trace that ends in an exception,
    /// a construction error, the outcome of a comparison. Each names the file.
    public var notes: [String]
    /// The first divergence of a comparison; `nil` when there is none or
    /// this is not a comparison.
    public var divergence: PlotDivergence?

    /// Creates a run.
    public init(name: String, file: String, curves: [PlotCurve], notes: [String] = [], divergence: PlotDivergence? = nil) {
        self.name = name
        self.file = file
        self.curves = curves
        self.notes = notes
        self.divergence = divergence
    }
}

/// Reads plot inputs: runs trace specs with Anneal, reads goldens'
/// records, and compares the two for `--compare`.
public enum PlotInputs {
    /// The number of plain steps given to a spec without a `script` when
    /// the caller does not say.
    public static let defaultSteps = 100

    /// Runs the spec (or golden) at `path`: one curve per param group.
    ///
    /// A spec without `script` gets `steps` plain steps. A golden's records
    /// are ignored (Anneal runs its spec; see ``comparison(goldenAt:)``).
    ///
    /// - Throws: ``SpecError`` naming the file and the place when the file
    ///   cannot be read or is not a valid spec.
    public static func schedule(specAt path: String, steps: Int = defaultSteps) throws(SpecError) -> PlotRun {
        try schedule(json: TraceFiles.load(path), file: path, steps: steps)
    }

    /// Runs the spec `json` (see ``schedule(specAt:steps:)``); `file` names
    /// it in errors and notes.
    public static func schedule(json: JSONValue, file: String, steps: Int = defaultSteps) throws(SpecError) -> PlotRun {
        var document = json
        if case .object(var object) = json, object["script"] == nil {
            object["script"] = [["op": "step", "repeat": .int(max(0, steps))]]
            document = .object(object)
        }
        do {
            let spec = try TraceSpec(json: document)
            // The curves take each record as it is produced: memory stays
            // bounded however many steps the spec runs.
            var sink = CurveSink(name: spec.name, role: .schedule, suffix: nil, script: spec.script)
            let constructionError = try TraceRunner.run(spec, into: &sink)
            var notes: [String] = []
            if let error = constructionError {
                notes.append("\(file): construction raised \(error.type): \(error.message); nothing to draw")
            }
            let (curves, end) = sink.finish()
            if let end { notes.append("\(file): \(end)") }
            return PlotRun(name: spec.name, file: file, curves: curves, notes: notes)
        } catch {
            throw error.file == nil ? error.inFile(file) : error
        }
    }

    /// Reads the golden at `path`, runs its spec with Anneal and compares:
    /// Anneal's curve for each group followed by the golden's, and the
    /// first divergence, if any.
    ///
    /// The golden is read record by record when it can be (see
    /// ``GoldenReplay/compareStreaming(goldenAt:candidateAt:)``); otherwise
    /// whole, which reports what is wrong with it.
    ///
    /// - Throws: ``SpecError`` naming the file and the place when the
    ///   golden cannot be read, is not a valid spec, or has no `trace`.
    public static func comparison(goldenAt path: String) throws(SpecError) -> PlotRun {
        if let run = streamedComparison(goldenAt: path) { return run }
        return try comparison(golden: TraceFiles.load(path), file: path)
    }

    /// Compares the golden `golden` (see ``comparison(goldenAt:)``); `file`
    /// names it in errors and notes.
    public static func comparison(golden: JSONValue, file: String) throws(SpecError) -> PlotRun {
        do throws(SpecError) {
            guard let goldenRecords = golden["trace"]?.arrayValue else {
                throw SpecError(location: "(top level)", message: "missing required key \"trace\": \"--compare\" takes a golden")
            }
            let spec = try TraceSpec(json: golden)
            let candidate = try TraceRunner.candidate(for: spec)
            let result = try GoldenReplay.compare(golden: golden, candidate: candidate)
            let candidateRecords = candidate["trace"]?.arrayValue ?? []
            var ours = CurveSink(name: spec.name, role: .schedule, suffix: "Anneal", script: spec.script)
            var theirs = CurveSink(
                name: spec.name, role: .reference, suffix: referenceSuffix(golden["source"]), script: spec.script)
            for record in candidateRecords { ours.record(record) }
            for record in goldenRecords { theirs.record(record) }
            return comparisonRun(
                spec: spec, file: file, result: result, ours: ours, theirs: theirs, goldenError: golden["error"])
        } catch {
            throw error.file == nil ? error.inFile(file) : error
        }
    }

    /// ``comparison(goldenAt:)`` with the golden read and compared record by
    /// record; `nil` when the golden does not take that path.
    static func streamedComparison(goldenAt path: String) -> PlotRun? {
        var ours: CurveSink?
        var theirs: CurveSink?
        var golden: JSONObject?
        let streamed = GoldenReplay.compareStreaming(
            goldenAt: path,
            prepare: { spec, members in
                golden = members
                ours = CurveSink(name: spec.name, role: .schedule, suffix: "Anneal", script: spec.script)
                theirs = CurveSink(
                    name: spec.name, role: .reference, suffix: referenceSuffix(members["source"]), script: spec.script)
            },
            candidateRecord: { ours?.record($0) },
            goldenRecord: { theirs?.record($0.jsonValue) })
        guard let (result, spec) = streamed, let ours, let theirs, let golden else { return nil }
        return comparisonRun(spec: spec, file: path, result: result, ours: ours, theirs: theirs, goldenError: golden["error"])
    }

    /// The legend's source of a golden's curves: `PyTorch 2.13.0`, or `golden`.
    private static func referenceSuffix(_ source: JSONValue?) -> String {
        guard source?["kind"]?.stringValue == "pytorch" else { return "golden" }
        let name = "PyTorch " + (source?["version"]?.stringValue ?? "")
        return name.hasSuffix(" ") ? "PyTorch" : name
    }

    private static func comparisonRun(
        spec: TraceSpec, file: String, result: ComparisonResult, ours: CurveSink, theirs: CurveSink, goldenError: JSONValue?
    ) -> PlotRun {
        var notes: [String] = []
        let (ourCurves, ourEnd) = ours.finish()
        let (theirCurves, theirEnd) = theirs.finish()
        if let ourEnd { notes.append("\(file): Anneal's \(ourEnd)") }
        if let theirEnd { notes.append("\(file): the golden's \(theirEnd)") }
        if let error = goldenError, error["type"] != nil {
            notes.append("\(file): the golden's construction raised \(error["type"]?.stringValue ?? "?")")
        }
        var merged: [PlotCurve] = []
        for group in 0..<max(ourCurves.count, theirCurves.count) {
            if group < ourCurves.count { merged.append(ourCurves[group]) }
            if group < theirCurves.count { merged.append(theirCurves[group]) }
        }
        var divergence: PlotDivergence?
        if let first = result.first {
            divergence = mark(first, recordCount: result.recordCount, script: spec.script)
            let place = first.recordIndex >= 0 ? "record \(first.recordIndex), \(first.path)" : first.path
            notes.append("\(file): first divergence at \(place): \(first.message)")
        } else {
            let distance = result.maxULPDistance
            notes.append(
                "\(file): matches the golden (\(result.recordCount.expected) records, largest distance \(distance) ULP)")
        }
        return PlotRun(name: spec.name, file: file, curves: merged, notes: notes, divergence: divergence)
    }

    /// The step of every record a script yields: record 0 is step 0, and
    /// each repetition of a `step` or `scheduler_step` op advances it. Lists
    /// every record, so only for short scripts; the plots count steps as
    /// records arrive instead.
    public static func recordSteps(_ script: [Op]) -> [Int] {
        var cursor = RecordStepCursor(script: script)
        var steps = [cursor.next()]
        while true {
            let step = cursor.next()
            if cursor.pastScript { break }
            steps.append(step)
        }
        return steps
    }

    /// The chart's mark for the comparator's first divergence.
    static func mark(_ divergence: Divergence, recordCount: (expected: Int, got: Int), script: [Op]) -> PlotDivergence {
        var index = divergence.recordIndex
        if index < 0 { index = divergence.path == "trace" ? min(recordCount.expected, recordCount.got) : 0 }
        var panel: PlotPanel?
        var group: Int?
        for (prefix, candidate) in [("lr[", PlotPanel.learningRate), ("momentum[", PlotPanel.momentum)]
        where divergence.path.hasPrefix(prefix) && divergence.path.hasSuffix("]") {
            let digits = divergence.path.dropFirst(prefix.count).dropLast()
            if let value = Int(digits) {
                panel = candidate
                group = value
            }
        }
        return PlotDivergence(
            recordIndex: index, step: RecordStepCursor.step(ofRecord: index, script: script), path: divergence.path,
            panel: panel, group: group,
            expected: divergence.expected?.doubleValue, got: divergence.got?.doubleValue, message: divergence.message)
    }
}

/// Builds one run's curves, one per param group, from its records as they
/// arrive, up to the first `error` record (which ends what is drawn).
struct CurveSink: TraceRecordSink {
    let name: String
    let role: PlotCurve.Role
    let suffix: String?
    private let script: [Op]
    private var steps: RecordStepCursor
    private var groups: [CurveReducer] = []
    private var recordCount = 0
    private var end: String?

    init(name: String, role: PlotCurve.Role, suffix: String?, script: [Op]) {
        self.name = name
        self.role = role
        self.suffix = suffix
        self.script = script
        steps = RecordStepCursor(script: script)
    }

    mutating func record(_ record: JSONValue) {
        guard end == nil else { return }
        let index = recordCount
        if let error = record["error"] {
            let type = error["type"]?.stringValue ?? "an error"
            let message = error["message"]?.stringValue.map { ": \($0)" } ?? ""
            end = "trace ends at record \(index) with \(type)\(message); drawn up to record \(max(0, index - 1))"
            return
        }
        recordCount += 1
        let step = steps.next()
        let rates = record["lr"]?.arrayValue ?? []
        let momenta = record["momentum"]
        while groups.count < rates.count {
            // A group first seen now has no value at the records before.
            var reducer = CurveReducer()
            var earlier = RecordStepCursor(script: script)
            for previous in 0..<index {
                reducer.append(record: previous, step: earlier.next(), learningRate: .nan, momentum: .nan)
            }
            groups.append(reducer)
        }
        for group in groups.indices {
            groups[group].append(
                record: index, step: step,
                learningRate: group < rates.count ? rates[group].doubleValue ?? .nan : .nan,
                momentum: momenta?[group]?.doubleValue ?? .nan)
        }
    }

    var wantsMore: Bool { end == nil }

    /// The curves, and the note on an `error` record that ended the trace.
    func finish() -> (curves: [PlotCurve], end: String?) {
        var curves: [PlotCurve] = []
        for (group, reducer) in groups.enumerated() {
            var label = name
            if groups.count > 1 { label += ", group \(group)" }
            if let suffix { label += " (\(suffix))" }
            curves.append(
                PlotCurve(
                    label: label, specName: name, group: group, role: role,
                    learningRates: reducer.points.map(\.learningRate), momenta: reducer.points.map(\.momentum),
                    steps: reducer.points.map(\.step), nonPositiveLearningRateCount: reducer.nonPositiveLearningRates))
        }
        return (curves, end)
    }
}
