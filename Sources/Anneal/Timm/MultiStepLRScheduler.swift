extension Timm {
    /// timm's `MultiStepLRScheduler(optimizer, decay_t, decay_rate=1.,
    /// warmup_t=0, warmup_lr_init=0., warmup_prefix=True, t_in_epochs=True,
    /// noise_range_t=None, noise_pct=0.67, noise_std=1.0, noise_seed=42, initialize=True)`:
    /// the rate times `decay_rate` at each milestone of `decay_t`.
    ///
    /// For `t < warmup_t`: `warmup_lr_init + t * (base - warmup_lr_init) / warmup_t`;
    /// otherwise (`t -= warmup_t` with `warmup_prefix`):
    ///
    ///     lr = base * decay_rate ** bisect_right(decay_t, t + 1)
    ///
    /// timm compares the milestones with `t + 1` (a milestone `m` applies at
    /// `t == m - 1`, unlike PyTorch's `MultiStepLR`) and assumes them sorted.
    ///
    /// With `lr = 0.1`, `decay_t: [3, 5]`, `decay_rate: 0.1`: `step(1)` 0.1,
    /// `step(2)` 0.010000000000000002, `step(4)` 0.0010000000000000002.
    ///
    /// ```swift
    /// let scheduler = try Timm.MultiStepLRScheduler(optimizer: optimizer, decayT: [3, 5], decayRate: 0.1)
    /// try scheduler.step(.epoch(2))   // lr 0.1 * 0.1
    /// ```
    public final class MultiStepLRScheduler: BaseScheduler {
        public internal(set) var decayT: [PyValue]
        public internal(set) var decayRate: PyValue
        public internal(set) var warmupT: PyValue
        public internal(set) var warmupLRInit: PyValue
        public internal(set) var warmupPrefix: Bool
        public internal(set) var warmupSteps: [PyValue] = []

        /// - Parameters follow timm's keywords (`decay_t` ... `initialize`).
        public init(
            optimizer: Optimizer, decayT: [PyValue], decayRate: PyValue = 1.0, warmupT: PyValue = 0,
            warmupLRInit: PyValue = 0.0, warmupPrefix: Bool = true, tInEpochs: Bool = true,
            noiseRangeT: JSONValue = .null, noisePct: PyValue = 0.67, noiseStd: PyValue = 1.0,
            noiseSeed: PyValue = 42, initialize: Bool = true
        ) throws(PythonError) {
            self.decayT = decayT
            self.decayRate = decayRate
            self.warmupT = warmupT
            self.warmupLRInit = warmupLRInit
            self.warmupPrefix = warmupPrefix
            try super.init(
                optimizer: optimizer, tInEpochs: tInEpochs, noiseRangeT: noiseRangeT, noisePct: noisePct,
                noiseStd: noiseStd, noiseSeed: noiseSeed, initialize: initialize)
            warmupSteps = try Timm.warmupSteps(baseValues, warmupT: warmupT, warmupLRInit: warmupLRInit)
            if warmupT.isTruthy { updateGroups(warmupLRInit) }
        }

        /// `get_curr_decay_steps(t)`: `bisect.bisect_right(decay_t, t + 1)`.
        func currentDecaySteps(_ t: PyValue) throws(PythonError) -> Int {
            let x = try t + 1
            var low = 0, high = decayT.count
            while low < high {
                let middle = (low + high) / 2
                if PyValue.isLess(x, decayT[middle]) { high = middle } else { low = middle + 1 }
            }
            return low
        }

        public override func computeLR(_ time: PyValue) throws(PythonError) -> [PyValue] {
            if PyValue.isLess(time, warmupT) {
                return try Timm.warmupLR(time, steps: warmupSteps, warmupLRInit: warmupLRInit)
            }
            let t = warmupPrefix ? try time - warmupT : time
            let factor = try PyValue.power(decayRate, .int(try currentDecaySteps(t)))
            var lrs: [PyValue] = []
            for base in baseValues { lrs.append(try base * factor) }
            return lrs
        }

        public override var ownState: StateTable {
            StateTable(self, [
                .numbers("decay_t", \.decayT), .number("decay_rate", \.decayRate), .number("warmup_t", \.warmupT),
                .number("warmup_lr_init", \.warmupLRInit), .bool("warmup_prefix", \.warmupPrefix),
                .numbers("warmup_steps", \.warmupSteps),
            ])
        }
    }
}

extension Timm.MultiStepLRScheduler {
    static let keywords: Set<String> = Timm.noiseArguments.union([
        "decay_t", "decay_rate", "warmup_t", "warmup_lr_init", "warmup_prefix",
    ])

    /// The registry's constructor: `timm.MultiStepLRScheduler(optimizer, **args)`.
    static func make(_ given: inout KeywordArguments, context: SchedulerContext) throws -> Timm.MultiStepLRScheduler {
        let args = try Timm.arguments(given, type: "MultiStepLRScheduler", keywords)
        let raw = try args.raw("decay_t")
        guard case .array(let items) = raw else {
            throw PythonError.beyondAnneal("MultiStepLRScheduler argument 'decay_t' must be a list of numbers")
        }
        var decayT: [PyValue] = []
        for item in items {
            guard let number = PyValue(number: item) else {
                throw PythonError.beyondAnneal("MultiStepLRScheduler argument 'decay_t' must be a list of numbers")
            }
            decayT.append(number)
        }
        return try Timm.MultiStepLRScheduler(
            optimizer: context.optimizer, decayT: decayT,
            decayRate: try Timm.number(args, "decay_rate", 1.0), warmupT: try Timm.number(args, "warmup_t", 0),
            warmupLRInit: try Timm.number(args, "warmup_lr_init", 0.0), warmupPrefix: try args.bool("warmup_prefix", true),
            tInEpochs: try args.bool("t_in_epochs", true), noiseRangeT: try Timm.noiseRange(args),
            noisePct: try Timm.number(args, "noise_pct", 0.67), noiseStd: try Timm.number(args, "noise_std", 1.0),
            noiseSeed: try Timm.number(args, "noise_seed", 42), initialize: try args.bool("initialize", true))
    }
}
