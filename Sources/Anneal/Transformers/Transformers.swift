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
public enum Transformers {
    /// transformers' `SchedulerType`: the names `get_scheduler` takes.
    ///
    /// With `lr = 0.1`, `num_warmup_steps = 2`, `num_training_steps = 6`,
    /// steps 0, 1, 2, ... give for `linear`: 0.0, 0.05, 0.1, 0.07500000000000001, 0.05, 0.025, 0.0;
    /// for `constant_with_warmup`: 0.0, 0.05, 0.1, 0.1, ...;
    /// for `constant`: 0.1, 0.1, ....
    public enum Name: String, Sendable, CaseIterable {
        /// `get_linear_schedule_with_warmup` (``Transformers/Lambdas/linear(warmupSteps:trainingSteps:)``).
        case linear
        /// `get_cosine_schedule_with_warmup`; `num_cycles=0.5`.
        case cosine
        /// `get_cosine_with_hard_restarts_schedule_with_warmup`; `num_cycles=1`.
        case cosineWithRestarts = "cosine_with_restarts"
        /// `get_polynomial_decay_schedule_with_warmup`; `lr_end=1e-7`, `power=1.0`.
        case polynomial
        /// `get_constant_schedule`: the factor `1`.
        case constant
        /// `get_constant_schedule_with_warmup`.
        case constantWithWarmup = "constant_with_warmup"
        /// `get_inverse_sqrt_schedule`; `timescale=None` (`num_warmup_steps or 10_000`).
        case inverseSqrt = "inverse_sqrt"
        /// `get_reduce_on_plateau_schedule`: PyTorch's `ReduceLROnPlateau(optimizer, **kwargs)`.
        case reduceLROnPlateau = "reduce_lr_on_plateau"
        /// `get_cosine_with_min_lr_schedule_with_warmup`; one of `min_lr`, `min_lr_rate`.
        case cosineWithMinLR = "cosine_with_min_lr"
        /// `get_cosine_with_min_lr_schedule_with_warmup_lr_rate`; one of `min_lr`, `min_lr_rate`.
        case cosineWarmupWithMinLR = "cosine_warmup_with_min_lr"
        /// `get_wsd_schedule`; `num_decay_steps` required.
        case warmupStableDecay = "warmup_stable_decay"
        /// `get_greedy_schedule`: ``GreedyLR``(optimizer, **kwargs).
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
