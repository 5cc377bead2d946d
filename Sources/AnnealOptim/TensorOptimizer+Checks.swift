import Anneal
import AnnealTensor

/// What every tensor optimizer checks after PyTorch's own validation: the
/// `fused`/`foreach` combinations PyTorch rejects, then the paths Anneal does
/// not compute (only `foreach=False`'s arithmetic is reproduced).
func checkImplementedPath(_ kind: OptimizerKind, defaults: JSONObject) throws(PythonError) {
    let fused = defaults["fused"]?.isPythonTruthy ?? false
    if fused {
        if defaults["differentiable"]?.isPythonTruthy ?? false {
            throw .runtimeError("`fused` does not support `differentiable`")
        }
        if defaults["foreach"]?.isPythonTruthy ?? false {
            throw .runtimeError("`fused` and `foreach` cannot be `True` together.")
        }
    }
    for key in ["foreach", "fused", "capturable", "differentiable"] where defaults[key]?.isPythonTruthy ?? false {
        throw PythonError(
            "NotImplementedError",
            "Anneal's \(kind.rawValue) computes PyTorch's foreach=False path only; \(key)=True is not supported")
    }
}

/// The groups of `parameterGroups` and `paramGroups` must line up (a user
/// may append to or remove from `paramGroups`; use `addParamGroup`).
func checkGroupsMatch<State: TensorOptimizerState>(_ paramGroups: [ParamGroup], _ store: ParameterStore<State>) throws(PythonError) {
    guard paramGroups.count == store.groups.count else {
        throw .valueError(
            "paramGroups has \(paramGroups.count) groups but the optimizer holds parameters for \(store.groups.count); add groups with addParamGroup")
    }
    for (index, (group, parameters)) in zip(paramGroups, store.groups).enumerated()
    where group.parameterCount != parameters.count {
        throw .valueError(
            "param group \(index) counts \(group.parameterCount) parameters but holds \(parameters.count)")
    }
}

/// The gradient of `parameter`, checked against its shape.
func gradient(of parameter: Parameter) throws(PythonError) -> Tensor? {
    guard let grad = parameter.grad else { return nil }
    guard grad.shape == parameter.value.shape else {
        throw .runtimeError(
            "gradient of shape \(grad.shape) does not match parameter\(parameter.name.map { " '\($0)'" } ?? "") of shape \(parameter.value.shape)")
    }
    return grad
}

/// A state tensor must have as many elements as its parameter (the
/// parameter's value may have been replaced by one of another size).
func checkCount(_ buffer: [Float], _ count: Int, _ key: String, _ parameter: Parameter) throws(PythonError) {
    guard buffer.count == count else {
        throw .runtimeError(
            "optimizer state '\(key)' has \(buffer.count) elements but its parameter\(parameter.name.map { " '\($0)'" } ?? "") has \(count)")
    }
}

/// `body` with the buffer's base address when `use` (the buffer then exists), else `nil`.
@inline(__always)
func withOptionalBuffer(
    _ buffer: inout [Float]?, _ use: Bool, _ body: (UnsafeMutablePointer<Float>?) -> Void
) {
    if use {
        buffer!.withUnsafeMutableBufferPointer { body($0.baseAddress!) }
    } else {
        body(nil)
    }
}

/// `body` over one parameter's values, its gradient and one state tensor,
/// as raw buffers: the per-element loops of the optimizers that update in
/// plain Swift (Adagrad, ASGD).
@inline(__always)
func withElements(
    _ parameter: Parameter, _ grad: Tensor, _ state: inout [Float],
    _ body: (UnsafeMutableBufferPointer<Float>, UnsafeBufferPointer<Float>, UnsafeMutableBufferPointer<Float>) -> Void
) {
    grad.withUnsafeBufferPointer { g in
        parameter.value.withUnsafeMutableBufferPointer { p in
            state.withUnsafeMutableBufferPointer { s in body(p, g, s) }
        }
    }
}

/// ``withElements(_:_:_:_:)`` with two state tensors (Adadelta, Adamax,
/// NAdam, RAdam, Rprop).
@inline(__always)
func withElements(
    _ parameter: Parameter, _ grad: Tensor, _ first: inout [Float], _ second: inout [Float],
    _ body: (
        UnsafeMutableBufferPointer<Float>, UnsafeBufferPointer<Float>, UnsafeMutableBufferPointer<Float>,
        UnsafeMutableBufferPointer<Float>
    ) -> Void
) {
    withElements(parameter, grad, &first) { p, g, a in
        second.withUnsafeMutableBufferPointer { b in body(p, g, a, b) }
    }
}
