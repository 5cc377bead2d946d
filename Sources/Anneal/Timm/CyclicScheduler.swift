extension Timm {
    /// What timm's `CosineLRScheduler`, `TanhLRScheduler` and
    /// `PolyLRScheduler` share: `t_initial`, `lr_min`, `cycle_mul`,
    /// `cycle_decay`, `cycle_limit` and the skeleton of their `_get_lr(t)`
    /// past the warmup. In cycle `i` of length `t_i` at `t_curr`
    /// (``Timm`` `cycle`), while `i < cycle_limit`:
    ///
    ///     lr = rate(base * cycle_decay ** i, factor(t_curr, t_i))   for base in base_values
    ///
    /// and `lr_min` after the last cycle; `factor` is the subclass's
    /// `cycleFactor(tCurr:tI:)` and `rate` its `rate(lrMax:factor:)`
    /// (by default `lr_min + 0.5 * (lr_max - lr_min) * factor`).
    ///
    /// With `lr = 0.1`, `t_initial: 10`, `cycle_limit: 2` (cosine):
    /// `step(5)` 0.05, `step(10)` 0.1 (the second cycle), `step(20)` 0.0.
    ///
    /// ```swift
    /// let scheduler = try Timm.CosineLRScheduler(optimizer: optimizer, tInitial: 10, cycleLimit: 2)
    /// try scheduler.step(.epoch(10))   // lr 0.1
    /// ```
    public class CyclicScheduler: PrefixWarmupScheduler {
        /// `t_initial`: the first cycle's length.
        public internal(set) var tInitial: PyValue
        /// `lr_min`: the rate at the end of a cycle and after the last.
        public internal(set) var lrMin: PyValue
        /// `cycle_mul`: each cycle's length over the last's.
        public internal(set) var cycleMul: PyValue
        /// `cycle_decay`: each cycle's peak over the last's.
        public internal(set) var cycleDecay: PyValue
        /// `cycle_limit`: how many cycles run.
        public internal(set) var cycleLimit: PyValue

        /// timm's `assert t_initial > 0` and `assert lr_min >= 0` follow the base class's `__init__`.
        init(optimizer: Optimizer, cycle: CycleOptions, warmup: WarmupOptions, options: BaseOptions) throws(PythonError) {
            tInitial = cycle.tInitial
            lrMin = cycle.lrMin
            cycleMul = cycle.mul
            cycleDecay = cycle.decay
            cycleLimit = cycle.limit
            try super.init(optimizer: optimizer, warmup: warmup, options: options)
            try Timm.assertion(PyValue.isLess(0, tInitial))
            try Timm.assertion(PyValue.isLessOrEqual(0, lrMin))
            try checkArguments()
            try setUpWarmup()
        }

        /// The class's own `assert`s, which timm makes after `t_initial`'s
        /// and `lr_min`'s and before the warmup is set up. Default: none.
        func checkArguments() throws(PythonError) {}

        /// Whether `cycle_decay ** i` is taken before the `i < cycle_limit`
        /// test (cosine, poly) or only inside it (tanh): it can raise.
        var decaysBeforeLimit: Bool { true }

        /// The factor of cycle time `t_curr` in a cycle of length `t_i`. Subclasses override it.
        func cycleFactor(tCurr: PyValue, tI: PyValue) throws(PythonError) -> PyValue {
            throw PythonError("NotImplementedError", "")
        }

        /// A group's rate from its peak `lr_max` and the cycle factor.
        func rate(lrMax: PyValue, factor: PyValue) throws(PythonError) -> PyValue {
            try lrMin + 0.5 * (lrMax - lrMin) * factor
        }

        final override func decayedLR(_ t: PyValue) throws(PythonError) -> [PyValue] {
            let (i, tI, tCurr) = try Timm.cycle(t, tInitial: tInitial, cycleMul: cycleMul)
            let early = decaysBeforeLimit ? try PyValue.power(cycleDecay, i) : nil
            guard PyValue.isLess(i, cycleLimit) else { return Array(repeating: lrMin, count: baseValues.count) }
            let gamma = if let early { early } else { try PyValue.power(cycleDecay, i) }
            let factor = try cycleFactor(tCurr: tCurr, tI: tI)
            var lrs: [PyValue] = []
            for base in baseValues { lrs.append(try rate(lrMax: try base * gamma, factor: factor)) }
            return lrs
        }

        /// `cycle_mul`, `cycle_decay`, `cycle_limit` (after `t_initial`, `lr_min` and the class's own keys).
        var cycleState: StateTable {
            StateTable(self, [
                .number("cycle_mul", \.cycleMul), .number("cycle_decay", \.cycleDecay),
                .number("cycle_limit", \.cycleLimit),
            ])
        }
    }
}

