import Anneal

/// One key of a tensor optimizer's per-parameter state (`optimizer.state[p]`):
/// its PyTorch name and the stored property that holds it.
///
/// A ``TensorOptimizerState`` lists its fields once, in PyTorch's order;
/// the state entry, the keys a saved entry may and must have, and reading
/// one back all come from that list:
///
/// ```swift
/// static let fields: [TensorStateField<AdamState>] = [
///     .step(\.step), .tensor("exp_avg", \.expAvg), .tensor("exp_avg_sq", \.expAvgSq),
///     .optionalTensor("max_exp_avg_sq", \.maxExpAvgSq),
/// ]
/// ```
public struct TensorStateField<State: AnyObject>: @unchecked Sendable {
    /// The key, e.g. `"exp_avg"`.
    public let key: String
    /// Whether a saved, non-empty entry must have the key.
    let isRequired: Bool
    /// Writes the field into an entry (a tensor, `null`, or nothing).
    let write: (State, inout OptimizerStateEntry.Values) -> Void
    /// Reads the field from a saved entry into a state, checking its size.
    let read: (OptimizerStateEntry.Values, State, _ shape: [Int], _ location: String) throws(PythonError) -> Void

    /// `step`: PyTorch's 0-dimensional float32 tensor (a number is accepted too).
    public static func step(_ property: ReferenceWritableKeyPath<State, Float>) -> TensorStateField {
        TensorStateField(
            key: "step", isRequired: true, write: { state, entry in entry.tensors["step"] = [state[keyPath: property]] },
            read: { (saved, state, _, location) throws(PythonError) in
                state[keyPath: property] = try saved.step(where: location)
            })
    }

    /// Another 0-dimensional float32 tensor every non-empty entry has
    /// (NAdam's `mu_product`, ASGD's `eta` and `mu`).
    public static func scalar(_ key: String, _ property: ReferenceWritableKeyPath<State, Float>) -> TensorStateField {
        TensorStateField(
            key: key, isRequired: true, write: { state, entry in entry.tensors[key] = [state[keyPath: property]] },
            read: { (saved, state, _, location) throws(PythonError) in
                state[keyPath: property] = try saved.scalar(key, where: location)
            })
    }

    /// A tensor in the parameter's shape that every non-empty entry has.
    public static func tensor(_ key: String, _ property: ReferenceWritableKeyPath<State, [Float]>) -> TensorStateField {
        TensorStateField(
            key: key, isRequired: true, write: { state, entry in entry.tensors[key] = state[keyPath: property] },
            read: { (saved, state, shape, location) throws(PythonError) in
                state[keyPath: property] = try saved.requiredTensor(key, shape: shape, where: location)
            })
    }

    /// A tensor in the parameter's shape that only some configurations keep
    /// (`max_exp_avg_sq` with `amsgrad`). Without one, the key is left out,
    /// or, with `savedAsNone`, saved as `None` (SGD's `momentum_buffer`
    /// without momentum, as PyTorch keeps it).
    public static func optionalTensor(
        _ key: String, _ property: ReferenceWritableKeyPath<State, [Float]?>, savedAsNone: Bool = false
    ) -> TensorStateField {
        TensorStateField(
            key: key, isRequired: false,
            write: { state, entry in
                if let values = state[keyPath: property] {
                    entry.tensors[key] = values
                } else if savedAsNone {
                    entry.json[key] = .null
                }
            },
            read: { (saved, state, shape, location) throws(PythonError) in
                state[keyPath: property] = try saved.tensor(
                    key, shape: OptimizerStateEntry.shape(of: key, parameterShape: shape), where: location)
            })
    }
}
