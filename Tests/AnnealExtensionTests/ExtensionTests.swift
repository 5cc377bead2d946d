import Anneal
import AnnealSpec
import Testing

/// Anneal's extension points, used only through the products' public API:
/// a scheduler defined here subclasses `LRScheduler`, states its keys in a
/// `StateTable`, registers under a dotted name and runs through the trace
/// runner like a built-in one; a plain `Scheduler` does too.
@Suite("Extending Anneal", .serialized)
struct ExtensionTests {
    init() {
        SchedulerRegistry.shared.register(LinearWarmupLR.self)
        SchedulerRegistry.shared.register(HalvingScheduler.self)
        SchedulerRegistry.shared.register(PerUpdateScheduler.self)
    }

    static func sgd(_ lrs: Double...) throws -> Optimizer {
        try Optimizer(.sgd, options: ["lr": .double(lrs[0])], groups: lrs.map { ["lr": .double($0)] })
    }

    @Test func stepsAsDocumented() throws {
        let optimizer = try Self.sgd(0.1, 0.2)
        let scheduler = try LinearWarmupLR(optimizer: optimizer, warmup: 4)
        var rates = [scheduler.lastLR]
        for _ in 0..<5 {
            try scheduler.step()
            rates.append(scheduler.lastLR)
        }
        #expect(rates.map { $0[0] } == [0.1 * 0.25, 0.1 * 0.5, 0.1 * 0.75, 0.1, 0.1, 0.1])
        #expect(rates.map { $0[1] } == [0.2 * 0.25, 0.2 * 0.5, 0.2 * 0.75, 0.2, 0.2, 0.2])
        #expect(optimizer.paramGroups.map(\.lr) == [0.1, 0.2])
    }

    @Test func theStateHoldsItsOwnKeyBeforeTheBaseKeys() throws {
        let scheduler = try LinearWarmupLR(optimizer: try Self.sgd(0.1), warmup: 4)
        try scheduler.step()
        #expect(
            scheduler.stateDict() == [
                "warmup": 4, "base_lrs": [0.1], "last_epoch": 1, "_step_count": 2, "_is_initial": false,
                "_get_lr_called_within_step": false, "_last_lr": [.double(0.1 * 0.5)],
            ])
    }

    @Test func aLoadedStateResumesAndABadOneChangesNothing() throws {
        let first = try LinearWarmupLR(optimizer: try Self.sgd(0.1), warmup: 8)
        for _ in 0..<3 { try first.step() }
        let resumed = try LinearWarmupLR(optimizer: try Self.sgd(0.1), warmup: 2)
        try resumed.loadStateDict(first.stateDict())
        #expect(resumed.warmup == 8)
        try first.step()
        try resumed.step()
        #expect(resumed.stateDict() == first.stateDict())

        guard case .object(var state) = first.stateDict() else { Issue.record("not an object"); return }
        state["warmup"] = "eight"
        state["base_lrs"] = [0.5]
        let before = resumed.stateDict()
        #expect(throws: PythonError.typeError("LinearWarmupLR state_dict key 'warmup' must be an integer, got string")) {
            try resumed.loadStateDict(.object(state))
        }
        state["warmup"] = nil
        #expect(throws: PythonError.keyError("LinearWarmupLR state_dict is missing the key 'warmup'")) {
            try resumed.loadStateDict(.object(state))
        }
        #expect(resumed.stateDict() == before)
    }

    @Test func theConstructorsChecksAreItsOwn() throws {
        #expect(throws: PythonError.valueError("warmup must be positive, got 0")) {
            try LinearWarmupLR(optimizer: try Self.sgd(0.1), warmup: 0)
        }
    }

    static func warmupSpec(type: String = "example.LinearWarmupLR") -> String {
        """
        {"format": "anneal-trace/1", "name": "example/warmup",
         "optimizer": {"type": "SGD", "options": {"lr": 0.1}, "param_groups": [{}]},
         "scheduler": {"type": "\(type)", "args": {"warmup": 4}},
         "script": [{"op": "step", "repeat": 2}, {"op": "reload"}, {"op": "step"}, {"op": "rebuild"},
                    {"op": "step", "repeat": 2}, {"op": "state_dict"}]}
        """
    }

    /// Registered, the type is a spec's `type`, and `reload`/`rebuild` use
    /// its state and `last_epoch`.
    @Test func theRunnerRunsARegisteredScheduler() throws {
        let spec = try TraceSpec(json: try JSONValue.parse(Self.warmupSpec()))
        let (records, error) = try TraceRunner.run(spec)
        #expect(error == nil)
        let rates = records.compactMap { $0["lr"]?.arrayValue?.first?.doubleValue }
        #expect(rates.first == 0.1 * 0.25)
        #expect(rates.last == 0.1)
        // Three steps, then `rebuild` at last_epoch 3, whose constructor steps
        // once more (PyTorch's resume-by-`last_epoch`), then two steps.
        #expect(records.compactMap { $0["last_epoch"]?.intValue } == [0, 1, 2, 2, 3, 4, 5, 6, 6])
        let state = try #require(records.last?["state_dict"])
        #expect(state["warmup"] == 4)
        #expect(state["last_epoch"] == 6)
    }

    @Test func anUnregisteredNameIsASpecError() throws {
        let text = Self.warmupSpec(type: "example.NotRegistered")
        #expect(throws: SpecError.self) { try TraceSpec(json: try JSONValue.parse(text)) }
    }

    /// A `Scheduler` that is not an `LRScheduler` is stepped too, with its
    /// own step signature: an epoch it does not take is its `TypeError`.
    @Test func theRunnerStepsAPlainScheduler() throws {
        let text = """
            {"format": "anneal-trace/1", "name": "example/halving",
             "optimizer": {"type": "SGD", "options": {"lr": 1}, "param_groups": [{}]},
             "scheduler": {"type": "example.HalvingScheduler", "args": {}},
             "script": [{"op": "step", "repeat": 3}, {"op": "reload"}, {"op": "state_dict"}, {"op": "step", "epoch": 4}]}
            """
        let (records, error) = try TraceRunner.run(try TraceSpec(json: try JSONValue.parse(text)))
        #expect(error == nil)
        let states = records.compactMap { $0["state_dict"] }
        #expect(states == [["halvings": 3, "_last_lr": [0.125]]])
        #expect(records.last?["error"]?["type"] == "TypeError")
    }

    /// A scheduler shaped like timm's: `step` binds `epoch` first and
    /// `metric` by keyword, `step_update` gives it the update count, and its
    /// records have no `last_lr` or `last_epoch`; PyTorch's schedulers
    /// have no `step_update` (Python's `AttributeError`).
    @Test func stepUpdateAndEpochSteps() throws {
        let text = """
            {"format": "anneal-trace/1", "name": "example/updates",
             "optimizer": {"type": "SGD", "options": {"lr": 1.0}, "param_groups": [{}]},
             "scheduler": {"type": "example.PerUpdateScheduler", "args": {}},
             "script": [{"op": "step", "epoch": 1}, {"op": "step_update", "num_updates": 3, "repeat": 2},
                        {"op": "step", "epoch": 4, "metric": 0.5}, {"op": "reload"}, {"op": "state_dict"},
                        {"op": "step"}]}
            """
        let (records, error) = try TraceRunner.run(try TraceSpec(json: try JSONValue.parse(text)))
        #expect(error == nil)
        #expect(records.compactMap { $0["lr"]?.arrayValue?.first?.doubleValue } == [1.0, 0.5, 0.25, 0.25, 0.2, 0.2, 0.2])
        #expect(records.allSatisfy { $0["last_lr"] == nil && $0["last_epoch"] == nil })
        #expect(records.compactMap { $0["state_dict"] } == [["base_values": [1.0], "t": 4.0, "last_was_update": false]])
        #expect(records.last?["error"]?["type"] == "TypeError")

        let torchLike = """
            {"format": "anneal-trace/1", "name": "example/no-step-update",
             "optimizer": {"type": "SGD", "options": {"lr": 1.0}, "param_groups": [{}]},
             "scheduler": {"type": "StepLR", "args": {"step_size": 2}},
             "script": [{"op": "step_update", "num_updates": 1}]}
            """
        let (torchRecords, _) = try TraceRunner.run(try TraceSpec(json: try JSONValue.parse(torchLike)))
        #expect(torchRecords.last?["error"] == ["type": "AttributeError", "message": "'StepLR' object has no attribute 'step_update'"])
    }
}

