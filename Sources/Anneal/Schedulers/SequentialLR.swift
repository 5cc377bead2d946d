/// Runs schedulers one after another, switching at the milestones:
/// PyTorch's `SequentialLR(optimizer, schedulers, milestones, last_epoch=-1)`.
///
/// At construction every group's `lr` is reset to its `initial_lr`, every
/// child's epoch is stepped back by one and the first child takes its
/// initial step again. On `step()`, the active child steps; at a milestone
/// the next child restarts from epoch 0 through its closed form
/// (`_update_lr(0)`).
///
/// With `LinearLR(startFactor: 0.1, totalIters: 2)` then
/// `ExponentialLR(gamma: 0.5)`, milestone 2, `lr = 1`: 0.1, 0.55, 1.0, 0.5, 0.25, ...
public final class SequentialLR: LRScheduler {
    /// `_schedulers`.
    public let schedulers: [LRScheduler]
    /// `schedulers`, for stepping them without reference counting.
    private let children: UnretainedSchedulers
    /// `_milestones`.
    public internal(set) var milestones: [Epoch] {
        didSet { (milestoneValues, milestonesAreDoubles) = Self.doubles(milestones) }
    }
    /// The milestones as doubles, for `bisect_right` without allocating, and
    /// whether they are exact (else the steps compare epochs).
    @exclusivity(unchecked) private var milestoneValues: [Double]
    @exclusivity(unchecked) private var milestonesAreDoubles: Bool

    private static func doubles(_ milestones: [Epoch]) -> ([Double], Bool) {
        (milestones.map(\.value), milestones.allSatisfy(\.isExactAsDouble))
    }

    public init(
        optimizer: Optimizer, schedulers: [any Scheduler], milestones: [Epoch], lastEpoch: Epoch = -1,
        warnings: WarningSink = WarningSink()
    ) throws(PythonError) {
        let children = try validateChildren(schedulers, optimizer: optimizer, owner: "SequentialLR")
        if milestones.count != schedulers.count - 1 {
            throw .valueError(
                "Sequential Schedulers expects number of schedulers provided to be one more than the number of milestone points, but got number of schedulers \(schedulers.count) and the number of milestones to be equal to \(milestones.count)"
            )
        }
        self.schedulers = children
        self.children = UnretainedSchedulers(children)
        self.milestones = milestones
        (self.milestoneValues, self.milestonesAreDoubles) = Self.doubles(milestones)
        super.init(compositeOn: optimizer, warnings: warnings)
        self.lastEpoch = try lastEpoch.advanced(by: 1)
        for index in optimizer.paramGroups.indices {
            guard let initial = optimizer.paramGroups[index].initialLR else { throw .keyError("'initial_lr'") }
            optimizer.paramGroups[index].lr = initial
        }
        try undoEpochForSequential()
        let active = children[bisectRight(milestoneValues, 0)]
        try active.initialStep()
        copyLastLR(from: active)
    }

    /// `recursive_undo`: composites pass it on to their children.
    override var isComposite: Bool { true }

    override func undoEpochForSequential() throws(PythonError) {
        for child in schedulers { try child.undoEpochForSequential() }
    }

    override func performStep(epoch: Epoch?) throws(PythonError) {
        if epoch != nil { throw .typeError("SequentialLR.step() takes 1 positional argument but 2 were given") }
        lastEpoch = try lastEpoch.advanced(by: 1)
        let index: Int
        let atMilestone: Bool
        if milestonesAreDoubles && lastEpoch.isExactAsDouble {
            index = bisectRight(milestoneValues, lastEpoch.value)
            atMilestone = index > 0 && milestoneValues[index - 1] == lastEpoch.value
        } else {
            index = bisectRight(milestones, lastEpoch)
            atMilestone = index > 0 && milestones[index - 1] == lastEpoch
        }
        try children.with(index) { (scheduler) throws(PythonError) in
            if atMilestone {
                try scheduler.updateLR(epoch: 0)
            } else {
                try scheduler.performStep(epoch: nil)
            }
            copyLastLR(from: scheduler)
        }
    }

    /// `_milestones`, the epoch and rates, the private step keys, then the
    /// children's states.
    override var stateTable: StateTable {
        StateTable(self, [
            .custom(
                "_milestones", encode: { .array($0.milestones.map(\.json)) },
                decode: { (reader, owner) throws(PythonError) in try owner.readMilestones(reader) },
                restore: { $0.milestones = $1 }),
            .epoch("last_epoch", \.lastEpoch), .doubles("_last_lr", \.lastLR),
        ]) + StateTable(self, LRScheduler.initialStepKeys) + StateTable(self, [.children("_schedulers", \.schedulers)])
    }

    private func readMilestones(_ reader: StateReader) throws(PythonError) -> [Epoch] {
        var milestones: [Epoch] = []
        for item in try reader.array("_milestones") {
            guard let milestone = Epoch(json: item) else {
                throw .typeError("SequentialLR state_dict key '_milestones' must be a list of numbers")
            }
            milestones.append(milestone)
        }
        guard milestones.count == schedulers.count - 1 else {
            throw .valueError(
                "SequentialLR state_dict has \(milestones.count) milestones for \(schedulers.count) schedulers")
        }
        return milestones
    }
}


/// The checks `SequentialLR` and `ChainedScheduler` make of their children.
func validateChildren(_ schedulers: [any Scheduler], optimizer: Optimizer, owner: String) throws(PythonError)
    -> [LRScheduler]
{
    if schedulers.isEmpty {
        throw .valueError(
            owner == "SequentialLR"
                ? "SequentialLR expects at least one scheduler, but got no scheduler."
                : "ChainedScheduler expects at least one scheduler to be chained, but got no scheduler.")
    }
    var children: [LRScheduler] = []
    for (index, scheduler) in schedulers.enumerated() {
        guard let child = scheduler as? LRScheduler else {
            throw .valueError(
                "\(owner) does not support `ReduceLROnPlateau` scheduler as it requires additional kwargs to be specified when calling `step`, but got one at index \(index) in the given schedulers sequence."
            )
        }
        if child.optimizer !== optimizer {
            throw .valueError(
                "\(owner) expects all schedulers to belong to the same optimizer, but got scheduler \(child.typeName) at index \(index) has \(child.optimizer.kind.rawValue), which is different from \(optimizer.kind.rawValue)."
            )
        }
        children.append(child)
    }
    return children
}

extension StateKey where Owner: LRScheduler {
    /// A composite's children's states, one per child, loaded through each
    /// child's own table. It must be the table's last key: its check loads
    /// the children (putting back the ones already loaded if a later one
    /// fails), so nothing may fail after it.
    static func children(_ name: String, _ children: KeyPath<Owner, [LRScheduler]>) -> StateKey {
        checked(name, encode: { .array($0[keyPath: children].map { $0.stateDict() }) }) {
            (reader, owner) throws(PythonError) in
            let children = owner[keyPath: children]
            let states = try reader.array(name)
            guard states.count == children.count else {
                throw .valueError(
                    "\(reader.scheduler) state_dict has \(states.count) child states for \(children.count) schedulers")
            }
            let saved = children.map { $0.stateDict() }
            for (index, (child, state)) in zip(children, states).enumerated() {
                do throws(PythonError) {
                    try child.loadStateDict(state)
                } catch {
                    for (loaded, previous) in zip(children[..<index], saved) { try? loaded.loadStateDict(previous) }
                    throw error
                }
            }
        }
    }
}

extension SequentialLR: RegisteredScheduler {
    public static var takesChildSchedulers: Bool { true }

    /// `SequentialLR(optimizer, schedulers, milestones, last_epoch=-1)`.
    public static func make(_ args: inout KeywordArguments, context: SchedulerContext) throws -> SequentialLR {
        try args.allow(["schedulers", "milestones", "last_epoch"])
        return try SequentialLR(
            optimizer: context.optimizer, schedulers: context.schedulers, milestones: try args.counts("milestones"),
            lastEpoch: try args.epoch())
    }
}
