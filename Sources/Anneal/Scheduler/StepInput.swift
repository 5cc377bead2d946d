/// What one `scheduler.step(...)` is given.
///
/// ```swift
/// try scheduler.step(.next)                     // step()
/// try scheduler.step(.epoch(10))                // step(10), the deprecated explicit epoch
/// try plateau.step(.metric(0.25, epoch: nil))   // step(0.25)
/// ```
///
/// A scheduler given an input its Python `step` does not take raises the
/// `TypeError` Python would.
public enum StepInput: Sendable, Hashable {
    /// `step()`: the next epoch.
    case next
    /// `step(epoch)`.
    case epoch(Epoch)
    /// `step(metrics, epoch=None)` (`ReduceLROnPlateau`).
    case metric(Double, epoch: Epoch?)
}

/// The parameters of a scheduler's Python `step` method, which say how
/// positional arguments map to a ``StepInput``.
public enum StepSignature: Sendable, Hashable {
    /// `step(self, epoch=None)`: `LRScheduler`'s.
    case optionalEpoch
    /// `step(self)`: `SequentialLR`'s and `ChainedScheduler`'s.
    case noArguments
    /// `step(self, metrics, epoch=None)`: `ReduceLROnPlateau`'s.
    case metrics
}

extension StepInput {
    /// `type.step(*arguments)` as Python binds it: the input, or Python's
    /// `TypeError` for the wrong number of arguments. A metric that is not
    /// a number is NaN, an epoch that is not one is 0 (the trace format
    /// only passes numbers).
    public init(positional arguments: [JSONValue], signature: StepSignature, type: String) throws(PythonError) {
        switch (signature, arguments.count) {
        case (.noArguments, 0), (.optionalEpoch, 0):
            self = .next
        case (.noArguments, let count):
            throw .typeError("\(type).step() takes 1 positional argument but \(count + 1) were given")
        case (.optionalEpoch, 1):
            self = .epoch(Epoch(json: arguments[0]) ?? 0)
        case (.optionalEpoch, let count):
            throw .typeError("\(type).step() takes from 1 to 2 positional arguments but \(count + 1) were given")
        case (.metrics, 0):
            throw .typeError("\(type).step() missing 1 required positional argument: 'metrics'")
        case (.metrics, let count):
            self = .metric(arguments[0].doubleValue ?? .nan, epoch: count > 1 ? Epoch(json: arguments[1]) : nil)
        }
    }
}
