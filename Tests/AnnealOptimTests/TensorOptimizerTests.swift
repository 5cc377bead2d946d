import Testing
@testable import AnnealOptim

/// What ``TensorOptimizer`` gives every optimizer: `add_param_group`, the
/// flat parameter order, and the convenience initialisers' defaults (taken
/// from `OptimizerKind.defaultOptions`, never restated).
@Suite struct TensorOptimizerTests {
    /// A parameter already in a group is a `ValueError` for every kind, and
    /// the optimizer is unchanged by the refused group.
    @Test(arguments: OptimizerKind.allCases)
    func addParamGroupRejectsAParameterTwice(kind: OptimizerKind) throws {
        let a = threeValues(), b = Parameter(Tensor([2.0]))
        let optimizer = try makeOptimizer(kind, groups: [ParameterGroup(parameters: [a])], options: [:])
        let base = try #require(optimizer as? any AddsParamGroups)
        let error = pythonError { try base.addParamGroup(ParameterGroup(parameters: [b, a])) }
        #expect(error == .valueError("some parameters appear in more than one parameter group"))
        #expect(optimizer.paramGroups.count == 1)
        #expect(base.indexedParameters.map(ObjectIdentifier.init) == [ObjectIdentifier(a)])

        try base.addParamGroup(ParameterGroup(parameters: [b], options: ["lr": 0.5]))
        #expect(optimizer.paramGroups.map(\.lr) == [kind.defaultOptions["lr"]!.doubleValue!, 0.5])
        #expect(optimizer.paramGroups[1].options["weight_decay"] == kind.defaultOptions["weight_decay"])
        #expect(base.indexedParameters.map(ObjectIdentifier.init) == [a, b].map(ObjectIdentifier.init))
    }

    /// A convenience initialiser with nothing given is the optimizer with
    /// PyTorch's defaults; a value equal to a default leaves the default as
    /// PyTorch spells it (SGD's and RMSprop's int `momentum` 0).
    @Test func convenienceInitialisersUseTheKindsDefaults() throws {
        let p = threeValues()
        func groups(_ optimizer: Optimizer) -> JSONValue { .array(optimizer.paramGroupsStateDict()) }
        func plain(_ kind: OptimizerKind, _ options: JSONObject = [:]) throws -> JSONValue {
            groups(try makeOptimizer(kind, groups: [ParameterGroup(parameters: [p])], options: options))
        }
        #expect(groups(try SGD(parameters: [p])) == (try plain(.sgd)))
        #expect(groups(try SGD(parameters: [p], lr: 0.001, momentum: 0, nesterov: false)) == (try plain(.sgd)))
        #expect(groups(try Adam(parameters: [p], betas: (0.9, 0.999), eps: 1e-8)) == (try plain(.adam)))
        #expect(groups(try AdamW(parameters: [p], weightDecay: 0.01)) == (try plain(.adamW)))
        #expect(groups(try RMSprop(parameters: [p], alpha: 0.99, momentum: 0)) == (try plain(.rmsprop)))
        #expect(try SGD(parameters: [p], momentum: 0).paramGroups[0].momentumIsInteger)

        let given = try RMSprop(parameters: [p], lr: 0.5, momentum: 0.9, centered: true)
        #expect(groups(given) == (try plain(.rmsprop, ["lr": 0.5, "momentum": 0.9, "centered": true])))
        let adamW = try AdamW(parameters: [p], betas: (0.8, 0.99), amsgrad: true)
        #expect(adamW.kind == .adamW)
        #expect(groups(adamW) == (try plain(.adamW, ["betas": [0.8, 0.99], "amsgrad": true])))
    }
}

/// The base's API without its generic parameter, for tests over every kind.
protocol AddsParamGroups {
    func addParamGroup(_ group: ParameterGroup) throws
    var indexedParameters: [Parameter] { get }
}

extension TensorOptimizer: AddsParamGroups {}
