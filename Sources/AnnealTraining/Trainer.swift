import Anneal
import AnnealJSON
import AnnealSpec
import AnnealTensor

/// The documents' training loop: per epoch, batches in order (or shuffled),
/// and per batch `optimizer.zero_grad()`, forward, `MSELoss`, backward,
/// `optimizer.step()`; then each scheduler steps once per epoch
/// (`ReduceLROnPlateau` with the epoch's mean loss).
///
/// ```swift
/// let trainer = try Trainer(experiment: .seed1, spec: spec, seed: 0)
/// for _ in 0..<20 { print(Experiment.seed1.logLine(try trainer.trainEpoch())) }
/// ```
public final class Trainer {
    /// The model being trained; its parameters are the optimizer's.
    public let model: Sequential
    /// The training examples.
    public let dataset: Dataset
    /// Examples per optimizer step (the last batch of an epoch may be smaller).
    public let batchSize: Int
    /// The optimizer over ``model``'s parameters (one group).
    public let optimizer: Optimizer
    /// The schedulers on ``optimizer``, stepped in this order.
    public let schedulers: [any Scheduler]
    /// Whether each epoch visits the examples in a fresh random order
    /// (`DataLoader(shuffle=True)`) drawn from ``rng``; the documents don't.
    public var shuffle: Bool
    /// The generator after initialization; shuffling draws from it.
    /// Saving and restoring it with the parameters reproduces the data order.
    public var rng: Xoshiro256StarStar
    /// Epochs completed.
    public internal(set) var epoch = 0
    /// Whether the schedulers step after every optimizer step (Hugging Face
    /// Trainer's way; `ReduceLROnPlateau` with the batch's loss) instead of
    /// once per epoch.
    public var schedulersStepPerBatch = false
    /// The user metadata of the checkpoint this run resumed from, saved
    /// again in every checkpoint it makes (nothing is lost along a chain of
    /// resumes: a Hugging Face `trainer_state`, a torch.save file's `loss`).
    public var metadata: JSONObject = [:]

    private let loss = MSELoss()

    /// A trainer for `model` on `dataset`, with an optimizer made by
    /// `makeOptimizer` from the model's parameters (in PyTorch's order) and
    /// `spec`'s schedulers built on it.
    ///
    /// ```swift
    /// let trainer = try Trainer(model: model, dataset: data, batchSize: 2, spec: spec, rng: rng) { parameters in
    ///     try MySGD(parameters, lr: 0.1)
    /// }
    /// ```
    public init(
        model: Sequential, dataset: Dataset, batchSize: Int, spec: TrainingSpec, rng: Xoshiro256StarStar,
        shuffle: Bool = false, makeOptimizer: ([Parameter]) throws -> Optimizer
    ) throws {
        precondition(batchSize > 0, "batch size must be positive, got \(batchSize)")
        self.model = model
        self.dataset = dataset
        self.batchSize = batchSize
        self.rng = rng
        self.shuffle = shuffle
        let optimizer = try makeOptimizer(model.parameters())
        self.optimizer = optimizer
        schedulers = try spec.schedulers.map { try SchedulerFactory.build($0, on: optimizer) }
    }

    /// A trainer for a seed document's setup: data and model drawn from
    /// `Xoshiro256StarStar(seed: seed)`, the optimizer and schedulers from `spec`.
    ///
    /// ```swift
    /// let trainer = try Trainer(experiment: .seed3, spec: try TrainingSpec(contentsOf: "cosine.json"), seed: 7)
    /// ```
    /// With `grouping` ``ParameterGrouping/huggingFace``, the parameters go
    /// into Hugging Face Trainer's two groups (decaying, then not).
    public convenience init(
        experiment: Experiment, spec: TrainingSpec, seed: UInt64, shuffle: Bool = false,
        grouping: ParameterGrouping = .one
    ) throws {
        var rng = Xoshiro256StarStar(seed: seed)
        let dataset = experiment.dataset(using: &rng)
        let model = experiment.model(using: &rng)
        try self.init(
            model: model, dataset: dataset, batchSize: experiment.batchSize, spec: spec, rng: rng, shuffle: shuffle
        ) { _ in
            try makeTensorOptimizer(spec.optimizer, named: model.namedParameters(), grouping: grouping)
        }
    }

    /// One epoch: every batch steps the optimizer, then every scheduler steps.
    /// Returns the epoch number, the rate for the next epoch and the mean loss.
    public func trainEpoch() throws -> EpochRecord {
        let order = shuffle ? rng.permutation(dataset.count) : nil
        var total: Double = 0
        let batches = dataset.batches(size: batchSize)
        for rows in batches {
            let (x, y) = dataset.batch(rows, order: order)
            model.zeroGrad()
            let (batchLoss, gradient) = loss.lossAndGradient(model(x), y)
            model.backward(gradient)
            try optimizer.step()
            total += Double(batchLoss)
            if schedulersStepPerBatch { try stepSchedulers(metric: Double(batchLoss)) }
        }
        let meanLoss = total / Double(batches.count)
        if !schedulersStepPerBatch { try stepSchedulers(metric: meanLoss) }
        epoch += 1
        return EpochRecord(epoch: epoch, lr: schedulers.last?.lastLR[0] ?? optimizer.paramGroups[0].lr, loss: meanLoss)
    }

    private func stepSchedulers(metric: Double) throws {
        for scheduler in schedulers {
            try scheduler.step(scheduler.stepSignature == .metrics ? .metric(metric, epoch: nil) : .next)
        }
    }

    /// `epochs` epochs, handing each record to `report` as it completes.
    ///
    /// ```swift
    /// try trainer.train(epochs: 20) { print(Experiment.seed1.logLine($0)) }
    /// ```
    @discardableResult
    public func train(epochs: Int, report: (EpochRecord) -> Void = { _ in }) throws -> [EpochRecord] {
        precondition(epochs >= 0, "epochs must be >= 0, got \(epochs)")
        var records: [EpochRecord] = []
        for _ in 0..<epochs {
            let record = try trainEpoch()
            report(record)
            records.append(record)
        }
        return records
    }
}
