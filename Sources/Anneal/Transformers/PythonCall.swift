/// A Python function's keyword binding, for the transformers functions
/// `get_scheduler` calls as `f(optimizer, name=value, ..., **kwargs)`: the
/// `TypeError`s CPython raises for a keyword given twice, an unexpected
/// keyword, or a missing required argument, in CPython's order.
struct PythonCall {
    /// The function's name as CPython's messages print it (its `__qualname__`).
    let function: String
    /// The parameters after `optimizer`, in order; `required` ones have no default.
    let parameters: [(name: String, required: Bool)]

    init(_ function: String, _ parameters: [(String, Bool)]) {
        self.function = function
        self.parameters = parameters.map { (name: $0.0, required: $0.1) }
    }

    /// Binds `explicit` keywords (what `get_scheduler` passes by name) and
    /// `**kwargs`: the bound arguments, without defaults.
    ///
    /// `f(optimizer, num_warmup_steps=10, **{"num_warmup_steps": 5})`
    /// raises `TypeError: f() got multiple values for keyword argument 'num_warmup_steps'`.
    func bind(explicit: [(String, JSONValue)], kwargs: JSONObject) throws(PythonError) -> JSONObject {
        var bound = JSONObject()
        for (name, value) in explicit { bound[name] = value }
        // Merging `**kwargs` into the call's keywords (CALL_FUNCTION_EX).
        for (name, value) in kwargs {
            if bound[name] != nil {
                throw .typeError(
                    "transformers.optimization.\(function)() got multiple values for keyword argument '\(name)'")
            }
            bound[name] = value
        }
        // Binding: `optimizer` is positional; every keyword must be a parameter.
        for (name, _) in bound {
            if name == "optimizer" {
                throw .typeError("\(function)() got multiple values for argument 'optimizer'")
            }
            if !parameters.contains(where: { $0.name == name }) {
                throw .typeError("\(function)() got an unexpected keyword argument '\(name)'")
            }
        }
        let missing = parameters.filter { $0.required && bound[$0.name] == nil }.map { "'\($0.name)'" }
        if !missing.isEmpty {
            let list =
                missing.count == 1
                ? missing[0] : missing.dropLast().joined(separator: ", ") + " and " + missing[missing.count - 1]
            throw .typeError(
                "\(function)() missing \(missing.count) required positional argument\(missing.count == 1 ? "" : "s"): \(list)")
        }
        return bound
    }
}
