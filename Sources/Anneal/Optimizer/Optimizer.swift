/// An optimizer as the schedulers see it: `torch.optim.Optimizer`'s
/// `param_groups` and `defaults`, for every ``OptimizerKind`` (`SGD`, `Adam`,
/// `AdamW`, `RMSprop`, `Adagrad`, `Adadelta`, `Adamax`, `NAdam`, `RAdam`,
/// `ASGD`, `Rprop`, `Adafactor`).
///
/// This type holds hyperparameters only; optimizers with parameter tensors
/// subclass it and override ``performStep()``. Schedulers keep a reference and
/// write `lr` (and momentum) into ``paramGroups`` in place, so several
/// schedulers on one optimizer compose exactly as in PyTorch, and user code
/// may also write `paramGroups[i].lr` between steps.
///
/// ```swift
/// let sgd = try Optimizer(.sgd, options: ["lr": 0.1, "momentum": 0.9])
/// let scheduler = try StepLR(optimizer: sgd, stepSize: 30)
/// ```
open class Optimizer {
    /// Which `torch.optim` class this is.
    public let kind: OptimizerKind
    /// `optimizer.defaults`: the constructor's keyword arguments with PyTorch's defaults filled in.
    public let defaults: JSONObject
    /// `optimizer.param_groups`. Unchecked for exclusivity: schedulers read
    /// and write it on every step and never hold overlapping accesses.
    @exclusivity(unchecked) public var paramGroups: [ParamGroup]
    /// PyTorch's `_opt_called`: whether `step()` ran, for the step-order warning.
    @exclusivity(unchecked) public internal(set) var hasStepped = false

    /// Builds an optimizer as `torch.optim.<kind>(groups, **options)` would.
    ///
    /// - Parameters:
    ///   - options: keyword arguments by PyTorch name (`lr`, `momentum`,
    ///     `betas`, ...); an unknown name is a `TypeError`, an invalid value
    ///     the `ValueError` PyTorch raises.
    ///   - groups: one object per param group with that group's overrides
    ///     (default: one group). Each group holds `parameterCounts[i]` tensors.
    public init(
        _ kind: OptimizerKind, options: JSONObject = [:], groups: [JSONObject] = [[:]],
        parameterCounts: [Int]? = nil
    ) throws(PythonError) {
        var defaults = kind.defaultOptions
        for (key, value) in options {
            // AdamW fixes `decoupled_weight_decay`; its constructor does not take it.
            let accepted = defaults[key] != nil && !(kind == .adamW && key == "decoupled_weight_decay")
            guard accepted else {
                throw .typeError("\(kind.rawValue).__init__() got an unexpected keyword argument '\(key)'")
            }
            defaults[key] = value
        }
        try kind.validate(defaults)
        if groups.isEmpty { throw .valueError("optimizer got an empty parameter list") }
        self.kind = kind
        self.defaults = defaults
        var built: [ParamGroup] = []
        for (index, overrides) in groups.enumerated() {
            var object = overrides
            for (key, value) in defaults where object[key] == nil {
                object[key] = value
            }
            let count = parameterCounts?[index] ?? 1
            built.append(try ParamGroup(stateDict: object, parameterCount: count))
        }
        self.paramGroups = built
    }

    /// `optimizer.step()`: records that the optimizer stepped, then updates
    /// the parameters (``performStep()``).
    public final func step() throws {
        hasStepped = true
        try performStep()
    }

    /// The parameter update; a hyperparameter-only optimizer has none.
    open func performStep() throws {}

    /// `optimizer.state_dict()["state"]`; empty without parameter tensors.
    open func stateDictState() -> JSONObject { [:] }

    /// Restores `state` from a saved `state_dict()`.
    open func loadStateDictState(_ state: JSONObject) throws {}

    /// `optimizer.state_dict()`: `{"state": ..., "param_groups": [...]}` with
    /// every key of every group and `params` as parameter indices.
    public func stateDict() -> JSONValue {
        .object(["state": .object(stateDictState()), "param_groups": .array(paramGroupsStateDict())])
    }

    /// `state_dict()["param_groups"]` alone, without building the state
    /// (which for a large model is most of the work).
    public func paramGroupsStateDict() -> [JSONValue] {
        var index = 0
        var groups: [JSONValue] = []
        for group in paramGroups {
            groups.append(.object(group.stateDict(firstParameterIndex: index)))
            index += group.parameterCount
        }
        return groups
    }

    /// `optimizer.load_state_dict(state)`: replaces every group's keys by the
    /// saved ones, after checking the group count and sizes as PyTorch does.
    public func loadStateDict(_ state: JSONValue) throws {
        guard case .array(let saved)? = state["param_groups"] else {
            throw PythonError.keyError("optimizer state_dict has no 'param_groups' list")
        }
        guard saved.count == paramGroups.count else {
            throw PythonError.valueError("loaded state dict has a different number of parameter groups")
        }
        var groups: [ParamGroup] = []
        for (group, savedGroup) in zip(paramGroups, saved) {
            guard case .object(let object) = savedGroup, case .array(let params)? = object["params"] else {
                throw PythonError.valueError("loaded state dict has a parameter group without a 'params' list")
            }
            guard params.count == group.parameterCount else {
                throw PythonError.valueError(
                    "loaded state dict contains a parameter group that doesn't match the size of optimizer's group")
            }
            groups.append(try ParamGroup(stateDict: object, parameterCount: group.parameterCount))
        }
        // What PyTorch's `__setstate__` (run by `load_state_dict`) does to
        // the loaded groups: the defaults of keys older versions lacked;
        // AdamW always decouples its weight decay.
        for index in groups.indices {
            for (key, value) in kind.setStateDefaults where groups[index][key] == nil { groups[index][key] = value }
            if kind == .adamW { groups[index].options["decoupled_weight_decay"] = true }
        }
        if case .object(let stateObject)? = state["state"] {
            try loadStateDictState(stateObject)
        }
        paramGroups = groups
    }

    /// What `CyclicLR` and `OneCycleLR` do to each group when they start
    /// cycling momentum: `momentum` (or `betas[0]`) becomes the maximum, and
    /// the group remembers both bounds as `max_momentum` and `base_momentum`.
    /// What `CyclicLR` and `OneCycleLR` with `cycle_momentum` cycle, decided
    /// as PyTorch does from ``defaults``: `betas[0]` (`use_beta1`) when they
    /// have `betas`, else `momentum`; a `ValueError` when they have neither.
    func cyclesBeta1() throws(PythonError) -> Bool {
        if defaults["momentum"] == nil && defaults["betas"] == nil {
            throw .valueError("optimizer must support momentum or beta1 with `cycle_momentum` option enabled")
        }
        return defaults["betas"] != nil
    }

    func startCyclingMomentum(maximums: [Double], bases: [Double], usesBeta1: Bool) {
        for index in paramGroups.indices {
            if usesBeta1 {
                paramGroups[index].betas?.beta1 = maximums[index]
            } else {
                paramGroups[index].momentum = maximums[index]
            }
            paramGroups[index].maxMomentum = maximums[index]
            paramGroups[index].baseMomentum = bases[index]
        }
    }

    /// The current `lr` of every group, in order.
    public var learningRates: [Double] { paramGroups.map(\.lr) }
}
