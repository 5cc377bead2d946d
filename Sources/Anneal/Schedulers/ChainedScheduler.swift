/// Steps several schedulers together on every step, so their effects
/// multiply: PyTorch's `ChainedScheduler(schedulers, optimizer=None)`.
///
/// It has no epoch of its own (``LRScheduler/lastEpochAttribute`` is `nil` and ``LRScheduler/lastEpoch``
/// is unused); `step()` steps each child in order.
///
/// With `ConstantLR(factor: 0.1, totalIters: 2)` and
/// `ExponentialLR(gamma: 0.9)`, `lr = 1`: 0.1, 0.09, 0.81, 0.729, 0.6561, ...
public final class ChainedScheduler: LRScheduler {
    /// `_schedulers`.
    public let schedulers: [LRScheduler]
    /// `schedulers`, for stepping them without reference counting.
    private let children: UnretainedSchedulers

    public override var lastEpochAttribute: Epoch? { nil }

    public init(schedulers: [any Scheduler], optimizer: Optimizer? = nil, warnings: WarningSink = WarningSink())
        throws(PythonError)
    {
        guard let first = schedulers.first else {
            throw .valueError("ChainedScheduler expects at least one scheduler to be chained, but got no scheduler.")
        }
        let optimizer = optimizer ?? first.optimizer
        self.schedulers = try validateChildren(schedulers, optimizer: optimizer, owner: "ChainedScheduler")
        self.children = UnretainedSchedulers(self.schedulers)
        super.init(compositeOn: optimizer, warnings: warnings)
        refreshLastLR()
    }

    override var isComposite: Bool { true }

    override func undoEpochForSequential() throws(PythonError) {
        for child in schedulers { try child.undoEpochForSequential() }
    }

    override func performStep(epoch: Epoch?) throws(PythonError) {
        if epoch != nil { throw .typeError("ChainedScheduler.step() takes 1 positional argument but 2 were given") }
        for index in 0..<children.count {
            try children.with(index) { (child) throws(PythonError) in try child.performStep(epoch: nil) }
        }
        refreshLastLR()
    }

    /// No `base_lrs` or `last_epoch` of its own (the latter appears once
    /// `SequentialLR` has restarted it, and is not read back); the
    /// children's states last.
    override var stateTable: StateTable {
        StateTable(self, [.doubles("_last_lr", \.lastLR)]) + StateTable(self, LRScheduler.initialStepKeys)
            + StateTable(self, [
                .checked("last_epoch", encode: { $0.lastEpoch.json }, check: { _, _ in }).optional(writtenWhen: \.hasGetLRFlag),
                .children("_schedulers", \.schedulers),
            ])
    }
}

extension ChainedScheduler: RegisteredScheduler {
    public static var takesChildSchedulers: Bool { true }
    public static var takesLastEpoch: Bool { false }

    /// `ChainedScheduler(schedulers, optimizer=None)`.
    public static func make(_ args: inout KeywordArguments, context: SchedulerContext) throws -> ChainedScheduler {
        try args.allow(["schedulers"])
        return try ChainedScheduler(schedulers: context.schedulers, optimizer: context.optimizer)
    }
}
