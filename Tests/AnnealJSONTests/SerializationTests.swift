import Testing
import AnnealJSON

@Suite("Serialization")
struct SerializationTests {
    @Test("compact output matches Python's json.dumps byte for byte")
    func compactMatchesPython() throws {
        let value = try JSONValue.parse(pythonCompactSample)
        #expect(value.serialized() == pythonCompactSample)
        #expect(value.serialized(indent: nil) == pythonCompactSample)
    }

    @Test("indented output matches Python's json.dumps(indent=N)", arguments: pythonIndentedSamples)
    func indentedMatchesPython(indent: Int, expected: String) throws {
        let value = try JSONValue.parse(pythonCompactSample)
        #expect(value.serialized(indent: indent) == expected)
        // And Python's indented text reads back to the same value.
        #expect(try JSONValue.parse(expected) == value)
    }

    @Test("a negative indent counts as 0")
    func negativeIndent() {
        let value: JSONValue = ["a": [1, 2]]
        #expect(value.serialized(indent: -3) == value.serialized(indent: 0))
    }

    @Test("scalars and empty containers", arguments: [
        (JSONValue.null, "null"), (true, "true"), (false, "false"), (0, "0"), (-5, "-5"),
        (.int(Int.max), "9223372036854775807"), (.int(Int.min), "-9223372036854775808"),
        (1.0, "1.0"), (-0.0, "-0.0"), (.double(.nan), "NaN"), (.double(-.infinity), "-Infinity"),
        (1e16, "1e+16"), ("", "\"\""), ([], "[]"), ([:], "{}"), ([[], [:]], "[[], {}]"),
    ] as [(JSONValue, String)])
    func scalars(value: JSONValue, expected: String) {
        #expect(value.serialized() == expected)
        if value.arrayValue?.isEmpty != false && value.objectValue?.isEmpty != false {
            // Scalars and empty containers look the same indented.
            #expect(value.serialized(indent: 2) == expected)
        }
    }

    @Test("empty containers inside indented output stay on one line")
    func emptyContainersIndented() {
        let value: JSONValue = [[], [:], ["a": [], "b": [:]]]
        #expect(value.serialized(indent: 2) == "[\n  [],\n  {},\n  {\n    \"a\": [],\n    \"b\": {}\n  }\n]")
    }

    @Test("strings are escaped like json.dumps(ensure_ascii=False)", arguments: [
        ("plain", #""plain""#),
        ("quote \" and backslash \\", #""quote \" and backslash \\""#),
        ("\n\r\t\u{8}\u{c}", #""\n\r\t\b\f""#),
        ("\u{0}\u{1}\u{1f}\u{b}", #""\u0000\u0001\u001f\u000b""#),
        ("\u{7f} é 😀 \u{2028} / '", "\"\u{7f} é 😀 \u{2028} / '\""),
        ("tail\\", #""tail\\""#),
    ] as [(String, String)])
    func stringEscapes(string: String, expected: String) throws {
        #expect(JSONValue.string(string).serialized() == expected)
        #expect(try JSONValue.parse(expected) == .string(string))
        // Keys are escaped the same way.
        #expect(JSONValue.object([string: 1]).serialized() == "{\(expected): 1}")
    }

    @Test("key order is insertion order")
    func keyOrder() {
        var object = JSONObject()
        object["z"] = 1
        object["a"] = 2
        object["m"] = 3
        object["a"] = 4
        #expect(JSONValue.object(object).serialized() == #"{"z": 1, "a": 4, "m": 3}"#)
        #expect(JSONValue.object(object).serialized(indent: 1) == "{\n \"z\": 1,\n \"a\": 4,\n \"m\": 3\n}")
    }

    @Test("serialize → parse → serialize is the identity on a trace-shaped value")
    func roundTrip() throws {
        let value: JSONValue = [
            "format": "anneal-trace/1",
            "optimizer": ["type": "SGD", "options": ["lr": 0.1, "momentum": 0.9], "param_groups": [[:]]],
            "scheduler": nil,
            "trace": [["lr": [0.1], "last_epoch": 0], ["lr": [0.010000000000000002], "last_epoch": 1,
                      "error": ["type": "ValueError", "message": "bad \"value\"\n"]]],
            "tolerance": ["ulps": 0],
        ]
        for indent in [nil, 0, 1, 2] as [Int?] {
            let text = value.serialized(indent: indent)
            let reparsed = try JSONValue.parse(text)
            #expect(reparsed == value)
            #expect(reparsed.serialized(indent: indent) == text)
        }
    }

    // MARK: write(toFile:)

    @Test("write(toFile:) writes the indented text and a newline")
    func writeFile() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/out.json"
        let value: JSONValue = ["a": [1, 2.5], "b": "é"]
        try value.write(toFile: path)
        #expect(readBytes(path) == Array((value.serialized(indent: 1) + "\n").utf8))
        try value.write(toFile: path, indent: nil)
        #expect(readBytes(path) == Array("{\"a\": [1, 2.5], \"b\": \"é\"}\n".utf8))
        #expect(try JSONValue.load(contentsOf: path) == value)
        // Only the target is left behind: the temporary file was renamed.
        #expect(directory.entries == ["out.json"])
    }

    @Test("write(toFile:) replaces an existing file")
    func replaceFile() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/out.json"
        try writeBytes(Array(String(repeating: "x", count: 10_000).utf8), to: path)
        try JSONValue.array([1, 2, 3]).write(toFile: path, indent: 2)
        #expect(readBytes(path) == Array("[\n  1,\n  2,\n  3\n]\n".utf8))
        #expect(directory.entries == ["out.json"])
    }

    @Test("write(toFile:) into a missing directory is a JSONError naming the file")
    func writeFailure() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/no/such/dir/out.json"
        let error = #expect(throws: JSONError.self) { try JSONValue.null.write(toFile: path) }
        #expect(error?.file == path)
        #expect(error?.line == 0)
        #expect(error?.message.hasPrefix("cannot write '\(path)'") == true)
        #expect(error?.message.contains("No such file or directory") == true)
    }

    @Test("write(toFile:) with a relative path")
    func relativePath() throws {
        let directory = try TemporaryDirectory()
        let previous = getCurrentDirectory()
        chdir(directory.path)
        defer { chdir(previous) }
        try JSONValue.int(1).write(toFile: "rel.json")
        #expect(readBytes(directory.path + "/rel.json") == Array("1\n".utf8))
        #expect(directory.entries == ["rel.json"])
    }
}

#if canImport(Glibc)
import Glibc
#endif

private func getCurrentDirectory() -> String {
    var buffer = [CChar](repeating: 0, count: 4096)
    return String(cString: getcwd(&buffer, buffer.count))
}
