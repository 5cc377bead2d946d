import Testing

@testable import AnnealJSON

#if canImport(Glibc)
import Glibc
#endif

/// Writes `text` to a fresh temporary file and returns its path.
private func temporaryFile(_ text: String, name: String = "stream") -> String {
    let path = "/tmp/anneal-json-\(name)-\(getpid())-\(UInt32.random(in: 0 ... .max)).json"
    let file = fopen(path, "wb")!
    let bytes = Array(text.utf8)
    _ = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
    fclose(file)
    return path
}

/// What a stream makes of a file: its members, and its array's elements as values.
private func streamed(_ path: String, windowSize: Int?) throws -> (JSONObject, [JSONValue]?) {
    let stream = try JSONObjectStream(path: path, streamedKey: "trace", windowSize: windowSize)
    guard stream.hasStreamedArray else { return (stream.members, nil) }
    var elements: [JSONValue] = []
    while let element = try stream.nextElement() { elements.append(element.node.jsonValue) }
    return (stream.members, elements)
}

@Suite("Streaming")
struct StreamingTests {
    static let documents = [
        #"{"name": "x", "trace": [{"lr": [0.1, 1e-300]}, {"lr": [NaN]}, {"error": {"type": "ValueError", "message": "a\"]}"}}], "tolerance": {"ulps": 0}}"#,
        #"{"trace": [], "z": -0}"#,
        #"{"a": 1, "b": "two", "trace": [1, "s", null, true, [], {}, [[1, 2], {"k": 123456789012345678901234567890}], -Infinity]}"#,
        "{\n \"script\": [\n  {\"op\": \"step\"}\n ],\n \"trace\": [\n  {\n   \"lr\": [\n    0.5\n   ]\n  }\n ]\n}\n",
        #"{"trace": "not an array", "x": [1, 2]}"#,
        #"{}"#,
        #"{"before": {"nested": [1, {"deep": "é ✓"}]}, "trace": [3.5e-7, 2]}"#,
    ]

    @Test("Members and elements are what the whole parse gives, through any window", arguments: documents)
    func matchesTheWholeParse(_ text: String) throws {
        let path = temporaryFile(text)
        defer { unlink(path) }
        guard case .object(var whole) = try JSONValue.load(contentsOf: path) else {
            Issue.record("not an object")
            return
        }
        let wholeTrace = whole["trace"]?.arrayValue
        if wholeTrace != nil { whole["trace"] = nil }
        for window in [nil, 16, 17, 64, 1000] as [Int?] {
            let (members, elements) = try streamed(path, windowSize: window)
            #expect(members == whole, "window \(String(describing: window))")
            #expect(members.keys == whole.keys, "key order, window \(String(describing: window))")
            #expect(elements == wholeTrace, "window \(String(describing: window))")
        }
    }

    @Test("A long array is read in batches through a small window")
    func longArray() throws {
        let records = (0..<1000).map { "{\"lr\": [\(Double($0) * 0.001)], \"last_epoch\": \($0)}" }
        let path = temporaryFile("{\"trace\": [" + records.joined(separator: ", ") + "], \"name\": \"n\"}")
        defer { unlink(path) }
        let (members, elements) = try streamed(path, windowSize: 256)
        #expect(members == ["name": "n"])
        #expect(elements?.count == 1000)
        #expect(elements?[999] == ["lr": [.double(0.999)], "last_epoch": 999])
    }

    /// Each is either invalid JSON or something the stream leaves to the
    /// whole parse (a repeated key, an escaped key, a byte order mark).
    static let unsupported = [
        #"{"trace": [1, 2], "trace": [3]}"#, #"{"a": 1, "a": 2, "trace": []}"#, #"{"tr\u0061ce": []}"#,
        "\u{FEFF}{\"trace\": []}", #"{"trace": [1 2]}"#, #"{"trace": [1,]}"#, #"{"trace": [1], }"#,
        #"{"trace": [01]}"#, #"{"trace": [1]} x"#, #"{"trace": [1]"#, #"{"trace": [{"a": 1]}"#, #"[1, 2]"#,
        #"{"trace": ['a']}"#, "{\"trace\": [\"\u{1}\"]}", #"{"x": 1.}"#, #"{"trace": [1] // c"#, "",
    ]

    @Test("Anything the stream cannot vouch for is left to the whole parse", arguments: unsupported)
    func unsupportedInput(_ text: String) {
        let path = temporaryFile(text)
        defer { unlink(path) }
        for window in [nil, 16] as [Int?] {
            #expect(throws: JSONStreamUnsupported.self) { _ = try streamed(path, windowSize: window) }
        }
    }

    @Test("A missing file is left to the whole parse (which names it)")
    func missingFile() {
        #expect(throws: JSONStreamUnsupported.self) {
            _ = try JSONObjectStream(path: "/nonexistent/anneal.json", streamedKey: "trace")
        }
    }

    @Test("Written piece by piece, a document has the bytes of the whole write", arguments: [nil, 0, 1, 2] as [Int?])
    func fileWriterMatchesWholeWrite(_ indent: Int?) throws {
        let head: JSONObject = ["format": "anneal-trace/1", "empty": [], "nested": ["a": [1, 2.5], "b": [:]]]
        let records: [JSONValue] = [["lr": [0.1], "s": "q\"\n"], ["lr": []], .null, [[1], [2, [3]]]]
        var whole = head
        whole["trace"] = .array(records)
        whole["after"] = ["x": .double(.infinity)]
        for recordCount in [0, 1, records.count] {
            whole["trace"] = .array(Array(records.prefix(recordCount)))
            let expectedPath = temporaryFile("")
            let gotPath = temporaryFile("")
            defer { unlink(expectedPath); unlink(gotPath) }
            try JSONValue.object(whole).write(toFile: expectedPath, indent: indent)
            let writer = try JSONFileWriter(path: gotPath, indent: indent)
            try writer.beginObject()
            for (key, value) in head { try writer.member(key, value) }
            try writer.beginArrayMember("trace")
            for record in records.prefix(recordCount) { try writer.element(record) }
            try writer.endArray()
            try writer.member("after", ["x": .double(.infinity)])
            try writer.endObject()
            try writer.commit()
            #expect(try contents(gotPath) == contents(expectedPath), "indent \(String(describing: indent)), \(recordCount) records")
        }
    }

    @Test("A discarded document leaves the destination as it was")
    func discardLeavesTheDestination() throws {
        let path = temporaryFile("old")
        defer { unlink(path) }
        do {
            let writer = try JSONFileWriter(path: path)
            try writer.beginObject()
            try writer.member("a", 1)
            writer.discard()
        }
        do {
            let writer = try JSONFileWriter(path: path)
            try writer.beginObject()
            _ = writer  // dropped uncommitted
        }
        #expect(try contents(path) == Array("old".utf8))
    }

    private func contents(_ path: String) throws -> [UInt8] {
        let file = fopen(path, "rb")!
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = fread(&buffer, 1, buffer.count, file)
            if n == 0 { break }
            bytes += buffer[0..<n]
        }
        return bytes
    }
}
