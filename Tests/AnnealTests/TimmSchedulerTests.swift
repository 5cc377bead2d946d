@testable import Anneal
import Testing

/// timm's schedulers against timm 1.0.31. The expected values come from
/// timm itself in /work/venv-fam (the scheduler modules loaded without
/// timm's `__init__`, an SGD optimizer with `lr=0.1`), printed with `repr`;
/// the goldens in Golden/timm cover the rest at 0 ULP.
@Suite("Timm schedulers")
struct TimmSchedulerTests {
    /// The group's rate after construction and after `step(t)` for each `t`.
    func rates(_ scheduler: Timm.BaseScheduler, _ optimizer: Optimizer, _ ts: [Int], update: Bool = false) throws -> [Double] {
        var out = [optimizer.paramGroups[0].lr]
        for t in ts {
            try scheduler.step(update ? .update(Epoch(t), metric: nil) : .epoch(Epoch(t)))
            out.append(optimizer.paramGroups[0].lr)
        }
        return out
    }

    @Test func documentedExamples() throws {
        var o = try sgd(0.1)
        expectClose(try rates(try Timm.CosineLRScheduler(optimizer: o, tInitial: 10), o, [0, 5, 10]), [0.1, 0.1, 0.05, 0.0])
        o = try sgd(0.1)
        expectClose(
            try rates(try Timm.TanhLRScheduler(optimizer: o, tInitial: 10), o, [0, 7]),
            [0.1, 0.09999991684719724, 0.050000000000000044])
        o = try sgd(0.1)
        expectClose(
            try rates(try Timm.StepLRScheduler(optimizer: o, decayT: 2, decayRate: 0.5), o, [0, 2, 4]),
            [0.1, 0.1, 0.05, 0.025])
        o = try sgd(0.1)
        expectClose(
            try rates(try Timm.MultiStepLRScheduler(optimizer: o, decayT: [3, 5], decayRate: 0.1), o, [1, 2, 4]),
            [0.1, 0.1, 0.010000000000000002, 0.0010000000000000002])
        o = try sgd(0.1)
        expectClose(
            try rates(try Timm.PolyLRScheduler(optimizer: o, tInitial: 4, power: 1.0), o, [0, 1, 2]),
            [0.1, 0.1, 0.07500000000000001, 0.05])
        o = try sgd(0.1)
        expectClose(
            try rates(try Timm.WSDLRScheduler(optimizer: o, tInitial: 10, decayT: 4, decayFn: "linear"), o, [0, 6, 8, 10]),
            [0.1, 0.1, 0.1, 0.05, 0.0])
        o = try sgd(0.1)
        let plateau = try Timm.PlateauLRScheduler(optimizer: o, patienceT: 1, mode: "min")
        var lrs: [Double] = []
        for epoch in 1...4 {
            try plateau.step(.metric(1.0, epoch: Epoch(epoch)))
            lrs.append(o.paramGroups[0].lr)
        }
        expectClose(lrs, [0.1, 0.1, 0.010000000000000002, 0.010000000000000002])
    }

    /// `CosineLRScheduler(t_initial=10, warmup_t=2, noise_range_t=3, t_in_epochs=False)`
    /// stepped with `step_update(0...5)`: the noise from `manual_seed(42 + t)`.
    @Test func noisePerUpdate() throws {
        let o = try sgd(0.1)
        let scheduler = try Timm.CosineLRScheduler(optimizer: o, tInitial: 10, warmupT: 2, tInEpochs: false, noiseRangeT: 3)
        expectClose(
            try rates(scheduler, o, [0, 1, 2, 3, 4, 5], update: true),
            [0.0, 0.0, 0.05, 0.09045084971874738, 0.08186428310844578, 0.05682287532670749, 0.07878394722938538])
        // step(epoch) does nothing when t_in_epochs is false.
        try scheduler.step(.epoch(9))
        #expect(o.paramGroups[0].lr == 0.07878394722938538)
    }

    @Test func stateDictIsTimmsDict() throws {
        let o = try sgd(0.1)
        let scheduler = try Timm.CosineLRScheduler(optimizer: o, tInitial: 10, warmupT: 2, noiseRangeT: 3)
        guard case .object(let state) = scheduler.stateDict() else { Issue.record("not an object"); return }
        #expect(state.keys.elementsEqual([
            "param_group_field", "_initial_param_group_field", "base_values", "metric", "t_in_epochs",
            "noise_range_t", "noise_pct", "noise_type", "noise_std", "noise_seed", "t_initial", "lr_min",
            "cycle_mul", "cycle_decay", "cycle_limit", "warmup_t", "warmup_lr_init", "warmup_prefix", "k_decay",
            "warmup_steps",
        ]))
        #expect(state["t_initial"] == .int(10))
        #expect(state["cycle_mul"] == .double(1.0))
        #expect(state["warmup_steps"] == .array([.double(0.05)]))
        #expect(state["metric"] == .null)
        #expect(o.paramGroups[0].initialLR == 0.1)
    }

    @Test func loadIsValidatedAndAllOrNothing() throws {
        let o = try sgd(0.1)
        let scheduler = try Timm.StepLRScheduler(optimizer: o, decayT: 2, decayRate: 0.5)
        guard case .object(var state) = scheduler.stateDict() else { return }
        state["decay_rate"] = .double(0.25)
        state["noise_seed"] = .string("seven")
        #expect(throws: PythonError.self) { try scheduler.loadStateDict(.object(state)) }
        #expect(scheduler.decayRate == .float(0.5), "a rejected state changes nothing")
        state["noise_seed"] = .int(7)
        try scheduler.loadStateDict(.object(state))
        #expect(scheduler.decayRate == .float(0.25))
        #expect(scheduler.noiseSeed == .int(7))
        state["gamma"] = .double(0.1)
        #expect(throws: PythonError.self) { try scheduler.loadStateDict(.object(state)) }

        let plateau = try Timm.PlateauLRScheduler(optimizer: try sgd(0.1))
        #expect(plateau.stateDict() == .object(["best": .double(-.infinity), "last_epoch": .int(0)]))
        try plateau.loadStateDict(.object(["best": .double(2.0)]))
        #expect(plateau.lrScheduler.best == 2.0)
    }

    /// Every class: a state saved mid-run and loaded into a fresh scheduler
    /// (built from the same arguments) gives the same state and, but for the
    /// plateau scheduler, the same rates from then on.
    @Test(arguments: [
        "CosineLRScheduler", "TanhLRScheduler", "StepLRScheduler", "MultiStepLRScheduler", "PlateauLRScheduler",
        "PolyLRScheduler", "WSDLRScheduler",
    ])
    func stateRoundTrips(_ name: String) throws {
        let arguments: [String: JSONObject] = [
            "CosineLRScheduler": ["t_initial": 10, "warmup_t": 2, "noise_range_t": 3, "cycle_limit": 2],
            "TanhLRScheduler": ["t_initial": 10, "warmup_t": 2, "noise_range_t": .array([2, 6])],
            "StepLRScheduler": ["decay_t": 3, "decay_rate": 0.5, "noise_range_t": 4],
            "MultiStepLRScheduler": ["decay_t": .array([2, 5]), "decay_rate": 0.5],
            "PlateauLRScheduler": ["mode": "min", "patience_t": 1],
            "PolyLRScheduler": ["t_initial": 8, "cycle_mul": 2.0, "cycle_limit": 3],
            "WSDLRScheduler": ["t_initial": 10, "decay_t": 4, "stable_fn": "rsqrt", "warmup_t": 2],
        ]
        let entry = try #require(SchedulerRegistry.shared.entry(named: "timm." + name))
        func build(_ optimizer: Optimizer) throws -> any Scheduler {
            var args = KeywordArguments(type: "timm." + name, values: arguments[name]!)
            return try entry.make(&args, SchedulerContext(optimizer: optimizer))
        }
        let first = try sgd(0.1, 0.05)
        let scheduler = try build(first)
        for epoch in 1...5 { try scheduler.step(.metric(1.0, epoch: Epoch(epoch))) }
        let second = try sgd(0.1, 0.05)
        let reloaded = try build(second)
        try reloaded.loadStateDict(scheduler.stateDict())
        second.paramGroups = first.paramGroups
        #expect(reloaded.stateDict() == scheduler.stateDict())
        // timm's plateau state is only `best` and `last_epoch`: its counters
        // restart on reload, so its rates may part (timm documents it).
        if name == "PlateauLRScheduler" { return }
        for epoch in 6...12 {
            try scheduler.step(.metric(1.0, epoch: Epoch(epoch)))
            try reloaded.step(.metric(1.0, epoch: Epoch(epoch)))
            #expect(first.paramGroups.map(\.lr) == second.paramGroups.map(\.lr), "epoch \(epoch)")
        }
    }

    @Test func stepInputs() throws {
        let o = try sgd(0.1)
        let scheduler = try Timm.StepLRScheduler(optimizer: o, decayT: 2, decayRate: 0.5)
        #expect(scheduler.stepSignature == .epochThenMetric)
        #expect(!scheduler.hasGetLastLR)
        #expect(scheduler.lastEpochAttribute == nil)
        #expect(scheduler.typeName == "StepLRScheduler")
        #expect(throws: PythonError.typeError("Scheduler.step() missing 1 required positional argument: 'epoch'")) {
            try scheduler.step(.next)
        }
        try scheduler.step(.metric(0.5, epoch: 4))
        #expect(scheduler.metric == 0.5)
        #expect(scheduler.lastLR == [0.025])
    }

    @Test func registry() throws {
        let names = ["Cosine", "Tanh", "Step", "MultiStep", "Plateau", "Poly", "WSD"].map { "timm.\($0)LRScheduler" }
        for name in names {
            let entry = try #require(SchedulerRegistry.shared.entry(named: name))
            #expect(!entry.takesLastEpoch)
        }
        let entry = try #require(SchedulerRegistry.shared.entry(named: "timm.CosineLRScheduler"))
        var args = KeywordArguments(type: "timm.CosineLRScheduler", values: ["t_initial": .int(10), "gamma": .double(0.5)])
        #expect(throws: PythonError.typeError("CosineLRScheduler.__init__() got an unexpected keyword argument 'gamma'")) {
            _ = try entry.make(&args, SchedulerContext(optimizer: try sgd(0.1)))
        }
        args = KeywordArguments(type: "timm.CosineLRScheduler", values: [:])
        #expect(throws: PythonError.typeError("CosineLRScheduler.__init__() missing 1 required positional argument: 't_initial'")) {
            _ = try entry.make(&args, SchedulerContext(optimizer: try sgd(0.1)))
        }
        args = KeywordArguments(type: "timm.CosineLRScheduler", values: ["t_initial": .int(10)])
        let scheduler = try entry.make(&args, SchedulerContext(optimizer: try sgd(0.1)))
        #expect(scheduler.typeName == "CosineLRScheduler")
    }

    /// timm's `WSDLRScheduler` argument checks, with timm's messages.
    @Test func wsdChecks() throws {
        #expect(throws: PythonError.valueError("Invalid decay_t (6), must be in (0, t_initial] w/ t_initial=5.")) {
            _ = try Timm.WSDLRScheduler(optimizer: try sgd(0.1), tInitial: 5, decayT: 6)
        }
        #expect(throws: PythonError.valueError(
            "Invalid stable_fn (sqrt), must be one of ('constant', 'rsqrt', 'power').")) {
            _ = try Timm.WSDLRScheduler(optimizer: try sgd(0.1), tInitial: 5, decayT: 2, stableFn: "sqrt")
        }
    }
}
