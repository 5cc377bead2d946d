extension Timm {
    /// timm's `TanhLRScheduler(optimizer, t_initial, lb=-7., ub=3., lr_min=0.,
    /// cycle_mul=1., cycle_decay=1., cycle_limit=1, warmup_t=0,
    /// warmup_lr_init=0., warmup_prefix=False, t_in_epochs=True,
    /// noise_range_t=None, noise_pct=0.67, noise_std=1.0, noise_seed=42, initialize=True)`:
    /// hyperbolic-tangent decay with restarts.
    ///
    /// For `t < warmup_t`: `warmup_lr_init + t * s`, where `s` steps toward
    /// the base rate (`warmup_prefix`) or toward the rate at `warmup_t`.
    /// Otherwise, in cycle `i` of length `t_i` at `t_curr`, while `i < cycle_limit`,
    /// with `tr = t_curr / t_i`:
    ///
    ///     lr = lr_min + 0.5 * (base * cycle_decay ** i - lr_min) * (1 - tanh(lb * (1. - tr) + ub * tr))
    ///
    /// and `lr_min` after the last cycle.
    ///
    /// With `lr = 0.1`, `t_initial: 10`: `step(0)` 0.09999991684719724,
    /// `step(7)` 0.050000000000000044 (`tr = 0.7`, `tanh(≈0)`).
    ///
    /// ```swift
    /// let scheduler = try Timm.TanhLRScheduler(optimizer: optimizer, tInitial: 10)
    /// try scheduler.step(.epoch(7))   // lr 0.050000000000000044
    /// ```
    public final class TanhLRScheduler: BaseScheduler {
        public internal(set) var lb: PyValue
        public internal(set) var ub: PyValue
        public internal(set) var tInitial: PyValue
        public internal(set) var lrMin: PyValue
        public internal(set) var cycleMul: PyValue
        public internal(set) var cycleDecay: PyValue
        public internal(set) var cycleLimit: PyValue
        public internal(set) var warmupT: PyValue
        public internal(set) var warmupLRInit: PyValue
        public internal(set) var warmupPrefix: Bool
        public internal(set) var warmupSteps: [PyValue] = []

        /// - Parameters follow timm's keywords (`t_initial` ... `initialize`).
        public init(
            optimizer: Optimizer, tInitial: PyValue, lb: PyValue = -7.0, ub: PyValue = 3.0, lrMin: PyValue = 0.0,
            cycleMul: PyValue = 1.0, cycleDecay: PyValue = 1.0, cycleLimit: PyValue = 1, warmupT: PyValue = 0,
            warmupLRInit: PyValue = 0.0, warmupPrefix: Bool = false, tInEpochs: Bool = true,
            noiseRangeT: JSONValue = .null, noisePct: PyValue = 0.67, noiseStd: PyValue = 1.0,
            noiseSeed: PyValue = 42, initialize: Bool = true
        ) throws(PythonError) {
            self.lb = lb
            self.ub = ub
            self.tInitial = tInitial
            self.lrMin = lrMin
            self.cycleMul = cycleMul
            self.cycleDecay = cycleDecay
            self.cycleLimit = cycleLimit
            self.warmupT = warmupT
            self.warmupLRInit = warmupLRInit
            self.warmupPrefix = warmupPrefix
            try super.init(
                optimizer: optimizer, tInEpochs: tInEpochs, noiseRangeT: noiseRangeT, noisePct: noisePct,
                noiseStd: noiseStd, noiseSeed: noiseSeed, initialize: initialize)
            try Timm.assertion(PyValue.isLess(0, tInitial))
            try Timm.assertion(PyValue.isLessOrEqual(0, lrMin))
            try Timm.assertion(PyValue.isLess(lb, ub))
            try Timm.assertion(PyValue.isLessOrEqual(0, cycleLimit))
            try Timm.assertion(PyValue.isLessOrEqual(0, warmupT))
            try Timm.assertion(PyValue.isLessOrEqual(0, warmupLRInit))
            if warmupT.isTruthy {
                // The unshifted rates at warmup_t, computed while warmup_steps is still unset.
                let target = warmupPrefix ? baseValues : try rates(warmupT)
                warmupSteps = try Timm.warmupSteps(target, warmupT: warmupT, warmupLRInit: warmupLRInit)
                updateGroups(warmupLRInit)
            } else {
                warmupSteps = Array(repeating: 1, count: baseValues.count)
            }
        }

        public override func computeLR(_ time: PyValue) throws(PythonError) -> [PyValue] {
            if PyValue.isLess(time, warmupT) {
                return try Timm.warmupLR(time, steps: warmupSteps, warmupLRInit: warmupLRInit)
            }
            return try rates(time)
        }

        /// `_get_lr(t)` past the warmup.
        private func rates(_ time: PyValue) throws(PythonError) -> [PyValue] {
            let t = warmupPrefix ? try time - warmupT : time
            let (i, tI, tCurr) = try Timm.cycle(t, tInitial: tInitial, cycleMul: cycleMul)
            guard PyValue.isLess(i, cycleLimit) else { return Array(repeating: lrMin, count: baseValues.count) }
            let gamma = try PyValue.power(cycleDecay, i)
            let tr = try tCurr / tI
            let factor = try 1 - PyValue.tanh(try lb * (1.0 - tr) + ub * tr)
            var lrs: [PyValue] = []
            for base in baseValues {
                let lrMax = try base * gamma
                lrs.append(try lrMin + 0.5 * (lrMax - lrMin) * factor)
            }
            return lrs
        }

        public override var ownState: StateTable {
            StateTable(self, [
                .number("lb", \.lb), .number("ub", \.ub), .number("t_initial", \.tInitial), .number("lr_min", \.lrMin),
                .number("cycle_mul", \.cycleMul), .number("cycle_decay", \.cycleDecay),
                .number("cycle_limit", \.cycleLimit), .number("warmup_t", \.warmupT),
                .number("warmup_lr_init", \.warmupLRInit), .bool("warmup_prefix", \.warmupPrefix),
                .numbers("warmup_steps", \.warmupSteps),
            ])
        }
    }
}

extension Timm.TanhLRScheduler {
    static let keywords: Set<String> = Timm.noiseArguments.union([
        "t_initial", "lb", "ub", "lr_min", "cycle_mul", "cycle_decay", "cycle_limit", "warmup_t", "warmup_lr_init",
        "warmup_prefix",
    ])

    /// The registry's constructor: `timm.TanhLRScheduler(optimizer, **args)`.
    static func make(_ given: inout KeywordArguments, context: SchedulerContext) throws -> Timm.TanhLRScheduler {
        let args = try Timm.arguments(given, type: "TanhLRScheduler", keywords)
        return try Timm.TanhLRScheduler(
            optimizer: context.optimizer, tInitial: try Timm.number(args, "t_initial"),
            lb: try Timm.number(args, "lb", -7.0), ub: try Timm.number(args, "ub", 3.0),
            lrMin: try Timm.number(args, "lr_min", 0.0), cycleMul: try Timm.number(args, "cycle_mul", 1.0),
            cycleDecay: try Timm.number(args, "cycle_decay", 1.0), cycleLimit: try Timm.number(args, "cycle_limit", 1),
            warmupT: try Timm.number(args, "warmup_t", 0), warmupLRInit: try Timm.number(args, "warmup_lr_init", 0.0),
            warmupPrefix: try args.bool("warmup_prefix", false), tInEpochs: try args.bool("t_in_epochs", true),
            noiseRangeT: try Timm.noiseRange(args), noisePct: try Timm.number(args, "noise_pct", 0.67),
            noiseStd: try Timm.number(args, "noise_std", 1.0), noiseSeed: try Timm.number(args, "noise_seed", 42),
            initialize: try args.bool("initialize", true))
    }
}
