/// Decays each group's rate by `gamma` at every milestone: PyTorch's
/// `MultiStepLR(optimizer, milestones, gamma=0.1, last_epoch=-1)`.
///
/// Milestones are a `Counter`: a milestone listed twice decays by
/// `gamma ** 2` there. Chainable: at a milestone `m`,
/// `lr ← lr · gamma ** count(m)`. Closed form:
/// `base_lr · gamma ** bisect_right(sorted(milestones), last_epoch)`.
///
/// With `lr = 0.05`, `milestones: [30, 80]`, `gamma: 0.1`: epochs 0–29 →
/// 0.05, 30–79 → 0.005, 80+ → 0.0005.
public final class MultiStepLR: LRScheduler {
    /// The distinct milestones in first-seen order, with how often each was given.
    @exclusivity(unchecked) public internal(set) var milestones: [(epoch: Epoch, count: Int)] {
        didSet { milestoneValues = milestones.map(\.epoch.value) }
    }
    /// Each milestone's nearest double, for a scan that touches nothing else.
    @exclusivity(unchecked) private var milestoneValues: [Double] = []
    /// `gamma`.
    @exclusivity(unchecked) public internal(set) var gamma: Double
    /// `sorted(milestones.elements())` for the closed form, without
    /// expanding the counts (a loaded state may hold any count): the
    /// distinct milestones in ascending order, each with how many
    /// milestones lie at or below it.
    @exclusivity(unchecked) private var sortedMilestones: [(epoch: Epoch, atOrBelow: Int)]

    public init(
        optimizer: Optimizer, milestones: [Epoch], gamma: Double = 0.1, lastEpoch: Epoch = -1,
        warnings: WarningSink = WarningSink()
    ) throws(PythonError) {
        self.milestones = Self.counter(milestones)
        self.milestoneValues = self.milestones.map(\.epoch.value)
        self.sortedMilestones = Self.sortedElements(self.milestones)
        self.gamma = gamma
        try super.init(optimizer: optimizer, lastEpoch: lastEpoch, warnings: warnings)
    }

    /// `collections.Counter(milestones)`: first-seen order, with counts.
    static func counter(_ epochs: [Epoch]) -> [(epoch: Epoch, count: Int)] {
        var result: [(epoch: Epoch, count: Int)] = []
        for epoch in epochs {
            if let index = result.firstIndex(where: { $0.epoch == epoch }) {
                result[index].count += 1
            } else {
                result.append((epoch, 1))
            }
        }
        return result
    }

    /// The milestones sorted, with running counts. The counts' total fits
    /// an `Int`: a constructor's counts sum to its list's length, and a
    /// loaded state's total is checked.
    static func sortedElements(_ counter: [(epoch: Epoch, count: Int)]) -> [(epoch: Epoch, atOrBelow: Int)] {
        var total = 0
        return counter.sorted { $0.epoch < $1.epoch }.map { milestone in
            total += milestone.count
            return (milestone.epoch, total)
        }
    }

    /// `bisect_right(sorted(milestones.elements()), epoch)`.
    private func milestonesAtOrBelow(_ epoch: Epoch) -> Int {
        var low = 0
        var high = sortedMilestones.count
        while low < high {
            let middle = (low + high) / 2
            if epoch < sortedMilestones[middle].epoch { high = middle } else { low = middle + 1 }
        }
        return low == 0 ? 0 : sortedMilestones[low - 1].atOrBelow
    }

    public override func computeLR(_ groups: ParamGroups, into lrs: Rates) throws(PythonError) {
        let epoch = lastEpoch
        var count = 0
        // `last_epoch in milestones`: Python's exact int/float equality, which
        // only a milestone with the same nearest double can meet.
        for (index, value) in milestoneValues.enumerated() where value == epoch.value && milestones[index].epoch == epoch {
            count = milestones[index].count
        }
        let factor = count == 0 ? 1 : try PyFloat.pow(gamma, Double(count))
        for index in lrs.indices {
            let lr = groups[index].lr
            lrs[index] = count == 0 ? lr : lr * factor
        }
    }

    public override func computeClosedFormLR(_ groups: ParamGroups, into lrs: Rates) throws(PythonError) -> Bool {
        try checkGroupCount(baseLRs.count, lrs.count)
        let factor = try PyFloat.pow(gamma, Double(milestonesAtOrBelow(lastEpoch)))
        for index in lrs.indices { lrs[index] = baseLRs[index] * factor }
        return true
    }

    /// `milestones` is a `Counter`, saved as an object from each milestone's
    /// Python `repr` to its count.
    public override var ownState: StateTable {
        StateTable(self, [
            .custom(
                "milestones",
                encode: { .object(JSONObject($0.milestones.map { ($0.epoch.json.pythonDescription, JSONValue.int($0.count)) })) },
                decode: { (reader, _) throws(PythonError) in try Self.readCounter(reader.value("milestones")) },
                restore: { $0.milestones = $1 }),
            .double("gamma", \.gamma),
        ])
    }

    public override func didLoadState() {
        sortedMilestones = Self.sortedElements(milestones)
    }

    private static func readCounter(_ saved: JSONValue) throws(PythonError) -> [(epoch: Epoch, count: Int)] {
        guard case .object(let counter) = saved else {
            throw .typeError("MultiStepLR state_dict key 'milestones' must be an object of counts")
        }
        var milestones: [(epoch: Epoch, count: Int)] = []
        var total = 0
        for (key, value) in counter {
            guard let epoch = parseEpochKey(key), let count = value.intValue, count >= 0 else {
                throw .valueError("MultiStepLR state_dict milestone '\(key)': \(value.pythonDescription) is not an epoch with a count")
            }
            let (sum, overflow) = total.addingReportingOverflow(count)
            guard !overflow else {
                throw .valueError("MultiStepLR state_dict milestones count more than \(Int.max) decays in all")
            }
            total = sum
            milestones.append((epoch, count))
        }
        return milestones
    }

    /// A `Counter` key as JSON wrote it: `"30"` (int) or `"30.5"` (float).
    static func parseEpochKey(_ key: String) -> Epoch? {
        if let i = Int(key) { return Epoch(i) }
        if let d = Double(key) { return Epoch(float: d) }
        return nil
    }
}

extension MultiStepLR: RegisteredScheduler {
    /// `MultiStepLR(optimizer, milestones, gamma=0.1, last_epoch=-1)`.
    public static func make(_ args: inout KeywordArguments, context: SchedulerContext) throws -> MultiStepLR {
        try args.allow(["milestones", "gamma", "last_epoch"])
        return try MultiStepLR(
            optimizer: context.optimizer, milestones: try args.counts("milestones"),
            gamma: try args.float("gamma", 0.1), lastEpoch: try args.epoch())
    }
}
