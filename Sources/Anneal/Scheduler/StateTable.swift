/// A scheduler's state keys bound to the scheduler: what `state_dict()`
/// writes and what `load_state_dict()` accepts, from one list of
/// ``StateKey``s.
///
/// Loading is all or nothing. A state must have every required key and no
/// key the table does not know (a state with another scheduler's keys is
/// another scheduler's state); then every value is validated, in the
/// table's order, and only when all are valid is anything restored.
///
/// ```swift
/// let table = StateTable(scheduler, [.double("gamma", \.gamma)])
/// table.encode()              // ["gamma": 0.1]
/// try table.load(from: reader)
/// ```
public struct StateTable {
    @usableFromInline
    struct Entry {
        let name: String
        let isTrailing: Bool
        let isWritten: Bool
        let rule: LoadRule
        let encode: () -> JSONValue
        let decode: (StateReader) throws(PythonError) -> (() -> Void)?
    }

    @usableFromInline
    enum LoadRule { case required, optional, forbidden }

    @usableFromInline var entries: [Entry]

    /// A table with no keys.
    public init() { entries = [] }

    /// `keys`, in PyTorch's `__dict__` order, bound to `owner`.
    public init<Owner: AnyObject>(_ owner: Owner, _ keys: [StateKey<Owner>]) {
        entries = keys.map { key in
            let isWritten: Bool
            let rule: LoadRule
            switch key.presence {
            case .always: (isWritten, rule) = (true, .required)
            case .when(let flag): (isWritten, rule) = owner[keyPath: flag] ? (true, .required) : (false, .forbidden)
            case .optional(let flag): (isWritten, rule) = (owner[keyPath: flag], .optional)
            }
            let decode = key.decode
            let encode = key.encode
            return Entry(
                name: key.name, isTrailing: key.placement == .trailing, isWritten: isWritten, rule: rule,
                encode: { encode(owner) },
                decode: { (reader) throws(PythonError) in
                    guard let restore = try decode(reader, owner) else { return nil }
                    return { restore(owner) }
                })
        }
    }

    /// The keys of both tables, `self`'s first.
    public static func + (lhs: StateTable, rhs: StateTable) -> StateTable {
        var table = lhs
        table.entries += rhs.entries
        return table
    }

    /// The keys placed before the base keys (all but ``StateKey/afterBaseKeys()``).
    var leading: StateTable { filtered { !$0.isTrailing } }
    /// The keys placed with ``StateKey/afterBaseKeys()``.
    var trailing: StateTable { filtered { $0.isTrailing } }

    private func filtered(_ include: (Entry) -> Bool) -> StateTable {
        var table = StateTable()
        table.entries = entries.filter(include)
        return table
    }

    /// The names of the keys, in order.
    public var names: [String] { entries.map(\.name) }

    /// The state dict: each present key with its value, in order.
    public func encode() -> JSONObject {
        var object = JSONObject()
        for entry in entries where entry.isWritten { object[entry.name] = entry.encode() }
        return object
    }

    /// Validates the state `reader` holds against every key, then restores
    /// them all; on any error nothing has changed.
    public func load(from reader: StateReader) throws(PythonError) {
        try reader.expectOnly(
            entries.filter { $0.rule == .required }.map(\.name),
            optional: entries.filter { $0.rule == .optional }.map(\.name))
        var restores: [() -> Void] = []
        for entry in entries where entry.rule != .forbidden {
            if entry.rule == .optional && reader.object[entry.name] == nil { continue }
            if let restore = try entry.decode(reader) { restores.append(restore) }
        }
        for restore in restores { restore() }
    }
}
