/// Why a checkpoint could not be written, read, verified or restored: the
/// file and one of the distinct ``Problem``s.
///
/// Readers never trust a file before every check has passed, and each check
/// has its own case, so a test (or a caller) can tell a truncated file from
/// a flipped bit from a checkpoint of another model:
///
/// ```swift
/// do {
///     _ = try Checkpoint.read(from: "run/checkpoint-00000042.safetensors")
/// } catch {
///     print(error)   // run/checkpoint-00000042.safetensors: data checksum mismatch: ...
/// }
/// ```
public struct CheckpointError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file (or directory) concerned; `"checkpoint"` for a checkpoint
    /// that came from memory.
    public var file: String
    /// What is wrong.
    public var problem: Problem

    /// An error about `file`.
    public init(file: String, _ problem: Problem) {
        self.file = file
        self.problem = problem
    }

    /// `FILE: problem`.
    public var description: String { "\(file): \(problem)" }

    /// One distinct failure. The cases follow the order in which a reader
    /// checks a file: the container (safetensors), the manifest, the tensors
    /// against the manifest, the data checksum; then, when restoring, the
    /// live objects; then the store.
    public enum Problem: Error, Sendable, Equatable, CustomStringConvertible {
        // MARK: Input and output

        /// A system call failed: the operation (`open`, `read`, `write`,
        /// `fsync`, `rename`, ...) and the system's message.
        case io(operation: String, reason: String)
        /// The file changed size while it was read (fewer bytes than `fstat` said).
        case shortRead(offset: Int, expected: Int, got: Int)

        // MARK: The safetensors container

        /// Shorter than the 8-byte header length.
        case fileTooShort(size: Int)
        /// The header length is over ``SafetensorsHeader/maximumLength``.
        case headerTooLarge(length: UInt64, limit: Int)
        /// The header length points past the end of the file.
        case headerBeyondFile(length: UInt64, fileSize: Int)
        /// The header is not well-formed JSON (the JSON parser's message,
        /// with line and column in the header).
        case headerNotJSON(String)
        /// The header is JSON but not an object.
        case headerNotObject(kind: String)
        /// A key appears twice in one JSON object: at the top level, two
        /// tensors with the same name (`path` is empty); deeper, a repeated
        /// key inside the entry or metadata named by `path`.
        case duplicateKey(path: [String], key: String)
        /// `__metadata__` is not an object of strings.
        case invalidMetadata(String)
        /// A tensor entry is not `{"dtype": ..., "shape": [...], "data_offsets": [begin, end]}`.
        case invalidTensorEntry(name: String, problem: String)
        /// The dtype is not one of safetensors' names.
        case unknownDType(name: String, dtype: String)
        /// A dimension is negative or the element count overflows.
        case invalidShape(name: String, shape: String)
        /// `data_offsets` has `end < begin`.
        case invalidOffsets(name: String, begin: Int, end: Int)
        /// The tensor's byte range is not shape × element size.
        case byteLengthMismatch(name: String, dtype: String, shape: [Int], expected: Int, actual: Int)
        /// Tensors, in offset order, leave a gap or overlap: `name` begins at
        /// `begin` where the previous one ended at `expected`.
        case offsetsNotContiguous(name: String, expected: Int, begin: Int)
        /// The tensors do not cover the data section exactly.
        case dataSizeMismatch(covered: Int, dataSize: Int)

        // MARK: The manifest

        /// `__metadata__` has no `anneal` manifest: a safetensors file, but not a checkpoint.
        case missingManifest
        /// `__metadata__` has no `anneal.xxh3_128`, or it is not 32 lowercase hex digits.
        case missingManifestDigest
        /// The manifest's XXH3-128 is not the one recorded beside it.
        case manifestDigestMismatch(expected: String, actual: String)
        /// The manifest is not well-formed JSON.
        case manifestNotJSON(String)
        /// The manifest's format version (its JSON text) is not one this reader knows.
        case unsupportedVersion(String)
        /// A manifest field is missing or has the wrong type or value, at a
        /// key path such as `optimizer.param_groups[0].params`.
        case manifestInvalid(path: String, problem: String)

        // MARK: Tensors against the manifest

        /// A tensor of a known dtype other than `F32`: Anneal's tensors are float32.
        case unsupportedDType(name: String, dtype: String)
        /// The manifest lists a tensor the file lacks.
        case tensorMissing(name: String)
        /// The file has a tensor the manifest does not list.
        case unexpectedTensor(name: String)
        /// A tensor's shape differs between the table and the manifest.
        case tensorShapeMismatch(name: String, manifest: [Int], file: [Int])
        /// A tensor's bytes do not have the XXH3-128 the manifest records.
        case checksumMismatch(name: String, expected: String, actual: String)

        // MARK: Restoring into live objects

        /// The model's parameters differ from the checkpoint's (names or shapes).
        case modelMismatch(String)
        /// The optimizer differs (type, param group count or sizes, state).
        case optimizerMismatch(String)
        /// The schedulers differ (count or types).
        case schedulerMismatch(String)
        /// The optimizer keeps per-parameter tensors but does not conform to
        /// ``CheckpointableOptimizer``, so its state cannot be saved.
        case optimizerNotCheckpointable(type: String)
        /// A `loadStateDict` or ``CheckpointableOptimizer/restoreState(tensors:scalars:)``
        /// refused the checkpoint's state; everything was put back as it was.
        case restoreFailed(String)

        // MARK: The store

        /// No file under the final name verifies (the skipped ones are reported separately).
        case noValidCheckpoint
        /// No checkpoint of that step in the directory.
        case stepNotFound(Int)
        /// The manifest's step is not the one in the file's name (a file
        /// renamed or copied under another step's name): trusting the name
        /// would make a stale file the newest.
        case stepMismatch(fileName: Int, manifest: Int)
        /// A name of a checkpoint that is not a regular file (a directory,
        /// a symbolic link, ...): `kind` says what it is.
        case notRegularFile(kind: String)
        /// Another process holds the directory's writer lock; `pid` is the
        /// one recorded in `lockFile` (`nil` when it has not written it yet).
        case directoryLocked(pid: Int?, lockFile: String)

        /// The message, without the file.
        public var description: String {
            switch self {
            case .io(let operation, let reason): return "\(operation) failed: \(reason)"
            case .shortRead(let offset, let expected, let got):
                return "short read at byte \(offset): expected \(expected) bytes, got \(got) (did the file change?)"
            case .fileTooShort(let size):
                return "file too short: \(size) bytes, a safetensors file starts with an 8-byte header length"
            case .headerTooLarge(let length, let limit):
                return "header length \(length) is over the limit of \(limit) bytes"
            case .headerBeyondFile(let length, let fileSize):
                return "header length \(length) runs past the end of the file (\(fileSize) bytes, so at most \(max(0, fileSize - 8)))"
            case .headerNotJSON(let message): return "header is not valid JSON: \(message)"
            case .headerNotObject(let kind): return "header is a JSON \(kind), not an object"
            case .duplicateKey(let path, let key):
                if path.isEmpty { return "duplicate tensor name \(quoted(key)) in the header" }
                return "duplicate key \(quoted(key)) in header entry \(path.map(quoted).joined(separator: "."))"
            case .invalidMetadata(let problem): return "invalid __metadata__: \(problem)"
            case .invalidTensorEntry(let name, let problem): return "tensor \(quoted(name)): \(problem)"
            case .unknownDType(let name, let dtype):
                return "tensor \(quoted(name)): unknown dtype \(quoted(dtype)) (known: \(SafetensorsDType.allCases.map(\.rawValue).joined(separator: ", ")))"
            case .invalidShape(let name, let shape): return "tensor \(quoted(name)): invalid shape \(shape)"
            case .invalidOffsets(let name, let begin, let end):
                return "tensor \(quoted(name)): data_offsets [\(begin), \(end)] end before they begin"
            case .byteLengthMismatch(let name, let dtype, let shape, let expected, let actual):
                return "tensor \(quoted(name)): \(dtype) \(shape) needs \(expected) bytes, data_offsets give \(actual)"
            case .offsetsNotContiguous(let name, let expected, let begin):
                let what = begin > expected ? "leaves a gap of \(begin - expected) bytes" : "overlaps the previous tensor by \(expected - begin) bytes"
                return "tensor \(quoted(name)): data begins at \(begin) where the previous tensor ended at \(expected): \(what)"
            case .dataSizeMismatch(let covered, let dataSize):
                return "the tensors cover \(covered) bytes but the data section has \(dataSize)" + (covered > dataSize ? " (truncated file?)" : "")
            case .missingManifest: return "not an Anneal checkpoint: __metadata__ has no \"anneal\" manifest"
            case .missingManifestDigest:
                return "__metadata__ has no valid \"anneal.xxh3_128\" (32 lowercase hex digits) for the manifest"
            case .manifestDigestMismatch(let expected, let actual):
                return "manifest checksum mismatch: recorded XXH3-128 \(expected), computed \(actual) (the manifest was altered)"
            case .manifestNotJSON(let message): return "the manifest is not valid JSON: \(message)"
            case .unsupportedVersion(let version):
                return "unsupported manifest version \(version) (this reader knows version \(CheckpointManifest.version))"
            case .manifestInvalid(let path, let problem): return "manifest \(path): \(problem)"
            case .unsupportedDType(let name, let dtype):
                return "tensor \(quoted(name)): dtype \(dtype) is not supported (Anneal checkpoints hold F32 tensors)"
            case .tensorMissing(let name): return "tensor \(quoted(name)) is in the manifest but not in the file"
            case .unexpectedTensor(let name): return "tensor \(quoted(name)) is in the file but not in the manifest"
            case .tensorShapeMismatch(let name, let manifest, let file):
                return "tensor \(quoted(name)) has shape \(file) in the header but \(manifest) in the manifest"
            case .checksumMismatch(let name, let expected, let actual):
                return "tensor \(quoted(name)): data checksum mismatch: manifest XXH3-128 \(expected), computed \(actual) (corrupted data)"
            case .modelMismatch(let problem): return "does not match the model: \(problem)"
            case .optimizerMismatch(let problem): return "does not match the optimizer: \(problem)"
            case .schedulerMismatch(let problem): return "does not match the schedulers: \(problem)"
            case .optimizerNotCheckpointable(let type):
                return "optimizer \(type) keeps per-parameter state but does not conform to CheckpointableOptimizer"
            case .restoreFailed(let problem): return "restore refused, nothing changed: \(problem)"
            case .noValidCheckpoint: return "no valid checkpoint"
            case .stepNotFound(let step): return "no checkpoint of step \(step)"
            case .stepMismatch(let fileName, let manifest):
                return "the file name says step \(fileName) but the manifest says step \(manifest) (renamed or copied from another step?)"
            case .notRegularFile(let kind): return "not a regular file: \(kind)"
            case .directoryLocked(let pid, let lockFile):
                let holder = pid.map { "process \($0)" } ?? "another process"
                return "in use by another writer: \(holder) holds the lock \(quoted(lockFile)) (one writer per directory)"
            }
        }
    }
}

/// `'name'`, for messages.
func quoted(_ text: String) -> String { "'\(text)'" }
