import Anneal
import AnnealTensor

/// What every AnnealOptim optimizer (SGD, Adam, AdamW, RMSprop, Adagrad, ...) shares: `torch.optim.Optimizer`'s
/// parameters by group and its per-parameter `state`, beside the
/// hyperparameters ``Optimizer`` keeps. A subclass adds its step
/// (``Optimizer/performStep()``) and nothing else; its `State` is what
/// PyTorch keeps in `optimizer.state[p]`.
///
/// Everything here is shared by every tensor optimizer: `add_param_group`,
/// `state_dict()["state"]` and its loading, the flat state entries
/// checkpoints use, and the construction checks. A new optimizer is a
/// subclass with its options, its state type and its step, plus its loop
/// in `Kernels/`, and a line in ``makeOptimizer(_:groups:options:)``.
///
/// ```swift
/// let w = Parameter(Tensor([0.5, -1.25]))
/// let sgd = try SGD(parameters: [w], lr: 0.1, momentum: 0.9)   // a TensorOptimizer<SGDState>
/// w.grad = Tensor([0.25, 1])
/// try sgd.step()
/// sgd.state(of: w)   // ["momentum_buffer": [0.25, 1.0]]
/// ```
public class TensorOptimizer<State: TensorOptimizerState>: Optimizer {
    /// The parameters by group and their state.
    @usableFromInline var store = ParameterStore<State>()

    /// `torch.optim.<kind>(groups, **options)`: PyTorch's validation of the
    /// options (``Optimizer/init(_:options:groups:parameterCounts:)``), then
    /// the parameters (one in two groups is a `ValueError`), then the paths
    /// Anneal does not compute (`foreach`, `fused`, ...).
    init(_ kind: OptimizerKind, groups: [ParameterGroup], options: JSONObject) throws {
        try super.init(
            kind, options: options, groups: groups.map(\.options), parameterCounts: groups.map(\.parameters.count))
        store = try ParameterStore(groups.map(\.parameters))
        try checkImplementedPath(kind, defaults: defaults)
    }

    /// `param_groups[i]["params"]`.
    public var parameters: [[Parameter]] { store.groups }

    /// ``parameters`` flattened, in `state_dict()` index order (group 0's,
    /// then group 1's, ...): what a checkpoint reports as the optimizer's
    /// parameters.
    public var indexedParameters: [Parameter] { store.groups.flatMap { $0 } }

    /// `optimizer.add_param_group(group)`: the group's options with this
    /// optimizer's ``Optimizer/defaults`` for the rest; a parameter already
    /// in another group is a `ValueError`.
    ///
    /// ```swift
    /// try adam.addParamGroup(ParameterGroup(parameters: [bias], options: ["lr": 0.1]))
    /// ```
    public func addParamGroup(_ group: ParameterGroup) throws {
        var object = group.options
        object["params"] = nil
        for (key, value) in defaults where object[key] == nil { object[key] = value }
        let built = try ParamGroup(stateDict: object, parameterCount: group.parameters.count)
        try store.append(group.parameters)
        paramGroups.append(built)
    }

    /// `optimizer.state[parameter]` as its state dict entry, `nil` without state.
    public func state(of parameter: Parameter) -> JSONObject? {
        store.state(for: parameter).map { TensorJSON.stateDict(of: $0, shape: parameter.value.shape) }
    }

    public override func stateDictState() -> JSONObject { store.stateDict() }

    public override func loadStateDictState(_ state: JSONObject) throws { try store.load(state) }

    /// ``stateDictState()`` with its tensors as flat values: for checkpoints,
    /// which save large states without building the JSON.
    public func stateEntries() -> [OptimizerStateEntry] { store.entries() }

    /// Replaces all state by `entries` (tensors as flat values or JSON), with
    /// ``loadStateDictState(_:)``'s checks; nothing changes when it throws.
    public func loadStateEntries(_ entries: [OptimizerStateEntry]) throws { try store.load(entries) }

    /// ``Optimizer/paramGroups`` with their parameters, for a step: a
    /// `ValueError` when the two no longer line up (a group appended to
    /// `paramGroups` instead of through ``addParamGroup(_:)``).
    func groupsWithParameters() throws(PythonError) -> Zip2Sequence<[ParamGroup], [[Parameter]]> {
        try checkGroupsMatch(paramGroups, store)
        return zip(paramGroups, store.groups)
    }

    /// PyTorch's `_init_group` for the optimizers whose state every
    /// parameter with a gradient gets before the update (Adam, RMSprop):
    /// each such parameter in order, with its gradient (checked against its
    /// shape) and its state, made by `make(count)` when it has none.
    /// `check` runs on each state as it is found (the `KeyError` of a state
    /// that lacks a buffer the group now needs).
    func initGroup(
        _ parameters: [Parameter], make: (_ count: Int) throws(PythonError) -> State,
        check: (State) throws(PythonError) -> Void = { _ in }
    ) throws(PythonError) -> [(parameter: Parameter, grad: Tensor, state: State)] {
        var work: [(parameter: Parameter, grad: Tensor, state: State)] = []
        for parameter in parameters {
            guard let grad = try gradient(of: parameter) else { continue }
            let count = parameter.value.count
            let state: State
            if let existing = store.state(for: parameter) {
                state = existing
            } else {
                state = try make(count)
                store.setState(state, for: parameter)
            }
            try check(state)
            work.append((parameter, grad, state))
        }
        return work
    }
}
