extension Timm {
    /// timm's `StepLRScheduler(optimizer, decay_t, decay_rate=1., warmup_t=0, warmup_lr_init=0.,
    /// warmup_prefix=True, t_in_epochs=True, noise_range_t=None, noise_pct=0.67, noise_std=1.0,
    /// noise_seed=42, initialize=True)`: the rate times `decay_rate` every `decay_t`, after the linear
    /// warmup of ``Timm/WarmupScheduler`` (`t -= warmup_t` with `warmup_prefix`):
    ///
    ///     lr = base * decay_rate ** (t // decay_t)
    ///
    /// With `lr = 0.1`, `decay_t: 2`, `decay_rate: 0.5`: `step(0)` 0.1, `step(2)` 0.05, `step(4)` 0.025.
    ///
    /// ```swift
    /// let scheduler = try Timm.StepLRScheduler(optimizer: optimizer, decayT: 2, decayRate: 0.5)
    /// try scheduler.step(.epoch(4))   // lr 0.025
    /// ```
    public final class StepLRScheduler: StepDecayScheduler {
        /// `decay_t`: the steps between decays.
        public internal(set) var decayT: PyValue

        /// - Parameters follow timm's keywords (`decay_t` ... `initialize`).
        public convenience init(
            optimizer: Optimizer, decayT: PyValue, decayRate: PyValue = 1.0, warmupT: PyValue = 0,
            warmupLRInit: PyValue = 0.0, warmupPrefix: Bool = true, tInEpochs: Bool = true,
            noiseRangeT: JSONValue = .null, noisePct: PyValue = 0.67, noiseStd: PyValue = 1.0,
            noiseSeed: PyValue = 42, initialize: Bool = true
        ) throws(PythonError) {
            try self.init(
                optimizer: optimizer, decayT: decayT, decayRate: decayRate,
                warmup: WarmupOptions(t: warmupT, lrInit: warmupLRInit, prefix: warmupPrefix),
                options: BaseOptions(
                    tInEpochs: tInEpochs, noiseRangeT: noiseRangeT, noisePct: noisePct, noiseStd: noiseStd,
                    noiseSeed: noiseSeed, initialize: initialize))
        }

        init(
            optimizer: Optimizer, decayT: PyValue, decayRate: PyValue, warmup: WarmupOptions, options: BaseOptions
        ) throws(PythonError) {
            self.decayT = decayT
            try super.init(optimizer: optimizer, decayRate: decayRate, warmup: warmup, options: options)
        }

        /// `t // decay_t`.
        override func decays(_ t: PyValue) throws(PythonError) -> PyValue { try PyValue.floorDivide(t, decayT) }

        override var decayTState: StateTable { StateTable(self, [.number("decay_t", \.decayT)]) }
    }
}

extension Timm.StepLRScheduler {
    /// The registry's constructor: `timm.StepLRScheduler(optimizer, **args)`.
    static func make(_ given: inout KeywordArguments, context: SchedulerContext) throws -> Timm.StepLRScheduler {
        let args = try arguments(given, type: "StepLRScheduler")
        return try Timm.StepLRScheduler(
            optimizer: context.optimizer, decayT: try args.number("decay_t"), decayRate: try args.number("decay_rate", 1.0),
            warmup: try args.warmup(prefix: true), options: try args.base())
    }
}
