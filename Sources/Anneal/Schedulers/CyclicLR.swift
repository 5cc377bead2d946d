/// Cycles each group's rate between `baseLR` and `maxLR` (cyclical learning
/// rates, Smith 2017), and momentum inversely: PyTorch's
/// `CyclicLR(optimizer, base_lr, max_lr, step_size_up=2000, step_size_down=None,
/// mode='triangular', gamma=1.0, scale_fn=None, scale_mode='cycle',
/// cycle_momentum=True, base_momentum=0.8, max_momentum=0.9, last_epoch=-1)`.
///
/// With `cycle = floor(1 + e / total)`, `x = 1 + e / total − cycle` and
/// `s = x / ratio` rising, `(x − 1) / (ratio − 1)` falling:
/// `lr = base_lr + (max_lr − base_lr) · s · scale_fn(cycle or e)`, and
/// `momentum = max_m − (max_m − base_m) · s · scale_fn(...)`. Modes:
/// `triangular` (scale 1), `triangular2` (halves each cycle:
/// `1 / 2 ** (cycle − 1)`), `exp_range` (`gamma ** iteration`), or a custom
/// `scale_fn` of the cycle (`scale_mode = "cycle"`) or iteration.
///
/// With `baseLR: 0.1`, `maxLR: 1.0`, `stepSizeUp: 2`: 0.1, 0.55, 1.0, 0.55, 0.1, ...
public final class CyclicLR: LRScheduler {
    @exclusivity(unchecked) public internal(set) var maxLRs: [Double]
    /// `total_size = step_size_up + step_size_down`.
    @exclusivity(unchecked) public internal(set) var totalSize: Double
    /// `step_ratio = step_size_up / total_size`.
    @exclusivity(unchecked) public internal(set) var stepRatio: Double
    /// `mode`: `"triangular"`, `"triangular2"`, `"exp_range"`, or anything with a custom `scale_fn`.
    @exclusivity(unchecked) public internal(set) var mode: String
    @exclusivity(unchecked) public internal(set) var gamma: Double
    /// `scale_mode`: `"cycle"` or `"iterations"` (set by the mode unless `scale_fn` is given).
    @exclusivity(unchecked) public internal(set) var scaleMode: String
    public let scaleFunction: ScheduleFunction?
    @exclusivity(unchecked) public internal(set) var cycleMomentum: Bool
    /// Whether momentum is `betas[0]` (Adam-style) rather than `momentum`.
    @exclusivity(unchecked) public internal(set) var usesBeta1: Bool = false
    @exclusivity(unchecked) public internal(set) var baseMomentums: [Double] = []
    @exclusivity(unchecked) public internal(set) var maxMomentums: [Double] = []

    /// `get_lr`'s scale factor and `scale_fn` values, from ``prepareLR(closedForm:)``.
    @exclusivity(unchecked) private var scaleFactor = 0.0
    @exclusivity(unchecked) private var scales: [Double] = []
    /// The built-in `scale_fn` and `scale_mode == "cycle"`, decided once, not per step.
    private enum BuiltInScale { case triangular, triangular2, expRange }
    @exclusivity(unchecked) private var builtInScale = BuiltInScale.triangular
    @exclusivity(unchecked) private var scalesByCycle = true

    public init(
        optimizer: Optimizer, baseLR: GroupValues, maxLR: GroupValues, stepSizeUp: Double = 2000,
        stepSizeDown: Double? = nil, mode: String = "triangular", gamma: Double = 1.0,
        scaleFunction: ScheduleFunction? = nil, scaleMode: String = "cycle", cycleMomentum: Bool = true,
        baseMomentum: GroupValues = 0.8, maxMomentum: GroupValues = 0.9, lastEpoch: Epoch = -1,
        warnings: WarningSink = WarningSink()
    ) throws(PythonError) {
        let groupCount = optimizer.paramGroups.count
        let baseLRs = try baseLR.resolve("base_lr", groupCount: groupCount)
        if lastEpoch.value == -1 {
            for index in 0..<groupCount { optimizer.paramGroups[index].lr = baseLRs[index] }
        }
        self.maxLRs = try maxLR.resolve("max_lr", groupCount: groupCount)
        let up = stepSizeUp
        let down = stepSizeDown ?? up
        self.totalSize = up + down
        self.stepRatio = try PyFloat.divide(up, totalSize)
        if !["triangular", "triangular2", "exp_range"].contains(mode) && scaleFunction == nil {
            throw .valueError("mode is invalid and scale_fn is None")
        }
        self.mode = mode
        self.gamma = gamma
        self.scaleFunction = scaleFunction
        self.cycleMomentum = cycleMomentum
        (self.scaleMode, builtInScale, scalesByCycle) = Self.initScaleFunction(
            mode: mode, scaleMode: scaleMode, custom: scaleFunction != nil)
        if cycleMomentum {
            let usesBeta1 = try optimizer.cyclesBeta1()
            let baseMomentums = try baseMomentum.resolve("base_momentum", groupCount: groupCount)
            let maxMomentums = try maxMomentum.resolve("max_momentum", groupCount: groupCount)
            self.usesBeta1 = usesBeta1
            self.baseMomentums = baseMomentums
            self.maxMomentums = maxMomentums
            if lastEpoch.value == -1 {
                optimizer.startCyclingMomentum(maximums: maxMomentums, bases: baseMomentums, usesBeta1: usesBeta1)
            }
        }
        try super.init(optimizer: optimizer, lastEpoch: lastEpoch, warnings: warnings)
        // PyTorch sets `base_lrs` after `super().__init__()`.
        self.baseLRs = baseLRs
    }

    /// `scale_fn` is called before each step's rates are computed.
    override var callsFunctionsBeforeLR: Bool { true }

    /// `_init_scale_fn`: the built-in modes fix `scale_mode`; returns it,
    /// with the built-in scale to use and whether it is per cycle.
    private static func initScaleFunction(mode: String, scaleMode: String, custom: Bool)
        -> (scaleMode: String, builtIn: BuiltInScale, byCycle: Bool)
    {
        var scaleMode = scaleMode
        if !custom {
            switch mode {
            case "triangular", "triangular2": scaleMode = "cycle"
            case "exp_range": scaleMode = "iterations"
            default: break
            }
        }
        let builtIn: BuiltInScale = mode == "triangular" ? .triangular : mode == "triangular2" ? .triangular2 : .expRange
        return (scaleMode, builtIn, scaleMode == "cycle")
    }

    /// `scale_fn(x)` for the built-in modes, or the custom function.
    @inline(__always)
    private func scale(_ x: PyValue) throws(PythonError) -> Double {
        if let scaleFunction { return try scaleFunction(x) }
        switch builtInScale {
        case .triangular: return 1.0
        case .triangular2: return try PyFloat.divide(1, try PyFloat.pow(2.0, x.doubleValue - 1))
        case .expRange: return try PyFloat.pow(gamma, x.doubleValue)
        }
    }

    /// `get_lr`'s cycle position, and every `scale_fn` value it uses, in
    /// PyTorch's call order (once per group for the rates, then once per group
    /// for momentum), computed before the groups are touched.
    override func prepareLR(closedForm: Bool) throws(PythonError) {
        let epoch = lastEpoch.value
        let cycle = try PyFloat.floorToInteger(1 + (try PyFloat.divide(epoch, totalSize)))
        let x = 1.0 + (try PyFloat.divide(epoch, totalSize)) - cycle
        scaleFactor = x <= stepRatio ? try PyFloat.divide(x, stepRatio) : try PyFloat.divide(x - 1, stepRatio - 1)
        let argument: PyValue
        if !scalesByCycle {
            argument = try lastEpoch.pythonValue()
        } else if Swift.abs(cycle) <= Double(PyValue.maxInteger) {
            argument = .int(Int(cycle))
        } else if scaleFunction == nil {
            // The built-in functions take `x` only as a float exponent.
            argument = .float(cycle)
        } else {
            throw .beyondAnneal("the cycle \(PyFloat.repr(cycle)) is beyond 2**53, the largest integer expressions take")
        }
        let groupCount = optimizer.paramGroups.count
        let calls = cycleMomentum ? 2 * groupCount : groupCount
        if scales.count != calls { scales = Array(repeating: 0, count: calls) }
        if scaleFunction == nil {
            let value = try scale(argument)
            for index in 0..<calls { scales[index] = value }
        } else {
            for index in 0..<calls { scales[index] = try scale(argument) }
        }
    }

    public override func computeLR(_ groups: ParamGroups, into lrs: Rates) throws(PythonError) {
        try checkGroupCount(baseLRs.count, lrs.count)
        try checkGroupCount(maxLRs.count, lrs.count)
        let scaleFactor = self.scaleFactor
        for index in lrs.indices {
            let baseHeight = (maxLRs[index] - baseLRs[index]) * scaleFactor
            lrs[index] = baseLRs[index] + baseHeight * scales[index]
        }
        guard cycleMomentum else { return }
        try checkGroupCount(baseMomentums.count, lrs.count)
        if usesBeta1 {
            for index in lrs.indices where groups[index].betas == nil { throw .keyError("'betas'") }
        }
        let count = lrs.count
        for index in lrs.indices {
            let baseHeight = (maxMomentums[index] - baseMomentums[index]) * scaleFactor
            let momentum = maxMomentums[index] - baseHeight * scales[count + index]
            if usesBeta1 {
                groups[index].betas!.beta1 = momentum
            } else {
                groups[index].momentum = momentum
            }
        }
    }

    /// The momentum keys exist only with `cycle_momentum`, which a loaded
    /// state must share; `_scale_fn_custom` (a plain function, saved as
    /// `None`) is set after `super().__init__()`.
    public override var ownState: StateTable {
        StateTable(self, [
            .perGroup("max_lrs", \.maxLRs), .double("total_size", \.totalSize), .double("step_ratio", \.stepRatio),
            .string("mode", \.mode), .double("gamma", \.gamma), .string("scale_mode", \.scaleMode),
            .matching("cycle_momentum", \.cycleMomentum),
            .checked("_scale_fn_custom", encode: { _ in .null }) { (reader, _) throws(PythonError) in
                guard try reader.value("_scale_fn_custom").isNull else {
                    throw .valueError("CyclicLR state_dict key '_scale_fn_custom' must be null (plain functions are not saved)")
                }
            }.afterBaseKeys(),
            .bool("use_beta1", \.usesBeta1).when(\.cycleMomentum),
            .perGroup("base_momentums", \.baseMomentums).when(\.cycleMomentum),
            .perGroup("max_momentums", \.maxMomentums).when(\.cycleMomentum),
        ])
    }

    public override func didLoadState() {
        (scaleMode, builtInScale, scalesByCycle) = Self.initScaleFunction(
            mode: mode, scaleMode: scaleMode, custom: scaleFunction != nil)
    }
}

extension CyclicLR: RegisteredScheduler {
    /// `CyclicLR(optimizer, base_lr, max_lr, step_size_up=2000, step_size_down=None, mode='triangular',
    /// gamma=1.0, scale_fn=None, scale_mode='cycle', cycle_momentum=True, base_momentum=0.8,
    /// max_momentum=0.9, last_epoch=-1)`.
    public static func make(_ args: inout KeywordArguments, context: SchedulerContext) throws -> CyclicLR {
        try args.allow([
            "base_lr", "max_lr", "step_size_up", "step_size_down", "mode", "gamma", "scale_fn", "scale_mode",
            "cycle_momentum", "base_momentum", "max_momentum", "last_epoch",
        ])
        return try CyclicLR(
            optimizer: context.optimizer, baseLR: try args.groupValues("base_lr"),
            maxLR: try args.groupValues("max_lr"), stepSizeUp: try args.float("step_size_up", 2000),
            stepSizeDown: try args.optionalFloat("step_size_down"), mode: try args.string("mode", "triangular"),
            gamma: try args.float("gamma", 1.0), scaleFunction: try args.optionalFunction("scale_fn"),
            scaleMode: try args.string("scale_mode", "cycle"), cycleMomentum: try args.bool("cycle_momentum", true),
            baseMomentum: try args.groupValues("base_momentum", 0.8),
            maxMomentum: try args.groupValues("max_momentum", 0.9), lastEpoch: try args.epoch())
    }
}
