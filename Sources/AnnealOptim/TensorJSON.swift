import Anneal

/// Tensors in a state dict: `tensor.tolist()` (nested arrays by shape; a
/// 0-dim tensor is its number), values the float32 numbers as doubles.
public enum TensorJSON {
    /// `state_dict()["state"][i]` of a parameter of `shape`: the state's
    /// keys in PyTorch's order (``TensorOptimizerState/keys``), tensors as
    /// nested arrays (`step` as its number), other values as they are.
    static func stateDict<State: TensorOptimizerState>(of state: State, shape: [Int]) -> JSONObject {
        let entry = state.entry
        var object = JSONObject()
        for key in State.keys {
            if let values = entry.tensors[key] {
                object[key] = encode(values, shape: OptimizerStateEntry.shape(of: key, parameterShape: shape))
            } else if let value = entry.json[key] {
                object[key] = value
            }
        }
        return object
    }

    /// `tensor.tolist()` of row-major `values` in `shape`.
    ///
    /// ```swift
    /// TensorJSON.encode([1, 2, 3, 4], shape: [2, 2])   // [[1.0, 2.0], [3.0, 4.0]]
    /// ```
    public static func encode(_ values: [Float], shape: [Int]) -> JSONValue {
        var position = 0
        return encode(values, shape: shape[...], position: &position)
    }

    private static func encode(_ values: [Float], shape: ArraySlice<Int>, position: inout Int) -> JSONValue {
        guard let extent = shape.first else {
            defer { position += 1 }
            return .double(Double(values[position]))
        }
        var items: [JSONValue] = []
        items.reserveCapacity(extent)
        for _ in 0..<extent { items.append(encode(values, shape: shape.dropFirst(), position: &position)) }
        return .array(items)
    }

    /// Reads a tensor of `shape`; a wrong nesting, length or element type is
    /// a `ValueError` naming `what` and the place.
    static func decode(_ value: JSONValue, shape: [Int], what: String) throws(PythonError) -> [Float] {
        var values: [Float] = []
        values.reserveCapacity(shape.reduce(1, *))
        try decode(value, shape: shape[...], path: "", into: &values, what: what, fullShape: shape)
        return values
    }

    private static func decode(
        _ value: JSONValue, shape: ArraySlice<Int>, path: String, into values: inout [Float], what: String,
        fullShape: [Int]
    ) throws(PythonError) {
        guard let extent = shape.first else {
            guard let number = value.doubleValue else {
                throw .valueError("\(what)\(path) must be a number, got \(value.pythonTypeName)")
            }
            values.append(Float(number))
            return
        }
        guard case .array(let items) = value, items.count == extent else {
            let got: String
            if case .array(let items) = value { got = "\(items.count) elements" } else { got = value.pythonTypeName }
            throw .valueError("\(what)\(path) does not match the parameter's shape \(fullShape): expected \(extent) elements, got \(got)")
        }
        for (i, item) in items.enumerated() {
            try decode(item, shape: shape.dropFirst(), path: path + "[\(i)]", into: &values, what: what, fullShape: fullShape)
        }
    }
}
