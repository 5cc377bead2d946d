/// Hugging Face transformers' schedules (`transformers.optimization`,
/// version 5.23.0), bit for bit: `transformers.get_scheduler(name,
/// optimizer, num_warmup_steps=None, num_training_steps=None,
/// scheduler_specific_kwargs=None)`.
///
/// ```swift
/// let optimizer = try Optimizer(.adamW, options: ["lr": 5e-5])
/// let scheduler = try Transformers.schedule(.cosine, optimizer: optimizer, warmupSteps: 100, trainingSteps: 1000)
/// for _ in 0..<1000 {
///     try optimizer.step()
///     try scheduler.step(.next)
/// }
/// ```
///
/// Ten of the twelve names build PyTorch's `LambdaLR` over one of
/// transformers' `lr_lambda` functions (``Transformers/Lambdas``, where each
/// formula is stated); `reduce_lr_on_plateau` builds ``ReduceLROnPlateau``
/// and `greedy` builds ``GreedyLR``. The `LambdaLR`s are Anneal's
/// ``LambdaLR``, with PyTorch's state dict, whose `lr_lambdas` holds `{}`
/// per group (a `functools.partial`'s `__dict__`), or `null` for `constant`.
/// A program may also build one from a lambda directly:
/// `LambdaLR(optimizer: optimizer, lrLambda: Transformers.Lambdas.linear(warmupSteps: 10, trainingSteps: 100))`.
///
/// Arguments whose type transformers only trips over at the first step
/// that uses them (`num_cycles: "x"`) are rejected when the schedule is
/// built, with a `TypeError`.
public enum Transformers {
    /// transformers' `SchedulerType`: the names `get_scheduler` takes, each
    /// with its factor at step `s` (`w = num_warmup_steps`, `t =
    /// num_training_steps`) and the rates after construction and each step
    /// (`TransformersTests` checks every example against transformers).
    public enum Name: String, Sendable, CaseIterable {
        /// `get_linear_schedule_with_warmup`: `s / max(1, w)` during the
        /// warmup, then `max(0.0, (t − s) / max(1, t − w))`
        /// (``Transformers/Lambdas/linear(warmupSteps:trainingSteps:)``).
        /// With `lr = 0.1`, `w = 2`, `t = 6`: 0.0, 0.05, 0.1, 0.07500000000000001, 0.05, 0.025, 0.0, 0.0.
        case linear
        /// `get_cosine_schedule_with_warmup` (`num_cycles=0.5`): the warmup,
        /// then `max(0, 0.5·(1 + cos(π·num_cycles·2·p)))` with `p = (s − w) / max(1, t − w)`
        /// (``Transformers/Lambdas/cosine(warmupSteps:trainingSteps:numCycles:minLRRate:)``).
        /// With `lr = 0.1`, `w = 0`, `t = 4`: 0.1, 0.08535533905932738, 0.05, 0.014644660940672627, 0.0.
        case cosine
        /// `get_cosine_with_hard_restarts_schedule_with_warmup` (`num_cycles=1`):
        /// the warmup, then `0.5·(1 + cos(π·((num_cycles·p) % 1.0)))`, `0.0` once `p ≥ 1`
        /// (``Transformers/Lambdas/cosineWithHardRestarts(warmupSteps:trainingSteps:numCycles:)``).
        /// With `lr = 0.1`, `w = 0`, `t = 4`, `num_cycles = 2`: 0.1, 0.05, 0.1, 0.05, 0.0, 0.0.
        case cosineWithRestarts = "cosine_with_restarts"
        /// `get_polynomial_decay_schedule_with_warmup` (`lr_end=1e-7`, `power=1.0`):
        /// the warmup, then from `optimizer.defaults["lr"]` down to `lr_end` as
        /// `(1 − (s − w)/(t − w))^power`, then `lr_end`
        /// (``Transformers/Lambdas/polynomialDecay(warmupSteps:trainingSteps:lrEnd:power:lrInit:)``).
        /// With `lr = 0.1`, `w = 0`, `t = 4`, `lr_end = 0.0`, `power = 2.0`: 0.1, 0.05625, 0.025, 0.00625, 0.0.
        case polynomial
        /// `get_constant_schedule`: the factor `1` (an `int`; ``Transformers/Lambdas/constant()``).
        /// With `lr = 0.1`: 0.1, 0.1, 0.1.
        case constant
        /// `get_constant_schedule_with_warmup`: `s / max(1.0, w)` during the warmup, then `1.0`
        /// (``Transformers/Lambdas/constantWithWarmup(warmupSteps:)``).
        /// With `lr = 0.1`, `w = 4`: 0.0, 0.025, 0.05, 0.07500000000000001, 0.1, 0.1.
        case constantWithWarmup = "constant_with_warmup"
        /// `get_inverse_sqrt_schedule` (`timescale=None`, then `num_warmup_steps or 10_000`):
        /// the warmup, then `1 / sqrt((s + timescale − w) / timescale)`
        /// (``Transformers/Lambdas/inverseSqrt(warmupSteps:timescale:)``).
        /// With `lr = 0.1`, `w = 0`, `timescale = 1`: 0.1, 0.07071067811865475, 0.05773502691896259, 0.05.
        case inverseSqrt = "inverse_sqrt"
        /// `get_reduce_on_plateau_schedule`: PyTorch's ``ReduceLROnPlateau``(optimizer, **kwargs),
        /// stepped with a metric; the step counts are not used.
        /// With `lr = 0.1`, `patience = 1` and metrics 1, 1, 1, 1: 0.1, 0.1, 0.1, 0.010000000000000002.
        case reduceLROnPlateau = "reduce_lr_on_plateau"
        /// `get_cosine_with_min_lr_schedule_with_warmup`: `cosine` ending at
        /// `m = min_lr_rate` (or `min_lr / optimizer.defaults["lr"]`; exactly
        /// one of them), `max(0, f·(1 − m) + m)`.
        /// With `lr = 0.1`, `w = 0`, `t = 4`, `min_lr_rate = 0.1`: 0.1, 0.08681980515339464,
        /// 0.05500000000000001, 0.023180194846605367, 0.010000000000000002.
        case cosineWithMinLR = "cosine_with_min_lr"
        /// `get_cosine_with_min_lr_schedule_with_warmup_lr_rate`: the same on floats with a warmup
        /// of `(s + 1) / max(1, w)` (or from `warmup_lr_rate`) and `p = (s − w + 1) / max(1, t − w)`
        /// (``Transformers/Lambdas/cosineWarmupWithMinLR(warmupSteps:trainingSteps:numCycles:minLRRate:warmupLRRate:)``).
        /// With `lr = 0.1`, `w = 2`, `t = 6`, `min_lr_rate = 0.0`: 0.05, 0.1, 0.08535533905932738, 0.05,
        /// 0.014644660940672627, 0.0.
        case cosineWarmupWithMinLR = "cosine_warmup_with_min_lr"
        /// `get_wsd_schedule` (`num_decay_steps` required): warmup, stable, decay, each
        /// `linear`, `cosine` or `1-sqrt`, then `min_lr_ratio`
        /// (``Transformers/Lambdas/warmupStableDecay(warmupSteps:stableSteps:decaySteps:warmupType:decayType:minLRRatio:numCycles:)``).
        /// With `lr = 0.1`, `w = 2`, `num_stable_steps = 1`, `num_decay_steps = 2`, linear both:
        /// 0.0, 0.05, 0.1, 0.1, 0.05, 0.0, 0.0.
        case warmupStableDecay = "warmup_stable_decay"
        /// `get_greedy_schedule`: ``GreedyLR``(optimizer, **kwargs), stepped with a metric.
        /// With `lr = 0.1`, `patience = 0`, `min_lr = 0.01` and metrics 1, 1, 1: 0.1, 0.10526315789473685, 0.1, 0.095.
        case greedy
    }

    /// `get_scheduler(name, optimizer, num_warmup_steps, num_training_steps,
    /// scheduler_specific_kwargs)`, with transformers' checks and errors:
    /// `num_warmup_steps` (every name but `constant`, `reduce_lr_on_plateau`
    /// and `greedy`) and `num_training_steps` (also not `constant_with_warmup`,
    /// `inverse_sqrt`, `warmup_stable_decay`) missing raise its `ValueError`;
    /// `options` (`scheduler_specific_kwargs`) go to the schedule function as
    /// keywords, with Python's `TypeError`s.
    ///
    /// With `lr = 0.1`, `.cosine`, `warmupSteps: 0`, `trainingSteps: 4`:
    /// 0.1, 0.08535533905932738, 0.05, 0.014644660940672627, 0.0.
    ///
    /// - Parameters:
    ///   - name: the `SchedulerType`.
    ///   - optimizer: the optimizer whose groups' rates are set.
    ///   - warmupSteps: `num_warmup_steps`; `nil` is `None`.
    ///   - trainingSteps: `num_training_steps`; `nil` is `None`.
    ///   - options: `scheduler_specific_kwargs`, by transformers' names
    ///     (`num_cycles`, `lr_end`, `power`, `timescale`, `min_lr`, ...).
    public static func schedule(
        _ name: Name, optimizer: Optimizer, warmupSteps: Int? = nil, trainingSteps: Int? = nil,
        options: JSONObject = [:]
    ) throws(PythonError) -> any Scheduler {
        try getScheduler(
            name, optimizer: optimizer, warmupSteps: warmupSteps.map(JSONValue.int),
            trainingSteps: trainingSteps.map(JSONValue.int), kwargs: .object(options))
    }

    /// `SchedulerType(value)`: the name, or the enum's `ValueError`.
    static func name(_ value: JSONValue) throws(PythonError) -> Name {
        if case .string(let string) = value, let name = Name(rawValue: string) { return name }
        let valid = Name.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", ")
        throw .valueError("\(value.pythonDescription) is not a valid SchedulerType, please select one of [\(valid)]")
    }

    /// `get_scheduler`'s body, on the arguments as Python values (`nil`: not
    /// passed or `None`; `kwargs` `nil` or `null`: `None`).
    static func getScheduler(
        _ name: Name, optimizer: Optimizer, warmupSteps: JSONValue?, trainingSteps: JSONValue?, kwargs: JSONValue?
    ) throws(PythonError) -> any Scheduler {
        let warmupSteps = warmupSteps.flatMap { $0.isNull ? nil : $0 }
        let trainingSteps = trainingSteps.flatMap { $0.isNull ? nil : $0 }
        if name == .constant {
            return try constantSchedule(optimizer: optimizer, PythonCall.constant.bind(explicit: [], kwargs: [:]))
        }
        func mapping() throws(PythonError) -> JSONObject {
            switch kwargs {
            case nil, .null?: return [:]
            case .object(let object)?: return object
            case let other?:
                throw .typeError(
                    "transformers.optimization.\(PythonCall.function(for: name))() argument after ** must be a mapping, not \(other.pythonTypeName)"
                )
            }
        }
        if name == .reduceLROnPlateau {
            var args = KeywordArguments(type: "ReduceLROnPlateau", values: try mapping())
            return try pythonErrors { () throws in try ReduceLROnPlateau.make(&args, context: SchedulerContext(optimizer: optimizer)) }
        }
        if name == .greedy {
            var args = KeywordArguments(type: "GreedyLR", values: try mapping())
            return try pythonErrors { () throws in try GreedyLR.make(&args, context: SchedulerContext(optimizer: optimizer)) }
        }
        guard let warmupSteps else {
            throw .valueError("SchedulerType.\(name.caseName) requires `num_warmup_steps`, please provide that argument.")
        }
        let call = PythonCall.call(for: name)
        switch name {
        case .constantWithWarmup:
            return try constantWithWarmupSchedule(
                optimizer: optimizer, call.bind(explicit: [("num_warmup_steps", warmupSteps)], kwargs: [:]))
        case .inverseSqrt:
            return try inverseSqrtSchedule(
                optimizer: optimizer, call.bind(explicit: [("num_warmup_steps", warmupSteps)], kwargs: try mapping()))
        case .warmupStableDecay:
            return try wsdSchedule(
                optimizer: optimizer,
                call.bind(
                    explicit: [("num_warmup_steps", warmupSteps), ("num_training_steps", trainingSteps ?? .null)],
                    kwargs: try mapping()))
        default:
            break
        }
        guard let trainingSteps else {
            throw .valueError("SchedulerType.\(name.caseName) requires `num_training_steps`, please provide that argument.")
        }
        let bound = try call.bind(
            explicit: [("num_warmup_steps", warmupSteps), ("num_training_steps", trainingSteps)], kwargs: try mapping())
        switch name {
        case .linear: return try linearSchedule(optimizer: optimizer, bound)
        case .cosine: return try cosineSchedule(optimizer: optimizer, bound)
        case .cosineWithRestarts: return try hardRestartsSchedule(optimizer: optimizer, bound)
        case .polynomial: return try polynomialSchedule(optimizer: optimizer, bound)
        case .cosineWithMinLR: return try cosineWithMinLRSchedule(optimizer: optimizer, bound)
        default: return try cosineWarmupWithMinLRSchedule(optimizer: optimizer, bound)
        }
    }

    /// Runs a keyword constructor, whose errors are `PythonError`s.
    private static func pythonErrors(_ body: () throws -> any Scheduler) throws(PythonError) -> any Scheduler {
        do {
            return try body()
        } catch let error as PythonError {
            throw error
        } catch {
            throw .typeError(String(describing: error))
        }
    }
}

extension Transformers.Name {
    /// The enum member's name (`COSINE_WITH_RESTARTS`), as transformers' messages print `SchedulerType.X`.
    var caseName: String {
        switch self {
        case .reduceLROnPlateau: return "REDUCE_ON_PLATEAU"
        default: return rawValue.uppercased()
        }
    }
}
