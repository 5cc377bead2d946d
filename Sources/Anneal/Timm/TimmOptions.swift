extension Timm {
    /// The keywords of timm's base class that every LR scheduler passes on:
    /// `t_in_epochs=True, noise_range_t=None, noise_pct=0.67, noise_std=1.0,
    /// noise_seed=42, initialize=True`, handed to ``Timm/BaseScheduler``.
    ///
    /// ```swift
    /// let options = Timm.BaseOptions(tInEpochs: false)   // the rates follow step_update(num_updates)
    /// ```
    struct BaseOptions {
        var tInEpochs = true
        var noiseRangeT: JSONValue = .null
        var noisePct: PyValue = 0.67
        var noiseStd: PyValue = 1.0
        var noiseSeed: PyValue = 42
        var initialize = true
    }

    /// timm's linear warmup keywords: `warmup_t`, `warmup_lr_init` and, in
    /// the classes that take it, `warmup_prefix` (``Timm/WarmupScheduler``).
    ///
    /// ```swift
    /// let warmup = Timm.WarmupOptions(t: 5, lrInit: 0.0, prefix: true)   // lr 0.0, 0.02, ... 0.1 at t = 5
    /// ```
    struct WarmupOptions {
        var t: PyValue = 0
        var lrInit: PyValue = 0.0
        var prefix = false
    }

    /// The cycle keywords of the cosine, tanh and poly schedules:
    /// `t_initial`, `lr_min=0.`, `cycle_mul=1.`, `cycle_decay=1.`, `cycle_limit=1`
    /// (``Timm/CyclicScheduler``).
    ///
    /// ```swift
    /// let cycle = Timm.CycleOptions(tInitial: 10, limit: 2)   // two cycles of 10, then lr_min
    /// ```
    struct CycleOptions {
        var tInitial: PyValue
        var lrMin: PyValue = 0.0
        var mul: PyValue = 1.0
        var decay: PyValue = 1.0
        var limit: PyValue = 1
    }
}
