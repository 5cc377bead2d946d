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
public class Adam: TensorOptimizer<AdamState> {
    /// `Adam(params, **options)` with param groups (PyTorch names: `lr`,
    /// `betas`, `eps`, `weight_decay`, `amsgrad`, `maximize`); on ``AdamW``,
    /// `AdamW(params, **options)`.
    public convenience init(_ groups: [ParameterGroup], options: JSONObject = [:]) throws {
        try self.init(Self.pyTorchKind, groups: groups, options: options)
    }

    /// Which of the two the class is: what its initialisers build (``AdamW``
    /// inherits them, with its own defaults).
    class var pyTorchKind: OptimizerKind { .adam }

    /// Adam or AdamW (which differ in their defaults and in decoupling the
    /// weight decay), as PyTorch's `AdamW` subclasses `Adam`.
    override init(_ kind: OptimizerKind, groups: [ParameterGroup], options: JSONObject) throws {
        try super.init(kind, groups: groups, options: options)
    }

    /// `Adam(parameters, lr=..., betas=..., ...)` with one group (on
    /// ``AdamW``, `AdamW(...)`); an argument left out takes PyTorch's default
    /// (``OptimizerKind/defaultOptions``: AdamW's `weight_decay` is 0.01).
    public convenience init(
        parameters: [Parameter], lr: Double? = nil, betas: (Double, Double)? = nil, eps: Double? = nil,
        weightDecay: Double? = nil, amsgrad: Bool? = nil, maximize: Bool? = nil
    ) throws {
        let arguments = ConvenienceArguments(
            Self.pyTorchKind, numbers: ["lr": lr, "eps": eps, "weight_decay": weightDecay],
            flags: ["amsgrad": amsgrad, "maximize": maximize], pairs: ["betas": betas])
        try self.init(Self.pyTorchKind, groups: [ParameterGroup(parameters: parameters)], options: arguments.options)
    }

    /// What `step()` reads of a group before `_init_group` (which makes the
    /// lazy state): `betas` (a `KeyError` when missing) and `amsgrad`.
    struct InitOptions {
        var betas: ParamGroup.Betas
        var amsgrad: Bool

        init(_ group: ParamGroup) throws(PythonError) {
            guard let betas = group.betas else { throw .keyError("'betas'") }
            self.betas = betas
            amsgrad = try group.flag("amsgrad", default: false)
        }
    }

    /// What `step()` reads of a group after `_init_group`, in its order; a
    /// missing `lr`, `weight_decay` or `eps` is Python's `KeyError`, the
    /// flags take `__setstate__`'s defaults (`decoupled_weight_decay`: true
    /// for AdamW, false for Adam).
    struct Options {
        var lr, weightDecay, eps: Double
        var maximize, decoupled: Bool

        init(_ group: ParamGroup, decoupledByDefault: Bool) throws(PythonError) {
            lr = try group.number("lr")
            weightDecay = try group.number("weight_decay")
            eps = try group.number("eps")
            maximize = try group.flag("maximize", default: false)
            decoupled = try group.flag("decoupled_weight_decay", default: decoupledByDefault)
        }

        /// The ops of `_single_tensor_adam` that can raise, in order: Adam's
        /// `grad.add(param, alpha=weight_decay)`, `exp_avg.lerp_(grad, 1 -
        /// beta1)`, `exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 -
        /// beta2)`, the bias corrections' Python arithmetic (before
        /// `torch.maximum`), `param.addcdiv_(exp_avg, denom,
        /// value=-step_size)` (which also refuses a complex `denom`). (AdamW's `param.mul_`, `mul_(beta2)`, the
        /// division by `bias_correction2_sqrt` and `add_(eps)` do not check.)
        enum Stage { case weightDecay, lerp, addcmul, biasCorrection, update }

        /// The loop's float32 constants at a step count, from Python's
        /// double arithmetic: `1 - beta1 ** step`, `lr / bias_correction1`,
        /// `bias_correction2 ** 0.5`; with the first op that raises.
        func scalars(betas: ParamGroup.Betas, step: Float) -> (Kernels.Adam.Scalars, failure: (stage: Stage, error: PythonError)?) {
            var checks = Kernels.ScalarChecks<Stage>()
            let coupled = weightDecay != 0 && !decoupled ? checks.checked(weightDecay, at: .weightDecay) : nil
            _ = checks.checked(1 - betas.beta1, at: .lerp)
            let oneMinusBeta2 = checks.checked(1 - betas.beta2, at: .addcmul)
            let step = Double(step)
            var biasCorrection2 = 1.0
            let stepSize = checks.python(.biasCorrection, fallback: 1) { () throws(PythonError) in
                let biasCorrection1 = 1 - (try PyFloat.pow(betas.beta1, step))
                biasCorrection2 = 1 - (try PyFloat.pow(betas.beta2, step))
                return try PyFloat.divide(lr, biasCorrection1)
            }
            // `** 0.5` of a negative number is complex in Python (a group's beta2
            // above 1): the denominator is then complex, and `addcdiv_` refuses it.
            let complexDenominator = biasCorrection2 < 0 && biasCorrection2.isFinite
            let biasCorrection2Sqrt =
                complexDenominator
                ? 1
                : checks.python(.biasCorrection, fallback: 1) { () throws(PythonError) in
                    try PyFloat.pow(biasCorrection2, 0.5)
                }
            if complexDenominator {
                _ = checks.python(.update, fallback: 0) { () throws(PythonError) in
                    throw .runtimeError("result type ComplexFloat can't be cast to the desired output type Float")
                }
            }
            let scalars = Kernels.Adam.Scalars(
                maximize: maximize, coupledWeightDecay: coupled,
                decoupledDecay: weightDecay != 0 && decoupled ? Float(1 - lr * weightDecay) : nil,
                lerp: Kernels.Lerp(weight: 1 - betas.beta1), beta2: Float(betas.beta2), oneMinusBeta2: oneMinusBeta2,
                biasCorrection2Sqrt: Float(biasCorrection2Sqrt), eps: Float(eps),
                negativeStepSize: checks.checked(-stepSize, at: .update))
            return (scalars, checks.failure)
        }
    }

    /// Per group, PyTorch's `_init_group` (lazy state, the `KeyError` for a
    /// missing `max_exp_avg_sq`), then `_single_tensor_adam` per parameter.
    /// An op that raises does so where PyTorch's does: the parameters before
    /// it in the group updated, this one's step counted and its buffers (and
    /// AdamW's decay) as far as PyTorch got.
    public override func performStep() throws {
        for (group, parameters) in try groupsWithParameters() {
            let initOptions = try InitOptions(group)
            let amsgrad = initOptions.amsgrad
            let work = try initGroup(parameters) { AdamState(count: $0, amsgrad: amsgrad) } check: { state throws(PythonError) in
                if amsgrad && state.maxExpAvgSq == nil { throw .keyError("'max_exp_avg_sq'") }
            }
            let options = try Options(group, decoupledByDefault: kind == .adamW)
            for (parameter, grad, state) in work {
                let count = parameter.value.count
                try checkCount(state.expAvg, count, "exp_avg", parameter)
                try checkCount(state.expAvgSq, count, "exp_avg_sq", parameter)
                if amsgrad { try checkCount(state.maxExpAvgSq!, count, "max_exp_avg_sq", parameter) }
                state.step += 1
                let (scalars, failure) = options.scalars(betas: initOptions.betas, step: state.step)
                guard count > 0 else {
                    if let failure { throw failure.error }
                    continue
                }
                grad.withUnsafeBufferPointer { g in
                    parameter.value.withUnsafeMutableBufferPointer { p in
                        state.expAvg.withUnsafeMutableBufferPointer { m in
                            state.expAvgSq.withUnsafeMutableBufferPointer { v in
                                withOptionalBuffer(&state.maxExpAvgSq, amsgrad) { mx in
                                    let param = p.baseAddress!, expAvg = m.baseAddress!, expAvgSq = v.baseAddress!
                                    let run = {
                                        Kernels.Adam.run(
                                            scalars, count: count, param: param, grad: g.baseAddress!, expAvg: expAvg,
                                            expAvgSq: expAvgSq, maxExpAvgSq: mx)
                                    }
                                    guard let failure else { return run() }
                                    switch failure.stage {
                                    case .weightDecay, .lerp: break
                                    case .addcmul:
                                        Kernels.restoring([param, expAvgSq, mx], count: count, run)
                                        Kernels.scale(expAvgSq, count: count, by: scalars.beta2)
                                    case .biasCorrection: Kernels.restoring([param, mx], count: count, run)
                                    case .update: Kernels.restoring([param], count: count, run)
                                    }
                                    if let decay = scalars.decoupledDecay { Kernels.scale(param, count: count, by: decay) }
                                }
                            }
                        }
                    }
                }
                if let failure { throw failure.error }
            }
        }
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
    override class var pyTorchKind: OptimizerKind { .adamW }
}

/// Adam's `state[p]`.
public final class AdamState: TensorOptimizerState {
    /// `state["step"]`: a float32 tensor in PyTorch, incremented in float32.
    var step: Float = 0
    var expAvg: [Float] = []
    var expAvgSq: [Float] = []
    var maxExpAvgSq: [Float]?

    public init() {}

    /// The lazy initialization: zeros, `max_exp_avg_sq` only with `amsgrad`.
    convenience init(count: Int, amsgrad: Bool) {
        self.init()
        // Separate buffers (not copies of one): the first step writes each.
        expAvg = ScalarStorage.filled(0, count: count)
        expAvgSq = ScalarStorage.filled(0, count: count)
        if amsgrad { maxExpAvgSq = ScalarStorage.filled(0, count: count) }
    }

    public static var fields: [TensorStateField<AdamState>] {
        [
            .step(\.step), .tensor("exp_avg", \.expAvg), .tensor("exp_avg_sq", \.expAvgSq),
            .optionalTensor("max_exp_avg_sq", \.maxExpAvgSq),
        ]
    }
}
