/// transformers' `get_*_schedule*` functions: each binds its keywords,
/// makes transformers' checks, and builds `LambdaLR(optimizer,
/// partial(_lr_lambda, ...), last_epoch)` (``Transformers/Lambdas``).
extension PythonCall {
    static let constant = PythonCall("get_constant_schedule", [("last_epoch", false)])

    /// The function `get_scheduler` calls for `name` (`TYPE_TO_SCHEDULER_FUNCTION`).
    static func call(for name: Transformers.Name) -> PythonCall {
        let steps = [("num_warmup_steps", true), ("num_training_steps", true)]
        switch name {
        case .linear: return PythonCall(function(for: name), steps + [("last_epoch", false)])
        case .cosine, .cosineWithRestarts:
            return PythonCall(function(for: name), steps + [("num_cycles", false), ("last_epoch", false)])
        case .polynomial:
            return PythonCall(function(for: name), steps + [("lr_end", false), ("power", false), ("last_epoch", false)])
        case .constant: return constant
        case .constantWithWarmup: return PythonCall(function(for: name), [("num_warmup_steps", true), ("last_epoch", false)])
        case .inverseSqrt:
            return PythonCall(
                function(for: name), [("num_warmup_steps", true), ("timescale", false), ("last_epoch", false)])
        case .cosineWithMinLR:
            return PythonCall(
                function(for: name),
                steps + [("num_cycles", false), ("last_epoch", false), ("min_lr", false), ("min_lr_rate", false)])
        case .cosineWarmupWithMinLR:
            return PythonCall(
                function(for: name),
                steps + [
                    ("num_cycles", false), ("last_epoch", false), ("min_lr", false), ("min_lr_rate", false),
                    ("warmup_lr_rate", false),
                ])
        case .warmupStableDecay:
            return PythonCall(
                function(for: name),
                [
                    ("num_warmup_steps", true), ("num_decay_steps", true), ("num_training_steps", false),
                    ("num_stable_steps", false), ("warmup_type", false), ("decay_type", false),
                    ("min_lr_ratio", false), ("num_cycles", false), ("last_epoch", false),
                ])
        case .reduceLROnPlateau, .greedy: return PythonCall(function(for: name), [])
        }
    }

    /// The function's `__name__`.
    static func function(for name: Transformers.Name) -> String {
        switch name {
        case .linear: return "get_linear_schedule_with_warmup"
        case .cosine: return "get_cosine_schedule_with_warmup"
        case .cosineWithRestarts: return "get_cosine_with_hard_restarts_schedule_with_warmup"
        case .polynomial: return "get_polynomial_decay_schedule_with_warmup"
        case .constant: return "get_constant_schedule"
        case .constantWithWarmup: return "get_constant_schedule_with_warmup"
        case .inverseSqrt: return "get_inverse_sqrt_schedule"
        case .reduceLROnPlateau: return "get_reduce_on_plateau_schedule"
        case .cosineWithMinLR: return "get_cosine_with_min_lr_schedule_with_warmup"
        case .cosineWarmupWithMinLR: return "get_cosine_with_min_lr_schedule_with_warmup_lr_rate"
        case .warmupStableDecay: return "get_wsd_schedule"
        case .greedy: return "get_greedy_schedule"
        }
    }
}

/// Reading bound arguments as the lambdas use them.
extension JSONObject {
    /// A number argument (`bool` counts as `int`), or its default when not
    /// bound. Anneal checks the type when the schedule is built; Python
    /// would fail later, at the first step that uses the value. An `int`
    /// beyond 2^53 is ``PythonError/beyondAnneal(_:)``: the lambdas compute
    /// on doubles, which equal Python's int arithmetic only below it.
    fileprivate func number(_ name: String, _ fallback: Double? = nil) throws(PythonError) -> Double {
        guard let value = self[name] else { return fallback ?? 0 }
        if case .bool(let b) = value { return b ? 1 : 0 }
        if case .int(let i) = value, i.magnitude > 1 << 53 {
            // Python's int arithmetic on it is exact; doubles are not.
            throw .beyondAnneal("\(name) = \(i): Anneal's transformers schedules hold numbers as doubles, exact to 2**53")
        }
        guard let number = value.doubleValue else {
            throw .typeError("\(name) must be a number for Anneal's transformers schedules, got \(value.pythonTypeName)")
        }
        return number
    }

    /// `num_warmup_steps` and `num_training_steps`, in that order, which
    /// most schedules take.
    fileprivate func steps() throws(PythonError) -> (warmup: Double, training: Double) {
        (try number("num_warmup_steps"), try number("num_training_steps"))
    }

    /// A number argument whose default is `None` (bound `null` is `None` too).
    fileprivate func optionalNumber(_ name: String) throws(PythonError) -> Double? {
        guard let value = self[name], !value.isNull else { return nil }
        return try number(name)
    }

    /// `last_epoch` (default `-1`).
    fileprivate func lastEpoch() throws(PythonError) -> Epoch {
        guard let value = self["last_epoch"] else { return -1 }
        guard let epoch = Epoch(json: value) else {
            throw .typeError("last_epoch must be a number, got \(value.pythonTypeName)")
        }
        return epoch
    }
}

extension Transformers {
    /// `optimizer.defaults["lr"]`, which `polynomial` and `min_lr` read.
    fileprivate static func defaultLR(_ optimizer: Optimizer) throws(PythonError) -> Double {
        guard let lr = optimizer.defaults["lr"]?.doubleValue else { throw .keyError("'lr'") }
        return lr
    }

    fileprivate static func lambdaLR(
        _ optimizer: Optimizer, _ function: ScheduleFunction, _ bound: JSONObject
    ) throws(PythonError) -> LambdaLR {
        try LambdaLR(optimizer: optimizer, lrLambda: function, lastEpoch: try bound.lastEpoch())
    }

    /// `get_constant_schedule(optimizer, last_epoch=-1)`.
    static func constantSchedule(optimizer: Optimizer, _ bound: JSONObject) throws(PythonError) -> LambdaLR {
        try lambdaLR(optimizer, Lambdas.constant(), bound)
    }

    /// `get_constant_schedule_with_warmup(optimizer, num_warmup_steps, last_epoch=-1)`.
    static func constantWithWarmupSchedule(optimizer: Optimizer, _ bound: JSONObject) throws(PythonError) -> LambdaLR {
        try lambdaLR(optimizer, Lambdas.constantWithWarmup(warmupSteps: try bound.number("num_warmup_steps")), bound)
    }

    /// `get_linear_schedule_with_warmup(optimizer, num_warmup_steps, num_training_steps, last_epoch=-1)`.
    static func linearSchedule(optimizer: Optimizer, _ bound: JSONObject) throws(PythonError) -> LambdaLR {
        let steps = try bound.steps()
        return try lambdaLR(optimizer, Lambdas.linear(warmupSteps: steps.warmup, trainingSteps: steps.training), bound)
    }

    /// `get_cosine_schedule_with_warmup(optimizer, num_warmup_steps, num_training_steps, num_cycles=0.5, last_epoch=-1)`.
    static func cosineSchedule(optimizer: Optimizer, _ bound: JSONObject) throws(PythonError) -> LambdaLR {
        try cycles(optimizer, bound, defaultCycles: 0.5) { Lambdas.cosine(warmupSteps: $0, trainingSteps: $1, numCycles: $2) }
    }

    /// `get_cosine_with_hard_restarts_schedule_with_warmup(optimizer, num_warmup_steps,
    /// num_training_steps, num_cycles=1, last_epoch=-1)`.
    static func hardRestartsSchedule(optimizer: Optimizer, _ bound: JSONObject) throws(PythonError) -> LambdaLR {
        try cycles(optimizer, bound, defaultCycles: 1) {
            Lambdas.cosineWithHardRestarts(warmupSteps: $0, trainingSteps: $1, numCycles: $2)
        }
    }

    /// A schedule of `num_warmup_steps`, `num_training_steps` and `num_cycles`
    /// (read in that order), the two cosines' arguments.
    private static func cycles(
        _ optimizer: Optimizer, _ bound: JSONObject, defaultCycles: Double,
        _ function: (Double, Double, Double) throws(PythonError) -> ScheduleFunction
    ) throws(PythonError) -> LambdaLR {
        let steps = try bound.steps()
        let cycles = try bound.number("num_cycles", defaultCycles)
        return try lambdaLR(optimizer, try function(steps.warmup, steps.training, cycles), bound)
    }

    /// `get_polynomial_decay_schedule_with_warmup(optimizer, num_warmup_steps,
    /// num_training_steps, lr_end=1e-7, power=1.0, last_epoch=-1)`: `lr_init =
    /// optimizer.defaults["lr"]` must exceed `lr_end` (`ValueError`).
    static func polynomialSchedule(optimizer: Optimizer, _ bound: JSONObject) throws(PythonError) -> LambdaLR {
        let lrInit = try defaultLR(optimizer)
        let lrEnd = try bound.number("lr_end", 1e-7)
        if !(lrInit > lrEnd) {
            let end = bound["lr_end"]?.pythonDescription ?? "1e-07"
            let initial = optimizer.defaults["lr"]?.pythonDescription ?? ""
            throw .valueError("lr_end (\(end)) must be smaller than initial lr (\(initial))")
        }
        let steps = try bound.steps()
        return try lambdaLR(
            optimizer,
            Lambdas.polynomialDecay(
                warmupSteps: steps.warmup, trainingSteps: steps.training,
                lrEnd: lrEnd, power: try bound.number("power", 1.0), lrInit: lrInit), bound)
    }

    /// `get_inverse_sqrt_schedule(optimizer, num_warmup_steps, timescale=None, last_epoch=-1)`:
    /// `timescale = num_warmup_steps or 10_000` when `None`.
    static func inverseSqrtSchedule(optimizer: Optimizer, _ bound: JSONObject) throws(PythonError) -> LambdaLR {
        let warmup = try bound.number("num_warmup_steps")
        let timescale = try bound.optionalNumber("timescale") ?? (warmup != 0 ? warmup : 10_000)
        return try lambdaLR(optimizer, Lambdas.inverseSqrt(warmupSteps: warmup, timescale: timescale), bound)
    }

    /// `min_lr` / `min_lr_rate` of the two min-lr cosines: exactly one,
    /// `min_lr` as `min_lr / optimizer.defaults["lr"]`.
    fileprivate static func minLRRate(optimizer: Optimizer, _ bound: JSONObject) throws(PythonError) -> Double {
        let minLR = try bound.optionalNumber("min_lr")
        let rate = try bound.optionalNumber("min_lr_rate")
        if minLR != nil && rate != nil { throw .valueError("Only one of min_lr or min_lr_rate should be set") }
        if let minLR { return try PyFloat.divide(minLR, try defaultLR(optimizer)) }
        guard let rate else {
            throw .valueError("One of min_lr or min_lr_rate should be set through the `lr_scheduler_kwargs`")
        }
        return rate
    }

    /// `get_cosine_with_min_lr_schedule_with_warmup(optimizer, num_warmup_steps,
    /// num_training_steps, num_cycles=0.5, last_epoch=-1, min_lr=None, min_lr_rate=None)`.
    static func cosineWithMinLRSchedule(optimizer: Optimizer, _ bound: JSONObject) throws(PythonError) -> LambdaLR {
        let rate = try minLRRate(optimizer: optimizer, bound)
        return try cycles(optimizer, bound, defaultCycles: 0.5) {
            Lambdas.cosine(warmupSteps: $0, trainingSteps: $1, numCycles: $2, minLRRate: rate)
        }
    }

    /// `get_cosine_with_min_lr_schedule_with_warmup_lr_rate(optimizer, num_warmup_steps,
    /// num_training_steps, num_cycles=0.5, last_epoch=-1, min_lr=None, min_lr_rate=None, warmup_lr_rate=None)`.
    static func cosineWarmupWithMinLRSchedule(optimizer: Optimizer, _ bound: JSONObject) throws(PythonError)
        -> LambdaLR
    {
        let rate = try minLRRate(optimizer: optimizer, bound)
        return try cycles(optimizer, bound, defaultCycles: 0.5) { (warmup, training, cycles) throws(PythonError) in
            Lambdas.cosineWarmupWithMinLR(
                warmupSteps: warmup, trainingSteps: training, numCycles: cycles, minLRRate: rate,
                warmupLRRate: try bound.optionalNumber("warmup_lr_rate"))
        }
    }

    /// `get_wsd_schedule(optimizer, num_warmup_steps, num_decay_steps, num_training_steps=None,
    /// num_stable_steps=None, warmup_type="linear", decay_type="cosine", min_lr_ratio=0,
    /// num_cycles=0.5, last_epoch=-1)`: `num_stable_steps` defaults to
    /// `num_training_steps − num_warmup_steps − num_decay_steps`; both given
    /// is transformers' `UserWarning` (`num_stable_steps` wins).
    static func wsdSchedule(optimizer: Optimizer, _ bound: JSONObject) throws(PythonError) -> LambdaLR {
        let training = try bound.optionalNumber("num_training_steps")
        var stable = try bound.optionalNumber("num_stable_steps")
        if training == nil && stable == nil {
            throw .valueError("Either num_training_steps or num_stable_steps must be specified.")
        }
        let warnings = WarningSink()
        if training != nil && stable != nil {
            warnings.emit(
                SchedulerWarning(
                    category: "UserWarning",
                    message: "Both num_training_steps and num_stable_steps are specified. num_stable_steps will be used."))
        }
        func shape(_ key: String, _ kind: String) throws(PythonError) -> Lambdas.Shape {
            let value = bound[key] ?? .string(key == "warmup_type" ? "linear" : "cosine")
            guard case .string(let raw) = value, let shape = Lambdas.Shape(rawValue: raw) else {
                throw .valueError("Unknown \(kind) type: \(value.pythonDescription), expected 'linear', 'cosine' or '1-sqrt'")
            }
            return shape
        }
        let warmupType = try shape("warmup_type", "warmup")
        let decayType = try shape("decay_type", "decay")
        let warmup = try bound.number("num_warmup_steps")
        let decay = try bound.number("num_decay_steps")
        if stable == nil, let training { stable = training - warmup - decay }
        return try LambdaLR(
            optimizer: optimizer,
            lrLambda: Lambdas.warmupStableDecay(
                warmupSteps: warmup, stableSteps: stable ?? 0, decaySteps: decay, warmupType: warmupType,
                decayType: decayType, minLRRatio: try bound.number("min_lr_ratio", 0),
                numCycles: try bound.number("num_cycles", 0.5)),
            lastEpoch: try bound.lastEpoch(), warnings: warnings)
    }
}
