import Anneal
import AnnealCheckpoint
import AnnealOptim
import AnnealTensor

// SGD, Adam (hence AdamW) and RMSprop as `CheckpointableOptimizer`s, built
// on their public state dicts: `state(of:)` gives each parameter's
// `state_dict()["state"]` entry (float32 values held exactly as doubles) and
// `loadStateDictState(_:)` replaces the whole state after checking every
// entry (keys, shapes, indices), changing nothing when it throws.
//
// Tensors: every key below with a value (`step` as a 0-dimensional float32
// tensor, as PyTorch keeps it); scalars: a key whose value is `None` (an
// SGD `momentum_buffer` that was never made).

/// The shared implementation over an optimizer's public state-dict API.
enum OptimizerCheckpointing {
    static func stateTensors(
        parameters: [Parameter], tensorKeys: Set<String>, state: (Parameter) -> JSONObject?
    ) -> [OptimizerStateTensor] {
        var result: [OptimizerStateTensor] = []
        for (index, parameter) in parameters.enumerated() {
            guard let entry = state(parameter) else { continue }
            for key in entry.keys.sorted() {
                guard let value = entry[key], !value.isNull, tensorKeys.contains(key) else { continue }
                let shape = key == "step" ? [] : parameter.value.shape
                var scalars: [Float] = []
                scalars.reserveCapacity(shape.reduce(1, *))
                flattenJSON(value, into: &scalars)
                result.append(.init(parameterIndex: index, key: key, tensor: Tensor(shape: shape, scalars: scalars)))
            }
        }
        return result
    }

    static func scalarState(
        parameters: [Parameter], tensorKeys: Set<String>, state: (Parameter) -> JSONObject?
    ) -> [Int: JSONObject] {
        var result: [Int: JSONObject] = [:]
        for (index, parameter) in parameters.enumerated() {
            guard let entry = state(parameter) else { continue }
            var scalars = JSONObject()
            for (key, value) in entry where value.isNull || !tensorKeys.contains(key) { scalars[key] = value }
            // A parameter with state but nothing in it would otherwise vanish.
            if !scalars.isEmpty { result[index] = scalars }
        }
        return result
    }

    /// Builds `state_dict()["state"]` from the saved pieces, checking what
    /// the optimizer's own loader cannot see (indices, duplicates, a tensor
    /// and a scalar under one key, the step's shape), then loads it: the
    /// loader checks keys and shapes and changes nothing when it throws.
    static func restoreState(
        _ optimizer: Optimizer, parameters: [Parameter], tensorKeys: Set<String>,
        tensors: [OptimizerStateTensor], scalars: [Int: JSONObject]
    ) throws {
        func problem(_ message: String) -> PythonError { .valueError("optimizer state: \(message)") }
        var entries: [Int: JSONObject] = [:]
        for item in tensors {
            guard item.parameterIndex < parameters.count else {
                throw problem("state '\(item.key)' for parameter \(item.parameterIndex), but the \(optimizer.kind.rawValue) has \(parameters.count) parameters")
            }
            guard tensorKeys.contains(item.key) else {
                throw problem("unknown tensor state '\(item.key)' for parameter \(item.parameterIndex) (expected \(tensorKeys.sorted().map { "'\($0)'" }.joined(separator: ", ")))")
            }
            guard entries[item.parameterIndex]?[item.key] == nil else {
                throw problem("state '\(item.key)' of parameter \(item.parameterIndex) appears twice")
            }
            let expected = item.key == "step" ? [] : parameters[item.parameterIndex].value.shape
            guard item.tensor.shape == expected else {
                throw problem("state '\(item.key)' of parameter \(item.parameterIndex) has shape \(item.tensor.shape), expected \(expected)")
            }
            entries[item.parameterIndex, default: [:]][item.key] = encodeJSON(item.tensor.scalars, shape: expected)
        }
        for (index, values) in scalars {
            guard index >= 0, index < parameters.count else {
                throw problem("scalar state for parameter \(index), but the \(optimizer.kind.rawValue) has \(parameters.count) parameters")
            }
            for (key, value) in values {
                guard entries[index]?[key] == nil else {
                    throw problem("state '\(key)' of parameter \(index) is both a tensor and a scalar")
                }
                if tensorKeys.contains(key) && !value.isNull && key != "step" {
                    throw problem("state '\(key)' of parameter \(index) must be a tensor or None, got \(value.pythonTypeName)")
                }
                entries[index, default: [:]][key] = value
            }
        }
        var state = JSONObject()
        for index in entries.keys.sorted() { state[String(index)] = .object(entries[index]!) }
        try optimizer.loadStateDictState(state)
    }

    private static func flattenJSON(_ value: JSONValue, into scalars: inout [Float]) {
        if let items = value.arrayValue {
            for item in items { flattenJSON(item, into: &scalars) }
        } else {
            scalars.append(Float(value.doubleValue!))
        }
    }

    private static func encodeJSON(_ values: [Float], shape: [Int]) -> JSONValue {
        var position = 0
        return encodeJSON(values, shape: shape[...], position: &position)
    }

    private static func encodeJSON(_ values: [Float], shape: ArraySlice<Int>, position: inout Int) -> JSONValue {
        guard let extent = shape.first else {
            defer { position += 1 }
            return .double(Double(values[position]))
        }
        var items: [JSONValue] = []
        items.reserveCapacity(extent)
        for _ in 0..<extent { items.append(encodeJSON(values, shape: shape.dropFirst(), position: &position)) }
        return .array(items)
    }
}

/// An AnnealOptim optimizer checkpointed through its per-parameter state
/// dict entries: which of its PyTorch state keys are tensors is all that
/// differs between SGD, Adam (and AdamW) and RMSprop.
protocol StateDictCheckpointing: CheckpointableOptimizer {
    /// The state keys saved as tensors (`momentum_buffer`, `exp_avg`, ...).
    static var checkpointTensorKeys: Set<String> { get }
    var indexedParameters: [Parameter] { get }
    func state(of parameter: Parameter) -> JSONObject?
}

extension StateDictCheckpointing {
    public var parameters: [Parameter] { indexedParameters }

    public func stateTensors() -> [OptimizerStateTensor] {
        OptimizerCheckpointing.stateTensors(parameters: parameters, tensorKeys: Self.checkpointTensorKeys, state: state(of:))
    }

    public func scalarState() -> [Int: JSONObject] {
        OptimizerCheckpointing.scalarState(parameters: parameters, tensorKeys: Self.checkpointTensorKeys, state: state(of:))
    }

    public func restoreState(tensors: [OptimizerStateTensor], scalars: [Int: JSONObject]) throws {
        try OptimizerCheckpointing.restoreState(
            self, parameters: parameters, tensorKeys: Self.checkpointTensorKeys, tensors: tensors, scalars: scalars)
    }
}

extension SGD: StateDictCheckpointing {
    static let checkpointTensorKeys: Set<String> = ["momentum_buffer"]
}

extension Adam: StateDictCheckpointing {
    static let checkpointTensorKeys: Set<String> = ["step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq"]
}

extension RMSprop: StateDictCheckpointing {
    static let checkpointTensorKeys: Set<String> = ["step", "square_avg", "momentum_buffer", "grad_avg"]
}
