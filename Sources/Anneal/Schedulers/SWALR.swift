#if canImport(Glibc)
import Glibc
#endif

/// Anneals each group's rate to a fixed SWA rate over `annealEpochs`
/// epochs, then holds it: PyTorch's
/// `torch.optim.swa_utils.SWALR(optimizer, swa_lr, anneal_epochs=10, anneal_strategy='cos', last_epoch=-1)`.
///
/// With `t = clamp(step / max(1, anneal_epochs), 0, 1)` and
/// `α = (1 − cos(π·t)) / 2` (`cos`) or `α = t` (`linear`), the rate is
/// `swa_lr · α + lr₀ · (1 − α)`, where `lr₀` is recovered from the current
/// rate and the previous step's `α`, so the schedule composes with others.
///
/// With `lr = 0.1`, `swaLR: 0.05`, `annealEpochs: 2`, `linear`: 0.1, 0.075, 0.05, 0.05, ...
public final class SWALR: LRScheduler {
    @exclusivity(unchecked) public internal(set) var annealEpochs: Int
    /// `_anneal_strategy`: `"cos"` or `"linear"`.
    @exclusivity(unchecked) public internal(set) var annealStrategy: String {
        didSet { annealsByCosine = annealStrategy == "cos" }
    }
    /// `annealStrategy == "cos"`, decided once, not per step.
    @exclusivity(unchecked) private var annealsByCosine = true

    public init(
        optimizer: Optimizer, swaLR: GroupValues, annealEpochs: Int = 10, annealStrategy: String = "cos",
        lastEpoch: Epoch = -1, warnings: WarningSink = WarningSink()
    ) throws(PythonError) {
        let swaLRs = try swaLR.resolve("swa_lr", groupCount: optimizer.paramGroups.count)
        for index in optimizer.paramGroups.indices { optimizer.paramGroups[index].swaLR = swaLRs[index] }
        guard annealStrategy == "cos" || annealStrategy == "linear" else {
            throw .valueError("anneal_strategy must be one of 'cos' or 'linear', instead got \(annealStrategy)")
        }
        self.annealStrategy = annealStrategy
        self.annealsByCosine = annealStrategy == "cos"
        if annealEpochs < 0 { throw .valueError("anneal_epochs must be equal or greater than 0, got \(annealEpochs)") }
        self.annealEpochs = annealEpochs
        try super.init(optimizer: optimizer, lastEpoch: lastEpoch, warnings: warnings)
    }

    @inline(__always)
    private func annealFunction(_ t: Double) throws(PythonError) -> Double {
        annealsByCosine ? (1 - (try PyFloat.cos(Double.pi * t))) / 2 : t
    }

    public override func computeLR(_ groups: ParamGroups, into lrs: Rates) throws(PythonError) {
        // Python ints: `step = _step_count - 1`, divided by `max(1, anneal_epochs)`;
        // within 2^53 (every real run) doubles hold them and divide them exactly.
        let (previousT, t): (Double, Double)
        if stepCount.magnitude < 1 << 53 && annealEpochs.magnitude < 1 << 53 {
            var step = Double(stepCount - 1)
            if annealEpochs == 0 { step = pyMax(1, step) }
            let span = Double(Swift.max(1, annealEpochs))
            (previousT, t) = (pyMax(0, pyMin(1, (step - 1) / span)), pyMax(0, pyMin(1, step / span)))
        } else {
            var step = try checkedDifference(stepCount, 1)
            if annealEpochs == 0 { step = Swift.max(1, step) }
            let span = Swift.max(1, annealEpochs)
            previousT = pyMax(0, pyMin(1, Epoch.exactQuotient(try checkedDifference(step, 1), span)))
            t = pyMax(0, pyMin(1, Epoch.exactQuotient(step, span)))
        }
        let previousAlpha = try annealFunction(previousT)
        let alpha = try annealFunction(t)
        for index in lrs.indices {
            guard let swaLR = groups[index].swaLR else { throw .keyError("'swa_lr'") }
            let initial =
                previousAlpha == 1
                ? swaLR : try PyFloat.divide(groups[index].lr - previousAlpha * swaLR, 1 - previousAlpha)
            lrs[index] = swaLR * alpha + initial * (1 - alpha)
        }
    }

    public override var ownState: StateTable {
        StateTable(self, [
            .string("_anneal_strategy", \.annealStrategy) { (strategy) throws(PythonError) in
                guard strategy == "cos" || strategy == "linear" else {
                    throw .valueError("SWALR state_dict has an unknown _anneal_strategy '\(strategy)'")
                }
            },
            .int("anneal_epochs", \.annealEpochs),
        ])
    }
}

extension SWALR: RegisteredScheduler {
    /// `SWALR(optimizer, swa_lr, anneal_epochs=10, anneal_strategy='cos', last_epoch=-1)`.
    public static func make(_ args: inout KeywordArguments, context: SchedulerContext) throws -> SWALR {
        try args.allow(["swa_lr", "anneal_epochs", "anneal_strategy", "last_epoch"])
        let optimizer = context.optimizer
        let swaLR = try args.groupValues("swa_lr")
        let strategy = try args.string("anneal_strategy", "cos")
        let annealEpochs = args.rawOptional("anneal_epochs") ?? .int(10)
        guard case .int(let annealValue) = annealEpochs else {
            // PyTorch writes `swa_lr` and checks the strategy first.
            let swaLRs = try swaLR.resolve("swa_lr", groupCount: optimizer.paramGroups.count)
            for index in optimizer.paramGroups.indices { optimizer.paramGroups[index].swaLR = swaLRs[index] }
            guard strategy == "cos" || strategy == "linear" else {
                throw PythonError.valueError("anneal_strategy must be one of 'cos' or 'linear', instead got \(strategy)")
            }
            throw PythonError.valueError(
                "anneal_epochs must be equal or greater than 0, got \(annealEpochs.pythonDescription)")
        }
        return try SWALR(
            optimizer: optimizer, swaLR: swaLR, annealEpochs: annealValue, annealStrategy: strategy,
            lastEpoch: try args.epoch())
    }
}
