import Anneal
import AnnealTensor

/// `torch.optim.NAdam` (PyTorch 2.13) over float32 parameters: `betas`,
/// `eps`, `weight_decay`, `momentum_decay`, `decoupled_weight_decay` and
/// `maximize`, with PyTorch's defaults, validation and `foreach=False`
/// arithmetic bit for bit.
///
/// ```swift
/// let w = Parameter(Tensor([0.5, -1.25]))
/// let nadam = try NAdam(parameters: [w], lr: 0.002, momentumDecay: 0.004)
/// ```
///
/// Per parameter with a gradient (`_single_tensor_nadam`): `step += 1`;
/// weight decay (`p *= 1 - lr * wd` when decoupled, else `g += wd * p`);
/// `mu = beta1 * (1 - 0.5 * 0.96^(step * momentum_decay))` and `mu_next`
/// at `step + 1` (Python floats); `mu_product *= mu` (a float32 tensor);
/// `m = lerp(m, g, 1 - beta1)`; `v = beta2 * v + (1 - beta2) * g * g`;
/// `denom = sqrt(v / (1 - beta2^step)) + eps`;
/// `p -= lr * (1 - mu) / (1 - mu_product) * g / denom`, then
/// `p -= lr * mu_next / (1 - mu_product * mu_next) * m / denom`.
/// State per parameter: `step`, `mu_product`, `exp_avg`, `exp_avg_sq`.
///
/// The Python-double scalars are computed per parameter in Swift; the
/// elementwise pass is one vector loop in C (`Sources/COptimSupport/nadam_kernel.c`,
/// AVX-512 or AVX2 and FMA, chosen at run time, with the CPU's `rsqrtps`
/// for MKL's square root) where the CPU allows (`Kernels.NAdam.runsInC`), else
/// the scalar loop it reproduces bit for bit (`Kernels.NAdam.scalarLoop`).
public final class NAdam: TensorOptimizer<NAdamState> {
    /// `NAdam(params, **options)` with param groups (PyTorch names: `lr`,
    /// `betas`, `eps`, `weight_decay`, `momentum_decay`,
    /// `decoupled_weight_decay`, `maximize`).
    public init(_ groups: [ParameterGroup], options: JSONObject = [:]) throws {
        try super.init(.nAdam, groups: groups, options: options)
    }

    /// `NAdam(parameters, lr=..., ...)` with one group; an argument left out
    /// takes PyTorch's default (``OptimizerKind/defaultOptions``).
    public convenience init(
        parameters: [Parameter], lr: Double? = nil, betas: (Double, Double)? = nil, eps: Double? = nil,
        weightDecay: Double? = nil, momentumDecay: Double? = nil, decoupledWeightDecay: Bool? = nil,
        maximize: Bool? = nil
    ) throws {
        let arguments = ConvenienceArguments(
            .nAdam, numbers: ["lr": lr, "eps": eps, "weight_decay": weightDecay, "momentum_decay": momentumDecay],
            flags: ["decoupled_weight_decay": decoupledWeightDecay, "maximize": maximize], pairs: ["betas": betas])
        try self.init([ParameterGroup(parameters: parameters)], options: arguments.options)
    }

    /// The ops of `_single_tensor_nadam` that can raise, in order:
    /// `bias_correction2`'s Python `**`, `grad.add(param, alpha=weight_decay)`,
    /// `mu` and `mu_next`'s `**` (after the decoupled `param.mul_`),
    /// `exp_avg.lerp_(grad, 1 - beta1)` (after `mu_product *= mu`),
    /// `exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)`, then
    /// each `param.addcdiv_` with its Python value. (`param.mul_`,
    /// `mu_product *= mu`, `mul_(beta2)`, `div(bias_correction2)` and
    /// `add_(eps)` do not check.)
    enum Stage { case biasCorrection2, weightDecay, mu, lerp, addcmul, gradUpdate, expAvgUpdate }

    /// Per group, `_init_group` then `_single_tensor_nadam` per parameter.
    /// An op that raises does so where PyTorch's does: this parameter's step
    /// counted, its `mu_product`, buffers and parameter as far as PyTorch got.
    public override func performStep() throws {
        for (group, parameters) in try groupsWithParameters() {
            guard let betas = group.betas else { throw PythonError.keyError("'betas'") }
            let work = try initGroup(parameters) { NAdamState(count: $0) }
            let lr = try group.number("lr"), weightDecay = try group.number("weight_decay")
            let momentumDecay = try group.number("momentum_decay"), eps = try group.number("eps")
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
                let biasCorrection2 = checks.python(.biasCorrection2, fallback: 1) { () throws(PythonError) in
                    1 - (try PyFloat.pow(beta2, step))
                }
                let decay: Float? = weightDecay == 0 ? nil : decoupled ? Float(1 - lr * weightDecay) : nil
                let coupled = weightDecay != 0 && !decoupled ? checks.checked(weightDecay, at: .weightDecay) : 0
                let mu = checks.python(.mu, fallback: 0) { () throws(PythonError) in
                    beta1 * (1 - 0.5 * (try PyFloat.pow(0.96, step * momentumDecay)))
                }
                let muNext = checks.python(.mu, fallback: 0) { () throws(PythonError) in
                    beta1 * (1 - 0.5 * (try PyFloat.pow(0.96, (step + 1) * momentumDecay)))
                }
                if checks.failure == nil { state.muProduct *= Float(mu) }
                let weight = checks.checked(1 - beta1, at: .lerp)
                let beta2F = Float(beta2), oneMinusBeta2 = checks.checked(1 - beta2, at: .addcmul)
                let biasCorrection2F = Float(biasCorrection2)
                let muProductNext = Double(state.muProduct) * muNext
                let epsilon = Float(eps)
                let gradValue64 = checks.python(.gradUpdate, fallback: 0) { () throws(PythonError) in
                    try PyFloat.divide(-lr * (1 - mu), 1 - Double(state.muProduct))
                }
                let gradValue = checks.checked(gradValue64, at: .gradUpdate)
                let avgValue64 = checks.python(.expAvgUpdate, fallback: 0) { () throws(PythonError) in
                    try PyFloat.divide(-lr * muNext, 1 - muProductNext)
                }
                let avgValue = checks.checked(avgValue64, at: .expAvgUpdate)
                let scalars = Kernels.NAdam.Scalars(
                    maximize: maximize, coupledWeightDecay: weightDecay != 0 && !decoupled ? coupled : nil,
                    decoupledDecay: decay, lerpWeight: weight, beta2: beta2F, oneMinusBeta2: oneMinusBeta2,
                    biasCorrection2: biasCorrection2F, eps: epsilon, gradValue: gradValue, expAvgValue: avgValue)
                let stage = checks.failure?.stage
                withElements(parameter, grad, &state.expAvg, &state.expAvgSq) { p, g, m, v in
                    guard count > 0 else { return }
                    let (param, gradient, expAvg, expAvgSq) = (p.baseAddress!, g.baseAddress!, m.baseAddress!, v.baseAddress!)
                    // The whole update, or (when the second addcdiv_ raises) all but it.
                    let run = { (expAvgUpdate: Bool) in
                        Kernels.NAdam.scalarLoop(
                            scalars, count: count, param: param, grad: gradient, expAvg: expAvg, expAvgSq: expAvgSq,
                            expAvgUpdate: expAvgUpdate)
                    }
                    let sign = scalars.sign
                    switch stage {
                    case nil:
                        Kernels.NAdam.run(scalars, count: count, param: param, grad: gradient, expAvg: expAvg, expAvgSq: expAvgSq)
                    case .biasCorrection2, .weightDecay: break
                    case .mu, .lerp:
                        if let decay { for i in 0..<count { p[i] = p[i] * decay } }
                    case .addcmul:
                        for i in 0..<count {
                            var gi = g[i] * sign
                            if let decay { p[i] = p[i] * decay }
                            if weightDecay != 0 && !decoupled { gi = gi.addingProduct(p[i], coupled) }
                            m[i] = Kernels.Element.lerp(m[i], gi, weight: weight)
                            v[i] = v[i] * beta2F
                        }
                    case .gradUpdate:
                        Kernels.restoring([param], count: count) { run(false) }
                        if let decay { for i in 0..<count { p[i] = p[i] * decay } }
                    case .expAvgUpdate: run(false)
                    }
                }
                if let failure = checks.failure { throw failure.error }
            }
        }
    }
}

/// NAdam's `state[p]`.
public final class NAdamState: TensorOptimizerState {
    /// `state["step"]` and `state["mu_product"]`, 0-dim float32 tensors in PyTorch.
    var step: Float = 0
    var muProduct: Float = 1
    var expAvg: [Float] = []
    var expAvgSq: [Float] = []

    public init() {}

    /// The lazy initialization: `mu_product` 1, zeros.
    convenience init(count: Int) {
        self.init()
        expAvg = ScalarStorage.filled(0, count: count)
        expAvgSq = ScalarStorage.filled(0, count: count)
    }

    public static var fields: [TensorStateField<NAdamState>] {
        [.step(\.step), .scalar("mu_product", \.muProduct), .tensor("exp_avg", \.expAvg), .tensor("exp_avg_sq", \.expAvgSq)]
    }
}
