import Anneal

/// Builds schedulers from their specs as PyTorch's constructors would be
/// called with the spec's keyword arguments: unknown or missing arguments
/// raise PyTorch's `TypeError`, values PyTorch checks by type (`T_0` must be
/// an `int`, `pct_start` a `float`) raise its `ValueError`, and every other
/// check is the scheduler's own.
///
/// An argument Anneal cannot represent (a fractional `patience`, which
/// PyTorch would accept) raises ``PythonError/beyondAnneal(_:)``, which the
/// runner reports as invalid input rather than as PyTorch's exception.
public enum SchedulerFactory {
    /// Builds `spec` (children first) on `optimizer`. `lastEpoch` overrides
    /// the spec's `last_epoch` for the outer scheduler (`rebuild`). Public
    /// so a training loop can drive the schedulers a spec describes.
    ///
    /// ```swift
    /// let scheduler = try SchedulerFactory.build(spec.schedulers[0], on: optimizer)
    /// ```
    public static func build(_ spec: SchedulerSpec, on optimizer: Optimizer, lastEpoch: Epoch? = nil) throws -> any Scheduler {
        let children = try spec.children.map { try build($0, on: optimizer) }
        var args = Arguments(spec)
        if let lastEpoch { args.override("last_epoch", with: lastEpoch.json) }
        let scheduler = try make(spec.type, args: &args, children: children, optimizer: optimizer)
        return scheduler
    }

    private static func make(
        _ type: String, args: inout Arguments, children: [any Scheduler], optimizer: Optimizer
    ) throws -> any Scheduler {
        let groupCount = optimizer.paramGroups.count
        switch type {
        case "LambdaLR", "MultiplicativeLR":
            try args.allow(["lr_lambda", "last_epoch"])
            let lambdas = try args.functions("lr_lambda", groupCount: groupCount)
            let lastEpoch = try args.epoch()
            if type == "LambdaLR" {
                return try LambdaLR(optimizer: optimizer, lrLambdas: lambdas, lastEpoch: lastEpoch)
            }
            return try MultiplicativeLR(optimizer: optimizer, lrLambdas: lambdas, lastEpoch: lastEpoch)
        case "StepLR":
            try args.allow(["step_size", "gamma", "last_epoch"])
            return try StepLR(
                optimizer: optimizer, stepSize: try args.count("step_size"), gamma: try args.float("gamma", 0.1),
                lastEpoch: try args.epoch())
        case "MultiStepLR":
            try args.allow(["milestones", "gamma", "last_epoch"])
            return try MultiStepLR(
                optimizer: optimizer, milestones: try args.counts("milestones"), gamma: try args.float("gamma", 0.1),
                lastEpoch: try args.epoch())
        case "ConstantLR":
            try args.allow(["factor", "total_iters", "last_epoch"])
            return try ConstantLR(
                optimizer: optimizer, factor: try args.float("factor", 1.0 / 3),
                totalIters: try args.count("total_iters", 5), lastEpoch: try args.epoch())
        case "LinearLR":
            try args.allow(["start_factor", "end_factor", "total_iters", "last_epoch"])
            return try LinearLR(
                optimizer: optimizer, startFactor: try args.float("start_factor", 1.0 / 3),
                endFactor: try args.float("end_factor", 1.0), totalIters: try args.count("total_iters", 5),
                lastEpoch: try args.epoch())
        case "ExponentialLR":
            try args.allow(["gamma", "last_epoch"])
            return try ExponentialLR(optimizer: optimizer, gamma: try args.float("gamma"), lastEpoch: try args.epoch())
        case "PolynomialLR":
            try args.allow(["total_iters", "power", "last_epoch"])
            return try PolynomialLR(
                optimizer: optimizer, totalIters: try args.count("total_iters", 5), power: try args.float("power", 1.0),
                lastEpoch: try args.epoch())
        case "CosineAnnealingLR":
            try args.allow(["T_max", "eta_min", "last_epoch"])
            return try CosineAnnealingLR(
                optimizer: optimizer, tMax: try args.count("T_max"), etaMin: try args.float("eta_min", 0.0),
                lastEpoch: try args.epoch())
        case "SequentialLR":
            try args.allow(["schedulers", "milestones", "last_epoch"])
            return try SequentialLR(
                optimizer: optimizer, schedulers: children, milestones: try args.counts("milestones"),
                lastEpoch: try args.epoch())
        case "ChainedScheduler":
            try args.allow(["schedulers"])
            return try ChainedScheduler(schedulers: children, optimizer: optimizer)
        case "ReduceLROnPlateau":
            try args.allow(["mode", "factor", "patience", "threshold", "threshold_mode", "cooldown", "min_lr", "eps"])
            return try ReduceLROnPlateau(
                optimizer: optimizer, mode: try args.string("mode", "min"), factor: try args.float("factor", 0.1),
                patience: try args.integer("patience", 10), threshold: try args.float("threshold", 1e-4),
                thresholdMode: try args.string("threshold_mode", "rel"), cooldown: try args.integer("cooldown", 0),
                minLR: try args.groupValues("min_lr", 0), eps: try args.float("eps", 1e-8))
        case "CyclicLR":
            try args.allow([
                "base_lr", "max_lr", "step_size_up", "step_size_down", "mode", "gamma", "scale_fn", "scale_mode",
                "cycle_momentum", "base_momentum", "max_momentum", "last_epoch",
            ])
            return try CyclicLR(
                optimizer: optimizer, baseLR: try args.groupValues("base_lr"), maxLR: try args.groupValues("max_lr"),
                stepSizeUp: try args.float("step_size_up", 2000), stepSizeDown: try args.optionalFloat("step_size_down"),
                mode: try args.string("mode", "triangular"), gamma: try args.float("gamma", 1.0),
                scaleFunction: try args.optionalFunction("scale_fn"), scaleMode: try args.string("scale_mode", "cycle"),
                cycleMomentum: try args.bool("cycle_momentum", true),
                baseMomentum: try args.groupValues("base_momentum", 0.8),
                maxMomentum: try args.groupValues("max_momentum", 0.9), lastEpoch: try args.epoch())
        case "CosineAnnealingWarmRestarts":
            try args.allow(["T_0", "T_mult", "eta_min", "last_epoch"])
            // PyTorch checks these by `isinstance`, before anything else.
            let t0 = try args.raw("T_0")
            guard case .int(let t0Value) = t0, t0Value > 0 else {
                throw PythonError.valueError("Expected positive integer T_0, but got \(t0.pythonDescription)")
            }
            let tMult = args.rawOptional("T_mult") ?? .int(1)
            guard case .int(let tMultValue) = tMult, tMultValue >= 1 else {
                throw PythonError.valueError("Expected integer T_mult >= 1, but got \(tMult.pythonDescription)")
            }
            let etaMin = args.rawOptional("eta_min") ?? .double(0)
            guard let etaMinValue = etaMin.doubleValue else {
                throw PythonError.valueError(
                    "Expected float or int eta_min, but got \(etaMin.pythonDescription) of type <class '\(etaMin.pythonTypeName)'>")
            }
            return try CosineAnnealingWarmRestarts(
                optimizer: optimizer, t0: t0Value, tMult: tMultValue, etaMin: etaMinValue, lastEpoch: try args.epoch())
        case "OneCycleLR":
            try args.allow([
                "max_lr", "total_steps", "epochs", "steps_per_epoch", "pct_start", "anneal_strategy", "cycle_momentum",
                "base_momentum", "max_momentum", "div_factor", "final_div_factor", "three_phase", "last_epoch",
            ])
            _ = try args.raw("max_lr")
            // PyTorch checks these counts with `isinstance(..., int)`, in this order.
            func present(_ name: String) -> JSONValue? {
                guard let value = args.rawOptional(name), !value.isNull else { return nil }
                return value
            }
            func positiveInteger(_ value: JSONValue, _ name: String) throws -> Int {
                guard case .int(let count) = value, count > 0 else {
                    throw PythonError.valueError("Expected positive integer \(name), but got \(value.pythonDescription)")
                }
                return count
            }
            var totalSteps: Int?
            var epochs: Int?
            var stepsPerEpoch: Int?
            if let raw = present("total_steps") {
                totalSteps = try positiveInteger(raw, "total_steps")
            } else if let rawEpochs = present("epochs"), let rawSteps = present("steps_per_epoch") {
                epochs = try positiveInteger(rawEpochs, "epochs")
                stepsPerEpoch = try positiveInteger(rawSteps, "steps_per_epoch")
            } else {
                throw PythonError.valueError("You must define either total_steps OR (epochs AND steps_per_epoch)")
            }
            let pctStart = args.rawOptional("pct_start") ?? .double(0.3)
            guard case .double(let pctValue) = pctStart else {
                throw PythonError.valueError("Expected float between 0 and 1 pct_start, but got \(pctStart.pythonDescription)")
            }
            return try OneCycleLR(
                optimizer: optimizer, maxLR: try args.groupValues("max_lr"), totalSteps: totalSteps, epochs: epochs,
                stepsPerEpoch: stepsPerEpoch, pctStart: pctValue,
                annealStrategy: try args.string("anneal_strategy", "cos"),
                cycleMomentum: try args.bool("cycle_momentum", true),
                baseMomentum: try args.groupValues("base_momentum", 0.85),
                maxMomentum: try args.groupValues("max_momentum", 0.95), divFactor: try args.float("div_factor", 25.0),
                finalDivFactor: try args.float("final_div_factor", 10000.0),
                threePhase: try args.bool("three_phase", false), lastEpoch: try args.epoch())
        case "SWALR":
            try args.allow(["swa_lr", "anneal_epochs", "anneal_strategy", "last_epoch"])
            let swaLR = try args.groupValues("swa_lr")
            let strategy = try args.string("anneal_strategy", "cos")
            let annealEpochs = args.rawOptional("anneal_epochs") ?? .int(10)
            guard case .int(let annealValue) = annealEpochs else {
                // PyTorch writes `swa_lr` and checks the strategy first.
                let swaLRs = try swaLR.resolve("swa_lr", groupCount: groupCount)
                for index in optimizer.paramGroups.indices { optimizer.paramGroups[index].swaLR = swaLRs[index] }
                guard strategy == "cos" || strategy == "linear" else {
                    throw PythonError.valueError(
                        "anneal_strategy must be one of 'cos' or 'linear', instead got \(strategy)")
                }
                throw PythonError.valueError("anneal_epochs must be equal or greater than 0, got \(annealEpochs.pythonDescription)")
            }
            return try SWALR(
                optimizer: optimizer, swaLR: swaLR, annealEpochs: annealValue, annealStrategy: strategy,
                lastEpoch: try args.epoch())
        default:
            throw PythonError.valueError("unknown scheduler \(type)")
        }
    }

}

/// A scheduler spec's `args`, read with Python's calling conventions.
struct Arguments {
    let type: String
    var values: JSONObject

    init(_ spec: SchedulerSpec) {
        type = spec.type
        values = spec.args
    }

    mutating func override(_ key: String, with value: JSONValue) { values[key] = value }

    /// `TypeError` for a keyword the constructor does not take.
    func allow(_ names: Set<String>) throws {
        for key in values.keys where !names.contains(key) {
            throw PythonError.typeError("\(type).__init__() got an unexpected keyword argument '\(key)'")
        }
    }

    func rawOptional(_ name: String) -> JSONValue? { values[name] }

    func raw(_ name: String) throws -> JSONValue {
        guard let value = values[name] else {
            throw PythonError.typeError("\(type).__init__() missing 1 required positional argument: '\(name)'")
        }
        return value
    }

    private func typeError(_ name: String, _ expected: String, _ value: JSONValue) -> PythonError {
        .typeError("\(type) argument '\(name)' must be \(expected), got \(value.pythonTypeName) \(value.pythonDescription)")
    }

    func float(_ name: String, _ fallback: Double? = nil) throws -> Double {
        guard let value = values[name] else {
            if let fallback { return fallback }
            _ = try raw(name)
            return 0
        }
        if case .bool(let b) = value { return b ? 1 : 0 }
        guard let number = value.doubleValue else { throw typeError(name, "a number", value) }
        return number
    }

    func optionalFloat(_ name: String) throws -> Double? {
        guard let value = values[name], !value.isNull else { return nil }
        return try float(name)
    }

    /// An argument Anneal holds as an `Int`; integral floats are accepted.
    func integer(_ name: String, _ fallback: Int? = nil) throws -> Int {
        guard let value = values[name] else {
            if let fallback { return fallback }
            _ = try raw(name)
            return 0
        }
        return try Self.integer(value, name: name, type: type)
    }

    static func integer(_ value: JSONValue, name: String, type: String) throws -> Int {
        switch value {
        case .int(let i): return i
        case .bool(let b): return b ? 1 : 0
        case .double(let d) where d == d.rounded() && abs(d) < 1e15: return Int(d)
        case .double:
            throw PythonError.beyondAnneal(
                "\(type) argument '\(name)' = \(value.pythonDescription): Anneal supports only whole numbers below 10**15 here")
        default:
            throw PythonError.typeError("\(type) argument '\(name)' must be an integer, got \(value.pythonTypeName)")
        }
    }

    /// An epoch index or count, which PyTorch takes as an `int` or a `float`.
    func count(_ name: String, _ fallback: Epoch? = nil) throws -> Epoch {
        guard let value = values[name] else {
            if let fallback { return fallback }
            _ = try raw(name)
            return 0
        }
        guard let epoch = Epoch(json: value) else { throw typeError(name, "a number", value) }
        return epoch
    }

    func counts(_ name: String) throws -> [Epoch] {
        let value = try raw(name)
        guard case .array(let items) = value else { throw typeError(name, "a list of numbers", value) }
        return try items.map { item in
            guard let epoch = Epoch(json: item) else { throw typeError(name, "a list of numbers", value) }
            return epoch
        }
    }

    func integers(_ name: String) throws -> [Int] {
        let value = try raw(name)
        guard case .array(let items) = value else { throw typeError(name, "a list of integers", value) }
        return try items.map { try Self.integer($0, name: name, type: type) }
    }

    func string(_ name: String, _ fallback: String) throws -> String {
        guard let value = values[name] else { return fallback }
        guard let s = value.stringValue else { throw typeError(name, "a string", value) }
        return s
    }

    /// Python truthiness, as `if cycle_momentum:` reads it.
    func bool(_ name: String, _ fallback: Bool) throws -> Bool {
        guard let value = values[name] else { return fallback }
        switch value {
        case .bool(let b): return b
        case .int(let i): return i != 0
        case .double(let d): return d != 0
        case .null: return false
        default: throw typeError(name, "a boolean", value)
        }
    }

    func epoch() throws -> Epoch {
        guard let value = values["last_epoch"] else { return -1 }
        guard let epoch = Epoch(json: value) else { throw typeError("last_epoch", "a number", value) }
        return epoch
    }

    /// A number, or a list with one per group.
    func groupValues(_ name: String, _ fallback: GroupValues? = nil) throws -> GroupValues {
        guard let value = values[name] else {
            if let fallback { return fallback }
            _ = try raw(name)
            return .all(0)
        }
        if case .array(let items) = value {
            return .each(try items.map { item in
                guard let number = item.doubleValue else { throw typeError(name, "a list of numbers", value) }
                return number
            })
        }
        if case .bool(let b) = value { return .integer(b ? 1 : 0) }
        if case .int(let i) = value { return .integer(i) }
        guard let number = value.doubleValue else { throw typeError(name, "a number or a list of numbers", value) }
        return .all(number)
    }

    /// `lr_lambda`: an expression, or a list with one per group.
    func functions(_ name: String, groupCount: Int) throws -> [ScheduleFunction] {
        let value = try raw(name)
        if case .array(let items) = value {
            return try items.map { try Self.function($0, name: name, type: type) }
        }
        return Array(repeating: try Self.function(value, name: name, type: type), count: groupCount)
    }

    func optionalFunction(_ name: String) throws -> ScheduleFunction? {
        guard let value = values[name], !value.isNull else { return nil }
        return try Self.function(value, name: name, type: type)
    }

    static func function(_ value: JSONValue, name: String, type: String) throws -> ScheduleFunction {
        guard case .string(let source) = value else {
            throw PythonError.typeError("\(name) should be a function, but got \(value.pythonTypeName)")
        }
        do {
            return ScheduleFunction(try Expression(source))
        } catch {
            throw SpecError(location: "args.\(name)", message: error.description)
        }
    }
}
