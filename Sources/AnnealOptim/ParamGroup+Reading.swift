import Anneal

// A group's hyperparameters as a step reads them, for the optimizers' typed
// `Options`.

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
