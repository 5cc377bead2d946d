import AnnealTensor

/// The seed documents' training setups, with their data, model, batch size
/// and log line.
///
/// - ``seed1``: the first document (`000_287357202cddedbb.txt`): a
///   1→32→10→1 MLP named `fc1`, `fc2`, `fc3` with a ReLU after every layer
///   (the output's too, as the document's `forward` does), fitting
///   `sin(x) + x²` for `x = 0, 0.5, ..., 9.5` (20 points) in batches of 2,
///   in order. Logged as the document prints, plus the epoch's loss:
///   `Epoch 1: LR = 0.00100 | loss = 1774.9959`.
/// - ``seed3``: the experiment of `003_21cbbab21c1f8d5f.txt`: a 10→32→1
///   MLP (`nn.Sequential`: `0`, `2`) on 512 normal points `x`, targets
///   `x · w + 0.1 · noise` with normal `w`, trained full-batch (one step per
///   epoch). Logged as that document does:
///   `epoch 01 | lr=0.099391 | loss=8.1559`.
///
/// Data and initialization come from ``Xoshiro256StarStar`` (data first,
/// then the model, in the documents' order), not PyTorch's generator, so
/// losses differ from the documents' while the learning rates are PyTorch's
/// to the bit.
public enum Experiment: String, Sendable, CaseIterable {
    case seed1
    case seed3

    /// The training examples, drawn from `rng` where the document draws them.
    ///
    /// ```swift
    /// var rng = Xoshiro256StarStar(seed: 0)
    /// Experiment.seed1.dataset(using: &rng).count   // 20
    /// ```
    public func dataset(using rng: inout Xoshiro256StarStar) -> Dataset {
        switch self {
        case .seed1:
            // x = torch.arange(start=0, end=10, step=0.5).reshape(-1, 1); labels = torch.sin(x) + x**2
            let x = Tensor.arange(0, 10, step: 0.5).reshaped([-1, 1])
            return Dataset(inputs: x, targets: x.sin() + x.squared())
        case .seed3:
            // x = torch.randn(512, 10); y = x @ torch.randn(10, 1) + 0.1 * torch.randn(512, 1)
            let x = Tensor.normal([512, 10], using: &rng)
            let w = Tensor.normal([10, 1], using: &rng)
            let noise = Tensor.normal([512, 1], using: &rng)
            return Dataset(inputs: x, targets: x.matmul(w) + 0.1 * noise)
        }
    }

    /// The document's model, initialized from `rng` as PyTorch's `nn.Linear` is.
    ///
    /// ```swift
    /// var rng = Xoshiro256StarStar(seed: 0)
    /// Experiment.seed1.model(using: &rng).parameters().map(\.name)   // fc1.weight, fc1.bias, ...
    /// ```
    public func model(using rng: inout Xoshiro256StarStar) -> Sequential {
        switch self {
        case .seed1:
            return Sequential(named: [
                ("fc1", Linear(inFeatures: 1, outFeatures: 32, using: &rng)), ("relu1", ReLU()),
                ("fc2", Linear(inFeatures: 32, outFeatures: 10, using: &rng)), ("relu2", ReLU()),
                ("fc3", Linear(inFeatures: 10, outFeatures: 1, using: &rng)), ("relu3", ReLU()),
            ])
        case .seed3:
            return Sequential([
                Linear(inFeatures: 10, outFeatures: 32, using: &rng), ReLU(),
                Linear(inFeatures: 32, outFeatures: 1, using: &rng),
            ])
        }
    }

    /// Examples per optimizer step: the first document's `batch_size = 2`;
    /// the third document steps on all 512 points at once.
    public var batchSize: Int {
        switch self {
        case .seed1: return 2
        case .seed3: return 512
        }
    }

    /// The document's log line for an epoch.
    ///
    /// ```swift
    /// let record = try trainer.trainEpoch()   // epoch 1, lr 0.0993908270190958, loss 8.1559
    /// Experiment.seed3.logLine(record)        // "epoch 01 | lr=0.099391 | loss=8.1559"
    /// ```
    public func logLine(_ record: EpochRecord) -> String {
        switch self {
        case .seed1:
            // print(f"Epoch {epoch+1}: LR = {lr:.5f}"), with the epoch's mean loss added.
            return "Epoch \(record.epoch): LR = \(fixed(record.lr, digits: 5)) | loss = \(fixed(record.loss, digits: 4))"
        case .seed3:
            // print(f"epoch {ep+1:02d} | lr={sched.last_lr()[0]:.6f} | loss={loss.item():.4f}")
            return "epoch \(zeroPadded(record.epoch, width: 2)) | lr=\(fixed(record.lr, digits: 6)) | loss=\(fixed(record.loss, digits: 4))"
        }
    }
}
