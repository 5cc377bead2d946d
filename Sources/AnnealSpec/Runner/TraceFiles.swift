import Anneal

/// File-level entry points shared by the command line and the tests.
public enum TraceFiles {
    /// Reads a trace document; errors name the file, line and column.
    public static func load(_ path: String) throws(SpecError) -> JSONValue {
        do {
            return try JSONValue.loadExactIntegers(contentsOf: path)
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

    /// Reads the spec at `path`, runs it, and writes the candidate to
    /// `destination` as the records are produced (the bytes
    /// ``candidate(forSpecAt:)`` would give, written with indent 1). The
    /// destination is replaced only by a complete candidate: a spec error,
    /// found before the run or during it, leaves it untouched.
    ///
    /// - Throws: ``SpecError`` naming the file and the place; `JSONError`
    ///   naming `destination` when it cannot be written.
    public static func writeCandidate(forSpecAt path: String, to destination: String) throws {
        let spec = try TraceSpec(contentsOf: path)
        let writer = try JSONFileWriter(path: destination, indent: 1)
        do {
            try TraceRunner.write(spec, to: writer)
            try writer.commit()
        } catch let error as SpecError {
            writer.discard()
            throw error.file == nil ? error.inFile(path) : error
        } catch {
            writer.discard()
            throw error
        }
    }
}
