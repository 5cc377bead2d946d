import Testing
import AnnealJSON

@Suite("JSONObject")
struct JSONObjectTests {
    @Test("insertion order, replacement in place, removal")
    func basics() {
        var object = JSONObject()
        #expect(object.isEmpty && object.count == 0 && object.keys.isEmpty)
        object["b"] = 1
        object["a"] = 2
        object["c"] = 3
        #expect(object.keys == ["b", "a", "c"])
        object["a"] = "two"
        #expect(object.keys == ["b", "a", "c"])
        #expect(object["a"] == "two")
        object["b"] = nil
        #expect(object.keys == ["a", "c"])
        #expect(object["b"] == nil)
        object["b"] = .null  // null is a value, not a removal
        #expect(object.keys == ["a", "c", "b"])
        #expect(object["b"] == .null)
        #expect(object.removeValue(forKey: "a") == "two")
        #expect(object.removeValue(forKey: "a") == nil)
        #expect(object.keys == ["c", "b"])
        #expect(object.values == [3, .null])
        object["zzz"] = nil  // removing a missing key is a no-op
        #expect(object.count == 2)
    }

    @Test("a repeated key keeps its first position and its last value")
    func duplicates() {
        let fromPairs = JSONObject([("x", 1), ("y", 2), ("x", 3)])
        #expect(fromPairs.keys == ["x", "y"])
        #expect(fromPairs["x"] == 3)
        let fromLiteral: JSONObject = ["x": 1, "y": 2, "x": 3]
        #expect(fromLiteral.keys == ["x", "y"])
        #expect(fromLiteral["x"] == 3)
    }

    @Test("iterates pairs in order")
    func sequence() {
        let object: JSONObject = ["one": 1, "two": 2, "three": 3]
        #expect(object.map(\.key) == ["one", "two", "three"])
        #expect(object.map(\.value) == [1, 2, 3])
        var seen: [String] = []
        for (key, value) in object { seen.append("\(key)=\(value)") }
        #expect(seen == ["one=1", "two=2", "three=3"])
    }

    @Test("equality and hashing ignore key order")
    func equality() {
        let a: JSONObject = ["x": 1, "y": [1, 2], "z": ["k": nil]]
        let b: JSONObject = ["z": ["k": nil], "x": 1, "y": [1, 2]]
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        #expect(Set([JSONValue.object(a), .object(b)]).count == 1)
        #expect(a != ["x": 1, "y": [1, 2]])
        #expect(a != ["x": 1, "y": [2, 1], "z": ["k": nil]])
        #expect(a != ["x": 1, "y": [1, 2], "w": ["k": nil]])
        #expect(JSONObject() == [:])
    }

    @Test("lookups stay correct across the index threshold", arguments: [
        0, 1, JSONObject.indexThreshold - 1, JSONObject.indexThreshold, JSONObject.indexThreshold + 1, 40, 1000,
    ])
    func indexThreshold(count: Int) {
        var object = JSONObject()
        for i in 0..<count { object["k\(i)"] = .int(i) }
        #expect(object.count == count)
        for i in 0..<count { #expect(object["k\(i)"] == .int(i)) }
        #expect(object["k\(count)"] == nil)
        // Remove every third key, then check order, positions and lookups.
        for i in stride(from: 0, to: count, by: 3) { object["k\(i)"] = nil }
        let remaining = (0..<count).filter { $0 % 3 != 0 }
        #expect(object.keys == remaining.map { "k\($0)" })
        for (position, i) in remaining.enumerated() {
            #expect(object["k\(i)"] == .int(i))
            #expect(object.position(of: "k\(i)") == position)
        }
        for i in stride(from: 0, to: count, by: 3) { #expect(object["k\(i)"] == nil) }
        // Re-adding appends at the end.
        object["k0"] = "again"
        #expect(object.keys.last == "k0")
        #expect(object["k0"] == "again")
        // Equality with the same pairs in another order, index or not.
        let reversed = JSONObject(object.reversed().map { ($0.key, $0.value) })
        #expect(reversed == object)
        #expect(reversed.hashValue == object.hashValue)
    }

    @Test("building and querying a large object is not quadratic")
    func largeObject() {
        let count = 200_000
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            var object = JSONObject()
            for i in 0..<count { object["key\(i)"] = .int(i) }
            var sum = 0
            for i in 0..<count { sum += object["key\(i)"]?.intValue ?? 0 }
            #expect(sum == count * (count - 1) / 2)
        }
        // Quadratic behaviour would take minutes; linear takes well under a
        // second even in a debug build.
        #expect(elapsed < .seconds(10))
    }
}
