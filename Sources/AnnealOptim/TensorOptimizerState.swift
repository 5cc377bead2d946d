import Anneal

/// The per-parameter state of one tensor optimizer: what PyTorch keeps in
/// `optimizer.state[p]` (SGD's ``SGDState``, ``AdamState``, ``RMSpropState``).
///
/// A state lists its keys once, as ``fields`` bound to its stored
/// properties; its ``entry`` (every key, tensors as flat float32 values) and
/// the way back (``load(_:shape:where:)``) derive from them, and
/// ``TensorOptimizer`` builds the state dict, the checkpoint tensors and the
/// checks from those.
///
/// ```swift
/// final class MomentumState: TensorOptimizerState {
///     var buffer: [Float] = []
///     static let fields: [TensorStateField<MomentumState>] = [.tensor("momentum_buffer", \.buffer)]
/// }
/// ```
public protocol TensorOptimizerState: AnyObject {
    /// Every key the state may hold, in PyTorch's order (the state dict's
    /// order), with the property that holds it.
    static var fields: [TensorStateField<Self>] { get }
    /// An empty state, which ``load(_:shape:where:)`` fills field by field.
    init()
}

extension TensorOptimizerState {
    /// Every key the state may hold, in PyTorch's order. Each is a tensor
    /// when it has a value: `step` a 0-dimensional one, the others in the
    /// parameter's shape.
    public static var keys: [String] { fields.map(\.key) }

    /// The state's keys with its tensors as flat values (no JSON); a key
    /// whose value is `None` in PyTorch is `null` in `json`.
    public var entry: OptimizerStateEntry.Values {
        var entry = OptimizerStateEntry.Values()
        for field in Self.fields { field.write(self, &entry) }
        return entry
    }

    /// Reads a saved entry for a parameter of `shape`; `nil` for an empty
    /// entry (PyTorch then initializes the state lazily, as for a new
    /// parameter). Throws on unknown or missing keys and wrong shapes,
    /// naming `location` (`"parameter 3"`), before anything is built.
    public static func load(_ saved: OptimizerStateEntry.Values, shape: [Int], where location: String)
        throws(PythonError) -> Self?
    {
        let fields = Self.fields
        try saved.checkKeys(
            allowed: fields.map(\.key), required: saved.isEmpty ? [] : fields.filter(\.isRequired).map(\.key),
            where: location)
        if saved.isEmpty { return nil }
        let state = Self()
        for field in fields { try field.read(saved, state, shape, location) }
        return state
    }
}
