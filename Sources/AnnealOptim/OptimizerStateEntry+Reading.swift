import Anneal

// Reading a saved state entry (`TensorOptimizerState.load`): its keys, its
// `step` and its tensors, each mistake a `ValueError` or `TypeError` naming
// the parameter and the key.

extension OptimizerStateEntry.Values {
    /// Checks a saved state entry's keys: `allowed` in any order, `required` present.
    func checkKeys(allowed: [String], required: [String], where location: String) throws(PythonError) {
        for key in self.keys where !allowed.contains(key) {
            throw .valueError(
                "loaded optimizer state for \(location) has an unknown key '\(key)' (expected \(allowed.map { "'\($0)'" }.joined(separator: ", ")))")
        }
        for key in required where tensors[key] == nil && json[key] == nil {
            throw .valueError("loaded optimizer state for \(location) has no '\(key)'")
        }
    }

    /// A saved `step`: a number (PyTorch's 0-dim float32 tensor), or one value.
    func step(where location: String) throws(PythonError) -> Float {
        try scalar("step", where: location)
    }

    /// A saved 0-dim float32 tensor under `key` (`step`, `mu_product`, `eta`,
    /// `mu`): a number, or one value.
    func scalar(_ key: String, where location: String) throws(PythonError) -> Float {
        if let values = tensors[key] {
            guard values.count == 1 else {
                throw .valueError("loaded optimizer state for \(location): '\(key)' must be one value, got \(values.count)")
            }
            return values[0]
        }
        guard let value = json[key]?.doubleValue else {
            throw .typeError("loaded optimizer state for \(location): '\(key)' must be a number")
        }
        return Float(value)
    }

    /// A saved tensor under `key` that must be there.
    func requiredTensor(_ key: String, shape: [Int], where location: String) throws(PythonError) -> [Float] {
        guard let tensor = try tensor(key, shape: shape, where: location) else {
            throw .valueError("loaded optimizer state for \(location) has no '\(key)'")
        }
        return tensor
    }

    /// A saved tensor under `key`, or `nil` when absent or `null`.
    func tensor(_ key: String, shape: [Int], where location: String) throws(PythonError) -> [Float]? {
        if let values = tensors[key] {
            let count = shape.reduce(1, *)
            guard values.count == count else {
                throw .valueError(
                    "loaded optimizer state for \(location): '\(key)' has \(values.count) values, but the parameter's shape \(shape) has \(count)")
            }
            return values
        }
        guard let value = json[key], !value.isNull else { return nil }
        return try TensorJSON.decode(value, shape: shape, what: "loaded optimizer state for \(location): '\(key)'")
    }
}
