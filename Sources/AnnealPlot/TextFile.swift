#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file that could not be written: its path and the system's reason.
public struct WriteError: Error, Sendable, CustomStringConvertible {
    /// The file.
    public var path: String
    /// Why, e.g. `No such file or directory`.
    public var reason: String

    /// `cannot write "PATH": REASON`.
    public var description: String { "cannot write \"\(path)\": \(reason)" }
}

/// Writing text files without Foundation.
public enum TextFile {
    /// Writes `text` (UTF-8) to `path`, replacing the file.
    ///
    /// - Throws: ``WriteError`` when the file cannot be opened or written.
    public static func write(_ text: String, to path: String) throws(WriteError) {
        guard let file = fopen(path, "wb") else {
            throw WriteError(path: path, reason: String(cString: strerror(errno)))
        }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        let closed = fclose(file)
        if written != bytes.count || closed != 0 {
            throw WriteError(path: path, reason: String(cString: strerror(errno)))
        }
    }
}
