/// A JSON object: string keys mapped to ``JSONValue``s, in insertion order.
///
/// Python's `json` module reads objects into `dict`s, which keep insertion
/// order, and writes them back in that order. `JSONObject` does the same, so
/// a trace read and written again keeps its key order, and a trace built in
/// code is written in the order its keys were set.
///
/// - Setting a new key appends it; setting an existing key replaces its
///   value in place; setting `nil` removes the key.
/// - A key given twice (in ``init(_:)``, a dictionary literal, or a parsed
///   document) keeps its first position and its last value, as in Python.
/// - Two objects are equal when they have the same key set and equal values
///   under each key; order is ignored, and the hash agrees.
///
/// Lookups are linear for small objects (which trace records are) and go
/// through a dictionary index once an object has more than
/// ``indexThreshold`` keys, so no operation is quadratic in the key count.
public struct JSONObject: Sendable {
    /// The keys, in order. Unique.
    @usableFromInline
    internal var _keys: [String]

    /// The values, parallel to `_keys`.
    @usableFromInline
    internal var _values: [JSONValue]

    /// Key → position, present exactly when `_keys.count > indexThreshold`.
    @usableFromInline
    internal var _index: [String: Int]?

    /// The key count above which lookups use a dictionary index instead of a
    /// linear scan. Below it, a scan of a few short keys is faster than
    /// hashing and saves memory.
    public static let indexThreshold = 16

    /// An empty object.
    public init() {
        _keys = []
        _values = []
        _index = nil
    }

    /// An object with `pairs` in order; a repeated key keeps its first
    /// position and its last value (as Python's `dict(pairs)` does).
    public init(_ pairs: [(String, JSONValue)]) {
        self.init()
        _keys.reserveCapacity(pairs.count)
        _values.reserveCapacity(pairs.count)
        for (key, value) in pairs {
            self[key] = value
        }
    }

    /// An object from keys already known to be unique, in order, and their
    /// values (the parser's path: json-c merges duplicate keys itself; and a
    /// record built key by key, without a lookup per key).
    public init(uniqueKeys keys: [String], values: [JSONValue]) {
        precondition(keys.count == values.count)
        assert(Set(keys).count == keys.count, "JSONObject(uniqueKeys:values:) with a repeated key")
        _keys = keys
        _values = values
        _index = nil
        if keys.count > Self.indexThreshold { rebuildIndex() }
    }

    /// The keys, in order.
    @inlinable
    public var keys: [String] { _keys }

    /// The values, in key order.
    @inlinable
    public var values: [JSONValue] { _values }

    /// The number of keys.
    @inlinable
    public var count: Int { _keys.count }

    /// Whether the object has no keys.
    @inlinable
    public var isEmpty: Bool { _keys.isEmpty }

    /// The position of `key` in ``keys``, or `nil`.
    @inlinable
    public func position(of key: String) -> Int? {
        if let index = _index { return index[key] }
        return _keys.firstIndex(of: key)
    }

    /// The value stored under `key`, or `nil` when the key is absent.
    ///
    /// Setting a value for a new key appends the key; setting one for an
    /// existing key replaces the value in place; setting `nil` removes the
    /// key (and keeps the order of the others).
    public subscript(key: String) -> JSONValue? {
        get {
            guard let i = position(of: key) else { return nil }
            return _values[i]
        }
        set {
            if let newValue {
                if let i = position(of: key) {
                    _values[i] = newValue
                } else {
                    _keys.append(key)
                    _values.append(newValue)
                    if _index != nil {
                        _index![key] = _keys.count - 1
                    } else if _keys.count > Self.indexThreshold {
                        rebuildIndex()
                    }
                }
            } else {
                removeValue(forKey: key)
            }
        }
    }

    /// Removes `key` and returns its value, or returns `nil` when the key is
    /// absent. Linear in the key count.
    @discardableResult
    public mutating func removeValue(forKey key: String) -> JSONValue? {
        guard let i = position(of: key) else { return nil }
        _keys.remove(at: i)
        let old = _values.remove(at: i)
        if _keys.count > Self.indexThreshold {
            rebuildIndex()
        } else {
            _index = nil
        }
        return old
    }

    private mutating func rebuildIndex() {
        var index = [String: Int](minimumCapacity: _keys.count)
        for (i, key) in _keys.enumerated() {
            index[key] = i
        }
        _index = index
    }
}

extension JSONObject: Sequence {
    /// A key and its value.
    public typealias Element = (key: String, value: JSONValue)

    /// Iterates over the key-value pairs in key order.
    public struct Iterator: IteratorProtocol {
        @usableFromInline internal let object: JSONObject
        @usableFromInline internal var position = 0

        @inlinable
        internal init(object: JSONObject) { self.object = object }

        /// The next key-value pair, or `nil` at the end.
        @inlinable
        public mutating func next() -> Element? {
            guard position < object._keys.count else { return nil }
            defer { position += 1 }
            return (object._keys[position], object._values[position])
        }
    }

    /// An iterator over the key-value pairs in key order.
    @inlinable
    public func makeIterator() -> Iterator { Iterator(object: self) }

    /// The number of pairs (exactly ``count``).
    @inlinable
    public var underestimatedCount: Int { _keys.count }
}

extension JSONObject: Hashable {
    /// Whether both objects have the same key set and equal values under each
    /// key; key order is ignored.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.count == rhs.count else { return false }
        // Fast path: same order (the common case for a file read twice).
        if lhs._keys == rhs._keys { return lhs._values == rhs._values }
        for (i, key) in lhs._keys.enumerated() {
            guard let value = rhs[key], value == lhs._values[i] else { return false }
        }
        return true
    }

    /// Hashes the key set and values without regard to order, consistently
    /// with ``==(_:_:)``.
    public func hash(into hasher: inout Hasher) {
        var combined = 0
        for (key, value) in self {
            var h = Hasher()
            h.combine(key)
            h.combine(value)
            combined = combined &+ h.finalize()
        }
        hasher.combine(count)
        hasher.combine(combined)
    }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    /// An object with the literal's pairs in the order written; a repeated
    /// key keeps its first position and its last value.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(elements)
    }
}

extension JSONObject: CustomStringConvertible {
    /// The compact JSON text of the object.
    public var description: String { JSONValue.object(self).serialized() }
}
