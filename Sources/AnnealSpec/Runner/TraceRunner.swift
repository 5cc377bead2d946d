import Anneal
import AnnealOptim

/// The version written into candidates' `source`.
public let annealVersion = "0.1.0"

/// Runs a trace spec and records what happened, exactly as the format's
/// reference generator does with PyTorch: record 0 after construction, one
/// record per executed op (per repetition), and an `error` record ending the
/// trace when an op raises.
public enum TraceRunner {
    /// Runs `spec` and returns the candidate document: the spec's keys, then
    /// `source`, `trace` and (when construction raised) `error`.
    ///
    /// The document holds every record; ``write(_:to:)`` streams them instead.
    public static func candidate(for spec: TraceSpec) throws(SpecError) -> JSONValue {
        var document = candidateHead(for: spec)
        let outcome = try run(spec)
        document["trace"] = .array(outcome.records)
        if let error = outcome.constructionError { document["error"] = errorJSON(error) }
        return .object(document)
    }

    /// The candidate's members before `trace`: the spec's keys (without
    /// `source`, `trace` and `error`), then `source`.
    static func candidateHead(for spec: TraceSpec) -> JSONObject {
        var document = spec.document
        for key in ["source", "trace", "error"] { document[key] = nil }
        document["source"] = ["kind": "anneal", "version": .string(annealVersion)]
        return document
    }

    /// Runs `spec` and writes the candidate document (the bytes of
    /// ``candidate(for:)`` written with indent 1) to `writer` as the records
    /// are produced, so memory does not grow with the trace.
    ///
    /// - Throws: ``SpecError`` when the spec turns out invalid mid-run, and
    ///   `JSONError` when writing fails; the document is then incomplete,
    ///   and the caller discards it.
    public static func write(_ spec: TraceSpec, to writer: JSONFileWriter) throws {
        try writer.beginObject()
        for (key, value) in candidateHead(for: spec) { try writer.member(key, value) }
        try writer.beginArrayMember("trace")
        var sink = WritingSink(writer: writer)
        let constructionError = try run(spec, into: &sink)
        if let failure = sink.failure { throw failure }
        try writer.endArray()
        if let constructionError { try writer.member("error", errorJSON(constructionError)) }
        try writer.endObject()
    }

    /// Builds the spec's optimizer and schedulers, as a run starts (for
    /// benchmarks and tools that drive the schedulers themselves).
    public static func build(_ spec: TraceSpec) throws -> (optimizer: Optimizer, schedulers: [any Scheduler]) {
        let session = try Session(spec: spec)
        return (session.optimizer, session.schedulers)
    }

    /// The trace records, or the construction error.
    public static func run(_ spec: TraceSpec) throws(SpecError) -> (records: [JSONValue], constructionError: PythonError?) {
        var sink = CollectingSink()
        let error = try run(spec, into: &sink)
        return (sink.records, error)
    }

    /// Runs `spec`, handing each trace record to `sink` as it is produced;
    /// returns the construction error, if construction raised (no record is
    /// produced then). An op that raises produces the `error` record that
    /// ends the trace. When ``TraceRecordSink/wantsMore`` turns false the
    /// run stops after the op under way.
    public static func run<Sink: TraceRecordSink>(_ spec: TraceSpec, into sink: inout Sink) throws(SpecError) -> PythonError? {
        let session: Session
        do {
            session = try Session(spec: spec)
        } catch let error as PythonError where error.isBeyondAnneal {
            throw SpecError(beyondAnneal: error, location: "(construction)")
        } catch let error as PythonError {
            return error
        } catch let error as SpecError {
            throw error
        } catch {
            throw SpecError(location: "", message: "\(error)")
        }
        sink.record(session.record())
        for (index, op) in spec.script.enumerated() {
            guard sink.wantsMore else { break }
            do {
                try session.execute(op) { stateDict in sink.record(session.record(stateDict: stateDict)) }
            } catch let error as PythonError where error.isBeyondAnneal {
                throw SpecError(beyondAnneal: error, location: "script[\(index)]")
            } catch let error as PythonError {
                sink.record(.object(["error": errorJSON(error)]))
                break
            } catch let error as SpecError {
                var located = error
                located.location = "script[\(index)]" + (error.location.isEmpty ? "" : ": \(error.location)")
                throw located
            } catch {
                throw SpecError(location: "script[\(index)]", message: "\(error)")
            }
        }
        return nil
    }

    package static func errorJSON(_ error: PythonError) -> JSONValue {
        ["type": .string(error.type), "message": .string(error.message)]
    }
}

/// Where ``TraceRunner/run(_:into:)`` puts the records of a run.
public protocol TraceRecordSink {
    /// Takes the next record.
    mutating func record(_ record: JSONValue)
    /// Whether to go on running ops (checked between ops).
    var wantsMore: Bool { get }
}

extension TraceRecordSink {
    public var wantsMore: Bool { true }
}

/// Keeps every record.
struct CollectingSink: TraceRecordSink {
    var records: [JSONValue] = []
    mutating func record(_ record: JSONValue) { records.append(record) }
}

/// Writes each record as an element of the open `trace` array.
struct WritingSink: TraceRecordSink {
    let writer: JSONFileWriter
    var failure: JSONError?
    mutating func record(_ record: JSONValue) {
        guard failure == nil else { return }
        do { try writer.element(record) } catch { failure = error }
    }
    var wantsMore: Bool { failure == nil }
}

/// The optimizer and schedulers of one run.
///
/// With a `gradient`, the optimizer is AnnealOptim's tensor optimizer over
/// the spec's float32 parameters, and every optimizer step first sets each
/// parameter's gradient; without one it is the hyperparameter-only
/// `Anneal.Optimizer` (parameters would never change).
final class Session {
    let spec: TraceSpec
    var optimizer: Optimizer
    var schedulers: [any Scheduler]
    /// The parameters by group, when the spec has a `gradient`. `reload`
    /// builds the fresh optimizer over these same objects.
    let parameters: [[Parameter]]?
    /// `T` and `S` of the quadratic gradient, rounded to float32 (PyTorch
    /// converts the Python scalars to the tensor's dtype).
    let gradientTarget: Float
    let gradientScale: Float

    init(spec: TraceSpec) throws {
        self.spec = spec
        if let gradient = spec.gradient {
            parameters = zip(spec.optimizer.parameters, spec.optimizer.shapes).map { group, shapes in
                zip(group, shapes).map { Parameter(Tensor(shape: $1, scalars: $0)) }
            }
            gradientTarget = gradient.target
            gradientScale = gradient.scale
        } else {
            parameters = nil
            gradientTarget = 0
            gradientScale = 0
        }
        optimizer = try spec.optimizer.makeOptimizer(parameters: parameters)
        schedulers = []
        for scheduler in spec.schedulers {
            schedulers.append(try SchedulerFactory.build(scheduler, on: optimizer))
        }
    }

    /// `optimizer.step()`, after setting every parameter's gradient to
    /// `(p - T) * S` (float32: subtract, round, multiply, round) when the
    /// spec has a gradient.
    private func optimizerStep() throws {
        if let parameters {
            let target = gradientTarget
            let scale = gradientScale
            for group in parameters {
                for parameter in group {
                    var grad = parameter.grad ?? Tensor(repeating: 0, shape: parameter.value.shape)
                    parameter.grad = nil  // the buffer is `grad`'s alone: written in place
                    parameter.value.withUnsafeBufferPointer { values in
                        grad.withUnsafeMutableBufferPointer { gradient in
                            for i in values.indices { gradient[i] = (values[i] - target) * scale }
                        }
                    }
                    parameter.grad = grad
                }
            }
        }
        try optimizer.step()
    }

    /// Runs one op; `emit` is called once per record it yields.
    func execute(_ op: Op, emit: (_ stateDict: Bool) -> Void) throws {
        switch op.kind {
        case .step, .schedulerStep:
            let optimizerSteps = op.kind == .step
            // `recordCount` is never negative: the spec reader refuses a negative `repeat`.
            for repetition in 0..<op.recordCount {
                if optimizerSteps { try optimizerStep() }
                try stepSchedulers(metric: op.metric(atRepetition: repetition), epoch: op.epoch, only: op.schedulerIndex)
                emit(false)
            }
        case .stepUpdate:
            let updates = Epoch(json: op.numUpdates ?? 0) ?? 0
            for repetition in 0..<op.recordCount {
                try optimizerStep()
                let metric = op.metric(atRepetition: repetition).map { $0.doubleValue ?? .nan }
                for (index, scheduler) in schedulers.enumerated() where op.schedulerIndex == nil || op.schedulerIndex == index {
                    try scheduler.step(.update(updates, metric: metric))
                }
                emit(false)
            }
        case .optimizerStep:
            for _ in 0..<op.recordCount {
                try optimizerStep()
                emit(false)
            }
        case .setLR:
            guard optimizer.paramGroups.indices.contains(op.group) || (-optimizer.paramGroups.count..<0).contains(op.group)
            else { throw PythonError("IndexError", "list index out of range") }
            let index = op.group < 0 ? optimizer.paramGroups.count + op.group : op.group
            optimizer.paramGroups[index]["lr"] = op.lrValue
            emit(false)
        case .stateDict:
            emit(true)
        case .reload:
            let savedOptimizer = optimizer.stateDict()
            let savedSchedulers = schedulers.map { $0.stateDict() }
            let fresh = try spec.optimizer.makeOptimizer(parameters: parameters)
            var freshSchedulers: [any Scheduler] = []
            for scheduler in spec.schedulers {
                freshSchedulers.append(try SchedulerFactory.build(scheduler, on: fresh))
            }
            try fresh.loadStateDict(savedOptimizer)
            for (scheduler, state) in zip(freshSchedulers, savedSchedulers) {
                try scheduler.loadStateDict(state)
            }
            optimizer = fresh
            schedulers = freshSchedulers
            emit(false)
        case .rebuild:
            for index in schedulers.indices {
                // The spec reader refuses `rebuild` for types without `last_epoch`.
                guard let lastEpoch = schedulers[index].lastEpochAttribute else { continue }
                schedulers[index] = try SchedulerFactory.build(spec.schedulers[index], on: optimizer, lastEpoch: lastEpoch)
            }
            emit(false)
        }
    }

    /// `scheduler.step(*args)` for each scheduler (or only the k-th), where
    /// args are the metric and the epoch that were given, in that order
    /// (timm's: `step(epoch, metric=metric)`).
    private func stepSchedulers(metric: JSONValue?, epoch: JSONValue?, only: Int?) throws {
        for (index, scheduler) in schedulers.enumerated() where only == nil || only == index {
            try scheduler.step(
                StepInput(metric: metric, epoch: epoch, signature: scheduler.stepSignature, type: scheduler.typeName))
        }
    }

    /// The record for the current state. Built key by key into arrays of
    /// the right size: a run makes one per step, and replay compares each
    /// as it is made.
    func record(stateDict: Bool = false) -> JSONValue {
        var keys: [String] = []
        var values: [JSONValue] = []
        keys.reserveCapacity(6)
        values.reserveCapacity(6)
        let groups = optimizer.paramGroups
        keys.append("lr")
        values.append(.array(groups.map { $0["lr"]! }))
        // timm's schedulers have no `get_last_lr()` and no `last_epoch`: a
        // record leaves the keys out when no scheduler has them, and holds
        // `null` for those without in a list.
        if schedulers.contains(where: \.hasGetLastLR) {
            let lastLRs = schedulers.map { $0.hasGetLastLR ? JSONValue.array($0.lastLR.map(JSONValue.double)) : .null }
            keys.append("last_lr")
            values.append(spec.schedulerIsList ? .array(lastLRs) : lastLRs[0])
            if spec.schedulerIsList {
                keys.append("last_epoch")
                values.append(.array(schedulers.map { Self.lastEpoch($0) ?? .null }))
            } else if let epoch = Self.lastEpoch(schedulers[0]) {
                keys.append("last_epoch")
                values.append(epoch)
            }
        }
        // Only for optimizers with `momentum` or `betas` in their defaults, as the generator records it.
        if optimizer.kind.hasMomentumOrBetas {
            keys.append("momentum")
            values.append(.array(groups.map { $0.cycledMomentumJSON ?? .null }))
        }
        if let parameters {
            keys.append("params")
            values.append(.array(
                parameters.map { group in
                    // `tensor.tolist()`: nested by the parameter's shape.
                    .array(group.map { parameter in
                        TensorJSON.encode(parameter.value.scalars, shape: parameter.value.shape)
                    })
                }))
        }
        if stateDict {
            let states = schedulers.map { $0.stateDict() }
            keys.append("state_dict")
            values.append(spec.schedulerIsList ? .array(states) : states[0])
        }
        return .object(JSONObject(uniqueKeys: keys, values: values))
    }

    private static func lastEpoch(_ scheduler: any Scheduler) -> JSONValue? {
        scheduler.lastEpochAttribute?.json
    }
}
