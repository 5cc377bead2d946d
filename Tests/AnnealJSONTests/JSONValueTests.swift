import Testing
import AnnealJSON

@Suite("JSONValue")
struct JSONValueTests {
    @Test("kind names", arguments: [
        (JSONValue.null, "null"), (.bool(true), "boolean"), (.int(1), "integer"), (.double(1), "number"),
        (.string("s"), "string"), (.array([]), "array"), (.object([:]), "object"),
    ] as [(JSONValue, String)])
    func kindNames(value: JSONValue, name: String) {
        #expect(value.kindName == name)
    }

    @Test("accessors return nil for other kinds")
    func accessors() {
        let values: [JSONValue] = [nil, true, 3, 2.5, "s", [1], ["k": 1]]
        #expect(values.map(\.isNull) == [true, false, false, false, false, false, false])
        #expect(values.map(\.boolValue) == [nil, true, nil, nil, nil, nil, nil])
        #expect(values.map(\.intValue) == [nil, nil, 3, nil, nil, nil, nil])
        #expect(values.map(\.doubleValue) == [nil, nil, 3.0, 2.5, nil, nil, nil])
        #expect(values.map(\.stringValue) == [nil, nil, nil, nil, "s", nil, nil])
        #expect(values.map(\.arrayValue) == [nil, nil, nil, nil, nil, [1], nil])
        #expect(values.map(\.objectValue) == [nil, nil, nil, nil, nil, nil, ["k": 1]])
    }

    @Test("an integral double is not an int, and a bool is not a number")
    func noConversions() {
        #expect(JSONValue.double(1.0).intValue == nil)
        #expect(JSONValue.bool(true).intValue == nil)
        #expect(JSONValue.bool(true).doubleValue == nil)
        #expect(JSONValue.int(-7).doubleValue == -7.0)
    }

    @Test("subscripts")
    func subscripts() {
        let value: JSONValue = ["a": [10, 20, ["b": nil]]]
        #expect(value["a"]?[0] == 10)
        #expect(value["a"]?[2]?["b"] == .null)
        #expect(value["a"]?[3] == nil)
        #expect(value["a"]?[-1] == nil)
        #expect(value["missing"] == nil)
        #expect(value[0] == nil)  // not an array
        #expect(value["a"]?["a"] == nil)  // not an object
        #expect(JSONValue.string("abc")[0] == nil)
    }

    @Test("equality: NaN equals NaN, 0.0 equals -0.0, int never equals double")
    func equality() {
        #expect(JSONValue.double(.nan) == .double(.nan))
        #expect(JSONValue.double(.nan) == .double(-.nan))
        #expect(JSONValue.double(0.0) == .double(-0.0))
        #expect(JSONValue.int(1) != .double(1.0))
        #expect(JSONValue.bool(true) != .int(1))
        #expect(JSONValue.null != .string("null"))
        #expect([JSONValue.double(.nan)] as JSONValue == [.double(.nan)])
        let set: Set<JSONValue> = [.double(.nan), .double(-.nan), .double(0.0), .double(-0.0), .int(0), .bool(false), nil]
        #expect(set.count == 5)
    }

    @Test("literals build the matching cases")
    func literals() {
        let value: JSONValue = ["n": nil, "b": false, "i": 1, "d": 1.0, "s": "x", "a": [1, "two"], "o": ["k": [:]]]
        #expect(value == .object(JSONObject([
            ("n", .null), ("b", .bool(false)), ("i", .int(1)), ("d", .double(1.0)), ("s", .string("x")),
            ("a", .array([.int(1), .string("two")])), ("o", .object(JSONObject([("k", .object(JSONObject()))]))),
        ])))
        #expect(value.objectValue?.keys == ["n", "b", "i", "d", "s", "a", "o"])
    }

    @Test("description is the compact JSON text")
    func description() {
        let value: JSONValue = ["a": [1, 2.5, nil]]
        #expect(value.description == #"{"a": [1, 2.5, null]}"#)
        #expect("\(value)" == #"{"a": [1, 2.5, null]}"#)
        #expect(value.objectValue?.description == #"{"a": [1, 2.5, null]}"#)
    }
}
