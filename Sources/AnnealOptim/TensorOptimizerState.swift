import Anneal

/// The per-parameter state of one tensor optimizer: what PyTorch keeps in
/// `optimizer.state[p]` (SGD's ``SGDState``, ``AdamState``, ``RMSpropState``).
///
/// A state is its ``entry`` (every key, tensors as flat float32 values) and
/// the way back (``load(_:shape:where:)``); ``TensorOptimizer`` builds the
/// state dict, the checkpoint tensors and the checks from those.
///
/// ```swift
/// final class MomentumState: TensorOptimizerState {
///     static let keys = ["momentum_buffer"]
///     var buffer: [Float]
///     var entry: OptimizerStateEntry.Values { .init(tensors: ["momentum_buffer": buffer]) }
///     static func load(...) throws(PythonError) -> MomentumState? { ... }
/// }
/// ```
public protocol TensorOptimizerState: AnyObject {
    /// Every key the state may hold, in PyTorch's order (the state dict's
    /// order). Each is a tensor when it has a value: `step` a 0-dimensional
    /// one, the others in the parameter's shape.
    static var keys: [String] { get }
    /// The state's keys with its tensors as flat values (no JSON); a key
    /// whose value is `None` in PyTorch is `null` in `json`.
    var entry: OptimizerStateEntry.Values { get }
    /// Reads a saved entry for a parameter of `shape`; `nil` for an empty
    /// entry (PyTorch then initializes the state lazily, as for a new
    /// parameter). Throws on unknown or missing keys and wrong shapes,
    /// naming `location` (`"parameter 3"`).
    static func load(_ saved: OptimizerStateEntry.Values, shape: [Int], where location: String) throws(PythonError) -> Self?
}
