/// An error reading, parsing or writing JSON, with the place it occurred.
///
/// Parse errors point at the offending character: ``line`` and ``column``
/// are 1-based, and the column counts Unicode scalars (code points) from the
/// start of the line, not bytes, so it matches what an editor shows for
/// non-ASCII text (a tab counts as one column). Lines end at `\n`.
///
/// Errors that are not about a position in the text (a missing or
/// unreadable file, a failed write) have `line == 0` and `column == 0`, and
/// their ``message`` names the file.
///
/// ```swift
/// do { _ = try JSONValue.parse("[1, 2,]", file: "x.json") }
/// catch { print(error) }   // x.json:1:7: trailing comma before ']'
/// ```
public struct JSONError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The path of the file being read or written, or `nil` for text that
    /// did not come from a file.
    public var file: String?

    /// The 1-based line of the offending character, or 0 when the error is
    /// not about a position in the text.
    public var line: Int

    /// The 1-based column of the offending character, counted in Unicode
    /// scalars from the start of its line, or 0 when ``line`` is 0.
    public var column: Int

    /// What went wrong, e.g. `unexpected end of input`.
    public var message: String

    /// Creates an error.
    public init(file: String? = nil, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// `FILE:LINE:COLUMN: message`, or `LINE:COLUMN: message` without a
    /// file: the form compilers use, which editors and terminals turn into
    /// links. When ``line`` is 0 (an error about the file as a whole) it is
    /// just the message, which then names the file itself.
    public var description: String {
        guard line > 0 else { return message }
        if let file {
            return "\(file):\(line):\(column): \(message)"
        }
        return "\(line):\(column): \(message)"
    }
}
