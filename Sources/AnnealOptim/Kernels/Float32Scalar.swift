import Anneal

extension Kernels {
    /// A Python float as PyTorch converts it for an op on float32 tensors
    /// (`alpha=`, `value=`, a `lerp` weight, a `mul_`/`add_`/`div` scalar):
    /// ATen's `c10::checked_convert<float, double>`, which rounds to nearest
    /// and raises when the value is finite but outside float32's range.
    /// Infinities and NaN convert as they are (`c10::overflows` lets them through).
    ///
    /// ```swift
    /// try Kernels.float32Scalar(0.1)      // 0.1 as Float
    /// try Kernels.float32Scalar(-1e300)   // RuntimeError: value cannot be converted to type float without overflow
    /// try Kernels.float32Scalar(.infinity) // inf
    /// ```
    ///
    /// The test is on the double, before rounding: `3.4028235677973366e38`
    /// rounds to `Float.greatestFiniteMagnitude` but is above it, and PyTorch refuses it.
    @inlinable
    static func float32Scalar(_ value: Double) throws(PythonError) -> Float {
        if value.isFinite, value < -Double(Float.greatestFiniteMagnitude) || value > Double(Float.greatestFiniteMagnitude) {
            throw .runtimeError("value cannot be converted to type float without overflow")
        }
        return Float(value)
    }
}
