import Anneal
import AnnealCheckpoint
import AnnealOptim
import AnnealTensor

// SGD, Adam (hence AdamW) and RMSprop as `CheckpointableOptimizer`s, built
// on their state entries (`stateEntries()`: each parameter's
// `state_dict()["state"]` entry with its tensors as flat float32 values, no
// JSON) and `loadStateEntries(_:)`, which replaces the whole state after
// checking every entry (keys, sizes, indices), changing nothing when it
// throws.
//
// Tensors: every key below with a value (`step` as a 0-dimensional float32
// tensor, as PyTorch keeps it); scalars: a key whose value is `None` (an
// SGD `momentum_buffer` that was never made).

/// The shared implementation over an optimizer's state entries.
enum OptimizerCheckpointing {
    /// Every entry's tensors (`step` 0-dimensional, the others in their
    /// parameter's shape), sharing the optimizer's storage until written.
    static func stateTensors(parameters: [Parameter], entries: [OptimizerStateEntry]) -> [OptimizerStateTensor] {
        var result: [OptimizerStateTensor] = []
        for entry in entries {
            let index = entry.parameterIndex
            for (key, values) in entry.values.tensors.sorted(by: { $0.key < $1.key }) {
                let shape = key == "step" ? [] : parameters[index].value.shape
                result.append(.init(parameterIndex: index, key: key, tensor: Tensor(shape: shape, scalars: values)))
            }
        }
        return result
    }

    /// Every entry's non-tensor keys (an SGD `momentum_buffer` of `None`).
    static func scalarState(entries: [OptimizerStateEntry]) -> [Int: JSONObject] {
        var result: [Int: JSONObject] = [:]
        for entry in entries where !entry.values.json.isEmpty { result[entry.parameterIndex] = entry.values.json }
        return result
    }

    /// Builds the state entries from the saved pieces, checking what the
    /// optimizer's own loader cannot see (indices, duplicates, a tensor and
    /// a scalar under one key, the shapes), then loads them: the loader
    /// checks keys and sizes and changes nothing when it throws.
    static func restoreState(
        kind: OptimizerKind, parameters: [Parameter], tensorKeys: Set<String>,
        tensors: [OptimizerStateTensor], scalars: [Int: JSONObject], load: ([OptimizerStateEntry]) throws -> Void
    ) throws {
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
            let expected = item.key == "step" ? [] : parameters[item.parameterIndex].value.shape
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
        try load(entries.keys.sorted().map { OptimizerStateEntry(parameterIndex: $0, values: entries[$0]!) })
    }
}

/// An AnnealOptim optimizer checkpointed through its state entries: which
/// of its PyTorch state keys are tensors is all that differs between SGD,
/// Adam (and AdamW) and RMSprop.
protocol StateEntryCheckpointing: CheckpointableOptimizer {
    /// The state keys saved as tensors (`momentum_buffer`, `exp_avg`, ...).
    static var checkpointTensorKeys: Set<String> { get }
    var kind: OptimizerKind { get }
    var indexedParameters: [Parameter] { get }
    func stateEntries() -> [OptimizerStateEntry]
    func loadStateEntries(_ entries: [OptimizerStateEntry]) throws
}

extension StateEntryCheckpointing {
    public var parameters: [Parameter] { indexedParameters }

    public func stateTensors() -> [OptimizerStateTensor] {
        OptimizerCheckpointing.stateTensors(parameters: parameters, entries: stateEntries())
    }

    public func scalarState() -> [Int: JSONObject] {
        OptimizerCheckpointing.scalarState(entries: stateEntries())
    }

    public func restoreState(tensors: [OptimizerStateTensor], scalars: [Int: JSONObject]) throws {
        try OptimizerCheckpointing.restoreState(
            kind: kind, parameters: parameters, tensorKeys: Self.checkpointTensorKeys, tensors: tensors, scalars: scalars,
            load: loadStateEntries)
    }
}

extension SGD: StateEntryCheckpointing {
    static let checkpointTensorKeys: Set<String> = ["momentum_buffer"]
}

extension Adam: StateEntryCheckpointing {
    static let checkpointTensorKeys: Set<String> = ["step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq"]
}

extension RMSprop: StateEntryCheckpointing {
    static let checkpointTensorKeys: Set<String> = ["step", "square_avg", "momentum_buffer", "grad_avg"]
}
