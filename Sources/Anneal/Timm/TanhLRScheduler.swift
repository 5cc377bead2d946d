extension Timm {
    /// timm's `TanhLRScheduler(optimizer, t_initial, lb=-7., ub=3., lr_min=0.,
    /// cycle_mul=1., cycle_decay=1., cycle_limit=1, warmup_t=0,
    /// warmup_lr_init=0., warmup_prefix=False, t_in_epochs=True,
    /// noise_range_t=None, noise_pct=0.67, noise_std=1.0, noise_seed=42, initialize=True)`:
    /// hyperbolic-tangent decay with restarts.
    ///
    /// The warmup (``Timm/WarmupScheduler``) climbs from `warmup_lr_init`
    /// to the base rate (`warmup_prefix`) or to the rate at `warmup_t`.
    /// Then in cycle `i` (``Timm/CyclicScheduler``), while `i < cycle_limit`,
    /// with `tr = t_curr / t_i`:
    ///
    ///     lr = lr_min + 0.5 * (base * cycle_decay ** i - lr_min) * (1 - tanh(lb * (1. - tr) + ub * tr))
    ///
    /// With `lr = 0.1`, `t_initial: 10`: `step(0)` 0.09999991684719724,
    /// `step(7)` 0.050000000000000044 (`tr = 0.7`, `tanh(≈0)`).
    ///
    /// ```swift
    /// let scheduler = try Timm.TanhLRScheduler(optimizer: optimizer, tInitial: 10)
    /// try scheduler.step(.epoch(7))   // lr 0.050000000000000044
    /// ```
    public final class TanhLRScheduler: CyclicScheduler {
        /// `lb`: the tanh argument at a cycle's start.
        public internal(set) var lb: PyValue
        /// `ub`: the tanh argument at a cycle's end.
        public internal(set) var ub: PyValue

        /// - Parameters follow timm's keywords (`t_initial` ... `initialize`).
        public convenience init(
            optimizer: Optimizer, tInitial: PyValue, lb: PyValue = -7.0, ub: PyValue = 3.0, lrMin: PyValue = 0.0,
            cycleMul: PyValue = 1.0, cycleDecay: PyValue = 1.0, cycleLimit: PyValue = 1, warmupT: PyValue = 0,
            warmupLRInit: PyValue = 0.0, warmupPrefix: Bool = false, tInEpochs: Bool = true,
            noiseRangeT: JSONValue = .null, noisePct: PyValue = 0.67, noiseStd: PyValue = 1.0,
            noiseSeed: PyValue = 42, initialize: Bool = true
        ) throws(PythonError) {
            let cycle = CycleOptions(tInitial: tInitial, lrMin: lrMin, mul: cycleMul, decay: cycleDecay, limit: cycleLimit)
            let options = BaseOptions(
                tInEpochs: tInEpochs, noiseRangeT: noiseRangeT, noisePct: noisePct, noiseStd: noiseStd,
                noiseSeed: noiseSeed, initialize: initialize)
            try self.init(
                optimizer: optimizer, cycle: cycle, lb: lb, ub: ub,
                warmup: WarmupOptions(t: warmupT, lrInit: warmupLRInit, prefix: warmupPrefix), options: options)
        }

        init(
            optimizer: Optimizer, cycle: CycleOptions, lb: PyValue, ub: PyValue, warmup: WarmupOptions,
            options: BaseOptions
        ) throws(PythonError) {
            self.lb = lb
            self.ub = ub
            try super.init(optimizer: optimizer, cycle: cycle, warmup: warmup, options: options)
        }

        /// After timm's `t_initial` and `lr_min` assertions: `lb < ub`,
        /// `cycle_limit >= 0`, `warmup_t >= 0`, `warmup_lr_init >= 0`.
        override func checkArguments() throws(PythonError) {
            try Timm.assertion(PyValue.isLess(lb, ub))
            try Timm.assertion(PyValue.isLessOrEqual(0, cycleLimit))
            try Timm.assertion(PyValue.isLessOrEqual(0, warmupT))
            try Timm.assertion(PyValue.isLessOrEqual(0, warmupLRInit))
        }

        /// The base rates (`warmup_prefix`), else the unshifted rates at
        /// `warmup_t`, computed while `warmup_steps` is still unset.
        override func warmupTarget() throws(PythonError) -> [PyValue] {
            warmupPrefix ? baseValues : try decayedLR(warmupT)
        }

        /// timm takes `cycle_decay ** i` only inside `i < cycle_limit`.
        override var decaysBeforeLimit: Bool { false }

        /// `1 - tanh(lb * (1. - tr) + ub * tr)` with `tr = t_curr / t_i`.
        override func cycleFactor(tCurr: PyValue, tI: PyValue) throws(PythonError) -> PyValue {
            let tr = try tCurr / tI
            return try 1 - PyValue.tanh(try lb * (1.0 - tr) + ub * tr)
        }

        override var scheduleState: StateTable {
            StateTable(self, [
                .number("lb", \.lb), .number("ub", \.ub), .number("t_initial", \.tInitial), .number("lr_min", \.lrMin),
            ]) + cycleState
        }
    }
}

extension Timm.TanhLRScheduler {
    /// The registry's constructor: `timm.TanhLRScheduler(optimizer, **args)`.
    static func make(_ given: inout KeywordArguments, context: SchedulerContext) throws -> Timm.TanhLRScheduler {
        let args = try Timm.Arguments(given, type: "TanhLRScheduler", own: ["t_initial", "lb", "ub"], cycle: true)
        return try Timm.TanhLRScheduler(
            optimizer: context.optimizer, cycle: try args.cycle(), lb: try args.number("lb", -7.0),
            ub: try args.number("ub", 3.0), warmup: try args.warmup(prefix: false), options: try args.base())
    }
}
