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
public final class RMSprop: TensorOptimizer<RMSpropState> {
    /// `RMSprop(params, **options)` with param groups (PyTorch names: `lr`,
    /// `alpha`, `eps`, `weight_decay`, `momentum`, `centered`, `maximize`).
    public init(_ groups: [ParameterGroup], options: JSONObject = [:]) throws {
        try super.init(.rmsprop, groups: groups, options: options)
    }

    /// `RMSprop(parameters, lr=..., alpha=..., ...)` with one group; an
    /// argument left out takes PyTorch's default (``OptimizerKind/defaultOptions``).
    public convenience init(
        parameters: [Parameter], lr: Double? = nil, alpha: Double? = nil, eps: Double? = nil,
        weightDecay: Double? = nil, momentum: Double? = nil, centered: Bool? = nil, maximize: Bool? = nil
    ) throws {
        let arguments = ConvenienceArguments(
            .rmsprop, numbers: ["lr": lr, "alpha": alpha, "eps": eps, "weight_decay": weightDecay, "momentum": momentum],
            flags: ["centered": centered, "maximize": maximize])
        try self.init([ParameterGroup(parameters: parameters)], options: arguments.options)
    }

    /// What `step()` reads of a group before `_init_group`: `momentum` and
    /// `centered`, with `__setstate__`'s defaults (0, false).
    struct InitOptions {
        var momentum: Double
        var centered: Bool

        init(_ group: ParamGroup) throws(PythonError) {
            momentum = try group.number("momentum", default: 0)
            centered = try group.flag("centered", default: false)
        }

        /// Whether the step uses (and the lazy state makes) a momentum buffer.
        var hasMomentum: Bool { momentum > 0 }
    }

    /// What `step()` reads of a group after `_init_group`, in its order; a
    /// missing key is Python's `KeyError` except `maximize` (false).
    struct Options {
        var lr, alpha, eps, weightDecay: Double
        var maximize: Bool

        init(_ group: ParamGroup) throws(PythonError) {
            lr = try group.number("lr")
            alpha = try group.number("alpha")
            eps = try group.number("eps")
            weightDecay = try group.number("weight_decay")
            maximize = try group.flag("maximize", default: false)
        }

        /// The ops of `_single_tensor_rmsprop` whose Python scalar PyTorch
        /// checks, in order: `grad.add(param, alpha=weight_decay)`,
        /// `square_avg.mul_(alpha).addcmul_(grad, grad, value=1 - alpha)`
        /// (centered's `lerp_(grad, 1 - alpha)` checks the same number after
        /// it), and the update's `alpha=-lr` or `value=-lr`. (`mul_(alpha)`,
        /// `add_(eps)` and `buf.mul_(momentum)` do not check.)
        enum Stage { case weightDecay, addcmul, update }

        /// The loop's float32 constants (Python's double arithmetic first),
        /// with the first op whose scalar PyTorch refuses.
        func scalars(_ initOptions: InitOptions) -> (Kernels.RMSprop.Scalars, failure: (stage: Stage, error: PythonError)?) {
            var checks = Kernels.ScalarChecks<Stage>()
            let scalars = Kernels.RMSprop.Scalars(
                maximize: maximize, weightDecay: weightDecay != 0 ? checks.checked(weightDecay, at: .weightDecay) : nil,
                alpha: Float(alpha), oneMinusAlpha: checks.checked(1 - alpha, at: .addcmul),
                lerp: Kernels.Lerp(weight: 1 - alpha), eps: Float(eps),
                momentum: initOptions.hasMomentum ? Float(initOptions.momentum) : nil,
                negativeLR: checks.checked(-lr, at: .update))
            return (scalars, checks.failure)
        }
    }

    /// Per group, `_init_group` (lazy state, then the `KeyError`s of a
    /// momentum or centering switched on after the state was made), then
    /// `_single_tensor_rmsprop` per parameter. An op whose scalar PyTorch
    /// refuses raises at the group's first parameter, as PyTorch's does:
    /// its step counted and its buffers as far as PyTorch got.
    public override func performStep() throws {
        for (group, parameters) in try groupsWithParameters() {
            let initOptions = try InitOptions(group)
            let momentum = initOptions.hasMomentum, centered = initOptions.centered
            let work = try initGroup(parameters) {
                RMSpropState(count: $0, momentum: momentum, centered: centered)
            } check: { state throws(PythonError) in
                if momentum && state.momentumBuffer == nil { throw .keyError("'momentum_buffer'") }
                if centered && state.gradAvg == nil { throw .keyError("'grad_avg'") }
            }
            let (scalars, failure) = try Options(group).scalars(initOptions)
            for (parameter, grad, state) in work {
                let count = parameter.value.count
                try checkCount(state.squareAvg, count, "square_avg", parameter)
                if momentum { try checkCount(state.momentumBuffer!, count, "momentum_buffer", parameter) }
                if centered { try checkCount(state.gradAvg!, count, "grad_avg", parameter) }
                state.step += 1
                guard count > 0 else {
                    if let failure { throw failure.error }
                    continue
                }
                grad.withUnsafeBufferPointer { g in
                    parameter.value.withUnsafeMutableBufferPointer { p in
                        state.squareAvg.withUnsafeMutableBufferPointer { sq in
                            withOptionalBuffer(&state.gradAvg, centered) { ga in
                                withOptionalBuffer(&state.momentumBuffer, momentum) { b in
                                    let param = p.baseAddress!, squareAvg = sq.baseAddress!
                                    let run = {
                                        Kernels.RMSprop.run(
                                            scalars, count: count, param: param, grad: g.baseAddress!,
                                            squareAvg: squareAvg, gradAvg: ga, momentumBuffer: b)
                                    }
                                    switch failure?.stage {
                                    case nil: run()
                                    case .weightDecay: break
                                    case .addcmul: Kernels.scale(squareAvg, count: count, by: scalars.alpha)
                                    case .update: Kernels.restoring([param], count: count, run)
                                    }
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

/// RMSprop's `state[p]`.
public final class RMSpropState: TensorOptimizerState {
    /// `state["step"]`, a float32 tensor in PyTorch.
    var step: Float = 0
    var squareAvg: [Float] = []
    var momentumBuffer: [Float]?
    var gradAvg: [Float]?

    public init() {}

    /// The lazy initialization: zeros; the momentum buffer when the group's
    /// momentum is positive, the gradient average when it is centered.
    convenience init(count: Int, momentum: Bool, centered: Bool) {
        self.init()
        // Separate buffers (not copies of one): the first step writes each.
        squareAvg = ScalarStorage.filled(0, count: count)
        if momentum { momentumBuffer = ScalarStorage.filled(0, count: count) }
        if centered { gradAvg = ScalarStorage.filled(0, count: count) }
    }

    public static var fields: [TensorStateField<RMSpropState>] {
        [
            .step(\.step), .tensor("square_avg", \.squareAvg), .optionalTensor("momentum_buffer", \.momentumBuffer),
            .optionalTensor("grad_avg", \.gradAvg),
        ]
    }
}
