import Anneal

/// An example of a scheduler that is not an `LRScheduler` at all, only a
/// `Scheduler`: it halves every group's rate at each step, takes no
/// argument, and keeps one key of state.
final class HalvingScheduler: Scheduler {
    let optimizer: Optimizer
    let warnings = WarningSink()
    private(set) var lastLR: [Double]
    /// `halvings`: how many steps have been taken.
    private(set) var halvings = 0

    init(optimizer: Optimizer) {
        self.optimizer = optimizer
        lastLR = optimizer.paramGroups.map(\.lr)
    }

    var typeName: String { "example.HalvingScheduler" }
    var stepSignature: StepSignature { .noArguments }
    var lastEpochAttribute: Epoch? { nil }

    func step(_ input: StepInput) throws(PythonError) {
        guard case .next = input else {
            throw .typeError("HalvingScheduler.step() takes 1 positional argument but 2 were given")
        }
        for index in optimizer.paramGroups.indices { optimizer.paramGroups[index].lr *= 0.5 }
        lastLR = optimizer.paramGroups.map(\.lr)
        halvings += 1
    }

    private var state: StateTable {
        StateTable(self, [.int("halvings", \.halvings), .doubles("_last_lr", \.lastLR)])
    }

    func stateDict() -> JSONValue { .object(state.encode()) }

    func loadStateDict(_ saved: JSONValue) throws(PythonError) {
        try state.load(from: try StateReader(saved, scheduler: typeName))
    }
}

extension HalvingScheduler: RegisteredScheduler {
    static var pythonName: String { "example.HalvingScheduler" }
    static var takesLastEpoch: Bool { false }

    static func make(_ args: inout KeywordArguments, context: SchedulerContext) throws -> HalvingScheduler {
        try args.allow([])
        return HalvingScheduler(optimizer: context.optimizer)
    }
}
