import Anneal
import AnnealTensor

/// `torch.optim.Adagrad` (PyTorch 2.13) over float32 parameters: `lr_decay`,
/// `weight_decay`, `initial_accumulator_value`, `eps` and `maximize`, with
/// PyTorch's defaults, validation and `foreach=False` arithmetic bit for bit.
///
/// ```swift
/// let w = Parameter(Tensor([0.5, -1.25]))
/// let adagrad = try Adagrad(parameters: [w], lr: 0.1, lrDecay: 0.01)
/// ```
///
/// Per parameter with a gradient (`_single_tensor_adagrad`): `step += 1`;
/// `g = ±grad + weight_decay * p`; `clr = lr / (1 + (step - 1) * lr_decay)`
/// (Python floats); `sum += g * g`; `p -= clr * g / (sqrt(sum) + eps)`.
/// Unlike the other optimizers, PyTorch makes the state (`step` 0 and `sum`
/// filled with the constructor's `initial_accumulator_value`) for every
/// parameter in the constructor. Sparse gradients are out of scope.
public final class Adagrad: TensorOptimizer<AdagradState> {
    /// `Adagrad(params, **options)` with param groups (PyTorch names: `lr`,
    /// `lr_decay`, `weight_decay`, `initial_accumulator_value`, `eps`, `maximize`).
    public init(_ groups: [ParameterGroup], options: JSONObject = [:]) throws {
        try super.init(.adagrad, groups: groups, options: options)
        for parameter in indexedParameters where store.state(for: parameter) == nil {
            store.setState(try makeState(count: parameter.value.count), for: parameter)
        }
    }

    /// `Adagrad(parameters, lr=..., ...)` with one group; an argument left
    /// out takes PyTorch's default (``OptimizerKind/defaultOptions``).
    public convenience init(
        parameters: [Parameter], lr: Double? = nil, lrDecay: Double? = nil, weightDecay: Double? = nil,
        initialAccumulatorValue: Double? = nil, eps: Double? = nil, maximize: Bool? = nil
    ) throws {
        let arguments = ConvenienceArguments(
            .adagrad,
            numbers: [
                "lr": lr, "lr_decay": lrDecay, "weight_decay": weightDecay,
                "initial_accumulator_value": initialAccumulatorValue, "eps": eps,
            ], flags: ["maximize": maximize])
        try self.init([ParameterGroup(parameters: parameters)], options: arguments.options)
    }

    /// A fresh state: `torch.full_like(p, defaults["initial_accumulator_value"])`
    /// (a checked conversion; group overrides of the value are ignored, as in PyTorch).
    private func makeState(count: Int) throws(PythonError) -> AdagradState {
        let initial = try Kernels.float32Scalar(defaults["initial_accumulator_value"]?.doubleValue ?? 0)
        let state = AdagradState()
        state.sum = ScalarStorage.filled(initial, count: count)
        return state
    }

    /// The ops of `_single_tensor_adagrad` that can raise, in order:
    /// `grad.add(param, alpha=weight_decay)`, `clr`'s Python division, and
    /// `param.addcdiv_(grad, std, value=-clr)` (after `state_sum.addcmul_`
    /// wrote the sum). (`std.add_(eps)` does not check.)
    enum Stage { case weightDecay, clr, update }

    /// Per group, `_init_group` then `_single_tensor_adagrad` per parameter.
    /// An op that raises does so where PyTorch's does: the parameters before
    /// it in the group updated, this one's step counted and its sum written
    /// when only the update's scalar is out of range.
    public override func performStep() throws {
        for (group, parameters) in try groupsWithParameters() {
            let work = try initGroup(parameters) { (count) throws(PythonError) in try makeState(count: count) }
            let lr = try group.number("lr"), weightDecay = try group.number("weight_decay")
            let lrDecay = try group.number("lr_decay"), eps = try group.number("eps")
            let maximize = try group.flag("maximize", default: false)
            for (parameter, grad, state) in work {
                let count = parameter.value.count
                try checkCount(state.sum, count, "sum", parameter)
                state.step += 1
                let step = Double(state.step)
                var checks = Kernels.ScalarChecks<Stage>()
                let decay: Float? = weightDecay != 0 ? checks.checked(weightDecay, at: .weightDecay) : nil
                let clr = checks.python(.clr, fallback: 0) { () throws(PythonError) in
                    try PyFloat.divide(lr, 1 + (step - 1) * lrDecay)
                }
                let scalars = Kernels.Adagrad.Scalars(
                    maximize: maximize, weightDecay: decay, eps: Float(eps), negativeCLR: checks.checked(-clr, at: .update))
                if let failure = checks.failure, failure.stage != .update { throw failure.error }
                if count > 0 {
                    withElements(parameter, grad, &state.sum) { p, g, sum in
                        let param = p.baseAddress!, grad = g.baseAddress!, sum = sum.baseAddress!
                        if checks.failure == nil {
                            Kernels.Adagrad.run(scalars, count: count, param: param, grad: grad, sum: sum)
                        } else {
                            // Only the update's scalar can fail here: the sum is written.
                            Kernels.restoring([param], count: count) {
                                Kernels.Adagrad.scalarLoop(scalars, count: count, param: param, grad: grad, sum: sum)
                            }
                        }
                    }
                }
                if let failure = checks.failure { throw failure.error }
            }
        }
    }
}

/// Adagrad's `state[p]`.
public final class AdagradState: TensorOptimizerState {
    /// `state["step"]`, a float32 tensor in PyTorch.
    var step: Float = 0
    var sum: [Float] = []

    public init() {}

    public static var fields: [TensorStateField<AdagradState>] { [.step(\.step), .tensor("sum", \.sum)] }
}
