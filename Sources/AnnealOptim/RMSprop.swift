import Anneal
import AnnealTensor

/// `torch.optim.RMSprop` (PyTorch 2.13) over float32 parameters: `alpha`,
/// `eps`, `weight_decay`, `momentum`, `centered` and `maximize`, with
/// PyTorch's defaults, validation and `foreach=False` arithmetic bit for bit.
///
/// ```swift
/// let w = Parameter(Tensor([0.5, -1.25]))
/// let rmsprop = try RMSprop(parameters: [w], lr: 0.01, momentum: 0.9, centered: true)
/// ```
///
/// Per parameter with a gradient (`_single_tensor_rmsprop`): `step += 1`;
/// `g = ±grad + weight_decay * p`; `sq = alpha * sq + (1 - alpha) * g * g`;
/// centered: `ga = lerp(ga, g, 1 - alpha)`, `avg = sqrt(sq - ga * ga)`, else
/// `avg = sqrt(sq)`; `avg += eps`; with momentum `buf = momentum * buf + g / avg`
/// and `p -= lr * buf`, else `p -= lr * g / avg`. State per parameter: `step`,
/// `square_avg`, `momentum_buffer` (when the group's momentum was positive
/// at the first step) and `grad_avg` (centered).
public final class RMSprop: Optimizer {
    private var store = ParameterStore<RMSpropState>()

    /// `RMSprop(params, **options)` with param groups (PyTorch names: `lr`,
    /// `alpha`, `eps`, `weight_decay`, `momentum`, `centered`, `maximize`).
    public init(_ groups: [ParameterGroup], options: JSONObject = [:]) throws {
        try super.init(
            .rmsprop, options: options, groups: groups.map(\.options),
            parameterCounts: groups.map(\.parameters.count))
        store = try ParameterStore(groups.map(\.parameters))
        try checkImplementedPath(.rmsprop, defaults: defaults)
    }

    /// `RMSprop(parameters, lr=..., alpha=..., ...)` with one group.
    public convenience init(
        parameters: [Parameter], lr: Double = 0.01, alpha: Double = 0.99, eps: Double = 1e-8,
        weightDecay: Double = 0, momentum: Double = 0, centered: Bool = false, maximize: Bool = false
    ) throws {
        var options: JSONObject = ["lr": .double(lr)]
        if alpha != 0.99 { options["alpha"] = .double(alpha) }
        if eps != 1e-8 { options["eps"] = .double(eps) }
        if weightDecay != 0 { options["weight_decay"] = .double(weightDecay) }
        if momentum != 0 { options["momentum"] = .double(momentum) }
        if centered { options["centered"] = true }
        if maximize { options["maximize"] = true }
        try self.init([ParameterGroup(parameters: parameters)], options: options)
    }

    /// `param_groups[i]["params"]`.
    public var parameters: [[Parameter]] { store.groups }

    /// `optimizer.add_param_group(group)` (see ``SGD/addParamGroup(_:)``).
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
            // _init_group: lazy state, then the KeyErrors of a momentum or
            // centering switched on after the state was made.
            let momentum = try group.number("momentum", default: 0)
            let centered = try group.flag("centered", default: false)
            var work: [(Parameter, Tensor, RMSpropState)] = []
            for parameter in store.groups[index] {
                guard let grad = try gradient(of: parameter) else { continue }
                let count = parameter.value.count
                let state = store.state(for: parameter) {
                    RMSpropState(count: count, momentum: momentum > 0, centered: centered)
                }
                if momentum > 0 && state.momentumBuffer == nil { throw PythonError.keyError("'momentum_buffer'") }
                if centered && state.gradAvg == nil { throw PythonError.keyError("'grad_avg'") }
                work.append((parameter, grad, state))
            }
            let lr = try group.number("lr")
            let alpha = try group.number("alpha")
            let eps = try group.number("eps")
            let weightDecay = try group.number("weight_decay")
            let maximize = try group.flag("maximize", default: false)
            let scalars = RMSpropScalars(
                maximize: maximize, weightDecay: weightDecay != 0 ? Float(weightDecay) : nil, alpha: Float(alpha),
                oneMinusAlpha: Float(1 - alpha), lerp: Lerp(weight: 1 - alpha), eps: Float(eps),
                momentum: momentum > 0 ? Float(momentum) : nil, negativeLR: Float(-lr))
            for (parameter, grad, state) in work {
                let count = parameter.value.count
                try checkCount(state.squareAvg, count, "square_avg", parameter)
                if momentum > 0 { try checkCount(state.momentumBuffer!, count, "momentum_buffer", parameter) }
                if centered { try checkCount(state.gradAvg!, count, "grad_avg", parameter) }
                state.step += 1
                guard count > 0 else { continue }
                grad.withUnsafeBufferPointer { g in
                    parameter.value.withUnsafeMutableBufferPointer { p in
                        state.squareAvg.withUnsafeMutableBufferPointer { sq in
                            withOptionalBuffer(&state.gradAvg, centered) { ga in
                                withOptionalBuffer(&state.momentumBuffer, momentum > 0) { b in
                                    RMSpropKernel.run(
                                        scalars, count: count, param: p.baseAddress!, grad: g.baseAddress!,
                                        squareAvg: sq.baseAddress!, gradAvg: ga, momentumBuffer: b)
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// `body` with the buffer's base address when `use` (the buffer then exists), else `nil`.
@inline(__always)
func withOptionalBuffer(
    _ buffer: inout [Float]?, _ use: Bool, _ body: (UnsafeMutablePointer<Float>?) -> Void
) {
    if use {
        buffer!.withUnsafeMutableBufferPointer { body($0.baseAddress!) }
    } else {
        body(nil)
    }
}

/// RMSprop's `state[p]`.
final class RMSpropState: ParameterState {
    /// `state["step"]`, a float32 tensor in PyTorch.
    var step: Float
    var squareAvg: [Float]
    var momentumBuffer: [Float]?
    var gradAvg: [Float]?

    init(step: Float, squareAvg: [Float], momentumBuffer: [Float]?, gradAvg: [Float]?) {
        self.step = step
        self.squareAvg = squareAvg
        self.momentumBuffer = momentumBuffer
        self.gradAvg = gradAvg
    }

    /// The lazy initialization: zeros; the momentum buffer when the group's
    /// momentum is positive, the gradient average when it is centered.
    convenience init(count: Int, momentum: Bool, centered: Bool) {
        // Separate buffers (not copies of one): the first step writes each.
        self.init(
            step: 0, squareAvg: ScalarStorage.filled(0, count: count),
            momentumBuffer: momentum ? ScalarStorage.filled(0, count: count) : nil,
            gradAvg: centered ? ScalarStorage.filled(0, count: count) : nil)
    }

    func stateDict(shape: [Int]) -> JSONObject {
        var object: JSONObject = ["step": .double(Double(step)), "square_avg": TensorJSON.encode(squareAvg, shape: shape)]
        if let momentumBuffer { object["momentum_buffer"] = TensorJSON.encode(momentumBuffer, shape: shape) }
        if let gradAvg { object["grad_avg"] = TensorJSON.encode(gradAvg, shape: shape) }
        return object
    }

    var entry: OptimizerStateEntry.Values {
        var tensors = ["step": [step], "square_avg": squareAvg]
        if let momentumBuffer { tensors["momentum_buffer"] = momentumBuffer }
        if let gradAvg { tensors["grad_avg"] = gradAvg }
        return .init(tensors: tensors)
    }

    static func load(_ object: OptimizerStateEntry.Values, shape: [Int], where location: String) throws(PythonError) -> RMSpropState? {
        try checkKeys(
            object, allowed: ["step", "square_avg", "momentum_buffer", "grad_avg"],
            required: object.isEmpty ? [] : ["step", "square_avg"], where: location)
        if object.isEmpty { return nil }
        return RMSpropState(
            step: try loadStep(object, where: location),
            squareAvg: try requireTensor(object, "square_avg", shape: shape, where: location),
            momentumBuffer: try loadTensor(object, "momentum_buffer", shape: shape, where: location),
            gradAvg: try loadTensor(object, "grad_avg", shape: shape, where: location))
    }
}
