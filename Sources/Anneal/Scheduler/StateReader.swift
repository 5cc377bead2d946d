/// Reads a scheduler's state dict with validation: every failure names the
/// scheduler, the key and the problem, so a wrong or damaged state is
/// rejected with a clear message instead of half-loading (PyTorch's
/// `__dict__.update` accepts anything).
public struct StateReader {
    public let object: JSONObject
    public let scheduler: String

    public init(_ state: JSONValue, scheduler: String) throws(PythonError) {
        guard case .object(let object) = state else {
            throw .typeError("\(scheduler) state_dict must be an object, got \(state.kindName)")
        }
        self.object = object
        self.scheduler = scheduler
    }

    /// Requires every key of `required`, allows `optional`, rejects the rest
    /// (a state with another scheduler's keys is another scheduler's state).
    public func expectOnly(_ required: [String], optional: [String] = []) throws(PythonError) {
        for key in required where object[key] == nil {
            throw .keyError("\(scheduler) state_dict is missing the key '\(key)'")
        }
        for key in object.keys where !required.contains(key) && !optional.contains(key) {
            throw .keyError(
                "\(scheduler) state_dict has the unexpected key '\(key)'; is it the state of another scheduler?")
        }
    }

    public func value(_ key: String) throws(PythonError) -> JSONValue {
        guard let value = object[key] else {
            throw .keyError("\(scheduler) state_dict is missing the key '\(key)'")
        }
        return value
    }

    private func wrongType(_ key: String, _ expected: String, _ value: JSONValue) -> PythonError {
        .typeError("\(scheduler) state_dict key '\(key)' must be \(expected), got \(value.kindName)")
    }

    public func double(_ key: String) throws(PythonError) -> Double {
        let value = try value(key)
        if case .bool(let b) = value { return b ? 1 : 0 }
        guard let number = value.doubleValue else { throw wrongType(key, "a number", value) }
        return number
    }

    public func optionalDouble(_ key: String) throws(PythonError) -> Double? {
        guard let value = object[key], !value.isNull else { return nil }
        return try double(key)
    }

    public func int(_ key: String) throws(PythonError) -> Int {
        let value = try value(key)
        if case .bool(let b) = value { return b ? 1 : 0 }
        if let i = value.intValue { return i }
        if let d = value.doubleValue, d == d.rounded(), Swift.abs(d) < 9.0e15 { return Int(d) }
        throw wrongType(key, "an integer", value)
    }

    public func optionalInt(_ key: String) throws(PythonError) -> Int? {
        guard object[key] != nil else { return nil }
        return try int(key)
    }

    public func epoch(_ key: String) throws(PythonError) -> Epoch {
        let value = try value(key)
        guard let epoch = Epoch(json: value) else { throw wrongType(key, "a number", value) }
        return epoch
    }

    public func bool(_ key: String) throws(PythonError) -> Bool {
        let value = try value(key)
        guard let b = value.boolValue else { throw wrongType(key, "a boolean", value) }
        return b
    }

    public func optionalBool(_ key: String) throws(PythonError) -> Bool? {
        guard object[key] != nil else { return nil }
        return try bool(key)
    }

    public func string(_ key: String) throws(PythonError) -> String {
        let value = try value(key)
        guard let s = value.stringValue else { throw wrongType(key, "a string", value) }
        return s
    }

    public func doubles(_ key: String) throws(PythonError) -> [Double] {
        let value = try value(key)
        guard case .array(let items) = value else { throw wrongType(key, "a list of numbers", value) }
        var result: [Double] = []
        result.reserveCapacity(items.count)
        for item in items {
            guard let number = item.doubleValue else { throw wrongType(key, "a list of numbers", value) }
            result.append(number)
        }
        return result
    }

    public func array(_ key: String) throws(PythonError) -> [JSONValue] {
        let value = try value(key)
        guard case .array(let items) = value else { throw wrongType(key, "a list", value) }
        return items
    }

    /// Requires `count` entries, one per param group.
    public func doubles(_ key: String, count: Int) throws(PythonError) -> [Double] {
        let values = try doubles(key)
        guard values.count == count else {
            throw .valueError("\(scheduler) state_dict key '\(key)' has \(values.count) values for \(count) param groups")
        }
        return values
    }
}
