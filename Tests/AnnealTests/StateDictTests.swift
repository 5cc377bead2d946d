import Anneal
import Testing

/// `stateDict()` carries PyTorch's keys, and `loadStateDict` restores a run
/// exactly while refusing states that are not this scheduler's.
@Suite("State dicts")
struct StateDictTests {
    @Test func stepLRKeysArePyTorchs() throws {
        let scheduler = try StepLR(optimizer: try sgd(0.1), stepSize: 3)
        let keys = Set(try #require(scheduler.stateDict().objectValue).keys)
        #expect(
            keys == [
                "step_size", "gamma", "base_lrs", "last_epoch", "_step_count", "_is_initial",
                "_get_lr_called_within_step", "_last_lr",
            ])
    }

    @Test func multiStepMilestonesAreACounter() throws {
        let scheduler = try MultiStepLR(optimizer: try sgd(0.1), milestones: [5, 2, 5])
        #expect(scheduler.stateDict()["milestones"] == .object(["5": 2, "2": 1]))
    }

    /// A loaded `Counter` may hold any count: the closed form counts the
    /// decays without expanding them, and a total past `Int.max` is refused.
    @Test func multiStepMilestoneCountsAreNotExpanded() throws {
        let scheduler = try MultiStepLR(optimizer: try sgd(0.1), milestones: [2, 4], gamma: 0.5)
        guard case .object(var state) = scheduler.stateDict() else { Issue.record("not an object"); return }
        state["milestones"] = .object(["4": .int(Int.max - 3), "2": 3])
        try scheduler.loadStateDict(.object(state))
        try scheduler.step(epoch: 3)
        #expect(scheduler.lastLR == [0.1 * 0.125])
        try scheduler.step(epoch: 4)
        #expect(scheduler.lastLR == [0])
        state["milestones"] = .object(["4": .int(Int.max), "2": 1])
        expectPythonError("ValueError", "MultiStepLR state_dict milestones count more than \(Int.max) decays in all") {
            try scheduler.loadStateDict(.object(state))
        }
    }

    @Test func lambdasAreSavedAsNull() throws {
        let scheduler = try LambdaLR(optimizer: try sgd(0.1, 0.2), lrLambda: try ScheduleFunction(expression: "epoch"))
        #expect(scheduler.stateDict()["lr_lambdas"] == [nil, nil])
    }

    /// Save mid-run, restore into fresh objects, carry on: the same rates as
    /// the run that never stopped.
    @Test(arguments: ["CosineAnnealingLR", "CyclicLR", "OneCycleLR", "SequentialLR", "CosineAnnealingWarmRestarts"])
    func resumeIsExact(_ type: String) throws {
        func make(_ o: Optimizer) throws -> LRScheduler {
            switch type {
            case "CosineAnnealingLR": return try CosineAnnealingLR(optimizer: o, tMax: 7, etaMin: 0.001)
            case "CyclicLR": return try CyclicLR(optimizer: o, baseLR: 0.01, maxLR: 0.1, stepSizeUp: 3)
            case "OneCycleLR": return try OneCycleLR(optimizer: o, maxLR: 0.1, totalSteps: 40)
            case "SequentialLR":
                return try SequentialLR(
                    optimizer: o,
                    schedulers: [try LinearLR(optimizer: o, startFactor: 0.1, totalIters: 4), try CosineAnnealingLR(optimizer: o, tMax: 20)],
                    milestones: [4])
            default: return try CosineAnnealingWarmRestarts(optimizer: o, t0: 3, tMult: 2)
            }
        }
        let straight = try sgd(0.1, 0.05, momentum: 0.9)
        let uninterrupted = try make(straight)
        let expected = try schedule(straight, uninterrupted, steps: 30)

        let first = try sgd(0.1, 0.05, momentum: 0.9)
        let before = try make(first)
        var rates = try schedule(first, before, steps: 12)
        let savedOptimizer = first.stateDict()
        let savedScheduler = before.stateDict()
        let second = try sgd(0.1, 0.05, momentum: 0.9)
        let after = try make(second)
        try second.loadStateDict(savedOptimizer)
        try after.loadStateDict(savedScheduler)
        rates += try schedule(second, after, steps: 18).dropFirst()
        expectClose(rates, expected, type)
        #expect(after.stateDict() == uninterrupted.stateDict(), "the resumed scheduler ends in the same state")
        #expect(second.paramGroups == straight.paramGroups, "and so do the param groups")
    }

    @Test func anotherSchedulersStateIsRejected() throws {
        let step = try StepLR(optimizer: try sgd(0.1), stepSize: 3)
        let cosine = try CosineAnnealingLR(optimizer: try sgd(0.1), tMax: 10)
        let before = cosine.stateDict()
        expectPythonError("KeyError") { try cosine.loadStateDict(step.stateDict()) }
        #expect(cosine.stateDict() == before, "a rejected state changes nothing")
    }

    @Test func missingKeysAndWrongTypesAreRejected() throws {
        let scheduler = try StepLR(optimizer: try sgd(0.1), stepSize: 3)
        guard case .object(var state) = scheduler.stateDict() else { Issue.record("not an object"); return }
        var missing = state
        missing["gamma"] = nil
        expectPythonError("KeyError", "StepLR state_dict is missing the key 'gamma'") { try scheduler.loadStateDict(.object(missing)) }
        state["base_lrs"] = "0.1"
        expectPythonError("TypeError") { try scheduler.loadStateDict(.object(state)) }
        expectPythonError("TypeError") { try scheduler.loadStateDict([1, 2]) }
    }

    /// PyTorch's `AdamW.__setstate__`: a loaded group always decouples weight decay.
    @Test func adamWLoadForcesDecoupledWeightDecay() throws {
        let adamW = try Optimizer(.adamW)
        guard case .object(var state) = adamW.stateDict(), case .array(var groups)? = state["param_groups"],
            case .object(var group) = groups[0]
        else { Issue.record("unexpected state dict shape"); return }
        group["decoupled_weight_decay"] = false
        groups[0] = .object(group)
        state["param_groups"] = .array(groups)
        try adamW.loadStateDict(.object(state))
        #expect(adamW.paramGroups[0].options["decoupled_weight_decay"] == true)
    }

    @Test func plateauStateRoundTrips() throws {
        let o = try sgd(0.1)
        let plateau = try ReduceLROnPlateau(optimizer: o, mode: "max", patience: 2, cooldown: 1)
        for metric in [1.0, 2.0, 2.0, 2.0, 2.0, .nan] { try plateau.step(metric: metric) }
        let copy = try ReduceLROnPlateau(optimizer: try sgd(0.1))
        try copy.loadStateDict(plateau.stateDict())
        #expect(copy.stateDict() == plateau.stateDict())
        #expect(copy.mode == "max")
        #expect(copy.best == 2.0)
    }
}
