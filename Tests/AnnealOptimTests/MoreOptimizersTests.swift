import Testing
@testable import AnnealOptim

/// Adagrad, Adadelta, Adamax, NAdam, RAdam, ASGD and Rprop: PyTorch 2.13's
/// constructor errors (checked with `torch.optim.X(...)` in Python), their
/// state keys and shapes, and the checked scalar conversions of a step.
/// Their arithmetic is checked by the goldens (Golden/Optimizer).
@Suite struct MoreOptimizersTests {
    func error(_ kind: OptimizerKind, _ options: JSONObject) -> PythonError? {
        pythonError { _ = try makeOptimizer(kind, groups: [ParameterGroup(parameters: [threeValues()])], options: options) }
    }

    @Test func constructorArguments() {
        #expect(error(.adagrad, ["lr_decay": -0.1]) == PythonError("ValueError", "Invalid lr_decay value: -0.1"))
        #expect(
            error(.adagrad, ["initial_accumulator_value": -1])
                == PythonError("ValueError", "Invalid initial_accumulator_value value: -1"))
        #expect(error(.adadelta, ["rho": 1.5]) == PythonError("ValueError", "Invalid rho value: 1.5"))
        #expect(error(.adamax, ["betas": [0.9, -0.5]]) == PythonError("ValueError", "Invalid beta parameter at index 1: -0.5"))
        #expect(error(.nAdam, ["momentum_decay": -0.1]) == PythonError("ValueError", "Invalid momentum_decay value: -0.1"))
        #expect(error(.rAdam, ["eps": -1e-8]) == PythonError("ValueError", "Invalid epsilon value: -1e-08"))
        #expect(error(.asgd, ["lr": -0.1]) == PythonError("ValueError", "Invalid learning rate: -0.1"))
        #expect(error(.rprop, ["etas": [1.5, 2.0]]) == PythonError("ValueError", "Invalid eta values: 1.5, 2.0"))
        #expect(
            error(.rprop, ["momentum": 0.9])
                == PythonError("TypeError", "Rprop.__init__() got an unexpected keyword argument 'momentum'"))
    }

    /// The state dict keys in PyTorch's order, 0-dim tensors as numbers.
    @Test func stateKeys() throws {
        let cases: [(OptimizerKind, [String])] = [
            (.adagrad, ["step", "sum"]), (.adadelta, ["step", "square_avg", "acc_delta"]),
            (.adamax, ["step", "exp_avg", "exp_inf"]), (.nAdam, ["step", "mu_product", "exp_avg", "exp_avg_sq"]),
            (.rAdam, ["step", "exp_avg", "exp_avg_sq"]), (.asgd, ["step", "eta", "mu", "ax"]),
            (.rprop, ["step", "prev", "step_size"]),
        ]
        for (kind, keys) in cases {
            let w = Parameter(Tensor(shape: [2, 2], scalars: [0.5, -1, 2, 0.25]))
            let optimizer = try makeOptimizer(kind, groups: [ParameterGroup(parameters: [w])], options: [:])
            w.grad = Tensor(shape: [2, 2], scalars: [0.1, 0.2, -0.3, 0.4])
            try optimizer.step()
            let state = try #require((optimizer as? any AnyTensorOptimizer)?.reportedState(of: w))
            #expect(Array(state.keys) == keys, "\(kind)")
            #expect(state["step"] == 1.0)
            #expect(state[keys.last!]?.arrayValue?.first?.arrayValue?.count == 2, "\(kind): 2-D state as rows")
        }
    }

    /// Adagrad makes its state in the constructor, as PyTorch does.
    @Test func adagradStateBeforeTheFirstStep() throws {
        let w = threeValues()
        let adagrad = try Adagrad(parameters: [w], initialAccumulatorValue: 0.5)
        #expect(adagrad.state(of: w)?["sum"] == [0.5, 0.5, 0.5])
        #expect(adagrad.state(of: w)?["step"] == 0.0)
    }

    /// An `lr` out of float32's range raises PyTorch's RuntimeError at the
    /// step (`addcdiv_`'s `value`, `add_`'s `alpha`, `full_like`'s fill).
    /// (RAdam and ASGD only multiply by it, unchecked: PyTorch writes infinities.)
    @Test func scalarConversionOverflow() throws {
        for kind in [OptimizerKind.adagrad, .adadelta, .adamax, .nAdam, .rprop] {
            let w = threeValues()
            let optimizer = try makeOptimizer(kind, groups: [ParameterGroup(parameters: [w])], options: ["lr": 1e300])
            w.grad = Tensor([0.1, 0.2, 0.3])
            let raised = pythonError { try optimizer.step() }
            #expect(raised == PythonError("RuntimeError", "value cannot be converted to type float without overflow"), "\(kind)")
        }
    }
}

/// What every tensor optimizer has, whatever its state type, for tests over several kinds.
protocol AnyTensorOptimizer {
    func reportedState(of parameter: Parameter) -> JSONObject?
    func stateEntries() -> [OptimizerStateEntry]
    func loadStateEntries(_ entries: [OptimizerStateEntry]) throws
}
extension TensorOptimizer: AnyTensorOptimizer {
    func reportedState(of parameter: Parameter) -> JSONObject? { state(of: parameter) }
}
