import Anneal
import AnnealTensor

/// `torch.optim.ASGD` (PyTorch 2.13) over float32 parameters: `lambd`,
/// `alpha`, `t0`, `weight_decay` and `maximize`, with PyTorch's defaults,
/// validation and `foreach=False` arithmetic bit for bit.
///
/// ```swift
/// let w = Parameter(Tensor([0.5, -1.25]))
/// let asgd = try ASGD(parameters: [w], lr: 0.01, t0: 10)
/// ```
///
/// Per parameter with a gradient (`_single_tensor_asgd`): `step += 1`;
/// `g = ±grad + weight_decay * p`; `p *= 1 - lambd * eta`; `p -= eta * g`;
/// `ax += (p - ax) * mu` (or `ax = p` when `mu` is 1); then, in Python
/// floats, `eta = lr / (1 + lambd * lr * step)^alpha` and
/// `mu = 1 / max(1, step - t0)`, stored as 0-dim float32 tensors.
/// State per parameter: `step`, `eta` (starts at `lr`), `mu` (1), `ax`.
public final class ASGD: TensorOptimizer<ASGDState> {
    /// `ASGD(params, **options)` with param groups (PyTorch names: `lr`,
    /// `lambd`, `alpha`, `t0`, `weight_decay`, `maximize`).
    public init(_ groups: [ParameterGroup], options: JSONObject = [:]) throws {
        try super.init(.asgd, groups: groups, options: options)
    }

    /// `ASGD(parameters, lr=..., ...)` with one group; an argument left out
    /// takes PyTorch's default (``OptimizerKind/defaultOptions``).
    public convenience init(
        parameters: [Parameter], lr: Double? = nil, lambd: Double? = nil, alpha: Double? = nil, t0: Double? = nil,
        weightDecay: Double? = nil, maximize: Bool? = nil
    ) throws {
        let arguments = ConvenienceArguments(
            .asgd, numbers: ["lr": lr, "lambd": lambd, "alpha": alpha, "t0": t0, "weight_decay": weightDecay],
            flags: ["maximize": maximize])
        try self.init([ParameterGroup(parameters: parameters)], options: arguments.options)
    }

    /// Per group, `_init_group` (a new state's `eta` is `torch.as_tensor(lr)`),
    /// the options, then `_single_tensor_asgd` per parameter.
    public override func performStep() throws {
        for (group, parameters) in try groupsWithParameters() {
            let work = try initGroup(parameters) { (count) throws(PythonError) in
                ASGDState(count: count, eta: Float(try group.number("lr")))
            }
            let lambd = try group.number("lambd"), lr = try group.number("lr"), t0 = try group.number("t0")
            let alpha = try group.number("alpha"), weightDecay = try group.number("weight_decay")
            let maximize = try group.flag("maximize", default: false)
            for (parameter, grad, state) in work {
                let count = parameter.value.count
                try checkCount(state.ax, count, "ax", parameter)
                state.step += 1
                let decay = weightDecay != 0 ? try Kernels.float32Scalar(weightDecay) : 0
                let eta = Double(state.eta)
                let shrink = Float(1 - lambd * eta)
                let negativeEta = try Kernels.float32Scalar(-eta)
                let scalars = Kernels.ASGD.Scalars(
                    maximize: maximize, weightDecay: weightDecay != 0 ? decay : nil, shrink: shrink,
                    negativeEta: negativeEta, mu: state.mu)
                withElements(parameter, grad, &state.ax) { p, g, ax in Kernels.ASGD.run(scalars, p, g, ax) }
                let step = Double(state.step)
                let base = 1 + lambd * lr * step
                if base < 0, base.isFinite, alpha.isFinite, alpha != alpha.rounded(.down) {
                    // Python's `**` is complex here: `as_tensor` makes a complex64
                    // tensor and `eta.copy_` keeps its real part (with a warning).
                    state.eta = Float(try PyFloat.divideReal(lr, by: try PyFloat.complexPow(base, alpha)))
                } else {
                    state.eta = Float(try PyFloat.divide(lr, try PyFloat.pow(base, alpha)))
                }
                state.mu = Float(try PyFloat.divide(1, max(1, step - t0)))
            }
        }
    }
}

/// ASGD's `state[p]`.
public final class ASGDState: TensorOptimizerState {
    /// `state["step"]`, `state["eta"]`, `state["mu"]`: 0-dim float32 tensors in PyTorch.
    var step: Float = 0
    var eta: Float = 0
    var mu: Float = 1
    var ax: [Float] = []

    public init() {}

    /// The lazy initialization: `eta` the group's `lr`, `mu` 1, `ax` zeros.
    convenience init(count: Int, eta: Float) {
        self.init()
        self.eta = eta
        ax = ScalarStorage.filled(0, count: count)
    }

    public static var fields: [TensorStateField<ASGDState>] {
        [.step(\.step), .scalar("eta", \.eta), .scalar("mu", \.mu), .tensor("ax", \.ax)]
    }
}
