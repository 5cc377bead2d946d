/// The pieces timm's schedulers repeat, each as timm writes it.
extension Timm {
    /// `warmup_steps`: `[(v - warmup_lr_init) / warmup_t for v in values]`
    /// when `warmup_t` is truthy, else `[1 for _ in values]`.
    ///
    /// ```swift
    /// try Timm.warmupSteps([0.1], warmupT: 5, warmupLRInit: 0.0)   // [0.02]
    /// ```
    static func warmupSteps(_ values: [PyValue], warmupT: PyValue, warmupLRInit: PyValue) throws(PythonError) -> [PyValue] {
        guard warmupT.isTruthy else { return Array(repeating: 1, count: values.count) }
        var steps: [PyValue] = []
        for value in values { steps.append(try (value - warmupLRInit) / warmupT) }
        return steps
    }

    /// The warmup rates at `t`: `[warmup_lr_init + t * s for s in warmup_steps]`.
    static func warmupLR(_ t: PyValue, steps: [PyValue], warmupLRInit: PyValue) throws(PythonError) -> [PyValue] {
        var lrs: [PyValue] = []
        for step in steps { lrs.append(try warmupLRInit + t * step) }
        return lrs
    }

    /// Where `t` falls in the cycles of `t_initial` (each `cycle_mul` times
    /// the last): the cycle `i`, its length `t_i` and the time into it `t_curr`.
    ///
    /// With `cycle_mul != 1`: `i = floor(log(1 - t / t_initial * (1 - cycle_mul), cycle_mul))`,
    /// `t_i = cycle_mul ** i * t_initial`,
    /// `t_curr = t - (1 - cycle_mul ** i) / (1 - cycle_mul) * t_initial`;
    /// else `i = t // t_initial`, `t_i = t_initial`, `t_curr = t - t_initial * i`.
    ///
    /// ```swift
    /// try Timm.cycle(25, tInitial: 10, cycleMul: 1)   // (i: 2, tI: 10, tCurr: 5)
    /// ```
    static func cycle(_ t: PyValue, tInitial: PyValue, cycleMul: PyValue) throws(PythonError)
        -> (i: PyValue, tI: PyValue, tCurr: PyValue)
    {
        if !PyValue.isEqual(cycleMul, 1) {
            let argument = try 1 - t / tInitial * (1 - cycleMul)
            let i = try PyValue.floor(try PyValue.log(argument, base: cycleMul))
            let tI = try PyValue.power(cycleMul, i) * tInitial
            let tCurr = try t - (1 - PyValue.power(cycleMul, i)) / (1 - cycleMul) * tInitial
            return (i, tI, tCurr)
        }
        let i = try PyValue.floorDivide(t, tInitial)
        return (i, tInitial, try t - tInitial * i)
    }

    /// Reads a Python number argument (`True` counts as 1).
    static func number(_ args: KeywordArguments, _ name: String, _ fallback: PyValue? = nil) throws -> PyValue {
        guard let value = args.values[name] else {
            if let fallback { return fallback }
            _ = try args.raw(name)
            return 0
        }
        guard let number = PyValue(number: value) else {
            throw PythonError.typeError(
                "\(args.type) argument '\(name)' must be a number, got \(value.pythonTypeName) \(value.pythonDescription)")
        }
        return number
    }

    /// `None` or a Python number.
    static func optionalNumber(_ args: KeywordArguments, _ name: String) throws -> PyValue? {
        guard let value = args.values[name], !value.isNull else { return nil }
        return try number(args, name)
    }

    /// `noise_range_t`: `None`, a number or a list of numbers, as given.
    static func noiseRange(_ args: KeywordArguments) throws -> JSONValue {
        let value = args.values["noise_range_t"] ?? .null
        try BaseScheduler.checkNoiseRange(value, type: args.type)
        return value
    }

    /// Python's `assert condition`.
    static func assertion(_ condition: Bool) throws(PythonError) {
        if !condition { throw PythonError("AssertionError", "") }
    }

    /// The keyword arguments `type` takes, `TypeError` for any other, and
    /// the arguments renamed for messages (`CosineLRScheduler.__init__() ...`).
    static func arguments(_ args: KeywordArguments, type: String, _ names: Set<String>) throws -> KeywordArguments {
        let renamed = KeywordArguments(type: type, values: args.values)
        try renamed.allow(names)
        return renamed
    }

    /// The keywords of timm's base class every LR scheduler passes on.
    static let noiseArguments: Set<String> = ["t_in_epochs", "noise_range_t", "noise_pct", "noise_std", "noise_seed", "initialize"]
}
