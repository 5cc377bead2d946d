#if canImport(Glibc)
import Glibc
#endif

/// The 1cycle policy (Smith & Topin 2017): the rate rises from
/// `max_lr / div_factor` to `max_lr`, then anneals far below the start,
/// while momentum moves the other way: PyTorch's
/// `OneCycleLR(optimizer, max_lr, total_steps=None, epochs=None,
/// steps_per_epoch=None, pct_start=0.3, anneal_strategy='cos',
/// cycle_momentum=True, base_momentum=0.85, max_momentum=0.95,
/// div_factor=25.0, final_div_factor=10000.0, three_phase=False, last_epoch=-1)`.
///
/// Phases end at `pct_start·T − 1` and `T − 1` (three-phase: `pct_start·T − 1`,
/// `2·pct_start·T − 2`, `T − 1`); within a phase,
/// `pct = (step − start) / (end − start)` and the rate is
/// `cos`: `end + (start − end) / 2 · (cos(π·pct) + 1)`, or
/// `linear`: `(end − start) · pct + start`. Stepping past `total_steps`
/// raises `ValueError("Tried to step N times. ...")`.
///
/// With `maxLR: 1.0`, `totalSteps: 4`, `pctStart: 0.5`, `linear`: 0.04, 1.0,
/// 0.500002, 0.000004, −0.499994 (the 4th step extrapolates past the last
/// phase, as PyTorch's does), and the 5th step raises.
public final class OneCycleLR: LRScheduler {
    /// Names of the group keys the phases interpolate between.
    public enum GroupKey: String, Sendable, CaseIterable {
        case initialLR = "initial_lr", maxLR = "max_lr", minLR = "min_lr"
        case maxMomentum = "max_momentum", baseMomentum = "base_momentum"
    }

    /// One phase: `{'end_step', 'start_lr', 'end_lr', 'start_momentum', 'end_momentum'}`.
    public struct Phase: Sendable, Hashable {
        public var endStep: Double
        /// `float(...) - 1` for the first phases, the int `total_steps - 1` for the last.
        public var endStepIsFloat: Bool
        /// The exact int `end_step` (when not ``endStepIsFloat``): ``endStep`` is its nearest double.
        public var endStepInteger: Int
        public var startLR: GroupKey
        public var endLR: GroupKey
        public var startMomentum: GroupKey
        public var endMomentum: GroupKey

        /// A phase ending at the float `endStep`.
        init(endStep: Double, startLR: GroupKey, endLR: GroupKey, startMomentum: GroupKey, endMomentum: GroupKey) {
            self.endStep = endStep
            self.endStepIsFloat = true
            self.endStepInteger = 0
            self.startLR = startLR
            self.endLR = endLR
            self.startMomentum = startMomentum
            self.endMomentum = endMomentum
        }

        /// A phase ending at the int `endStep`.
        init(integerEndStep: Int, startLR: GroupKey, endLR: GroupKey, startMomentum: GroupKey, endMomentum: GroupKey) {
            self.init(endStep: Double(integerEndStep), startLR: startLR, endLR: endLR, startMomentum: startMomentum, endMomentum: endMomentum)
            self.endStepIsFloat = false
            self.endStepInteger = integerEndStep
        }
    }

    @exclusivity(unchecked) public internal(set) var totalSteps: Int
    @exclusivity(unchecked) public internal(set) var phases: [Phase]
    /// `_anneal_func_type`: `"cos"` or `"linear"`.
    @exclusivity(unchecked) public internal(set) var annealStrategy: String {
        didSet { annealsByCosine = annealStrategy == "cos" }
    }
    /// `annealStrategy == "cos"`, decided once, not per step.
    @exclusivity(unchecked) private var annealsByCosine = true
    @exclusivity(unchecked) private var lastCosine = LastCosine()
    @exclusivity(unchecked) public internal(set) var cycleMomentum: Bool
    @exclusivity(unchecked) public internal(set) var usesBeta1: Bool = false

    /// - Parameters:
    ///   - totalSteps: `total_steps`; or give `epochs` and `stepsPerEpoch`.
    public init(
        optimizer: Optimizer, maxLR: GroupValues, totalSteps: Int? = nil, epochs: Int? = nil,
        stepsPerEpoch: Int? = nil, pctStart: Double = 0.3, annealStrategy: String = "cos",
        cycleMomentum: Bool = true, baseMomentum: GroupValues = 0.85, maxMomentum: GroupValues = 0.95,
        divFactor: Double = 25.0, finalDivFactor: Double = 10000.0, threePhase: Bool = false,
        lastEpoch: Epoch = -1, warnings: WarningSink = WarningSink()
    ) throws(PythonError) {
        if let totalSteps {
            if totalSteps <= 0 { throw .valueError("Expected positive integer total_steps, but got \(totalSteps)") }
            self.totalSteps = totalSteps
        } else if let epochs, let stepsPerEpoch {
            if epochs <= 0 { throw .valueError("Expected positive integer epochs, but got \(epochs)") }
            if stepsPerEpoch <= 0 {
                throw .valueError("Expected positive integer steps_per_epoch, but got \(stepsPerEpoch)")
            }
            self.totalSteps = try checkedProduct(epochs, stepsPerEpoch)
        } else {
            throw .valueError("You must define either total_steps OR (epochs AND steps_per_epoch)")
        }
        let total = Double(self.totalSteps)
        if threePhase {
            phases = [
                Phase(endStep: pctStart * total - 1, startLR: .initialLR, endLR: .maxLR,
                      startMomentum: .maxMomentum, endMomentum: .baseMomentum),
                Phase(endStep: 2 * pctStart * total - 2, startLR: .maxLR, endLR: .initialLR,
                      startMomentum: .baseMomentum, endMomentum: .maxMomentum),
                Phase(integerEndStep: self.totalSteps - 1, startLR: .initialLR, endLR: .minLR,
                      startMomentum: .maxMomentum, endMomentum: .maxMomentum),
            ]
        } else {
            phases = [
                Phase(endStep: pctStart * total - 1, startLR: .initialLR, endLR: .maxLR,
                      startMomentum: .maxMomentum, endMomentum: .baseMomentum),
                Phase(integerEndStep: self.totalSteps - 1, startLR: .maxLR, endLR: .minLR,
                      startMomentum: .baseMomentum, endMomentum: .maxMomentum),
            ]
        }
        if pctStart < 0 || pctStart > 1 {
            throw .valueError("Expected float between 0 and 1 pct_start, but got \(pythonString(pctStart))")
        }
        guard annealStrategy == "cos" || annealStrategy == "linear" else {
            throw .valueError("anneal_strategy must be one of 'cos' or 'linear', instead got \(annealStrategy)")
        }
        self.annealStrategy = annealStrategy
        self.annealsByCosine = annealStrategy == "cos"
        let groupCount = optimizer.paramGroups.count
        let maxLRs = try maxLR.resolve("max_lr", groupCount: groupCount)
        if lastEpoch.value == -1 {
            for index in 0..<groupCount {
                let initial = try PyFloat.divide(maxLRs[index], divFactor)
                optimizer.paramGroups[index].initialLR = initial
                optimizer.paramGroups[index].maxLR = maxLRs[index]
                optimizer.paramGroups[index].minLR = try PyFloat.divide(initial, finalDivFactor)
            }
        }
        self.cycleMomentum = cycleMomentum
        if cycleMomentum {
            usesBeta1 = try optimizer.cyclesBeta1()
            let maxMomentums = try maxMomentum.resolve("max_momentum", groupCount: groupCount)
            let baseMomentums = try baseMomentum.resolve("base_momentum", groupCount: groupCount)
            if lastEpoch.value == -1 {
                optimizer.startCyclingMomentum(maximums: maxMomentums, bases: baseMomentums, usesBeta1: usesBeta1)
            }
        }
        try super.init(optimizer: optimizer, lastEpoch: lastEpoch, warnings: warnings)
    }

    @inline(__always)
    private func value(_ key: GroupKey, _ group: UnsafeMutablePointer<ParamGroup>) throws(PythonError) -> Double {
        let value: Double?
        switch key {
        case .initialLR: value = group.pointee.initialLR
        case .maxLR: value = group.pointee.maxLR
        case .minLR: value = group.pointee.minLR
        case .maxMomentum: value = group.pointee.maxMomentum
        case .baseMomentum: value = group.pointee.baseMomentum
        }
        guard let value else { throw .keyError("'\(key.rawValue)'") }
        return value
    }

    @inline(__always)
    private func anneal(_ start: Double, _ end: Double, _ pct: Double) throws(PythonError) -> Double {
        if annealsByCosine {
            let cosOut = (try lastCosine.cos(Double.pi * pct)) + 1
            return end + (start - end) / 2.0 * cosOut
        }
        return (end - start) * pct + start
    }

    public override func computeLR(_ groups: ParamGroups, into lrs: Rates) throws(PythonError) {
        let stepNumber = lastEpoch.value
        if Epoch(totalSteps) < lastEpoch {
            throw .valueError(
                "Tried to step \(lastEpoch) times. The specified number of total steps is \(totalSteps)")
        }
        guard !lrs.isEmpty else { return }
        // The phase and `pct` depend on the step alone: PyTorch finds the
        // same ones for every group, so find them once.
        var startStep = 0.0
        var phase = phases[phases.count - 1]
        for (phaseIndex, candidate) in phases.enumerated() {
            // `step_num <= end_step`, exact for an int `end_step` (NaN: false).
            let reached: Bool
            if lastEpoch.isExactAsDouble && (candidate.endStepIsFloat || candidate.endStepInteger.magnitude <= 1 << 53) {
                reached = stepNumber <= candidate.endStep
            } else {
                let end = candidate.endStepIsFloat ? Epoch(float: candidate.endStep) : Epoch(candidate.endStepInteger)
                reached = lastEpoch < end || lastEpoch == end
            }
            if reached || phaseIndex == phases.count - 1 {
                phase = candidate
                break
            }
            startStep = candidate.endStep
        }
        let pct = try PyFloat.divide(stepNumber - startStep, phase.endStep - startStep)
        for index in lrs.indices {
            let group = groups.baseAddress! + index
            lrs[index] = try anneal(try value(phase.startLR, group), try value(phase.endLR, group), pct)
            if cycleMomentum {
                let momentum = try anneal(try value(phase.startMomentum, group), try value(phase.endMomentum, group), pct)
                if usesBeta1 {
                    guard group.pointee.betas != nil else { throw .keyError("'betas'") }
                    group.pointee.betas!.beta1 = momentum
                } else {
                    group.pointee.momentum = momentum
                }
            }
        }
    }

    /// `_schedule_phases` is a list of dicts (their `end_step` a float or an
    /// int, as computed); `use_beta1` exists only with `cycle_momentum`,
    /// which a loaded state must share.
    public override var ownState: StateTable {
        StateTable(self, [
            .int("total_steps", \.totalSteps),
            .custom(
                "_schedule_phases", encode: { .array($0.phases.map(Self.phaseJSON)) },
                decode: { (reader, _) throws(PythonError) in try Self.readPhases(reader.array("_schedule_phases")) },
                restore: { $0.phases = $1 }),
            .string("_anneal_func_type", \.annealStrategy) { (strategy) throws(PythonError) in
                guard strategy == "cos" || strategy == "linear" else {
                    throw .valueError("Unknown _anneal_func_type: \(strategy)")
                }
            },
            .matching("cycle_momentum", \.cycleMomentum),
            .bool("use_beta1", \.usesBeta1).when(\.cycleMomentum),
        ])
    }

    private static func phaseJSON(_ phase: Phase) -> JSONValue {
        .object([
            "end_step": phase.endStepIsFloat ? .double(phase.endStep) : .int(phase.endStepInteger),
            "start_lr": .string(phase.startLR.rawValue), "end_lr": .string(phase.endLR.rawValue),
            "start_momentum": .string(phase.startMomentum.rawValue),
            "end_momentum": .string(phase.endMomentum.rawValue),
        ])
    }

    private static func readPhases(_ items: [JSONValue]) throws(PythonError) -> [Phase] {
        var phases: [Phase] = []
        for item in items {
            func key(_ name: String) throws(PythonError) -> GroupKey {
                guard let raw = item[name]?.stringValue, let key = GroupKey(rawValue: raw) else {
                    throw .valueError("OneCycleLR state_dict phase has no valid '\(name)'")
                }
                return key
            }
            guard let end = item["end_step"], let endStep = end.doubleValue else {
                throw .valueError("OneCycleLR state_dict phase has no numeric 'end_step'")
            }
            let (startLR, endLR) = (try key("start_lr"), try key("end_lr"))
            let (startMomentum, endMomentum) = (try key("start_momentum"), try key("end_momentum"))
            if let integer = end.intValue {
                phases.append(Phase(integerEndStep: integer, startLR: startLR, endLR: endLR,
                                    startMomentum: startMomentum, endMomentum: endMomentum))
            } else {
                phases.append(Phase(endStep: endStep, startLR: startLR, endLR: endLR,
                                    startMomentum: startMomentum, endMomentum: endMomentum))
            }
        }
        if phases.isEmpty { throw .valueError("OneCycleLR state_dict key '_schedule_phases' is empty") }
        return phases
    }
}

extension OneCycleLR: RegisteredScheduler {
    /// `OneCycleLR(optimizer, max_lr, total_steps=None, epochs=None, steps_per_epoch=None, pct_start=0.3,
    /// anneal_strategy='cos', cycle_momentum=True, base_momentum=0.85, max_momentum=0.95, div_factor=25.0,
    /// final_div_factor=10000.0, three_phase=False, last_epoch=-1)`.
    public static func make(_ args: inout KeywordArguments, context: SchedulerContext) throws -> OneCycleLR {
        try args.allow([
            "max_lr", "total_steps", "epochs", "steps_per_epoch", "pct_start", "anneal_strategy", "cycle_momentum",
            "base_momentum", "max_momentum", "div_factor", "final_div_factor", "three_phase", "last_epoch",
        ])
        _ = try args.raw("max_lr")
        // PyTorch checks these counts with `isinstance(..., int)`, in this order.
        func present(_ name: String) -> JSONValue? {
            guard let value = args.rawOptional(name), !value.isNull else { return nil }
            return value
        }
        func positiveInteger(_ value: JSONValue, _ name: String) throws -> Int {
            guard case .int(let count) = value, count > 0 else {
                throw PythonError.valueError("Expected positive integer \(name), but got \(value.pythonDescription)")
            }
            return count
        }
        var totalSteps: Int?
        var epochs: Int?
        var stepsPerEpoch: Int?
        if let raw = present("total_steps") {
            totalSteps = try positiveInteger(raw, "total_steps")
        } else if let rawEpochs = present("epochs"), let rawSteps = present("steps_per_epoch") {
            epochs = try positiveInteger(rawEpochs, "epochs")
            stepsPerEpoch = try positiveInteger(rawSteps, "steps_per_epoch")
        } else {
            throw PythonError.valueError("You must define either total_steps OR (epochs AND steps_per_epoch)")
        }
        let pctStart = args.rawOptional("pct_start") ?? .double(0.3)
        guard case .double(let pctValue) = pctStart else {
            throw PythonError.valueError("Expected float between 0 and 1 pct_start, but got \(pctStart.pythonDescription)")
        }
        return try OneCycleLR(
            optimizer: context.optimizer, maxLR: try args.groupValues("max_lr"), totalSteps: totalSteps,
            epochs: epochs, stepsPerEpoch: stepsPerEpoch, pctStart: pctValue,
            annealStrategy: try args.string("anneal_strategy", "cos"),
            cycleMomentum: try args.bool("cycle_momentum", true),
            baseMomentum: try args.groupValues("base_momentum", 0.85),
            maxMomentum: try args.groupValues("max_momentum", 0.95), divFactor: try args.float("div_factor", 25.0),
            finalDivFactor: try args.float("final_div_factor", 10000.0),
            threePhase: try args.bool("three_phase", false), lastEpoch: try args.epoch())
    }
}
