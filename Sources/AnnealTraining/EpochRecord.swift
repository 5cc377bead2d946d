/// What one epoch of training reports: ``Trainer`` makes one per epoch it
/// trains (with the synthesized, internal memberwise initialiser, since
/// only training produces records).
///
/// ```swift
/// let record = try trainer.trainEpoch()   // EpochRecord(epoch: 1, lr: 0.001, loss: 12.5)
/// ```
public struct EpochRecord: Sendable, Equatable {
    /// The epoch number, from 1 (as the documents print `epoch + 1`).
    public var epoch: Int
    /// `scheduler.get_last_lr()[0]` after the epoch's scheduler steps (the
    /// rate the next epoch trains with); the first group's `lr` without a
    /// scheduler.
    public var lr: Double
    /// The mean of the epoch's batch losses (each batch's mean-reduced loss,
    /// computed before that batch's optimizer step).
    public var loss: Double
}
