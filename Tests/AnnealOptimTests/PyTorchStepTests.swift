import Testing
@testable import AnnealOptim

/// Single steps compared at 0 ULP with the parameters PyTorch 2.13 (CPU)
/// prints. Every case is this Python, with the factory shown per test:
///
/// ```python
/// p = torch.nn.Parameter(torch.tensor([0.5, -1.25, 3.0]))
/// opt = factory([p])
/// for k in range(3):
///     p.grad = (p.detach() - 1.0) * 0.5
///     opt.step()
///     print(p.detach().tolist())
/// ```
@Suite struct PyTorchStepTests {
    func check(_ make: ([Parameter]) throws -> Optimizer, _ expected: [[Double]]) throws {
        let p = threeValues()
        let optimizer = try make([p])
        for step in expected {
            try run(optimizer, [p], steps: 1)
            #expect(bits(p.value.scalars) == bits(float32(step)))
        }
    }

    /// `torch.optim.SGD(ps, lr=0.1, momentum=0.9, dampening=0.1, weight_decay=0.01, foreach=False)`
    @Test func sgdMomentumDampeningWeightDecay() throws {
        try check({ try SGD(parameters: $0, lr: 0.1, momentum: 0.9, dampening: 0.1, weightDecay: 0.01) }, [
            [0.5245000123977661, -1.1362500190734863, 2.8970000743865967],
            [0.567475438117981, -0.93672114610672, 2.716327667236328],
            [0.6251062154769897, -0.66914963722229, 2.474043130874634],
        ])
    }

    /// `torch.optim.SGD(ps, lr=0.1, momentum=0.9, nesterov=True, maximize=True, foreach=False)`
    @Test func sgdNesterovMaximize() throws {
        try check({ try SGD(parameters: $0, lr: 0.1, momentum: 0.9, nesterov: true, maximize: true) }, [
            [0.45249998569488525, -1.4637500047683716, 3.190000057220459],
            [0.38023748993873596, -1.7889312505722046, 3.4790501594543457],
            [0.2809613049030304, -2.2356741428375244, 3.876154899597168],
        ])
    }

    /// `torch.optim.Adam(ps, lr=0.01, foreach=False)`
    @Test func adam() throws {
        try check({ try Adam(parameters: $0, lr: 0.01) }, [
            [0.5099999904632568, -1.2400000095367432, 2.990000009536743],
            [0.5199941992759705, -1.2300012111663818, 2.980001449584961],
            [0.5299786329269409, -1.2200043201446533, 2.9700050354003906],
        ])
    }

    /// `torch.optim.Adam(ps, lr=0.01, betas=(0.8, 0.99), weight_decay=0.1, amsgrad=True, foreach=False)`
    @Test func adamAMSGradWeightDecay() throws {
        try check({ try Adam(parameters: $0, lr: 0.01, betas: (0.8, 0.99), weightDecay: 0.1, amsgrad: true) }, [
            [0.5099999904632568, -1.2400000095367432, 2.990000009536743],
            [0.5199826955795288, -1.2300026416778564, 2.9800024032592773],
            [0.5299360156059265, -1.2200095653533936, 2.9700090885162354],
        ])
    }

    /// `torch.optim.AdamW(ps, lr=0.01, weight_decay=0.1, foreach=False)`
    @Test func adamW() throws {
        try check({ try AdamW(parameters: $0, lr: 0.01, weightDecay: 0.1) }, [
            [0.5095000267028809, -1.2387499809265137, 2.986999988555908],
            [0.5189850926399231, -1.2275125980377197, 2.9740147590637207],
            [0.5284514427185059, -1.216288685798645, 2.961045503616333],
        ])
    }

    /// `torch.optim.RMSprop(ps, lr=0.01, alpha=0.9, momentum=0.5, centered=True, foreach=False)`
    @Test func rmspropCenteredMomentum() throws {
        try check({ try RMSprop(parameters: $0, lr: 0.01, alpha: 0.9, momentum: 0.5, centered: true) }, [
            [0.5333333015441895, -1.2166666984558105, 2.9666666984558105],
            [0.5746382474899292, -1.1746906042099, 2.924713611602783],
            [0.615970253944397, -1.131577968597412, 2.8816604614257812],
        ])
    }

    /// `torch.optim.RMSprop(ps, lr=0.01, weight_decay=0.1, maximize=True, foreach=False)`
    @Test func rmspropWeightDecayMaximize() throws {
        try check({ try RMSprop(parameters: $0, lr: 0.01, weightDecay: 0.1, maximize: true) }, [
            [0.40000003576278687, -1.350000023841858, 3.0999999046325684],
            [0.3248516321182251, -1.4222570657730103, 3.172818899154663],
            [0.26134932041168213, -1.482071876525879, 3.233360767364502],
        ])
    }

    /// Two groups with their own options:
    ///
    /// ```python
    /// a = torch.nn.Parameter(torch.tensor([0.5, -1.25, 3.0])); b = torch.nn.Parameter(torch.tensor([2.0, -0.75]))
    /// opt = torch.optim.SGD([{"params": [a]}, {"params": [b], "lr": 0.01, "momentum": 0, "weight_decay": 0.5}],
    ///                       lr=0.1, momentum=0.9, foreach=False)
    /// for k in range(2):
    ///     for p in (a, b): p.grad = (p.detach() - 1.0) * 0.5
    ///     opt.step()
    /// print(a.tolist(), b.tolist())
    /// ```
    @Test func perGroupOptions() throws {
        let a = threeValues()
        let b = Parameter(Tensor([2.0, -0.75]))
        let sgd = try SGD(
            [ParameterGroup(parameters: [a]),
             ParameterGroup(parameters: [b], options: ["lr": 0.01, "momentum": 0, "weight_decay": 0.5])],
            options: ["lr": 0.1, "momentum": 0.9])
        try run(sgd, [a, b], steps: 2)
        #expect(bits(a.value.scalars) == bits(float32([0.5712499618530273, -0.9293750524520874, 2.7150001525878906])))
        #expect(bits(b.value.scalars) == bits(float32([1.9701499938964844, -0.7251250147819519])))
        #expect(sgd.state(of: b) == nil, "momentum 0: no momentum buffer")
        #expect(sgd.state(of: a) != nil)
    }

    /// `add_param_group` after a step, with its own lr and amsgrad:
    ///
    /// ```python
    /// opt = torch.optim.Adam([a], lr=0.01, foreach=False)
    /// a.grad = (a.detach() - 1.0) * 0.5; opt.step()
    /// opt.add_param_group({"params": [b], "lr": 0.1, "amsgrad": True})
    /// for k in range(2):
    ///     for p in (a, b): p.grad = (p.detach() - 1.0) * 0.5
    ///     opt.step()
    /// print(a.tolist(), b.tolist(), opt.state_dict())
    /// ```
    @Test func addParamGroup() throws {
        let a = threeValues()
        let b = Parameter(Tensor([2.0, -0.75]))
        let adam = try Adam(parameters: [a], lr: 0.01)
        try run(adam, [a], steps: 1)
        try adam.addParamGroup(ParameterGroup(parameters: [b], options: ["lr": 0.1, "amsgrad": true]))
        try run(adam, [a, b], steps: 2)
        #expect(bits(a.value.scalars) == bits(float32([0.5299786329269409, -1.2200043201446533, 2.9700050354003906])))
        #expect(bits(b.value.scalars) == bits(float32([1.8004121780395508, -0.5501964688301086])))
        #expect(adam.paramGroups.count == 2)
        #expect(adam.paramGroups[1].lr == 0.1)
        #expect(adam.paramGroups[1].betas == ParamGroup.Betas(0.9, 0.999))
        #expect(adam.paramGroups[1]["amsgrad"] == true)
        #expect(adam.paramGroups[1]["eps"] == 1e-08)
        let state = adam.stateDict()
        #expect(state["param_groups"]?[1]?["params"] == [1])
        #expect(state["state"]?["0"]?["step"] == 3.0)
        #expect(state["state"]?["1"]?["step"] == 2.0)
        #expect(state["state"]?["1"]?["max_exp_avg_sq"] == [0.0004522500094026327, 0.0014454844640567899])
        #expect(state["state"]?["0"]?["max_exp_avg_sq"] == nil)
        // A parameter already in a group cannot be added again.
        let error = pythonError { try adam.addParamGroup(ParameterGroup(parameters: [a])) }
        #expect(error == PythonError("ValueError", "some parameters appear in more than one parameter group"))
        #expect(adam.paramGroups.count == 2)
    }

    /// The example in ``SGD``'s documentation:
    /// `w = [0.5, -1.25]; SGD([w], lr=0.1, momentum=0.9); w.grad = [0.25, 1]; step()`.
    @Test func documentationExample() throws {
        let w = Parameter(Tensor([0.5, -1.25]))
        let sgd = try SGD(parameters: [w], lr: 0.1, momentum: 0.9)
        w.grad = Tensor([0.25, 1])
        try sgd.step()
        #expect(bits(w.value.scalars) == bits(float32([0.4749999940395355, -1.350000023841858])))
    }
}
