import Anneal
import AnnealCheckpoint
import AnnealJSON
import AnnealTraining
import Foundation
import Testing

/// The repository root, from this file's path.
private let repositoryRoot: String = {
    let parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
    return parts.dropLast(3).joined(separator: "/")
}()

/// The checkpoints of `Fixtures/checkpoints/resume/`: a seed3 run (SGD,
/// `StepLR`, `Examples/seed3-mlp/steplr.json`, seed 0) after 3 epochs with
/// one manifest value edited and every checksum recomputed, so each file
/// verifies and only resuming can refuse it. `ANNEAL_WRITE_FIXTURES=1`
/// rewrites them.
enum ResumeFixture: String, CaseIterable, CustomTestStringConvertible {
    case hugeLastEpoch = "huge-last-epoch"
    case hugeStepCount = "huge-step-count"
    case hugeEpoch = "huge-epoch"
    case floatLastEpoch = "float-last-epoch"

    var path: String { repositoryRoot + "/Fixtures/checkpoints/resume/\(rawValue).safetensors" }
    var testDescription: String { rawValue }

    /// The key path the refusal names.
    var refusedPath: String {
        switch self {
        case .hugeLastEpoch: return "schedulers[0].state.last_epoch"
        case .hugeStepCount: return "schedulers[0].state._step_count"
        case .hugeEpoch: return "step"
        case .floatLastEpoch: return "schedulers[0].state.last_epoch"
        }
    }

    static func trainer() throws -> Trainer {
        let spec = try TrainingSpec(contentsOf: repositoryRoot + "/Examples/seed3-mlp/steplr.json")
        return try Trainer(experiment: .seed3, spec: spec, seed: 0)
    }

    func checkpoint() throws -> Checkpoint {
        let trainer = try Self.trainer()
        try trainer.train(epochs: 3)
        let saved = try trainer.checkpoint()
        var manifest = saved.manifest
        func editScheduler(_ key: String, _ value: JSONValue) {
            guard case .object(var state) = manifest.schedulers[0].state else { return }
            state[key] = value
            manifest.schedulers[0].state = canonicalJSON(.object(state))
        }
        switch self {
        case .hugeLastEpoch: editScheduler("last_epoch", .int(Int.max))
        case .hugeStepCount: editScheduler("_step_count", .int(Int.max))
        case .hugeEpoch: manifest.epoch = Int.max
        case .floatLastEpoch: editScheduler("last_epoch", .double(1e300))
        }
        return Checkpoint(manifest: manifest, tensors: saved.tensors)
    }
}

@Suite("Resume boundary: no trap on values from a file")
struct ResumeBoundaryTests {
    static let rewrite = ProcessInfo.processInfo.environment["ANNEAL_WRITE_FIXTURES"] == "1"

    @Test("The committed fixture is what the catalog builds, and it verifies", arguments: ResumeFixture.allCases)
    func fixtureIsReproducible(fixture: ResumeFixture) throws {
        let bytes = try fixture.checkpoint().encoded()
        if Self.rewrite {
            try FileManager.default.createDirectory(atPath: (fixture.path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(bytes).write(to: URL(fileURLWithPath: fixture.path))
        }
        let committed = try [UInt8](Data(contentsOf: URL(fileURLWithPath: fixture.path)))
        #expect(committed == bytes, "\(fixture.rawValue) differs from the catalog (ANNEAL_WRITE_FIXTURES=1 rewrites it)")
        _ = try Checkpoint.read(from: fixture.path)
    }

    @Test("Restoring refuses the value, naming the file and the key path, and changes nothing", arguments: ResumeFixture.allCases)
    func restoreRefuses(fixture: ResumeFixture) throws {
        let checkpoint = try Checkpoint.read(from: fixture.path)
        let trainer = try ResumeFixture.trainer()
        let before = trainer.schedulers.map { $0.stateDict() }
        do {
            try trainer.restore(from: checkpoint)
            Issue.record("\(fixture.rawValue) was restored")
        } catch let error as CheckpointError {
            #expect(error.file == fixture.path)
            guard case .manifestInvalid(let path, _) = error.problem else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(path == fixture.refusedPath)
        }
        #expect(trainer.epoch == 0)
        #expect(trainer.schedulers.map { $0.stateDict() } == before)
        // And training on is fine.
        try trainer.train(epochs: 1)
    }

    @Test("A checkpoint whose step is not epoch × steps per epoch is refused")
    func stepMustMatchEpoch() throws {
        let trainer = try ResumeFixture.trainer()
        try trainer.train(epochs: 2)
        var manifest = try trainer.checkpoint().manifest
        manifest.step = 7
        let checkpoint = Checkpoint(manifest: manifest, tensors: try trainer.checkpoint().tensors)
        let fresh = try ResumeFixture.trainer()
        #expect(throws: CheckpointError.self) { try fresh.restore(from: checkpoint) }
        #expect(fresh.epoch == 0)
    }

    @Test("A failed save names the epoch it was saving, not the next one")
    func saveFailureNamesItsEpoch() throws {
        let directory = NSTemporaryDirectory() + "anneal-save-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try CheckpointStore(directory: directory)
        let trainer = try ResumeFixture.trainer()
        // Epoch 2's file name taken by a directory: its save fails.
        try FileManager.default.createDirectory(atPath: store.path(step: 2 * trainer.stepsPerEpoch), withIntermediateDirectories: false)
        do {
            try trainer.train(through: 4, saving: store)
            Issue.record("the save did not fail")
        } catch let error as CheckpointSaveError {
            #expect(error.epoch == 2)
            #expect(trainer.epoch == 2)
            #expect(error.description.hasPrefix("saving the checkpoint of epoch 2: \(store.path(step: 2))"), "\(error)")
        }
    }
}
