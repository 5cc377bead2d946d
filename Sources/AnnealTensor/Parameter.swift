/// A trainable tensor shared by a model and its optimizer: PyTorch's
/// `nn.Parameter`. A reference type, because the optimizer updates in place
/// the very values the model computes with.
public final class Parameter: @unchecked Sendable {
    /// The current values.
    public var value: Tensor
    /// The gradient of the loss with respect to `value`, or `nil` when none
    /// was computed (the optimizer then skips the parameter, as PyTorch does).
    public var grad: Tensor?
    /// A name for checkpoints and messages, e.g. `"0.weight"`.
    public var name: String?

    /// A parameter holding `value`, without a gradient.
    ///
    /// ```swift
    /// let bias = Parameter(Tensor.zeros([32]), name: "fc1.bias")
    /// ```
    public init(_ value: Tensor, name: String? = nil) {
        self.value = value
        self.name = name
    }
}
