extension Timm {
    /// timm's `CosineLRScheduler(optimizer, t_initial, lr_min=0., cycle_mul=1.,
    /// cycle_decay=1., cycle_limit=1, warmup_t=0, warmup_lr_init=0.,
    /// warmup_prefix=False, t_in_epochs=True, noise_range_t=None,
    /// noise_pct=0.67, noise_std=1.0, noise_seed=42, k_decay=1.0, initialize=True)`:
    /// cosine decay with restarts (SGDR) and k-decay.
    ///
    /// For `t < warmup_t`: `warmup_lr_init + t * (base - warmup_lr_init) / warmup_t`.
    /// Otherwise (`t -= warmup_t` with `warmup_prefix`), in cycle `i` of
    /// length `t_i` at `t_curr` (``Timm`` `cycle`), while `i < cycle_limit`:
    ///
    ///     lr = lr_min + 0.5 * (base * cycle_decay ** i - lr_min) * (1 + cos(pi * t_curr ** k / t_i ** k))
    ///
    /// and `lr_min` after the last cycle.
    ///
    /// With `lr = 0.1`, `t_initial: 10`: `step(0)` 0.1, `step(5)` 0.05,
    /// `step(10)` 0.0 (`cycle_limit` 1 reached).
    ///
    /// ```swift
    /// let scheduler = try Timm.CosineLRScheduler(optimizer: optimizer, tInitial: 10)
    /// try scheduler.step(.epoch(5))   // lr 0.05
    /// ```
    public final class CosineLRScheduler: BaseScheduler {
        public internal(set) var tInitial: PyValue
        public internal(set) var lrMin: PyValue
        public internal(set) var cycleMul: PyValue
        public internal(set) var cycleDecay: PyValue
        public internal(set) var cycleLimit: PyValue
        public internal(set) var warmupT: PyValue
        public internal(set) var warmupLRInit: PyValue
        public internal(set) var warmupPrefix: Bool
        public internal(set) var kDecay: PyValue
        public internal(set) var warmupSteps: [PyValue] = []

        /// - Parameters follow timm's keywords (`t_initial` ... `initialize`);
        ///   `noiseRangeT` is `None` (`.null`), a number, or `[lo, hi]`.
        public init(
            optimizer: Optimizer, tInitial: PyValue, lrMin: PyValue = 0.0, cycleMul: PyValue = 1.0,
            cycleDecay: PyValue = 1.0, cycleLimit: PyValue = 1, warmupT: PyValue = 0, warmupLRInit: PyValue = 0.0,
            warmupPrefix: Bool = false, tInEpochs: Bool = true, noiseRangeT: JSONValue = .null,
            noisePct: PyValue = 0.67, noiseStd: PyValue = 1.0, noiseSeed: PyValue = 42, kDecay: PyValue = 1.0,
            initialize: Bool = true
        ) throws(PythonError) {
            self.tInitial = tInitial
            self.lrMin = lrMin
            self.cycleMul = cycleMul
            self.cycleDecay = cycleDecay
            self.cycleLimit = cycleLimit
            self.warmupT = warmupT
            self.warmupLRInit = warmupLRInit
            self.warmupPrefix = warmupPrefix
            self.kDecay = kDecay
            try super.init(
                optimizer: optimizer, tInEpochs: tInEpochs, noiseRangeT: noiseRangeT, noisePct: noisePct,
                noiseStd: noiseStd, noiseSeed: noiseSeed, initialize: initialize)
            try Timm.assertion(PyValue.isLess(0, tInitial))
            try Timm.assertion(PyValue.isLessOrEqual(0, lrMin))
            warmupSteps = try Timm.warmupSteps(baseValues, warmupT: warmupT, warmupLRInit: warmupLRInit)
            if warmupT.isTruthy { updateGroups(warmupLRInit) }
        }

        public override func computeLR(_ time: PyValue) throws(PythonError) -> [PyValue] {
            if PyValue.isLess(time, warmupT) {
                return try Timm.warmupLR(time, steps: warmupSteps, warmupLRInit: warmupLRInit)
            }
            let t = warmupPrefix ? try time - warmupT : time
            let (i, tI, tCurr) = try Timm.cycle(t, tInitial: tInitial, cycleMul: cycleMul)
            let gamma = try PyValue.power(cycleDecay, i)
            guard PyValue.isLess(i, cycleLimit) else { return Array(repeating: lrMin, count: baseValues.count) }
            let k = kDecay
            let cosine = try 1 + PyValue.cos(try .float(.pi) * PyValue.power(tCurr, k) / PyValue.power(tI, k))
            var lrs: [PyValue] = []
            for base in baseValues {
                let lrMax = try base * gamma
                lrs.append(try lrMin + 0.5 * (lrMax - lrMin) * cosine)
            }
            return lrs
        }

        public override var ownState: StateTable {
            StateTable(self, [
                .number("t_initial", \.tInitial), .number("lr_min", \.lrMin), .number("cycle_mul", \.cycleMul),
                .number("cycle_decay", \.cycleDecay), .number("cycle_limit", \.cycleLimit),
                .number("warmup_t", \.warmupT), .number("warmup_lr_init", \.warmupLRInit),
                .bool("warmup_prefix", \.warmupPrefix), .number("k_decay", \.kDecay),
                .numbers("warmup_steps", \.warmupSteps),
            ])
        }
    }
}

extension Timm.CosineLRScheduler {
    static let keywords: Set<String> = Timm.noiseArguments.union([
        "t_initial", "lr_min", "cycle_mul", "cycle_decay", "cycle_limit", "warmup_t", "warmup_lr_init",
        "warmup_prefix", "k_decay",
    ])

    /// The registry's constructor: `timm.CosineLRScheduler(optimizer, **args)`.
    static func make(_ given: inout KeywordArguments, context: SchedulerContext) throws -> Timm.CosineLRScheduler {
        let args = try Timm.arguments(given, type: "CosineLRScheduler", keywords)
        return try Timm.CosineLRScheduler(
            optimizer: context.optimizer, tInitial: try Timm.number(args, "t_initial"),
            lrMin: try Timm.number(args, "lr_min", 0.0), cycleMul: try Timm.number(args, "cycle_mul", 1.0),
            cycleDecay: try Timm.number(args, "cycle_decay", 1.0), cycleLimit: try Timm.number(args, "cycle_limit", 1),
            warmupT: try Timm.number(args, "warmup_t", 0), warmupLRInit: try Timm.number(args, "warmup_lr_init", 0.0),
            warmupPrefix: try args.bool("warmup_prefix", false), tInEpochs: try args.bool("t_in_epochs", true),
            noiseRangeT: try Timm.noiseRange(args), noisePct: try Timm.number(args, "noise_pct", 0.67),
            noiseStd: try Timm.number(args, "noise_std", 1.0), noiseSeed: try Timm.number(args, "noise_seed", 42),
            kDecay: try Timm.number(args, "k_decay", 1.0), initialize: try args.bool("initialize", true))
    }
}
