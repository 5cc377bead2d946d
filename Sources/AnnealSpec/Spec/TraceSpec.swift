import Anneal

/// A trace spec (`anneal-trace/1`): what to build and what to do. Goldens
/// and candidates are specs with results; the results are ignored here.
public struct TraceSpec: Sendable {
    public var name: String
    /// The whole document, so a candidate keeps every key of its spec.
    public var document: JSONObject
    public var optimizer: OptimizerSpec
    /// `nil` without a scheduler. `schedulerIsList` says whether the spec
    /// gave an array (records then hold one entry per scheduler).
    public var schedulers: [SchedulerSpec]
    public var schedulerIsList: Bool
    public var gradient: GradientSpec?
    public var script: [Op]

    /// Parses and validates a spec (or golden) document.
    public init(json: JSONValue) throws(SpecError) {
        let root = SpecReader(json)
        let object = try root.object()
        let format = try root.required("format").string()
        guard format == "anneal-trace/1" else {
            throw SpecError(location: "format", message: "unsupported format \"\(format)\" (expected \"anneal-trace/1\")")
        }
        try root.allowKeys([
            "format", "name", "description", "source", "optimizer", "scheduler", "gradient", "script", "trace",
            "error", "tolerance",
        ])
        document = object
        name = try root.required("name").string()
        optimizer = try OptimizerSpec(try root.required("optimizer"))
        if let scheduler = try root.optional("scheduler") {
            if case .array = scheduler.value {
                schedulers = try scheduler.array().map { (item) throws(SpecError) in try SchedulerSpec(item) }
                schedulerIsList = true
            } else {
                schedulers = [try SchedulerSpec(scheduler)]
                schedulerIsList = false
            }
        } else {
            schedulers = []
            schedulerIsList = false
        }
        gradient = try root.optional("gradient").map { (reader) throws(SpecError) in try GradientSpec(reader) }
        script = try root.required("script").array().map { (item) throws(SpecError) in try Op(item) }
        for (index, op) in script.enumerated() {
            if let k = op.schedulerIndex, !(0..<max(schedulers.count, 1)).contains(k) || schedulers.isEmpty {
                throw SpecError(location: "script[\(index)].scheduler", message: "no scheduler with index \(k)")
            }
            if op.kind == .rebuild {
                for scheduler in schedulers where SchedulerRegistry.shared.entry(named: scheduler.type)?.takesLastEpoch == false {
                    throw SpecError(
                        location: "script[\(index)].op",
                        message: "\"rebuild\" is not defined for \(scheduler.type), which takes no last_epoch")
                }
            }
            if (op.kind == .stateDict || op.kind == .rebuild || op.kind == .schedulerStep || op.kind == .stepUpdate)
                && schedulers.isEmpty
            {
                throw SpecError(location: "script[\(index)].op", message: "\"\(op.kind.rawValue)\" needs a scheduler")
            }
        }
    }

    /// Reads a spec file; errors name the file.
    public init(contentsOf path: String) throws(SpecError) {
        let json: JSONValue
        do {
            json = try JSONValue.loadExactIntegers(contentsOf: path)
        } catch {
            throw SpecError(error)
        }
        do {
            try self.init(json: json)
        } catch {
            throw error.inFile(path)
        }
    }
}

/// `optimizer`: `{"type", "options", "param_groups"}`.
public struct OptimizerSpec: Sendable {
    public var kind: OptimizerKind
    public var options: JSONObject
    public var groups: [JSONObject]
    /// Initial parameter values per group, per tensor (float32, row-major).
    public var parameters: [[[Float]]]
    /// Each tensor's shape, beside ``parameters``: `[n]` for an array of
    /// numbers, `[rows, columns]` for an array of rows (a 2-D parameter).
    public var shapes: [[[Int]]]

    init(_ reader: SpecReader) throws(SpecError) {
        try reader.allowKeys(["type", "options", "param_groups"])
        kind = try reader.required("type").caseName(of: "optimizer", as: OptimizerKind.self)
        options = try reader.optional("options")?.object() ?? [:]
        var groups: [JSONObject] = []
        var parameters: [[[Float]]] = []
        var shapes: [[[Int]]] = []
        let groupReaders = try reader.optional("param_groups")?.array() ?? [SpecReader(.object([:]), path: "optimizer.param_groups[0]")]
        for groupReader in groupReaders {
            var group = try groupReader.object()
            if let params = try groupReader.optional("params") {
                var tensors: [[Float]] = []
                var tensorShapes: [[Int]] = []
                for tensor in try params.array() {
                    let (values, shape) = try Self.tensor(tensor)
                    tensors.append(values)
                    tensorShapes.append(shape)
                }
                parameters.append(tensors)
                shapes.append(tensorShapes)
                group["params"] = nil
            } else {
                parameters.append([[0]])
                shapes.append([[1]])
            }
            groups.append(group)
        }
        self.groups = groups
        self.parameters = parameters
        self.shapes = shapes
    }

    /// One tensor of `params`: an array of numbers, or of equal-length rows
    /// of numbers (as `tensor.tolist()` writes a 2-D tensor).
    private static func tensor(_ reader: SpecReader) throws(SpecError) -> (values: [Float], shape: [Int]) {
        let items = try reader.array()
        guard case .array? = items.first?.value else {
            return (try items.map { (value) throws(SpecError) in Float(try value.number()) }, [items.count])
        }
        var values: [Float] = []
        var columns: Int?
        for row in items {
            let numbers = try row.array()
            if let columns, numbers.count != columns {
                throw row.error("expected a row of \(columns) numbers like the first, got \(numbers.count)")
            }
            columns = numbers.count
            for value in numbers { values.append(Float(try value.number())) }
        }
        return (values, [items.count, columns ?? 0])
    }
}

/// A scheduler: `{"type", "args"}`, children under `args.schedulers`.
public struct SchedulerSpec: Sendable {
    /// The types a spec may name: ``SchedulerRegistry/shared``'s.
    public static var knownTypes: Set<String> { SchedulerRegistry.shared.names }

    public var type: String
    public var args: JSONObject
    public var children: [SchedulerSpec]
    /// Where the spec is, for argument errors.
    public var path: String

    init(_ reader: SpecReader) throws(SpecError) {
        try reader.allowKeys(["type", "args"])
        let typeReader = try reader.required("type")
        type = try typeReader.string()
        guard let entry = SchedulerRegistry.shared.entry(named: type) else {
            throw typeReader.error("unknown scheduler \"\(type)\"")
        }
        path = reader.path
        let argsReader = try reader.optional("args")
        args = try argsReader?.object() ?? [:]
        if entry.takesChildSchedulers {
            guard let argsReader, let childrenReader = try argsReader.optional("schedulers") else {
                throw reader.error("\(type) needs \"args.schedulers\", a list of scheduler specs")
            }
            children = try childrenReader.array().map { (item) throws(SpecError) in try SchedulerSpec(item) }
        } else {
            children = []
        }
    }
}

/// `gradient`: `{"kind": "quadratic", "target": T, "scale": S}`.
public struct GradientSpec: Sendable {
    public var target: Float
    public var scale: Float

    init(_ reader: SpecReader) throws(SpecError) {
        try reader.allowKeys(["kind", "target", "scale"])
        let kind = try reader.required("kind").string()
        guard kind == "quadratic" else { throw reader.error("unknown gradient kind \"\(kind)\" (expected \"quadratic\")") }
        target = Float(try reader.required("target").number())
        scale = Float(try reader.required("scale").number())
    }
}

/// One op of the `script`.
public struct Op: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case step, optimizerStep = "optimizer_step", schedulerStep = "scheduler_step", setLR = "set_lr"
        case stateDict = "state_dict", reload, rebuild
        /// timm's `step_update(num_updates, metric=None)` after the optimizer step.
        case stepUpdate = "step_update"
    }

    public var kind: Kind
    public var repeatCount: Int
    /// `epoch` and `metric` as given (their JSON type matters: `2` vs `2.0`).
    public var epoch: JSONValue?
    /// `num_updates` of a `step_update`, as given.
    public var numUpdates: JSONValue?
    /// `metric`: the one metric every repetition steps with.
    public var metric: JSONValue?
    /// `metrics`: one step per value (no `repeat` then).
    public var metrics: [JSONValue]?
    public var schedulerIndex: Int?
    public var group: Int
    public var value: Double
    /// `set_lr`'s value as given: an int stays an int in `group["lr"]`.
    public var lrValue: JSONValue = .null

    init(_ reader: SpecReader) throws(SpecError) {
        kind = try reader.required("op").caseName(of: "op", as: Kind.self)
        repeatCount = 1
        group = 0
        value = 0
        switch kind {
        case .step, .schedulerStep, .stepUpdate:
            if kind == .stepUpdate {
                try reader.allowKeys(["op", "repeat", "num_updates", "metric", "metrics", "scheduler"])
                let n = try reader.required("num_updates")
                _ = try n.number()
                numUpdates = n.value
            } else {
                try reader.allowKeys(["op", "repeat", "epoch", "metric", "metrics", "scheduler"])
            }
            repeatCount = try Self.repeatCount(reader)
            if let e = try reader.optional("epoch", nullIsAbsent: true) {
                _ = try e.number()
                epoch = e.value
            }
            if let m = try reader.optional("metric", nullIsAbsent: true) {
                _ = try m.number()
                metric = m.value
            }
            if let ms = try reader.optional("metrics") {
                if metric != nil { throw ms.error("give \"metric\" or \"metrics\", not both") }
                metrics = try ms.array().map { (m) throws(SpecError) in _ = try m.number(); return m.value }
                if try reader.optional("repeat") != nil { throw ms.error("\"metrics\" already gives the repetitions; drop \"repeat\"") }
                if metrics?.isEmpty ?? false { throw ms.error("\"metrics\" must not be empty") }
            }
            if let k = try reader.optional("scheduler") { schedulerIndex = try k.int() }
        case .optimizerStep:
            try reader.allowKeys(["op", "repeat"])
            repeatCount = try Self.repeatCount(reader)
        case .setLR:
            try reader.allowKeys(["op", "group", "value"])
            group = try reader.required("group").int()
            let given = try reader.required("value")
            value = try given.number()
            lrValue = given.value
        case .stateDict, .reload, .rebuild:
            try reader.allowKeys(["op"])
        }
    }

    /// `repeat`: a non-negative integer (default 1). A fractional, negative
    /// or non-numeric count is invalid input, never a range built from it.
    private static func repeatCount(_ reader: SpecReader) throws(SpecError) -> Int {
        guard let r = try reader.optional("repeat") else { return 1 }
        guard case .int(let count) = r.value else {
            throw r.error("repeat must be a non-negative integer, got \(r.value.kindName) \(r.value.serialized())")
        }
        if count < 0 { throw r.error("repeat must be a non-negative integer, got \(count)") }
        return count
    }

    /// How many trace records the op yields: one per repetition, and with
    /// `metrics` one per metric.
    public var recordCount: Int { metrics?.count ?? repeatCount }

    /// The metric of repetition `index` (`nil`: none): `metrics[index]`, or
    /// `metric`, which every repetition of `repeat` uses, as the format says.
    public func metric(atRepetition index: Int) -> JSONValue? {
        metrics?[index] ?? metric
    }
}
