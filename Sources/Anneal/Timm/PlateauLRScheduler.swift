extension Timm {
    /// timm's `PlateauLRScheduler(optimizer, decay_rate=0.1, patience_t=10,
    /// threshold=1e-4, cooldown_t=0, warmup_t=0, warmup_lr_init=0.,
    /// lr_min=0., mode='max', noise_range_t=None, noise_type='normal',
    /// noise_pct=0.67, noise_std=1.0, noise_seed=None, initialize=True)`:
    /// PyTorch's ``ReduceLROnPlateau`` (`patience=patience_t`,
    /// `factor=decay_rate`, `threshold`, `cooldown=cooldown_t`, `mode`,
    /// `min_lr=lr_min`) behind a linear warmup, with noise on top.
    ///
    /// `step(epoch, metric=None)`: for `epoch <= warmup_t` the rate is
    /// `warmup_lr_init + epoch * (base - warmup_lr_init) / warmup_t` (with
    /// no warmup, `warmup_lr_init + epoch * 1` at epoch 0, as timm has it).
    /// Later, the rates from before the last noise are restored, the
    /// plateau scheduler steps when a metric is given, and in the noise
    /// range the rates become `lr + lr * noise` (remembered for the next
    /// step). `step_update` does nothing. The state dict is timm's
    /// `{'best', 'last_epoch'}` of the inner scheduler only. The
    /// constructor emits timm's `FutureWarning` (deprecation).
    ///
    /// With `lr = 0.1`, `patience_t: 1`, `mode: 'min'` and metric 1.0 at
    /// epochs 1, 2, 3, 4: 0.1, 0.1, 0.01, 0.01.
    ///
    /// ```swift
    /// let scheduler = try Timm.PlateauLRScheduler(optimizer: optimizer, patienceT: 1, mode: "min")
    /// try scheduler.step(.metric(1.0, epoch: 1))
    /// ```
    public final class PlateauLRScheduler: BaseScheduler {
        /// The `torch.optim.lr_scheduler.ReduceLROnPlateau` timm wraps.
        public let lrScheduler: ReduceLROnPlateau
        public internal(set) var warmupT: PyValue
        public internal(set) var warmupLRInit: PyValue
        public internal(set) var warmupSteps: [PyValue] = []
        /// `restore_lr`: the rates before the last noise, or `nil`.
        public internal(set) var restoreLR: [Double]?

        static let deprecation = SchedulerWarning(
            category: "FutureWarning",
            message: "PlateauLRScheduler is deprecated and will be removed in a future timm release. Its metric-driven state (best metric, patience and cooldown counters) is not saved in checkpoints, so a resumed run restarts the plateau logic, and checkpoint support will not be added. Use a fixed schedule such as cosine or wsd, sweep.py can branch WSD cooldowns at several budgets to compare against a plateau-driven decay."
        )

        /// - Parameters follow timm's keywords (`decay_rate` ... `initialize`).
        public init(
            optimizer: Optimizer, decayRate: Double = 0.1, patienceT: Int = 10, threshold: Double = 1e-4,
            cooldownT: Int = 0, warmupT: PyValue = 0, warmupLRInit: PyValue = 0.0, lrMin: GroupValues = 0.0,
            mode: String = "max", noiseRangeT: JSONValue = .null, noiseType: String = "normal",
            noisePct: PyValue = 0.67, noiseStd: PyValue = 1.0, noiseSeed: PyValue? = nil, initialize: Bool = true,
            warnings: WarningSink = WarningSink()
        ) throws(PythonError) {
            self.warmupT = warmupT
            self.warmupLRInit = warmupLRInit
            // timm builds the inner scheduler after the base initialiser, whose
            // only failure is checked here first; the inner one reads nothing
            // timm's state or records hold.
            if !initialize {
                for (index, group) in optimizer.paramGroups.enumerated() where group.initialLR == nil {
                    throw .keyError("initial_lr missing from param_groups[\(index)]")
                }
            }
            lrScheduler = try ReduceLROnPlateau(
                optimizer: optimizer, mode: mode, factor: decayRate, patience: patienceT, threshold: threshold,
                cooldown: cooldownT, minLR: lrMin, warnings: warnings)
            try super.init(
                optimizer: optimizer, noiseRangeT: noiseRangeT, noiseType: noiseType, noisePct: noisePct,
                noiseStd: noiseStd, noiseSeed: noiseSeed, initialize: initialize, warnings: warnings)
            warnings.emit(Self.deprecation)
            lrScheduler.lastLR = optimizer.paramGroups.map(\.lr)
            warmupSteps = try Timm.warmupSteps(baseValues, warmupT: warmupT, warmupLRInit: warmupLRInit)
            if warmupT.isTruthy { updateGroups(warmupLRInit) }
        }

        /// `step(epoch, metric=None)`, overriding the base class's.
        public override func step(epoch: PyValue, metric: Double? = nil) throws(PythonError) {
            if PyValue.isLessOrEqual(epoch, warmupT) {
                updateGroups(try Timm.warmupLR(epoch, steps: warmupSteps, warmupLRInit: warmupLRInit))
                return
            }
            if let restoreLR {
                for index in optimizer.paramGroups.indices where index < restoreLR.count {
                    optimizer.paramGroups[index].lr = restoreLR[index]
                }
                self.restoreLR = nil
            }
            if let metric { try lrScheduler.step(metric: metric) }
            if try isApplyNoise(epoch) {
                let noise = try calculateNoise(epoch)
                var restore: [Double] = []
                for index in optimizer.paramGroups.indices {
                    let old = optimizer.paramGroups[index].lr
                    restore.append(old)
                    optimizer.paramGroups[index].lr = old + old * noise
                }
                restoreLR = restore
            }
        }

        override var stepOwner: String { "PlateauLRScheduler" }

        /// `step_update(num_updates, metric=None)`: nothing.
        public override func stepUpdate(numUpdates: PyValue, metric: Double? = nil) throws(PythonError) {}

        /// timm's state dict: `{'best': lr_scheduler.best, 'last_epoch': lr_scheduler.last_epoch}`;
        /// a loaded state must have `best` and may have `last_epoch`.
        override var stateTable: StateTable {
            StateTable(self, [
                .custom(
                    "best", encode: { .double($0.lrScheduler.best) },
                    decode: { (reader, _) throws(PythonError) in try reader.double("best") },
                    restore: { $0.lrScheduler.best = $1 }),
                .custom(
                    "last_epoch", encode: { $0.lrScheduler.lastEpoch.json },
                    decode: { (reader, _) throws(PythonError) in try reader.epoch("last_epoch") },
                    restore: { $0.lrScheduler.lastEpoch = $1 }
                ).optional(writtenWhen: \.alwaysTrue),
            ])
        }

        var alwaysTrue: Bool { true }
    }
}

extension Timm.PlateauLRScheduler {
    static let keywords: Set<String> = [
        "decay_rate", "patience_t", "threshold", "cooldown_t", "warmup_t", "warmup_lr_init", "lr_min", "mode",
        "noise_range_t", "noise_type", "noise_pct", "noise_std", "noise_seed", "initialize",
    ]

    /// The registry's constructor: `timm.PlateauLRScheduler(optimizer, **args)`.
    static func make(_ given: inout KeywordArguments, context: SchedulerContext) throws -> Timm.PlateauLRScheduler {
        let args = try Timm.arguments(given, type: "PlateauLRScheduler", keywords)
        return try Timm.PlateauLRScheduler(
            optimizer: context.optimizer, decayRate: try args.float("decay_rate", 0.1),
            patienceT: try args.integer("patience_t", 10), threshold: try args.float("threshold", 1e-4),
            cooldownT: try args.integer("cooldown_t", 0), warmupT: try Timm.number(args, "warmup_t", 0),
            warmupLRInit: try Timm.number(args, "warmup_lr_init", 0.0), lrMin: try args.groupValues("lr_min", 0.0),
            mode: try args.string("mode", "max"), noiseRangeT: try Timm.noiseRange(args),
            noiseType: try args.string("noise_type", "normal"), noisePct: try Timm.number(args, "noise_pct", 0.67),
            noiseStd: try Timm.number(args, "noise_std", 1.0), noiseSeed: try Timm.optionalNumber(args, "noise_seed"),
            initialize: try args.bool("initialize", true))
    }
}
