import AnnealSpec
import AnnealJSON

/// What the comparison reads of a value, so that it can walk a golden as
/// json-c parsed it (``JSONCNode``) against a candidate record built in
/// Swift (``JSONValue``) without converting either into the other's tree.
///
/// The requirements are ``JSONCNode``'s own accessors, so the golden's
/// type conforms as it is; ``JSONValue`` supplies the same names below.
/// Accessors other than `kind` are only called for the matching kind.
protocol ComparisonNode {
    var kind: JSONCNode.Kind { get }
    var int: Int { get }
    var double: Double { get }
    var bool: Bool { get }
    var string: String { get }
    var arrayCount: Int { get }
    func element(_ index: Int) -> Self
    func member(_ key: String) -> Self?
    func forEachMember(_ body: (String, Self) throws -> Void) rethrows
    /// A ``JSONValue`` copy, for a divergence's `expected` and `got`.
    var jsonValue: JSONValue { get }
}

extension ComparisonNode {
    /// The kind as ``JSONValue/kindName`` names it.
    var nodeKindName: String { kind.name }
}

extension JSONCNode: ComparisonNode {}

/// ``JSONCNode``'s accessors for a Swift-built value: the payload of the
/// matching kind (a zero value, never read, for any other).
extension JSONValue: ComparisonNode {
    var int: Int { intValue ?? 0 }
    var double: Double { if case .double(let d) = self { return d } else { return 0 } }
    var bool: Bool { boolValue ?? false }
    var string: String { stringValue ?? "" }
    var arrayCount: Int { arrayValue?.count ?? 0 }
    func element(_ index: Int) -> JSONValue {
        if case .array(let elements) = self { return elements[index] }
        return .null
    }
    func member(_ key: String) -> JSONValue? { self[key] }
    func forEachMember(_ body: (String, JSONValue) throws -> Void) rethrows {
        guard case .object(let object) = self else { return }
        for (key, member) in object { try body(key, member) }
    }
    var jsonValue: JSONValue { self }
}
