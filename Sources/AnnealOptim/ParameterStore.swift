import Anneal
import AnnealTensor

/// The parameters of an optimizer, by group, and their state: the tensor
/// half of `torch.optim.Optimizer` (`param_groups[i]["params"]` and
/// `state`), kept beside `Anneal.Optimizer`'s hyperparameters.
@usableFromInline
struct ParameterStore<State: TensorOptimizerState> {
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

    /// Sets the state of `parameter` (a lazily made one, or Adagrad's eager one).
    mutating func setState(_ state: State, for parameter: Parameter) {
        states[ObjectIdentifier(parameter)] = state
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
            object[key] = .object(TensorJSON.stateDict(of: state, shape: parameter.value.shape))
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
