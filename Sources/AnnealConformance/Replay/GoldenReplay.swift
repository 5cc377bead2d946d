import AnnealSpec
import Anneal
import Dispatch
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

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

    /// Replays every file of `paths` (see ``replay(goldenAt:)``) on all
    /// cores, a file at a time each; the outcomes are in the order of
    /// `paths`, whatever order they finished in. `progress` is called
    /// (serialized) with the count finished and the file just finished.
    public static func replay(
        goldenFiles paths: [String], workers: Int? = nil,
        progress: (@Sendable (_ finished: Int, _ path: String) -> Void)? = nil
    ) -> [GoldenOutcome] {
        // One slot per file; a lock held only to store an outcome costs
        // nothing beside replaying a file.
        let outcomes = Mutex<[GoldenOutcome?]>(Array(repeating: nil, count: paths.count))
        let next = Atomic<Int>(0)
        let finished = Mutex<Int>(0)
        let threads = max(1, min(workers ?? System.activeProcessorCount, paths.count))
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            while true {
                let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard index < paths.count else { return }
                let outcome = replay(goldenAt: paths[index])
                outcomes.withLock { $0[index] = outcome }
                if let progress {
                    finished.withLock { count in
                        count += 1
                        progress(count, paths[index])
                    }
                }
            }
        }
        return outcomes.withLock { slots in slots.map { $0! } }
    }

    /// Reads the golden at `path`, runs its spec, and compares. A golden that
    /// cannot be read or is not of the format is a failed outcome naming the
    /// file and the place.
    ///
    /// The golden is read record by record and compared as the records are
    /// produced (``StreamingReplay``); a golden that does not replay cleanly
    /// is read whole instead, so its failure is reported as it always was.
    public static func replay(goldenAt path: String) -> GoldenOutcome {
        if let (golden, comparison) = try? StreamingReplay.replay(goldenAt: path) {
            return GoldenOutcome(
                path: path, name: golden.spec.name, schedulerType: schedulerType(of: golden.spec),
                sourceKind: golden.members["source"]?["kind"]?.stringValue ?? "?", comparison: comparison)
        }
        return replayWhole(goldenAt: path)
    }

    /// ``replay(goldenAt:)`` with whole documents: the golden's tree, the
    /// candidate's tree, then the comparison.
    static func replayWhole(goldenAt path: String) -> GoldenOutcome {
        var outcome = GoldenOutcome(path: path, name: path, schedulerType: "?", sourceKind: "?")
        do {
            let golden: JSONValue
            do { golden = try JSONValue.loadExactIntegers(contentsOf: path) } catch { throw SpecError(error) }
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

    /// Compares the golden at `goldenPath` with the candidate file at
    /// `candidatePath` (or, without one, with Anneal's run of the golden's
    /// spec), both read and compared record by record in constant memory;
    /// `name` is the golden's `name` when it is a string. `nil` when the
    /// files do not take that path (an invalid file, spec or tolerance, a
    /// missing `trace`): compare the whole documents then, which reports why.
    public static func compareStreaming(
        goldenAt goldenPath: String, candidateAt candidatePath: String?
    ) -> (result: ComparisonResult, name: String?)? {
        let outcome: (StreamingReplay.Golden, ComparisonResult)?
        if let candidatePath {
            outcome = try? StreamingReplay.compare(goldenAt: goldenPath, candidateAt: candidatePath)
        } else {
            outcome = try? StreamingReplay.replay(goldenAt: goldenPath)
        }
        guard let (golden, result) = outcome else { return nil }
        return (result, golden.members["name"]?.stringValue)
    }

    /// ``compareStreaming(goldenAt:candidateAt:)`` against Anneal's run,
    /// with hooks that see the golden's spec and members before the run,
    /// then every candidate record and every golden record (for drawing
    /// both as they pass). `nil` when the golden does not take that path.
    public static func compareStreaming(
        goldenAt goldenPath: String,
        prepare: (TraceSpec, JSONObject) -> Void,
        candidateRecord: @escaping (JSONValue) -> Void,
        goldenRecord: @escaping (JSONCNode) -> Void
    ) -> (result: ComparisonResult, spec: TraceSpec)? {
        guard let (golden, result) = try? StreamingReplay.replay(
            goldenAt: goldenPath, prepare: prepare, candidateRecord: candidateRecord, goldenRecord: goldenRecord)
        else { return nil }
        return (result, golden.spec)
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

/// The processor count, without Foundation.
enum System {
    static var activeProcessorCount: Int {
        let count = sysconf(Int32(_SC_NPROCESSORS_ONLN))
        return count > 0 ? count : 1
    }
}
