extension Timm {
    /// timm's `CosineLRScheduler(optimizer, t_initial, lr_min=0., cycle_mul=1.,
    /// cycle_decay=1., cycle_limit=1, warmup_t=0, warmup_lr_init=0.,
    /// warmup_prefix=False, t_in_epochs=True, noise_range_t=None,
    /// noise_pct=0.67, noise_std=1.0, noise_seed=42, k_decay=1.0, initialize=True)`:
    /// cosine decay with restarts (SGDR) and k-decay.
    ///
    /// After the linear warmup (``Timm/WarmupScheduler``), in cycle `i`
    /// (``Timm/CyclicScheduler``), while `i < cycle_limit`:
    ///
    ///     lr = lr_min + 0.5 * (base * cycle_decay ** i - lr_min) * (1 + cos(pi * t_curr ** k / t_i ** k))
    ///
    /// With `lr = 0.1`, `t_initial: 10`: `step(0)` 0.1, `step(5)` 0.05,
    /// `step(10)` 0.0 (`cycle_limit` 1 reached).
    ///
    /// ```swift
    /// let scheduler = try Timm.CosineLRScheduler(optimizer: optimizer, tInitial: 10)
    /// try scheduler.step(.epoch(5))   // lr 0.05
    /// ```
    public final class CosineLRScheduler: CyclicScheduler {
        /// `k_decay`: the exponent `k` on the cycle times.
        public internal(set) var kDecay: PyValue

        /// - Parameters follow timm's keywords (`t_initial` ... `initialize`);
        ///   `noiseRangeT` is `None` (`.null`), a number, or `[lo, hi]`.
        public convenience init(
            optimizer: Optimizer, tInitial: PyValue, lrMin: PyValue = 0.0, cycleMul: PyValue = 1.0,
            cycleDecay: PyValue = 1.0, cycleLimit: PyValue = 1, warmupT: PyValue = 0, warmupLRInit: PyValue = 0.0,
            warmupPrefix: Bool = false, tInEpochs: Bool = true, noiseRangeT: JSONValue = .null,
            noisePct: PyValue = 0.67, noiseStd: PyValue = 1.0, noiseSeed: PyValue = 42, kDecay: PyValue = 1.0,
            initialize: Bool = true
        ) throws(PythonError) {
            try self.init(
                optimizer: optimizer,
                cycle: CycleOptions(tInitial: tInitial, lrMin: lrMin, mul: cycleMul, decay: cycleDecay, limit: cycleLimit),
                warmup: WarmupOptions(t: warmupT, lrInit: warmupLRInit, prefix: warmupPrefix),
                options: BaseOptions(
                    tInEpochs: tInEpochs, noiseRangeT: noiseRangeT, noisePct: noisePct, noiseStd: noiseStd,
                    noiseSeed: noiseSeed, initialize: initialize),
                kDecay: kDecay)
        }

        init(
            optimizer: Optimizer, cycle: CycleOptions, warmup: WarmupOptions, options: BaseOptions, kDecay: PyValue
        ) throws(PythonError) {
            self.kDecay = kDecay
            try super.init(optimizer: optimizer, cycle: cycle, warmup: warmup, options: options)
        }

        /// `1 + cos(pi * t_curr ** k / t_i ** k)`.
        override func cycleFactor(tCurr: PyValue, tI: PyValue) throws(PythonError) -> PyValue {
            try 1 + PyValue.cos(try .float(.pi) * PyValue.power(tCurr, kDecay) / PyValue.power(tI, kDecay))
        }

        override var scheduleState: StateTable {
            StateTable(self, [.number("t_initial", \.tInitial), .number("lr_min", \.lrMin)]) + cycleState
        }

        override var trailingState: StateTable { StateTable(self, [.number("k_decay", \.kDecay)]) }
    }
}

extension Timm.CosineLRScheduler {
    /// The registry's constructor: `timm.CosineLRScheduler(optimizer, **args)`.
    static func make(_ given: inout KeywordArguments, context: SchedulerContext) throws -> Timm.CosineLRScheduler {
        let args = try Timm.Arguments(given, type: "CosineLRScheduler", own: ["t_initial", "k_decay"], cycle: true)
        return try Timm.CosineLRScheduler(
            optimizer: context.optimizer, cycle: try args.cycle(), warmup: try args.warmup(prefix: false),
            options: try args.base(), kDecay: try args.number("k_decay"))
    }
}
