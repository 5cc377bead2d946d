extension Timm {
    /// timm's `PolyLRScheduler(optimizer, t_initial, power=0.5, lr_min=0.,
    /// cycle_mul=1., cycle_decay=1., cycle_limit=1, warmup_t=0,
    /// warmup_lr_init=0., warmup_prefix=False, t_in_epochs=True,
    /// noise_range_t=None, noise_pct=0.67, noise_std=1.0, noise_seed=42,
    /// k_decay=1.0, initialize=True)`: polynomial decay with restarts and k-decay.
    ///
    /// For `t < warmup_t`: `warmup_lr_init + t * (base - warmup_lr_init) / warmup_t`.
    /// Otherwise (`t -= warmup_t` with `warmup_prefix`), in cycle `i` of
    /// length `t_i` at `t_curr`, while `i < cycle_limit`:
    ///
    ///     lr = lr_min + (base * cycle_decay ** i - lr_min) * (1 - t_curr ** k / t_i ** k) ** power
    ///
    /// and `lr_min` after the last cycle.
    ///
    /// With `lr = 0.1`, `t_initial: 4`, `power: 1.0`: `step(0)` 0.1,
    /// `step(1)` 0.07500000000000001, `step(2)` 0.05.
    ///
    /// ```swift
    /// let scheduler = try Timm.PolyLRScheduler(optimizer: optimizer, tInitial: 4, power: 1.0)
    /// try scheduler.step(.epoch(2))   // lr 0.05
    /// ```
    public final class PolyLRScheduler: BaseScheduler {
        public internal(set) var tInitial: PyValue
        public internal(set) var power: PyValue
        public internal(set) var lrMin: PyValue
        public internal(set) var cycleMul: PyValue
        public internal(set) var cycleDecay: PyValue
        public internal(set) var cycleLimit: PyValue
        public internal(set) var warmupT: PyValue
        public internal(set) var warmupLRInit: PyValue
        public internal(set) var warmupPrefix: Bool
        public internal(set) var kDecay: PyValue
        public internal(set) var warmupSteps: [PyValue] = []

        /// - Parameters follow timm's keywords (`t_initial` ... `initialize`).
        public init(
            optimizer: Optimizer, tInitial: PyValue, power: PyValue = 0.5, lrMin: PyValue = 0.0,
            cycleMul: PyValue = 1.0, cycleDecay: PyValue = 1.0, cycleLimit: PyValue = 1, warmupT: PyValue = 0,
            warmupLRInit: PyValue = 0.0, warmupPrefix: Bool = false, tInEpochs: Bool = true,
            noiseRangeT: JSONValue = .null, noisePct: PyValue = 0.67, noiseStd: PyValue = 1.0,
            noiseSeed: PyValue = 42, kDecay: PyValue = 1.0, initialize: Bool = true
        ) throws(PythonError) {
            self.tInitial = tInitial
            self.power = power
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
            let factor = try PyValue.power(try 1 - PyValue.power(tCurr, k) / PyValue.power(tI, k), power)
            var lrs: [PyValue] = []
            for base in baseValues {
                let lrMax = try base * gamma
                lrs.append(try lrMin + (lrMax - lrMin) * factor)
            }
            return lrs
        }

        public override var ownState: StateTable {
            StateTable(self, [
                .number("t_initial", \.tInitial), .number("power", \.power), .number("lr_min", \.lrMin),
                .number("cycle_mul", \.cycleMul), .number("cycle_decay", \.cycleDecay),
                .number("cycle_limit", \.cycleLimit), .number("warmup_t", \.warmupT),
                .number("warmup_lr_init", \.warmupLRInit), .bool("warmup_prefix", \.warmupPrefix),
                .number("k_decay", \.kDecay), .numbers("warmup_steps", \.warmupSteps),
            ])
        }
    }
}

extension Timm.PolyLRScheduler {
    static let keywords: Set<String> = Timm.noiseArguments.union([
        "t_initial", "power", "lr_min", "cycle_mul", "cycle_decay", "cycle_limit", "warmup_t", "warmup_lr_init",
        "warmup_prefix", "k_decay",
    ])

    /// The registry's constructor: `timm.PolyLRScheduler(optimizer, **args)`.
    static func make(_ given: inout KeywordArguments, context: SchedulerContext) throws -> Timm.PolyLRScheduler {
        let args = try Timm.arguments(given, type: "PolyLRScheduler", keywords)
        return try Timm.PolyLRScheduler(
            optimizer: context.optimizer, tInitial: try Timm.number(args, "t_initial"),
            power: try Timm.number(args, "power", 0.5),
            lrMin: try Timm.number(args, "lr_min", 0.0), cycleMul: try Timm.number(args, "cycle_mul", 1.0),
            cycleDecay: try Timm.number(args, "cycle_decay", 1.0), cycleLimit: try Timm.number(args, "cycle_limit", 1),
            warmupT: try Timm.number(args, "warmup_t", 0), warmupLRInit: try Timm.number(args, "warmup_lr_init", 0.0),
            warmupPrefix: try args.bool("warmup_prefix", false), tInEpochs: try args.bool("t_in_epochs", true),
            noiseRangeT: try Timm.noiseRange(args), noisePct: try Timm.number(args, "noise_pct", 0.67),
            noiseStd: try Timm.number(args, "noise_std", 1.0), noiseSeed: try Timm.number(args, "noise_seed", 42),
            kDecay: try Timm.number(args, "k_decay", 1.0), initialize: try args.bool("initialize", true))
    }
}
