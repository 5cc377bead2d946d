/// A scheduler constructor's keyword arguments, read with Python's calling
/// conventions: an unknown or missing argument raises PyTorch's `TypeError`,
/// a value of the wrong type the `TypeError` of its conversion, and an
/// argument Anneal cannot represent ``PythonError/beyondAnneal(_:)``.
///
/// A ``RegisteredScheduler`` reads its arguments with it:
///
/// ```swift
/// static func make(_ args: inout KeywordArguments, context: SchedulerContext) throws -> Self {
///     try args.allow(["warmup", "last_epoch"])
///     return try Self(optimizer: context.optimizer, warmup: try args.count("warmup", 5), lastEpoch: try args.epoch())
/// }
/// ```
public struct KeywordArguments: Sendable {
    /// The Python class name, for messages (`StepLR.__init__() ...`).
    public let type: String
    /// The arguments by keyword.
    public var values: JSONObject

    public init(type: String, values: JSONObject) {
        self.type = type
        self.values = values
    }

    /// An argument that is not a Python value at all (an `lr_lambda`
    /// expression that does not parse): the trace format's invalid input
    /// at `args.<name>`, not a PyTorch exception.
    public struct InvalidArgument: Error, Sendable {
        /// The keyword, e.g. `"lr_lambda"`.
        public var name: String
        /// What is wrong with its value.
        public var message: String
    }

    /// Replaces (or adds) one argument: `rebuild` passes `last_epoch`.
    public mutating func override(_ key: String, with value: JSONValue) { values[key] = value }

    /// `TypeError` for a keyword the constructor does not take.
    public func allow(_ names: Set<String>) throws {
        for key in values.keys where !names.contains(key) {
            throw PythonError.typeError("\(type).__init__() got an unexpected keyword argument '\(key)'")
        }
    }

    public func rawOptional(_ name: String) -> JSONValue? { values[name] }

    public func raw(_ name: String) throws -> JSONValue {
        guard let value = values[name] else {
            throw PythonError.typeError("\(type).__init__() missing 1 required positional argument: '\(name)'")
        }
        return value
    }

    private func typeError(_ name: String, _ expected: String, _ value: JSONValue) -> PythonError {
        .typeError("\(type) argument '\(name)' must be \(expected), got \(value.pythonTypeName) \(value.pythonDescription)")
    }

    public func float(_ name: String, _ fallback: Double? = nil) throws -> Double {
        guard let value = values[name] else {
            if let fallback { return fallback }
            _ = try raw(name)
            return 0
        }
        if case .bool(let b) = value { return b ? 1 : 0 }
        guard let number = value.doubleValue else { throw typeError(name, "a number", value) }
        return number
    }

    public func optionalFloat(_ name: String) throws -> Double? {
        guard let value = values[name], !value.isNull else { return nil }
        return try float(name)
    }

    /// An argument Anneal holds as an `Int`; integral floats are accepted.
    public func integer(_ name: String, _ fallback: Int? = nil) throws -> Int {
        guard let value = values[name] else {
            if let fallback { return fallback }
            _ = try raw(name)
            return 0
        }
        return try Self.integer(value, name: name, type: type)
    }

    public static func integer(_ value: JSONValue, name: String, type: String) throws -> Int {
        switch value {
        case .int(let i): return i
        case .bool(let b): return b ? 1 : 0
        case .double(let d) where d == d.rounded() && abs(d) < 1e15: return Int(d)
        case .double:
            throw PythonError.beyondAnneal(
                "\(type) argument '\(name)' = \(value.pythonDescription): Anneal supports only whole numbers below 10**15 here")
        default:
            throw PythonError.typeError("\(type) argument '\(name)' must be an integer, got \(value.pythonTypeName)")
        }
    }

    /// An epoch index or count, which PyTorch takes as an `int` or a `float`.
    public func count(_ name: String, _ fallback: Epoch? = nil) throws -> Epoch {
        guard let value = values[name] else {
            if let fallback { return fallback }
            _ = try raw(name)
            return 0
        }
        guard let epoch = Epoch(json: value) else { throw typeError(name, "a number", value) }
        return epoch
    }

    public func counts(_ name: String) throws -> [Epoch] {
        let value = try raw(name)
        guard case .array(let items) = value else { throw typeError(name, "a list of numbers", value) }
        return try items.map { item in
            guard let epoch = Epoch(json: item) else { throw typeError(name, "a list of numbers", value) }
            return epoch
        }
    }

    public func integers(_ name: String) throws -> [Int] {
        let value = try raw(name)
        guard case .array(let items) = value else { throw typeError(name, "a list of integers", value) }
        return try items.map { try Self.integer($0, name: name, type: type) }
    }

    public func string(_ name: String, _ fallback: String) throws -> String {
        guard let value = values[name] else { return fallback }
        guard let s = value.stringValue else { throw typeError(name, "a string", value) }
        return s
    }

    /// Python truthiness, as `if cycle_momentum:` reads it.
    public func bool(_ name: String, _ fallback: Bool) throws -> Bool {
        guard let value = values[name] else { return fallback }
        switch value {
        case .bool(let b): return b
        case .int(let i): return i != 0
        case .double(let d): return d != 0
        case .null: return false
        default: throw typeError(name, "a boolean", value)
        }
    }

    public func epoch() throws -> Epoch {
        guard let value = values["last_epoch"] else { return -1 }
        guard let epoch = Epoch(json: value) else { throw typeError("last_epoch", "a number", value) }
        return epoch
    }

    /// A number, or a list with one per group.
    public func groupValues(_ name: String, _ fallback: GroupValues? = nil) throws -> GroupValues {
        guard let value = values[name] else {
            if let fallback { return fallback }
            _ = try raw(name)
            return .all(0)
        }
        if case .array(let items) = value {
            return .each(try items.map { item in
                guard let number = item.doubleValue else { throw typeError(name, "a list of numbers", value) }
                return number
            })
        }
        if case .bool(let b) = value { return .integer(b ? 1 : 0) }
        if case .int(let i) = value { return .integer(i) }
        guard let number = value.doubleValue else { throw typeError(name, "a number or a list of numbers", value) }
        return .all(number)
    }

    /// `lr_lambda`: an expression, or a list with one per group.
    public func functions(_ name: String, groupCount: Int) throws -> [ScheduleFunction] {
        let value = try raw(name)
        if case .array(let items) = value {
            return try items.map { try Self.function($0, name: name, type: type) }
        }
        return Array(repeating: try Self.function(value, name: name, type: type), count: groupCount)
    }

    public func optionalFunction(_ name: String) throws -> ScheduleFunction? {
        guard let value = values[name], !value.isNull else { return nil }
        return try Self.function(value, name: name, type: type)
    }

    public static func function(_ value: JSONValue, name: String, type: String) throws -> ScheduleFunction {
        guard case .string(let source) = value else {
            throw PythonError.typeError("\(name) should be a function, but got \(value.pythonTypeName)")
        }
        do {
            return ScheduleFunction(try Expression(source))
        } catch {
            throw InvalidArgument(name: name, message: error.description)
        }
    }
}
