/// A layer or model with a hand-written reverse-mode gradient: PyTorch's
/// `nn.Module`, for multilayer perceptrons.
///
/// Autograd here is per module rather than a general tape: ``forward(_:)``
/// computes the output and keeps what the gradient needs (a linear layer
/// its input, a ReLU where its input was positive), and ``backward(_:)``
/// takes `∂loss/∂output` of that most recent forward pass, accumulates
/// `∂loss/∂parameter` into each ``Parameter/grad`` (summing, as PyTorch's
/// `.grad` does until it is zeroed) and returns `∂loss/∂input` for the
/// module before it. A ``Sequential`` chains both directions, and a loss
/// (``MSELoss``, ``CrossEntropyLoss``) supplies the first gradient, so
///
/// ```swift
/// let output = model.forward(x)
/// let (loss, gradient) = MSELoss().lossAndGradient(output, y)
/// model.backward(gradient)   // loss.backward()
/// ```
///
/// is PyTorch's `loss = criterion(model(x), y); loss.backward()`.
/// Modules are classes: the optimizer holds the same ``Parameter`` objects.
public protocol Module: AnyObject {
    /// The output for a batch `input`, keeping what ``backward(_:)`` needs.
    func forward(_ input: Tensor) -> Tensor

    /// Given `∂loss/∂output` of the last ``forward(_:)``, accumulates the
    /// parameters' gradients and returns `∂loss/∂input`.
    @discardableResult
    func backward(_ outputGradient: Tensor) -> Tensor

    /// The parameters with their names relative to this module, in
    /// registration order: `named_parameters()` (`weight`, `bias`, or
    /// `fc1.weight`, ... for a container).
    func namedParameters() -> [(name: String, parameter: Parameter)]
}

extension Module {
    /// `module(input)`: the same as ``forward(_:)``.
    ///
    /// ```swift
    /// let y = model(x)
    /// ```
    public func callAsFunction(_ input: Tensor) -> Tensor {
        forward(input)
    }

    /// The parameters in PyTorch's order (`model.parameters()`), e.g.
    /// `fc1.weight, fc1.bias, fc2.weight, ...`: what an optimizer takes.
    ///
    /// ```swift
    /// model.parameters().map(\.name)   // ["fc1.weight", "fc1.bias", ...]
    /// ```
    public func parameters() -> [Parameter] {
        namedParameters().map(\.parameter)
    }

    /// Clears every parameter's gradient (see ``Parameter/zeroGrad(setToNone:)``):
    /// `nil` by default, as PyTorch 2's `zero_grad()`; zeros with `setToNone: false`.
    ///
    /// ```swift
    /// model.zeroGrad()
    /// ```
    public func zeroGrad(setToNone: Bool = true) {
        for (_, parameter) in namedParameters() { parameter.zeroGrad(setToNone: setToNone) }
    }
}
