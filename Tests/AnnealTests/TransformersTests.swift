import Anneal
import Testing

/// `Transformers.schedule` (transformers' `get_scheduler`) against values
/// printed by transformers 5.23.0 over PyTorch 2.13.0: for each case, an
/// `SGD([p], lr=0.1)`, `get_scheduler(name, optimizer, ...)`, then the first
/// group's `lr` after construction and after each `optimizer.step();
/// scheduler.step()` (`scheduler.step(metric)` for the metric-driven names).
@Suite("Transformers schedules")
struct TransformersTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: Transformers.Name
        var warmup: Int? = nil
        var training: Int? = nil
        var options: JSONObject = [:]
        var metrics: [Double]? = nil
        let transformers: [Double]
        var testDescription: String { name.rawValue }
    }

    static let cases: [Case] = [
        Case(name: .constant, transformers: [0.1, 0.1, 0.1, 0.1]),
        Case(
            name: .constantWithWarmup, warmup: 4,
            transformers: [0.0, 0.025, 0.05, 0.07500000000000001, 0.1, 0.1, 0.1]),
        Case(
            name: .linear, warmup: 2, training: 6,
            transformers: [0.0, 0.05, 0.1, 0.07500000000000001, 0.05, 0.025, 0.0, 0.0, 0.0]),
        Case(
            name: .cosine, warmup: 0, training: 4,
            transformers: [
                0.1, 0.08535533905932738, 0.05, 0.014644660940672627, 0.0, 0.014644660940672617, 0.04999999999999999,
            ]),
        Case(
            name: .cosineWithRestarts, warmup: 0, training: 4, options: ["num_cycles": 2],
            transformers: [0.1, 0.05, 0.1, 0.05, 0.0, 0.0]),
        Case(
            name: .polynomial, warmup: 0, training: 4, options: ["lr_end": 0.0, "power": 2.0],
            transformers: [0.1, 0.05625, 0.025, 0.00625, 0.0, 0.0]),
        Case(
            name: .inverseSqrt, warmup: 0, options: ["timescale": 1],
            transformers: [0.1, 0.07071067811865475, 0.05773502691896259, 0.05]),
        Case(
            name: .cosineWarmupWithMinLR, warmup: 2, training: 6, options: ["min_lr_rate": 0.0],
            transformers: [
                0.05, 0.1, 0.08535533905932738, 0.05, 0.014644660940672627, 0.0, 0.014644660940672617,
            ]),
        Case(
            name: .cosineWithMinLR, warmup: 0, training: 4, options: ["min_lr_rate": 0.1],
            transformers: [
                0.1, 0.08681980515339464, 0.05500000000000001, 0.023180194846605367, 0.010000000000000002,
                0.023180194846605356,
            ]),
        Case(
            name: .warmupStableDecay, warmup: 2,
            options: ["num_stable_steps": 1, "num_decay_steps": 2, "warmup_type": "linear", "decay_type": "linear"],
            transformers: [0.0, 0.05, 0.1, 0.1, 0.05, 0.0, 0.0, 0.0]),
        Case(
            name: .greedy, options: ["patience": 0, "min_lr": 0.01], metrics: [1, 1, 1],
            transformers: [0.1, 0.10526315789473685, 0.1, 0.095]),
        Case(
            name: .reduceLROnPlateau, options: ["patience": 1], metrics: [1, 1, 1, 1],
            transformers: [0.1, 0.1, 0.1, 0.010000000000000002, 0.010000000000000002]),
    ]

    @Test("Each name's rates, bit for bit", arguments: cases)
    func rates(_ example: Case) throws {
        let optimizer = try sgd(0.1)
        let scheduler = try Transformers.schedule(
            example.name, optimizer: optimizer, warmupSteps: example.warmup, trainingSteps: example.training,
            options: example.options)
        var rates = [optimizer.paramGroups[0].lr]
        let inputs: [StepInput] =
            example.metrics.map { $0.map { .metric($0, epoch: nil) } }
            ?? Array(repeating: .next, count: example.transformers.count - 1)
        for input in inputs {
            try optimizer.step()
            try scheduler.step(input)
            rates.append(optimizer.paramGroups[0].lr)
        }
        expectClose(rates, example.transformers, example.name.rawValue)
    }

    @Test("Every SchedulerType name is covered")
    func everyName() {
        #expect(Set(Self.cases.map(\.name)) == Set(Transformers.Name.allCases))
        #expect(Transformers.Name.allCases.count == 12)
    }

    @Test("The LambdaLR names are LambdaLRs whose lr_lambdas save {} (a partial's __dict__); constant's saves null")
    func lambdaState() throws {
        let optimizer = try sgd(0.1, 0.05)
        let linear = try Transformers.schedule(.linear, optimizer: optimizer, warmupSteps: 1, trainingSteps: 3)
        #expect(linear is LambdaLR)
        #expect(linear.typeName == "LambdaLR")
        // transformers: {'base_lrs': [0.1, 0.05], 'last_epoch': 0, '_step_count': 1, '_is_initial': False,
        // '_get_lr_called_within_step': False, '_last_lr': [0.0, 0.0], 'lr_lambdas': [{}, {}]}
        let state = linear.stateDict()
        #expect(state.objectValue?.keys == [
            "base_lrs", "last_epoch", "_step_count", "_is_initial", "_get_lr_called_within_step", "_last_lr",
            "lr_lambdas",
        ])
        #expect(state.objectValue?["lr_lambdas"] == .array([.object([:]), .object([:])]))
        try linear.loadStateDict(state)

        var nulls = try #require(state.objectValue)
        nulls["lr_lambdas"] = .array([.null, .null])
        expectPythonError("ValueError") { try linear.loadStateDict(.object(nulls)) }

        let constant = try Transformers.schedule(.constant, optimizer: try sgd(0.1))
        #expect(constant.stateDict().objectValue?["lr_lambdas"] == .array([.null]))
    }

    @Test("transformers' errors")
    func errors() throws {
        let optimizer = try sgd(0.1)
        expectPythonError("ValueError", "SchedulerType.LINEAR requires `num_warmup_steps`, please provide that argument.") {
            _ = try Transformers.schedule(.linear, optimizer: optimizer, trainingSteps: 10)
        }
        expectPythonError("ValueError", "SchedulerType.COSINE requires `num_training_steps`, please provide that argument.") {
            _ = try Transformers.schedule(.cosine, optimizer: optimizer, warmupSteps: 10)
        }
        expectPythonError(
            "TypeError",
            "transformers.optimization.get_linear_schedule_with_warmup() got multiple values for keyword argument 'num_warmup_steps'"
        ) {
            _ = try Transformers.schedule(
                .linear, optimizer: optimizer, warmupSteps: 1, trainingSteps: 3, options: ["num_warmup_steps": 2])
        }
        expectPythonError("TypeError", "get_wsd_schedule() missing 1 required positional argument: 'num_decay_steps'") {
            _ = try Transformers.schedule(.warmupStableDecay, optimizer: optimizer, warmupSteps: 1)
        }
        expectPythonError("TypeError", "get_cosine_schedule_with_warmup() got an unexpected keyword argument 'lr_end'") {
            _ = try Transformers.schedule(
                .cosine, optimizer: optimizer, warmupSteps: 1, trainingSteps: 3, options: ["lr_end": 0.0])
        }
        expectPythonError("ValueError", "lr_end (0.5) must be smaller than initial lr (0.1)") {
            _ = try Transformers.schedule(
                .polynomial, optimizer: optimizer, warmupSteps: 1, trainingSteps: 3, options: ["lr_end": 0.5])
        }
        expectPythonError("ValueError", "Only one of min_lr or min_lr_rate should be set") {
            _ = try Transformers.schedule(
                .cosineWithMinLR, optimizer: optimizer, warmupSteps: 1, trainingSteps: 3,
                options: ["min_lr": 0.01, "min_lr_rate": 0.1])
        }
        // constant ignores everything but the optimizer, as get_scheduler does.
        _ = try Transformers.schedule(.constant, optimizer: optimizer, warmupSteps: 1, options: ["bogus": 1])
    }

    @Test("The registry entry: get_scheduler's keywords, SchedulerType's ValueError")
    func registry() throws {
        let entry = try #require(SchedulerRegistry.shared.entry(named: "transformers.get_scheduler"))
        #expect(!entry.takesLastEpoch)
        let context = SchedulerContext(optimizer: try sgd(0.1))
        var args = KeywordArguments(
            type: "transformers.get_scheduler",
            values: ["name": "cosine", "num_warmup_steps": 2, "num_training_steps": 10,
                     "scheduler_specific_kwargs": ["num_cycles": 1.0]])
        #expect(try entry.make(&args, context) is LambdaLR)
        var unknown = KeywordArguments(type: "transformers.get_scheduler", values: ["name": "bogus"])
        expectPythonError("ValueError") { _ = try entry.make(&unknown, context) }
        var extra = KeywordArguments(type: "transformers.get_scheduler", values: ["name": "linear", "warmup": 1])
        expectPythonError("TypeError", "get_scheduler() got an unexpected keyword argument 'warmup'") {
            _ = try entry.make(&extra, context)
        }
        var plateau = KeywordArguments(type: "transformers.get_scheduler", values: ["name": "reduce_lr_on_plateau"])
        #expect(try entry.make(&plateau, context) is ReduceLROnPlateau)
    }

    @Test("polynomial: 0.0 ** -1 at num_training_steps raises ZeroDivisionError, as Python's float pow")
    func polynomialZeroPower() throws {
        // transformers: get_scheduler('polynomial', o, 2, 10, {'power': -1.0, 'lr_end': 0.0}) raises
        // ZeroDivisionError('0.0 cannot be raised to a negative power') at the 10th step.
        let optimizer = try sgd(0.1)
        let scheduler = try Transformers.schedule(
            .polynomial, optimizer: optimizer, warmupSteps: 2, trainingSteps: 10,
            options: ["power": -1.0, "lr_end": 0.0])
        for _ in 0..<9 { try scheduler.step(.next) }
        expectPythonError("ZeroDivisionError") { try scheduler.step(.next) }
    }
}
