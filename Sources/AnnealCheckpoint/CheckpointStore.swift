#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

import AnnealJSON
import AnnealTensor

/// A directory of checkpoints, one file per step
/// (`checkpoint-00000042.safetensors`), written crash-safely.
///
/// - ``save(_:)`` writes with ``Checkpoint/write(to:)`` (temporary file,
///   `fsync`, `rename`, `fsync` of the directory), then applies the
///   retention: with `keepLast: N`, only the N highest *valid* checkpoints
///   stay, and older ones are deleted only after the new one is committed.
///   Invalid files (damaged, renamed, not regular files) never count toward
///   N and are left in place for ``verifyAll()`` to report.
/// - ``latest()`` verifies from the highest step down and returns the first
///   checkpoint that verifies, reporting the ones it skipped.
/// - A file verifies only when its manifest's step is the step in its name
///   (``CheckpointError/Problem/stepMismatch(fileName:manifest:)``): names
///   are not trusted, so ordering by name is ordering by verified step.
/// - ``list()`` lists the names by step without reading them; temporary
///   files of interrupted saves and the lock file are never listed.
/// - One writer per directory: a writer takes ``lockForWriting()`` first.
///
/// ```swift
/// let store = try CheckpointStore(directory: "run", keepLast: 3)
/// try store.save(state.capture(step: 100, epoch: 4, rng: rng))
/// if let checkpoint = try store.latest().checkpoint { try state.restore(from: checkpoint) }
/// ```
public struct CheckpointStore: Sendable {
    /// The directory.
    public let directory: String
    /// How many checkpoints to keep (the highest steps), or `nil` for all.
    public let keepLast: Int?

    /// A store over `directory`, created (with its parents) when missing.
    ///
    /// - Parameter keepLast: the number of checkpoints to keep, at least 1;
    ///   `nil` keeps every one.
    public init(directory: String, keepLast: Int? = nil) throws(CheckpointError) {
        precondition(keepLast.map { $0 >= 1 } ?? true, "keepLast must be at least 1, got \(keepLast!)")
        precondition(!directory.isEmpty, "the checkpoint directory must not be empty")
        self.directory = directory.count > 1 && directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        self.keepLast = keepLast
        try AnnealCheckpoint.makeDirectories(self.directory)
    }

    /// One name of a checkpoint file in the directory.
    public struct Entry: Sendable, Equatable {
        /// The step in its name (only a file that verifies is known to hold it).
        public var step: Int
        /// Its path (the directory and the name).
        public var path: String
        /// What the name is: only a regular file can be a checkpoint.
        public var kind: FileKind = .regular
    }

    /// What a directory entry is (without following symbolic links).
    public enum FileKind: String, Sendable, Equatable {
        case regular = "regular file"
        case directory
        case symbolicLink = "symbolic link"
        case other = "special file"
    }

    /// Files this store has verified (or written), so that the retention
    /// of every save does not read them again.
    let verified = VerifiedFiles()

    /// The file name of `step`: `checkpoint-<step, 8 digits at least>.safetensors`.
    public static func fileName(step: Int) -> String {
        precondition(step >= 0, "step must be >= 0, got \(step)")
        let digits = String(step)
        return "checkpoint-" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits + ".safetensors"
    }

    /// The step a checkpoint file name stands for, or `nil` for any other name.
    public static func step(ofFileName name: String) -> Int? {
        guard name.hasPrefix("checkpoint-"), name.hasSuffix(".safetensors") else { return nil }
        let digits = name.dropFirst("checkpoint-".count).dropLast(".safetensors".count)
        guard !digits.isEmpty, digits.utf8.allSatisfy({ (48...57).contains($0) }) else { return nil }
        return Int(digits)
    }

    /// The path of `step`'s file.
    public func path(step: Int) -> String { directory + "/" + Self.fileName(step: step) }

    // MARK: Listing

    /// The checkpoint files (regular files under a checkpoint's name), by
    /// increasing step (names only; nothing is read).
    public func list() throws(CheckpointError) -> [Entry] {
        try entries().filter { $0.kind == .regular }
    }

    /// Every name of a checkpoint, by increasing step, with what it is:
    /// directories and symbolic links under such names are not checkpoints,
    /// but ``verifyAll()`` and ``latest()`` report them.
    public func entries() throws(CheckpointError) -> [Entry] {
        try directoryEntries().compactMap { name, kind in
            Self.step(ofFileName: name).map { Entry(step: $0, path: directory + "/" + name, kind: kind) }
        }.sorted { ($0.step, $0.path) < ($1.step, $1.path) }
    }

    /// Temporary files of saves that have not committed (running, or
    /// interrupted by a crash), as paths.
    public func temporaryFiles() throws(CheckpointError) -> [String] {
        try directoryEntries().filter { $0.kind == .regular && Self.temporaryFileOwner($0.name) != nil }
            .map(\.name).sorted().map { directory + "/" + $0 }
    }

    /// The process id in a temporary file's name
    /// (`.checkpoint-….safetensors.tmp-<pid>-<random>`), or `nil` for another name.
    static func temporaryFileOwner(_ name: String) -> pid_t? {
        guard name.hasPrefix(".checkpoint-"), let marker = name.firstRange(of: ".safetensors.tmp-") else { return nil }
        let rest = name[marker.upperBound...]
        guard let dash = rest.firstIndex(of: "-") else { return nil }
        return pid_t(rest[..<dash])
    }

    // MARK: Saving

    /// Writes `checkpoint` as its step's file, then deletes what the
    /// retention no longer keeps, and temporary files left by processes
    /// that no longer run.
    ///
    /// - Returns: the new file.
    @discardableResult
    public func save(_ checkpoint: Checkpoint) throws(CheckpointError) -> Entry {
        removeStaleTemporaryFiles()
        let entry = Entry(step: checkpoint.manifest.step, path: path(step: checkpoint.manifest.step))
        // Verify the files the retention may keep now, before the new one
        // exists, so that after its commit the retention only deletes.
        if let keepLast { _ = try? retentionPlan(keepLast: keepLast, saved: entry.path) }
        try checkpoint.write(to: entry.path)
        verified.recordWritten(entry.path)
        if let keepLast { try applyRetention(keepLast: keepLast, saved: entry) }
        return entry
    }

    /// Captures `state` with the counters and generator and saves it.
    @discardableResult
    public func save(
        _ state: TrainingState, step: Int, epoch: Int = 0, rng: Xoshiro256StarStar? = nil,
        metadata: JSONObject = [:]
    ) throws(CheckpointError) -> Entry {
        try save(try state.capture(step: step, epoch: epoch, rng: rng, metadata: metadata))
    }

    /// Removes temporary files whose writing process no longer runs (it
    /// was killed mid-save); files of running processes are left alone.
    public func removeStaleTemporaryFiles() {
        guard let entries = try? directoryEntries() else { return }
        for (name, kind) in entries where kind == .regular {
            guard let owner = Self.temporaryFileOwner(name), owner != getpid() else { continue }
            if kill(owner, 0) != 0 && errno == ESRCH { unlink(directory + "/" + name) }
        }
    }

    // MARK: Loading

    /// What ``latest()`` found.
    public struct Latest: Sendable {
        /// The newest checkpoint that verifies, or `nil`.
        public var checkpoint: Checkpoint?
        /// Its file.
        public var entry: Entry?
        /// Newer files that did not verify, newest first, with the reason.
        public var skipped: [CheckpointError]
        /// Temporary files of saves that did not commit (ignored).
        public var temporaryFiles: [String]
    }

    /// The newest checkpoint that verifies: files are tried from the highest
    /// step down; corrupted or partial ones are skipped and reported.
    public func latest() throws(CheckpointError) -> Latest {
        var skipped: [CheckpointError] = []
        let temporary = try temporaryFiles()
        for entry in try entries().reversed() {
            do throws(CheckpointError) {
                let checkpoint = try read(entry)
                return Latest(checkpoint: checkpoint, entry: entry, skipped: skipped, temporaryFiles: temporary)
            } catch {
                skipped.append(error)
            }
        }
        return Latest(checkpoint: nil, entry: nil, skipped: skipped, temporaryFiles: temporary)
    }

    /// The checkpoint of `step`, verified.
    ///
    /// - Throws: ``CheckpointError/Problem/stepNotFound(_:)`` (naming the
    ///   directory) when there is no such file, or the reader's error.
    public func load(step: Int) throws(CheckpointError) -> Checkpoint {
        guard let entry = try list().last(where: { $0.step == step }) else {
            throw CheckpointError(file: directory, .stepNotFound(step))
        }
        return try read(entry)
    }

    /// Every name of a checkpoint with the outcome of verifying it (`nil`
    /// when it verifies), by increasing step: damaged files, files whose
    /// manifest has another step, and directories or symbolic links under
    /// such names all fail.
    public func verifyAll() throws(CheckpointError) -> [(entry: Entry, error: CheckpointError?)] {
        try entries().map { entry in
            do throws(CheckpointError) {
                _ = try read(entry)
                return (entry, nil)
            } catch {
                return (entry, error)
            }
        }
    }

    // MARK: Directory access

    /// The names in the directory with what each is (`lstat` where
    /// `readdir` does not say), `.` and `..` left out.
    func directoryEntries() throws(CheckpointError) -> [(name: String, kind: FileKind)] {
        guard let handle = opendir(directory) else {
            throw CheckpointError(file: directory, .io(operation: "open directory", reason: systemError()))
        }
        defer { closedir(handle) }
        var entries: [(name: String, kind: FileKind)] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            guard name != "." && name != ".." else { continue }
            let kind: FileKind
            switch Int32(entry.pointee.d_type) {
            case Int32(DT_REG): kind = .regular
            case Int32(DT_DIR): kind = .directory
            case Int32(DT_LNK): kind = .symbolicLink
            case Int32(DT_UNKNOWN): kind = Self.kind(ofPath: directory + "/" + name)
            default: kind = .other
            }
            entries.append((name, kind))
        }
        return entries
    }

    /// What `path` is, without following a symbolic link.
    static func kind(ofPath path: String) -> FileKind {
        var status = stat()
        guard lstat(path, &status) == 0 else { return .other }
        switch status.st_mode & S_IFMT {
        case S_IFREG: return .regular
        case S_IFDIR: return .directory
        case S_IFLNK: return .symbolicLink
        default: return .other
        }
    }
}

extension CheckpointStore {
    /// `mkdir -p path`, for files written beside a store's (`anneal train --save-torch`).
    public static func makeDirectories(_ path: String) throws(CheckpointError) {
        try AnnealCheckpoint.makeDirectories(path)
    }
}

/// `mkdir -p path`.
func makeDirectories(_ path: String) throws(CheckpointError) {
    var status = stat()
    if stat(path, &status) == 0 {
        guard (status.st_mode & S_IFMT) == S_IFDIR else {
            throw CheckpointError(file: path, .io(operation: "open directory", reason: "not a directory"))
        }
        return
    }
    let (parent, _) = splitPath(path)
    if parent != path && parent != "." && parent != "/" { try makeDirectories(parent) }
    if mkdir(path, 0o755) != 0 && errno != EEXIST {
        throw CheckpointError(file: path, .io(operation: "create directory", reason: systemError()))
    }
}
