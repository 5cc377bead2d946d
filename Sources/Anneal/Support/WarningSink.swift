/// A warning PyTorch would emit with `warnings.warn` (always a `UserWarning`
/// for schedulers).
public struct SchedulerWarning: Sendable, Hashable, CustomStringConvertible {
    /// Python's warning category, e.g. `"UserWarning"`.
    public var category: String
    public var message: String

    public var description: String { "\(category): \(message)" }

    static let stepBeforeOptimizerStep = SchedulerWarning(
        category: "UserWarning",
        message: "Detected call of `lr_scheduler.step()` before `optimizer.step()`. In PyTorch 1.1.0 and later, you should call them in the opposite order: `optimizer.step()` before `lr_scheduler.step()`.  Failure to do this will result in PyTorch skipping the first value of the learning rate schedule. See more details at https://pytorch.org/docs/stable/optim.html#how-to-adjust-learning-rate"
    )

    static let epochDeprecated = SchedulerWarning(
        category: "UserWarning",
        message: "The epoch parameter in `scheduler.step()` was not necessary and is being deprecated where possible. Please use `scheduler.step()` to step the scheduler. During the deprecation, if epoch is different from None, the closed form is used instead of the new chainable form, where available. Please open an issue if you are unable to replicate your use case: https://github.com/pytorch/pytorch/issues/new/choose."
    )
}

/// Collects the warnings a scheduler emits instead of printing them: the
/// library never writes to the terminal, the caller decides.
///
/// Like Python's default filter, a warning repeated verbatim is stored once
/// with a count, so a long run stepping with explicit epochs does not grow
/// memory without bound.
public final class WarningSink: @unchecked Sendable {
    /// Distinct warnings in the order first seen, with how often each occurred.
    public private(set) var entries: [(warning: SchedulerWarning, count: Int)] = []

    public init() {}

    /// The distinct warnings, in the order first emitted.
    public var warnings: [SchedulerWarning] { entries.map(\.warning) }

    public func emit(_ warning: SchedulerWarning) {
        if let index = entries.firstIndex(where: { $0.warning == warning }) {
            entries[index].count += 1
        } else {
            entries.append((warning, 1))
        }
    }

    public func removeAll() { entries.removeAll() }
}
