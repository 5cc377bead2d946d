/// The rectifier `max(x, 0)`: PyTorch's `nn.ReLU` (or `torch.relu` in a
/// `forward`). No parameters.
///
/// The gradient passes where the input was positive and is 0 elsewhere,
/// including at exactly 0, as PyTorch's `threshold_backward` does.
///
/// ```swift
/// let relu = ReLU()
/// relu.forward(Tensor(rows: [[-1, 2]]))   // [[0, 2]]
/// relu.backward(Tensor(rows: [[5, 5]]))   // [[0, 5]]
/// ```
public final class ReLU: Module {
    /// The output of the last forward pass: positive exactly where the input was.
    private var output: Tensor?

    /// A ReLU layer.
    public init() {}

    /// `max(x, 0)` elementwise.
    public func forward(_ input: Tensor) -> Tensor {
        let result = input.relu()
        output = result
        return result
    }

    /// The gradient where the last input was positive, 0 elsewhere.
    @discardableResult
    public func backward(_ outputGradient: Tensor) -> Tensor {
        guard let output else { preconditionFailure("ReLU.backward(_:) called before forward(_:)") }
        precondition(
            outputGradient.shape == output.shape,
            "ReLU.backward(_:) needs a gradient of shape \(output.shape), got \(outputGradient.shape)")
        return output.withUnsafeBufferPointer { mask in
            outputGradient.withUnsafeBufferPointer { gradient in
                Tensor(shape: output.shape) { result in
                    for i in 0..<result.count { result[i] = mask[i] > 0 ? gradient[i] : 0 }
                }
            }
        }
    }

    /// None.
    public func namedParameters() -> [(name: String, parameter: Parameter)] { [] }
}
