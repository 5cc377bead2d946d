import Testing
import AnnealJSON

#if canImport(Glibc)
import Glibc
#endif

@Suite("Parsing")
struct ParsingTests {
    // MARK: Numbers

    @Test("doubles are read with correct rounding", arguments: [
        "0.1", "1e-300", "2.2250738585072014e-308", "2.225073858507201e-308", "4.9e-324",
        "2.4703282292062328e-324", "2.4703282292062327e-324", "1.7976931348623157e308",
        "0.30000000000000004", "1.00000000000000011102230246251565404236316680908203125",
        "1.000000000000000111022302462515654042363166809082031250000001", "9007199254740993.0",
        "123456789012345678901234567890.5", "0.1e1", "1E5", "1e+5", "-1.5E-3", "1.7976931348623158e308",
        "3.141592653589793238462643383279502884197", "6.02214076e23", "1e-7", "0.000001",
    ])
    func exactDoubles(text: String) throws {
        let value = try JSONValue.parse(text)
        let expected = try #require(Double(text))  // Swift's own correctly rounded reading
        guard case .double(let d) = value else {
            Issue.record("\(text) parsed as \(value.kindName)")
            return
        }
        #expect(d.bitPattern == expected.bitPattern)
    }

    @Test("integers", arguments: [
        ("0", 0), ("-0", 0), ("7", 7), ("-42", -42), ("9223372036854775807", Int.max),
        ("-9223372036854775808", Int.min), ("1000000000000000000", 1_000_000_000_000_000_000),
    ] as [(String, Int)])
    func integers(text: String, expected: Int) throws {
        #expect(try JSONValue.parse(text) == .int(expected))
    }

    @Test("integers outside Int64 become doubles rounded from their full text", arguments: [
        "9223372036854775808", "-9223372036854775809", "18446744073709551615", "18446744073709551616",
        "123456789012345678901234567890", "-123456789012345678901234567890", "9999999999999999999",
        "100000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001",
    ])
    func oversizedIntegers(text: String) throws {
        let value = try JSONValue.parse(text)
        let expected = try #require(Double(text))
        #expect(value.intValue == nil)
        #expect(value.doubleValue?.bitPattern == expected.bitPattern)
        // Nested, next to ordinary values, with a duplicate key whose first
        // occurrence also overflows: positions must not get mixed up.
        let doc = try JSONValue.parse(#"{"a": \#(text), "b": [1, \#(text), 2.5, -3], "a": 4, "c": \#(text)}"#)
        #expect(doc.objectValue?.keys == ["a", "b", "c"])
        #expect(doc["a"] == .int(4))
        #expect(doc["b"] == [1, .double(expected), 2.5, -3])
        #expect(doc["c"] == .double(expected))
    }

    @Test("-0.0 keeps its sign; -0 is the integer 0")
    func negativeZero() throws {
        let d = try #require(try JSONValue.parse("-0.0").doubleValue)
        #expect(d == 0 && d.sign == .minus)
        #expect(try JSONValue.parse("-0") == .int(0))
        let e = try #require(try JSONValue.parse("-0e5").doubleValue)
        #expect(e == 0 && e.sign == .minus)
    }

    @Test("out-of-range exponents give infinity or zero, as in Python")
    func extremeExponents() throws {
        #expect(try JSONValue.parse("1e400") == .double(.infinity))
        #expect(try JSONValue.parse("-1e400") == .double(-.infinity))
        let tiny = try #require(try JSONValue.parse("-1e-400").doubleValue)
        #expect(tiny == 0 && tiny.sign == .minus)
    }

    @Test("NaN, Infinity and -Infinity tokens")
    func nonFiniteTokens() throws {
        let value = try JSONValue.parse("[NaN, Infinity, -Infinity, {\"m\": NaN}]")
        let a = try #require(value.arrayValue)
        #expect(a[0].doubleValue?.isNaN == true)
        #expect(a[1] == .double(.infinity))
        #expect(a[2] == .double(-.infinity))
        #expect(a[3]["m"]?.doubleValue?.isNaN == true)
        #expect(value.serialized() == "[NaN, Infinity, -Infinity, {\"m\": NaN}]")
        #expect(try JSONValue.parse("NaN").doubleValue?.isNaN == true)
        #expect(try JSONValue.parse(" -Infinity ") == .double(-.infinity))
    }

    @Test("other spellings of non-finite values are rejected", arguments: [
        "nan", "NAN", "inf", "Inf", "-inf", "infinity", "INFINITY", "+Infinity", "-NaN", "[Infinit]", "NaN1",
    ])
    func otherNonFiniteSpellings(text: String) {
        #expect(throws: JSONError.self) { try JSONValue.parse(text) }
    }

    // MARK: Strings

    @Test("string escapes", arguments: [
        (#""\"\\\/\b\f\n\r\t""#, "\"\\/\u{8}\u{c}\n\r\t"),
        (#""\u00e9\u00E9é""#, "ééé"),
        (#""\ud83d\ude00 😀""#, "😀 😀"),
        (#""\uD83D\uDE00""#, "😀"),
        (#""a\u0000b""#, "a\u{0}b"),
        (#""\u2028\u001f""#, "\u{2028}\u{1f}"),
        (#""""#, ""),
        (#""日本語 ☃ 𝄞""#, "日本語 ☃ 𝄞"),
    ] as [(String, String)])
    func strings(text: String, expected: String) throws {
        #expect(try JSONValue.parse(text) == .string(expected))
        #expect(try JSONValue.parse(bytes: Array(text.utf8)) == .string(expected))
    }

    @Test("an unpaired surrogate escape becomes U+FFFD")
    func loneSurrogate() throws {
        #expect(try JSONValue.parse(#""\ud800""#) == .string("\u{FFFD}"))
        #expect(try JSONValue.parse(#""x\udc00y""#) == .string("x\u{FFFD}y"))
    }

    // MARK: Structure

    @Test("objects keep key order")
    func keyOrder() throws {
        let value = try JSONValue.parse(#"{"z": 1, "a": 2, "m": {"y": [], "b": {}}, "é": null}"#)
        #expect(value.objectValue?.keys == ["z", "a", "m", "é"])
        #expect(value["m"]?.objectValue?.keys == ["y", "b"])
        #expect(value["é"] == .null)
        #expect(value["missing"] == nil)
    }

    @Test("a repeated key keeps its first position and last value, as in Python")
    func duplicateKeys() throws {
        let value = try JSONValue.parse(#"{"a": 1, "b": 2, "a": {"x": 1}, "c": 3, "b": null}"#)
        let object = try #require(value.objectValue)
        #expect(object.keys == ["a", "b", "c"])
        #expect(object["a"] == ["x": 1])
        #expect(object["b"] == .null)
    }

    @Test("objects with many keys")
    func manyKeys() throws {
        let count = 5_000
        let text = "{" + (0..<count).map { "\"k\(count - $0)\": \($0)" }.joined(separator: ", ") + "}"
        let object = try #require(try JSONValue.parse(text).objectValue)
        #expect(object.count == count)
        #expect(object.keys.first == "k\(count)")
        #expect(object["k1"] == .int(count - 1))
        #expect(object["k\(count)"] == .int(0))
    }

    @Test("top-level scalars and surrounding whitespace", arguments: [
        ("null", JSONValue.null), ("true", true), ("false", false), ("12", 12), ("1.5", 1.5),
        ("\"s\"", "s"), (" \n\t\r [ ] \n", []), ("{}", [:]), ("\n{\"a\" :\t[ 1 ,2 ] }\n", ["a": [1, 2]]),
    ] as [(String, JSONValue)])
    func scalarsAndWhitespace(text: String, expected: JSONValue) throws {
        #expect(try JSONValue.parse(text) == expected)
    }

    @Test("nesting up to the maximum depth", arguments: [1, 2, 100, JSONValue.maximumDepth])
    func deepNesting(depth: Int) throws {
        let text = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        var value = try JSONValue.parse(text)
        for _ in 1..<depth {
            value = try #require(value[0])
        }
        #expect(value == [])
    }

    @Test("parse(bytes:) and parse(_:) agree")
    func bytesAndString() throws {
        let text = pythonCompactSample
        #expect(try JSONValue.parse(bytes: Array(text.utf8)) == (try JSONValue.parse(text)))
    }

    @Test("Python's output of the sample document reads back")
    func pythonSample() throws {
        let value = try JSONValue.parse(pythonCompactSample)
        #expect(value["format"] == "anneal-trace/1")
        #expect(value["nums"]?[3] == .double(1e16))
        #expect(value["nums"]?[10] == .int(Int.max))
        #expect(value["text"]?.stringValue?.unicodeScalars.contains("\u{0}") == true)
        #expect(value["z_last"]?.objectValue?.keys == ["é", "", "b", "a"])
    }
}

@Suite("Exact integers")
struct ExactIntegerTests {
    /// Where a float would change the meaning (a Python int), an integer
    /// outside Int64 is an error naming its place, after any syntax error.
    @Test("integers outside Int64 are refused", arguments: [
        ("{\"a\": [1, 9223372036854775808]}", 1, 11), ("{\"a\":\n -9223372036854775809}", 2, 2),
        ("[123456789012345678901234567890]", 1, 2),
    ] as [(String, Int, Int)])
    func refused(text: String, line: Int, column: Int) throws {
        let path = try temporaryJSONFile(text)
        #expect(throws: JSONError.self) { try JSONValue.loadExactIntegers(contentsOf: path) }
        do {
            _ = try JSONValue.loadExactIntegers(contentsOf: path)
        } catch {
            #expect(error.line == line && error.column == column, "\(error)")
            #expect(error.message.contains("is beyond 64 bits"), "\(error)")
        }
        // The general reader keeps them as floats.
        #expect(try JSONValue.load(contentsOf: path) != .null)
    }

    @Test("Int64's own bounds and floats are kept")
    func kept() throws {
        let path = try temporaryJSONFile("[9223372036854775807, -9223372036854775808, 1e30, 2.5]")
        #expect(try JSONValue.loadExactIntegers(contentsOf: path) == [.int(.max), .int(.min), 1e30, 2.5])
    }

    @Test("A syntax error comes first")
    func syntaxFirst() throws {
        let path = try temporaryJSONFile("[99999999999999999999999, 1,]")
        do {
            _ = try JSONValue.loadExactIntegers(contentsOf: path)
            Issue.record("parsed")
        } catch {
            #expect(error.message == "trailing comma before ']'", "\(error)")
        }
    }
}

/// Writes `text` to a new temporary file and returns its path.
private func temporaryJSONFile(_ text: String) throws -> String {
    var template = Array("/tmp/anneal-json-XXXXXX".utf8CString)
    let descriptor = mkstemp(&template)
    try #require(descriptor >= 0)
    let bytes = Array(text.utf8)
    _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    close(descriptor)
    return String(cString: template)
}
