import Testing
@testable import AnnealOptim

/// Construction and step errors: PyTorch 2.13's exception types and
/// messages (checked with `torch.optim.X(...)` in Python).
@Suite struct ValidationTests {
    func error(_ kind: OptimizerKind, _ options: JSONObject, groups: [ParameterGroup]? = nil) -> PythonError? {
        pythonError { _ = try makeOptimizer(kind, groups: groups ?? [ParameterGroup(parameters: [threeValues()])], options: options) }
    }

    @Test func constructorArguments() {
        #expect(error(.sgd, ["lr": -0.1]) == PythonError("ValueError", "Invalid learning rate: -0.1"))
        #expect(error(.sgd, ["lr": 0.1, "momentum": -0.5]) == PythonError("ValueError", "Invalid momentum value: -0.5"))
        #expect(error(.sgd, ["lr": 0.1, "weight_decay": -1]) == PythonError("ValueError", "Invalid weight_decay value: -1"))
        #expect(
            error(.sgd, ["lr": 0.1, "nesterov": true])
                == PythonError("ValueError", "Nesterov momentum requires a momentum and zero dampening"))
        #expect(
            error(.sgd, ["lr": 0.1, "momentum": 0.9, "nesterov": true, "dampening": 0.5])
                == PythonError("ValueError", "Nesterov momentum requires a momentum and zero dampening"))
        #expect(error(.adam, ["betas": [1.0, 0.999]]) == PythonError("ValueError", "Invalid beta parameter at index 0: 1.0"))
        #expect(error(.adam, ["betas": [0.9, 1]]) == PythonError("ValueError", "Invalid beta parameter at index 1: 1"))
        #expect(error(.adam, ["eps": -1e-8]) == PythonError("ValueError", "Invalid epsilon value: -1e-08"))
        #expect(error(.adamW, ["lr": -1]) == PythonError("ValueError", "Invalid learning rate: -1"))
        // `torch.optim.Adam(p, betas=(0, 0.999))`: an int beta.
        #expect(error(.adam, ["betas": [0, 0.999]]) == PythonError("ValueError", "betas must be either both floats or both Tensors"))
        #expect(error(.rmsprop, ["alpha": -0.5]) == PythonError("ValueError", "Invalid alpha value: -0.5"))
        #expect(error(.rmsprop, ["momentum": -1]) == PythonError("ValueError", "Invalid momentum value: -1"))
        #expect(
            error(.sgd, ["lr": 0.1, "momentum": "a"])
                == PythonError("TypeError", "'<' not supported between instances of 'str' and 'float'"))
        #expect(
            error(.sgd, ["betas": [0.9, 0.99]])
                == PythonError("TypeError", "SGD.__init__() got an unexpected keyword argument 'betas'"))
        #expect(
            error(.adamW, ["decoupled_weight_decay": false])
                == PythonError("TypeError", "AdamW.__init__() got an unexpected keyword argument 'decoupled_weight_decay'"))
    }

    @Test func parameterGroups() {
        #expect(error(.sgd, ["lr": 0.1], groups: []) == PythonError("ValueError", "optimizer got an empty parameter list"))
        let shared = threeValues()
        #expect(
            error(.adam, [:], groups: [ParameterGroup(parameters: [shared]), ParameterGroup(parameters: [shared])])
                == PythonError("ValueError", "some parameters appear in more than one parameter group"))
        // An empty group is allowed, as in PyTorch.
        #expect(error(.sgd, [:], groups: [ParameterGroup(parameters: [])]) == nil)
    }

    @Test func pathsPyTorchRejectsOrAnnealDoesNotCompute() {
        #expect(
            error(.sgd, ["fused": true, "foreach": true])
                == PythonError("RuntimeError", "`fused` and `foreach` cannot be `True` together."))
        #expect(
            error(.adam, ["fused": true, "differentiable": true])
                == PythonError("RuntimeError", "`fused` does not support `differentiable`"))
        #expect(error(.adamW, ["foreach": true])?.type == "NotImplementedError")
        #expect(error(.rmsprop, ["capturable": true])?.type == "NotImplementedError")
        #expect(error(.sgd, ["foreach": false]) == nil)
    }

    /// `_init_group`'s KeyErrors when a group turns on state the parameter
    /// never got, and Python's ZeroDivisionError for `betas[0] == 1`.
    @Test func stepErrors() throws {
        let p = threeValues()
        let rmsprop = try RMSprop(parameters: [p])
        try run(rmsprop, [p], steps: 1)
        rmsprop.paramGroups[0].momentum = 0.5
        #expect(pythonError { try run(rmsprop, [p], steps: 1) } == PythonError("KeyError", "'momentum_buffer'"))
        rmsprop.paramGroups[0].momentum = 0
        rmsprop.paramGroups[0]["centered"] = true
        #expect(pythonError { try run(rmsprop, [p], steps: 1) } == PythonError("KeyError", "'grad_avg'"))

        let q = threeValues()
        let adam = try Adam(parameters: [q])
        try run(adam, [q], steps: 1)
        adam.paramGroups[0]["amsgrad"] = true
        #expect(pythonError { try run(adam, [q], steps: 1) } == PythonError("KeyError", "'max_exp_avg_sq'"))

        let r = threeValues()
        let adamW = try AdamW(parameters: [r])
        adamW.paramGroups[0].betas = .init(1.0, 0.999)
        #expect(pythonError { try run(adamW, [r], steps: 1) } == PythonError("ZeroDivisionError", "float division by zero"))

        let s = threeValues()
        let sgd = try SGD(parameters: [s])
        sgd.paramGroups[0]["weight_decay"] = nil
        #expect(pythonError { try run(sgd, [s], steps: 1) } == PythonError("KeyError", "'weight_decay'"))
    }

    @Test func gradientOfTheWrongShape() throws {
        let p = threeValues()
        let sgd = try SGD(parameters: [p], lr: 0.1)
        p.grad = Tensor([1, 2])
        #expect(pythonError { try sgd.step() }?.type == "RuntimeError")
        #expect(p.value.scalars == [0.5, -1.25, 3.0])
    }
}
