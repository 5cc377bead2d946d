import Anneal
import AnnealJSON
import AnnealTensor
import Testing

@testable import AnnealCheckpoint

/// Capturing and restoring live objects: bit-exact round trips, and every
/// mismatch refused before anything changes.
@Suite("Training state")
struct TrainingStateTests {
    @Test("Restoring into fresh objects and continuing matches the run that never stopped")
    func resumeIsBitExact() throws {
        var uninterrupted = try SmallRun()
        for _ in 0..<4 { try uninterrupted.step() }
        let checkpoint = try uninterrupted.state.capture(step: 4, epoch: 2, rng: uninterrupted.rng)
        let bytes = checkpoint.encoded()
        for _ in 0..<5 { try uninterrupted.step() }

        var resumed = try SmallRun(seed: 99)  // different initial values: all must be overwritten
        let restored = try resumed.state.restore(from: try Checkpoint.decode(bytes))
        #expect(restored.step == 4)
        #expect(restored.epoch == 2)
        resumed.rng = try #require(restored.rng)
        for _ in 0..<5 { try resumed.step() }
        #expect(resumed.fingerprint == uninterrupted.fingerprint)
    }

    @Test("Capture then restore gives the same state, and capturing again the same bytes")
    func captureRestoreCapture() throws {
        var run = try SmallRun()
        for _ in 0..<3 { try run.step() }
        let checkpoint = try run.state.capture(step: 3, rng: run.rng)
        var fresh = try SmallRun(seed: 5)
        let restored = try fresh.state.restore(from: checkpoint)
        fresh.rng = restored.rng!
        #expect(fresh.fingerprint == run.fingerprint)
        #expect(try fresh.state.capture(step: 3, rng: fresh.rng).encoded() == checkpoint.encoded())
    }

    @Test("Before the first step the optimizer has no state, and that round-trips")
    func noStateYet() throws {
        let run = try SmallRun()
        let checkpoint = try run.state.capture(step: 0)
        #expect(checkpoint.manifest.optimizer?.state == [])
        #expect(checkpoint.manifest.rng == nil)
        var other = try SmallRun()
        try other.step()
        try other.state.restore(from: checkpoint)
        #expect(other.optimizer.stateTensors().isEmpty)
        #expect(other.parameters.map(\.value) == run.parameters.map(\.value))
    }

    /// A mismatch between a checkpoint and live objects.
    struct Mismatch: CustomTestStringConvertible, Sendable {
        var name: String
        var testDescription: String { name }
        /// Builds the live objects the sample checkpoint is restored into.
        var build: @Sendable () throws -> TrainingState
        /// The expected problem.
        var matches: @Sendable (CheckpointError.Problem) -> Bool
    }

    static let mismatches: [Mismatch] = [
        Mismatch(
            name: "a parameter renamed",
            build: {
                let run = try SmallRun()
                run.parameters[1].name = "fc.b"
                return run.state
            },
            matches: { if case .modelMismatch(let m) = $0 { return m.contains("'fc.bias'") } else { return false } }),
        Mismatch(
            name: "a parameter missing",
            build: {
                let run = try SmallRun()
                return TrainingState(parameters: Array(run.parameters.prefix(2)), schedulers: [])
            },
            matches: { if case .modelMismatch(let m) = $0 { return m.contains("'out.weight'") } else { return false } }),
        Mismatch(
            name: "an extra parameter",
            build: {
                let run = try SmallRun()
                return TrainingState(parameters: run.parameters + [Parameter(Tensor([1]), name: "extra")], optimizer: run.optimizer, schedulers: run.schedulers)
            },
            matches: { if case .modelMismatch(let m) = $0 { return m.contains("'extra'") } else { return false } }),
        Mismatch(
            name: "a shape differs",
            build: {
                let run = try SmallRun()
                run.parameters[0].value = Tensor(repeating: 0, shape: [2, 3])
                return run.state
            },
            matches: { $0 == .modelMismatch("parameter 'fc.weight' has shape [3, 2] in the checkpoint, [2, 3] in the model") }),
        Mismatch(
            name: "the order differs",
            build: {
                let run = try SmallRun()
                return TrainingState(parameters: [run.parameters[1], run.parameters[0], run.parameters[2]], optimizer: run.optimizer, schedulers: run.schedulers)
            },
            matches: { if case .modelMismatch(let m) = $0 { return m.contains("order differs") } else { return false } }),
        Mismatch(
            name: "another optimizer type",
            build: {
                let run = try SmallRun()
                let sgd = try Optimizer(.sgd, options: ["lr": 0.1], parameterCounts: [3])
                return TrainingState(parameters: run.parameters, optimizer: sgd, schedulers: run.schedulers)
            },
            matches: { $0 == .optimizerMismatch("the checkpoint's optimizer is Adam, the live one SGD") }),
        Mismatch(
            name: "another param group count",
            build: {
                let run = try SmallRun()
                let optimizer = try FakeAdam(parameters: run.parameters, groups: [[run.parameters[0]], Array(run.parameters[1...])])
                return TrainingState(parameters: run.parameters, optimizer: optimizer, schedulers: [try StepLR(optimizer: optimizer, stepSize: 2), try ExponentialLR(optimizer: optimizer, gamma: 0.9)])
            },
            matches: { $0 == .optimizerMismatch("the checkpoint has 1 param groups, the optimizer 2") }),
        Mismatch(
            name: "no optimizer given",
            build: { TrainingState(parameters: try SmallRun().parameters) },
            matches: { $0 == .optimizerMismatch("the checkpoint has Adam state but no optimizer was given") }),
        Mismatch(
            name: "a scheduler missing",
            build: {
                let run = try SmallRun()
                return TrainingState(parameters: run.parameters, optimizer: run.optimizer, schedulers: [run.schedulers[0]])
            },
            matches: { if case .schedulerMismatch = $0 { return true } else { return false } }),
        Mismatch(
            name: "schedulers of other types",
            build: {
                let run = try SmallRun()
                return TrainingState(parameters: run.parameters, optimizer: run.optimizer, schedulers: [run.schedulers[1], run.schedulers[0]])
            },
            matches: { $0 == .schedulerMismatch(#"the checkpoint has ["StepLR", "ExponentialLR"], the live schedulers are ["ExponentialLR", "StepLR"]"#) }),
        Mismatch(
            name: "the optimizer's parameters are not the model's",
            build: {
                let run = try SmallRun()
                let copies = run.parameters.map { Parameter($0.value, name: $0.name) }
                return TrainingState(parameters: copies, optimizer: run.optimizer, schedulers: run.schedulers)
            },
            matches: { if case .optimizerMismatch(let m) = $0 { return m.contains("not the model's") } else { return false } }),
    ]

    @Test("A mismatch is refused before anything changes", arguments: mismatches)
    func mismatchIsRefused(mismatch: Mismatch) throws {
        let checkpoint = Fixture.base
        let state = try mismatch.build()
        let before = state.namedParameters.map(\.parameter.value)
        let lrBefore = state.optimizer?.learningRates
        let schedulersBefore = state.schedulers.map { $0.stateDict() }
        do {
            try state.restore(from: checkpoint)
            Issue.record("restored despite \(mismatch.name)")
        } catch {
            #expect(mismatch.matches(error.problem), "\(error)")
            #expect(error.file == "checkpoint")
        }
        #expect(state.namedParameters.map(\.parameter.value) == before)
        #expect(state.optimizer?.learningRates == lrBefore)
        #expect(state.schedulers.map { $0.stateDict() } == schedulersBefore)
    }

    @Test("Errors name the file the checkpoint was read from")
    func errorsNameTheFile() throws {
        let checkpoint = try Checkpoint.read(from: Fixture.valid.path)
        let parameters = try SmallRun().parameters
        do throws(CheckpointError) {
            try TrainingState(parameters: parameters).restore(from: checkpoint)
            Issue.record("restored without an optimizer")
        } catch {
            #expect(error.file == Fixture.valid.path)
        }
    }

    @Test("A refused state puts everything back (all or nothing)")
    func refusedStateRollsBack() throws {
        // The checkpoint's second scheduler state is not an ExponentialLR's.
        var manifest = Fixture.base.manifest
        manifest.schedulers[1].state = ["not": "a scheduler state"]
        let checkpoint = Checkpoint(manifest: manifest, tensors: Fixture.base.tensors)
        var run = try SmallRun(seed: 11)
        try run.step()
        let before = run.fingerprint
        do {
            try run.state.restore(from: checkpoint)
            Issue.record("an invalid scheduler state was restored")
        } catch {
            guard case .restoreFailed(let message) = error.problem else { Issue.record("\(error)"); return }
            #expect(message.hasPrefix("scheduler 1 (ExponentialLR):"))
        }
        #expect(run.fingerprint == before)

        // The optimizer refuses a state tensor of the wrong shape.
        var tensors = Fixture.base.tensors
        var bad = Fixture.base.manifest
        bad.optimizer!.state[0].tensorShapes["exp_avg"] = [6]
        tensors["optim.state.0.exp_avg"] = Tensor(repeating: 1, shape: [6])
        do {
            try run.state.restore(from: Checkpoint(manifest: bad, tensors: tensors))
            Issue.record("a misshapen state was restored")
        } catch {
            guard case .restoreFailed(let message) = error.problem else { Issue.record("\(error)"); return }
            #expect(message.contains("the optimizer: exp_avg of 0 has shape [6]"))
        }
        #expect(run.fingerprint == before)
    }

    @Test("An optimizer subclass that is not checkpointable cannot be captured")
    func notCheckpointable() throws {
        final class Opaque: Optimizer {}
        let run = try SmallRun()
        let optimizer = try Opaque(.sgd, options: ["lr": 0.1], parameterCounts: [3])
        do {
            _ = try TrainingState(parameters: run.parameters, optimizer: optimizer).capture(step: 1)
            Issue.record("captured an optimizer whose state would be lost")
        } catch {
            #expect(error.problem == .optimizerNotCheckpointable(type: "Opaque"))
        }
        // A hyperparameter-only optimizer has no such state: its groups are saved.
        let plain = try Optimizer(.sgd, options: ["lr": 0.1, "momentum": 0.9], parameterCounts: [3])
        let checkpoint = try TrainingState(parameters: run.parameters, optimizer: plain).capture(step: 1)
        #expect(checkpoint.manifest.optimizer?.paramGroups.first?["momentum"] == 0.9)
        let other = try Optimizer(.sgd, options: ["lr": 0.5], parameterCounts: [3])
        try TrainingState(parameters: run.parameters, optimizer: other).restore(from: checkpoint)
        #expect(other.paramGroups[0].lr == 0.1)
        #expect(other.paramGroups[0].momentum == 0.9)
    }

    @Test("Learning rates set by the schedulers come back exactly, with user metadata")
    func learningRates() throws {
        var run = try SmallRun()
        for _ in 0..<7 { try run.step() }
        let checkpoint = try run.state.capture(step: 7, epoch: 7, metadata: ["loss": 0.125, "tag": "x"])
        let fresh = try SmallRun()
        let restored = try fresh.state.restore(from: try Checkpoint.decode(checkpoint.encoded()))
        #expect(fresh.optimizer.learningRates.map(\.bitPattern) == run.optimizer.learningRates.map(\.bitPattern))
        #expect(fresh.schedulers.map(\.lastLR) == run.schedulers.map(\.lastLR))
        #expect(restored.metadata == ["loss": 0.125, "tag": "x"])
        #expect(restored.rng == nil)
    }
}
