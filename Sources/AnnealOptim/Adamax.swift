import Anneal
import AnnealTensor

/// `torch.optim.Adamax` (PyTorch 2.13) over float32 parameters: `betas`,
/// `eps`, `weight_decay` and `maximize`, with PyTorch's defaults, validation
/// and `foreach=False` arithmetic bit for bit.
///
/// ```swift
/// let w = Parameter(Tensor([0.5, -1.25]))
/// let adamax = try Adamax(parameters: [w], lr: 0.002)
/// ```
///
/// Per parameter with a gradient (`_single_tensor_adamax`): `step += 1`;
/// `g = ±grad + weight_decay * p`; `m = lerp(m, g, 1 - beta1)`;
/// `u = max(beta2 * u, |g| + eps)`; `p -= (lr / (1 - beta1^step)) * m / u`.
/// `OneCycleLR` and `CyclicLR` cycle `betas[0]`. State per parameter:
/// `step`, `exp_avg`, `exp_inf`.
public final class Adamax: TensorOptimizer<AdamaxState> {
    /// `Adamax(params, **options)` with param groups (PyTorch names: `lr`,
    /// `betas`, `eps`, `weight_decay`, `maximize`).
    public init(_ groups: [ParameterGroup], options: JSONObject = [:]) throws {
        try super.init(.adamax, groups: groups, options: options)
    }

    /// `Adamax(parameters, lr=..., ...)` with one group; an argument left
    /// out takes PyTorch's default (``OptimizerKind/defaultOptions``).
    public convenience init(
        parameters: [Parameter], lr: Double? = nil, betas: (Double, Double)? = nil, eps: Double? = nil,
        weightDecay: Double? = nil, maximize: Bool? = nil
    ) throws {
        let arguments = ConvenienceArguments(
            .adamax, numbers: ["lr": lr, "eps": eps, "weight_decay": weightDecay], flags: ["maximize": maximize],
            pairs: ["betas": betas])
        try self.init([ParameterGroup(parameters: parameters)], options: arguments.options)
    }

    /// The ops of `_single_tensor_adamax` that can raise, in order:
    /// `grad.add(param, alpha=weight_decay)`, `exp_avg.lerp_(grad, 1 -
    /// beta1)`, `clr`'s Python arithmetic and `param.addcdiv_(exp_avg,
    /// exp_inf, value=-clr)` (the last two after both moments were written).
    /// (`exp_inf.mul_(beta2)` and `add_(eps)` do not check.)
    enum Stage { case weightDecay, lerp, clr, update }

    /// Per group, the options in `step()`'s order, `_init_group`, then
    /// `_single_tensor_adamax` per parameter. An op that raises does so
    /// where PyTorch's does: this parameter's step counted and its moments
    /// written when the failure comes after them.
    public override func performStep() throws {
        for (group, parameters) in try groupsWithParameters() {
            guard let betas = group.betas else { throw PythonError.keyError("'betas'") }
            let eps = try group.number("eps"), lr = try group.number("lr")
            let weightDecay = try group.number("weight_decay")
            let maximize = try group.flag("maximize", default: false)
            let work = try initGroup(parameters) { AdamaxState(count: $0) }
            for (parameter, grad, state) in work {
                let count = parameter.value.count
                try checkCount(state.expAvg, count, "exp_avg", parameter)
                try checkCount(state.expInf, count, "exp_inf", parameter)
                state.step += 1
                let step = Double(state.step)
                var checks = Kernels.ScalarChecks<Stage>()
                let decay = weightDecay != 0 ? checks.checked(weightDecay, at: .weightDecay) : 0
                let weight = checks.checked(1 - betas.beta1, at: .lerp)
                let clr = checks.python(.clr, fallback: 0) { () throws(PythonError) in
                    try PyFloat.divide(lr, 1 - (try PyFloat.pow(betas.beta1, step)))
                }
                let scalars = Kernels.Adamax.Scalars(
                    maximize: maximize, weightDecay: weightDecay != 0 ? decay : nil, lerpWeight: weight,
                    beta2: Float(betas.beta2), eps: Float(eps), negativeCLR: checks.checked(-clr, at: .update))
                withElements(parameter, grad, &state.expAvg, &state.expInf) { p, g, m, u in
                    switch checks.failure?.stage {
                    case nil: Kernels.Adamax.run(scalars, p, g, m, u)
                    case .weightDecay, .lerp: break
                    case .clr, .update:
                        // The moments are written, the parameter is not.
                        Kernels.restoring([p.baseAddress], count: count) { Kernels.Adamax.scalarLoop(scalars, p, g, m, u) }
                    }
                }
                if let failure = checks.failure { throw failure.error }
            }
        }
    }
}

/// Adamax's `state[p]`.
public final class AdamaxState: TensorOptimizerState {
    /// `state["step"]`, a float32 tensor in PyTorch.
    var step: Float = 0
    var expAvg: [Float] = []
    var expInf: [Float] = []

    public init() {}

    /// The lazy initialization: zeros.
    convenience init(count: Int) {
        self.init()
        expAvg = ScalarStorage.filled(0, count: count)
        expInf = ScalarStorage.filled(0, count: count)
    }

    public static var fields: [TensorStateField<AdamaxState>] {
        [.step(\.step), .tensor("exp_avg", \.expAvg), .tensor("exp_inf", \.expInf)]
    }
}
