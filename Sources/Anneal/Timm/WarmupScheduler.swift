extension Timm {
    /// The linear warmup timm's `StepLRScheduler`, `MultiStepLRScheduler`,
    /// `CosineLRScheduler`, `TanhLRScheduler`, `PolyLRScheduler` and
    /// `WSDLRScheduler` share: `warmup_t`, `warmup_lr_init` and
    /// `warmup_steps`, stored and set up once, and the warmup branch of
    /// their `_get_lr(t)`:
    ///
    ///     warmup_steps = [(v - warmup_lr_init) / warmup_t for v in target]   # [1, ...] without warmup
    ///     lr = warmup_lr_init + t * s   for s in warmup_steps,   while t < warmup_t
    ///
    /// `target` is `base_values` (`warmupTarget()`); past the warmup a
    /// subclass's `postWarmupLR(_:)` gives the rates.
    ///
    /// With `lr = 0.1`, `warmup_t: 5`, `warmup_lr_init: 0.0`: `step(0)` 0.0,
    /// `step(1)` 0.02, `step(4)` 0.08.
    ///
    /// ```swift
    /// let scheduler = try Timm.StepLRScheduler(optimizer: optimizer, decayT: 2, warmupT: 5)
    /// try scheduler.step(.epoch(1))   // lr 0.02
    /// ```
    public class WarmupScheduler: BaseScheduler {
        /// `warmup_t`: the warmup's length.
        public internal(set) var warmupT: PyValue
        /// `warmup_lr_init`: the rate at `t = 0`.
        public internal(set) var warmupLRInit: PyValue
        /// `warmup_steps`: each group's rate increase per step of warmup.
        public internal(set) var warmupSteps: [PyValue] = []

        init(optimizer: Optimizer, warmup: WarmupOptions, options: BaseOptions) throws(PythonError) {
            warmupT = warmup.t
            warmupLRInit = warmup.lrInit
            try super.init(
                optimizer: optimizer, tInEpochs: options.tInEpochs, noiseRangeT: options.noiseRangeT,
                noisePct: options.noisePct, noiseStd: options.noiseStd, noiseSeed: options.noiseSeed,
                initialize: options.initialize)
        }

        /// timm's `if self.warmup_t: self.warmup_steps = ...;
        /// super().update_groups(self.warmup_lr_init)`, the last step of
        /// each subclass's `__init__` (after its assertions).
        final func setUpWarmup() throws(PythonError) {
            guard warmupT.isTruthy else {
                warmupSteps = try Timm.warmupSteps(baseValues, warmupT: warmupT, warmupLRInit: warmupLRInit)
                return
            }
            warmupSteps = try Timm.warmupSteps(try warmupTarget(), warmupT: warmupT, warmupLRInit: warmupLRInit)
            updateGroups(warmupLRInit)
        }

        /// The rates the warmup climbs to: `base_values`.
        func warmupTarget() throws(PythonError) -> [PyValue] { baseValues }

        public final override func computeLR(_ t: PyValue) throws(PythonError) -> [PyValue] {
            if PyValue.isLess(t, warmupT) {
                return try Timm.warmupLR(t, steps: warmupSteps, warmupLRInit: warmupLRInit)
            }
            return try postWarmupLR(t)
        }

        /// `_get_lr(t)` for `t >= warmup_t`. Subclasses override it.
        func postWarmupLR(_ t: PyValue) throws(PythonError) -> [PyValue] {
            throw PythonError("NotImplementedError", "")
        }

        /// timm's `__dict__` order: the class's keys (`scheduleState`), the
        /// warmup's (`warmupState`), any the class sets after them
        /// (`trailingState`), then `warmup_steps`.
        public final override var ownState: StateTable {
            scheduleState + warmupState + trailingState + warmupStepsState
        }

        /// The class's keys before the warmup's. Subclasses override it.
        var scheduleState: StateTable { StateTable() }

        /// The class's keys between the warmup's and `warmup_steps` (`k_decay`).
        var trailingState: StateTable { StateTable() }

        /// `warmup_t`, `warmup_lr_init`.
        var warmupState: StateTable {
            StateTable(self, [.number("warmup_t", \.warmupT), .number("warmup_lr_init", \.warmupLRInit)])
        }

        /// `warmup_steps`.
        var warmupStepsState: StateTable { StateTable(self, [.numbers("warmup_steps", \.warmupSteps)]) }
    }

    /// A ``Timm/WarmupScheduler`` with timm's `warmup_prefix`: past the
    /// warmup, `t -= warmup_t` when `warmup_prefix` (the schedule starts
    /// after the warmup), else the schedule runs from `t = 0` underneath it:
    ///
    ///     lr = decayed(t - warmup_t if warmup_prefix else t)   for t >= warmup_t
    ///
    /// With `lr = 0.1`, `decay_t: 2`, `decay_rate: 0.5`, `warmup_t: 2`,
    /// `warmup_prefix: True`: `step(2)` 0.1, `step(4)` 0.05.
    ///
    /// ```swift
    /// let scheduler = try Timm.StepLRScheduler(optimizer: optimizer, decayT: 2, decayRate: 0.5, warmupT: 2)
    /// try scheduler.step(.epoch(4))   // lr 0.05
    /// ```
    public class PrefixWarmupScheduler: WarmupScheduler {
        /// `warmup_prefix`.
        public internal(set) var warmupPrefix: Bool

        override init(optimizer: Optimizer, warmup: WarmupOptions, options: BaseOptions) throws(PythonError) {
            warmupPrefix = warmup.prefix
            try super.init(optimizer: optimizer, warmup: warmup, options: options)
        }

        final override func postWarmupLR(_ t: PyValue) throws(PythonError) -> [PyValue] {
            try decayedLR(warmupPrefix ? try t - warmupT : t)
        }

        /// The schedule's rates at `t` (already shifted by `warmup_prefix`). Subclasses override it.
        func decayedLR(_ t: PyValue) throws(PythonError) -> [PyValue] {
            throw PythonError("NotImplementedError", "")
        }

        /// `warmup_t`, `warmup_lr_init`, `warmup_prefix`.
        override var warmupState: StateTable {
            super.warmupState + StateTable(self, [.bool("warmup_prefix", \.warmupPrefix)])
        }
    }
}
