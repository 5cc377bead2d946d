/// Multiplies each group's rate by a constant `factor` until `totalIters`
/// epochs have passed: PyTorch's
/// `ConstantLR(optimizer, factor=1/3, total_iters=5, last_epoch=-1)`.
///
/// Chainable: at epoch 0 `lr ← lr · factor`; at `total_iters`
/// `lr ← lr · (1 / factor)`; otherwise unchanged. Closed form:
/// `base_lr · (factor + (last_epoch >= total_iters) · (1 − factor))`.
///
/// With `lr = 0.05`, `factor: 0.5`, `totalIters: 4`: epochs 0–3 → 0.025,
/// 4+ → 0.05.
public final class ConstantLR: LRScheduler {
    /// `factor`, in `[0, 1]`.
    @exclusivity(unchecked) public internal(set) var factor: Double
    /// `total_iters`.
    @exclusivity(unchecked) public internal(set) var totalIters: Epoch

    public init(
        optimizer: Optimizer, factor: Double = 1.0 / 3, totalIters: Epoch = 5, lastEpoch: Epoch = -1,
        warnings: WarningSink = WarningSink()
    ) throws(PythonError) {
        try checkFactor(factor, "Constant multiplicative factor expected to be between 0 and 1.")
        self.factor = factor
        self.totalIters = totalIters
        try super.init(optimizer: optimizer, lastEpoch: lastEpoch, warnings: warnings)
    }

    public override func computeLR(_ groups: ParamGroups, into lrs: Rates) throws(PythonError) {
        let epoch = lastEpoch.value
        if epoch == 0 {
            scaleRates(groups, by: factor, into: lrs)
        } else if lastEpoch != totalIters {
            keepRates(groups, into: lrs)
        } else {
            let inverse = try PyFloat.divide(1.0, factor)
            scaleRates(groups, by: inverse, into: lrs)
        }
    }

    public override func computeClosedFormLR(_ groups: ParamGroups, into lrs: Rates) throws(PythonError) -> Bool {
        try checkGroupCount(baseLRs.count, lrs.count)
        let reached: Double = lastEpoch >= totalIters ? 1 : 0
        let multiplier = factor + reached * (1 - factor)
        for index in lrs.indices { lrs[index] = baseLRs[index] * multiplier }
        return true
    }

    public override var ownState: StateTable {
        StateTable(self, [.double("factor", \.factor), .epoch("total_iters", \.totalIters)])
    }
}

extension ConstantLR: RegisteredScheduler {
    /// `ConstantLR(optimizer, factor=1/3, total_iters=5, last_epoch=-1)`.
    public static func make(_ args: inout KeywordArguments, context: SchedulerContext) throws -> ConstantLR {
        try args.allow(["factor", "total_iters", "last_epoch"])
        return try ConstantLR(
            optimizer: context.optimizer, factor: try args.float("factor", 1.0 / 3),
            totalIters: try args.count("total_iters", 5), lastEpoch: try args.epoch())
    }
}
