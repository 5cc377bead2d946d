import Anneal
import AnnealTensor

/// The per-parameter state of one optimizer type: what PyTorch keeps in
/// `optimizer.state[p]`.
protocol ParameterState: AnyObject {
    /// `state_dict()["state"][i]` for a parameter of `shape`, keys in PyTorch's order.
    func stateDict(shape: [Int]) -> JSONObject
    /// The same entry with its tensors as flat values (no JSON).
    var entry: OptimizerStateEntry.Values { get }
    /// Reads a saved entry for a parameter of `shape`; `nil` for an empty
    /// entry (PyTorch then initializes the state lazily, as for a new
    /// parameter). Throws on unknown or missing keys and wrong shapes.
    static func load(_ saved: OptimizerStateEntry.Values, shape: [Int], where location: String) throws(PythonError) -> Self?
}

/// One parameter's optimizer state (`state_dict()["state"][i]`) with its
/// tensors as flat float32 values instead of nested JSON lists: how
/// checkpoints move large states in and out without the JSON's cost.
public struct OptimizerStateEntry: Sendable, Equatable {
    /// The parameter's index in `state_dict()` order.
    public var parameterIndex: Int
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
}

/// The parameters of an optimizer, by group, and their state: the tensor
/// half of `torch.optim.Optimizer` (`param_groups[i]["params"]` and
/// `state`), kept beside `Anneal.Optimizer`'s hyperparameters.
struct ParameterStore<State: ParameterState> {
    /// `param_groups[i]["params"]`.
    private(set) var groups: [[Parameter]] = []
    /// `state`, keyed by parameter identity as PyTorch keys it by tensor.
    private var states: [ObjectIdentifier: State] = [:]

    init() {}

    init(_ groups: [[Parameter]]) throws(PythonError) {
        for group in groups { try append(group) }
    }

    /// Adds a group, rejecting a parameter that is already in another group
    /// (`add_param_group`'s check).
    mutating func append(_ parameters: [Parameter]) throws(PythonError) {
        var existing = Set<ObjectIdentifier>()
        for group in groups {
            for parameter in group { existing.insert(ObjectIdentifier(parameter)) }
        }
        for parameter in parameters where existing.contains(ObjectIdentifier(parameter)) {
            throw .valueError("some parameters appear in more than one parameter group")
        }
        groups.append(parameters)
    }

    func state(for parameter: Parameter) -> State? {
        states[ObjectIdentifier(parameter)]
    }

    /// The state of `parameter`, created by `make` when it has none (PyTorch's lazy initialization).
    mutating func state(for parameter: Parameter, orMake make: () -> State) -> State {
        let key = ObjectIdentifier(parameter)
        if let state = states[key] { return state }
        let state = make()
        states[key] = state
        return state
    }

    /// Every parameter in order with its index in `state_dict()`: the index
    /// of its first appearance, as PyTorch numbers them.
    private func indexed() -> [(index: Int, parameter: Parameter)] {
        var seen: [ObjectIdentifier: Int] = [:]
        var result: [(Int, Parameter)] = []
        var next = 0
        for group in groups {
            for parameter in group {
                let key = ObjectIdentifier(parameter)
                if seen[key] == nil { seen[key] = next }
                result.append((seen[key]!, parameter))
                next += 1
            }
        }
        return result
    }

    /// `state_dict()["state"]`: one entry per parameter that has state, keyed
    /// by its index as a decimal string, tensors as (nested) arrays.
    func stateDict() -> JSONObject {
        var object = JSONObject()
        for (index, parameter) in indexed() {
            let key = String(index)
            guard object[key] == nil, let state = state(for: parameter) else { continue }
            object[key] = .object(state.stateDict(shape: parameter.value.shape))
        }
        return object
    }

    /// Replaces all state by a saved `state_dict()["state"]`, after checking
    /// every entry: nothing changes when it throws.
    mutating func load(_ saved: JSONObject) throws(PythonError) {
        var entries: [OptimizerStateEntry] = []
        for (key, value) in saved {
            guard let index = Int(key), String(index) == key else {
                throw .valueError(
                    "loaded optimizer state has an entry '\(key)', but the optimizer's parameters are numbered 0..<\(indexed().count)")
            }
            guard case .object(let object) = value else {
                throw .typeError("loaded optimizer state for parameter \(index) must be a dict, got \(value.pythonTypeName)")
            }
            entries.append(OptimizerStateEntry(parameterIndex: index, values: .init(json: object)))
        }
        try load(entries)
    }

    /// Replaces all state by saved entries (at most one per parameter),
    /// after checking every one: nothing changes when it throws.
    mutating func load(_ entries: [OptimizerStateEntry]) throws(PythonError) {
        let parameters = indexed()
        var byIndex: [Int: Parameter] = [:]
        for (index, parameter) in parameters { byIndex[index] = parameter }
        var loaded: [ObjectIdentifier: State] = [:]
        var seen = Set<Int>()
        for entry in entries {
            let index = entry.parameterIndex
            guard let parameter = byIndex[index] else {
                throw .valueError(
                    "loaded optimizer state has an entry '\(index)', but the optimizer's parameters are numbered 0..<\(parameters.count)")
            }
            guard seen.insert(index).inserted else {
                throw .valueError("loaded optimizer state has two entries for parameter \(index)")
            }
            let duplicated = Set(entry.values.tensors.keys).intersection(entry.values.json.keys)
            if let key = duplicated.sorted().first {
                throw .valueError("loaded optimizer state for parameter \(index) has '\(key)' both as a tensor and as a value")
            }
            if let state = try State.load(entry.values, shape: parameter.value.shape, where: "parameter \(index)") {
                loaded[ObjectIdentifier(parameter)] = state
            }
        }
        states = loaded
    }

    /// Every parameter's state with its tensors as flat values, by index
    /// (``stateDict()`` without the JSON).
    func entries() -> [OptimizerStateEntry] {
        var result: [OptimizerStateEntry] = []
        var seen = Set<Int>()
        for (index, parameter) in indexed() {
            guard seen.insert(index).inserted, let state = state(for: parameter) else { continue }
            result.append(OptimizerStateEntry(parameterIndex: index, values: state.entry))
        }
        return result
    }
}

// MARK: - Tensors as JSON

/// Tensors in a state dict: `tensor.tolist()` (nested arrays by shape; a
/// 0-dim tensor is its number), values the float32 numbers as doubles.
enum TensorJSON {
    static func encode(_ values: [Float], shape: [Int]) -> JSONValue {
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

// MARK: - Reading saved state entries

/// Checks a saved state entry's keys: `allowed` in any order, `required` present.
func checkKeys(
    _ saved: OptimizerStateEntry.Values, allowed: [String], required: [String], where location: String
) throws(PythonError) {
    for key in saved.keys where !allowed.contains(key) {
        throw .valueError(
            "loaded optimizer state for \(location) has an unknown key '\(key)' (expected \(allowed.map { "'\($0)'" }.joined(separator: ", ")))")
    }
    for key in required where saved.tensors[key] == nil && saved.json[key] == nil {
        throw .valueError("loaded optimizer state for \(location) has no '\(key)'")
    }
}

/// A saved `step`: a number (PyTorch's 0-dim float32 tensor), or one value.
func loadStep(_ saved: OptimizerStateEntry.Values, where location: String) throws(PythonError) -> Float {
    if let values = saved.tensors["step"] {
        guard values.count == 1 else {
            throw .valueError("loaded optimizer state for \(location): 'step' must be one value, got \(values.count)")
        }
        return values[0]
    }
    guard let step = saved.json["step"]?.doubleValue else {
        throw .typeError("loaded optimizer state for \(location): 'step' must be a number")
    }
    return Float(step)
}

/// A saved tensor under `key` that must be there.
func requireTensor(
    _ saved: OptimizerStateEntry.Values, _ key: String, shape: [Int], where location: String
) throws(PythonError) -> [Float] {
    guard let tensor = try loadTensor(saved, key, shape: shape, where: location) else {
        throw .valueError("loaded optimizer state for \(location) has no '\(key)'")
    }
    return tensor
}

/// A saved tensor under `key`, or `nil` when absent or `null`.
func loadTensor(
    _ saved: OptimizerStateEntry.Values, _ key: String, shape: [Int], where location: String
) throws(PythonError) -> [Float]? {
    if let values = saved.tensors[key] {
        let count = shape.reduce(1, *)
        guard values.count == count else {
            throw .valueError(
                "loaded optimizer state for \(location): '\(key)' has \(values.count) values, but the parameter's shape \(shape) has \(count)")
        }
        return values
    }
    guard let value = saved.json[key], !value.isNull else { return nil }
    return try TensorJSON.decode(value, shape: shape, what: "loaded optimizer state for \(location): '\(key)'")
}

// MARK: - Reading a group's hyperparameters

extension ParamGroup {
    /// `group[key]` as a number, as PyTorch's `step()` reads it: a missing key
    /// is the `KeyError` Python raises, unless the optimizer's `__setstate__`
    /// (run by `load_state_dict`) fills it in with `default`.
    func number(_ key: String, default: Double? = nil) throws(PythonError) -> Double {
        guard let value = self[key] else {
            if let `default` { return `default` }
            throw .keyError("'\(key)'")
        }
        if let number = value.doubleValue { return number }
        if case .bool(let flag) = value { return flag ? 1 : 0 }
        throw .typeError("param group key '\(key)' must be a number, got \(value.pythonTypeName)")
    }

    /// `group[key]` as Python's truthiness (`if group["nesterov"]:`); a
    /// missing key as in ``number(_:default:)``.
    func flag(_ key: String, default: Bool? = nil) throws(PythonError) -> Bool {
        guard let value = self[key] else {
            if let `default` { return `default` }
            throw .keyError("'\(key)'")
        }
        return value.isPythonTruthy
    }
}

// MARK: - Shared construction and step checks

/// What every tensor optimizer checks after PyTorch's own validation: the
/// `fused`/`foreach` combinations PyTorch rejects, then the paths Anneal does
/// not compute (only `foreach=False`'s arithmetic is reproduced).
func checkImplementedPath(_ kind: OptimizerKind, defaults: JSONObject) throws(PythonError) {
    let fused = defaults["fused"]?.isPythonTruthy ?? false
    if fused {
        if defaults["differentiable"]?.isPythonTruthy ?? false {
            throw .runtimeError("`fused` does not support `differentiable`")
        }
        if defaults["foreach"]?.isPythonTruthy ?? false {
            throw .runtimeError("`fused` and `foreach` cannot be `True` together.")
        }
    }
    for key in ["foreach", "fused", "capturable", "differentiable"] where defaults[key]?.isPythonTruthy ?? false {
        throw PythonError(
            "NotImplementedError",
            "Anneal's \(kind.rawValue) computes PyTorch's foreach=False path only; \(key)=True is not supported")
    }
}

/// The groups of `parameterGroups` and `paramGroups` must line up (a user
/// may append to or remove from `paramGroups`; use `addParamGroup`).
func checkGroupsMatch<State>(_ paramGroups: [ParamGroup], _ store: ParameterStore<State>) throws(PythonError) {
    guard paramGroups.count == store.groups.count else {
        throw .valueError(
            "paramGroups has \(paramGroups.count) groups but the optimizer holds parameters for \(store.groups.count); add groups with addParamGroup")
    }
    for (index, (group, parameters)) in zip(paramGroups, store.groups).enumerated()
    where group.parameterCount != parameters.count {
        throw .valueError(
            "param group \(index) counts \(group.parameterCount) parameters but holds \(parameters.count)")
    }
}

/// The gradient of `parameter`, checked against its shape.
func gradient(of parameter: Parameter) throws(PythonError) -> Tensor? {
    guard let grad = parameter.grad else { return nil }
    guard grad.shape == parameter.value.shape else {
        throw .runtimeError(
            "gradient of shape \(grad.shape) does not match parameter\(parameter.name.map { " '\($0)'" } ?? "") of shape \(parameter.value.shape)")
    }
    return grad
}

// MARK: - Accessors for checkpoints

// Every parameter in PyTorch's index order (group 0's, then group 1's, ...):
// what a `CheckpointableOptimizer` conformance in another module reports as
// its flat `parameters`, which there shadows the optimizers' own grouped
// `parameters`.
extension SGD {
    /// ``parameters`` flattened, in `state_dict()` index order.
    public var indexedParameters: [Parameter] { parameters.flatMap { $0 } }
}

extension Adam {
    /// ``parameters`` flattened, in `state_dict()` index order.
    public var indexedParameters: [Parameter] { parameters.flatMap { $0 } }
}

extension RMSprop {
    /// ``parameters`` flattened, in `state_dict()` index order.
    public var indexedParameters: [Parameter] { parameters.flatMap { $0 } }
}
