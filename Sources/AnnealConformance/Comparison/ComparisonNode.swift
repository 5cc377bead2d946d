import AnnealSpec
import AnnealJSON

/// What the comparison reads of a value, so that it can walk a golden as
/// json-c parsed it (``JSONCNode``) against a candidate record built in
/// Swift (``JSONValue``) without converting either into the other's tree.
/// Accessors other than ``nodeKind`` are only called for the matching kind.
protocol ComparisonNode {
    var nodeKind: JSONCNode.Kind { get }
    var intNumber: Int { get }
    var doubleNumber: Double { get }
    var boolean: Bool { get }
    var text: String { get }
    var elementCount: Int { get }
    func elementAt(_ index: Int) -> Self
    func memberNamed(_ key: String) -> Self?
    func forEachMemberInOrder(_ body: (String, Self) -> Void)
    /// A ``JSONValue`` copy, for a divergence's `expected` and `got`.
    var value: JSONValue { get }
}

extension ComparisonNode {
    /// The kind as ``JSONValue/kindName`` names it.
    var nodeKindName: String { nodeKind.name }
}

extension JSONValue: ComparisonNode {
    var nodeKind: JSONCNode.Kind { kind }
    var intNumber: Int { intValue ?? 0 }
    var doubleNumber: Double { if case .double(let d) = self { return d } else { return 0 } }
    var boolean: Bool { boolValue ?? false }
    var text: String { stringValue ?? "" }
    var elementCount: Int { arrayValue?.count ?? 0 }
    func elementAt(_ index: Int) -> JSONValue {
        if case .array(let elements) = self { return elements[index] }
        return .null
    }
    func memberNamed(_ key: String) -> JSONValue? { self[key] }
    func forEachMemberInOrder(_ body: (String, JSONValue) -> Void) {
        guard case .object(let object) = self else { return }
        for (key, member) in object { body(key, member) }
    }
    var value: JSONValue { self }
}

extension JSONCNode: ComparisonNode {
    var nodeKind: JSONCNode.Kind { kind }
    var intNumber: Int { int }
    var doubleNumber: Double { double }
    var boolean: Bool { bool }
    var text: String { string }
    var elementCount: Int { arrayCount }
    func elementAt(_ index: Int) -> JSONCNode { element(index) }
    func memberNamed(_ key: String) -> JSONCNode? { member(key) }
    func forEachMemberInOrder(_ body: (String, JSONCNode) -> Void) { forEachMember(body) }
    var value: JSONValue { jsonValue }
}
