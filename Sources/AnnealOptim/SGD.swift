import Anneal
import AnnealTensor

/// `torch.optim.SGD` (PyTorch 2.13) over float32 parameters: momentum,
/// dampening, Nesterov momentum, weight decay and `maximize`, with PyTorch's
/// defaults, validation and `foreach=False` arithmetic bit for bit.
///
/// ```swift
/// let w = Parameter(Tensor([0.5, -1.25]))
/// let sgd = try SGD(parameters: [w], lr: 0.1, momentum: 0.9)
/// w.grad = Tensor([0.25, 1])
/// try sgd.step()          // w == [0.475, -1.35]; the momentum buffer is the gradient
/// ```
///
/// Per parameter with a gradient (`_single_tensor_sgd`):
/// `g = ±grad + weight_decay * p`; with momentum, `buf = g` on the first step,
/// then `buf = momentum * buf + (1 - dampening) * g`, and `g = g + momentum * buf`
/// (Nesterov) or `g = buf`; finally `p = p - lr * g`. Every step reads the
/// hyperparameters from ``paramGroups`` (schedulers change `lr` and
/// `momentum`). State: `momentum_buffer` per parameter, only when momentum
/// is non-zero.
public final class SGD: TensorOptimizer<SGDState> {
    /// `SGD(params, **options)` with param groups: each group's `options`
    /// override `options` (PyTorch names: `lr`, `momentum`, `dampening`,
    /// `weight_decay`, `nesterov`, `maximize`).
    public init(_ groups: [ParameterGroup], options: JSONObject = [:]) throws {
        try super.init(.sgd, groups: groups, options: options)
    }

    /// `SGD(parameters, lr=..., momentum=..., ...)` with one group; an
    /// argument left out takes PyTorch's default (``OptimizerKind/defaultOptions``).
    public convenience init(
        parameters: [Parameter], lr: Double? = nil, momentum: Double? = nil, dampening: Double? = nil,
        weightDecay: Double? = nil, nesterov: Bool? = nil, maximize: Bool? = nil
    ) throws {
        let arguments = ConvenienceArguments(
            .sgd, numbers: ["lr": lr, "momentum": momentum, "dampening": dampening, "weight_decay": weightDecay],
            flags: ["nesterov": nesterov, "maximize": maximize])
        try self.init([ParameterGroup(parameters: parameters)], options: arguments.options)
    }

    /// One group's hyperparameters, read once per step in `step()`'s order;
    /// a missing key is Python's `KeyError`, except the flags `__setstate__`
    /// fills in (`nesterov`, `maximize`: false).
    struct Options {
        var weightDecay, momentum, lr, dampening: Double
        var nesterov, maximize: Bool

        init(_ group: ParamGroup) throws(PythonError) {
            weightDecay = try group.number("weight_decay")
            momentum = try group.number("momentum")
            lr = try group.number("lr")
            dampening = try group.number("dampening")
            nesterov = try group.flag("nesterov", default: false)
            maximize = try group.flag("maximize", default: false)
        }

        /// The ops of `_single_tensor_sgd` whose Python scalar PyTorch checks
        /// (``Kernels/float32Scalar(_:)``), in order: `grad.add(param,
        /// alpha=weight_decay)`, `buf.add_(grad, alpha=1 - dampening)` (only
        /// on a buffer that exists; `buf.mul_(momentum)` does not check),
        /// Nesterov's `grad.add(buf, alpha=momentum)`, `param.add_(grad, alpha=-lr)`.
        enum Stage { case weightDecay, dampening, nesterov, update }

        /// The loop's float32 constants (Python's double arithmetic first),
        /// with the first op whose scalar PyTorch refuses; `hasBuffer`: the
        /// momentum buffer exists (the step is not its first).
        func scalars(hasBuffer: Bool) -> (Kernels.SGD.Scalars, failure: (stage: Stage, error: PythonError)?) {
            var checks = Kernels.ScalarChecks<Stage>()
            let weightDecay = weightDecay != 0 ? checks.checked(weightDecay, at: .weightDecay) : nil
            let oneMinusDampening =
                momentum != 0 && hasBuffer ? checks.checked(1 - dampening, at: .dampening) : Float(1 - dampening)
            let momentum = momentum != 0 ? (nesterov ? checks.checked(momentum, at: .nesterov) : Float(momentum)) : nil
            let scalars = Kernels.SGD.Scalars(
                negativeLR: checks.checked(-lr, at: .update), weightDecay: weightDecay, momentum: momentum,
                oneMinusDampening: oneMinusDampening, nesterov: nesterov, maximize: maximize)
            return (scalars, checks.failure)
        }
    }

    /// `_single_tensor_sgd` per parameter with a gradient; the momentum
    /// buffer is made on a parameter's first step with momentum. An op whose
    /// scalar PyTorch refuses raises where PyTorch's does: the parameters
    /// before it in the group updated, this one's buffer as far as PyTorch
    /// got, and the buffers made this step not kept (PyTorch stores them
    /// in the state after the loop).
    public override func performStep() throws {
        for (group, parameters) in try groupsWithParameters() {
            let options = try Options(group)
            var madeBuffers: [SGDState] = []
            for parameter in parameters {
                guard let grad = try gradient(of: parameter) else { continue }
                let count = parameter.value.count
                guard options.momentum != 0 else {
                    let (scalars, failure) = options.scalars(hasBuffer: false)
                    if let failure { throw failure.error }
                    grad.withUnsafeBufferPointer { g in
                        parameter.value.withUnsafeMutableBufferPointer { p in
                            guard count > 0 else { return }
                            Kernels.SGD.run(
                                scalars, count: count, param: p.baseAddress!, grad: g.baseAddress!, buffer: nil,
                                initializeBuffer: false)
                        }
                    }
                    continue
                }
                let state = store.state(for: parameter) { SGDState() }
                let initialize = state.momentumBuffer == nil
                let (scalars, failure) = options.scalars(hasBuffer: !initialize)
                if initialize {
                    state.momentumBuffer = ScalarStorage.filled(0, count: count)
                    madeBuffers.append(state)
                }
                try checkCount(state.momentumBuffer!, count, "momentum_buffer", parameter)
                grad.withUnsafeBufferPointer { g in
                    parameter.value.withUnsafeMutableBufferPointer { p in
                        state.momentumBuffer!.withUnsafeMutableBufferPointer { b in
                            guard count > 0 else { return }
                            switch failure?.stage {
                            case .weightDecay: return
                            case .dampening:
                                Kernels.scale(b.baseAddress!, count: count, by: scalars.momentum!)
                                return
                            case .nesterov, .update, nil: break
                            }
                            Kernels.restoring([failure != nil ? p.baseAddress! : nil], count: count) {
                                Kernels.SGD.run(
                                    scalars, count: count, param: p.baseAddress!, grad: g.baseAddress!,
                                    buffer: b.baseAddress!, initializeBuffer: initialize)
                            }
                        }
                    }
                }
                if let failure {
                    for made in madeBuffers { made.momentumBuffer = nil }
                    throw failure.error
                }
            }
        }
    }
}

/// SGD's `state[p]`: the momentum buffer (`None` until the first step with
/// momentum, when a state dict has the key without a value).
public final class SGDState: TensorOptimizerState {
    var momentumBuffer: [Float]?

    public init() {}

    /// `momentum_buffer`: `None` until the first step with momentum.
    public static var fields: [TensorStateField<SGDState>] {
        [.optionalTensor("momentum_buffer", \.momentumBuffer, savedAsNone: true)]
    }
}
