/// Cosine annealing with warm restarts (SGDR, Loshchilov & Hutter 2017):
/// PyTorch's `CosineAnnealingWarmRestarts(optimizer, T_0, T_mult=1, eta_min=0.0, last_epoch=-1)`.
///
/// `lr = η + (base_lr − η) · (1 + cos(π · T_cur / T_i)) / 2`, where `T_cur`
/// counts epochs since the last restart and the period `T_i` starts at `T_0`
/// and is multiplied by `T_mult` at each restart. `step(epoch:)` accepts
/// fractional epochs (`T_cur` becomes a float), for per-batch updates.
///
/// With `lr = 0.1`, `t0: 2`, `tMult: 2`: 0.1, 0.05, 0.1, 0.0853553, 0.05, 0.0146447, 0.1, ...
public final class CosineAnnealingWarmRestarts: LRScheduler {
    @exclusivity(unchecked) public internal(set) var t0: Int
    /// `T_i`: the current period.
    @exclusivity(unchecked) public internal(set) var tI: Int
    @exclusivity(unchecked) public internal(set) var tMult: Int
    @exclusivity(unchecked) public internal(set) var etaMin: Double
    /// `T_cur`: epochs since the last restart (a float after fractional epochs).
    @exclusivity(unchecked) public internal(set) var tCur: Epoch

    public init(
        optimizer: Optimizer, t0: Int, tMult: Int = 1, etaMin: Double = 0.0, lastEpoch: Epoch = -1,
        warnings: WarningSink = WarningSink()
    ) throws(PythonError) {
        if t0 <= 0 { throw .valueError("Expected positive integer T_0, but got \(t0)") }
        if tMult < 1 { throw .valueError("Expected integer T_mult >= 1, but got \(tMult)") }
        self.t0 = t0
        self.tI = t0
        self.tMult = tMult
        self.etaMin = etaMin
        self.tCur = lastEpoch
        try super.init(optimizer: optimizer, lastEpoch: lastEpoch, warnings: warnings)
    }

    /// PyTorch overrides `step` here: no step counting, no warnings, and its
    /// own handling of explicit (possibly fractional) epochs.
    override func performStep(epoch: Epoch?) throws(PythonError) {
        var epoch = epoch
        if epoch == nil && lastEpoch.value < 0 { epoch = 0 }
        let newEpoch: Epoch
        if let epoch {
            if epoch.value < 0 { throw .valueError("Expected non-negative epoch, but got \(epoch)") }
            if epoch.value >= Double(t0) {
                if tMult == 1 {
                    // `epoch % T_0`: an int stays an int.
                    tCur = epoch.isFloat
                        ? Epoch(float: try PyFloat.mod(epoch.value, Double(t0)))
                        : Epoch(try Self.remainder(epoch.integer, t0))
                } else {
                    let periodGrowth = Double(try checkedDifference(tMult, 1))
                    let ratio = epoch.value / Double(t0) * periodGrowth + 1
                    let n = try Self.truncate(try PyFloat.log(ratio, base: Double(tMult)))
                    let power = try Self.integerPower(tMult, n)
                    let completed = try Self.multiply(t0, try checkedDifference(power, 1))
                    tCur = Epoch(float: epoch.value - Double(completed) / periodGrowth)
                    tI = try Self.multiply(t0, power)
                }
            } else {
                tI = t0
                tCur = epoch
            }
            newEpoch = epoch.isFloat ? try Epoch(integral: try PyFloat.floorToInteger(epoch.value)) : epoch
        } else {
            newEpoch = try lastEpoch.advanced(by: 1)
            tCur = try tCur.advanced(by: 1)
            if tCur.value >= Double(tI) {
                tCur = tCur.isFloat
                    ? Epoch(float: try PyFloat.mod(tCur.value, Double(tI)))
                    : Epoch(try Self.remainder(tCur.integer, tI))
                tI = try Self.multiply(tI, tMult)
            }
        }
        hasGetLRFlag = true
        lastEpoch = newEpoch
        try computeAndApplyLR()
    }

    public override func computeLR(_ groups: ParamGroups, into lrs: Rates) throws(PythonError) {
        try checkGroupCount(baseLRs.count, lrs.count)
        let cosine = 1 + (try PyFloat.cos(try PyFloat.divide(Double.pi * tCur.value, Double(tI))))
        for index in lrs.indices {
            lrs[index] = etaMin + (baseLRs[index] - etaMin) * cosine / 2
        }
    }

    /// Python's `a % b` for ints with a positive `b`.
    private static func remainder(_ a: Int, _ b: Int) throws(PythonError) -> Int {
        let (r, overflow) = a.remainderReportingOverflow(dividingBy: b)
        if overflow { throw .zeroDivisionError("integer modulo by zero") }
        return r < 0 ? r + b : r
    }

    /// `int(x)` for the restart count.
    private static func truncate(_ x: Double) throws(PythonError) -> Int {
        try PyFloat.checkConvertibleToInteger(x)
        guard Swift.abs(x) < 9.0e18 else { throw .beyondAnneal("the restart count \(PyFloat.repr(x)) is beyond the range of a 64-bit integer") }
        return Int(x.rounded(.towardZero))
    }

    /// Python ints do not overflow; past Int64 Anneal raises instead of wrapping.
    private static func multiply(_ a: Int, _ b: Int) throws(PythonError) -> Int {
        let (product, overflow) = a.multipliedReportingOverflow(by: b)
        if overflow { throw .beyondAnneal("T_i = \(a) * \(b) is beyond the range of a 64-bit integer") }
        return product
    }

    private static func integerPower(_ base: Int, _ exponent: Int) throws(PythonError) -> Int {
        var result = 1
        for _ in 0..<Swift.max(0, exponent) { result = try multiply(result, base) }
        return result
    }

    public override var ownState: StateTable {
        StateTable(self, [
            .int("T_0", \.t0), .int("T_i", \.tI), .int("T_mult", \.tMult), .double("eta_min", \.etaMin),
            .epoch("T_cur", \.tCur),
        ])
    }
}

extension CosineAnnealingWarmRestarts: RegisteredScheduler {
    /// `CosineAnnealingWarmRestarts(optimizer, T_0, T_mult=1, eta_min=0.0, last_epoch=-1)`.
    public static func make(_ args: inout KeywordArguments, context: SchedulerContext)
        throws -> CosineAnnealingWarmRestarts
    {
        try args.allow(["T_0", "T_mult", "eta_min", "last_epoch"])
        // PyTorch checks these by `isinstance`, before anything else.
        let t0 = try args.raw("T_0")
        guard case .int(let t0Value) = t0, t0Value > 0 else {
            throw PythonError.valueError("Expected positive integer T_0, but got \(t0.pythonDescription)")
        }
        let tMult = args.rawOptional("T_mult") ?? .int(1)
        guard case .int(let tMultValue) = tMult, tMultValue >= 1 else {
            throw PythonError.valueError("Expected integer T_mult >= 1, but got \(tMult.pythonDescription)")
        }
        let etaMin = args.rawOptional("eta_min") ?? .double(0)
        guard let etaMinValue = etaMin.doubleValue else {
            throw PythonError.valueError(
                "Expected float or int eta_min, but got \(etaMin.pythonDescription) of type <class '\(etaMin.pythonTypeName)'>")
        }
        return try CosineAnnealingWarmRestarts(
            optimizer: context.optimizer, t0: t0Value, tMult: tMultValue, etaMin: etaMinValue,
            lastEpoch: try args.epoch())
    }
}
