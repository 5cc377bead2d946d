#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension CheckpointStore {
    /// The lock file inside the directory: `flock`ed by the one writer,
    /// holding its process id (for the message the next writer gets).
    public static let lockFileName = ".anneal-lock"

    /// The lock file's path.
    public var lockPath: String { directory + "/" + Self.lockFileName }

    /// Takes the directory's writer lock (an exclusive `flock` on
    /// ``lockFileName``), without waiting: two writers on one directory
    /// would delete each other's checkpoints in their retention.
    ///
    /// The lock lasts as long as the returned ``WriterLock`` (or the
    /// process: the kernel drops it when the process dies, so a killed
    /// writer never leaves the directory locked).
    ///
    /// - Throws: ``CheckpointError/Problem/directoryLocked(pid:lockFile:)``
    ///   naming the holder's pid when another process holds it.
    public func lockForWriting() throws(CheckpointError) -> WriterLock {
        try WriterLock(path: lockPath, directory: directory)
    }

    /// The pid written in the lock file, if it holds one (informational:
    /// only the `flock` says whether a writer runs).
    static func recordedOwner(ofLockFile descriptor: Int32) -> pid_t? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = pread(descriptor, &buffer, buffer.count, 0)
        guard count > 0 else { return nil }
        let text = String(decoding: buffer[0..<count], as: UTF8.self).split(separator: "\n").first ?? ""
        return pid_t(text)
    }
}

/// The exclusive writer lock of a ``CheckpointStore`` directory, held until
/// this object is released (or ``unlock()``).
public final class WriterLock: @unchecked Sendable {
    // @unchecked: the descriptor is only closed, once, in unlock/deinit.
    /// The lock file.
    public let path: String
    private var descriptor: Int32

    init(path: String, directory: String) throws(CheckpointError) {
        self.path = path
        // Never unlinked: removing a lock file lets a third process lock a
        // new file of the same name while the second still holds the old one.
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard descriptor >= 0 else {
            throw CheckpointError(file: path, .io(operation: "open lock file", reason: systemError()))
        }
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            if errno == EINTR { continue }
            let busy = errno == EWOULDBLOCK
            let reason = systemError()
            let owner = busy ? CheckpointStore.recordedOwner(ofLockFile: descriptor) : nil
            close(descriptor)
            descriptor = -1
            if busy { throw CheckpointError(file: directory, .directoryLocked(pid: owner.map(Int.init), lockFile: path)) }
            throw CheckpointError(file: path, .io(operation: "lock", reason: reason))
        }
        // Ours now: record the pid for whoever tries next.
        let text = Array("\(getpid())\n".utf8)
        if ftruncate(descriptor, 0) != 0 || pwrite(descriptor, text, text.count, 0) != text.count {
            let reason = systemError()
            unlock()
            throw CheckpointError(file: path, .io(operation: "write lock file", reason: reason))
        }
    }

    /// Releases the lock (the file stays, empty of meaning without the `flock`).
    public func unlock() {
        guard descriptor >= 0 else { return }
        close(descriptor)
        descriptor = -1
    }

    deinit { unlock() }
}
