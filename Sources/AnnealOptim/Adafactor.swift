import Anneal
import AnnealTensor
import COptimSupport

/// `torch.optim.Adafactor` (PyTorch 2.13) over float32 parameters:
/// `beta2_decay`, `eps` (a pair whose first may be `None`), `d`,
/// `weight_decay` and `maximize`, with PyTorch's defaults, validation and
/// `foreach=False` arithmetic bit for bit (its reductions in ATen's order,
/// see Kernels/Reductions.swift). A tensor `lr` is not supported.
///
/// ```swift
/// let w = Parameter(Tensor(shape: [2, 3], scalars: [0.5, -1.25, 2, 0.25, 1, -3]))
/// let adafactor = try Adafactor(parameters: [w], lr: 0.01)
/// ```
///
/// Per parameter with a gradient (`_single_tensor_adafactor`): `step += 1`;
/// `beta = step ** beta2_decay`, `rho = min(lr, 1 / step ** 0.5)`,
/// `alpha = max(eps2, ||p|| / numel ** 0.5) * rho` (Python floats);
/// `p *= 1 - lr * wd`. A parameter of 2 or more dimensions keeps factors
/// `R = lerp(R, mean(g², dim=-1), beta)` and `C = lerp(C, mean(g², dim=-2), beta)`
/// (each mean `norm(g, dim) ** 2 / n`) and estimates `V = R @ C / max(mean(R, dim=-2), eps1)`;
/// a vector keeps `V = lerp(V, g², beta)`. Then `u = rsqrt(max(V, eps1²)) * g`,
/// `p -= alpha / max(1, ||u|| / (numel ** 0.5 * d)) * u`. `eps1` of `None`
/// is float32's machine epsilon. State per parameter: `step`, and `row_var`
/// (the parameter's shape with the last dimension 1) and `col_var` (the
/// one before it 1), or `variance`.
public final class Adafactor: TensorOptimizer<AdafactorState> {
    /// `Adafactor(params, **options)` with param groups (PyTorch names: `lr`,
    /// `beta2_decay`, `eps`, `d`, `weight_decay`, `maximize`).
    public init(_ groups: [ParameterGroup], options: JSONObject = [:]) throws {
        try super.init(.adafactor, groups: groups, options: options)
    }

    /// `Adafactor(parameters, lr=..., ...)` with one group; an argument left
    /// out takes PyTorch's default (``OptimizerKind/defaultOptions``). `eps`
    /// is `(eps1, eps2)`, `eps1` `nil` for PyTorch's `None`.
    public convenience init(
        parameters: [Parameter], lr: Double? = nil, beta2Decay: Double? = nil, eps: (Double?, Double)? = nil,
        d: Double? = nil, weightDecay: Double? = nil, maximize: Bool? = nil
    ) throws {
        let arguments = ConvenienceArguments(
            .adafactor, numbers: ["lr": lr, "beta2_decay": beta2Decay, "d": d, "weight_decay": weightDecay],
            flags: ["maximize": maximize])
        var options = arguments.options
        if let eps { options["eps"] = .array([eps.0.map(JSONValue.double) ?? .null, .double(eps.1)]) }
        try self.init([ParameterGroup(parameters: parameters)], options: options)
    }

    /// Per group, `group["eps"]`, `_init_group` (every parameter's state
    /// first), then `_single_tensor_adafactor` per parameter, op by op: an
    /// op whose Python scalar PyTorch refuses raises after the ops before it
    /// have written.
    public override func performStep() throws {
        for (group, parameters) in try groupsWithParameters() {
            let (eps1Option, eps2) = try epsilons(group)
            var work: [(parameter: Parameter, grad: Tensor, state: AdafactorState)] = []
            for parameter in parameters {
                guard let grad = try gradient(of: parameter) else { continue }
                let state: AdafactorState
                if let existing = store.state(for: parameter) {
                    state = existing
                } else {
                    state = AdafactorState(shape: parameter.value.shape)
                    store.setState(state, for: parameter)
                }
                work.append((parameter, grad, state))
            }
            let d = try group.number("d"), lr = try group.number("lr")
            let beta2Decay = try group.number("beta2_decay"), weightDecay = try group.number("weight_decay")
            let maximize = try group.flag("maximize", default: false)
            // `torch.finfo(torch.float32).eps` when `eps1` is `None`.
            let eps1 = eps1Option ?? Double(Float.ulpOfOne)
            for (parameter, grad, state) in work {
                try update(
                    parameter, grad, state, d: d, lr: lr, beta2Decay: beta2Decay, weightDecay: weightDecay,
                    eps1: eps1, eps2: eps2, maximize: maximize)
            }
        }
    }

    /// `eps1, eps2 = group["eps"]`: `eps1` may be `None`.
    private func epsilons(_ group: ParamGroup) throws(PythonError) -> (Double?, Double) {
        guard let value = group["eps"] else { throw .keyError("'eps'") }
        guard case .array(let items) = value, items.count == 2 else {
            throw .typeError("param group key 'eps' must be a pair, got \(value.pythonDescription)")
        }
        func number(_ item: JSONValue) throws(PythonError) -> Double {
            if let number = item.doubleValue { return number }
            if case .bool(let flag) = item { return flag ? 1 : 0 }
            throw .typeError("param group key 'eps' must hold numbers, got \(item.pythonTypeName)")
        }
        return (items[0].isNull ? nil : try number(items[0]), try number(items[1]))
    }

    /// `_single_tensor_adafactor`'s body for one parameter.
    private func update(
        _ parameter: Parameter, _ grad: Tensor, _ state: AdafactorState, d: Double, lr: Double, beta2Decay: Double,
        weightDecay: Double, eps1: Double, eps2: Double, maximize: Bool
    ) throws(PythonError) {
        let shape = parameter.value.shape, count = parameter.value.count
        let factored = shape.count > 1
        if factored {
            guard let rowVar = state.rowVar, let colVar = state.colVar else {
                throw PythonError("AssertionError", "row_var and col_var should be defined when grad is multidimensional")
            }
            try checkCount(rowVar, AdafactorState.count(of: "row_var", shape), "row_var", parameter)
            try checkCount(colVar, AdafactorState.count(of: "col_var", shape), "col_var", parameter)
        } else {
            guard let variance = state.variance else {
                throw PythonError("AssertionError", "variance should be defined when grad is a vector")
            }
            try checkCount(variance, count, "variance", parameter)
        }
        state.step += 1
        let step = Double(state.step)
        let oneMinusBeta2 = try PyFloat.pow(step, beta2Decay)
        // Python's `min(lr, x)` and `max(a, x)`: the first unless `x` is below (above) it.
        let inverseRoot = try PyFloat.divide(1, try PyFloat.pow(step, 0.5))
        let rho = inverseRoot < lr ? inverseRoot : lr
        let numelRoot = try PyFloat.pow(Double(count), 0.5)
        if !factored, count > 0, Kernels.elementwiseRunsInC {
            return try updateVectorInC(
                parameter, grad.scalars, maximize: maximize, state, rho: rho, numelRoot: numelRoot,
                oneMinusBeta2: oneMinusBeta2, d: d, lr: lr, weightDecay: weightDecay, eps1: eps1, eps2: eps2)
        }
        // `grad.scalars` shares the gradient's storage: no copy unless negated.
        let g: [Float] = maximize ? grad.scalars.map { -$0 } : grad.scalars
        let rms = try PyFloat.divide(Double(parameter.value.withUnsafeBufferPointer { norm($0) }), numelRoot)
        let alpha = (rms > eps2 ? rms : eps2) * rho
        if weightDecay != 0 {
            let decay = Float(1 - lr * weightDecay)
            parameter.value.withUnsafeMutableBufferPointer { p in
                for i in 0..<count { p[i] = p[i] * decay }
            }
        }
        // `update`: `var_estimate.clamp_(min=eps1 * eps1).rsqrt_().mul_(grad)`.
        var update: [Float]
        if factored {
            let columns = shape[shape.count - 1], rows = shape[shape.count - 2], batches = count / (rows * columns)
            let weight = try Kernels.float32Scalar(oneMinusBeta2)
            g.withUnsafeBufferPointer { g in
                state.rowVar!.withUnsafeMutableBufferPointer { rowVar in
                    for r in 0..<batches * rows {
                        let n = Kernels.Reduce.norm(g.baseAddress! + r * columns, count: columns)
                        rowVar[r] = Kernels.Element.lerp(rowVar[r], n * n / Float(columns), weight: weight)
                    }
                }
            }
            let colWeight = try Kernels.float32Scalar(oneMinusBeta2)
            g.withUnsafeBufferPointer { g in
                state.colVar!.withUnsafeMutableBufferPointer { colVar in
                    for b in 0..<batches {
                        for c in 0..<columns {
                            let start = g.baseAddress! + b * rows * columns + c
                            // A single column is contiguous: ATen's last-dimension loop.
                            let n = columns == 1
                                ? Kernels.Reduce.norm(start, count: rows)
                                : Kernels.Reduce.stridedNorm(start, count: rows, stride: columns)
                            let i = b * columns + c
                            colVar[i] = Kernels.Element.lerp(colVar[i], n * n / Float(rows), weight: colWeight)
                        }
                    }
                }
            }
            let rowVar = state.rowVar!, colVar = state.colVar!
            var estimate = [Float](repeating: 0, count: count)
            let floor = try Kernels.float32Scalar(eps1)
            rowVar.withUnsafeBufferPointer { rowVar in
                for b in 0..<batches {
                    // `row_var.mean(dim=-2, keepdim=True).clamp_(min=eps1)`
                    let mean = Kernels.Reduce.sum(rowVar.baseAddress! + b * rows, count: rows) / Float(rows)
                    let divisor = Kernels.Element.clampMin(mean, floor)
                    for r in 0..<rows {
                        for c in 0..<columns {
                            let i = (b * rows + r) * columns + c
                            estimate[i] = rowVar[b * rows + r] * colVar[b * columns + c] / divisor
                        }
                    }
                }
            }
            let squaredFloor = try Kernels.float32Scalar(eps1 * eps1)
            for i in 0..<count { estimate[i] = Self.rsqrt(estimate[i], squaredFloor) * g[i] }
            update = estimate
        } else {
            let weight = try Kernels.float32Scalar(oneMinusBeta2)
            // The clamp's scalar is converted after the lerp has written `variance`: one pass
            // for both when it converts, the lerp alone before the error when not.
            let floor = Result { () throws(PythonError) in try Kernels.float32Scalar(eps1 * eps1) }
            update = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                state.variance!.withUnsafeMutableBufferPointer { variance in
                    if case .success(let floor) = floor {
                        for i in 0..<count {
                            let v = Kernels.Element.lerp(variance[i], g[i] * g[i], weight: weight)
                            variance[i] = v
                            buffer[i] = Self.rsqrt(v, floor) * g[i]
                        }
                        initialized = count
                    } else {
                        for i in 0..<count { variance[i] = Kernels.Element.lerp(variance[i], g[i] * g[i], weight: weight) }
                        initialized = 0
                    }
                }
            }
            _ = try floor.get()
        }
        let updateRMS = try PyFloat.divide(Double(update.withUnsafeBufferPointer { norm($0) }), numelRoot * d)
        let denom = updateRMS > 1 ? updateRMS : 1
        let scale = try Kernels.float32Scalar(-alpha / denom)
        parameter.value.withUnsafeMutableBufferPointer { p in
            for i in 0..<count { p[i] = p[i].addingProduct(update[i], scale) }
        }
    }

    /// The rest of `_single_tensor_adafactor` for a vector, in two passes
    /// of C (`elementwise_kernels.c`) rather than the four of the Swift
    /// path above, with the same arithmetic and the same errors at the same
    /// points: one in order on one thread (the parameter's norm, the
    /// variance written, the update's norm: ATen's sequential sums), then
    /// on every thread the weight decay and the update, recomputed from
    /// the variance rather than stored.
    private func updateVectorInC(
        _ parameter: Parameter, _ grad: [Float], maximize: Bool, _ state: AdafactorState, rho: Double,
        numelRoot: Double, oneMinusBeta2: Double, d: Double, lr: Double, weightDecay: Double, eps1: Double,
        eps2: Double
    ) throws(PythonError) {
        let count = parameter.value.count
        var scalars = anneal_adafactor_scalars(
            lerpWeight: 0, floor: 0, decay: Float(1 - lr * weightDecay), scale: 0, maximize: maximize ? 1 : 0,
            hasWeightDecay: weightDecay != 0 ? 1 : 0)
        // `param.mul_(1 - lr * weight_decay)`, when an op after it raises.
        func decayOnly() {
            guard weightDecay != 0 else { return }
            parameter.value.withUnsafeMutableBufferPointer { p in
                for i in 0..<count { p[i] = p[i] * scalars.decay }
            }
        }
        do {
            scalars.lerpWeight = try Kernels.float32Scalar(oneMinusBeta2)
        } catch {
            decayOnly()
            throw error
        }
        do {
            scalars.floor = try Kernels.float32Scalar(eps1 * eps1)
        } catch {
            // The lerp has written the variance.
            decayOnly()
            let sign: Float = maximize ? -1 : 1
            state.variance!.withUnsafeMutableBufferPointer { variance in
                for i in 0..<count {
                    let squared = (sign * grad[i]) * (sign * grad[i])
                    variance[i] = Kernels.Element.lerp(variance[i], squared, weight: scalars.lerpWeight)
                }
            }
            throw error
        }
        var paramNorm: Float = 0, updateNorm: Float = 0
        grad.withUnsafeBufferPointer { g in
            parameter.value.withUnsafeBufferPointer { p in
                state.variance!.withUnsafeMutableBufferPointer { variance in
                    anneal_adafactor_vector_norms(
                        &scalars, p.baseAddress!, g.baseAddress!, variance.baseAddress!, count, &paramNorm,
                        &updateNorm)
                }
            }
        }
        let rms = try PyFloat.divide(Double(paramNorm), numelRoot)
        let alpha = (rms > eps2 ? rms : eps2) * rho
        do {
            let updateRMS = try PyFloat.divide(Double(updateNorm), numelRoot * d)
            let denom = updateRMS > 1 ? updateRMS : 1
            scalars.scale = try Kernels.float32Scalar(-alpha / denom)
        } catch {
            decayOnly()
            throw error
        }
        let finished = scalars
        grad.withUnsafeBufferPointer { g in
            parameter.value.withUnsafeMutableBufferPointer { p in
                state.variance!.withUnsafeMutableBufferPointer { variance in
                    let loop = Kernels.CFunctionLoop(streamsUsed: 0b111) { streams, offset, count in
                        withUnsafePointer(to: finished) { scalars in
                            anneal_adafactor_vector_update(
                                scalars, streams.s0 + offset, streams.s1 + offset, streams.s2 + offset, count)
                        }
                    }
                    let streams = Kernels.Streams(p.baseAddress!, g.baseAddress!, variance.baseAddress!)
                    Kernels.runLoop(loop, streams, count: count)
                }
            }
        }
    }

    /// `clamp_(min=floor)` then `rsqrt_()`: `1 / sqrt`, the square root correctly rounded.
    @inline(__always)
    private static func rsqrt(_ x: Float, _ floor: Float) -> Float {
        1 / Kernels.Element.clampMin(x, floor).squareRoot()
    }

    private func norm(_ values: UnsafeBufferPointer<Float>) -> Float {
        guard let base = values.baseAddress else { return 0 }
        return Kernels.Reduce.norm(base, count: values.count)
    }
}

/// Adafactor's `state[p]`: `step`, and the factors `row_var`, `col_var` of
/// a parameter with 2 or more dimensions, or `variance` of a vector.
public final class AdafactorState: TensorOptimizerState {
    /// `state["step"]`, a float32 tensor in PyTorch.
    var step: Float = 0
    var rowVar: [Float]?
    var colVar: [Float]?
    var variance: [Float]?

    public init() {}

    /// The lazy initialization: zeros, factored when `shape` has 2 or more dimensions.
    convenience init(shape: [Int]) {
        self.init()
        if shape.count > 1 {
            rowVar = ScalarStorage.filled(0, count: Self.count(of: "row_var", shape))
            colVar = ScalarStorage.filled(0, count: Self.count(of: "col_var", shape))
        } else {
            variance = ScalarStorage.filled(0, count: shape.reduce(1, *))
        }
    }

    /// The number of elements of the state tensor `key` of a parameter of `shape`.
    static func count(of key: String, _ shape: [Int]) -> Int {
        OptimizerStateEntry.shape(of: key, parameterShape: shape).reduce(1, *)
    }

    public static var fields: [TensorStateField<AdafactorState>] {
        [
            .step(\.step), .optionalTensor("row_var", \.rowVar), .optionalTensor("col_var", \.colVar),
            .optionalTensor("variance", \.variance),
        ]
    }
}
