/// The base of every epoch-driven scheduler: PyTorch's `LRScheduler`.
///
/// It keeps PyTorch's bookkeeping exactly: `last_epoch` starts at the
/// constructor's `last_epoch` and the constructor takes one initial step
/// (so a fresh scheduler has `last_epoch == 0`); `step()` increments
/// `last_epoch` and applies the chainable `get_lr` to the groups' current
/// `lr`, while `step(epoch:)` sets `last_epoch` and uses the closed form
/// where the scheduler has one. `initial_lr` is written into each group by
/// the first scheduler (and required when resuming with `last_epoch >= 0`).
///
/// Subclasses override ``computeLR(_:into:)`` (PyTorch's `get_lr`) and, where
/// PyTorch has one, ``computeClosedFormLR(_:into:)``.
open class LRScheduler: Scheduler {
    public let optimizer: Optimizer

    // Stored state is `@exclusivity(unchecked)` here and in the subclasses:
    // a step never holds overlapping accesses to it, and the runtime's
    // dynamic exclusivity checks cost several times the step itself.

    /// `last_epoch`: how many steps have been taken (or the epoch last passed).
    @exclusivity(unchecked) public internal(set) var lastEpoch: Epoch
    /// `base_lrs`: each group's `initial_lr` when the scheduler was built.
    @exclusivity(unchecked) public internal(set) var baseLRs: [Double]
    /// `get_last_lr()`.
    @exclusivity(unchecked) public internal(set) var lastLR: [Double] = []
    public let warnings: WarningSink

    /// `_step_count`: steps taken, counting the constructor's initial step.
    @exclusivity(unchecked) @usableFromInline var stepCount = 0
    /// `_is_initial`: true only during the constructor's initial step.
    @exclusivity(unchecked) @usableFromInline var isInitial = false
    /// PyTorch's state dict is the object's `__dict__`, so which private keys
    /// it holds depends on what has happened to the object; these record it.
    @exclusivity(unchecked) var hasInitialStepAttributes = false
    @exclusivity(unchecked) var hasGetLRFlag = false
    /// Reused buffer for the values `get_lr` computes, so steps do not
    /// allocate; a raw buffer, so using it costs no uniqueness check.
    @exclusivity(unchecked) @usableFromInline var scratch = UnsafeMutableBufferPointer<Double>(start: nil, count: 0)
    /// Whether ``prepareLR(closedForm:)`` has work to do (user functions to call).
    @exclusivity(unchecked) @usableFromInline var prepares = false

    /// The optimizer's param groups as ``computeLR(_:into:)`` reads (and,
    /// for momentum cycling, writes) them: held once for the whole step.
    public typealias ParamGroups = UnsafeMutableBufferPointer<ParamGroup>
    /// Where ``computeLR(_:into:)`` writes the new rate of each group.
    public typealias Rates = UnsafeMutableBufferPointer<Double>

    /// The class name, as PyTorch's `type(self).__name__`; a subclass
    /// registered under a dotted name may return that instead.
    open var typeName: String { String(describing: type(of: self)) }

    /// `LRScheduler.__init__(optimizer, last_epoch)`, initial step included.
    ///
    /// A subclass sets its own stored properties, then calls this, as
    /// PyTorch's subclasses end their `__init__` with
    /// `super().__init__(optimizer, last_epoch)`: it writes `initial_lr`
    /// into the groups (or requires it when resuming with `last_epoch >= 0`),
    /// takes `base_lrs` from them, then takes the initial step, which calls
    /// the subclass's ``computeLR(_:into:)``.
    ///
    /// ```swift
    /// public init(optimizer: Optimizer, warmup: Int, lastEpoch: Epoch = -1) throws(PythonError) {
    ///     self.warmup = warmup
    ///     try super.init(optimizer: optimizer, lastEpoch: lastEpoch)
    /// }
    /// ```
    ///
    /// - Parameters:
    ///   - optimizer: the optimizer whose groups' rates the scheduler sets.
    ///   - lastEpoch: `last_epoch`; `-1` for a fresh run, else the epoch to
    ///     resume after (every group must then have `initial_lr`).
    ///   - warnings: where PyTorch's warnings go.
    public init(optimizer: Optimizer, lastEpoch: Epoch, warnings: WarningSink = WarningSink()) throws(PythonError) {
        self.optimizer = optimizer
        self.warnings = warnings
        if lastEpoch.value == -1 {
            for index in optimizer.paramGroups.indices where optimizer.paramGroups[index].initialLR == nil {
                optimizer.paramGroups[index].initialLR = optimizer.paramGroups[index].lr
            }
        } else {
            for (index, group) in optimizer.paramGroups.enumerated() where group.initialLR == nil {
                throw .keyError(
                    "param 'initial_lr' is not specified in param_groups[\(index)] when resuming scheduler with last_epoch >= 0.\nThis typically happens when:\n1. You're trying to resume training from a checkpoint but haven't properly loaded the optimizer state\n2. You're using last_epoch >= 0 for a fresh training run (not recommended)"
                )
            }
        }
        self.baseLRs = optimizer.paramGroups.map { $0.initialLR ?? $0.lr }
        self.lastEpoch = lastEpoch
        prepares = callsFunctionsBeforeLR
        try initialStep()
    }

    /// Whether ``prepareLR(closedForm:)`` calls user functions before each
    /// step's rates are computed (`LambdaLR`'s `lr_lambda`, `CyclicLR`'s
    /// `scale_fn`); read once, at construction, so other steps skip it.
    var callsFunctionsBeforeLR: Bool { false }

    /// Initialises a composite (`ChainedScheduler`), which has no epoch or base rates.
    init(compositeOn optimizer: Optimizer, warnings: WarningSink) {
        self.optimizer = optimizer
        self.warnings = warnings
        self.lastEpoch = 0
        self.baseLRs = []
    }

    /// `_initial_step()`: the step every constructor ends with.
    final func initialStep() throws(PythonError) {
        stepCount = 0
        hasInitialStepAttributes = true
        isInitial = true
        defer { isInitial = false }
        try performStep(epoch: nil)
    }

    /// `step()`: advances one epoch with the chainable form.
    @inlinable
    public func step() throws(PythonError) {
        try performStep(epoch: nil)
    }

    /// `step(epoch)`: the deprecated explicit-epoch path. Sets `last_epoch`
    /// to `epoch` and uses the closed form where PyTorch has one (emitting
    /// PyTorch's deprecation warning).
    public func step(epoch: Epoch) throws(PythonError) {
        try performStep(epoch: epoch)
    }

    /// `step()` for ``StepInput/next``, `step(epoch)` for ``StepInput/epoch(_:)``;
    /// a metric is Python's `TypeError` for the keyword `metrics`.
    @inlinable
    public func step(_ input: StepInput) throws(PythonError) {
        switch input {
        case .next: try performStep(epoch: nil)
        case .epoch(let epoch): try performStep(epoch: epoch)
        case .metric: throw .typeError("\(typeName).step() got an unexpected keyword argument 'metrics'")
        case .update: throw StepInput.noStepUpdate(typeName)
        }
    }

    /// `step(self, epoch=None)`; the composites take no epoch.
    public var stepSignature: StepSignature { isComposite ? .noArguments : .optionalEpoch }

    /// Whether this is `SequentialLR` or `ChainedScheduler`, whose `step` takes no argument.
    var isComposite: Bool { false }

    public var lastEpochAttribute: Epoch? { lastEpoch }

    /// `LRScheduler.step(epoch)`; overridden where PyTorch overrides `step`.
    @usableFromInline
    func performStep(epoch: Epoch?) throws(PythonError) {
        if stepCount == 1 && !optimizer.hasStepped {
            warnings.emit(.stepBeforeOptimizerStep)
        }
        stepCount = try checkedSum(stepCount, 1)
        if epoch != nil { warnings.emit(.epochDeprecated) }
        try updateLR(epoch: epoch)
    }

    /// `_update_lr(epoch)`: compute the new rates, then write them into the groups.
    ///
    /// The subclass computes with direct access to the groups and the result
    /// buffer (no per-element uniqueness checks or reference counting); user
    /// functions run before, in ``prepareLR(closedForm:)``, while no buffer is held.
    @usableFromInline @inline(__always)
    func updateLR(epoch: Epoch?) throws(PythonError) {
        hasGetLRFlag = true
        if let epoch { lastEpoch = epoch } else { lastEpoch = try lastEpoch.advanced(by: 1) }
        try computeAndApplyLR(closedForm: epoch != nil)
    }

    /// `get_lr` (or the closed form), then the new rates into the groups and
    /// `lastLR`, in one pass with the buffers held once.
    @usableFromInline
    func computeAndApplyLR(closedForm: Bool = false) throws(PythonError) {
        if prepares { try prepareLR(closedForm: closedForm) }
        let groupCount = optimizer.paramGroups.count
        if scratch.count != groupCount {
            scratch.deallocate()
            scratch = .allocate(capacity: groupCount)
            scratch.initialize(repeating: 0)
        }
        if lastLR.count != groupCount { lastLR = Array(repeating: 0, count: groupCount) }
        let optimizer = self.optimizer
        let lrs = scratch
        try optimizer.paramGroups.withUnsafeMutableBufferPointer { (groups) throws(PythonError) in
            let usedClosedForm = closedForm ? try computeClosedFormLR(groups, into: lrs) : false
            if !usedClosedForm { try computeLR(groups, into: lrs) }
            // Every value is computed before any group changes, as in PyTorch.
            lastLR.withUnsafeMutableBufferPointer { last in
                for index in 0..<groupCount {
                    groups[index].lr = lrs[index]
                    last[index] = lrs[index]
                }
            }
        }
    }

    deinit {
        scratch.deallocate()
    }

    /// `_last_lr = [group["lr"] for group in optimizer.param_groups]`.
    @usableFromInline
    func refreshLastLR() {
        let groupCount = optimizer.paramGroups.count
        if lastLR.count != groupCount { lastLR = Array(repeating: 0, count: groupCount) }
        let optimizer = self.optimizer
        optimizer.paramGroups.withUnsafeBufferPointer { groups in
            lastLR.withUnsafeMutableBufferPointer { last in
                for index in 0..<groupCount { last[index] = groups[index].lr }
            }
        }
    }

    /// `_last_lr = other.get_last_lr()`, copied into this scheduler's own
    /// buffer (sharing it would make the next write copy it).
    func copyLastLR(from other: LRScheduler) {
        if lastLR.count != other.lastLR.count {
            lastLR = other.lastLR
            return
        }
        other.lastLR.withUnsafeBufferPointer { source in
            lastLR.withUnsafeMutableBufferPointer { last in
                for index in 0..<source.count { last[index] = source[index] }
            }
        }
    }

    /// Runs what must happen before `get_lr` reads the groups: calling user
    /// functions (`lr_lambda`, `scale_fn`). The default does nothing.
    @usableFromInline
    func prepareLR(closedForm: Bool) throws(PythonError) {}

    /// PyTorch's `get_lr()`: the chainable rates, one per group, written into
    /// `lrs`. `groups` are the optimizer's param groups, which a scheduler
    /// cycling momentum also writes; ``LRScheduler/lastEpoch`` is already advanced.
    /// Every subclass overrides it; the base class raises
    /// `NotImplementedError`, as PyTorch's does.
    ///
    /// ```swift
    /// public override func computeLR(_ groups: ParamGroups, into lrs: Rates) throws(PythonError) {
    ///     for index in lrs.indices { lrs[index] = groups[index].lr * 0.5 }   // halve every step
    /// }
    /// ```
    open func computeLR(_ groups: ParamGroups, into lrs: Rates) throws(PythonError) {
        throw PythonError("NotImplementedError", "")
    }

    /// `[group["lr"] for group in self.optimizer.param_groups]`: the
    /// chainable form's "no change", written into `lrs`.
    @inlinable @inline(__always)
    public final func keepRates(_ groups: ParamGroups, into lrs: Rates) {
        for index in lrs.indices { lrs[index] = groups[index].lr }
    }

    /// `[group["lr"] * factor for group in self.optimizer.param_groups]`.
    @inlinable @inline(__always)
    public final func scaleRates(_ groups: ParamGroups, by factor: Double, into lrs: Rates) {
        for index in lrs.indices { lrs[index] = groups[index].lr * factor }
    }

    /// PyTorch's `_get_closed_form_lr()`, which `step(epoch:)` uses: the
    /// rates at ``LRScheduler/lastEpoch`` from ``LRScheduler/baseLRs``; returns false where there is
    /// none (the default), and the chainable ``computeLR(_:into:)`` runs.
    open func computeClosedFormLR(_ groups: ParamGroups, into lrs: Rates) throws(PythonError) -> Bool {
        false
    }

    /// `SequentialLR.recursive_undo`: step this scheduler's epoch back by one.
    func undoEpochForSequential() throws(PythonError) {
        lastEpoch = try lastEpoch.advanced(by: -1)
    }

    /// Fails with PyTorch's `zip(strict=True)` error when the group count
    /// changed since the scheduler was built (a group was added).
    @inlinable
    public final func checkGroupCount(_ count: Int, _ groupCount: Int) throws(PythonError) {
        if count != groupCount {
            throw .valueError(
                count < groupCount
                    ? "zip() argument 2 is shorter than argument 1" : "zip() argument 2 is longer than argument 1")
        }
    }

    // MARK: State

    /// The subclass's own state keys, stated once: PyTorch's names in its
    /// `__dict__` order, each bound to the stored property that holds it.
    /// They come before the base keys (`base_lrs` ... `_last_lr`) except
    /// those marked ``StateKey/afterBaseKeys()``, which PyTorch sets after
    /// `super().__init__()`. The base class has none.
    ///
    /// ```swift
    /// override var ownState: StateTable {
    ///     StateTable(self, [.epoch("step_size", \.stepSize), .double("gamma", \.gamma)])
    /// }
    /// ```
    open var ownState: StateTable { StateTable() }

    /// `LRScheduler`'s keys, between the subclass's leading and trailing keys.
    var baseState: StateTable {
        StateTable(self, [.doubles("base_lrs", \.baseLRs), .epoch("last_epoch", \.lastEpoch)])
            + StateTable(self, LRScheduler.initialStepKeys)
            + StateTable(self, [.doubles("_last_lr", \.lastLR)])
    }

    /// The private keys PyTorch's `__dict__` gains from `_initial_step()`
    /// (`_step_count`, `_is_initial`) and from `_update_lr`
    /// (`_get_lr_called_within_step`): present once those have run, and
    /// optional in a loaded state.
    static var initialStepKeys: [StateKey<LRScheduler>] {
        [
            .custom(
                "_step_count", encode: { .int($0.stepCount) },
                decode: { (reader, _) throws(PythonError) in try reader.int("_step_count") },
                restore: { $0.stepCount = $1; $0.hasInitialStepAttributes = true }
            ).optional(writtenWhen: \.hasInitialStepAttributes),
            .custom(
                "_is_initial", encode: { .bool($0.isInitial) },
                decode: { (reader, _) throws(PythonError) in try reader.bool("_is_initial") },
                restore: { $0.isInitial = $1; $0.hasInitialStepAttributes = true }
            ).optional(writtenWhen: \.hasInitialStepAttributes),
            .custom(
                "_get_lr_called_within_step", encode: { _ in false },
                decode: { (reader, _) throws(PythonError) in try reader.bool("_get_lr_called_within_step") },
                restore: { scheduler, _ in scheduler.hasGetLRFlag = true }
            ).optional(writtenWhen: \.hasGetLRFlag),
        ]
    }

    /// Every key of the state dict, in PyTorch's order; the composites,
    /// which have no `base_lrs`, replace it.
    var stateTable: StateTable {
        let own = ownState
        return own.leading + baseState + own.trailing
    }

    public func stateDict() -> JSONValue { .object(stateTable.encode()) }

    public func loadStateDict(_ state: JSONValue) throws(PythonError) {
        try stateTable.load(from: try StateReader(state, scheduler: typeName))
        didLoadState()
    }

    /// Called after a state has been loaded, to refresh what derives from
    /// the restored keys (a cached scale function, sorted milestones). The
    /// default does nothing.
    open func didLoadState() {}
}
