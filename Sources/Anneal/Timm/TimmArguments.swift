extension Timm {
    /// A registry constructor's keyword arguments (`timm.X(optimizer, **args)`),
    /// with the keywords the timm classes share read from one table of
    /// defaults (`defaults`) into `Timm.BaseOptions`,
    /// `Timm.WarmupOptions` and `Timm.CycleOptions`.
    ///
    /// ```swift
    /// let args = try Timm.Arguments(given, type: "CosineLRScheduler", own: ["t_initial", "k_decay"], cycle: true)
    /// try args.number("k_decay")   // 1.0 unless given
    /// ```
    struct Arguments {
        /// The arguments, named `type` in messages (`CosineLRScheduler.__init__() ...`).
        let values: KeywordArguments

        /// The default of every shared numeric keyword, as timm's signatures have it.
        static let defaults: [String: PyValue] = [
            "lr_min": 0.0, "cycle_mul": 1.0, "cycle_decay": 1.0, "cycle_limit": 1, "k_decay": 1.0,
            "warmup_t": 0, "warmup_lr_init": 0.0, "noise_pct": 0.67, "noise_std": 1.0, "noise_seed": 42,
        ]
        static let cycleKeywords: Set<String> = ["lr_min", "cycle_mul", "cycle_decay", "cycle_limit"]
        static let warmupKeywords: Set<String> = ["warmup_t", "warmup_lr_init"]

        /// Takes `own` (the class's other keywords), the warmup keywords
        /// (with `warmup_prefix` when `prefix`), the cycle keywords when
        /// `cycle`, and the base class's; any other is a `TypeError`.
        init(
            _ given: KeywordArguments, type: String, own: Set<String>, prefix: Bool = true, cycle: Bool = false
        ) throws {
            var names = own.union(Timm.noiseArguments).union(Self.warmupKeywords)
            if prefix { names.insert("warmup_prefix") }
            if cycle { names.formUnion(Self.cycleKeywords) }
            values = try Timm.arguments(given, type: type, names)
        }

        /// A number argument; its default is `fallback`, else the table's
        /// (neither: a required argument).
        func number(_ name: String, _ fallback: PyValue? = nil) throws -> PyValue {
            try Timm.number(values, name, fallback ?? Self.defaults[name])
        }

        /// `t_in_epochs`, `noise_range_t`, `noise_pct`, `noise_std`, `noise_seed`, `initialize`, in that order.
        func base() throws -> BaseOptions {
            BaseOptions(
                tInEpochs: try values.bool("t_in_epochs", true), noiseRangeT: try Timm.noiseRange(values),
                noisePct: try number("noise_pct"), noiseStd: try number("noise_std"), noiseSeed: try number("noise_seed"),
                initialize: try values.bool("initialize", true))
        }

        /// `warmup_t`, `warmup_lr_init` and `warmup_prefix` (default `prefix`).
        func warmup(prefix: Bool) throws -> WarmupOptions {
            WarmupOptions(
                t: try number("warmup_t"), lrInit: try number("warmup_lr_init"),
                prefix: try values.bool("warmup_prefix", prefix))
        }

        /// `t_initial` (required), `lr_min`, `cycle_mul`, `cycle_decay`, `cycle_limit`.
        func cycle() throws -> CycleOptions {
            CycleOptions(
                tInitial: try number("t_initial"), lrMin: try number("lr_min"), mul: try number("cycle_mul"),
                decay: try number("cycle_decay"), limit: try number("cycle_limit"))
        }
    }
}
