import Testing
@testable import AnnealOptim

/// The quadratic gradient of the trace format: `(p - 1) * 0.5` in float32.
func setQuadraticGradients(_ parameters: [Parameter], target: Float = 1, scale: Float = 0.5) {
    for parameter in parameters {
        parameter.grad = Tensor(shape: parameter.value.shape, scalars: parameter.value.scalars.map { ($0 - target) * scale })
    }
}

/// Runs `steps` optimizer steps with quadratic gradients.
func run(_ optimizer: Optimizer, _ parameters: [Parameter], steps: Int) throws {
    for _ in 0..<steps {
        setQuadraticGradients(parameters)
        try optimizer.step()
    }
}

/// The float32 bit patterns of values, for 0-ULP comparisons (NaN payloads aside).
func bits(_ values: [Float]) -> [UInt32] { values.map(\.bitPattern) }

/// PyTorch's values (printed as Python floats, i.e. float32 values as doubles) as float32.
func float32(_ values: [Double]) -> [Float] { values.map { Float($0) } }

/// The `PythonError` `body` throws, or `nil`.
func pythonError(_ body: () throws -> Void) -> PythonError? {
    do {
        try body()
        return nil
    } catch let error as PythonError {
        return error
    } catch {
        return PythonError("unexpected", "\(error)")
    }
}

/// Fresh parameters: `[0.5, -1.25, 3.0]`, as in the goldens.
func threeValues() -> Parameter { Parameter(Tensor([0.5, -1.25, 3.0])) }

/// Deterministic values in [-3, 3).
func values(_ count: Int, seed: UInt64) -> [Float] {
    var state = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    return (0..<count).map { _ in
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Float(Double(state >> 40) / Double(1 << 24) * 6 - 3)
    }
}
