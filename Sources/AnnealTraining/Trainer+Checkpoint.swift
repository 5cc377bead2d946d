import Anneal
import AnnealCheckpoint
import AnnealTensor

extension Trainer {
    /// The live objects a checkpoint saves and restores: the model's named
    /// parameters (in the optimizer's index order, which is the model's
    /// with one group), the optimizer and the schedulers.
    public var trainingState: TrainingState {
        var named = model.namedParameters()
        if let ordered = (optimizer as? any CheckpointableOptimizer)?.parameters, ordered.count == named.count {
            let byIdentity = Dictionary(named.map { (ObjectIdentifier($0.parameter), $0) }, uniquingKeysWith: { first, _ in first })
            let reordered = ordered.compactMap { byIdentity[ObjectIdentifier($0)] }
            if reordered.count == named.count { named = reordered }
        }
        return TrainingState(namedParameters: named, optimizer: optimizer, schedulers: schedulers)
    }

    /// Optimizer steps per epoch (batches, the last possibly smaller).
    public var stepsPerEpoch: Int { dataset.batches(size: batchSize).count }

    /// A checkpoint of the run after ``epoch`` epochs: parameters, optimizer
    /// state, schedulers, the generator, and the step and epoch counters.
    public func checkpoint(metadata: JSONObject? = nil) throws -> Checkpoint {
        let metadata = metadata ?? self.metadata
        let (step, overflow) = epoch.multipliedReportingOverflow(by: stepsPerEpoch)
        guard !overflow else {
            throw CheckpointError(file: "checkpoint", .manifestInvalid(path: "step", problem: "epoch \(epoch) × \(stepsPerEpoch) steps per epoch overflows"))
        }
        return try trainingState.capture(step: step, epoch: epoch, rng: rng, metadata: metadata)
    }

    /// Restores a ``checkpoint(metadata:)`` into this trainer (built the
    /// same way as the one that saved it): all or nothing; on success
    /// training continues from the checkpoint's epoch with its generator.
    ///
    /// The checkpoint's step must be its epoch × ``stepsPerEpoch``, as this
    /// trainer saves it: another step means another batch size or data set
    /// (or an edited file), and it also bounds the epoch so that later
    /// saves' steps cannot overflow.
    @discardableResult
    public func restore(from checkpoint: Checkpoint) throws -> TrainingState.Restored {
        let manifest = checkpoint.manifest
        let (expected, overflow) = manifest.epoch.multipliedReportingOverflow(by: stepsPerEpoch)
        guard !overflow, expected == manifest.step else {
            let product = overflow ? "overflows" : "is \(expected)"
            throw CheckpointError(
                file: checkpoint.source,
                .manifestInvalid(
                    path: "step",
                    problem: "is \(manifest.step), but epoch \(manifest.epoch) × \(stepsPerEpoch) steps per epoch \(product) (a checkpoint of another run?)"))
        }
        let restored = try trainingState.restore(from: checkpoint)
        if let saved = restored.rng { rng = saved }
        epoch = restored.epoch
        metadata = restored.metadata
        return restored
    }

    /// Restores the newest valid checkpoint of `store` (damaged ones are
    /// skipped); returns it, or `nil` when the directory has none.
    @discardableResult
    public func resume(from store: CheckpointStore) throws -> CheckpointStore.Latest? {
        let latest = try store.latest()
        guard let checkpoint = latest.checkpoint else { return nil }
        try restore(from: checkpoint)
        return latest
    }

    /// Trains until ``epoch`` reaches `lastEpoch` (nothing when it already
    /// has), handing each record to `report`; with a `store` or an `export`,
    /// saves a checkpoint after every epoch whose number is a multiple of
    /// `every`, and after the last: into `store`, and to `export` (which
    /// writes it elsewhere, e.g. as a torch.save file), in that order.
    ///
    /// ```swift
    /// let store = try CheckpointStore(directory: "runs/a", keepLast: 3)
    /// try trainer.resume(from: store)
    /// try trainer.train(through: 20, saving: store, every: 5) { print(Experiment.seed1.logLine($0)) }
    /// ```
    @discardableResult
    public func train(
        through lastEpoch: Int, saving store: CheckpointStore?, every: Int = 1,
        report: (EpochRecord) -> Void = { _ in }, export: ((Checkpoint) throws -> Void)? = nil
    ) throws -> [EpochRecord] {
        precondition(every > 0, "every must be positive, got \(every)")
        var records: [EpochRecord] = []
        while epoch < lastEpoch {
            let record = try trainEpoch()
            report(record)
            records.append(record)
            if store != nil || export != nil, epoch % every == 0 || epoch == lastEpoch {
                do {
                    let checkpoint = try checkpoint()
                    try store?.save(checkpoint)
                    try export?(checkpoint)
                } catch {
                    // The epoch is done: the failure is its checkpoint's, not the next epoch's.
                    throw CheckpointSaveError(epoch: epoch, underlying: error)
                }
            }
        }
        return records
    }
}

/// Saving the checkpoint after epoch `epoch` failed (the epoch itself was trained).
public struct CheckpointSaveError: Error, CustomStringConvertible {
    /// The epoch whose checkpoint could not be saved.
    public var epoch: Int
    /// Why (a ``CheckpointError`` naming the file, usually).
    public var underlying: any Error

    public var description: String { "saving the checkpoint of epoch \(epoch): \(underlying)" }
}
