/// Decays each group's rate polynomially to zero over `totalIters` epochs:
/// PyTorch's `PolynomialLR(optimizer, total_iters=5, power=1.0, last_epoch=-1)`.
///
/// Chainable, for `0 < last_epoch <= total_iters`:
/// `lr ← lr · ((1 − e/T) / (1 − (e − 1)/T)) ** power`; afterwards unchanged.
/// Closed form: `base_lr · (1 − min(T, last_epoch) / T) ** power`.
///
/// With `lr = 0.001`, `totalIters: 4`, `power: 1`: 0.001, 0.00075, 0.0005,
/// 0.00025, then 0.
public final class PolynomialLR: LRScheduler {
    @exclusivity(unchecked) public internal(set) var totalIters: Epoch
    @exclusivity(unchecked) public internal(set) var power: Double

    public init(
        optimizer: Optimizer, totalIters: Epoch = 5, power: Double = 1.0, lastEpoch: Epoch = -1,
        warnings: WarningSink = WarningSink()
    ) throws(PythonError) {
        self.totalIters = totalIters
        self.power = power
        try super.init(optimizer: optimizer, lastEpoch: lastEpoch, warnings: warnings)
    }

    public override func computeLR(_ groups: ParamGroups, into lrs: Rates) throws(PythonError) {
        if isInitial || lastEpoch > totalIters {
            keepRates(groups, into: lrs)
            return
        }
        let numerator: Double
        let denominator: Double
        if lastEpoch.isExactAsDouble && totalIters.isExactAsDouble {
            // Doubles hold both (and `last_epoch - 1`) exactly: one rounding each, as Python's `/`.
            numerator = 1.0 - (try PyFloat.divide(lastEpoch.value, totalIters.value))
            denominator = 1.0 - (try PyFloat.divide(lastEpoch.value - 1, totalIters.value))
        } else {
            numerator = 1.0 - (try Epoch.trueDivide(lastEpoch, totalIters))
            denominator = 1.0 - (try Epoch.trueDivide(try lastEpoch.advanced(by: -1), totalIters))
        }
        let decay = try PyFloat.pow(try PyFloat.divide(numerator, denominator), power)
        scaleRates(groups, by: decay, into: lrs)
    }

    public override func computeClosedFormLR(_ groups: ParamGroups, into lrs: Rates) throws(PythonError) -> Bool {
        try checkGroupCount(baseLRs.count, lrs.count)
        // `min(total_iters, last_epoch)`: the first of equals, as Python's `min`.
        let progress = lastEpoch < totalIters ? lastEpoch : totalIters
        let remaining = 1.0 - (try Epoch.trueDivide(progress, totalIters))
        let decay = try PyFloat.pow(remaining, power)
        for index in lrs.indices { lrs[index] = baseLRs[index] * decay }
        return true
    }

    public override var ownState: StateTable {
        StateTable(self, [.epoch("total_iters", \.totalIters), .double("power", \.power)])
    }
}

extension PolynomialLR: RegisteredScheduler {
    /// `PolynomialLR(optimizer, total_iters=5, power=1.0, last_epoch=-1)`.
    public static func make(_ args: inout KeywordArguments, context: SchedulerContext) throws -> PolynomialLR {
        try args.allow(["total_iters", "power", "last_epoch"])
        return try PolynomialLR(
            optimizer: context.optimizer, totalIters: try args.count("total_iters", 5),
            power: try args.float("power", 1.0), lastEpoch: try args.epoch())
    }
}
