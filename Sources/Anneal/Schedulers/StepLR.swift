/// Decays each group's rate by `gamma` every `stepSize` epochs: PyTorch's
/// `StepLR(optimizer, step_size, gamma=0.1, last_epoch=-1)`.
///
/// Chainable: `lr ← lr · gamma` when `last_epoch > 0` and
/// `last_epoch % step_size == 0`. Closed form:
/// `base_lr · gamma ** (last_epoch // step_size)`.
///
/// With `lr = 0.05`, `stepSize: 30`, `gamma: 0.1`: epochs 0–29 → 0.05,
/// 30–59 → 0.005, 60–89 → 0.0005.
public final class StepLR: LRScheduler {
    /// `step_size`.
    @exclusivity(unchecked) public internal(set) var stepSize: Epoch
    /// `gamma`.
    @exclusivity(unchecked) public internal(set) var gamma: Double

    public init(
        optimizer: Optimizer, stepSize: Epoch, gamma: Double = 0.1, lastEpoch: Epoch = -1,
        warnings: WarningSink = WarningSink()
    ) throws(PythonError) {
        self.stepSize = stepSize
        self.gamma = gamma
        try super.init(optimizer: optimizer, lastEpoch: lastEpoch, warnings: warnings)
    }

    public override func computeLR(_ groups: ParamGroups, into lrs: Rates) throws(PythonError) {
        // `last_epoch == 0 or last_epoch % step_size != 0`, short-circuit included.
        let decays = lastEpoch.value == 0 ? false : try isMultiple(lastEpoch, of: stepSize)
        for index in lrs.indices {
            let lr = groups[index].lr
            lrs[index] = decays ? lr * gamma : lr
        }
    }

    public override func computeClosedFormLR(_ groups: ParamGroups, into lrs: Rates) throws(PythonError) -> Bool {
        try checkGroupCount(baseLRs.count, lrs.count)
        let factor = try PyFloat.pow(gamma, floorQuotient(lastEpoch, stepSize))
        for index in lrs.indices { lrs[index] = baseLRs[index] * factor }
        return true
    }

    public override var ownState: StateTable { StateTable(self, [.epoch("step_size", \.stepSize), .double("gamma", \.gamma)]) }
}

extension StepLR: RegisteredScheduler {
    /// `StepLR(optimizer, step_size, gamma=0.1, last_epoch=-1)`.
    public static func make(_ args: inout KeywordArguments, context: SchedulerContext) throws -> StepLR {
        try args.allow(["step_size", "gamma", "last_epoch"])
        return try StepLR(
            optimizer: context.optimizer, stepSize: try args.count("step_size"), gamma: try args.float("gamma", 0.1),
            lastEpoch: try args.epoch())
    }
}
