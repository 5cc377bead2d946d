extension Parameter {
    /// Adds `gradient` to ``grad`` as PyTorch's autograd does: the first
    /// contribution after ``zeroGrad(setToNone:)`` becomes `grad`, later ones
    /// (another backward pass before zeroing) are summed into it in place.
    ///
    /// ```swift
    /// let p = Parameter(Tensor([1, 2]))
    /// p.accumulateGradient(Tensor([0.5, 0.5]))
    /// p.accumulateGradient(Tensor([0.5, 0.5]))
    /// p.grad   // [1, 1]
    /// ```
    public func accumulateGradient(_ gradient: Tensor) {
        precondition(
            gradient.shape == value.shape,
            "gradient of shape \(gradient.shape) for parameter \(name ?? "?") of shape \(value.shape)")
        if grad == nil {
            grad = gradient
        } else {
            grad! += gradient
        }
    }

    /// Clears the gradient, as `optimizer.zero_grad()` does: with
    /// `setToNone: true` (PyTorch 2's default) ``grad`` becomes `nil`, so an
    /// optimizer skips the parameter until a backward pass sets it again;
    /// with `false` it is filled with zeros in place (keeping its buffer).
    ///
    /// ```swift
    /// let p = Parameter(Tensor([1]))
    /// p.grad = Tensor([3])
    /// p.zeroGrad()                    // p.grad == nil
    /// ```
    public func zeroGrad(setToNone: Bool = true) {
        if setToNone {
            grad = nil
        } else if grad != nil {
            grad!.fill(0)
        }
    }
}
