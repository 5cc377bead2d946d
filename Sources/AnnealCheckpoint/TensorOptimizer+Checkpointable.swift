import Anneal
import AnnealOptim
import AnnealTensor

// Every AnnealOptim optimizer (SGD, Adam, AdamW, RMSprop and whatever else
// subclasses `TensorOptimizer`) is a `CheckpointableOptimizer` through its
// state entries: `stateEntries()` (each parameter's `state_dict()["state"]`
// entry with its tensors as flat float32 values, no JSON) and
// `loadStateEntries(_:)`, which replaces the whole state after checking
// every entry (keys, sizes, indices), changing nothing when it throws.
//
// Tensors: every key of the state with a value (`step` as a 0-dimensional
// float32 tensor, as PyTorch keeps it); scalars: a key whose value is
// `None` (an SGD `momentum_buffer` that was never made).

extension TensorOptimizer: CheckpointableOptimizer {
    /// The parameters in PyTorch's index order (``TensorOptimizer/indexedParameters``).
    public var parameters: [Parameter] { indexedParameters }

    /// Every entry's tensors (`step` 0-dimensional, the others in their
    /// parameter's shape), sharing the optimizer's storage until written.
    public func stateTensors() -> [OptimizerStateTensor] {
        let parameters = indexedParameters
        var result: [OptimizerStateTensor] = []
        for entry in stateEntries() {
            let index = entry.parameterIndex
            for (key, values) in entry.values.tensors.sorted(by: { $0.key < $1.key }) {
                let shape = OptimizerStateEntry.shape(of: key, parameterShape: parameters[index].value.shape)
                result.append(.init(parameterIndex: index, key: key, tensor: Tensor(shape: shape, scalars: values)))
            }
        }
        return result
    }

    /// Every entry's non-tensor keys (an SGD `momentum_buffer` of `None`).
    public func scalarState() -> [Int: JSONObject] {
        var result: [Int: JSONObject] = [:]
        for entry in stateEntries() where !entry.values.json.isEmpty { result[entry.parameterIndex] = entry.values.json }
        return result
    }

    /// Builds the state entries from the saved pieces, checking what the
    /// optimizer's own loader cannot see (indices, duplicates, a tensor and
    /// a scalar under one key, the shapes), then loads them: the loader
    /// checks keys and sizes and changes nothing when it throws.
    public func restoreState(tensors: [OptimizerStateTensor], scalars: [Int: JSONObject]) throws {
        let parameters = indexedParameters
        let tensorKeys = Set(State.keys)
        func problem(_ message: String) -> PythonError { .valueError("optimizer state: \(message)") }
        var entries: [Int: OptimizerStateEntry.Values] = [:]
        for item in tensors {
            guard item.parameterIndex >= 0, item.parameterIndex < parameters.count else {
                throw problem("state '\(item.key)' for parameter \(item.parameterIndex), but the \(kind.rawValue) has \(parameters.count) parameters")
            }
            guard tensorKeys.contains(item.key) else {
                throw problem("unknown tensor state '\(item.key)' for parameter \(item.parameterIndex) (expected \(tensorKeys.sorted().map { "'\($0)'" }.joined(separator: ", ")))")
            }
            guard entries[item.parameterIndex]?.tensors[item.key] == nil else {
                throw problem("state '\(item.key)' of parameter \(item.parameterIndex) appears twice")
            }
            let expected = OptimizerStateEntry.shape(of: item.key, parameterShape: parameters[item.parameterIndex].value.shape)
            guard item.tensor.shape == expected else {
                throw problem("state '\(item.key)' of parameter \(item.parameterIndex) has shape \(item.tensor.shape), expected \(expected)")
            }
            entries[item.parameterIndex, default: .init()].tensors[item.key] = item.tensor.scalars
        }
        for (index, values) in scalars {
            guard index >= 0, index < parameters.count else {
                throw problem("scalar state for parameter \(index), but the \(kind.rawValue) has \(parameters.count) parameters")
            }
            for (key, value) in values {
                guard entries[index]?.tensors[key] == nil else {
                    throw problem("state '\(key)' of parameter \(index) is both a tensor and a scalar")
                }
                if tensorKeys.contains(key) && !value.isNull && key != "step" {
                    throw problem("state '\(key)' of parameter \(index) must be a tensor or None, got \(value.pythonTypeName)")
                }
                entries[index, default: .init()].json[key] = value
            }
        }
        try loadStateEntries(entries.keys.sorted().map { OptimizerStateEntry(parameterIndex: $0, values: entries[$0]!) })
    }
}
