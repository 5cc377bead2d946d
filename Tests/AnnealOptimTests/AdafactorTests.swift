import Testing
@testable import AnnealOptim

/// Adafactor: PyTorch 2.13's constructor errors (checked with
/// `torch.optim.Adafactor(...)` in Python), its factored state's keys and
/// shapes, ATen's reduction orders (the expected values are torch's, printed
/// with `float.hex()`), and the checked scalar conversions of a step with
/// the writes of the ops before the failing one. Its arithmetic is checked
/// by the goldens (Golden/Optimizer/Adafactor*).
@Suite struct AdafactorTests {
    func error(_ options: JSONObject) -> PythonError? {
        pythonError { _ = try makeOptimizer(.adafactor, groups: [ParameterGroup(parameters: [threeValues()])], options: options) }
    }

    @Test func constructorArguments() {
        #expect(error(["lr": -0.01]) == PythonError("ValueError", "Learning rate should be >= 0 but is: -0.01"))
        #expect(error(["beta2_decay": 0.5]) == PythonError("ValueError", "beta2_decay should be <= 0 but is: 0.5"))
        #expect(error(["eps": [-1.0, 0.001]]) == PythonError("ValueError", "epsilon1 should be >= 0 but is: -1.0"))
        #expect(error(["eps": [nil, -0.001]]) == PythonError("ValueError", "epsilon2 should be >= 0 but is: -0.001"))
        #expect(error(["d": 0.5]) == PythonError("ValueError", "Clipping threshold d should be >= 1 but is: 0.5"))
        #expect(error(["weight_decay": -0.1]) == PythonError("ValueError", "weight_decay should be >= 0 but is: -0.1"))
        #expect(error(["eps": [nil, 0.001], "d": 1]) == nil)
        #expect(
            error(["momentum": 0.9])
                == PythonError("TypeError", "Adafactor.__init__() got an unexpected keyword argument 'momentum'"))
    }

    /// A matrix keeps `row_var` (rows x 1) and `col_var` (1 x columns), a vector `variance`.
    @Test func factoredState() throws {
        let matrix = Parameter(Tensor(shape: [3, 5], scalars: values(15, seed: 3)))
        let vector = threeValues()
        let adafactor = try Adafactor(parameters: [matrix, vector], eps: (nil, 1e-3))
        setQuadraticGradients([matrix, vector])
        try adafactor.step()
        let factored = try #require(adafactor.state(of: matrix))
        #expect(Array(factored.keys) == ["step", "row_var", "col_var"])
        #expect(factored["step"] == 1.0)
        let rows = try #require(factored["row_var"]?.arrayValue)
        #expect(rows.count == 3 && rows.allSatisfy { $0.arrayValue?.count == 1 })
        let columns = try #require(factored["col_var"]?.arrayValue)
        #expect(columns.count == 1 && columns[0].arrayValue?.count == 5)
        #expect(Array(try #require(adafactor.state(of: vector)).keys) == ["step", "variance"])
        #expect(adafactor.paramGroups[0]["eps"] == [nil, 0.001])
    }

    /// `x.norm(2)`: 8 lanes, then 4 rounded products, then FMAs. A plain
    /// sequential sum gives other values for 19 and 130 elements.
    @Test func normOrder() {
        let expected: [(Int, Double)] = [
            (7, 0x1.4ccc26p+1), (12, 0x1.062d02p+1), (19, 0x1.8124dap+1), (130, 0x1.e2e68ep+2),
        ]
        for (count, norm) in expected {
            let x = Self.torchValues(count, seed: count)
            #expect(Kernels.Reduce.norm(x, count: count) == Float(norm), "\(count)")
        }
        let column = Self.torchValues(33 * 7, seed: 5)
        #expect(Kernels.Reduce.stridedNorm(column, count: 33, stride: 7) == Float(0x1.ee65dap+1))
    }

    /// `x.sum()`: ATen's cascade sum (a sequential sum differs at 33, 64 and 600).
    @Test func sumOrder() {
        let expected: [(Int, Double)] = [(5, 0x1.21d7fp-1), (33, 0x1.0479bep+4), (64, 0x1.1f7226p+5), (600, 0x1.4d462ap+8)]
        for (count, sum) in expected {
            let x = Self.torchValues(count, seed: count).map(abs)
            #expect(Kernels.Reduce.sum(x, count: count) == Float(sum), "\(count)")
        }
    }

    /// `eps1 * eps1 = 1e40` is refused at the vector's `clamp_`: its step and
    /// `variance` are written, its values not; the matrix after it keeps the
    /// fresh state `_init_group` gave it.
    @Test func clampScalarOverflowKeepsEarlierWrites() throws {
        let vector = threeValues()
        let matrix = Parameter(Tensor(shape: [2, 3], scalars: values(6, seed: 4)))
        let before = matrix.value.scalars
        let adafactor = try Adafactor(parameters: [vector, matrix], eps: (1e20, 1e-3))
        let vectorBefore = vector.value.scalars
        setQuadraticGradients([vector, matrix])
        let raised = pythonError { try adafactor.step() }
        #expect(raised == PythonError("RuntimeError", "value cannot be converted to type float without overflow"))
        #expect(vector.value.scalars == vectorBefore)
        #expect(adafactor.state(of: vector)?["step"] == 1.0)
        #expect(adafactor.state(of: vector)?["variance"] != [0.0, 0.0, 0.0])
        #expect(matrix.value.scalars == before)
        #expect(adafactor.state(of: matrix)?["step"] == 0.0)
    }

    /// `alpha = eps2 * rho = 1e300` is refused at `add_(alpha=)`, after the state was written.
    @Test func alphaOverflow() throws {
        let w = threeValues()
        let adafactor = try Adafactor(parameters: [w], eps: (nil, 1e300))
        setQuadraticGradients([w])
        let raised = pythonError { try adafactor.step() }
        #expect(raised == PythonError("RuntimeError", "value cannot be converted to type float without overflow"))
        #expect(w.value.scalars == [0.5, -1.25, 3.0])
        #expect(adafactor.state(of: w)?["variance"] != [0.0, 0.0, 0.0])
    }

    /// `__setstate__` gives a loaded group `foreach` only.
    @Test func setStateDefaults() {
        #expect(OptimizerKind.adafactor.setStateDefaults.map(\.key) == ["foreach"])
    }

    /// Deterministic float32 values in [-2/3, 4/3), as in the Python script that printed the expectations.
    static func torchValues(_ count: Int, seed: Int) -> [Float] {
        (0..<count).map { (i: Int) -> Float in
            let residue = Double((i * 7919 + seed * 104729) % 2003)
            let shifted: Double = residue / 1001.0 - 1.0
            return Float(shifted + 1.0 / 3)
        }
    }
}
