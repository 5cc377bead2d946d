import Anneal
import AnnealCheckpoint
import AnnealTensor

extension Trainer {
    /// The live objects a checkpoint saves and restores: the model's named
    /// parameters, the optimizer and the schedulers.
    public var trainingState: TrainingState {
        TrainingState(namedParameters: model.namedParameters(), optimizer: optimizer, schedulers: schedulers)
    }

    /// Optimizer steps per epoch (batches, the last possibly smaller).
    public var stepsPerEpoch: Int { dataset.batches(size: batchSize).count }

    /// A checkpoint of the run after ``epoch`` epochs: parameters, optimizer
    /// state, schedulers, the generator, and the step and epoch counters.
    public func checkpoint(metadata: JSONObject = [:]) throws -> Checkpoint {
        try trainingState.capture(step: epoch * stepsPerEpoch, epoch: epoch, rng: rng, metadata: metadata)
    }

    /// Restores a ``checkpoint(metadata:)`` into this trainer (built the
    /// same way as the one that saved it): all or nothing; on success
    /// training continues from the checkpoint's epoch with its generator.
    @discardableResult
    public func restore(from checkpoint: Checkpoint) throws -> TrainingState.Restored {
        let restored = try trainingState.restore(from: checkpoint)
        if let saved = restored.rng { rng = saved }
        epoch = restored.epoch
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
    /// has), handing each record to `report`; with a `store`, saves a
    /// checkpoint after every epoch whose number is a multiple of `every`,
    /// and after the last.
    ///
    /// ```swift
    /// let store = try CheckpointStore(directory: "runs/a", keepLast: 3)
    /// try trainer.resume(from: store)
    /// try trainer.train(through: 20, saving: store, every: 5) { print(Experiment.seed1.logLine($0)) }
    /// ```
    @discardableResult
    public func train(
        through lastEpoch: Int, saving store: CheckpointStore?, every: Int = 1, report: (EpochRecord) -> Void = { _ in }
    ) throws -> [EpochRecord] {
        precondition(every > 0, "every must be positive, got \(every)")
        var records: [EpochRecord] = []
        while epoch < lastEpoch {
            let record = try trainEpoch()
            report(record)
            records.append(record)
            if let store, epoch % every == 0 || epoch == lastEpoch {
                try store.save(checkpoint())
            }
        }
        return records
    }
}
