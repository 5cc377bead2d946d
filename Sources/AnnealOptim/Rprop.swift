import Anneal
import AnnealTensor

/// `torch.optim.Rprop` (PyTorch 2.13) over float32 parameters: `etas`,
/// `step_sizes` and `maximize`, with PyTorch's defaults, validation and
/// `foreach=False` arithmetic bit for bit.
///
/// ```swift
/// let w = Parameter(Tensor([0.5, -1.25]))
/// let rprop = try Rprop(parameters: [w], lr: 0.01, etas: (0.5, 1.2))
/// ```
///
/// Per parameter with a gradient (`_single_tensor_rprop`): `step += 1`;
/// `g = ±grad`; `s = sign(g * prev)` replaced by `etaplus` where positive,
/// `etaminus` where negative and 1 where zero;
/// `step_size = clamp(step_size * s, step_size_min, step_size_max)`;
/// `g = 0` where `s == etaminus`; `p -= sign(g) * step_size`; `prev = g`.
/// State per parameter: `step`, `prev` (zeros), `step_size` (filled with
/// the group's `lr` when the state is made).
public final class Rprop: TensorOptimizer<RpropState> {
    /// `Rprop(params, **options)` with param groups (PyTorch names: `lr`,
    /// `etas`, `step_sizes`, `maximize`).
    public init(_ groups: [ParameterGroup], options: JSONObject = [:]) throws {
        try super.init(.rprop, groups: groups, options: options)
    }

    /// `Rprop(parameters, lr=..., ...)` with one group; an argument left out
    /// takes PyTorch's default (``OptimizerKind/defaultOptions``).
    public convenience init(
        parameters: [Parameter], lr: Double? = nil, etas: (Double, Double)? = nil,
        stepSizes: (Double, Double)? = nil, maximize: Bool? = nil
    ) throws {
        let arguments = ConvenienceArguments(
            .rprop, numbers: ["lr": lr], flags: ["maximize": maximize], pairs: ["etas": etas, "step_sizes": stepSizes])
        try self.init([ParameterGroup(parameters: parameters)], options: arguments.options)
    }

    /// `group[key]` as a pair of numbers (`etas`, `step_sizes`).
    private func pair(_ group: ParamGroup, _ key: String) throws(PythonError) -> (Double, Double) {
        guard let value = group[key] else { throw .keyError("'\(key)'") }
        guard case .array(let items) = value, items.count == 2, let first = items[0].doubleValue,
            let second = items[1].doubleValue
        else { throw .valueError("too many values to unpack (expected 2)") }
        return (first, second)
    }

    /// The ops of `_single_tensor_rprop` whose Python scalar PyTorch
    /// checks, in order: `sign[sign.gt(0)] = etaplus`, `sign[sign.lt(0)] =
    /// etaminus` (even when no element is selected), and
    /// `step_size.mul_(sign).clamp_(step_size_min, step_size_max)`, which
    /// raises after `mul_` wrote the step sizes.
    enum Stage { case etaPlus, etaMinus, clamp }

    /// Per group, the options, `_init_group` (lazy state: `step_size` filled
    /// with `lr`, a checked conversion), then `_single_tensor_rprop` per
    /// parameter. An op that raises does so where PyTorch's does: this
    /// parameter's step counted and, when the clamp raises, its step sizes
    /// multiplied.
    public override func performStep() throws {
        for (group, parameters) in try groupsWithParameters() {
            let (etaMinus, etaPlus) = try pair(group, "etas")
            let (stepSizeMin, stepSizeMax) = try pair(group, "step_sizes")
            let maximize = try group.flag("maximize", default: false)
            let work = try initGroup(parameters) { (count) throws(PythonError) in
                RpropState(count: count, stepSize: try Kernels.float32Scalar(try group.number("lr")))
            }
            var checks = Kernels.ScalarChecks<Stage>()
            let plus = checks.checked(etaPlus, at: .etaPlus), minus = checks.checked(etaMinus, at: .etaMinus)
            let low = checks.checked(stepSizeMin, at: .clamp), high = checks.checked(stepSizeMax, at: .clamp)
            let scalars = Kernels.Rprop.Scalars(
                maximize: maximize, etaPlus: plus, etaMinus: minus, stepSizeMin: low, stepSizeMax: high)
            for (parameter, grad, state) in work {
                let count = parameter.value.count
                try checkCount(state.prev, count, "prev", parameter)
                try checkCount(state.stepSize, count, "step_size", parameter)
                state.step += 1
                withElements(parameter, grad, &state.prev, &state.stepSize) { p, g, prev, size in
                    switch checks.failure?.stage {
                    case nil: Kernels.Rprop.run(scalars, p, g, prev, size)
                    case .etaPlus, .etaMinus: break
                    case .clamp:
                        // The clamp raises after `mul_` wrote the step sizes.
                        for i in 0..<count {
                            size[i] = size[i] * Kernels.Rprop.factor(scalars, g[i] * scalars.sign * prev[i])
                        }
                    }
                }
                if let failure = checks.failure { throw failure.error }
            }
        }
    }
}

/// Rprop's `state[p]`.
public final class RpropState: TensorOptimizerState {
    /// `state["step"]`, a float32 tensor in PyTorch.
    var step: Float = 0
    var prev: [Float] = []
    var stepSize: [Float] = []

    public init() {}

    /// The lazy initialization: `prev` zeros, `step_size` the group's `lr`.
    convenience init(count: Int, stepSize: Float) {
        self.init()
        prev = ScalarStorage.filled(0, count: count)
        self.stepSize = ScalarStorage.filled(stepSize, count: count)
    }

    public static var fields: [TensorStateField<RpropState>] {
        [.step(\.step), .tensor("prev", \.prev), .tensor("step_size", \.stepSize)]
    }
}
