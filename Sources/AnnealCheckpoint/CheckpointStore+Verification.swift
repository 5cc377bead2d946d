#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension CheckpointStore {
    /// Reads and verifies `entry`: a regular file (not a directory or a
    /// symbolic link under a checkpoint's name), a valid checkpoint, and
    /// one whose manifest's step is the step in its name.
    func read(_ entry: Entry) throws(CheckpointError) -> Checkpoint {
        // Looked at again now: the listing may be old.
        let kind = entry.kind == .regular ? (Self.existingKind(ofPath: entry.path) ?? .regular) : entry.kind
        guard kind == .regular else { throw CheckpointError(file: entry.path, .notRegularFile(kind: kind.rawValue)) }
        let identity = FileIdentity(path: entry.path)
        let checkpoint = try Checkpoint.read(from: entry.path)
        guard checkpoint.manifest.step == entry.step else {
            throw CheckpointError(file: entry.path, .stepMismatch(fileName: entry.step, manifest: checkpoint.manifest.step))
        }
        if let identity { verified.record(entry.path, identity: identity) }
        return checkpoint
    }

    /// Whether `entry` verifies (as ``read(_:)``), without reading a file
    /// this store already verified or wrote, unchanged since.
    func isValid(_ entry: Entry) -> Bool {
        guard entry.kind == .regular else { return false }
        if let identity = FileIdentity(path: entry.path), verified.contains(entry.path, identity: identity) { return true }
        return (try? read(entry)) != nil
    }

    /// With `keepLast: N`: keeps the N highest-step checkpoints that verify
    /// (counting `saved`, just written, which stays whatever its step) and
    /// deletes the regular files below the Nth. Files that do not verify
    /// never count: a damaged or renamed file above the Nth valid one stays
    /// (for `verify` to report) and never pushes a good one out; below it,
    /// it goes like any old checkpoint. Only the files that may be kept are
    /// read, and each once (see ``verified``); directories and symbolic
    /// links are never touched.
    func applyRetention(keepLast: Int, saved: Entry) throws(CheckpointError) {
        var deleted = false
        for entry in try retentionPlan(keepLast: keepLast, saved: saved.path).delete where unlink(entry.path) == 0 {
            verified.forget(entry.path)
            deleted = true
        }
        if deleted { try? syncDirectory(of: saved.path) }
    }

    /// The regular files the retention deletes once `saved` is committed:
    /// those below the `keepLast`-th valid checkpoint, newest first
    /// (`saved` counts as valid). Verifies the candidates for keeping.
    func retentionPlan(keepLast: Int, saved: String) throws(CheckpointError) -> (kept: [Entry], delete: [Entry]) {
        var kept: [Entry] = [], delete: [Entry] = []
        for entry in try entries().reversed() {
            if entry.path == saved {
                kept.append(entry)
            } else if kept.count >= keepLast {
                if entry.kind == .regular { delete.append(entry) }
            } else if isValid(entry) {
                kept.append(entry)
            }
        }
        return (kept, delete)
    }

    /// What `path` is without following a link, or `nil` when `lstat` fails
    /// (the reader then reports why).
    static func existingKind(ofPath path: String) -> FileKind? {
        var status = stat()
        guard lstat(path, &status) == 0 else { return nil }
        return kind(ofPath: path)
    }
}

/// What identifies a file's current contents cheaply: device, inode, size
/// and modification and change times. A file renamed over, rewritten or
/// truncated gets another identity.
struct FileIdentity: Hashable, Sendable {
    var device: UInt64
    var inode: UInt64
    var size: Int64
    var modified: [Int]
    var changed: [Int]

    init?(path: String) {
        var status = stat()
        guard lstat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { return nil }
        device = UInt64(status.st_dev)
        inode = UInt64(status.st_ino)
        size = Int64(status.st_size)
        #if canImport(Darwin)
        modified = [Int(status.st_mtimespec.tv_sec), Int(status.st_mtimespec.tv_nsec)]
        changed = [Int(status.st_ctimespec.tv_sec), Int(status.st_ctimespec.tv_nsec)]
        #else
        modified = [Int(status.st_mtim.tv_sec), Int(status.st_mtim.tv_nsec)]
        changed = [Int(status.st_ctim.tv_sec), Int(status.st_ctim.tv_nsec)]
        #endif
    }
}

/// The files a store has verified or written, by path, with their identity
/// then; shared by copies of the store, safe across threads.
final class VerifiedFiles: @unchecked Sendable {
    // @unchecked: every access to `files` holds `mutex`.
    private var files: [String: FileIdentity] = [:]
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)

    init() { pthread_mutex_init(mutex, nil) }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    private func locked<R>(_ body: () -> R) -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return body()
    }

    func record(_ path: String, identity: FileIdentity) { locked { files[path] = identity } }

    /// Records the file now at `path` (just written by this process).
    func recordWritten(_ path: String) {
        guard let identity = FileIdentity(path: path) else { return }
        record(path, identity: identity)
    }

    func contains(_ path: String, identity: FileIdentity) -> Bool { locked { files[path] == identity } }

    func forget(_ path: String) { locked { files[path] = nil } }
}
