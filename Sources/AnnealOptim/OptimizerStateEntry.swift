import Anneal

/// One parameter's optimizer state (`state_dict()["state"][i]`) with its
/// tensors as flat float32 values instead of nested JSON lists: the one
/// form in which the optimizers hand their state out and take it back
/// (`stateEntries()`, `loadStateEntries(_:)`), and in which checkpoints
/// move large states without the JSON's cost.
///
/// ```swift
/// let entries = adam.stateEntries()    // [OptimizerStateEntry(parameterIndex: 0, values: ...)]
/// try fresh.loadStateEntries(entries)
/// ```
public struct OptimizerStateEntry: Sendable, Equatable {
    /// The parameter's index in `state_dict()` order.
    public var parameterIndex: Int
    /// The entry's keys and values.
    public var values: Values

    public init(parameterIndex: Int, values: Values) {
        self.parameterIndex = parameterIndex
        self.values = values
    }

    /// A state entry's keys: each either a tensor or a JSON value.
    public struct Values: Sendable, Equatable {
        /// Tensors, row-major, with as many values as the parameter (one
        /// for a 0-dimensional `step`).
        public var tensors: [String: [Float]]
        /// Everything else: `null` (SGD's `momentum_buffer` before it
        /// exists), or a number or nested list as in a state dict.
        public var json: JSONObject

        public init(tensors: [String: [Float]] = [:], json: JSONObject = [:]) {
            self.tensors = tensors
            self.json = json
        }

        /// Every key, sorted.
        public var keys: [String] { (Array(tensors.keys) + json.keys).sorted() }
        public var isEmpty: Bool { tensors.isEmpty && json.isEmpty }
    }

    /// The shape of the state tensor `key` of a parameter of
    /// `parameterShape`: `step` is 0-dimensional (PyTorch's float32 step
    /// counter), Adafactor's `row_var` and `col_var` are its parameter's
    /// shape with one dimension reduced to 1, every other tensor has its
    /// parameter's shape.
    ///
    /// The state keys PyTorch keeps as 0-dimensional float32 tensors:
    /// `step`, NAdam's `mu_product`, ASGD's `eta` and `mu`.
    static let scalarKeys: Set<String> = ["step", "mu_product", "eta", "mu"]

    public static func shape(of key: String, parameterShape: [Int]) -> [Int] {
        if scalarKeys.contains(key) { return [] }
        // Adafactor's factors of a parameter with 2 or more dimensions: the
        // last dimension reduced to 1 (`row_var`), or the one before it (`col_var`).
        var shape = parameterShape
        switch key {
        case "row_var" where shape.count >= 2: shape[shape.count - 1] = 1
        case "col_var" where shape.count >= 2: shape[shape.count - 2] = 1
        default: break
        }
        return shape
    }
}
