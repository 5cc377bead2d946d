/// transformers' `GreedyLR(optimizer, mode="min", factor=0.95, patience=10,
/// threshold=1e-6, threshold_mode="abs", cooldown=0, warmup=0, min_lr=1e-3,
/// max_lr=1.0, eps=1e-8, verbose=False, smooth=False, window_size=50,
/// reset_start=500)`: `get_scheduler("greedy", ...)`, stepped with a metric.
///
/// A metric `a` improves on `best` when (`min`, `rel`) `a < best·(1 − threshold)`,
/// (`min`, `abs`) `a < best − threshold`, (`max`, `rel`) `a > best·(1 + threshold)`,
/// (`max`, `abs`) `a > best + threshold` (with `smooth`, `a` is the mean of
/// the last `window_size` metrics). Outside a cooldown or warmup, after
/// `patience + 1` good steps `lr ← min(lr / factor, max_lr)` (and a warmup
/// of `warmup` steps begins), after `patience + 1` bad ones
/// `lr ← max(lr · factor, min_lr)` (and a cooldown of `cooldown` steps),
/// a change made only when it exceeds `eps`. After `reset_start` reductions
/// with every group at its `min_lr`, everything resets to the initial rates.
/// `verbose` messages are not printed (the library never prints).
///
/// With `lr = 0.1`, `patience: 0`, `min_lr: 0.01` and metrics 1, 1, 1:
/// 0.1, 0.10526315789473685, 0.1, 0.095 (the first metric improves on
/// `best = inf`, so the rate grows; the others do not, so it shrinks).
public final class GreedyLR: Scheduler {
    public let optimizer: Optimizer
    public let warnings: WarningSink
    public var typeName: String { "GreedyLR" }

    /// `factor`: the multiplier of a reduction, and the divisor of an increase.
    public internal(set) var factor: Double
    /// `min_lrs`: each group's floor.
    public internal(set) var minLRs: [Double]
    /// `max_lrs`: each group's ceiling.
    public internal(set) var maxLRs: [Double]
    /// `patience`: steps without (or with) improvement tolerated before the rate changes.
    public internal(set) var patience: Int
    /// `verbose` (kept for the state; Anneal prints nothing).
    public internal(set) var verbose: Bool
    /// `cooldown`: steps to wait after a reduction before counting steps again.
    public internal(set) var cooldown: Int
    /// `warmup`: steps to wait after an increase before counting steps again.
    public internal(set) var warmup: Int
    /// `cooldown_counter`: cooldown steps left.
    public internal(set) var cooldownCounter = 0
    /// `warmup_counter`: warmup steps left.
    public internal(set) var warmupCounter = 0
    /// `"min"` or `"max"`.
    public internal(set) var mode: String
    /// `threshold`: how much better a metric must be to count as better.
    public internal(set) var threshold: Double
    /// `"rel"` or `"abs"`.
    public internal(set) var thresholdMode: String
    /// `best`: the best metric so far.
    public internal(set) var best: Double
    /// `num_bad_epochs`: consecutive steps without improvement.
    public internal(set) var numBadEpochs = 0
    /// `num_good_epochs`: consecutive steps with improvement.
    public internal(set) var numGoodEpochs = 0
    /// `eps`: the minimal change applied to a rate.
    public internal(set) var eps: Double
    /// `last_epoch`: the steps taken (or the epoch last given).
    public internal(set) var lastEpoch: Epoch = 0
    /// `smooth`: whether metrics are averaged over a window first.
    public internal(set) var smooth: Bool
    /// `window_size`: the averaging window.
    public internal(set) var windowSize: Int
    /// `reset_start`: steps to wait at `min_lr` before resetting to the initial state.
    public internal(set) var resetStart: Int
    /// `reset_start_original`: `reset_start` as given.
    public internal(set) var resetStartOriginal: Int
    /// `_last_lr`: the groups' rates after the last step.
    public internal(set) var lastLR: [Double]
    /// `_init_lrs`: the groups' rates at construction, restored by a reset.
    public internal(set) var initLRs: [Double]
    /// `_streaming_avg` (`StreamingAverage`) while `smooth`: the window's values and their running sum.
    public internal(set) var streamingValues: [Double] = []
    public internal(set) var streamingSum = 0.0
    /// `_streaming_avg.window_size`.
    public internal(set) var streamingWindowSize: Int

    /// - Parameters: transformers' arguments, by their Python names
    ///   (`min_lr`/`max_lr` once for all groups or one per group).
    public init(
        optimizer: Optimizer, mode: String = "min", factor: Double = 0.95, patience: Int = 10,
        threshold: Double = 1e-6, thresholdMode: String = "abs", cooldown: Int = 0, warmup: Int = 0,
        minLR: GroupValues = 1e-3, maxLR: GroupValues = 1.0, eps: Double = 1e-8, verbose: Bool = false,
        smooth: Bool = false, windowSize: Int = 50, resetStart: Int = 500, warnings: WarningSink = WarningSink()
    ) throws(PythonError) {
        if factor >= 1.0 { throw .valueError("Factor should be < 1.0.") }
        self.optimizer = optimizer
        self.warnings = warnings
        self.factor = factor
        self.patience = patience
        self.verbose = verbose
        self.cooldown = cooldown
        self.warmup = warmup
        self.mode = mode
        self.threshold = threshold
        self.thresholdMode = thresholdMode
        self.eps = eps
        self.smooth = smooth
        self.windowSize = windowSize
        self.resetStart = resetStart
        self.resetStartOriginal = resetStart
        let groupCount = optimizer.paramGroups.count
        minLRs = try Self.perGroup(minLR, "min_lrs", groupCount: groupCount)
        maxLRs = try Self.perGroup(maxLR, "max_lrs", groupCount: groupCount)
        initLRs = optimizer.paramGroups.map(\.lr)
        lastLR = initLRs
        best = mode == "min" ? .infinity : -.infinity
        streamingWindowSize = windowSize
        try Self.checkMode(mode)
        try Self.checkThresholdMode(thresholdMode)
    }

    private static func perGroup(_ values: GroupValues, _ name: String, groupCount: Int) throws(PythonError) -> [Double] {
        if case .each(let list) = values, list.count != groupCount {
            throw .valueError("expected \(groupCount) \(name), got \(list.count)")
        }
        return try values.resolve(name, groupCount: groupCount)
    }

    private static func checkMode(_ mode: String) throws(PythonError) {
        guard mode == "min" || mode == "max" else { throw .valueError("mode \(mode) is unknown!") }
    }

    private static func checkThresholdMode(_ thresholdMode: String) throws(PythonError) {
        guard thresholdMode == "rel" || thresholdMode == "abs" else {
            throw .valueError("threshold mode \(thresholdMode) is unknown!")
        }
    }

    public var stepSignature: StepSignature { .metrics }
    public var lastEpochAttribute: Epoch? { lastEpoch }

    /// `step(metrics, epoch=None)` for ``StepInput/metric(_:epoch:)``;
    /// without a metric, Python's `TypeError`.
    public func step(_ input: StepInput) throws(PythonError) {
        if case .update = input { throw StepInput.noStepUpdate(typeName) }
        guard case .metric(let metric, let epoch) = input else {
            throw .typeError("GreedyLR.step() missing 1 required positional argument: 'metrics'")
        }
        try step(metric: metric, epoch: epoch)
    }

    /// `StreamingAverage.streamavg(value)`.
    private func streamAverage(_ value: Double) throws(PythonError) -> Double {
        streamingValues.append(value)
        streamingSum += value
        if streamingValues.count > streamingWindowSize {
            streamingSum -= streamingValues.removeFirst()
        }
        return try PyFloat.divide(streamingSum, Double(streamingValues.count))
    }

    /// `is_better(current, best)`.
    func isBetter(_ current: Double, than best: Double) -> Bool {
        if mode == "min" {
            return thresholdMode == "rel" ? current < best * (1.0 - threshold) : current < best - threshold
        }
        return thresholdMode == "rel" ? current > best * (1.0 + threshold) : current > best + threshold
    }

    /// `step(metrics, epoch=None)`: one observation of the metric.
    public func step(metric: Double, epoch given: Epoch? = nil) throws(PythonError) {
        var current = metric
        if smooth { current = try streamAverage(current) }
        let epoch: Epoch
        if let given { epoch = given } else { epoch = try lastEpoch.advanced(by: 1) }
        lastEpoch = epoch
        if cooldownCounter > 0 {
            cooldownCounter -= 1
            numBadEpochs = 0
            numGoodEpochs = 0
        } else if warmupCounter > 0 {
            warmupCounter -= 1
            numBadEpochs = 0
            numGoodEpochs = 0
        } else {
            if isBetter(current, than: best) {
                best = current
                numBadEpochs = 0
                numGoodEpochs = try checkedSum(numGoodEpochs, 1)
            } else {
                numBadEpochs = try checkedSum(numBadEpochs, 1)
                numGoodEpochs = 0
            }
            if numGoodEpochs > patience {
                try increaseLR()
                warmupCounter = warmup
                numGoodEpochs = 0
            } else if numBadEpochs > patience {
                try reduceLR()
                cooldownCounter = cooldown
                numBadEpochs = 0
            }
        }
        lastLR = optimizer.paramGroups.map(\.lr)
    }

    private func bound(_ values: [Double], _ index: Int) throws(PythonError) -> Double {
        guard index < values.count else { throw PythonError("IndexError", "list index out of range") }
        return values[index]
    }

    /// `_reduce_lr`.
    private func reduceLR() throws(PythonError) {
        var allAtMin = true
        for index in optimizer.paramGroups.indices {
            let minLR = try bound(minLRs, index)
            let oldLR = optimizer.paramGroups[index].lr
            let newLR = pyMax(oldLR * factor, minLR)
            if oldLR - newLR > eps { optimizer.paramGroups[index].lr = newLR }
            if optimizer.paramGroups[index].lr > minLR { allAtMin = false }
        }
        if allAtMin {
            resetStart -= 1
            if resetStart <= 0 { try reset() }
        }
    }

    /// `_increase_lr`.
    private func increaseLR() throws(PythonError) {
        for index in optimizer.paramGroups.indices {
            let maxLR = try bound(maxLRs, index)
            let oldLR = optimizer.paramGroups[index].lr
            let newLR = pyMin(try PyFloat.divide(oldLR, factor), maxLR)
            if newLR - oldLR > eps { optimizer.paramGroups[index].lr = newLR }
        }
        resetStart = resetStartOriginal
    }

    /// `_reset`.
    private func reset() throws(PythonError) {
        for index in optimizer.paramGroups.indices {
            optimizer.paramGroups[index].lr = try bound(initLRs, index)
        }
        best = mode == "min" ? .infinity : -.infinity
        numBadEpochs = 0
        numGoodEpochs = 0
        cooldownCounter = 0
        warmupCounter = 0
        resetStart = resetStartOriginal
        if smooth {
            streamingValues = []
            streamingSum = 0
            streamingWindowSize = windowSize
        }
    }

    // MARK: State

    /// Whether the state has `_streaming_avg` (`smooth` was set at construction).
    var hasStreamingAverage: Bool { smooth }

    /// The keys in transformers' `state_dict()` order; `_streaming_avg` only with `smooth`.
    var stateTable: StateTable {
        StateTable(self, [
            .double("factor", \.factor), .perGroup("min_lrs", \.minLRs), .perGroup("max_lrs", \.maxLRs),
            .int("patience", \.patience), .bool("verbose", \.verbose), .int("cooldown", \.cooldown),
            .int("warmup", \.warmup), .int("cooldown_counter", \.cooldownCounter),
            .int("warmup_counter", \.warmupCounter), .string("mode", \.mode, check: Self.checkMode),
            .double("threshold", \.threshold),
            .string("threshold_mode", \.thresholdMode, check: Self.checkThresholdMode), .double("best", \.best),
            .int("num_bad_epochs", \.numBadEpochs), .int("num_good_epochs", \.numGoodEpochs), .double("eps", \.eps),
            .epoch("last_epoch", \.lastEpoch), .bool("smooth", \.smooth), .int("window_size", \.windowSize),
            .int("reset_start", \.resetStart), .int("reset_start_original", \.resetStartOriginal),
            .perGroup("_last_lr", \.lastLR), .perGroup("_init_lrs", \.initLRs),
            StateKey<GreedyLR>.custom(
                "_streaming_avg",
                encode: { scheduler in
                    .object([
                        "window_size": .int(scheduler.streamingWindowSize),
                        "values": .array(scheduler.streamingValues.map(JSONValue.double)),
                        "sum": .double(scheduler.streamingSum),
                    ])
                },
                decode: { (reader, _) throws(PythonError) in
                    let average = try StateReader(try reader.value("_streaming_avg"), scheduler: "GreedyLR._streaming_avg")
                    try average.expectOnly(["window_size", "values", "sum"])
                    return (try average.int("window_size"), try average.doubles("values"), try average.double("sum"))
                },
                restore: { scheduler, saved in
                    (scheduler.streamingWindowSize, scheduler.streamingValues, scheduler.streamingSum) = saved
                }
            ).when(\.hasStreamingAverage),
        ])
    }

    public func stateDict() -> JSONValue { .object(stateTable.encode()) }

    /// `load_state_dict(state)`, which also sets each group's rate to the
    /// saved `_last_lr`, as transformers does.
    public func loadStateDict(_ state: JSONValue) throws(PythonError) {
        try stateTable.load(from: try StateReader(state, scheduler: typeName))
        for index in optimizer.paramGroups.indices where index < lastLR.count {
            optimizer.paramGroups[index].lr = lastLR[index]
        }
    }

    /// `GreedyLR(optimizer, **kwargs)`, as `get_scheduler("greedy", ...)` calls it.
    static func make(_ args: inout KeywordArguments, context: SchedulerContext) throws -> GreedyLR {
        try args.allow([
            "mode", "factor", "patience", "threshold", "threshold_mode", "cooldown", "warmup", "min_lr", "max_lr",
            "eps", "verbose", "smooth", "window_size", "reset_start",
        ])
        return try GreedyLR(
            optimizer: context.optimizer, mode: try args.string("mode", "min"), factor: try args.float("factor", 0.95),
            patience: try args.integer("patience", 10), threshold: try args.float("threshold", 1e-6),
            thresholdMode: try args.string("threshold_mode", "abs"), cooldown: try args.integer("cooldown", 0),
            warmup: try args.integer("warmup", 0), minLR: try args.groupValues("min_lr", 1e-3),
            maxLR: try args.groupValues("max_lr", 1.0), eps: try args.float("eps", 1e-8),
            verbose: try args.bool("verbose", false), smooth: try args.bool("smooth", false),
            windowSize: try args.integer("window_size", 50), resetStart: try args.integer("reset_start", 500))
    }
}
