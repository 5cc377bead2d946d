import AnnealTensor
import Testing

@testable import AnnealCheckpoint

#if canImport(Glibc)
import Glibc
#endif

/// The store does not trust names, counts only valid checkpoints toward
/// `keepLast`, and admits one writer per directory.
@Suite("Checkpoint store: names, retention, one writer")
struct StoreSafetyTests {
    func checkpoint(step: Int) -> Checkpoint {
        Checkpoint(
            manifest: CheckpointManifest(step: step, parameters: [.init(name: "w", shape: [2])]),
            tensors: ["model.w": Tensor([Float(step), 1])])
    }

    func copyFile(_ from: String, _ to: String) { writeBytes(readBytes(from)!, to: to) }

    // MARK: Names

    @Test("A file copied under a higher step's name is invalid, and neither wins latest() nor outranks later saves")
    func renamedFileIsInvalid() throws {
        let directory = temporaryDirectory()
        defer { removeDirectory(directory) }
        let store = try CheckpointStore(directory: directory, keepLast: 3)
        for step in [39, 40] { try store.save(checkpoint(step: step)) }
        copyFile(store.path(step: 40), store.path(step: 999))

        let stale = try #require(try store.verifyAll().first { $0.entry.step == 999 }?.error)
        #expect(stale == CheckpointError(file: store.path(step: 999), .stepMismatch(fileName: 999, manifest: 40)))
        #expect(stale.description.contains("the file name says step 999 but the manifest says step 40"))
        var latest = try store.latest()
        #expect(latest.checkpoint?.manifest.step == 40)
        #expect(latest.skipped == [stale])

        // Later saves are what a resume loads; the stale file does not count toward keepLast 3.
        for step in [41, 42] { try store.save(checkpoint(step: step)) }
        latest = try store.latest()
        #expect(latest.checkpoint?.manifest.step == 42)
        #expect(try store.list().map(\.step) == [40, 41, 42, 999])
        #expect(throws: CheckpointError(file: store.path(step: 999), .stepMismatch(fileName: 999, manifest: 40))) {
            try store.load(step: 999)
        }
    }

    // MARK: Retention

    @Test("keepLast counts only valid checkpoints: an empty file is neither counted nor kept in place of a valid one")
    func retentionSkipsInvalidFiles() throws {
        let directory = temporaryDirectory()
        defer { removeDirectory(directory) }
        let store = try CheckpointStore(directory: directory, keepLast: 3)
        for step in 1...3 { try store.save(checkpoint(step: step)) }
        // A zero-byte file and a renamed one above the valid steps.
        writeBytes([], to: store.path(step: 5))
        copyFile(store.path(step: 1), store.path(step: 6))
        try store.save(checkpoint(step: 4))
        // The three newest valid checkpoints stay; the invalid files are left alone, uncounted.
        #expect(try store.list().map(\.step) == [2, 3, 4, 5, 6])
        #expect(try store.verifyAll().filter { $0.error == nil }.map(\.entry.step) == [2, 3, 4])
        // Once three valid checkpoints are above them, they go like any old file.
        for step in 7...9 { try store.save(checkpoint(step: step)) }
        #expect(try store.list().map(\.step) == [7, 8, 9])
    }

    @Test("The newest valid checkpoint is never deleted, even when the save is of a lower step")
    func newestValidIsKept() throws {
        let directory = temporaryDirectory()
        defer { removeDirectory(directory) }
        let store = try CheckpointStore(directory: directory, keepLast: 1)
        try store.save(checkpoint(step: 10))
        try store.save(checkpoint(step: 3))
        #expect(try store.list().map(\.step) == [3, 10])
        #expect(try store.latest().checkpoint?.manifest.step == 10)
    }

    @Test("Directories and symbolic links under checkpoint names are reported, skipped and never deleted")
    func notRegularFiles() throws {
        let directory = temporaryDirectory()
        defer {
            rmdir(directory + "/checkpoint-00000008.safetensors")
            removeDirectory(directory)
        }
        let store = try CheckpointStore(directory: directory, keepLast: 1)
        try store.save(checkpoint(step: 1))
        #expect(symlink("checkpoint-00000001.safetensors", store.path(step: 7)) == 0)
        #expect(mkdir(store.path(step: 8), 0o755) == 0)
        let results = try store.verifyAll()
        #expect(results.map(\.entry.step) == [1, 7, 8])
        #expect(results.map(\.error?.problem) == [nil, .notRegularFile(kind: "symbolic link"), .notRegularFile(kind: "directory")])
        #expect(try store.latest().checkpoint?.manifest.step == 1)
        for step in 2...3 { try store.save(checkpoint(step: step)) }
        #expect(try store.entries().map(\.step) == [3, 7, 8])
        #expect(CheckpointStore.kind(ofPath: store.path(step: 7)) == .symbolicLink)
    }

    @Test("The committed store-names fixture: one valid file, four invalid names")
    func storeNamesFixture() throws {
        let store = try CheckpointStore(directory: repositoryFile("Fixtures/checkpoints/store-names"))
        let results = try store.verifyAll()
        #expect(results.map(\.entry.step) == [3, 4, 5, 6, 999])
        #expect(results[0].error == nil)
        #expect(results[1].error?.problem == .fileTooShort(size: 0))
        #expect(results[2].error?.problem == .notRegularFile(kind: "symbolic link"))
        #expect(results[3].error?.problem == .notRegularFile(kind: "directory"))
        #expect(results[4].error?.problem == .stepMismatch(fileName: 999, manifest: 3))
        #expect(try store.latest().entry?.step == 3)
    }

    // MARK: One writer

    @Test("The writer lock: a second lock fails naming the holder's pid; the lock file is not a checkpoint")
    func writerLock() throws {
        let directory = temporaryDirectory()
        defer { removeDirectory(directory) }
        let store = try CheckpointStore(directory: directory, keepLast: 1)
        let lock = try store.lockForWriting()
        // flock conflicts between two open files, even in one process.
        #expect(throws: CheckpointError(file: directory, .directoryLocked(pid: Int(getpid()), lockFile: store.lockPath))) {
            _ = try store.lockForWriting()
        }
        for step in 1...3 { try store.save(checkpoint(step: step)) }
        #expect(directoryEntries(directory) == [CheckpointStore.lockFileName, "checkpoint-00000003.safetensors"])
        #expect(try store.verifyAll().map(\.entry.step) == [3])
        lock.unlock()
        let again = try store.lockForWriting()
        again.unlock()
    }

    @Test("Two anneal train processes on one directory: the second stops at once, naming the first's pid")
    func twoWriters() throws {
        let anneal = try #require(builtExecutable("anneal"), "anneal is not built beside the tests")
        let directory = temporaryDirectory(), logs = temporaryDirectory()
        defer {
            removeDirectory(directory)
            removeDirectory(logs)
        }
        let spec = repositoryFile("Examples/seed3-mlp/steplr.json")
        // The first writer: long enough to be running while the second starts.
        let first = try #require(
            spawn(
                anneal, ["train", spec, "--model", "seed1", "--epochs", "100000", "--checkpoint-dir", directory, "--keep", "2"],
                standardOutput: logs + "/out1", standardError: logs + "/err1"))
        var running = true
        defer {
            if running {
                kill(first, SIGKILL)
                _ = waitFor(first)
            }
        }
        // Wait (not timed: for the event) until it holds the lock and has saved.
        let lockFile = directory + "/" + CheckpointStore.lockFileName
        var polls = 0
        while polls < 20_000
            && !(readBytes(lockFile).map { String(decoding: $0, as: UTF8.self) == "\(first)\n" } ?? false
                && directoryEntries(directory).contains { $0.hasPrefix("checkpoint-") })
        {
            sleep(seconds: 0.001)
            polls += 1
        }
        let second = runProcess(anneal, ["train", spec, "--model", "seed1", "--epochs", "3", "--checkpoint-dir", directory, "--resume"])
        #expect(second.status == 1)
        #expect(second.standardError.contains("in use by another writer: process \(first) holds the lock '\(lockFile)'"), "\(second.standardError)")
        #expect(second.standardOutput.isEmpty)
        // The first one kept running; stopped, its files are all its own, valid.
        #expect(kill(first, 0) == 0)
        kill(first, SIGKILL)
        _ = waitFor(first)
        running = false
        let store = try CheckpointStore(directory: directory)
        #expect(try store.verifyAll().allSatisfy { $0.error == nil })
    }
}
