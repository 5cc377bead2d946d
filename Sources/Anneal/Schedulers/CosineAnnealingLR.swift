#if canImport(Glibc)
import Glibc
#endif

/// Anneals each group's rate along a cosine from its initial value to
/// `etaMin` over `tMax` epochs: PyTorch's
/// `CosineAnnealingLR(optimizer, T_max, eta_min=0.0, last_epoch=-1)`.
///
/// Chainable (PyTorch's recursive form, which differs from the closed form
/// by rounding): `lr ← (1 + cos(π·e/T)) / (1 + cos(π·(e−1)/T)) · (lr − η) + η`,
/// with `lr ← lr + (base_lr − η) · (1 − cos(π/T)) / 2` when
/// `(e − 1 − T) % 2T == 0`. Closed form:
/// `η + (base_lr − η) · (1 + cos(π · last_epoch / T)) / 2`. Past `T_max`
/// the rate rises again (the cosine is periodic).
///
/// With `lr = 0.1`, `tMax: 4`: 0.1, 0.0853553, 0.05, 0.0146447, 0, 0.0146447, ...
public final class CosineAnnealingLR: LRScheduler {
    /// `T_max`.
    @exclusivity(unchecked) public internal(set) var tMax: Epoch
    /// `eta_min`.
    @exclusivity(unchecked) public internal(set) var etaMin: Double
    @exclusivity(unchecked) private var lastCosine = LastCosine()

    public init(
        optimizer: Optimizer, tMax: Epoch, etaMin: Double = 0.0, lastEpoch: Epoch = -1,
        warnings: WarningSink = WarningSink()
    ) throws(PythonError) {
        self.tMax = tMax
        self.etaMin = etaMin
        try super.init(optimizer: optimizer, lastEpoch: lastEpoch, warnings: warnings)
    }

    public override func computeLR(_ groups: ParamGroups, into lrs: Rates) throws(PythonError) {
        let epoch = lastEpoch.value
        let tMax = self.tMax.value
        if isInitial {
            keepRates(groups, into: lrs)
        } else if stepCount == 1 && epoch > 0 {
            try checkGroupCount(baseLRs.count, lrs.count)
            let cosine = 1 + (try PyFloat.cos(try PyFloat.divide(epoch * Double.pi, tMax)))
            for index in lrs.indices {
                lrs[index] = etaMin + (baseLRs[index] - etaMin) * cosine / 2
            }
        } else if try restartsCycle() {
            try checkGroupCount(baseLRs.count, lrs.count)
            let rise = 1 - (try PyFloat.cos(try PyFloat.divide(Double.pi, tMax)))
            for index in lrs.indices {
                lrs[index] = groups[index].lr + (baseLRs[index] - etaMin) * rise / 2
            }
        } else {
            // The denominator first: its cosine is the previous step's
            // numerator's (the same argument to the bit), still in
            // `lastCosine`. (Python takes the numerator first; both raise
            // the same errors, so the order shows only in the time.)
            let denominator = 1 + (try lastCosine.cos(try PyFloat.divide(Double.pi * (epoch - 1), tMax)))
            let numerator = 1 + (try lastCosine.cos(try PyFloat.divide(Double.pi * epoch, tMax)))
            let ratio = try PyFloat.divide(numerator, denominator)
            for index in lrs.indices {
                lrs[index] = ratio * (groups[index].lr - etaMin) + etaMin
            }
        }
    }

    /// `(last_epoch - 1 - T_max) % (2 * T_max) == 0`, exact for ints.
    @inline(__always)
    private func restartsCycle() throws(PythonError) -> Bool {
        if lastEpoch.isFloat || tMax.isFloat {
            return try isMultiple(lastEpoch.value - 1 - tMax.value, of: 2 * tMax.value, integers: false)
        }
        if lastEpoch.integer.magnitude < 1 << 53 && tMax.integer.magnitude < 1 << 53 {
            // Exact in doubles; `isMultiple` then takes the integer path.
            return try isMultiple(lastEpoch.value - 1 - tMax.value, of: 2 * tMax.value, integers: true)
        }
        let offset = try checkedDifference(try checkedDifference(lastEpoch.integer, 1), tMax.integer)
        return try isMultiple(Epoch(offset), of: Epoch(try checkedProduct(2, tMax.integer)))
    }

    public override func computeClosedFormLR(_ groups: ParamGroups, into lrs: Rates) throws(PythonError) -> Bool {
        try checkGroupCount(baseLRs.count, lrs.count)
        let cosine = 1 + (try PyFloat.cos(try PyFloat.divide(Double.pi * lastEpoch.value, tMax.value)))
        for index in lrs.indices {
            lrs[index] = etaMin + (baseLRs[index] - etaMin) * cosine / 2
        }
        return true
    }

    public override var ownState: StateTable { StateTable(self, [.epoch("T_max", \.tMax), .double("eta_min", \.etaMin)]) }
}

extension CosineAnnealingLR: RegisteredScheduler {
    /// `CosineAnnealingLR(optimizer, T_max, eta_min=0.0, last_epoch=-1)`.
    public static func make(_ args: inout KeywordArguments, context: SchedulerContext) throws -> CosineAnnealingLR {
        try args.allow(["T_max", "eta_min", "last_epoch"])
        return try CosineAnnealingLR(
            optimizer: context.optimizer, tMax: try args.count("T_max"), etaMin: try args.float("eta_min", 0.0),
            lastEpoch: try args.epoch())
    }
}
