import Anneal
import AnnealJSON
import AnnealTensor

/// The live objects of a training run that a checkpoint saves and restores:
/// the model's named parameters, the optimizer (its param groups, and its
/// per-parameter state through ``CheckpointableOptimizer``) and the
/// schedulers. Counters and the random generator are passed to
/// ``capture(step:epoch:rng:metadata:)`` and come back from
/// ``restore(from:)``.
///
/// ```swift
/// let state = TrainingState(namedParameters: model.namedParameters(), optimizer: optimizer, schedulers: schedulers)
/// try store.save(state.capture(step: step, epoch: epoch, rng: rng))
/// // ... in a fresh process, with freshly built objects:
/// let restored = try state.restore(from: try store.latest().checkpoint)
/// rng = restored.rng!
/// ```
public struct TrainingState {
    /// The model's parameters with their names, in the model's order.
    public let namedParameters: [(name: String, parameter: Parameter)]
    /// The optimizer over those parameters, or `nil`.
    public let optimizer: Optimizer?
    /// The schedulers, in stepping order.
    public let schedulers: [any Scheduler]

    /// The state of `namedParameters` (e.g. `model.namedParameters()`),
    /// `optimizer` and `schedulers`. Names must be unique and non-empty.
    public init(
        namedParameters: [(name: String, parameter: Parameter)], optimizer: Optimizer? = nil,
        schedulers: [any Scheduler] = []
    ) {
        var seen: Set<String> = []
        for (index, entry) in namedParameters.enumerated() {
            precondition(!entry.name.isEmpty, "parameter \(index) has an empty name")
            precondition(seen.insert(entry.name).inserted, "parameter name '\(entry.name)' appears twice")
        }
        self.namedParameters = namedParameters
        self.optimizer = optimizer
        self.schedulers = schedulers
    }

    /// The state of `parameters`, named by their ``Parameter/name`` (each
    /// must have one), `optimizer` and `schedulers`.
    public init(parameters: [Parameter], optimizer: Optimizer? = nil, schedulers: [any Scheduler] = []) {
        let named = parameters.enumerated().map { index, parameter in
            guard let name = parameter.name else { preconditionFailure("parameter \(index) has no name") }
            return (name: name, parameter: parameter)
        }
        self.init(namedParameters: named, optimizer: optimizer, schedulers: schedulers)
    }

    /// What ``restore(from:)`` gives back besides the objects it restored.
    public struct Restored: Sendable {
        /// The checkpoint's step counter.
        public var step: Int
        /// The checkpoint's epoch counter.
        public var epoch: Int
        /// The random generator as it was saved, or `nil` when none was.
        public var rng: Xoshiro256StarStar?
        /// The user metadata.
        public var metadata: JSONObject
    }

    // MARK: Capture

    /// A checkpoint of the current state, with the counters, the generator
    /// and user `metadata`.
    ///
    /// - Throws: ``CheckpointError/Problem/optimizerNotCheckpointable(type:)``
    ///   for an optimizer subclass that does not conform to
    ///   ``CheckpointableOptimizer`` (its state would be lost), and
    ///   ``CheckpointError/Problem/optimizerMismatch(_:)`` when its
    ///   parameters are not the model's.
    public func capture(
        step: Int, epoch: Int = 0, rng: Xoshiro256StarStar? = nil, metadata: JSONObject = [:]
    ) throws(CheckpointError) -> Checkpoint {
        precondition(step >= 0, "step must be >= 0, got \(step)")
        precondition(epoch >= 0, "epoch must be >= 0, got \(epoch)")
        var tensors: [String: Tensor] = [:]
        var records: [CheckpointManifest.ParameterRecord] = []
        for (name, parameter) in namedParameters {
            records.append(.init(name: name, shape: parameter.value.shape))
            tensors[CheckpointManifest.modelTensorName(name)] = parameter.value
        }
        var optimizerRecord: CheckpointManifest.OptimizerRecord?
        if let optimizer {
            let groups = optimizer.paramGroupsStateDict()
            var record = CheckpointManifest.OptimizerRecord(type: optimizer.kind.rawValue, paramGroups: groups)
            if let checkpointable = optimizer as? any CheckpointableOptimizer {
                try checkParametersAreTheModels(checkpointable, file: "checkpoint")
                var states: [Int: CheckpointManifest.OptimizerRecord.ParameterState] = [:]
                for (index, scalars) in checkpointable.scalarState() where !scalars.isEmpty {
                    states[index, default: .init(index: index)].scalars = scalars
                }
                for item in checkpointable.stateTensors() {
                    let name = CheckpointManifest.optimizerTensorName(index: item.parameterIndex, key: item.key)
                    precondition(tensors[name] == nil, "the optimizer gave state '\(item.key)' of parameter \(item.parameterIndex) twice")
                    precondition(
                        states[item.parameterIndex]?.scalars[item.key] == nil,
                        "the optimizer gave state '\(item.key)' of parameter \(item.parameterIndex) as a tensor and a scalar")
                    states[item.parameterIndex, default: .init(index: item.parameterIndex)].tensorShapes[item.key] = item.tensor.shape
                    tensors[name] = item.tensor
                }
                record.state = states.keys.sorted().map { states[$0]! }
            } else if type(of: optimizer) != Optimizer.self {
                throw CheckpointError(file: "checkpoint", .optimizerNotCheckpointable(type: "\(type(of: optimizer))"))
            }
            optimizerRecord = record
        }
        let manifest = CheckpointManifest(
            step: step, epoch: epoch, parameters: records, optimizer: optimizerRecord,
            schedulers: schedulers.map { .init(type: $0.typeName, state: $0.stateDict()) },
            rng: rng.map { .init(state: $0.state) }, metadata: metadata)
        return Checkpoint(manifest: manifest, tensors: tensors)
    }

    // MARK: Validation

    /// Checks `checkpoint` against the live objects without changing
    /// anything: the model's parameter names, order and shapes; the
    /// optimizer's presence, type, param group count and sizes, and state
    /// indices; the schedulers' count and types; and that no integer of the
    /// state is beyond ``largestStateInteger`` (a loader would trap on it).
    public func validate(_ checkpoint: Checkpoint) throws(CheckpointError) {
        let file = checkpoint.source
        let manifest = checkpoint.manifest
        func fail(_ problem: CheckpointError.Problem) -> CheckpointError { CheckpointError(file: file, problem) }

        // The model.
        let saved = manifest.parameters
        let live = Set(namedParameters.map(\.name))
        let savedNames = Set(saved.map(\.name))
        if let extra = saved.first(where: { !live.contains($0.name) }) {
            throw fail(.modelMismatch("the checkpoint has parameter \(quoted(extra.name)), the model has none of that name"))
        }
        if let missing = namedParameters.first(where: { !savedNames.contains($0.name) }) {
            throw fail(.modelMismatch("model parameter \(quoted(missing.name)) is not in the checkpoint"))
        }
        for (index, (record, entry)) in zip(saved, namedParameters).enumerated() {
            guard record.name == entry.name else {
                throw fail(.modelMismatch("parameter \(index) is \(quoted(record.name)) in the checkpoint, \(quoted(entry.name)) in the model (order differs)"))
            }
            guard record.shape == entry.parameter.value.shape else {
                throw fail(.modelMismatch("parameter \(quoted(record.name)) has shape \(record.shape) in the checkpoint, \(entry.parameter.value.shape) in the model"))
            }
        }

        // The optimizer.
        switch (manifest.optimizer, optimizer) {
        case (nil, nil): break
        case (let record?, nil):
            throw fail(.optimizerMismatch("the checkpoint has \(record.type) state but no optimizer was given"))
        case (nil, let optimizer?):
            throw fail(.optimizerMismatch("the checkpoint has no optimizer state for the \(optimizer.kind.rawValue) given"))
        case (let record?, let optimizer?):
            guard record.type == optimizer.kind.rawValue else {
                throw fail(.optimizerMismatch("the checkpoint's optimizer is \(record.type), the live one \(optimizer.kind.rawValue)"))
            }
            guard record.paramGroups.count == optimizer.paramGroups.count else {
                throw fail(.optimizerMismatch("the checkpoint has \(record.paramGroups.count) param groups, the optimizer \(optimizer.paramGroups.count)"))
            }
            for (index, (group, liveGroup)) in zip(record.paramGroups, optimizer.paramGroups).enumerated() {
                let count = group["params"]?.arrayValue?.count ?? 0
                guard count == liveGroup.parameterCount else {
                    throw fail(.optimizerMismatch("param group \(index) has \(count) parameters in the checkpoint, \(liveGroup.parameterCount) in the optimizer"))
                }
            }
            if let checkpointable = optimizer as? any CheckpointableOptimizer {
                try checkParametersAreTheModels(checkpointable, file: file)
            } else if let first = record.state.first {
                throw fail(.optimizerMismatch("the checkpoint has state for parameter \(first.index) but the \(type(of: optimizer)) keeps none (not a CheckpointableOptimizer)"))
            }
        }

        // The schedulers.
        let savedTypes = manifest.schedulers.map(\.type), liveTypes = schedulers.map(\.typeName)
        guard savedTypes == liveTypes else {
            throw fail(.schedulerMismatch("the checkpoint has \(savedTypes), the live schedulers are \(liveTypes)"))
        }

        // Values the loaders would trap on.
        try checkStateIntegers(manifest, file: file)
    }

    /// Throws unless the optimizer's parameters are the model's, the same
    /// objects in the same order.
    private func checkParametersAreTheModels(_ optimizer: any CheckpointableOptimizer, file: String) throws(CheckpointError) {
        let parameters = optimizer.parameters
        guard parameters.count == namedParameters.count,
            zip(parameters, namedParameters).allSatisfy({ $0 === $1.parameter })
        else {
            throw CheckpointError(
                file: file,
                .optimizerMismatch("the optimizer's \(parameters.count) parameters are not the model's \(namedParameters.count), in order"))
        }
    }

    // MARK: Restore

    /// Validates `checkpoint` (``validate(_:)``), then restores the param
    /// groups and per-parameter state into the optimizer, every scheduler's
    /// state, and the parameters' values. All or nothing: when a
    /// `loadStateDict` or ``CheckpointableOptimizer/restoreState(tensors:scalars:)``
    /// refuses the state, everything already restored is put back and
    /// ``CheckpointError/Problem/restoreFailed(_:)`` is thrown.
    ///
    /// - Returns: the counters, the generator and the user metadata.
    @discardableResult
    public func restore(from checkpoint: Checkpoint) throws(CheckpointError) -> Restored {
        try validate(checkpoint)
        // Training writes every restored tensor: copy the borrowed ones now,
        // on every core, rather than one by one in the first step.
        let checkpoint = checkpoint.owningTensors()
        let manifest = checkpoint.manifest

        // What to put back if a component refuses its state.
        let savedGroups = optimizer.map { JSONValue.array($0.paramGroupsStateDict()) }
        let checkpointable = optimizer as? any CheckpointableOptimizer
        let savedTensors = checkpointable?.stateTensors()
        let savedScalars = checkpointable?.scalarState()
        let savedSchedulers = schedulers.map { $0.stateDict() }
        var restoredSchedulers = 0
        var stage = "the optimizer"

        do {
            if let optimizer, let record = manifest.optimizer {
                try optimizer.loadStateDict(.object(["param_groups": .array(record.paramGroups)]))
                if let checkpointable {
                    var tensors: [OptimizerStateTensor] = []
                    var scalars: [Int: JSONObject] = [:]
                    for entry in record.state {
                        if !entry.scalars.isEmpty { scalars[entry.index] = entry.scalars }
                        for key in entry.tensorShapes.keys.sorted() {
                            tensors.append(.init(parameterIndex: entry.index, key: key, tensor: checkpoint.optimizerStateTensor(index: entry.index, key: key)!))
                        }
                    }
                    try checkpointable.restoreState(tensors: tensors, scalars: scalars)
                }
            }
            for (index, (scheduler, record)) in zip(schedulers, manifest.schedulers).enumerated() {
                stage = "scheduler \(index) (\(scheduler.typeName))"
                try scheduler.loadStateDict(record.state)
                restoredSchedulers += 1
            }
        } catch {
            if let optimizer, let savedGroups { try? optimizer.loadStateDict(.object(["param_groups": savedGroups])) }
            if let checkpointable, let savedTensors, let savedScalars {
                try? checkpointable.restoreState(tensors: savedTensors, scalars: savedScalars)
            }
            for (scheduler, state) in zip(schedulers, savedSchedulers).prefix(restoredSchedulers) {
                try? scheduler.loadStateDict(state)
            }
            throw CheckpointError(file: checkpoint.source, .restoreFailed("\(stage): \(error)"))
        }
        for (name, parameter) in namedParameters {
            parameter.value = checkpoint.parameter(named: name)!
        }
        return Restored(
            step: manifest.step, epoch: manifest.epoch, rng: manifest.rng.map { Xoshiro256StarStar(state: $0.state) },
            metadata: manifest.metadata)
    }
}
