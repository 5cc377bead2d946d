import Anneal

/// An example of a scheduler defined outside Anneal, as a user would write
/// one: a linear warmup to each group's initial rate over `warmup` steps,
/// then constant.
///
/// `lr = base_lr · min(1, (last_epoch + 1) / warmup)`. With `lr = 0.1` and
/// `warmup: 4`: 0.025, 0.05, 0.075, 0.1, 0.1, ...
final class LinearWarmupLR: LRScheduler {
    /// `warmup`: steps until the full rate.
    private(set) var warmup: Int

    init(optimizer: Optimizer, warmup: Int, lastEpoch: Epoch = -1) throws(PythonError) {
        guard warmup > 0 else { throw .valueError("warmup must be positive, got \(warmup)") }
        self.warmup = warmup
        try super.init(optimizer: optimizer, lastEpoch: lastEpoch)
    }

    override func computeLR(_ groups: ParamGroups, into lrs: Rates) throws(PythonError) {
        try checkGroupCount(baseLRs.count, lrs.count)
        let progress = Swift.min(1, (lastEpoch.value + 1) / Double(warmup))
        for index in lrs.indices { lrs[index] = baseLRs[index] * progress }
    }

    override var ownState: StateTable { StateTable(self, [.int("warmup", \.warmup)]) }
}

extension LinearWarmupLR: RegisteredScheduler {
    static var pythonName: String { "example.LinearWarmupLR" }

    /// `example.LinearWarmupLR(optimizer, warmup=5, last_epoch=-1)`.
    static func make(_ args: inout KeywordArguments, context: SchedulerContext) throws -> LinearWarmupLR {
        try args.allow(["warmup", "last_epoch"])
        return try LinearWarmupLR(
            optimizer: context.optimizer, warmup: try args.integer("warmup", 5), lastEpoch: try args.epoch())
    }
}
