/// Decays each group's rate by `gamma` every epoch: PyTorch's
/// `ExponentialLR(optimizer, gamma, last_epoch=-1)`.
///
/// Chainable: `lr ← lr · gamma`. Closed form: `base_lr · gamma ** last_epoch`.
///
/// With `lr = 0.1`, `gamma: 0.5`: 0.1, 0.05, 0.025, 0.0125, ...
public final class ExponentialLR: LRScheduler {
    @exclusivity(unchecked) public internal(set) var gamma: Double

    public init(optimizer: Optimizer, gamma: Double, lastEpoch: Epoch = -1, warnings: WarningSink = WarningSink())
        throws(PythonError)
    {
        self.gamma = gamma
        try super.init(optimizer: optimizer, lastEpoch: lastEpoch, warnings: warnings)
    }

    public override func computeLR(_ groups: ParamGroups, into lrs: Rates) throws(PythonError) {
        let factor = isInitial ? 1 : gamma
        for index in lrs.indices {
            let lr = groups[index].lr
            lrs[index] = isInitial ? lr : lr * factor
        }
    }

    public override func computeClosedFormLR(_ groups: ParamGroups, into lrs: Rates) throws(PythonError) -> Bool {
        try checkGroupCount(baseLRs.count, lrs.count)
        let factor = try PyFloat.pow(gamma, lastEpoch.value)
        for index in lrs.indices { lrs[index] = baseLRs[index] * factor }
        return true
    }

    public override var ownState: StateTable { StateTable(self, [.double("gamma", \.gamma)]) }
}

extension ExponentialLR: RegisteredScheduler {
    /// `ExponentialLR(optimizer, gamma, last_epoch=-1)`.
    public static func make(_ args: inout KeywordArguments, context: SchedulerContext) throws -> ExponentialLR {
        try args.allow(["gamma", "last_epoch"])
        return try ExponentialLR(optimizer: context.optimizer, gamma: try args.float("gamma"), lastEpoch: try args.epoch())
    }
}
