/// Scales each group's rate linearly from `startFactor` to `endFactor` over
/// `totalIters` epochs (a linear warmup): PyTorch's
/// `LinearLR(optimizer, start_factor=1/3, end_factor=1.0, total_iters=5, last_epoch=-1)`.
///
/// Chainable: at epoch 0 `lr ← lr · start_factor`; for
/// `0 < last_epoch <= total_iters`,
/// `lr ← lr · (1 + (end − start) / (total_iters · start + (last_epoch − 1) · (end − start)))`;
/// afterwards unchanged. Closed form:
/// `base_lr · (start + (end − start) · min(total_iters, last_epoch) / total_iters)`.
///
/// With `lr = 0.05`, `startFactor: 0.5`, `totalIters: 4`: 0.025, 0.03125,
/// 0.0375, 0.04375, then 0.05.
public final class LinearLR: LRScheduler {
    @exclusivity(unchecked) public internal(set) var startFactor: Double
    @exclusivity(unchecked) public internal(set) var endFactor: Double
    @exclusivity(unchecked) public internal(set) var totalIters: Epoch

    public init(
        optimizer: Optimizer, startFactor: Double = 1.0 / 3, endFactor: Double = 1.0, totalIters: Epoch = 5,
        lastEpoch: Epoch = -1, warnings: WarningSink = WarningSink()
    ) throws(PythonError) {
        try checkFactor(
            startFactor, zeroAllowed: false,
            "Starting multiplicative factor expected to be greater than 0 and less or equal to 1.")
        try checkFactor(endFactor, "Ending multiplicative factor expected to be between 0 and 1.")
        self.startFactor = startFactor
        self.endFactor = endFactor
        self.totalIters = totalIters
        try super.init(optimizer: optimizer, lastEpoch: lastEpoch, warnings: warnings)
    }

    public override func computeLR(_ groups: ParamGroups, into lrs: Rates) throws(PythonError) {
        let epoch = lastEpoch.value
        if epoch == 0 {
            scaleRates(groups, by: startFactor, into: lrs)
            return
        }
        if isInitial || lastEpoch > totalIters {
            keepRates(groups, into: lrs)
            return
        }
        let span = endFactor - startFactor
        let denominator = totalIters.value * startFactor + lastEpoch.predecessorValue * span
        let multiplier = 1.0 + (try PyFloat.divide(span, denominator))
        scaleRates(groups, by: multiplier, into: lrs)
    }

    public override func computeClosedFormLR(_ groups: ParamGroups, into lrs: Rates) throws(PythonError) -> Bool {
        try checkGroupCount(baseLRs.count, lrs.count)
        let progress = (lastEpoch < totalIters ? lastEpoch : totalIters).value
        let multiplier = startFactor + (try PyFloat.divide((endFactor - startFactor) * progress, totalIters.value))
        for index in lrs.indices { lrs[index] = baseLRs[index] * multiplier }
        return true
    }

    public override var ownState: StateTable {
        StateTable(self, [
            .double("start_factor", \.startFactor), .double("end_factor", \.endFactor),
            .epoch("total_iters", \.totalIters),
        ])
    }
}

extension LinearLR: RegisteredScheduler {
    /// `LinearLR(optimizer, start_factor=1/3, end_factor=1.0, total_iters=5, last_epoch=-1)`.
    public static func make(_ args: inout KeywordArguments, context: SchedulerContext) throws -> LinearLR {
        try args.allow(["start_factor", "end_factor", "total_iters", "last_epoch"])
        return try LinearLR(
            optimizer: context.optimizer, startFactor: try args.float("start_factor", 1.0 / 3),
            endFactor: try args.float("end_factor", 1.0), totalIters: try args.count("total_iters", 5),
            lastEpoch: try args.epoch())
    }
}
