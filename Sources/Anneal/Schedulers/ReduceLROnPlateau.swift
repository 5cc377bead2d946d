/// Reduces each group's rate by `factor` when a metric stops improving for
/// more than `patience` steps: PyTorch's `ReduceLROnPlateau(optimizer,
/// mode='min', factor=0.1, patience=10, threshold=1e-4, threshold_mode='rel',
/// cooldown=0, min_lr=0, eps=1e-8)`.
///
/// A metric `a` improves on `best` when (`min`, `rel`) `a < best·(1 − threshold)`,
/// (`min`, `abs`) `a < best − threshold`, (`max`, `rel`) `a > best·(threshold + 1)`,
/// (`max`, `abs`) `a > best + threshold`. After `patience + 1` bad steps
/// outside the cooldown, `lr ← max(lr · factor, min_lr)` unless the change is
/// at most `eps`, and a cooldown of `cooldown` steps begins. NaN metrics are
/// never improvements.
///
/// With `lr = 0.1`, `patience: 1` and metrics 1, 1, 1, 1: 0.1, 0.1, 0.01, 0.01.
public final class ReduceLROnPlateau: Scheduler {
    public let optimizer: Optimizer
    public let warnings: WarningSink
    public var typeName: String { "ReduceLROnPlateau" }

    @exclusivity(unchecked) public internal(set) var factor: Double
    /// `min_lr` when given once for all groups (`default_min_lr`), else `nil`.
    @exclusivity(unchecked) public internal(set) var defaultMinLR: Double?
    /// `min_lrs`, one per group.
    @exclusivity(unchecked) public internal(set) var minLRs: [Double]
    /// Whether `min_lr` was a Python `int` (the default `0`), so the state
    /// dict writes `0` as PyTorch does.
    @exclusivity(unchecked) private var minLRIsInteger = false
    @exclusivity(unchecked) public internal(set) var patience: Int
    @exclusivity(unchecked) public internal(set) var cooldown: Int
    @exclusivity(unchecked) public internal(set) var eps: Double
    @exclusivity(unchecked) public internal(set) var lastEpoch: Epoch = 0
    @exclusivity(unchecked) public internal(set) var lastLR: [Double]
    /// `mode`: `"min"` or `"max"`.
    @exclusivity(unchecked) public internal(set) var mode: String
    @exclusivity(unchecked) public internal(set) var threshold: Double
    /// `threshold_mode`: `"rel"` or `"abs"`.
    @exclusivity(unchecked) public internal(set) var thresholdMode: String
    /// `mode_worse`: `inf` for `min`, `-inf` for `max`.
    @exclusivity(unchecked) public internal(set) var modeWorse: Double = .infinity
    /// The best metric so far.
    @exclusivity(unchecked) public internal(set) var best: Double = .infinity
    @exclusivity(unchecked) public internal(set) var cooldownCounter = 0
    @exclusivity(unchecked) public internal(set) var numBadEpochs = 0
    /// `mode == "min"` and `threshold_mode == "rel"`, decided once, not per step.
    @exclusivity(unchecked) private var minimizes = true
    @exclusivity(unchecked) private var relative = true

    public init(
        optimizer: Optimizer, mode: String = "min", factor: Double = 0.1, patience: Int = 10,
        threshold: Double = 1e-4, thresholdMode: String = "rel", cooldown: Int = 0, minLR: GroupValues = 0,
        eps: Double = 1e-8, warnings: WarningSink = WarningSink()
    ) throws(PythonError) {
        if factor >= 1.0 { throw .valueError("Factor should be < 1.0.") }
        self.factor = factor
        self.optimizer = optimizer
        self.warnings = warnings
        let groupCount = optimizer.paramGroups.count
        switch minLR {
        case .all(let value):
            defaultMinLR = value
            minLRs = Array(repeating: value, count: groupCount)
        case .integer(let value):
            defaultMinLR = Double(value)
            minLRs = Array(repeating: Double(value), count: groupCount)
            minLRIsInteger = true
        case .each(let values):
            guard values.count == groupCount else {
                throw .valueError("expected \(groupCount) min_lrs, got \(values.count)")
            }
            defaultMinLR = nil
            minLRs = values
        }
        self.patience = patience
        self.cooldown = cooldown
        self.eps = eps
        self.lastLR = optimizer.paramGroups.map(\.lr)
        self.mode = mode
        self.threshold = threshold
        self.thresholdMode = thresholdMode
        try initIsBetter(mode: mode, threshold: threshold, thresholdMode: thresholdMode)
        reset()
    }

    /// `_init_is_better`.
    private func initIsBetter(mode: String, threshold: Double, thresholdMode: String) throws(PythonError) {
        try Self.checkMode(mode)
        try Self.checkThresholdMode(thresholdMode)
        self.mode = mode
        self.threshold = threshold
        self.thresholdMode = thresholdMode
        deriveComparison()
    }

    private static func checkMode(_ mode: String) throws(PythonError) {
        guard mode == "min" || mode == "max" else { throw .valueError("mode \(mode) is unknown!") }
    }

    private static func checkThresholdMode(_ thresholdMode: String) throws(PythonError) {
        guard thresholdMode == "rel" || thresholdMode == "abs" else {
            throw .valueError("threshold mode \(thresholdMode) is unknown!")
        }
    }

    /// `mode_worse` and the comparison `step` makes, from a valid `mode` and `threshold_mode`.
    private func deriveComparison() {
        modeWorse = mode == "min" ? .infinity : -.infinity
        minimizes = mode == "min"
        relative = thresholdMode == "rel"
    }

    /// `_reset`.
    private func reset() {
        best = modeWorse
        cooldownCounter = 0
        numBadEpochs = 0
    }

    /// Whether we are in the cooldown after a reduction.
    public var inCooldown: Bool { cooldownCounter > 0 }

    /// `_is_better(a, best)`.
    @inline(__always)
    func isBetter(_ a: Double, than best: Double) -> Bool {
        switch (minimizes, relative) {
        case (true, true): return a < best * (1.0 - threshold)
        case (true, false): return a < best - threshold
        case (false, true): return a > best * (threshold + 1.0)
        case (false, false): return a > best + threshold
        }
    }

    /// `step(metrics, epoch=None)` for ``StepInput/metric(_:epoch:)``;
    /// without a metric, Python's `TypeError`.
    @inlinable
    public func step(_ input: StepInput) throws(PythonError) {
        if case .update = input { throw StepInput.noStepUpdate(typeName) }
        guard case .metric(let metric, let epoch) = input else {
            throw .typeError("ReduceLROnPlateau.step() missing 1 required positional argument: 'metrics'")
        }
        try step(metric: metric, epoch: epoch)
    }

    public var stepSignature: StepSignature { .metrics }

    public var lastEpochAttribute: Epoch? { lastEpoch }

    /// `step(metrics, epoch=None)`: one observation of the metric.
    public func step(metric: Double, epoch given: Epoch? = nil) throws(PythonError) {
        let current = metric
        let epoch: Epoch
        if let given {
            warnings.emit(.epochDeprecated)
            epoch = given
        } else {
            epoch = try lastEpoch.advanced(by: 1)
        }
        lastEpoch = epoch
        if isBetter(current, than: best) {
            best = current
            numBadEpochs = 0
        } else {
            numBadEpochs = try checkedSum(numBadEpochs, 1)
        }
        if inCooldown {
            cooldownCounter -= 1
            numBadEpochs = 0
        }
        if numBadEpochs > patience {
            try reduceLR()
            cooldownCounter = cooldown
            numBadEpochs = 0
        }
        let groupCount = optimizer.paramGroups.count
        if lastLR.count != groupCount { lastLR = Array(repeating: 0, count: groupCount) }
        // Through a buffer held once: writing `lastLR[index]` per group
        // checks its uniqueness every time, which cost more than the step.
        let optimizer = self.optimizer
        lastLR.withUnsafeMutableBufferPointer { last in
            for index in 0..<groupCount { last[index] = optimizer.paramGroups[index].lr }
        }
    }

    /// `_reduce_lr`.
    private func reduceLR() throws(PythonError) {
        let groupCount = optimizer.paramGroups.count
        if groupCount != minLRs.count {
            guard let defaultMinLR else {
                throw .runtimeError(
                    "The number of param groups in the `optimizer` (\(groupCount)) differs from when `ReduceLROnPlateau` was initialized (\(minLRs.count)), usually due to a new param group being added to the optimizer. Please modify the `min_lrs` field to match the length of the `optimizer` param groups."
                )
            }
            minLRs = Array(repeating: defaultMinLR, count: groupCount)
        }
        for index in 0..<groupCount {
            let oldLR = optimizer.paramGroups[index].lr
            let newLR = pyMax(oldLR * factor, minLRs[index])
            if oldLR - newLR > eps {
                optimizer.paramGroups[index].lr = newLR
            }
        }
    }

    /// The keys in PyTorch's `__dict__` order. `min_lrs` stays an `int`
    /// list while `min_lr` was an int; `mode_worse` follows from `mode`, so
    /// it is checked but not read back.
    var stateTable: StateTable {
        StateTable(self, [
            .double("factor", \.factor),
            .custom(
                "default_min_lr", encode: { scheduler in scheduler.defaultMinLR.map(scheduler.minLRJSON) ?? .null },
                decode: { (reader, _) throws(PythonError) in try reader.optionalDouble("default_min_lr") },
                restore: { $0.defaultMinLR = $1 }),
            .custom(
                "min_lrs", encode: { scheduler in .array(scheduler.minLRs.map(scheduler.minLRJSON)) },
                decode: { (reader, _) throws(PythonError) in
                    (try reader.doubles("min_lrs"), try reader.array("min_lrs").allSatisfy { $0.intValue != nil })
                },
                restore: { $0.minLRs = $1.0; $0.minLRIsInteger = $1.1 }),
            .int("patience", \.patience), .int("cooldown", \.cooldown), .double("eps", \.eps),
            .epoch("last_epoch", \.lastEpoch), .doubles("_last_lr", \.lastLR),
            .checked("mode_worse", encode: { .double($0.modeWorse) }) { (reader, _) throws(PythonError) in
                _ = try reader.double("mode_worse")
            },
            .string("mode", \.mode, check: Self.checkMode), .double("threshold", \.threshold),
            .string("threshold_mode", \.thresholdMode, check: Self.checkThresholdMode),
            .double("best", \.best), .int("cooldown_counter", \.cooldownCounter), .int("num_bad_epochs", \.numBadEpochs),
        ])
    }

    public func stateDict() -> JSONValue { .object(stateTable.encode()) }

    /// A minimum rate as PyTorch holds it: an `int` while it is the given int.
    private func minLRJSON(_ value: Double) -> JSONValue {
        minLRIsInteger && value == value.rounded() && Swift.abs(value) < 9.0e15 ? .int(Int(value)) : .double(value)
    }

    public func loadStateDict(_ state: JSONValue) throws(PythonError) {
        try stateTable.load(from: try StateReader(state, scheduler: typeName))
        deriveComparison()
    }
}

extension ReduceLROnPlateau: RegisteredScheduler {
    public static var takesLastEpoch: Bool { false }

    /// `ReduceLROnPlateau(optimizer, mode='min', factor=0.1, patience=10, threshold=1e-4,
    /// threshold_mode='rel', cooldown=0, min_lr=0, eps=1e-8)`.
    public static func make(_ args: inout KeywordArguments, context: SchedulerContext) throws -> ReduceLROnPlateau {
        try args.allow(["mode", "factor", "patience", "threshold", "threshold_mode", "cooldown", "min_lr", "eps"])
        return try ReduceLROnPlateau(
            optimizer: context.optimizer, mode: try args.string("mode", "min"), factor: try args.float("factor", 0.1),
            patience: try args.integer("patience", 10), threshold: try args.float("threshold", 1e-4),
            thresholdMode: try args.string("threshold_mode", "rel"), cooldown: try args.integer("cooldown", 0),
            minLR: try args.groupValues("min_lr", 0), eps: try args.float("eps", 1e-8))
    }
}
