import Anneal

/// What replaying one golden gave: a comparison, or why the golden (or the
/// candidate) could not be read.
public struct GoldenOutcome: Sendable {
    public var path: String
    public var name: String
    /// The golden's scheduler type (`"Compound"` for several, `"None"` for
    /// none), the key of the conformance table.
    public var schedulerType: String
    /// `source.kind`: `"pytorch"` or `"document"`.
    public var sourceKind: String
    public var comparison: ComparisonResult?
    public var failure: String?

    public var passed: Bool { comparison?.matches ?? false }
    public var recordCount: Int { comparison?.recordCount.expected ?? 0 }
}

/// Replays goldens: runs each one's spec with Anneal and compares the
/// candidate with what the golden recorded.
public enum GoldenReplay {
    /// Every golden below `directory` (`*.json`, recursively, sorted).
    public static func goldenFiles(in directory: String) throws(SpecError) -> [String] {
        guard FileSystem.isDirectory(directory) else {
            throw SpecError(file: directory, location: "", message: "not a directory")
        }
        return try FileSystem.jsonFiles(under: directory)
    }

    /// Reads the golden at `path`, runs its spec, and compares. A golden that
    /// cannot be read or is not of the format is a failed outcome naming the
    /// file and the place.
    public static func replay(goldenAt path: String) -> GoldenOutcome {
        var outcome = GoldenOutcome(path: path, name: path, schedulerType: "?", sourceKind: "?")
        do {
            let golden: JSONValue
            do { golden = try JSONValue.load(contentsOf: path) } catch { throw SpecError(error) }
            let spec = try TraceSpec(json: golden)
            outcome.name = spec.name
            outcome.schedulerType = schedulerType(of: spec)
            outcome.sourceKind = golden["source"]?["kind"]?.stringValue ?? "?"
            let candidate = try TraceRunner.candidate(for: spec)
            outcome.comparison = try compare(golden: golden, candidate: candidate)
        } catch let error as SpecError {
            outcome.failure = error.file == nil ? error.inFile(path).description : error.description
        } catch {
            outcome.failure = "\(path): \(error)"
        }
        return outcome
    }

    /// Compares two trace documents; an unusable one is a `SpecError`.
    public static func compare(golden: JSONValue, candidate: JSONValue) throws(SpecError) -> ComparisonResult {
        do {
            return try TraceComparison.compare(golden: golden, candidate: candidate)
        } catch {
            throw SpecError(location: error.side.rawValue, message: error.message)
        }
    }

    /// The table key for a spec.
    public static func schedulerType(of spec: TraceSpec) -> String {
        if spec.schedulerIsList { return "Compound" }
        return spec.schedulers.first?.type ?? "None"
    }
}
