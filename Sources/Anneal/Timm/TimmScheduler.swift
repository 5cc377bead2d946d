extension Timm {
    /// timm's `Scheduler` base class (`timm/scheduler/scheduler.py`): the
    /// bookkeeping every timm scheduler shares.
    ///
    /// - Construction (`initialize=True`) sets each group's `initial_lr` to
    ///   its `lr` where it has none (`initialize=False` requires it), takes
    ///   `base_values` from them and writes them into the groups' `lr`.
    /// - `step(epoch, metric=None)` sets the groups' rates to `_get_lr(epoch)`
    ///   when `t_in_epochs`, `step_update(num_updates, metric=None)` to
    ///   `_get_lr(num_updates)` when not; the other call does nothing.
    /// - Noise: at `t` inside `noise_range_t` (`[lo, hi)`: `lo <= t < hi`; a
    ///   number `n`: `t >= n`) each rate `v` becomes `v + v * noise`, with
    ///   `noise` drawn from `torch.Generator().manual_seed(noise_seed + t)`
    ///   (``TorchGenerator``): `randn() * noise_std`, redrawn until
    ///   `|noise| < noise_pct` (`noise_type` `'normal'`), else
    ///   `2 * (rand() - 0.5) * noise_pct`.
    /// - A group with `lr_scale` gets `value * lr_scale`.
    ///
    /// Values are Python numbers (`PyValue`): timm computes with whatever
    /// `int`s and `float`s it was given, and its state dict keeps their types.
    ///
    /// Subclasses override ``computeLR(_:)`` (timm's `_get_lr(t)`) and
    /// ``ownState``:
    ///
    /// ```swift
    /// let scheduler = try Timm.StepLRScheduler(optimizer: optimizer, decayT: 2, decayRate: 0.5)
    /// try scheduler.step(.epoch(2))   // lr 0.1 → 0.05
    /// ```
    open class BaseScheduler: Scheduler {
        public let optimizer: Optimizer
        public let warnings: WarningSink

        /// `param_group_field`: always `"lr"` for timm's LR schedulers.
        public let paramGroupField = "lr"
        /// `base_values`: each group's `initial_lr`.
        public internal(set) var baseValues: [PyValue]
        /// `metric`: the metric of the last `step`/`step_update` (`None`: nil).
        public internal(set) var metric: Double?
        /// `t_in_epochs`.
        public internal(set) var tInEpochs: Bool
        /// `noise_range_t`: `None`, a number, or a list `[lo, hi]` (as JSON).
        public internal(set) var noiseRangeT: JSONValue
        public internal(set) var noisePct: PyValue
        /// `noise_type`: `"normal"`, or anything else for uniform noise.
        public internal(set) var noiseType: String
        public internal(set) var noiseStd: PyValue
        /// `noise_seed` (42 when `None` was given).
        public internal(set) var noiseSeed: PyValue

        /// timm's class name, e.g. `"CosineLRScheduler"`.
        open var typeName: String { String(describing: type(of: self)) }

        /// `Scheduler.__init__(optimizer, 'lr', t_in_epochs, noise_range_t,
        /// noise_type, noise_pct, noise_std, noise_seed, initialize)`.
        public init(
            optimizer: Optimizer, tInEpochs: Bool = true, noiseRangeT: JSONValue = .null,
            noiseType: String = "normal", noisePct: PyValue = 0.67, noiseStd: PyValue = 1.0,
            noiseSeed: PyValue? = nil, initialize: Bool = true, warnings: WarningSink = WarningSink()
        ) throws(PythonError) {
            self.optimizer = optimizer
            self.warnings = warnings
            if initialize {
                for index in optimizer.paramGroups.indices where optimizer.paramGroups[index].initialLR == nil {
                    optimizer.paramGroups[index].initialLR = optimizer.paramGroups[index].lr
                }
            } else {
                for (index, group) in optimizer.paramGroups.enumerated() where group.initialLR == nil {
                    throw .keyError("initial_lr missing from param_groups[\(index)]")
                }
            }
            baseValues = optimizer.paramGroups.map { .float($0.initialLR ?? $0.lr) }
            metric = nil
            self.tInEpochs = tInEpochs
            self.noiseRangeT = noiseRangeT
            self.noisePct = noisePct
            self.noiseType = noiseType
            self.noiseStd = noiseStd
            self.noiseSeed = noiseSeed ?? 42
            try Self.checkNoiseRange(noiseRangeT, type: String(describing: Self.self))
            updateGroups(baseValues)
        }

        static func checkNoiseRange(_ range: JSONValue, type: String) throws(PythonError) {
            switch range {
            case .null: return
            case .array(let items) where items.allSatisfy({ PyValue(number: $0) != nil }): return
            case let value where PyValue(number: value) != nil: return
            default:
                throw .beyondAnneal("\(type) noise_range_t must be None, a number or a list of numbers")
            }
        }

        /// timm's `_get_lr(t)`: the rates at `t`, one per group. Subclasses override it.
        open func computeLR(_ t: PyValue) throws(PythonError) -> [PyValue] {
            throw PythonError("NotImplementedError", "")
        }

        /// `update_groups(values)`: each group's `lr` (times its `lr_scale`).
        final func updateGroups(_ values: [PyValue]) {
            for index in optimizer.paramGroups.indices where index < values.count {
                var value = values[index].doubleValue
                if let scale = optimizer.paramGroups[index].options["lr_scale"]?.doubleValue { value *= scale }
                optimizer.paramGroups[index].lr = value
            }
        }

        /// `update_groups(value)` with one value for every group.
        final func updateGroups(_ value: PyValue) {
            updateGroups(Array(repeating: value, count: optimizer.paramGroups.count))
        }

        /// `step(epoch, metric=None)`.
        open func step(epoch: PyValue, metric: Double? = nil) throws(PythonError) {
            self.metric = metric
            if tInEpochs { try apply(at: epoch) }
        }

        /// `step_update(num_updates, metric=None)`.
        open func stepUpdate(numUpdates: PyValue, metric: Double? = nil) throws(PythonError) {
            self.metric = metric
            if !tInEpochs { try apply(at: numUpdates) }
        }

        private func apply(at t: PyValue) throws(PythonError) {
            var values = try computeLR(t)
            if try isApplyNoise(t) {
                let noise = PyValue.float(try calculateNoise(t))
                for index in values.indices { values[index] = try values[index] + values[index] * noise }
            }
            updateGroups(values)
        }

        /// `_is_apply_noise(t)`.
        final func isApplyNoise(_ t: PyValue) throws(PythonError) -> Bool {
            switch noiseRangeT {
            case .null: return false
            case .array(let items):
                guard items.count >= 2, let low = PyValue(number: items[0]), let high = PyValue(number: items[1])
                else { throw PythonError("IndexError", "list index out of range") }
                return PyValue.isLessOrEqual(low, t) && PyValue.isLess(t, high)
            default:
                guard let start = PyValue(number: noiseRangeT) else { return false }
                return PyValue.isLessOrEqual(start, t)
            }
        }

        /// `_calculate_noise(t)`: from a generator seeded with `noise_seed + t`.
        final func calculateNoise(_ t: PyValue) throws(PythonError) -> Double {
            let seed: Int
            switch try noiseSeed + t {
            case .int(let value): seed = value
            case let other: throw .runtimeError("manual_seed expected a long, but got \(other.typeName)")
            }
            var generator = TorchGenerator(seed: seed)
            if noiseType == "normal" {
                // timm redraws until the noise is within noise_pct; a bound
                // that no draw can meet would spin forever in Python.
                guard PyValue.isLess(0, noisePct) else {
                    throw .beyondAnneal("\(typeName) noise_pct \(noisePct) <= 0 makes timm redraw forever")
                }
                for _ in 0..<100_000 {
                    let noise = try PyValue.float(generator.randn()) * noiseStd
                    if PyValue.isLess(PyValue.abs(noise), noisePct) { return noise.doubleValue }
                }
                throw .beyondAnneal("\(typeName) noise: no draw within noise_pct after 100000 tries")
            }
            return try (2 * (PyValue.float(generator.rand()) - 0.5) * noisePct).doubleValue
        }

        // MARK: Scheduler

        /// The groups' current rates (timm has no `get_last_lr()`).
        public var lastLR: [Double] { optimizer.paramGroups.map(\.lr) }
        public var hasGetLastLR: Bool { false }
        public var lastEpochAttribute: Epoch? { nil }
        public var stepSignature: StepSignature { .epochThenMetric }

        /// The class whose `step` Python names in its `TypeError`: the base
        /// class's `Scheduler`, or a subclass that overrides `step`.
        var stepOwner: String { "Scheduler" }

        /// `.epoch(E)` is `step(E)`, `.metric(M, epoch: E)` `step(E, metric=M)`,
        /// `.update(N, metric: M)` `step_update(N, metric=M)`; `.next` is
        /// Python's `TypeError` for the missing `epoch`.
        public func step(_ input: StepInput) throws(PythonError) {
            switch input {
            case .next:
                throw .typeError("\(stepOwner).step() missing 1 required positional argument: 'epoch'")
            case .epoch(let epoch):
                try step(epoch: try epoch.pythonValue())
            case .metric(let metric, let epoch):
                guard let epoch else {
                    throw .typeError("\(stepOwner).step() missing 1 required positional argument: 'epoch'")
                }
                try step(epoch: try epoch.pythonValue(), metric: metric)
            case .update(let updates, let metric):
                try stepUpdate(numUpdates: try updates.pythonValue(), metric: metric)
            }
        }

        // MARK: State

        /// The subclass's keys, after the base keys (timm's `__dict__` order).
        open var ownState: StateTable { StateTable() }

        var baseState: StateTable {
            StateTable(self, [
                .checked("param_group_field", encode: { .string($0.paramGroupField) }) { (reader, owner) throws(PythonError) in
                    guard try reader.string("param_group_field") == owner.paramGroupField else {
                        throw .valueError("\(reader.scheduler) state_dict has another param_group_field")
                    }
                },
                .checked("_initial_param_group_field", encode: { .string("initial_" + $0.paramGroupField) }) {
                    (reader, owner) throws(PythonError) in
                    guard try reader.string("_initial_param_group_field") == "initial_" + owner.paramGroupField else {
                        throw .valueError("\(reader.scheduler) state_dict has another _initial_param_group_field")
                    }
                },
                .numbers("base_values", \.baseValues, perGroup: true),
                .custom(
                    "metric", encode: { $0.metric.map(JSONValue.double) ?? .null },
                    decode: { (reader, _) throws(PythonError) in try reader.optionalDouble("metric") },
                    restore: { $0.metric = $1 }),
                .bool("t_in_epochs", \.tInEpochs),
                .custom(
                    "noise_range_t", encode: { $0.noiseRangeT },
                    decode: { (reader, _) throws(PythonError) in
                        let value = try reader.value("noise_range_t")
                        do { try BaseScheduler.checkNoiseRange(value, type: reader.scheduler) } catch {
                            throw .typeError("\(reader.scheduler) state_dict key 'noise_range_t' must be null, a number or a list of numbers")
                        }
                        return value
                    },
                    restore: { $0.noiseRangeT = $1 }),
                .number("noise_pct", \.noisePct),
                .string("noise_type", \.noiseType),
                .number("noise_std", \.noiseStd),
                .number("noise_seed", \.noiseSeed),
            ])
        }

        var stateTable: StateTable { baseState + ownState }

        public func stateDict() -> JSONValue { .object(stateTable.encode()) }

        public func loadStateDict(_ state: JSONValue) throws(PythonError) {
            try stateTable.load(from: try StateReader(state, scheduler: typeName))
        }
    }
}

extension StateKey {
    /// A Python number of either type (`int`, `float` or `bool`), kept as it is.
    static func number(_ name: String, _ property: ReferenceWritableKeyPath<Owner, PyValue>) -> StateKey {
        stored(name, property, json: \.json, read: { (reader, name) throws(PythonError) in
            try StateKey.readNumber(reader, name, try reader.value(name))
        })
    }

    /// `None` or a Python number.
    static func optionalNumber(_ name: String, _ property: ReferenceWritableKeyPath<Owner, PyValue?>) -> StateKey {
        stored(name, property, json: { $0?.json ?? .null }, read: { (reader, name) throws(PythonError) in
            let value = try reader.value(name)
            if value.isNull { return nil }
            return try StateKey.readNumber(reader, name, value)
        })
    }

    /// A list of Python numbers (one per group when `perGroup`).
    static func numbers(_ name: String, _ property: ReferenceWritableKeyPath<Owner, [PyValue]>, perGroup: Bool = false)
        -> StateKey where Owner: Scheduler
    {
        custom(
            name, encode: { .array($0[keyPath: property].map(\.json)) },
            decode: { (reader, owner) throws(PythonError) in
                let items = try reader.array(name)
                if perGroup && items.count != owner.optimizer.paramGroups.count {
                    throw .valueError(
                        "\(reader.scheduler) state_dict key '\(name)' has \(items.count) values for \(owner.optimizer.paramGroups.count) param groups")
                }
                var values: [PyValue] = []
                for item in items { values.append(try StateKey.readNumber(reader, name, item)) }
                return values
            },
            restore: { $0[keyPath: property] = $1 })
    }

    static func readNumber(_ reader: StateReader, _ name: String, _ value: JSONValue) throws(PythonError) -> PyValue {
        guard let number = PyValue(number: value) else {
            throw .typeError("\(reader.scheduler) state_dict key '\(name)' must be a number, got \(value.kindName)")
        }
        return number
    }
}
