/// What one `scheduler.step(...)` is given.
///
/// ```swift
/// try scheduler.step(.next)                     // step()
/// try scheduler.step(.epoch(10))                // step(10), the deprecated explicit epoch
/// try plateau.step(.metric(0.25, epoch: nil))   // step(0.25)
/// try cosine.step(.update(500, metric: nil))     // timm's step_update(500)
/// ```
///
/// A scheduler given an input its Python `step` does not take raises the
/// `TypeError` Python would.
public enum StepInput: Sendable, Hashable {
    /// `step()`: the next epoch.
    case next
    /// `step(epoch)`.
    case epoch(Epoch)
    /// `step(metrics, epoch=None)` (`ReduceLROnPlateau`); for a timm
    /// scheduler, `step(epoch, metric=metric)`.
    case metric(Double, epoch: Epoch?)
    /// timm's `step_update(num_updates, metric=None)`, once per optimizer
    /// update. A scheduler without it raises Python's `AttributeError`.
    case update(Epoch, metric: Double?)
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
    /// `step(self, epoch, metric=None)`: timm's schedulers'.
    case epochThenMetric
}

extension StepInput {
    /// `type.step(*arguments)` as Python binds it: the input, or Python's
    /// `TypeError` for the wrong number of arguments. A metric that is not
    /// a number is NaN, an epoch that is not one is 0 (the trace format
    /// only passes numbers).
    public init(positional arguments: [JSONValue], signature: StepSignature, type: String) throws(PythonError) {
        switch (signature, arguments.count) {
        case (.epochThenMetric, 0):
            throw .typeError("\(type).step() missing 1 required positional argument: 'epoch'")
        case (.epochThenMetric, 1):
            self = .epoch(Epoch(json: arguments[0]) ?? 0)
        case (.epochThenMetric, 2):
            self = .metric(arguments[1].doubleValue ?? .nan, epoch: Epoch(json: arguments[0]) ?? 0)
        case (.epochThenMetric, let count):
            throw .typeError("\(type).step() takes from 2 to 3 positional arguments but \(count + 1) were given")
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

extension StepInput {
    /// The trace format's `step` with its `metric` and `epoch`: for
    /// PyTorch's schedulers `step(metric, epoch)` with the given ones
    /// positional, in that order; for timm's `step(epoch, metric=metric)`.
    public init(metric: JSONValue?, epoch: JSONValue?, signature: StepSignature, type: String) throws(PythonError) {
        if signature == .epochThenMetric {
            guard let epoch else { throw .typeError("\(type).step() missing 1 required positional argument: 'epoch'") }
            try self.init(positional: [epoch] + (metric.map { [$0] } ?? []), signature: signature, type: type)
        } else {
            try self.init(positional: [metric, epoch].compactMap { $0 }, signature: signature, type: type)
        }
    }

    /// Python's `AttributeError` for `step_update` on a scheduler without it.
    public static func noStepUpdate(_ type: String) -> PythonError {
        PythonError("AttributeError", "'\(type)' object has no attribute 'step_update'")
    }
}
