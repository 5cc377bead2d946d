extension Tensor {
    /// A tensor of `shape` with elements uniform in `[low, high)` (see
    /// ``Xoshiro256StarStar/uniform(_:_:)``), drawn in row-major order, one
    /// generator output per element, as `torch.empty(shape).uniform_(low, high)`.
    ///
    /// ```swift
    /// var rng = Xoshiro256StarStar(seed: 0)
    /// let w = Tensor.uniform([32, 1], -1, 1, using: &rng)
    /// ```
    public static func uniform(_ shape: [Int], _ low: Float, _ high: Float, using rng: inout Xoshiro256StarStar) -> Tensor {
        precondition(low <= high, "uniform needs low <= high, got \(low) and \(high)")
        return Tensor(shape: shape) { buffer in
            for i in 0..<buffer.count { buffer[i] = rng.uniform(low, high) }
        }
    }

    /// A tensor of `shape` with normal elements (see
    /// ``Xoshiro256StarStar/fillNormal(_:mean:standardDeviation:)``) in
    /// row-major order, as `torch.randn(shape) * std + mean`.
    ///
    /// ```swift
    /// var rng = Xoshiro256StarStar(seed: 7)
    /// let x = Tensor.normal([512, 10], using: &rng)
    /// ```
    public static func normal(
        _ shape: [Int], mean: Double = 0, standardDeviation: Double = 1, using rng: inout Xoshiro256StarStar
    ) -> Tensor {
        precondition(standardDeviation >= 0, "normal needs a standard deviation >= 0, got \(standardDeviation)")
        return Tensor(shape: shape) { buffer in
            rng.fillNormal(buffer, mean: mean, standardDeviation: standardDeviation)
        }
    }
}
