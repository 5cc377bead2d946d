extension Timm {
    /// What timm's `StepLRScheduler` and `MultiStepLRScheduler` share past
    /// their warmup (``Timm/PrefixWarmupScheduler``): `decay_rate` raised
    /// to the number of decays by `t` (the subclass's `decays(_:)`):
    ///
    ///     lr = base * decay_rate ** decays(t)
    ///
    /// and their state keys `decay_t`, `decay_rate`.
    ///
    /// With `lr = 0.1`, `decay_t: 2`, `decay_rate: 0.5` (step): `step(2)` 0.05, `step(4)` 0.025.
    ///
    /// ```swift
    /// let scheduler = try Timm.StepLRScheduler(optimizer: optimizer, decayT: 2, decayRate: 0.5)
    /// try scheduler.step(.epoch(4))   // lr 0.025
    /// ```
    public class StepDecayScheduler: PrefixWarmupScheduler {
        /// `decay_rate`: the factor at each decay.
        public internal(set) var decayRate: PyValue

        init(optimizer: Optimizer, decayRate: PyValue, warmup: WarmupOptions, options: BaseOptions) throws(PythonError) {
            self.decayRate = decayRate
            try super.init(optimizer: optimizer, warmup: warmup, options: options)
            try setUpWarmup()
        }

        /// How many decays have happened by `t`. Subclasses override it.
        func decays(_ t: PyValue) throws(PythonError) -> PyValue {
            throw PythonError("NotImplementedError", "")
        }

        /// `[v * decay_rate ** decays(t) for v in base_values]` (every
        /// optimizer has a group, so taking the power once is timm's result).
        final override func decayedLR(_ t: PyValue) throws(PythonError) -> [PyValue] {
            let factor = try PyValue.power(decayRate, try decays(t))
            var lrs: [PyValue] = []
            for base in baseValues { lrs.append(try base * factor) }
            return lrs
        }

        /// The `decay_t` key (a number or a list). Subclasses override it.
        var decayTState: StateTable { StateTable() }

        final override var scheduleState: StateTable {
            decayTState + StateTable(self, [.number("decay_rate", \.decayRate)])
        }

        /// The registry constructors' keyword arguments: `decay_t`, `decay_rate` and the shared ones.
        static func arguments(_ given: KeywordArguments, type: String) throws -> Arguments {
            try Arguments(given, type: type, own: ["decay_t", "decay_rate"])
        }
    }
}
