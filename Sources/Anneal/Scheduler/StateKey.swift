/// One key of a scheduler's `state_dict()`: its PyTorch name, the stored
/// property it holds, and how that value is written to JSON and validated
/// when a state is loaded.
///
/// A scheduler states each of its keys once, in a ``StateTable``; the state
/// dict, the list of keys a loaded state must have and may have, and the
/// validation of every value all come from that one table.
///
/// ```swift
/// override var ownState: StateTable {
///     StateTable(self, [.double("gamma", \.gamma), .epoch("step_size", \.stepSize)])
/// }
/// ```
///
/// The factories cover the kinds PyTorch's schedulers store (numbers, epochs,
/// Python ints, flags, strings, one value per param group); ``custom(_:encode:decode:restore:)``
/// takes any other shape. The modifiers ``afterBaseKeys()``, ``when(_:)`` and
/// ``optional(writtenWhen:)`` place a key and say when it is present.
public struct StateKey<Owner: AnyObject> {
    /// The key's name in PyTorch's `__dict__`, e.g. `"total_iters"`.
    public let name: String
    /// Where the key stands relative to `LRScheduler`'s own keys.
    @usableFromInline var placement = Placement.leading
    /// When the key is in the state dict.
    @usableFromInline var presence = Presence.always
    /// The key's value in the state dict.
    @usableFromInline let encode: (Owner) -> JSONValue
    /// Validates a saved value and returns what restores it (`nil`: nothing
    /// to restore). It must not change the owner: a load changes nothing
    /// until every key has been validated.
    @usableFromInline let decode: (StateReader, Owner) throws(PythonError) -> ((Owner) -> Void)?

    @usableFromInline
    enum Placement { case leading, trailing }

    @usableFromInline
    enum Presence {
        /// Always written, required on load.
        case always
        /// Written, and required on load, exactly when the flag is set; a
        /// saved state that has it while the flag is clear is another
        /// configuration's state and is rejected.
        case when(KeyPath<Owner, Bool>)
        /// Written when the flag is set; on load it may be absent.
        case optional(writtenWhen: KeyPath<Owner, Bool>)
    }

    /// A key of any shape: `encode` writes the value, `decode` validates a
    /// saved value (throwing Python's `TypeError`/`ValueError`) and
    /// `restore` stores what `decode` returned.
    public static func custom<Value>(
        _ name: String, encode: @escaping (Owner) -> JSONValue,
        decode: @escaping (StateReader, Owner) throws(PythonError) -> Value,
        restore: @escaping (Owner, Value) -> Void
    ) -> StateKey {
        StateKey(name: name, encode: encode) { (reader, owner) throws(PythonError) in
            let value = try decode(reader, owner)
            return { restore($0, value) }
        }
    }

    /// A key whose saved value is checked but not restored (the owner
    /// derives it, or it must hold a fixed value such as `null`).
    public static func checked(
        _ name: String, encode: @escaping (Owner) -> JSONValue,
        check: @escaping (StateReader, Owner) throws(PythonError) -> Void
    ) -> StateKey {
        StateKey(name: name, encode: encode) { (reader, owner) throws(PythonError) in
            try check(reader, owner)
            return nil
        }
    }

    /// A key stored through `property` and read back with `read`, which
    /// validates the saved value's kind; `check` adds a rule on the value.
    static func stored<Value>(
        _ name: String, _ property: ReferenceWritableKeyPath<Owner, Value>, json: @escaping (Value) -> JSONValue,
        read: @escaping (StateReader, String) throws(PythonError) -> Value,
        check: ((Value) throws(PythonError) -> Void)? = nil
    ) -> StateKey {
        custom(
            name, encode: { json($0[keyPath: property]) },
            decode: { (reader, _) throws(PythonError) in
                let value = try read(reader, name)
                try check?(value)
                return value
            },
            restore: { $0[keyPath: property] = $1 })
    }

    /// A Python `float` (a saved `bool` counts as 0 or 1, as in Python).
    public static func double(_ name: String, _ property: ReferenceWritableKeyPath<Owner, Double>) -> StateKey {
        stored(name, property, json: JSONValue.double, read: { (reader, name) throws(PythonError) in try reader.double(name) })
    }

    /// A Python `int` that Anneal holds as `Int`.
    public static func int(_ name: String, _ property: ReferenceWritableKeyPath<Owner, Int>) -> StateKey {
        stored(name, property, json: JSONValue.int, read: { (reader, name) throws(PythonError) in try reader.int(name) })
    }

    /// An epoch or a count given like one: a Python `int` or `float`.
    public static func epoch(_ name: String, _ property: ReferenceWritableKeyPath<Owner, Epoch>) -> StateKey {
        stored(name, property, json: \.json, read: { (reader, name) throws(PythonError) in try reader.epoch(name) })
    }

    /// A Python `bool`.
    public static func bool(_ name: String, _ property: ReferenceWritableKeyPath<Owner, Bool>) -> StateKey {
        stored(name, property, json: JSONValue.bool, read: { (reader, name) throws(PythonError) in try reader.bool(name) })
    }

    /// A Python `str`; `check` rejects values the scheduler cannot use
    /// (an unknown mode) with the scheduler's own message.
    public static func string(
        _ name: String, _ property: ReferenceWritableKeyPath<Owner, String>,
        check: ((String) throws(PythonError) -> Void)? = nil
    ) -> StateKey {
        stored(
            name, property, json: JSONValue.string,
            read: { (reader, name) throws(PythonError) in try reader.string(name) }, check: check)
    }

    /// A list of Python `float`s of any length.
    public static func doubles(_ name: String, _ property: ReferenceWritableKeyPath<Owner, [Double]>) -> StateKey {
        stored(
            name, property, json: { .array($0.map(JSONValue.double)) },
            read: { (reader, name) throws(PythonError) in try reader.doubles(name) })
    }

    /// A flag that a state must share with the scheduler it is loaded into
    /// (it decides which other keys exist, e.g. `cycle_momentum`).
    public static func matching(_ name: String, _ property: KeyPath<Owner, Bool>) -> StateKey {
        checked(name, encode: { .bool($0[keyPath: property]) }) { (reader, owner) throws(PythonError) in
            let saved = try reader.bool(name)
            let current = owner[keyPath: property]
            guard saved == current else {
                throw .valueError("\(reader.scheduler) state_dict has \(name)=\(saved), this scheduler \(current)")
            }
        }
    }

    /// Places the key after `LRScheduler`'s keys (`base_lrs` ... `_last_lr`),
    /// as PyTorch's `__dict__` has the attributes a subclass sets after
    /// `super().__init__()`.
    public func afterBaseKeys() -> StateKey {
        var key = self
        key.placement = .trailing
        return key
    }

    /// Present, and required on load, only while `flag` is set (CyclicLR's
    /// momentum keys exist only with `cycle_momentum`).
    public func when(_ flag: KeyPath<Owner, Bool>) -> StateKey {
        var key = self
        key.presence = .when(flag)
        return key
    }

    /// Written while `flag` is set; a loaded state may lack it, and when it
    /// has it, the value is validated and restored.
    public func optional(writtenWhen flag: KeyPath<Owner, Bool>) -> StateKey {
        var key = self
        key.presence = .optional(writtenWhen: flag)
        return key
    }
}

extension StateKey where Owner: Scheduler {
    /// One Python `float` per param group.
    public static func perGroup(_ name: String, _ property: ReferenceWritableKeyPath<Owner, [Double]>) -> StateKey {
        custom(
            name, encode: { .array($0[keyPath: property].map(JSONValue.double)) },
            decode: { (reader, owner) throws(PythonError) in
                try reader.doubles(name, count: owner.optimizer.paramGroups.count)
            },
            restore: { $0[keyPath: property] = $1 })
    }
}
