extension Timm {
    /// timm's `WSDLRScheduler(optimizer, t_initial, decay_t, lr_min=0.,
    /// stable_fn='constant', stable_timescale=None, stable_power=0.5,
    /// decay_fn='1-sqrt', decay_power=0.5, decay_ratio=0.1, warmup_t=0,
    /// warmup_lr_init=0., t_in_epochs=True, noise_range_t=None,
    /// noise_pct=0.67, noise_std=1.0, noise_seed=42, initialize=True)`:
    /// warmup, stable, decay.
    ///
    /// For `t < warmup_t`: `warmup_lr_init + t * (base - warmup_lr_init) / warmup_t`.
    /// Otherwise, with `t_s = t - warmup_t`, `t_decay = t_s - (t_initial - decay_t)`:
    ///
    ///     stable = max(base * stable_fn(t_s), lr_min)
    ///     lr = stable                                         if t_decay <= 0
    ///     lr = lr_min + (stable - lr_min) * decay_fn(min(t_decay / decay_t, 1.))
    ///
    /// `stable_fn`: `constant` 1; `rsqrt` `(1 + t_s / stable_timescale) ** -0.5`;
    /// `power` `(1 + t_s / stable_timescale) ** -stable_power` (the timescale
    /// defaults to `warmup_t`). `decay_fn(frac)`: `linear` `1 - frac`;
    /// `1-sqrt` `1 - sqrt(frac)`; `cosine` `0.5 * (1 + cos(pi * frac))`;
    /// `power` `1 - frac ** decay_power`; `exp` `(r ** frac - r) / (1 - r)`
    /// with `r = decay_ratio`. A callable `decay_fn` is beyond Anneal;
    /// `None` behaves as timm's fall-through, `exp`.
    ///
    /// With `lr = 0.1`, `t_initial: 10`, `decay_t: 4`, `decay_fn: 'linear'`:
    /// `step(0)`…`step(6)` 0.1, `step(8)` 0.05, `step(10)` 0.0.
    ///
    /// ```swift
    /// let scheduler = try Timm.WSDLRScheduler(optimizer: optimizer, tInitial: 10, decayT: 4, decayFn: "linear")
    /// try scheduler.step(.epoch(8))   // lr 0.05
    /// ```
    public final class WSDLRScheduler: WarmupScheduler {
        public internal(set) var tInitial: PyValue
        public internal(set) var decayT: PyValue
        public internal(set) var lrMin: PyValue
        public internal(set) var stableFn: String
        public internal(set) var stableTimescale: PyValue?
        public internal(set) var stablePower: PyValue
        /// `decay_fn`; `nil` is Python's `None`.
        public internal(set) var decayFn: String?
        public internal(set) var decayPower: PyValue
        public internal(set) var decayRatio: PyValue

        static let stableFunctions = ["constant", "rsqrt", "power"]
        static let decayFunctions = ["linear", "1-sqrt", "cosine", "power", "exp"]

        /// Python's repr of a tuple of strings: `('constant', 'rsqrt', 'power')`.
        static func tupleRepr(_ names: [String]) -> String {
            "(" + names.map { "'\($0)'" }.joined(separator: ", ") + ")"
        }

        /// - Parameters follow timm's keywords (`t_initial` ... `initialize`).
        public init(
            optimizer: Optimizer, tInitial: PyValue, decayT: PyValue, lrMin: PyValue = 0.0,
            stableFn: String = "constant", stableTimescale: PyValue? = nil, stablePower: PyValue = 0.5,
            decayFn: String? = "1-sqrt", decayPower: PyValue = 0.5, decayRatio: PyValue = 0.1, warmupT: PyValue = 0,
            warmupLRInit: PyValue = 0.0, tInEpochs: Bool = true, noiseRangeT: JSONValue = .null,
            noisePct: PyValue = 0.67, noiseStd: PyValue = 1.0, noiseSeed: PyValue = 42, initialize: Bool = true
        ) throws(PythonError) {
            self.tInitial = tInitial
            self.decayT = decayT
            self.lrMin = lrMin
            self.stableFn = stableFn
            self.stablePower = stablePower
            self.decayFn = decayFn
            self.decayPower = decayPower
            self.decayRatio = decayRatio
            try super.init(
                optimizer: optimizer, warmup: WarmupOptions(t: warmupT, lrInit: warmupLRInit),
                options: BaseOptions(
                    tInEpochs: tInEpochs, noiseRangeT: noiseRangeT, noisePct: noisePct, noiseStd: noiseStd,
                    noiseSeed: noiseSeed, initialize: initialize))
            if PyValue.isLessOrEqual(tInitial, 0) {
                throw .valueError("Invalid t_initial (\(tInitial)), must be > 0.")
            }
            if !(PyValue.isLess(0, decayT) && PyValue.isLessOrEqual(decayT, tInitial)) {
                throw .valueError("Invalid decay_t (\(decayT)), must be in (0, t_initial] w/ t_initial=\(tInitial).")
            }
            if PyValue.isLess(lrMin, 0) { throw .valueError("Invalid lr_min (\(lrMin)), must be >= 0.") }
            if !Self.stableFunctions.contains(stableFn) {
                throw .valueError("Invalid stable_fn (\(stableFn)), must be one of \(Self.tupleRepr(Self.stableFunctions)).")
            }
            if let decayFn, !Self.decayFunctions.contains(decayFn) {
                throw .valueError(
                    "Invalid decay_fn (\(decayFn)), must be one of \(Self.tupleRepr(Self.decayFunctions)) or a callable.")
            }
            if !(PyValue.isLess(0.0, decayRatio) && PyValue.isLess(decayRatio, 1.0)) {
                throw .valueError("Invalid decay_ratio (\(decayRatio)), must be in (0, 1).")
            }
            if PyValue.isLessOrEqual(decayPower, 0) {
                throw .valueError("Invalid decay_power (\(decayPower)), must be > 0.")
            }
            if PyValue.isLessOrEqual(stablePower, 0) {
                throw .valueError("Invalid stable_power (\(stablePower)), must be > 0.")
            }
            var timescale = stableTimescale
            if stableFn != "constant" {
                if timescale == nil { timescale = warmupT }
                if let timescale, PyValue.isLessOrEqual(timescale, 0) {
                    throw .valueError(
                        "stable_fn=\(stableFn) requires a positive stable_timescale, it defaults to warmup_t (\(warmupT)), set it explicitly when there is no warmup."
                    )
                }
            }
            self.stableTimescale = timescale
            try setUpWarmup()
        }

        /// `_stable(t_s)`.
        func stable(_ tS: PyValue) throws(PythonError) -> PyValue {
            if stableFn == "constant" { return 1.0 }
            let power: PyValue = stableFn == "rsqrt" ? 0.5 : stablePower
            guard let stableTimescale else { throw .typeError("unsupported operand type(s) for /: 'int' and 'NoneType'") }
            return try PyValue.power(try 1.0 + tS / stableTimescale, PyValue.negate(power))
        }

        /// `_decay(frac)`.
        func decay(_ frac: PyValue) throws(PythonError) -> PyValue {
            switch decayFn {
            case "linear": return try 1.0 - frac
            case "1-sqrt": return try 1.0 - PyValue.sqrt(frac)
            case "cosine": return try 0.5 * (1.0 + PyValue.cos(try .float(.pi) * frac))
            case "power": return try 1.0 - PyValue.power(frac, decayPower)
            default:
                let r = decayRatio
                return try (PyValue.power(r, frac) - r) / (1.0 - r)
            }
        }

        /// `_get_lr(t)` past the warmup, with `t_s = t - warmup_t`.
        override func postWarmupLR(_ t: PyValue) throws(PythonError) -> [PyValue] {
            let tS = try t - warmupT
            var stableLRs: [PyValue] = []
            for base in baseValues { stableLRs.append(PyValue.max(try base * stable(tS), lrMin)) }
            let tDecay = try tS - (tInitial - decayT)
            if PyValue.isLessOrEqual(tDecay, 0) { return stableLRs }
            let factor = try decay(PyValue.min(try tDecay / decayT, 1.0))
            var lrs: [PyValue] = []
            for lr in stableLRs { lrs.append(try lrMin + (lr - lrMin) * factor) }
            return lrs
        }

        override var scheduleState: StateTable {
            StateTable(self, [
                .number("t_initial", \.tInitial), .number("decay_t", \.decayT), .number("lr_min", \.lrMin),
                .string("stable_fn", \.stableFn) { (value) throws(PythonError) in
                    guard WSDLRScheduler.stableFunctions.contains(value) else {
                        throw .valueError("WSDLRScheduler state_dict key 'stable_fn' is not one of \(WSDLRScheduler.tupleRepr(WSDLRScheduler.stableFunctions))")
                    }
                },
                .optionalNumber("stable_timescale", \.stableTimescale), .number("stable_power", \.stablePower),
                .custom(
                    "decay_fn", encode: { $0.decayFn.map(JSONValue.string) ?? .null },
                    decode: { (reader, _) throws(PythonError) -> String? in
                        let value = try reader.value("decay_fn")
                        if value.isNull { return nil }
                        guard let name = value.stringValue, WSDLRScheduler.decayFunctions.contains(name) else {
                            throw .valueError("WSDLRScheduler state_dict key 'decay_fn' must be null or one of \(WSDLRScheduler.tupleRepr(WSDLRScheduler.decayFunctions))")
                        }
                        return name
                    },
                    restore: { $0.decayFn = $1 }),
                .number("decay_power", \.decayPower), .number("decay_ratio", \.decayRatio),
            ])
        }
    }
}

extension Timm.WSDLRScheduler {
    static let keywords: Set<String> = [
        "t_initial", "decay_t", "lr_min", "stable_fn", "stable_timescale", "stable_power", "decay_fn",
        "decay_power", "decay_ratio",
    ]

    /// The registry's constructor: `timm.WSDLRScheduler(optimizer, **args)`.
    static func make(_ given: inout KeywordArguments, context: SchedulerContext) throws -> Timm.WSDLRScheduler {
        let arguments = try Timm.Arguments(given, type: "WSDLRScheduler", own: keywords, prefix: false)
        let args = arguments.values
        var decayFn: String? = "1-sqrt"
        if let value = args.values["decay_fn"] {
            if value.isNull {
                decayFn = nil
            } else if let name = value.stringValue {
                decayFn = name
            } else {
                throw PythonError.beyondAnneal("WSDLRScheduler argument 'decay_fn' must be a string or null (a callable is beyond Anneal)")
            }
        }
        return try Timm.WSDLRScheduler(
            optimizer: context.optimizer, tInitial: try arguments.number("t_initial"),
            decayT: try arguments.number("decay_t"), lrMin: try arguments.number("lr_min"),
            stableFn: try args.string("stable_fn", "constant"),
            stableTimescale: try Timm.optionalNumber(args, "stable_timescale"),
            stablePower: try arguments.number("stable_power", 0.5), decayFn: decayFn,
            decayPower: try arguments.number("decay_power", 0.5), decayRatio: try arguments.number("decay_ratio", 0.1),
            warmupT: try arguments.number("warmup_t"), warmupLRInit: try arguments.number("warmup_lr_init"),
            tInEpochs: try args.bool("t_in_epochs", true), noiseRangeT: try Timm.noiseRange(args),
            noisePct: try arguments.number("noise_pct"), noiseStd: try arguments.number("noise_std"),
            noiseSeed: try arguments.number("noise_seed"), initialize: try args.bool("initialize", true))
    }
}
