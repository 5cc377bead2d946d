import Anneal
import AnnealCheckpoint
import AnnealSpec
import AnnealOptim
import AnnealTensor
import AnnealTraining
import Foundation
import Testing

/// A fresh temporary directory for a checkpoint store.
private func temporaryDirectory() throws -> String {
    let path = NSTemporaryDirectory() + "anneal-resume-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

private func bits(_ tensor: Tensor) -> [UInt32] { tensor.scalars.map(\.bitPattern) }

/// Everything that must match bit for bit between an uninterrupted and a resumed run.
private struct Snapshot: Equatable {
    var parameters: [[UInt32]]
    var shapes: [[Int]]
    var stateTensors: [String: [UInt32]]
    var scalarState: [Int: JSONObject]
    var optimizerStateDict: JSONValue
    var schedulerStates: [JSONValue]
    var learningRates: [UInt64]
    var rng: [UInt64]
    var epoch: Int

    init(_ trainer: Trainer) {
        parameters = trainer.model.parameters().map { bits($0.value) }
        shapes = trainer.model.parameters().map(\.value.shape)
        let optimizer = trainer.optimizer as! any CheckpointableOptimizer
        var tensors: [String: [UInt32]] = [:]
        for item in optimizer.stateTensors() {
            tensors["\(item.parameterIndex).\(item.key)\(item.tensor.shape)"] = bits(item.tensor)
        }
        stateTensors = tensors
        scalarState = optimizer.scalarState()
        optimizerStateDict = trainer.optimizer.stateDict()
        schedulerStates = trainer.schedulers.map { $0.stateDict() }
        learningRates = trainer.optimizer.paramGroups.map { $0.lr.bitPattern }
        rng = Array(trainer.rng.state)
        epoch = trainer.epoch
    }
}

@Suite("Checkpoint and resume")
struct CheckpointResumeTests {
    static let specs: [(String, JSONValue)] = [
        ("SGD", [
            "optimizer": ["type": "SGD", "options": ["lr": 0.01, "momentum": 0.9, "nesterov": true, "weight_decay": 0.001]],
            "scheduler": ["type": "StepLR", "args": ["step_size": 2, "gamma": 0.5]],
        ]),
        ("Adam", [
            "optimizer": ["type": "Adam", "options": ["lr": 0.01, "amsgrad": true]],
            "scheduler": ["type": "ExponentialLR", "args": ["gamma": 0.9]],
        ]),
        ("AdamW", [
            "optimizer": ["type": "AdamW", "options": ["lr": 0.005, "weight_decay": 0.1]],
            "scheduler": ["type": "ReduceLROnPlateau", "args": ["patience": 0, "factor": 0.5]],
        ]),
        ("RMSprop", [
            "optimizer": ["type": "RMSprop", "options": ["lr": 0.001, "momentum": 0.5, "centered": true]],
            "scheduler": ["type": "StepLR", "args": ["step_size": 1, "gamma": 0.8]],
        ]),
    ]

    static let names = specs.map(\.0)

    static func trainer(_ name: String, shuffle: Bool = true) throws -> Trainer {
        let spec = try TrainingSpec(json: specs.first { $0.0 == name }!.1)
        return try Trainer(experiment: .seed1, spec: spec, seed: 3, shuffle: shuffle)
    }

    @Test("a resumed run equals the uninterrupted one, bit for bit", arguments: names)
    func resumeIsExact(name: String) throws {
        let total = 6, split = 3
        let uninterrupted = try Self.trainer(name)
        var expectedLines: [String] = []
        try uninterrupted.train(epochs: total) { expectedLines.append(Experiment.seed1.logLine($0)) }

        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try CheckpointStore(directory: directory, keepLast: 3)
        let first = try Self.trainer(name)
        var firstLines: [String] = []
        try first.train(through: split, saving: store, every: 1) { firstLines.append(Experiment.seed1.logLine($0)) }
        #expect(firstLines == Array(expectedLines.prefix(split)))
        let entries = try store.list()
        #expect(entries.count == 3)

        // Fresh objects: the same construction, then the checkpoint.
        let resumed = try Self.trainer(name)
        #expect(Snapshot(resumed) != Snapshot(first))
        let latest = try #require(try resumed.resume(from: store))
        #expect(latest.skipped.isEmpty)
        #expect(resumed.epoch == split)
        #expect(Snapshot(resumed) == Snapshot(first))
        // The optimizer has state to carry (otherwise the test proves little).
        #expect(!(resumed.optimizer as! any CheckpointableOptimizer).stateTensors().isEmpty)

        var resumedLines: [String] = []
        try resumed.train(through: total, saving: store) { resumedLines.append(Experiment.seed1.logLine($0)) }
        #expect(resumedLines == Array(expectedLines.dropFirst(split)))
        #expect(Snapshot(resumed) == Snapshot(uninterrupted))
    }

    @Test("optimizer state survives a save and load through the file", arguments: names)
    func stateRoundTrip(name: String) throws {
        let trainer = try Self.trainer(name)
        try trainer.train(epochs: 2)
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try CheckpointStore(directory: directory)
        let entry = try store.save(try trainer.checkpoint())
        let loaded = try store.load(step: entry.step)
        let fresh = try Self.trainer(name)
        try fresh.restore(from: loaded)
        #expect(Snapshot(fresh) == Snapshot(trainer))
        let optimizer = trainer.optimizer as! any CheckpointableOptimizer
        let keys = Set(optimizer.stateTensors().map(\.key))
        switch name {
        case "SGD": #expect(keys == ["momentum_buffer"])
        case "Adam": #expect(keys == ["step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq"])
        case "AdamW": #expect(keys == ["step", "exp_avg", "exp_avg_sq"])
        default: #expect(keys == ["step", "square_avg", "momentum_buffer", "grad_avg"])
        }
        for item in optimizer.stateTensors() where item.key == "step" { #expect(item.tensor.shape == []) }
    }

    @Test("restoreState refuses bad state and changes nothing", arguments: names)
    func restoreStateValidates(name: String) throws {
        let trainer = try Self.trainer(name)
        try trainer.train(epochs: 1)
        let optimizer = trainer.optimizer as! any CheckpointableOptimizer
        let before = Snapshot(trainer)
        let good = optimizer.stateTensors()
        let scalars = optimizer.scalarState()
        let count = optimizer.parameters.count
        let key = good[0].key

        var wrongShape = good
        wrongShape[0].tensor = Tensor(repeating: 0, shape: [good[0].tensor.count + 1])
        var unknownKey = good
        unknownKey.append(.init(parameterIndex: 0, key: "bogus", tensor: Tensor(repeating: 0, shape: [1])))
        var badIndex = good
        badIndex.append(.init(parameterIndex: count, key: key, tensor: good[0].tensor))
        var duplicate = good
        duplicate.append(good[0])
        for bad in [wrongShape, unknownKey, badIndex, duplicate] {
            #expect(throws: (any Error).self) { try optimizer.restoreState(tensors: bad, scalars: scalars) }
            #expect(Snapshot(trainer) == before)
        }
        #expect(throws: (any Error).self) {
            try optimizer.restoreState(tensors: good, scalars: [count + 5: ["momentum_buffer": .null]])
        }
        #expect(Snapshot(trainer) == before)
        // A required companion missing (Adam and RMSprop need more than one key).
        if name != "SGD" {
            let missing = good.filter { !($0.parameterIndex == 0 && $0.key != "step") }
            #expect(throws: (any Error).self) { try optimizer.restoreState(tensors: missing, scalars: scalars) }
            #expect(Snapshot(trainer) == before)
        }
        // And the good state goes back in unchanged; empty state clears it.
        try optimizer.restoreState(tensors: good, scalars: scalars)
        #expect(Snapshot(trainer) == before)
        try optimizer.restoreState(tensors: [], scalars: [:])
        #expect(optimizer.stateTensors().isEmpty)
    }

    @Test("resuming after an interrupted run with --every 2 skips a damaged newest checkpoint; the lines match")
    func resumeAfterInterruption() throws {
        let total = 9
        let uninterrupted = try Self.trainer("AdamW")
        var expectedLines: [String] = []
        try uninterrupted.train(epochs: total) { expectedLines.append(Experiment.seed1.logLine($0)) }

        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try CheckpointStore(directory: directory, keepLast: 3)
        // A run stopped after epoch 5 saved after epochs 2, 4 and 5 (the last).
        let first = try Self.trainer("AdamW")
        try first.train(through: 5, saving: store, every: 2)
        let steps = try store.list().map(\.step)
        #expect(steps == [2, 4, 5].map { $0 * first.stepsPerEpoch })
        // Damage the newest: resuming falls back to epoch 4.
        let newest = try #require(try store.list().last)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: newest.path))
        bytes[bytes.count - 1] ^= 0xFF
        try bytes.write(to: URL(fileURLWithPath: newest.path))

        let resumed = try Self.trainer("AdamW")
        let latest = try #require(try resumed.resume(from: store))
        #expect(latest.skipped.count == 1)
        #expect(resumed.epoch == 4)
        var lines: [String] = []
        try resumed.train(through: total, saving: store, every: 2) { lines.append(Experiment.seed1.logLine($0)) }
        #expect(lines == Array(expectedLines.dropFirst(4)))
        #expect(Snapshot(resumed) == Snapshot(uninterrupted))
    }

    @Test("resuming from an empty directory starts from scratch")
    func resumeFromNothing() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let trainer = try Self.trainer("SGD")
        let before = Snapshot(trainer)
        #expect(try trainer.resume(from: try CheckpointStore(directory: directory)) == nil)
        #expect(Snapshot(trainer) == before)
    }
}
