import Anneal
import AnnealTensor

/// `torch.optim.RAdam` (PyTorch 2.13) over float32 parameters: `betas`,
/// `eps`, `weight_decay`, `decoupled_weight_decay` and `maximize`, with
/// PyTorch's defaults, validation and `foreach=False` arithmetic bit for bit.
///
/// ```swift
/// let w = Parameter(Tensor([0.5, -1.25]))
/// let radam = try RAdam(parameters: [w], lr: 0.001)
/// ```
///
/// Per parameter with a gradient (`_single_tensor_radam`): `step += 1`;
/// weight decay (`p *= 1 - lr * wd` when decoupled, else `g += wd * p`);
/// `m = lerp(m, g, 1 - beta1)`; `v = beta2 * v + (1 - beta2) * g * g`;
/// `rho_inf = 2 / (1 - beta2) - 1`, `rho_t = rho_inf - 2 step beta2^step /
/// (1 - beta2^step)` (Python floats); when `rho_t > 5`,
/// `p -= m / bc1 * lr * (sqrt(bc2) / (sqrt(v) + eps)) * rect` with the
/// rectification `rect = sqrt((rho_t - 4)(rho_t - 2) rho_inf /
/// ((rho_inf - 4)(rho_inf - 2) rho_t))`, else `p -= m / bc1 * lr`.
/// State per parameter: `step`, `exp_avg`, `exp_avg_sq`.
///
/// The Python-double scalars are computed per parameter in Swift; the
/// elementwise pass is one vector loop in C (`Sources/COptimSupport/radam_kernel.c`,
/// AVX-512 or AVX2 and FMA, chosen at run time, with the CPU's `rsqrtps`
/// for MKL's square root) where the CPU allows (`Kernels.RAdam.runsInC`), else
/// the scalar loop it reproduces bit for bit (`Kernels.RAdam.scalarLoop`).
public final class RAdam: TensorOptimizer<RAdamState> {
    /// `RAdam(params, **options)` with param groups (PyTorch names: `lr`,
    /// `betas`, `eps`, `weight_decay`, `decoupled_weight_decay`, `maximize`).
    public init(_ groups: [ParameterGroup], options: JSONObject = [:]) throws {
        try super.init(.rAdam, groups: groups, options: options)
    }

    /// `RAdam(parameters, lr=..., ...)` with one group; an argument left out
    /// takes PyTorch's default (``OptimizerKind/defaultOptions``).
    public convenience init(
        parameters: [Parameter], lr: Double? = nil, betas: (Double, Double)? = nil, eps: Double? = nil,
        weightDecay: Double? = nil, decoupledWeightDecay: Bool? = nil, maximize: Bool? = nil
    ) throws {
        let arguments = ConvenienceArguments(
            .rAdam, numbers: ["lr": lr, "eps": eps, "weight_decay": weightDecay],
            flags: ["decoupled_weight_decay": decoupledWeightDecay, "maximize": maximize], pairs: ["betas": betas])
        try self.init([ParameterGroup(parameters: parameters)], options: arguments.options)
    }

    /// The ops of `_single_tensor_radam` that can raise, in order:
    /// `grad.add(param, alpha=weight_decay)`, `exp_avg.lerp_(grad, 1 -
    /// beta1)` (after the decoupled `param.mul_`), `exp_avg_sq.mul_(beta2)
    /// .addcmul_(grad, grad, value=1 - beta2)`, then the Python arithmetic
    /// of the bias corrections, `rho_t` and `rect` (after both moments), and
    /// `param.add_` of an update made complex by a negative `** 0.5`.
    /// (`param.mul_`, `mul_(beta2)`, the products by `lr` and `rect`, and
    /// `add_(eps)` do not check; the update's `alpha=-1.0` always converts.)
    enum Stage { case weightDecay, lerp, addcmul, rectification }

    /// Per group, `_init_group`, the options in `step()`'s order, then
    /// `_single_tensor_radam` per parameter. An op that raises does so where
    /// PyTorch's does: this parameter's step counted, its buffers and
    /// parameter as far as PyTorch got.
    public override func performStep() throws {
        for (group, parameters) in try groupsWithParameters() {
            guard let betas = group.betas else { throw PythonError.keyError("'betas'") }
            let work = try initGroup(parameters) { RAdamState(count: $0) }
            let lr = try group.number("lr"), weightDecay = try group.number("weight_decay")
            let eps = try group.number("eps")
            let maximize = try group.flag("maximize", default: false)
            let decoupled = try group.flag("decoupled_weight_decay", default: false)
            let beta1 = betas.beta1, beta2 = betas.beta2
            for (parameter, grad, state) in work {
                let count = parameter.value.count
                try checkCount(state.expAvg, count, "exp_avg", parameter)
                try checkCount(state.expAvgSq, count, "exp_avg_sq", parameter)
                state.step += 1
                let step = Double(state.step)
                var checks = Kernels.ScalarChecks<Stage>()
                let decay: Float? = weightDecay != 0 && decoupled ? Float(1 - lr * weightDecay) : nil
                let coupled = weightDecay != 0 && !decoupled ? checks.checked(weightDecay, at: .weightDecay) : 0
                let weight = checks.checked(1 - beta1, at: .lerp)
                let beta2F = Float(beta2), oneMinusBeta2 = checks.checked(1 - beta2, at: .addcmul)
                // `rect` and `bias_correction2 ** 0.5` only when rectified, as Python evaluates them.
                var biasCorrection1 = 1.0
                var rectified: (rect: Float, biasCorrection2Sqrt: Float)?
                _ = checks.python(.rectification, fallback: 0) { () throws(PythonError) in
                    biasCorrection1 = 1 - (try PyFloat.pow(beta1, step))
                    let beta2Power = try PyFloat.pow(beta2, step)
                    let biasCorrection2 = 1 - beta2Power
                    let rhoInf = try PyFloat.divide(2, 1 - beta2) - 1
                    let rhoT = rhoInf - (try PyFloat.divide(2 * step * beta2Power, biasCorrection2))
                    if rhoT > 5 {
                        // `** 0.5` of a finite negative number is complex in Python (no
                        // error): the update tensor is then complex, and `param.add_` refuses it.
                        let isComplex = { (x: Double) in x < 0 && x.isFinite }
                        let biasCorrection2Sqrt = isComplex(biasCorrection2) ? nil : try PyFloat.pow(biasCorrection2, 0.5)
                        let ratio = try PyFloat.divide(
                            (rhoT - 4) * (rhoT - 2) * rhoInf, (rhoInf - 4) * (rhoInf - 2) * rhoT)
                        guard let biasCorrection2Sqrt, !isComplex(ratio) else {
                            throw .runtimeError("result type ComplexFloat can't be cast to the desired output type Float")
                        }
                        rectified = (Float(try PyFloat.pow(ratio, 0.5)), Float(biasCorrection2Sqrt))
                    }
                    return 0
                }
                let scalars = Kernels.RAdam.Scalars(
                    maximize: maximize, coupledWeightDecay: weightDecay != 0 && !decoupled ? coupled : nil,
                    decoupledDecay: decay, lerpWeight: weight, beta2: beta2F, oneMinusBeta2: oneMinusBeta2,
                    biasCorrection1: Float(biasCorrection1), lr: Float(lr), eps: Float(eps), rectification: rectified)
                let stage = checks.failure?.stage
                withElements(parameter, grad, &state.expAvg, &state.expAvgSq) { p, g, m, v in
                    guard count > 0 else { return }
                    let (param, gradient, expAvg, expAvgSq) = (p.baseAddress!, g.baseAddress!, m.baseAddress!, v.baseAddress!)
                    let sign = scalars.sign
                    switch stage {
                    case nil:
                        Kernels.RAdam.run(scalars, count: count, param: param, grad: gradient, expAvg: expAvg, expAvgSq: expAvgSq)
                    case .weightDecay: break
                    case .lerp:
                        if let decay { for i in 0..<count { p[i] = p[i] * decay } }
                    case .addcmul:
                        for i in 0..<count {
                            var gi = g[i] * sign
                            if let decay { p[i] = p[i] * decay }
                            if weightDecay != 0 && !decoupled { gi = gi.addingProduct(p[i], coupled) }
                            m[i] = Kernels.Element.lerp(m[i], gi, weight: weight)
                            v[i] = v[i] * beta2F
                        }
                    case .rectification:
                        Kernels.restoring([param], count: count) {
                            Kernels.RAdam.scalarLoop(
                                scalars, count: count, param: param, grad: gradient, expAvg: expAvg, expAvgSq: expAvgSq)
                        }
                        if let decay { for i in 0..<count { p[i] = p[i] * decay } }
                    }
                }
                if let failure = checks.failure { throw failure.error }
            }
        }
    }
}

/// RAdam's `state[p]`.
public final class RAdamState: TensorOptimizerState {
    /// `state["step"]`, a float32 tensor in PyTorch.
    var step: Float = 0
    var expAvg: [Float] = []
    var expAvgSq: [Float] = []

    public init() {}

    /// The lazy initialization: zeros.
    convenience init(count: Int) {
        self.init()
        expAvg = ScalarStorage.filled(0, count: count)
        expAvgSq = ScalarStorage.filled(0, count: count)
    }

    public static var fields: [TensorStateField<RAdamState>] {
        [.step(\.step), .tensor("exp_avg", \.expAvg), .tensor("exp_avg_sq", \.expAvgSq)]
    }
}
