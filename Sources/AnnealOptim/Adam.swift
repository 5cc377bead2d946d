import Anneal
import AnnealTensor

/// `torch.optim.Adam` (PyTorch 2.13) over float32 parameters: `betas`, `eps`,
/// `weight_decay` (added to the gradient), `amsgrad` and `maximize`, with
/// PyTorch's defaults, validation and `foreach=False` arithmetic bit for bit.
///
/// ```swift
/// let w = Parameter(Tensor([0.5, -1.25]))
/// let adam = try Adam(parameters: [w], lr: 0.01)
/// w.grad = Tensor([0.25, 1])
/// try adam.step()         // each element moves by lr against its gradient's sign
/// ```
///
/// Per parameter with a gradient (`_single_tensor_adam`): `step += 1`;
/// `g = ±grad + weight_decay * p`; `m = lerp(m, g, 1 - beta1)`;
/// `v = beta2 * v + (1 - beta2) * g * g` (with `amsgrad`, the running maximum
/// of `v` is used below); `p = p - (lr / (1 - beta1^step)) * m /
/// (sqrt(v) / sqrt(1 - beta2^step) + eps)`. Every step reads `lr` and
/// `betas` from ``paramGroups`` (`OneCycleLR` and `CyclicLR` cycle
/// `betas[0]`). A group whose `decoupled_weight_decay` is true decays the
/// parameter instead, as ``AdamW`` does. State per parameter: `step`,
/// `exp_avg`, `exp_avg_sq` and, with `amsgrad`, `max_exp_avg_sq`.
public class Adam: Optimizer {
    private var store = ParameterStore<AdamState>()

    /// `Adam(params, **options)` with param groups (PyTorch names: `lr`,
    /// `betas`, `eps`, `weight_decay`, `amsgrad`, `maximize`).
    public convenience init(_ groups: [ParameterGroup], options: JSONObject = [:]) throws {
        try self.init(.adam, groups: groups, options: options)
    }

    /// Adam or AdamW (which differ in their defaults and in decoupling the
    /// weight decay), as PyTorch's `AdamW` subclasses `Adam`.
    init(_ kind: OptimizerKind, groups: [ParameterGroup], options: JSONObject) throws {
        try super.init(
            kind, options: options, groups: groups.map(\.options), parameterCounts: groups.map(\.parameters.count))
        store = try ParameterStore(groups.map(\.parameters))
        try checkImplementedPath(kind, defaults: defaults)
    }

    /// `Adam(parameters, lr=..., betas=..., ...)` with one group.
    public convenience init(
        parameters: [Parameter], lr: Double = 0.001, betas: (Double, Double) = (0.9, 0.999), eps: Double = 1e-8,
        weightDecay: Double = 0, amsgrad: Bool = false, maximize: Bool = false
    ) throws {
        try self.init(
            .adam, groups: [ParameterGroup(parameters: parameters)],
            options: adamOptions(lr: lr, betas: betas, eps: eps, weightDecay: weightDecay, defaultWeightDecay: 0,
                                 amsgrad: amsgrad, maximize: maximize))
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
        try adamStep(paramGroups, &store, decoupledByDefault: kind == .adamW)
    }
}

/// `torch.optim.AdamW` (PyTorch 2.13): ``Adam`` with decoupled weight decay
/// (`p = p * (1 - lr * weight_decay)` before the update; default
/// `weight_decay` 0.01). Same state, same arithmetic otherwise.
///
/// ```swift
/// let w = Parameter(Tensor([0.5, -1.25]))
/// let adamW = try AdamW(parameters: [w], lr: 0.01, weightDecay: 0.1)
/// ```
public final class AdamW: Adam {
    /// `AdamW(params, **options)` with param groups.
    public convenience init(_ groups: [ParameterGroup], options: JSONObject = [:]) throws {
        try self.init(.adamW, groups: groups, options: options)
    }

    /// `AdamW(parameters, lr=..., betas=..., ...)` with one group.
    public convenience init(
        parameters: [Parameter], lr: Double = 0.001, betas: (Double, Double) = (0.9, 0.999), eps: Double = 1e-8,
        weightDecay: Double = 0.01, amsgrad: Bool = false, maximize: Bool = false
    ) throws {
        try self.init(
            .adamW, groups: [ParameterGroup(parameters: parameters)],
            options: adamOptions(lr: lr, betas: betas, eps: eps, weightDecay: weightDecay, defaultWeightDecay: 0.01,
                                 amsgrad: amsgrad, maximize: maximize))
    }
}

private func adamOptions(
    lr: Double, betas: (Double, Double), eps: Double, weightDecay: Double, defaultWeightDecay: Double, amsgrad: Bool,
    maximize: Bool
) -> JSONObject {
    var options: JSONObject = ["lr": .double(lr)]
    if betas != (0.9, 0.999) { options["betas"] = [.double(betas.0), .double(betas.1)] }
    if eps != 1e-8 { options["eps"] = .double(eps) }
    if weightDecay != defaultWeightDecay { options["weight_decay"] = .double(weightDecay) }
    if amsgrad { options["amsgrad"] = true }
    if maximize { options["maximize"] = true }
    return options
}

/// Adam's `state[p]`.
final class AdamState: ParameterState {
    /// `state["step"]`: a float32 tensor in PyTorch, incremented in float32.
    var step: Float
    var expAvg: [Float]
    var expAvgSq: [Float]
    var maxExpAvgSq: [Float]?

    init(step: Float, expAvg: [Float], expAvgSq: [Float], maxExpAvgSq: [Float]?) {
        self.step = step
        self.expAvg = expAvg
        self.expAvgSq = expAvgSq
        self.maxExpAvgSq = maxExpAvgSq
    }

    /// The lazy initialization: zeros, `max_exp_avg_sq` only with `amsgrad`.
    convenience init(count: Int, amsgrad: Bool) {
        // Separate buffers (not copies of one): the first step writes each.
        self.init(
            step: 0, expAvg: ScalarStorage.filled(0, count: count), expAvgSq: ScalarStorage.filled(0, count: count),
            maxExpAvgSq: amsgrad ? ScalarStorage.filled(0, count: count) : nil)
    }

    func stateDict(shape: [Int]) -> JSONObject {
        var object: JSONObject = [
            "step": .double(Double(step)), "exp_avg": TensorJSON.encode(expAvg, shape: shape),
            "exp_avg_sq": TensorJSON.encode(expAvgSq, shape: shape),
        ]
        if let maxExpAvgSq { object["max_exp_avg_sq"] = TensorJSON.encode(maxExpAvgSq, shape: shape) }
        return object
    }

    var entry: OptimizerStateEntry.Values {
        var tensors = ["step": [step], "exp_avg": expAvg, "exp_avg_sq": expAvgSq]
        if let maxExpAvgSq { tensors["max_exp_avg_sq"] = maxExpAvgSq }
        return .init(tensors: tensors)
    }

    static func load(_ object: OptimizerStateEntry.Values, shape: [Int], where location: String) throws(PythonError) -> AdamState? {
        try checkKeys(
            object, allowed: ["step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq"],
            required: object.isEmpty ? [] : ["step", "exp_avg", "exp_avg_sq"], where: location)
        if object.isEmpty { return nil }
        return AdamState(
            step: try loadStep(object, where: location),
            expAvg: try requireTensor(object, "exp_avg", shape: shape, where: location),
            expAvgSq: try requireTensor(object, "exp_avg_sq", shape: shape, where: location),
            maxExpAvgSq: try loadTensor(object, "max_exp_avg_sq", shape: shape, where: location))
    }
}

/// `Adam.step()` (and `AdamW`'s): per group, PyTorch's `_init_group` (lazy
/// state, the `KeyError` for a missing `max_exp_avg_sq`), then
/// `_single_tensor_adam` per parameter. Keys `__setstate__` fills in when a
/// state dict lacks them take its defaults.
private func adamStep(
    _ paramGroups: [ParamGroup], _ store: inout ParameterStore<AdamState>, decoupledByDefault: Bool
) throws(PythonError) {
    try checkGroupsMatch(paramGroups, store)
    for (index, group) in paramGroups.enumerated() {
        guard let betas = group.betas else { throw .keyError("'betas'") }
        let amsgrad = try group.flag("amsgrad", default: false)
        var work: [(Parameter, Tensor, AdamState)] = []
        for parameter in store.groups[index] {
            guard let grad = try gradient(of: parameter) else { continue }
            let count = parameter.value.count
            let state = store.state(for: parameter) { AdamState(count: count, amsgrad: amsgrad) }
            if amsgrad && state.maxExpAvgSq == nil { throw .keyError("'max_exp_avg_sq'") }
            work.append((parameter, grad, state))
        }
        let lr = try group.number("lr")
        let weightDecay = try group.number("weight_decay")
        let eps = try group.number("eps")
        let maximize = try group.flag("maximize", default: false)
        let decoupled = try group.flag("decoupled_weight_decay", default: decoupledByDefault)
        for (parameter, grad, state) in work {
            let count = parameter.value.count
            try checkCount(state.expAvg, count, "exp_avg", parameter)
            try checkCount(state.expAvgSq, count, "exp_avg_sq", parameter)
            if amsgrad { try checkCount(state.maxExpAvgSq!, count, "max_exp_avg_sq", parameter) }
            state.step += 1
            let step = Double(state.step)
            // Python floats: `1 - beta1 ** step`, `lr / bias_correction1`, `bias_correction2 ** 0.5`.
            let biasCorrection1 = 1 - (try PyFloat.pow(betas.beta1, step))
            let biasCorrection2 = 1 - (try PyFloat.pow(betas.beta2, step))
            let stepSize = try PyFloat.divide(lr, biasCorrection1)
            let biasCorrection2Sqrt = try PyFloat.pow(biasCorrection2, 0.5)
            let scalars = AdamScalars(
                maximize: maximize,
                coupledWeightDecay: weightDecay != 0 && !decoupled ? Float(weightDecay) : nil,
                decoupledDecay: weightDecay != 0 && decoupled ? Float(1 - lr * weightDecay) : nil,
                lerp: Lerp(weight: 1 - betas.beta1), beta2: Float(betas.beta2), oneMinusBeta2: Float(1 - betas.beta2),
                biasCorrection2Sqrt: Float(biasCorrection2Sqrt), eps: Float(eps), negativeStepSize: Float(-stepSize))
            guard count > 0 else { continue }
            grad.withUnsafeBufferPointer { g in
                parameter.value.withUnsafeMutableBufferPointer { p in
                    state.expAvg.withUnsafeMutableBufferPointer { m in
                        state.expAvgSq.withUnsafeMutableBufferPointer { v in
                            if amsgrad {
                                state.maxExpAvgSq!.withUnsafeMutableBufferPointer { mx in
                                    AdamKernel.run(
                                        scalars, count: count, param: p.baseAddress!, grad: g.baseAddress!,
                                        expAvg: m.baseAddress!, expAvgSq: v.baseAddress!, maxExpAvgSq: mx.baseAddress!)
                                }
                            } else {
                                AdamKernel.run(
                                    scalars, count: count, param: p.baseAddress!, grad: g.baseAddress!,
                                    expAvg: m.baseAddress!, expAvgSq: v.baseAddress!, maxExpAvgSq: nil)
                            }
                        }
                    }
                }
            }
        }
    }
}
