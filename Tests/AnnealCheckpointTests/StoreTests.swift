import AnnealJSON
import AnnealTensor
import Testing

@testable import AnnealCheckpoint

#if canImport(Glibc)
import Glibc
#endif

/// `CheckpointStore`: names, listing, retention, latest and load.
@Suite("Checkpoint store")
struct StoreTests {
    /// A small checkpoint of `step` whose one value is the step.
    func checkpoint(step: Int) -> Checkpoint {
        Checkpoint(
            manifest: CheckpointManifest(step: step, parameters: [.init(name: "w", shape: [2])]),
            tensors: ["model.w": Tensor([Float(step), 1])])
    }

    @Test("File names: checkpoint-<8 digits>.safetensors, and back")
    func fileNames() {
        #expect(CheckpointStore.fileName(step: 42) == "checkpoint-00000042.safetensors")
        #expect(CheckpointStore.fileName(step: 123_456_789) == "checkpoint-123456789.safetensors")
        #expect(CheckpointStore.step(ofFileName: "checkpoint-00000042.safetensors") == 42)
        #expect(CheckpointStore.step(ofFileName: "checkpoint-123456789.safetensors") == 123_456_789)
        #expect(CheckpointStore.step(ofFileName: ".checkpoint-00000042.safetensors.tmp-12-ab") == nil)
        #expect(CheckpointStore.step(ofFileName: "checkpoint-.safetensors") == nil)
        #expect(CheckpointStore.step(ofFileName: "checkpoint-4x.safetensors") == nil)
        #expect(CheckpointStore.temporaryFileOwner(".checkpoint-00000042.safetensors.tmp-1234-abcd") == 1234)
    }

    @Test("save, list, load(step:) and latest()")
    func saveListLoad() throws {
        let directory = temporaryDirectory()
        defer { removeDirectory(directory) }
        let store = try CheckpointStore(directory: directory)
        #expect(try store.list().isEmpty)
        #expect(try store.latest().checkpoint == nil)
        for step in [5, 10, 15] { try store.save(checkpoint(step: step)) }
        #expect(try store.list().map(\.step) == [5, 10, 15])
        #expect(try store.load(step: 10) == checkpoint(step: 10))
        let latest = try store.latest()
        #expect(latest.checkpoint == checkpoint(step: 15))
        #expect(latest.entry?.path == directory + "/checkpoint-00000015.safetensors")
        #expect(latest.skipped.isEmpty)
        do {
            _ = try store.load(step: 11)
            Issue.record("loaded a missing step")
        } catch {
            #expect(error == CheckpointError(file: directory, .stepNotFound(11)))
            #expect(error.description == "\(directory): no checkpoint of step 11")
        }
    }

    @Test("keepLast keeps the newest N, deleting only after the new one is committed")
    func retention() throws {
        let directory = temporaryDirectory()
        defer { removeDirectory(directory) }
        let store = try CheckpointStore(directory: directory, keepLast: 2)
        for step in 1...5 {
            try store.save(checkpoint(step: step))
            #expect(try store.list().map(\.step) == Array(max(1, step - 1)...step))
        }
        // A failed save deletes nothing: make the target name a directory.
        mkdir(store.path(step: 6), 0o755)
        defer { rmdir(store.path(step: 6)) }
        #expect(throws: CheckpointError.self) { try store.save(checkpoint(step: 6)) }
        #expect(try store.list().map(\.step) == [4, 5])
        #expect(try store.temporaryFiles().isEmpty)
    }

    @Test("latest() skips corrupted and partial files and reports them")
    func latestSkipsDamage() throws {
        let directory = temporaryDirectory()
        defer { removeDirectory(directory) }
        let store = try CheckpointStore(directory: directory)
        for step in [1, 2, 3] { try store.save(checkpoint(step: step)) }
        // Step 3 truncated (a partial copy), step 2 with a flipped data byte.
        let three = readBytes(store.path(step: 3))!
        writeBytes(Array(three.dropLast(3)), to: store.path(step: 3))
        var two = readBytes(store.path(step: 2))!
        two[two.count - 1] ^= 0x20
        writeBytes(two, to: store.path(step: 2))
        // A temporary file of an interrupted save is ignored.
        writeBytes([1, 2, 3], to: directory + "/.checkpoint-00000004.safetensors.tmp-999999-00")
        let latest = try store.latest()
        #expect(latest.checkpoint == checkpoint(step: 1))
        #expect(latest.skipped.map(\.file) == [store.path(step: 3), store.path(step: 2)])
        guard case .dataSizeMismatch = latest.skipped[0].problem, case .checksumMismatch = latest.skipped[1].problem else {
            Issue.record("unexpected reasons: \(latest.skipped)")
            return
        }
        #expect(latest.temporaryFiles == [directory + "/.checkpoint-00000004.safetensors.tmp-999999-00"])
        #expect(try store.list().map(\.step) == [1, 2, 3])
        #expect(try store.verifyAll().map { $0.error == nil } == [true, false, false])
    }

    @Test("Temporary files of dead processes are removed by the next save; a live process's stay")
    func staleTemporaryFiles() throws {
        let directory = temporaryDirectory()
        defer { removeDirectory(directory) }
        let store = try CheckpointStore(directory: directory)
        // pid 1 always runs; a pid above the kernel's maximum never does.
        let live = directory + "/.checkpoint-00000001.safetensors.tmp-1-aa"
        let dead = directory + "/.checkpoint-00000001.safetensors.tmp-99999999-bb"
        writeBytes([0], to: live)
        writeBytes([0], to: dead)
        try store.save(checkpoint(step: 1))
        #expect(try store.temporaryFiles() == [live])
    }

    @Test("The directory is created with its parents; a file in its place is an error")
    func directoryCreation() throws {
        let root = temporaryDirectory()
        defer {
            unlink(root + "/a/b/checkpoint-00000001.safetensors")
            rmdir(root + "/a/b")
            rmdir(root + "/a")
            removeDirectory(root)
        }
        let store = try CheckpointStore(directory: root + "/a/b/")
        #expect(store.directory == root + "/a/b")
        try store.save(checkpoint(step: 1))
        #expect(try store.list().count == 1)
        writeBytes([0], to: root + "/file")
        #expect(throws: CheckpointError.self) { try CheckpointStore(directory: root + "/file") }
    }
}
