import Anneal
import AnnealTensor

/// `torch.optim.Adadelta` (PyTorch 2.13) over float32 parameters: `rho`,
/// `eps`, `weight_decay` and `maximize`, with PyTorch's defaults, validation
/// and `foreach=False` arithmetic bit for bit.
///
/// ```swift
/// let w = Parameter(Tensor([0.5, -1.25]))
/// let adadelta = try Adadelta(parameters: [w], rho: 0.95)
/// ```
///
/// Per parameter with a gradient (`_single_tensor_adadelta`): `step += 1`;
/// `g = ±grad + weight_decay * p`; `sq = rho * sq + (1 - rho) * g * g`;
/// `delta = sqrt(acc + eps) / sqrt(sq + eps) * g`;
/// `acc = rho * acc + (1 - rho) * delta * delta`; `p -= lr * delta`.
/// State per parameter: `step`, `square_avg`, `acc_delta`.
public final class Adadelta: TensorOptimizer<AdadeltaState> {
    /// `Adadelta(params, **options)` with param groups (PyTorch names: `lr`,
    /// `rho`, `eps`, `weight_decay`, `maximize`).
    public init(_ groups: [ParameterGroup], options: JSONObject = [:]) throws {
        try super.init(.adadelta, groups: groups, options: options)
    }

    /// `Adadelta(parameters, lr=..., ...)` with one group; an argument left
    /// out takes PyTorch's default (``OptimizerKind/defaultOptions``).
    public convenience init(
        parameters: [Parameter], lr: Double? = nil, rho: Double? = nil, eps: Double? = nil,
        weightDecay: Double? = nil, maximize: Bool? = nil
    ) throws {
        let arguments = ConvenienceArguments(
            .adadelta, numbers: ["lr": lr, "rho": rho, "eps": eps, "weight_decay": weightDecay],
            flags: ["maximize": maximize])
        try self.init([ParameterGroup(parameters: parameters)], options: arguments.options)
    }

    /// The ops of `_single_tensor_adadelta` whose Python scalar PyTorch
    /// checks, in order: `grad.add(param, alpha=weight_decay)`,
    /// `square_avg.mul_(rho).addcmul_(grad, grad, value=1 - rho)` (the same
    /// value for `acc_delta` after it) and `param.add_(delta, alpha=-lr)`.
    /// (`mul_(rho)` and `add(eps)` do not check.)
    enum Stage { case weightDecay, addcmul, update }

    /// Per group, the options `step()` reads (a missing one is a `KeyError`,
    /// `maximize` defaults to false), `_init_group`, then
    /// `_single_tensor_adadelta` per parameter. An op that raises does so
    /// where PyTorch's does: this parameter's step counted and its buffers
    /// as far as PyTorch got.
    public override func performStep() throws {
        for (group, parameters) in try groupsWithParameters() {
            let lr = try group.number("lr"), rho = try group.number("rho")
            let eps = try group.number("eps"), weightDecay = try group.number("weight_decay")
            let maximize = try group.flag("maximize", default: false)
            let work = try initGroup(parameters) { AdadeltaState(count: $0) }
            var checks = Kernels.ScalarChecks<Stage>()
            let scalars = Kernels.Adadelta.Scalars(
                maximize: maximize, weightDecay: weightDecay != 0 ? checks.checked(weightDecay, at: .weightDecay) : nil,
                rho: Float(rho), oneMinusRho: checks.checked(1 - rho, at: .addcmul), eps: Float(eps),
                negativeLR: checks.checked(-lr, at: .update))
            for (parameter, grad, state) in work {
                let count = parameter.value.count
                try checkCount(state.squareAvg, count, "square_avg", parameter)
                try checkCount(state.accDelta, count, "acc_delta", parameter)
                state.step += 1
                guard count > 0 else {
                    if let failure = checks.failure { throw failure.error }
                    continue
                }
                withElements(parameter, grad, &state.squareAvg, &state.accDelta) { p, g, sq, acc in
                    let param = p.baseAddress!, grad = g.baseAddress!
                    let squareAvg = sq.baseAddress!, accDelta = acc.baseAddress!
                    switch checks.failure?.stage {
                    case nil:
                        Kernels.Adadelta.run(
                            scalars, count: count, param: param, grad: grad, squareAvg: squareAvg, accDelta: accDelta)
                    case .weightDecay: break
                    case .addcmul: Kernels.scale(squareAvg, count: count, by: scalars.rho)
                    case .update:
                        Kernels.restoring([param], count: count) {
                            Kernels.Adadelta.scalarLoop(
                                scalars, count: count, param: param, grad: grad, squareAvg: squareAvg, accDelta: accDelta)
                        }
                    }
                }
                if let failure = checks.failure { throw failure.error }
            }
        }
    }
}

/// Adadelta's `state[p]`.
public final class AdadeltaState: TensorOptimizerState {
    /// `state["step"]`, a float32 tensor in PyTorch.
    var step: Float = 0
    var squareAvg: [Float] = []
    var accDelta: [Float] = []

    public init() {}

    /// The lazy initialization: zeros.
    convenience init(count: Int) {
        self.init()
        squareAvg = ScalarStorage.filled(0, count: count)
        accDelta = ScalarStorage.filled(0, count: count)
    }

    public static var fields: [TensorStateField<AdadeltaState>] {
        [.step(\.step), .tensor("square_avg", \.squareAvg), .tensor("acc_delta", \.accDelta)]
    }
}
