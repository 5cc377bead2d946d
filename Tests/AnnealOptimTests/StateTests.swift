import Testing
@testable import AnnealOptim

/// Parameters without a gradient, state dicts (PyTorch's structure, a save
/// and load mid-run continuing bit for bit), and what loading rejects.
@Suite struct StateTests {
    /// A parameter whose `grad` is nil is skipped and gets no state, as in
    /// PyTorch's `_init_group`.
    @Test(arguments: OptimizerKind.allCases)
    func parameterWithoutGradientIsSkipped(kind: OptimizerKind) throws {
        let a = threeValues()
        let b = Parameter(Tensor([2.0, -0.75]))
        let optimizer = try makeOptimizer(
            kind, groups: [ParameterGroup(parameters: [a, b])], options: kind.defaultOptions["momentum"] != nil ? ["momentum": 0.9] : [:])
        for _ in 0..<3 {
            setQuadraticGradients([a])
            b.grad = nil
            try optimizer.step()
        }
        #expect(b.value.scalars == [2.0, -0.75])
        #expect(a.value.scalars != [0.5, -1.25, 3.0])
        let state = optimizer.stateDict()
        #expect(state["state"]?["0"] != nil)
        // Adagrad makes every parameter's state in its constructor; it stays at step 0.
        #expect(kind == .adagrad ? state["state"]?["1"]?["step"] == 0.0 : state["state"]?["1"] == nil)
        #expect(state["param_groups"]?[0]?["params"] == [0, 1])
    }

    /// The optimizers of the round trip, with every kind of state.
    static let configurations: [(OptimizerKind, JSONObject)] = [
        (.sgd, ["lr": 0.05, "momentum": 0.9, "nesterov": true, "weight_decay": 0.01]),
        (.sgd, ["lr": 0.05, "momentum": 0.5, "dampening": 0.3, "maximize": true]),
        (.adam, ["lr": 0.01, "amsgrad": true, "weight_decay": 0.1]),
        (.adamW, ["lr": 0.01, "betas": [0.8, 0.99]]),
        (.rmsprop, ["lr": 0.01, "centered": true, "momentum": 0.9]),
        (.rmsprop, ["lr": 0.01, "alpha": 0.5, "weight_decay": 0.1]),
        (.adagrad, ["lr": 0.1, "lr_decay": 0.01, "initial_accumulator_value": 0.1]),
        (.adadelta, ["rho": 0.5, "weight_decay": 0.01]),
        (.adamax, ["lr": 0.01, "betas": [0.8, 0.99]]),
        (.nAdam, ["lr": 0.01, "weight_decay": 0.1, "decoupled_weight_decay": true]),
        (.rAdam, ["lr": 0.01, "betas": [0.5, 0.9]]),
        (.asgd, ["lr": 0.05, "t0": 2.0]),
        (.rprop, ["lr": 0.01, "etas": [0.3, 1.5]]),
        (.adafactor, ["lr": 0.05, "weight_decay": 0.01]),
        (.adafactor, ["eps": [0.001, 0.01], "maximize": true, "d": 1.5]),
    ]

    static func parameters() -> [Parameter] {
        [threeValues(), Parameter(Tensor(shape: [2, 3], scalars: values(6, seed: 1))), Parameter(Tensor(values(37, seed: 2)))]
    }

    /// Save mid-run (through JSON text), load into a fresh optimizer over
    /// the same parameters, continue: identical to the uninterrupted run.
    @Test(arguments: 0..<configurations.count)
    func stateDictRoundTripContinuesBitForBit(configuration: Int) throws {
        let (kind, options) = Self.configurations[configuration]
        let groups = { (ps: [Parameter]) in [ParameterGroup(parameters: [ps[0], ps[1]]), ParameterGroup(parameters: [ps[2]], options: ["lr": 0.02])] }

        let uninterrupted = Self.parameters()
        let reference = try makeOptimizer(kind, groups: groups(uninterrupted), options: options)
        try run(reference, uninterrupted, steps: 10)

        let resumed = Self.parameters()
        let first = try makeOptimizer(kind, groups: groups(resumed), options: options)
        try run(first, resumed, steps: 4)
        let text = first.stateDict().serialized()
        let second = try makeOptimizer(kind, groups: groups(resumed), options: options)
        try second.loadStateDict(try JSONValue.parse(text))
        #expect(second.stateDict() == first.stateDict())
        try run(second, resumed, steps: 6)

        for (a, b) in zip(uninterrupted, resumed) {
            #expect(bits(a.value.scalars) == bits(b.value.scalars))
        }
        #expect(second.stateDict() == reference.stateDict())
    }

    /// The state as flat entries (what checkpoints use instead of the JSON):
    /// the same values as the state dict, and loading them into a fresh
    /// optimizer gives the same state dict; bad entries change nothing.
    @Test(arguments: 0..<configurations.count)
    func stateEntriesAreTheStateDict(configuration: Int) throws {
        let (kind, options) = Self.configurations[configuration]
        let parameters = Self.parameters()
        let groups = [ParameterGroup(parameters: [parameters[0], parameters[1]]), ParameterGroup(parameters: [parameters[2]])]
        let first = try makeOptimizer(kind, groups: groups, options: options)
        try run(first, parameters, steps: 4)
        let entries = Self.entries(first)
        #expect(entries.map(\.parameterIndex) == [0, 1, 2])
        let state = first.stateDict()["state"]!
        for entry in entries {
            for (key, values) in entry.values.tensors {
                let json = state[String(entry.parameterIndex)]![key]!
                #expect(values.map { Double($0) } == Self.flatten(json), "\(key) of parameter \(entry.parameterIndex)")
            }
        }
        let second = try makeOptimizer(kind, groups: groups, options: options)
        try Self.load(second, entries)
        #expect(second.stateDict() == first.stateDict())

        // A tensor of the wrong size, two entries for one parameter, a key
        // both ways: errors, and the loaded state stays.
        var wrongSize = entries
        let key = wrongSize[1].values.tensors.keys.sorted().last { !OptimizerStateEntry.scalarKeys.contains($0) }!
        wrongSize[1].values.tensors[key]!.removeLast()
        // One value short (5 of 6 for a 2 x 3 tensor; Adafactor's `row_var` of it: 1 of 2).
        let shortCount = wrongSize[1].values.tensors[key]!.count
        var twice = entries
        twice.append(entries[0])
        var both = entries
        both[0].values.json[key] = .null
        both[0].values.tensors[key] = entries[0].values.tensors[key] ?? [0]
        for (bad, message) in [(wrongSize, "has \(shortCount) values"), (twice, "two entries for parameter 0"), (both, "both as a tensor and as a value")] {
            #expect(throws: PythonError.self) { try Self.load(second, bad) }
            do { try Self.load(second, bad) } catch { #expect("\(error)".contains(message), "\(error)") }
            #expect(second.stateDict() == first.stateDict())
        }
    }

    static func entries(_ optimizer: Optimizer) -> [OptimizerStateEntry] {
        guard let optimizer = optimizer as? any AnyTensorOptimizer else {
            Issue.record("not an AnnealOptim optimizer")
            return []
        }
        return optimizer.stateEntries()
    }

    static func load(_ optimizer: Optimizer, _ entries: [OptimizerStateEntry]) throws {
        guard let optimizer = optimizer as? any AnyTensorOptimizer else {
            Issue.record("not an AnnealOptim optimizer")
            return
        }
        try optimizer.loadStateEntries(entries)
    }

    static func flatten(_ value: JSONValue) -> [Double] {
        if let items = value.arrayValue { return items.flatMap(flatten) }
        return [value.doubleValue!]
    }

    /// PyTorch's structure: `state` by parameter index with PyTorch's keys,
    /// `step` a number, tensors nested by shape; `param_groups` with every
    /// key and the parameter indices.
    @Test func structure() throws {
        let ps = Self.parameters()
        let adam = try Adam([ParameterGroup(parameters: ps)], options: ["lr": 0.01, "amsgrad": true])
        try run(adam, ps, steps: 2)
        let state = adam.stateDict()
        #expect(state["state"]?.objectValue?.keys == ["0", "1", "2"])
        #expect(state["state"]?["1"]?.objectValue?.keys == ["step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq"])
        #expect(state["state"]?["1"]?["step"] == 2.0)
        #expect(state["state"]?["1"]?["exp_avg"]?.arrayValue?.count == 2)
        #expect(state["state"]?["1"]?["exp_avg"]?[0]?.arrayValue?.count == 3)
        let group = state["param_groups"]?[0]?.objectValue
        #expect(Set(group?.keys ?? []) == [
            "lr", "betas", "eps", "weight_decay", "amsgrad", "maximize", "foreach", "capturable", "differentiable",
            "fused", "decoupled_weight_decay", "params",
        ])
        #expect(group?["params"] == [0, 1, 2])

        let p = threeValues()
        let rmsprop = try RMSprop(parameters: [p], momentum: 0.5, centered: true)
        try run(rmsprop, [p], steps: 1)
        #expect(rmsprop.stateDict()["state"]?["0"]?.objectValue?.keys == ["step", "square_avg", "momentum_buffer", "grad_avg"])
        let q = threeValues()
        let sgd = try SGD(parameters: [q], momentum: 0.9)
        try run(sgd, [q], steps: 1)
        #expect(sgd.stateDict()["state"]?["0"]?.objectValue?.keys == ["momentum_buffer"])
        let plain = try SGD(parameters: [q])
        try run(plain, [q], steps: 1)
        #expect(plain.stateDict()["state"] == .object([:]), "SGD without momentum keeps no state")
    }

    /// What loading rejects, leaving the optimizer as it was.
    @Test func loadValidation() throws {
        let ps = Self.parameters()
        let adam = try Adam([ParameterGroup(parameters: ps)], options: ["lr": 0.01])
        try run(adam, ps, steps: 1)
        let saved = adam.stateDict()
        let before = adam.state(of: ps[0])

        func modified(_ edit: (inout JSONObject) -> Void) -> JSONValue {
            var object = saved.objectValue!
            var state = object["state"]!.objectValue!
            edit(&state)
            object["state"] = .object(state)
            return .object(object)
        }
        func loadError(_ value: JSONValue) -> PythonError? { pythonError { try adam.loadStateDict(value) } }

        var entry = saved["state"]!["1"]!.objectValue!
        entry["exp_avg"] = [1.0, 2.0, 3.0]  // shape [3], parameter [2, 3]
        let wrongShape = loadError(modified { $0["1"] = .object(entry) })
        #expect(wrongShape?.type == "ValueError")
        #expect(wrongShape?.message.contains("shape [2, 3]") == true)

        entry = saved["state"]!["0"]!.objectValue!
        entry["momentum_buffer"] = [0.0, 0.0, 0.0]
        let unknownKey = loadError(modified { $0["0"] = .object(entry) })
        #expect(unknownKey?.type == "ValueError")
        #expect(unknownKey?.message.contains("'momentum_buffer'") == true)

        entry = saved["state"]!["0"]!.objectValue!
        entry["exp_avg_sq"] = nil
        #expect(loadError(modified { $0["0"] = .object(entry) })?.message.contains("has no 'exp_avg_sq'") == true)

        entry = saved["state"]!["0"]!.objectValue!
        entry["step"] = "one"
        #expect(loadError(modified { $0["0"] = .object(entry) })?.type == "TypeError")

        #expect(loadError(modified { $0["7"] = saved["state"]!["0"]! })?.type == "ValueError")
        #expect(loadError(modified { $0["0"] = [1, 2] })?.type == "TypeError")

        #expect(adam.state(of: ps[0]) == before, "a rejected state changes nothing")
        #expect(adam.stateDict() == saved)

        // An empty entry is a parameter without state, as PyTorch would initialize it lazily.
        try adam.loadStateDict(modified { $0["0"] = .object([:]) })
        #expect(adam.state(of: ps[0]) == nil)
    }

    /// Loading groups without the keys `__setstate__` fills in (older
    /// checkpoints) works; a missing key it does not fill is the KeyError.
    @Test func loadedGroupsMissingKeys() throws {
        let p = threeValues()
        let adam = try Adam(parameters: [p], lr: 0.01)
        try run(adam, [p], steps: 1)
        var saved = adam.stateDict().objectValue!
        var group = saved["param_groups"]![0]!.objectValue!
        for key in ["amsgrad", "maximize", "decoupled_weight_decay", "foreach", "capturable"] { group[key] = nil }
        saved["param_groups"] = [.object(group)]
        try adam.loadStateDict(.object(saved))
        try run(adam, [p], steps: 1)
        group["eps"] = nil
        saved["param_groups"] = [.object(group)]
        try adam.loadStateDict(.object(saved))
        #expect(pythonError { try run(adam, [p], steps: 1) } == PythonError("KeyError", "'eps'"))
    }

    /// `load_state_dict` gives each optimizer's groups the keys its
    /// `__setstate__` fills in, with its values (`foreach` None, RMSprop's
    /// `momentum` the int 0), and makes a number `step` (NAdam's
    /// `mu_product`, ASGD's `eta` and `mu`) a float32 tensor. The
    /// expected groups are PyTorch 2.13's `state_dict()["param_groups"][0]`
    /// after loading a state dict stripped of those keys (the numbers above set).
    @Test func loadedGroupsTakeSetStateDefaults() throws {
        let p = threeValues()
        let cases: [(Optimizer, JSONObject)] = [
            (
                try SGD(parameters: [p], lr: 0.1, momentum: 0.9),
                [
                    "lr": 0.1, "momentum": 0.9, "dampening": 0, "weight_decay": 0, "nesterov": false, "maximize": false,
                    "foreach": nil, "differentiable": false, "fused": false, "params": [0],
                ]
            ),
            (
                try RMSprop(parameters: [p], lr: 0.1),
                [
                    "lr": 0.1, "alpha": 0.99, "eps": 1e-08, "weight_decay": 0, "momentum": 0, "centered": false,
                    "foreach": nil, "maximize": false, "differentiable": false, "capturable": false, "params": [0],
                ]
            ),
            (
                try Adagrad([ParameterGroup(parameters: [p])], options: ["lr": 0.1]),
                [
                    "lr": 0.1, "lr_decay": 0, "eps": 1e-10, "weight_decay": 0, "initial_accumulator_value": 0,
                    "foreach": nil, "maximize": false, "differentiable": false, "fused": nil, "params": [0],
                ]
            ),
            (
                try Adadelta([ParameterGroup(parameters: [p])], options: ["lr": 0.1]),
                [
                    "lr": 0.1, "rho": 0.9, "eps": 1e-06, "weight_decay": 0, "foreach": nil, "maximize": false,
                    "differentiable": false, "capturable": false, "params": [0],
                ]
            ),
            (
                try Adamax([ParameterGroup(parameters: [p])], options: ["lr": 0.1]),
                [
                    "lr": 0.1, "betas": [0.9, 0.999], "eps": 1e-08, "weight_decay": 0, "foreach": nil,
                    "maximize": false, "differentiable": false, "capturable": false, "params": [0],
                ]
            ),
            (
                try NAdam([ParameterGroup(parameters: [p])], options: ["lr": 0.1]),
                [
                    "lr": 0.1, "betas": [0.9, 0.999], "eps": 1e-08, "weight_decay": 0, "momentum_decay": 0.004,
                    "maximize": false, "foreach": nil, "capturable": false, "differentiable": false,
                    "decoupled_weight_decay": false, "params": [0],
                ]
            ),
            (
                try RAdam([ParameterGroup(parameters: [p])], options: ["lr": 0.1]),
                [
                    "lr": 0.1, "betas": [0.9, 0.999], "eps": 1e-08, "weight_decay": 0, "foreach": nil,
                    "maximize": false, "differentiable": false, "decoupled_weight_decay": false, "capturable": false,
                    "params": [0],
                ]
            ),
            (
                try ASGD([ParameterGroup(parameters: [p])], options: ["lr": 0.1]),
                [
                    "lr": 0.1, "lambd": 0.0001, "alpha": 0.75, "t0": 1000000.0, "weight_decay": 0, "foreach": nil,
                    "maximize": false, "differentiable": false, "capturable": false, "params": [0],
                ]
            ),
            (
                try Rprop([ParameterGroup(parameters: [p])], options: ["lr": 0.1]),
                [
                    "lr": 0.1, "etas": [0.5, 1.2], "step_sizes": [1e-06, 50], "foreach": nil, "maximize": false,
                    "differentiable": false, "capturable": false, "params": [0],
                ]
            ),
        ]
        for (optimizer, expected) in cases {
            try run(optimizer, [p], steps: 1)
            var saved = optimizer.stateDict().objectValue!
            var group = saved["param_groups"]![0]!.objectValue!
            // The newer optimizers' flags, all of which their `__setstate__` restores.
            let flags = ["foreach", "maximize", "differentiable", "capturable", "fused", "decoupled_weight_decay"]
            let stripped = [.sgd, .rmsprop].contains(optimizer.kind) ? optimizer.kind.setStateDefaults.map(\.key) : flags
            for key in stripped { group[key] = nil }
            saved["param_groups"] = [.object(group)]
            // Numbers where PyTorch keeps 0-dim tensors, which `__setstate__`
            // makes float32 tensors: `step` 7, NAdam's `mu_product` 0.3, ASGD's `eta` 0.3 and `mu` 0.5.
            let numbers: [String: JSONValue] = ["step": 7, "mu_product": 0.3, "eta": 0.3, "mu": 0.5]
            if optimizer.kind != .sgd {
                var state = saved["state"]!.objectValue!
                var entry = state["0"]!.objectValue!
                for (key, value) in numbers where entry[key] != nil { entry[key] = value }
                state["0"] = .object(entry)
                saved["state"] = .object(state)
            }
            try optimizer.loadStateDict(.object(saved))
            #expect(optimizer.stateDict()["param_groups"]?[0] == .object(expected))
            if optimizer.kind != .sgd {
                let state = optimizer.stateDict()["state"]?["0"]
                #expect(state?["step"] == .double(7))
                if optimizer.kind == .nAdam { #expect(state?["mu_product"] == .double(Double(Float(0.3)))) }
                if optimizer.kind == .asgd {
                    #expect(state?["eta"] == .double(Double(Float(0.3))))
                    #expect(state?["mu"] == .double(0.5))
                }
            }
            try run(optimizer, [p], steps: 1)
        }
    }

    /// Schedulers write `lr`, `momentum` and `betas` between steps; every
    /// step reads them from `paramGroups`.
    @Test func hyperparametersAreReadEveryStep() throws {
        let a = threeValues()
        let b = threeValues()
        let changed = try Adam(parameters: [a], lr: 0.01)
        let direct = try Adam(parameters: [b], lr: 0.05, betas: (0.5, 0.999))
        changed.paramGroups[0].lr = 0.05
        changed.paramGroups[0].betas = .init(0.5, 0.999)
        try run(changed, [a], steps: 3)
        try run(direct, [b], steps: 3)
        #expect(bits(a.value.scalars) == bits(b.value.scalars))
    }
}
