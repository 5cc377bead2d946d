import CJSONC

/// A value parsed by json-c and kept as json-c's tree, for readers that look
/// at a value once (compare it, take a few numbers) and would only throw a
/// ``JSONValue`` copy away.
///
/// The document owns the tree; its ``root`` and every ``JSONCNode`` taken
/// from it are valid while the document is alive. Nodes read exactly as
/// ``JSONValue`` would after ``JSONValue/parse(bytes:file:)`` (the same
/// int/float split, the same strings), and ``JSONCNode/jsonValue`` converts.
public final class JSONCDocument {
    @usableFromInline let pointer: OpaquePointer?

    init(owning pointer: OpaquePointer?) { self.pointer = pointer }

    deinit { if let pointer { json_object_put(pointer) } }

    /// Parses UTF-8 `bytes` as ``JSONValue/parse(bytes:file:)`` does.
    public convenience init(parsing bytes: UnsafeBufferPointer<UInt8>, file: String? = nil) throws(JSONError) {
        let root = try JSONValue.parseJSONC(
            bytes, file: file, tokener: JSONCTokener(maximumDepth: JSONValue.maximumDepth))
        self.init(owning: root)
    }

    /// The parsed value.
    @inlinable
    public var root: JSONCNode { JSONCNode(pointer) }
}

/// A value inside a ``JSONCDocument`` (valid while the document is alive).
public struct JSONCNode {
    /// The json-c object; NULL is JSON null.
    @usableFromInline let pointer: OpaquePointer?

    @inlinable init(_ pointer: OpaquePointer?) { self.pointer = pointer }

    /// What kind of value this is, as ``JSONValue``'s cases name them.
    public enum Kind: Sendable {
        case null, bool, int, double, string, array, object

        /// The kind as the trace format's error messages name it: `"null"`,
        /// `"boolean"`, `"integer"`, `"number"` (a double), `"string"`,
        /// `"array"` or `"object"`.
        public var name: String {
            switch self {
            case .null: return "null"
            case .bool: return "boolean"
            case .int: return "integer"
            case .double: return "number"
            case .string: return "string"
            case .array: return "array"
            case .object: return "object"
            }
        }
    }

    /// The kind of value.
    @inlinable
    public var kind: Kind {
        guard let pointer else { return .null }
        let type = json_object_get_type(pointer)
        if type == json_type_double { return .double }
        if type == json_type_int { return .int }
        if type == json_type_array { return .array }
        if type == json_type_object { return .object }
        if type == json_type_string { return .string }
        if type == json_type_boolean { return .bool }
        return .null
    }

    /// The integer of an `int` (a number written without `.`, `e`, `E`).
    @inlinable
    public var int: Int { Int(json_object_get_int64(pointer)) }

    /// The number of a `double`.
    @inlinable
    public var double: Double { json_object_get_double(pointer) }

    /// The boolean of a `bool`.
    @inlinable
    public var bool: Bool { json_object_get_boolean(pointer) != 0 }

    /// The string of a `string` (invalid UTF-8 repaired as ``JSONValue`` does).
    public var string: String {
        let length = Int(json_object_get_string_len(pointer))
        guard let characters = json_object_get_string(pointer) else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: characters, count: length), as: UTF8.self)
    }

    /// The element count of an `array`.
    @inlinable
    public var arrayCount: Int { json_object_array_length(pointer) }

    /// The element at `index` of an `array` (`0 ..< arrayCount`).
    @inlinable
    public func element(_ index: Int) -> JSONCNode { JSONCNode(json_object_array_get_idx(pointer, index)) }

    /// The member count of an `object`.
    @inlinable
    public var memberCount: Int { Int(json_object_object_length(pointer)) }

    /// The member `key` of an `object`, or `nil` when absent (a member
    /// holding null is a node of kind `null`).
    public func member(_ key: String) -> JSONCNode? {
        var value: OpaquePointer?
        let found = key.withCString { json_object_object_get_ex(pointer, $0, &value) }
        return found != 0 ? JSONCNode(value) : nil
    }

    /// Calls `body` with each member of an `object`, in order.
    public func forEachMember(_ body: (String, JSONCNode) throws -> Void) rethrows {
        var entry = lh_table_head(json_object_get_object(pointer))
        while let current = entry {
            let key = lh_entry_k(current)!.assumingMemoryBound(to: CChar.self)
            try body(String(cString: key), JSONCNode(lh_entry_v(current).map(OpaquePointer.init)))
            entry = lh_entry_next(current)
        }
    }

    /// The value as a ``JSONValue`` (a copy).
    public var jsonValue: JSONValue { JSONValue.convert(pointer) }
}
