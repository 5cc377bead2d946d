import Anneal
import AnnealTensor

/// `torch.optim.SGD` (PyTorch 2.13) over float32 parameters: momentum,
/// dampening, Nesterov momentum, weight decay and `maximize`, with PyTorch's
/// defaults, validation and `foreach=False` arithmetic bit for bit.
///
/// ```swift
/// let w = Parameter(Tensor([0.5, -1.25]))
/// let sgd = try SGD(parameters: [w], lr: 0.1, momentum: 0.9)
/// w.grad = Tensor([0.25, 1])
/// try sgd.step()          // w == [0.475, -1.35]; the momentum buffer is the gradient
/// ```
///
/// Per parameter with a gradient (`_single_tensor_sgd`):
/// `g = ±grad + weight_decay * p`; with momentum, `buf = g` on the first step,
/// then `buf = momentum * buf + (1 - dampening) * g`, and `g = g + momentum * buf`
/// (Nesterov) or `g = buf`; finally `p = p - lr * g`. Every step reads the
/// hyperparameters from ``paramGroups`` (schedulers change `lr` and
/// `momentum`). State: `momentum_buffer` per parameter, only when momentum
/// is non-zero.
public final class SGD: Optimizer {
    private var store = ParameterStore<SGDState>()

    /// `SGD(params, **options)` with param groups: each group's `options`
    /// override `options` (PyTorch names: `lr`, `momentum`, `dampening`,
    /// `weight_decay`, `nesterov`, `maximize`).
    public init(_ groups: [ParameterGroup], options: JSONObject = [:]) throws {
        try super.init(
            .sgd, options: options, groups: groups.map(\.options), parameterCounts: groups.map(\.parameters.count))
        store = try ParameterStore(groups.map(\.parameters))
        try checkImplementedPath(.sgd, defaults: defaults)
    }

    /// `SGD(parameters, lr=..., momentum=..., ...)` with one group.
    public convenience init(
        parameters: [Parameter], lr: Double = 0.001, momentum: Double = 0, dampening: Double = 0,
        weightDecay: Double = 0, nesterov: Bool = false, maximize: Bool = false
    ) throws {
        var options: JSONObject = ["lr": .double(lr)]
        if momentum != 0 { options["momentum"] = .double(momentum) }
        if dampening != 0 { options["dampening"] = .double(dampening) }
        if weightDecay != 0 { options["weight_decay"] = .double(weightDecay) }
        if nesterov { options["nesterov"] = true }
        if maximize { options["maximize"] = true }
        try self.init([ParameterGroup(parameters: parameters)], options: options)
    }

    /// `param_groups[i]["params"]`.
    public var parameters: [[Parameter]] { store.groups }

    /// `optimizer.add_param_group(group)`: the group's options with this
    /// optimizer's ``defaults`` for the rest; a parameter already in another
    /// group is a `ValueError`.
    public func addParamGroup(_ group: ParameterGroup) throws {
        let built = try makeParamGroup(group, defaults: defaults)
        try store.append(group.parameters)
        paramGroups.append(built)
    }

    /// `optimizer.state[parameter]` as its state dict entry, `nil` without state.
    public func state(of parameter: Parameter) -> JSONObject? {
        store.state(for: parameter)?.stateDict(shape: parameter.value.shape)
    }

    public override func stateDictState() -> JSONObject { store.stateDict() }

    public override func loadStateDictState(_ state: JSONObject) throws { try store.load(state) }

    /// ``stateDictState()`` with its tensors as flat values: for checkpoints,
    /// which save large states without building the JSON.
    public func stateEntries() -> [OptimizerStateEntry] { store.entries() }

    /// Replaces all state by `entries` (tensors as flat values or JSON), with
    /// ``loadStateDictState(_:)``'s checks; nothing changes when it throws.
    public func loadStateEntries(_ entries: [OptimizerStateEntry]) throws { try store.load(entries) }

    public override func performStep() throws {
        try checkGroupsMatch(paramGroups, store)
        for (index, group) in paramGroups.enumerated() {
            let weightDecay = try group.number("weight_decay")
            let momentum = try group.number("momentum")
            let lr = try group.number("lr")
            let dampening = try group.number("dampening")
            let nesterov = try group.flag("nesterov", default: false)
            let maximize = try group.flag("maximize", default: false)
            let scalars = SGDScalars(
                negativeLR: Float(-lr), weightDecay: weightDecay != 0 ? Float(weightDecay) : nil,
                momentum: momentum != 0 ? Float(momentum) : nil, oneMinusDampening: Float(1 - dampening),
                nesterov: nesterov, maximize: maximize)
            for parameter in store.groups[index] {
                guard let grad = try gradient(of: parameter) else { continue }
                let count = parameter.value.count
                guard scalars.momentum != nil else {
                    grad.withUnsafeBufferPointer { g in
                        parameter.value.withUnsafeMutableBufferPointer { p in
                            guard count > 0 else { return }
                            SGDKernel.run(
                                scalars, count: count, param: p.baseAddress!, grad: g.baseAddress!, buffer: nil,
                                initializeBuffer: false)
                        }
                    }
                    continue
                }
                let state = store.state(for: parameter) { SGDState() }
                let initialize = state.momentumBuffer == nil
                if initialize { state.momentumBuffer = ScalarStorage.filled(0, count: count) }
                try checkCount(state.momentumBuffer!, count, "momentum_buffer", parameter)
                grad.withUnsafeBufferPointer { g in
                    parameter.value.withUnsafeMutableBufferPointer { p in
                        state.momentumBuffer!.withUnsafeMutableBufferPointer { b in
                            guard count > 0 else { return }
                            SGDKernel.run(
                                scalars, count: count, param: p.baseAddress!, grad: g.baseAddress!,
                                buffer: b.baseAddress!, initializeBuffer: initialize)
                        }
                    }
                }
            }
        }
    }
}

/// SGD's `state[p]`: the momentum buffer.
final class SGDState: ParameterState {
    var momentumBuffer: [Float]?

    init(momentumBuffer: [Float]? = nil) { self.momentumBuffer = momentumBuffer }

    func stateDict(shape: [Int]) -> JSONObject {
        ["momentum_buffer": momentumBuffer.map { TensorJSON.encode($0, shape: shape) } ?? .null]
    }

    var entry: OptimizerStateEntry.Values {
        guard let momentumBuffer else { return .init(json: ["momentum_buffer": .null]) }
        return .init(tensors: ["momentum_buffer": momentumBuffer])
    }

    static func load(_ object: OptimizerStateEntry.Values, shape: [Int], where location: String) throws(PythonError) -> SGDState? {
        try checkKeys(object, allowed: ["momentum_buffer"], required: [], where: location)
        if object.isEmpty { return nil }
        return SGDState(momentumBuffer: try loadTensor(object, "momentum_buffer", shape: shape, where: location))
    }
}

// MARK: - Shared by the optimizers

/// A param group for `add_param_group`: the group's own keys, then every
/// default it does not set.
func makeParamGroup(_ group: ParameterGroup, defaults: JSONObject) throws(PythonError) -> ParamGroup {
    var object = group.options
    object["params"] = nil
    for (key, value) in defaults where object[key] == nil { object[key] = value }
    return try ParamGroup(stateDict: object, parameterCount: group.parameters.count)
}

/// A state tensor must have as many elements as its parameter (the
/// parameter's value may have been replaced by one of another size).
func checkCount(_ buffer: [Float], _ count: Int, _ key: String, _ parameter: Parameter) throws(PythonError) {
    guard buffer.count == count else {
        throw .runtimeError(
            "optimizer state '\(key)' has \(buffer.count) elements but its parameter\(parameter.name.map { " '\($0)'" } ?? "") has \(count)")
    }
}
