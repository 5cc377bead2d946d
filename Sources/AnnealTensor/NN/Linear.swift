/// A fully connected layer `y = x · Wᵀ + b`: PyTorch's `nn.Linear`.
///
/// `weight` is `[outFeatures, inFeatures]` and `bias` `[outFeatures]`, as in
/// PyTorch. The input is a batch `[batch, inFeatures]` and the output
/// `[batch, outFeatures]`.
///
/// Initialization follows PyTorch's `reset_parameters()`:
/// `kaiming_uniform_(weight, a=√5)`, which works out to
/// `U(−1/√inFeatures, 1/√inFeatures)`, and the bias from the same
/// `U(−1/√inFeatures, 1/√inFeatures)` (PyTorch's `fan_in` bound). The
/// weights are drawn first, row-major, then the bias. The distribution is
/// PyTorch's; the numbers are not (a different generator, see
/// ``Xoshiro256StarStar``).
///
/// ```swift
/// var rng = Xoshiro256StarStar(seed: 0)
/// let fc1 = Linear(inFeatures: 1, outFeatures: 32, using: &rng)
/// fc1.weight.value.shape   // [32, 1]
/// ```
public final class Linear: Module {
    /// The width of each input row (`in_features`).
    public let inFeatures: Int
    /// The width of each output row (`out_features`).
    public let outFeatures: Int
    /// `[outFeatures, inFeatures]`, named `weight`.
    public let weight: Parameter
    /// `[outFeatures]`, named `bias`; `nil` for a layer built without one.
    public let bias: Parameter?

    /// The input of the last forward pass (`∂y/∂W` needs it).
    private var input: Tensor?

    /// A layer with PyTorch's default initialization drawn from `rng`.
    ///
    /// ```swift
    /// var rng = Xoshiro256StarStar(seed: 0)
    /// let layer = Linear(inFeatures: 10, outFeatures: 32, using: &rng)
    /// ```
    public convenience init(inFeatures: Int, outFeatures: Int, bias: Bool = true, using rng: inout Xoshiro256StarStar) {
        precondition(inFeatures > 0, "Linear needs inFeatures > 0, got \(inFeatures)")
        precondition(outFeatures > 0, "Linear needs outFeatures > 0, got \(outFeatures)")
        let bound = Float(1 / Double(inFeatures).squareRoot())
        let weight = Tensor.uniform([outFeatures, inFeatures], -bound, bound, using: &rng)
        let biasValue = bias ? Tensor.uniform([outFeatures], -bound, bound, using: &rng) : nil
        self.init(weight: weight, bias: biasValue)
    }

    /// A layer with the given values: `weight` `[out, in]`, `bias` `[out]` or `nil`.
    ///
    /// ```swift
    /// let layer = Linear(weight: Tensor(rows: [[2]]), bias: Tensor([1]))   // y = 2x + 1
    /// ```
    public init(weight: Tensor, bias: Tensor?) {
        precondition(weight.rank == 2, "Linear weight must be [out, in], got shape \(weight.shape)")
        outFeatures = weight.shape[0]
        inFeatures = weight.shape[1]
        if let bias {
            precondition(bias.shape == [outFeatures], "Linear bias must be [\(outFeatures)], got shape \(bias.shape)")
        }
        self.weight = Parameter(weight, name: "weight")
        self.bias = bias.map { Parameter($0, name: "bias") }
    }

    /// `x · Wᵀ + b` for `x` of shape `[batch, inFeatures]`.
    public func forward(_ input: Tensor) -> Tensor {
        precondition(
            input.rank == 2 && input.shape[1] == inFeatures,
            "Linear(\(inFeatures) → \(outFeatures)) needs input [batch, \(inFeatures)], got shape \(input.shape)")
        self.input = input
        var output = input.matmul(weight.value, transposingOther: true)
        if let bias { output += bias.value }
        return output
    }

    /// With `g = ∂loss/∂y` `[batch, out]`: `∂W += gᵀ · x`, `∂b += Σ_batch g`,
    /// and returns `∂x = g · W`.
    @discardableResult
    public func backward(_ outputGradient: Tensor) -> Tensor {
        guard let input else { preconditionFailure("Linear.backward(_:) called before forward(_:)") }
        precondition(
            outputGradient.shape == [input.shape[0], outFeatures],
            "Linear.backward(_:) needs a gradient of shape \([input.shape[0], outFeatures]), got \(outputGradient.shape)")
        // The product is formed first and then added, as PyTorch's autograd
        // does (`grad += new`), so a second pass rounds exactly as there.
        weight.accumulateGradient(outputGradient.matmul(input, transposingSelf: true))
        if let bias { bias.accumulateGradient(outputGradient.sum(alongAxis: 0)) }
        return outputGradient.matmul(weight.value)
    }

    /// `weight`, then `bias`.
    public func namedParameters() -> [(name: String, parameter: Parameter)] {
        var result: [(name: String, parameter: Parameter)] = [("weight", weight)]
        if let bias { result.append(("bias", bias)) }
        return result
    }
}
