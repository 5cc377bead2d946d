extension Timm {
    /// timm's `MultiStepLRScheduler(optimizer, decay_t, decay_rate=1.,
    /// warmup_t=0, warmup_lr_init=0., warmup_prefix=True, t_in_epochs=True,
    /// noise_range_t=None, noise_pct=0.67, noise_std=1.0, noise_seed=42, initialize=True)`:
    /// the rate times `decay_rate` at each milestone of `decay_t`.
    ///
    /// After the linear warmup of ``Timm/WarmupScheduler`` (`t -= warmup_t` with `warmup_prefix`):
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
    public final class MultiStepLRScheduler: StepDecayScheduler {
        /// `decay_t`: the milestones, assumed sorted.
        public internal(set) var decayT: [PyValue]

        /// - Parameters follow timm's keywords (`decay_t` ... `initialize`).
        public convenience init(
            optimizer: Optimizer, decayT: [PyValue], decayRate: PyValue = 1.0, warmupT: PyValue = 0,
            warmupLRInit: PyValue = 0.0, warmupPrefix: Bool = true, tInEpochs: Bool = true,
            noiseRangeT: JSONValue = .null, noisePct: PyValue = 0.67, noiseStd: PyValue = 1.0,
            noiseSeed: PyValue = 42, initialize: Bool = true
        ) throws(PythonError) {
            let options = BaseOptions(
                tInEpochs: tInEpochs, noiseRangeT: noiseRangeT, noisePct: noisePct, noiseStd: noiseStd,
                noiseSeed: noiseSeed, initialize: initialize)
            let warmup = WarmupOptions(t: warmupT, lrInit: warmupLRInit, prefix: warmupPrefix)
            try self.init(optimizer: optimizer, decayT: decayT, decayRate: decayRate, warmup: warmup, options: options)
        }

        init(
            optimizer: Optimizer, decayT: [PyValue], decayRate: PyValue, warmup: WarmupOptions, options: BaseOptions
        ) throws(PythonError) {
            self.decayT = decayT
            try super.init(optimizer: optimizer, decayRate: decayRate, warmup: warmup, options: options)
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

        override func decays(_ t: PyValue) throws(PythonError) -> PyValue { .int(try currentDecaySteps(t)) }

        override var decayTState: StateTable { StateTable(self, [.numbers("decay_t", \.decayT)]) }
    }
}

extension Timm.MultiStepLRScheduler {
    /// The registry's constructor: `timm.MultiStepLRScheduler(optimizer, **args)`.
    static func make(_ given: inout KeywordArguments, context: SchedulerContext) throws -> Timm.MultiStepLRScheduler {
        let args = try arguments(given, type: "MultiStepLRScheduler")
        guard case .array(let items) = try args.values.raw("decay_t") else {
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
            optimizer: context.optimizer, decayT: decayT, decayRate: try args.number("decay_rate", 1.0),
            warmup: try args.warmup(prefix: true), options: try args.base())
    }
}
