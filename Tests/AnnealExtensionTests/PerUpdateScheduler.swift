import Anneal

/// An example shaped like timm's schedulers: `step(epoch, metric=None)` and
/// `step_update(num_updates, metric=None)`, no `get_last_lr()` and no
/// `last_epoch`. It sets each group's rate to `base / (1 + t)`, with `t`
/// the epoch or the update count it was last given.
final class PerUpdateScheduler: Scheduler {
    let optimizer: Optimizer
    let warnings = WarningSink()
    private(set) var baseValues: [Double]
    /// The last `t` given, and whether it came from `step_update`.
    private(set) var t = 0.0
    private(set) var lastWasUpdate = false

    init(optimizer: Optimizer) {
        self.optimizer = optimizer
        baseValues = optimizer.paramGroups.map(\.lr)
    }

    var typeName: String { "PerUpdateScheduler" }
    var lastLR: [Double] { optimizer.paramGroups.map(\.lr) }
    var stepSignature: StepSignature { .epochThenMetric }
    var lastEpochAttribute: Epoch? { nil }
    var hasGetLastLR: Bool { false }

    func step(_ input: StepInput) throws(PythonError) {
        switch input {
        case .next: throw .typeError("PerUpdateScheduler.step() missing 1 required positional argument: 'epoch'")
        case .epoch(let epoch), .metric(_, let epoch?):
            (t, lastWasUpdate) = (epoch.value, false)
        case .metric(_, nil): throw .typeError("PerUpdateScheduler.step() missing 1 required positional argument: 'epoch'")
        case .update(let updates, _):
            (t, lastWasUpdate) = (updates.value, true)
        }
        for index in optimizer.paramGroups.indices {
            optimizer.paramGroups[index].lr = try PyFloat.divide(baseValues[index], 1 + t)
        }
    }

    private var state: StateTable {
        StateTable(self, [.doubles("base_values", \.baseValues), .double("t", \.t), .bool("last_was_update", \.lastWasUpdate)])
    }

    func stateDict() -> JSONValue { .object(state.encode()) }

    func loadStateDict(_ saved: JSONValue) throws(PythonError) {
        try state.load(from: try StateReader(saved, scheduler: typeName))
    }
}

extension PerUpdateScheduler: RegisteredScheduler {
    static var pythonName: String { "example.PerUpdateScheduler" }
    static var takesLastEpoch: Bool { false }

    static func make(_ args: inout KeywordArguments, context: SchedulerContext) throws -> PerUpdateScheduler {
        try args.allow([])
        return PerUpdateScheduler(optimizer: context.optimizer)
    }
}
