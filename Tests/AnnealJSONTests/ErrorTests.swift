import Testing
import AnnealJSON

#if canImport(Glibc)
import Glibc
#endif

/// One malformed input and where and how its error must be reported.
struct BadInput: Sendable, CustomTestStringConvertible {
    var text: String
    var line: Int
    var column: Int
    var message: String  // a substring of the error message
    var testDescription: String { String(reflecting: text) }

    init(_ text: String, _ line: Int, _ column: Int, _ message: String) {
        self.text = text
        self.line = line
        self.column = column
        self.message = message
    }
}

@Suite("Errors")
struct ErrorTests {
    static let badInputs: [BadInput] = [
        // empty and truncated
        BadInput("", 1, 1, "empty input"),
        BadInput("  \n   ", 2, 4, "empty input"),
        BadInput("[1, 2", 1, 6, "unexpected end of input"),
        BadInput("{\"a\": [1, 2]", 1, 13, "unexpected end of input"),
        BadInput("{\"a\"", 1, 5, "unexpected end of input"),
        BadInput("{\"a\":", 1, 6, "unexpected end of input"),
        BadInput("\"abc", 1, 5, "unexpected end of input"),
        BadInput("[\"abc\\", 1, 7, "unexpected end of input"),
        BadInput("tru", 1, 4, "unexpected end of input"),
        BadInput("-Infin", 1, 7, "unexpected end of input"),
        BadInput("{\n  \"a\": [\n    1,\n", 4, 1, "unexpected end of input"),
        // trailing commas
        BadInput("[1, 2,]", 1, 7, "trailing comma before ']'"),
        BadInput("{\"a\": 1,}", 1, 9, "trailing comma before '}'"),
        BadInput("[1,\n 2,\n ]", 3, 2, "trailing comma before ']'"),
        BadInput("{\"a\": 1 ,\n}", 2, 1, "trailing comma before '}'"),
        // trailing characters
        BadInput("{\"a\": 1} x", 1, 10, "trailing characters after the JSON value (found 'x')"),
        BadInput("[1] [2]", 1, 5, "trailing characters after the JSON value"),
        BadInput("1 2", 1, 3, "trailing characters after the JSON value"),
        BadInput("NaNx", 1, 4, "trailing characters after the JSON value"),
        BadInput("[1]\n// comment", 2, 1, "trailing characters after the JSON value (found '/')"),
        BadInput("[1]\u{0}", 1, 4, "unexpected character U+0000"),
        BadInput("{}}", 1, 3, "trailing characters after the JSON value (found '}')"),
        // unexpected characters
        BadInput("}", 1, 1, "unexpected character '}'"),
        BadInput("[1 2]", 1, 4, "unexpected character '2' (expected ',' or ']' after an array element)"),
        BadInput("[1,,2]", 1, 4, "unexpected character ','"),
        BadInput("{\"a\" 1}", 1, 6, "unexpected character '1' (expected ':' after an object key)"),
        BadInput("{\"a\": 1 \"b\": 2}", 1, 9, "expected ',' or '}' after an object value"),
        BadInput("{1: 2}", 1, 2, "expected a double-quoted object key"),
        BadInput("{'a': 1}", 1, 2, "unexpected character ''' (JSON strings use double quotes)"),
        BadInput("{\"k\": 'a'}", 1, 7, "unexpected character '''"),
        BadInput("['a']", 1, 2, "unexpected character '''"),
        BadInput("nUll", 1, 2, "unexpected character 'U'"),
        BadInput("[tRue]", 1, 3, "expected 'true' or 'false'"),
        BadInput("[nan]", 1, 3, "unexpected character 'a'"),
        BadInput("[inf]", 1, 2, "unexpected character 'i'"),
        BadInput("+1", 1, 1, "unexpected character '+'"),
        BadInput(".5", 1, 1, "unexpected character '.'"),
        BadInput("/* c */ 1", 1, 1, "comments are not allowed"),
        BadInput("{\n  \"a\": [1, 2],\n  \"b\": }", 3, 8, "unexpected character '}'"),
        BadInput("[\"é😀\", x]", 1, 8, "unexpected character 'x'"),  // columns count characters
        BadInput("[1, é]", 1, 5, "unexpected character 'é' (U+00E9)"),
        BadInput("\u{C}[1]", 1, 1, "unexpected character U+000C"),
        BadInput("[1,\u{B}2]", 1, 4, "unexpected character U+000B"),
        // numbers
        BadInput("[01]", 1, 3, "invalid number '01': leading zeros are not allowed"),
        BadInput("01", 1, 2, "leading zeros are not allowed"),
        BadInput("[-01]", 1, 4, "leading zeros are not allowed"),
        BadInput("[1.]", 1, 4, "invalid number '1.': expected a digit after '.'"),
        BadInput("1.e5", 1, 3, "expected a digit after '.'"),
        BadInput("-", 1, 2, "invalid number '-': expected a digit after '-'"),
        BadInput("[-]", 1, 3, "expected a digit after '-'"),
        BadInput("[1e]", 1, 4, "invalid number '1e': expected a digit in the exponent"),
        BadInput("1e+", 1, 4, "expected a digit in the exponent"),
        BadInput("[1-2]", 1, 3, "invalid number '1-2': unexpected '-' in a number"),
        BadInput("-NaN", 1, 2, "expected a digit after '-'"),
        // strings
        BadInput("\"a\tb\"", 1, 3, "unescaped control character U+0009 in a string"),
        BadInput("[\"line\nbreak\"]", 1, 7, "unescaped control character U+000A in a string"),
        BadInput("\"\\x\"", 1, 3, "invalid escape sequence in a string"),
        BadInput("\"\\u12\"", 1, 6, "invalid escape sequence in a string"),
        BadInput("\"\\'\"", 1, 3, "invalid escape sequence in a string"),
        // positions stay right when integers outside Int64 are rewritten as floats
        BadInput("[123456789012345678901234567890, 99999999999999999999 }", 1, 55, "unexpected character '}' (expected ',' or ']'"),
        BadInput("123456789012345678901234567890 x", 1, 32, "trailing characters after the JSON value (found 'x')"),
        BadInput("{\"a\": -99999999999999999999,\n \"b\": [1,]}", 2, 10, "trailing comma before ']'"),
        // the earlier of the scanner's and json-c's errors wins
        BadInput("[} 01]", 1, 2, "unexpected character '}'"),
        BadInput("[01 }", 1, 3, "leading zeros are not allowed"),
    ]

    @Test("malformed input is reported at the offending character", arguments: badInputs)
    func badInput(_ input: BadInput) {
        let error = #expect(throws: JSONError.self) { try JSONValue.parse(input.text) }
        guard let error else { return }
        #expect(error.line == input.line, "\(error)")
        #expect(error.column == input.column, "\(error)")
        #expect(error.message.contains(input.message), "\(error)")
        #expect(error.file == nil)
        // The bytes entry point reports the same error.
        let bytesError = #expect(throws: JSONError.self) { try JSONValue.parse(bytes: Array(input.text.utf8)) }
        #expect(bytesError == error)
    }

    @Test("nesting deeper than the maximum depth")
    func tooDeep() {
        let depth = JSONValue.maximumDepth + 1
        let text = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        let error = #expect(throws: JSONError.self) { try JSONValue.parse(text) }
        #expect(error?.message.contains("nesting too deep") == true)
        #expect(error?.line == 1)
        #expect(error?.column == depth)
        // Far deeper input fails the same way, without exhausting the stack.
        let deeper = String(repeating: "{\"a\": [", count: 100_000)
        #expect(throws: JSONError.self) { try JSONValue.parse(deeper) }
    }

    @Test("invalid UTF-8 is rejected at the offending byte", arguments: [
        ([0x5B, 0x22, 0xFF, 0x22, 0x5D], 1, 3),             // ["\xFF"]
        ([0x22, 0xC3, 0x22], 1, 2),                         // truncated sequence
        ([0x22, 0xC0, 0xAF, 0x22], 1, 2),                   // overlong '/'
        ([0x22, 0xED, 0xA0, 0x80, 0x22], 1, 2),             // encoded surrogate
        ([0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], 1, 2),       // above U+10FFFF
        ([0x22, 0xC3, 0xA9, 0x0A, 0x80, 0x22], 1, 3),       // é then a lone continuation byte... inside the string the newline is reported first
        ([0x5B, 0x31, 0x2C, 0x0A, 0x20, 0xFE, 0x5D], 2, 2), // outside a string
    ] as [([UInt8], Int, Int)])
    func invalidUTF8(bytes: [UInt8], line: Int, column: Int) {
        let error = #expect(throws: JSONError.self) { try JSONValue.parse(bytes: bytes, file: "bad.json") }
        #expect(error?.line == line, "\(String(describing: error))")
        #expect(error?.column == column, "\(String(describing: error))")
        #expect(error?.file == "bad.json")
    }

    @Test("invalid UTF-8 message")
    func invalidUTF8Message() {
        let error = #expect(throws: JSONError.self) { try JSONValue.parse(bytes: [0x22, 0xFF, 0x22]) }
        #expect(error?.message == "invalid UTF-8: byte 0xFF does not start a valid UTF-8 sequence")
    }

    @Test("a byte order mark is rejected, as by Python's json.loads")
    func byteOrderMark() {
        let error = #expect(throws: JSONError.self) { try JSONValue.parse(bytes: [0xEF, 0xBB, 0xBF, 0x5B, 0x5D]) }
        #expect(error?.message.contains("byte order mark") == true)
        #expect(error?.line == 1 && error?.column == 1)
    }

    @Test("description: FILE:LINE:COLUMN: message")
    func descriptionFormat() {
        let withFile = #expect(throws: JSONError.self) { try JSONValue.parse("[1, 2,]", file: "x.json") }
        #expect(withFile?.description == "x.json:1:7: trailing comma before ']'")
        let withoutFile = #expect(throws: JSONError.self) { try JSONValue.parse("[1, 2,]") }
        #expect(withoutFile?.description == "1:7: trailing comma before ']'")
        let fileLevel = JSONError(file: "a.json", line: 0, column: 0, message: "cannot read 'a.json': No such file or directory")
        #expect(fileLevel.description == "cannot read 'a.json': No such file or directory")
    }

    // MARK: Files

    @Test("load(contentsOf:) reads a file")
    func loadFile() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/ok.json"
        try writeBytes(Array("{\"a\": [1, 2.5, NaN]}\n".utf8), to: path)
        let value = try JSONValue.load(contentsOf: path)
        #expect(value["a"]?[1] == 2.5)
        #expect(value["a"]?[2]?.doubleValue?.isNaN == true)
    }

    @Test("a missing file is a JSONError naming the file, at line 0")
    func missingFile() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/missing.json"
        let error = #expect(throws: JSONError.self) { try JSONValue.load(contentsOf: path) }
        #expect(error?.file == path)
        #expect(error?.line == 0 && error?.column == 0)
        #expect(error?.message == "cannot read '\(path)': No such file or directory")
        #expect(error?.description == "cannot read '\(path)': No such file or directory")
    }

    @Test("a directory is a JSONError naming it")
    func directoryInsteadOfFile() throws {
        let directory = try TemporaryDirectory()
        let error = #expect(throws: JSONError.self) { try JSONValue.load(contentsOf: directory.path) }
        #expect(error?.line == 0)
        #expect(error?.message == "cannot read '\(directory.path)': Is a directory")
    }

    @Test("an unreadable file is a JSONError naming it")
    func unreadableFile() throws {
        guard getuid() != 0 else { return }  // root reads anything
        let directory = try TemporaryDirectory()
        let path = directory.path + "/secret.json"
        try writeBytes(Array("{}".utf8), to: path)
        chmod(path, 0)
        let error = #expect(throws: JSONError.self) { try JSONValue.load(contentsOf: path) }
        #expect(error?.message == "cannot read '\(path)': Permission denied")
    }

    @Test("an empty file, a truncated file and a non-UTF-8 file")
    func badFiles() throws {
        let directory = try TemporaryDirectory()
        let empty = directory.path + "/empty.json"
        try writeBytes([], to: empty)
        let emptyError = #expect(throws: JSONError.self) { try JSONValue.load(contentsOf: empty) }
        #expect(emptyError?.description == "\(empty):1:1: empty input (expected a JSON value)")

        let truncated = directory.path + "/truncated.json"
        try writeBytes(Array("{\n \"trace\": [\n  {\"lr\": [0.1]},\n".utf8), to: truncated)
        let truncatedError = #expect(throws: JSONError.self) { try JSONValue.load(contentsOf: truncated) }
        #expect(truncatedError?.description == "\(truncated):4:1: unexpected end of input")

        let latin1 = directory.path + "/latin1.json"
        try writeBytes([0x7B, 0x0A, 0x22, 0x63, 0x61, 0x66, 0xE9, 0x22, 0x3A, 0x31, 0x7D], to: latin1)  // {\n"café":1}
        let latin1Error = #expect(throws: JSONError.self) { try JSONValue.load(contentsOf: latin1) }
        #expect(latin1Error?.file == latin1)
        #expect(latin1Error?.line == 2 && latin1Error?.column == 5)
        #expect(latin1Error?.message.contains("invalid UTF-8") == true)
    }
}

// MARK: - File helpers

/// A fresh directory under /tmp, removed (with its files) on deinit.
final class TemporaryDirectory {
    let path: String

    init() throws {
        var template = Array("/tmp/anneal-json-tests-XXXXXX".utf8CString)
        guard let result = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw JSONError(line: 0, column: 0, message: "mkdtemp failed")
        }
        path = String(cString: result)
    }

    var entries: [String] {
        guard let dir = opendir(path) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    deinit {
        for name in entries {
            let child = path + "/" + name
            chmod(child, 0o700)
            if rmdir(child) != 0 { unlink(child) }
        }
        rmdir(path)
    }
}

func writeBytes(_ bytes: [UInt8], to path: String) throws {
    guard let file = fopen(path, "wb") else {
        throw JSONError(file: path, line: 0, column: 0, message: "cannot create")
    }
    defer { fclose(file) }
    if !bytes.isEmpty { fwrite(bytes, 1, bytes.count, file) }
}

func readBytes(_ path: String) -> [UInt8]? {
    guard let file = fopen(path, "rb") else { return nil }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = fread(&buffer, 1, buffer.count, file)
        if n == 0 { break }
        bytes.append(contentsOf: buffer[0..<n])
    }
    return bytes
}
