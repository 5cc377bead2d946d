import Anneal

/// File-level entry points shared by the command line and the tests.
public enum TraceFiles {
    /// Reads a trace document; errors name the file, line and column.
    public static func load(_ path: String) throws(SpecError) -> JSONValue {
        do {
            return try JSONValue.load(contentsOf: path)
        } catch {
            throw SpecError(error)
        }
    }

    /// Reads the spec at `path`, runs it, and returns the candidate document.
    /// Errors name the file and the place.
    public static func candidate(forSpecAt path: String) throws(SpecError) -> JSONValue {
        let spec = try TraceSpec(contentsOf: path)
        do {
            return try TraceRunner.candidate(for: spec)
        } catch {
            throw error.inFile(path)
        }
    }
}
