extension Timm {
    /// timm's `PolyLRScheduler(optimizer, t_initial, power=0.5, lr_min=0.,
    /// cycle_mul=1., cycle_decay=1., cycle_limit=1, warmup_t=0,
    /// warmup_lr_init=0., warmup_prefix=False, t_in_epochs=True,
    /// noise_range_t=None, noise_pct=0.67, noise_std=1.0, noise_seed=42,
    /// k_decay=1.0, initialize=True)`: polynomial decay with restarts and k-decay.
    ///
    /// Past the warmup (``Timm/WarmupScheduler``), while the cycle `i`
    /// (``Timm/CyclicScheduler``) is below `cycle_limit`:
    ///
    ///     lr = lr_min + (base * cycle_decay ** i - lr_min) * (1 - t_curr ** k / t_i ** k) ** power
    ///
    /// With `lr = 0.1`, `t_initial: 4`, `power: 1.0`: `step(0)` 0.1,
    /// `step(1)` 0.07500000000000001, `step(2)` 0.05.
    ///
    /// ```swift
    /// let scheduler = try Timm.PolyLRScheduler(optimizer: optimizer, tInitial: 4, power: 1.0)
    /// try scheduler.step(.epoch(2))   // lr 0.05
    /// ```
    public final class PolyLRScheduler: CyclicScheduler {
        /// `power`: the polynomial's exponent.
        public internal(set) var power: PyValue
        /// `k_decay`: the exponent `k` on the cycle times.
        public internal(set) var kDecay: PyValue

        /// - Parameters follow timm's keywords (`t_initial` ... `initialize`).
        public convenience init(
            optimizer: Optimizer, tInitial: PyValue, power: PyValue = 0.5, lrMin: PyValue = 0.0,
            cycleMul: PyValue = 1.0, cycleDecay: PyValue = 1.0, cycleLimit: PyValue = 1, warmupT: PyValue = 0,
            warmupLRInit: PyValue = 0.0, warmupPrefix: Bool = false, tInEpochs: Bool = true,
            noiseRangeT: JSONValue = .null, noisePct: PyValue = 0.67, noiseStd: PyValue = 1.0,
            noiseSeed: PyValue = 42, kDecay: PyValue = 1.0, initialize: Bool = true
        ) throws(PythonError) {
            let warmup = WarmupOptions(t: warmupT, lrInit: warmupLRInit, prefix: warmupPrefix)
            try self.init(
                optimizer: optimizer,
                cycle: CycleOptions(tInitial: tInitial, lrMin: lrMin, mul: cycleMul, decay: cycleDecay, limit: cycleLimit),
                power: power, warmup: warmup,
                options: BaseOptions(
                    tInEpochs: tInEpochs, noiseRangeT: noiseRangeT, noisePct: noisePct, noiseStd: noiseStd,
                    noiseSeed: noiseSeed, initialize: initialize), kDecay: kDecay)
        }

        init(
            optimizer: Optimizer, cycle: CycleOptions, power: PyValue, warmup: WarmupOptions, options: BaseOptions,
            kDecay: PyValue
        ) throws(PythonError) {
            self.power = power
            self.kDecay = kDecay
            try super.init(optimizer: optimizer, cycle: cycle, warmup: warmup, options: options)
        }

        /// `(1 - t_curr ** k / t_i ** k) ** power`.
        override func cycleFactor(tCurr: PyValue, tI: PyValue) throws(PythonError) -> PyValue {
            try PyValue.power(try 1 - PyValue.power(tCurr, kDecay) / PyValue.power(tI, kDecay), power)
        }

        /// `lr_min + (lr_max - lr_min) * factor`.
        override func rate(lrMax: PyValue, factor: PyValue) throws(PythonError) -> PyValue {
            try lrMin + (lrMax - lrMin) * factor
        }

        override var scheduleState: StateTable {
            StateTable(self, [.number("t_initial", \.tInitial), .number("power", \.power), .number("lr_min", \.lrMin)])
                + cycleState
        }

        override var trailingState: StateTable { StateTable(self, [.number("k_decay", \.kDecay)]) }
    }
}

extension Timm.PolyLRScheduler {
    /// The registry's constructor: `timm.PolyLRScheduler(optimizer, **args)`.
    static func make(_ given: inout KeywordArguments, context: SchedulerContext) throws -> Timm.PolyLRScheduler {
        let args = try Timm.Arguments(given, type: "PolyLRScheduler", own: ["t_initial", "power", "k_decay"], cycle: true)
        return try Timm.PolyLRScheduler(
            optimizer: context.optimizer, cycle: try args.cycle(), power: try args.number("power", 0.5),
            warmup: try args.warmup(prefix: false), options: try args.base(), kDecay: try args.number("k_decay"))
    }
}
