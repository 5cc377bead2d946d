import Anneal

/// A trace file that is not valid input: unreadable, not JSON, or not of the
/// trace format (a missing key, a value of the wrong type, an unknown
/// scheduler or op). It names the file and the place: a line and column for
/// JSON syntax, a key path such as `script[3].op` for the format.
public struct SpecError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String?
    /// Where in the document, e.g. `scheduler.args.T_max`, or `3:14`.
    public var location: String
    public var message: String

    public init(file: String? = nil, location: String, message: String) {
        self.file = file
        self.location = location
        self.message = message
    }

    public var description: String {
        let place = location.isEmpty ? "" : "\(location): "
        if let file { return "\(file): \(place)\(message)" }
        return "\(place)\(message)"
    }

    /// The same error, attributed to a file.
    public func inFile(_ file: String) -> SpecError {
        var copy = self
        copy.file = file
        return copy
    }

    /// A value the spec leads to that Anneal does not represent (an int past
    /// 64 bits, say): invalid input for Anneal, though PyTorch may run it.
    public init(beyondAnneal error: PythonError, location: String) {
        self.init(location: location, message: "beyond what Anneal represents: \(error.message)")
    }

    /// From a JSON syntax or read error.
    public init(_ error: JSONError) {
        self.init(
            file: error.file, location: error.line > 0 ? "\(error.line):\(error.column)" : "", message: error.message)
    }
}

/// Reads values out of a JSON document while remembering the key path, so
/// every error says where the bad value is.
struct SpecReader {
    let value: JSONValue
    let path: String

    init(_ value: JSONValue, path: String = "") {
        self.value = value
        self.path = path
    }

    func error(_ message: String) -> SpecError { SpecError(location: path.isEmpty ? "(top level)" : path, message: message) }

    func child(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func object() throws(SpecError) -> JSONObject {
        guard case .object(let object) = value else { throw error("expected an object, got \(value.kindName)") }
        return object
    }

    /// The member `key`, or `nil` when absent (or `null` if `nullIsAbsent`).
    func optional(_ key: String, nullIsAbsent: Bool = true) throws(SpecError) -> SpecReader? {
        let object = try object()
        guard let member = object[key] else { return nil }
        if nullIsAbsent && member.isNull { return nil }
        return SpecReader(member, path: child(key))
    }

    func required(_ key: String) throws(SpecError) -> SpecReader {
        let object = try object()
        guard let member = object[key] else {
            throw SpecError(location: path.isEmpty ? "(top level)" : path, message: "missing required key \"\(key)\"")
        }
        return SpecReader(member, path: child(key))
    }

    func array() throws(SpecError) -> [SpecReader] {
        guard case .array(let items) = value else { throw error("expected an array, got \(value.kindName)") }
        return items.enumerated().map { SpecReader($0.element, path: "\(path)[\($0.offset)]") }
    }

    func string() throws(SpecError) -> String {
        guard case .string(let s) = value else { throw error("expected a string, got \(value.kindName)") }
        return s
    }

    func number() throws(SpecError) -> Double {
        guard let d = value.doubleValue else { throw error("expected a number, got \(value.kindName)") }
        return d
    }

    func int() throws(SpecError) -> Int {
        guard let i = value.intValue else { throw error("expected an integer, got \(value.kindName)") }
        return i
    }

    /// A string naming one case of `Name` by its raw value (an optimizer's
    /// `type`, a step's `op`); any other string is an error listing the
    /// cases, in declaration order.
    ///
    /// ```swift
    /// let kind = try reader.required("type").caseName(of: "optimizer", as: OptimizerKind.self)
    /// // "SDG": unknown optimizer "SDG" (expected one of SGD, Adam, AdamW, RMSprop, Adagrad, ...)
    /// ```
    func caseName<Name: RawRepresentable & CaseIterable>(of what: String, as _: Name.Type) throws(SpecError) -> Name
    where Name.RawValue == String {
        let name = try string()
        guard let value = Name(rawValue: name) else {
            throw error(
                "unknown \(what) \"\(name)\" (expected one of \(Name.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        return value
    }

    /// Only the listed keys may appear: a misspelt key is an error, not ignored.
    func allowKeys(_ keys: Set<String>) throws(SpecError) {
        for key in try object().keys where !keys.contains(key) {
            throw error("unknown key \"\(key)\"")
        }
    }
}
