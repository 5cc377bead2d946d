/// The mean squared error `mean((input − target)²)`: PyTorch's
/// `nn.MSELoss()` (`reduction='mean'`), the loss for regression.
///
/// The gradient is `∂loss/∂input = (2/N) · (input − target)` with `N` the
/// element count, computed as PyTorch's `mse_loss_backward` does (the
/// factor `2/N` rounded to float32, times the float32 difference). The loss
/// sums the squares in `Double` and rounds once.
///
/// ```swift
/// let mse = MSELoss()
/// let (loss, gradient) = mse.lossAndGradient(Tensor([1, 3]), Tensor([0, 1]))
/// // loss == 2.5 ((1 + 4) / 2); gradient == [1, 2]
/// ```
public struct MSELoss: Sendable {
    /// The mean-reduced loss.
    public init() {}

    /// The loss alone, as `criterion(input, target).item()`.
    ///
    /// ```swift
    /// MSELoss()(Tensor([2]), Tensor([0]))   // 4
    /// ```
    public func callAsFunction(_ input: Tensor, _ target: Tensor) -> Float {
        lossAndGradient(input, target).loss
    }

    /// The loss and `∂loss/∂input` (for ``Module/backward(_:)``). Shapes must
    /// be equal (PyTorch broadcasts here with a warning; that is almost
    /// always a bug, so it is a precondition).
    ///
    /// ```swift
    /// let (loss, gradient) = MSELoss().lossAndGradient(model(x), y)
    /// model.backward(gradient)
    /// ```
    public func lossAndGradient(_ input: Tensor, _ target: Tensor) -> (loss: Float, gradient: Tensor) {
        precondition(
            input.shape == target.shape, "MSELoss needs equal shapes, got input \(input.shape) and target \(target.shape)")
        precondition(input.count > 0, "MSELoss of empty tensors (shape \(input.shape))")
        let factor = Float(2 / Double(input.count))
        var sum: Double = 0
        let gradient = input.withUnsafeBufferPointer { x in
            target.withUnsafeBufferPointer { t in
                Tensor(shape: input.shape) { g in
                    for i in 0..<g.count {
                        let difference = x[i] - t[i]
                        sum += Double(difference * difference)
                        g[i] = factor * difference
                    }
                }
            }
        }
        return (Float(sum / Double(input.count)), gradient)
    }
}
