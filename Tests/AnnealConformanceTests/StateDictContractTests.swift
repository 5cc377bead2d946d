import Anneal
import AnnealJSON
import AnnealSpec
import Foundation
import Testing

/// The rules every scheduler's `loadStateDict` keeps, whatever its keys,
/// checked on the schedulers of the committed specs (every type, composites
/// included): a state is all or nothing, every key is required except the
/// private ones PyTorch adds later, an unknown key is refused, and the keys
/// are checked in the state dict's order.
@Suite("State dict contract")
struct StateDictContractTests {
    /// One spec per scheduler folder (its first, by name), with its built
    /// schedulers stepped a few times so the state is not the initial one.
    static let specs: [String] = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fixtures/specs")
        let manager = FileManager.default
        var paths: [String] = []
        for folder in ((try? manager.contentsOfDirectory(atPath: root.path)) ?? []).sorted() {
            let directory = root.appendingPathComponent(folder)
            let files = ((try? manager.contentsOfDirectory(atPath: directory.path)) ?? []).filter {
                $0.hasSuffix(".json") && !$0.hasPrefix("error")
            }
            for file in files.sorted().prefix(3) { paths.append(directory.appendingPathComponent(file).path) }
        }
        return paths
    }()

    /// Keys PyTorch's `__dict__` gains only once `_initial_step` or
    /// `_update_lr` has run, which a state may therefore lack.
    static let optionalKeys: Set<String> = ["_step_count", "_is_initial", "_get_lr_called_within_step"]

    static func build(_ spec: TraceSpec) -> [any Scheduler]? {
        guard let optimizer = try? spec.optimizer.makeOptimizer(parameters: nil),
            let schedulers = try? spec.schedulers.map({ try SchedulerFactory.build($0, on: optimizer) })
        else { return nil }
        for scheduler in schedulers {
            let input: StepInput = scheduler.stepSignature == .metrics ? .metric(1.0, epoch: nil) : .next
            for _ in 0..<3 { try? scheduler.step(input) }
        }
        return schedulers
    }

    @Test func theSpecsCoverEveryBuiltInScheduler() throws {
        var types: Set<String> = []
        for path in Self.specs {
            guard let spec = try? TraceSpec(contentsOf: path), let built = Self.build(spec) else { continue }
            for scheduler in built { types.insert(scheduler.typeName) }
        }
        #expect(types.isSuperset(of: SchedulerRegistry.builtIns.map { $0.pythonName }), "\(types)")
    }

    @Test(arguments: specs)
    func everyKeyIsRequiredAndCheckedInOrder(_ path: String) throws {
        let spec = try TraceSpec(contentsOf: path)
        guard let built = Self.build(spec) else { return }
        for (index, scheduler) in built.enumerated() {
            let state = try #require(scheduler.stateDict().objectValue)
            let name = scheduler.typeName
            let fresh = { try #require(Self.build(spec)?[index]) }
            // Its own state loads back to the same state.
            let copy = try fresh()
            try copy.loadStateDict(.object(state))
            #expect(copy.stateDict() == .object(state), "\(name) round trip")

            var required: [String] = []
            for key in state.keys {
                var missing = state
                missing[key] = nil
                let target = try fresh()
                let before = target.stateDict()
                if Self.optionalKeys.contains(key) || (name == "ChainedScheduler" && key == "last_epoch") {
                    try target.loadStateDict(.object(missing))
                } else {
                    required.append(key)
                    expectPythonError("KeyError", "\(name) state_dict is missing the key '\(key)'") {
                        try target.loadStateDict(.object(missing))
                    }
                    #expect(target.stateDict() == before, "\(name) without '\(key)' changes nothing")
                }
            }
            var extra = state
            extra["not_a_key"] = 1
            expectPythonError(
                "KeyError", "\(name) state_dict has the unexpected key 'not_a_key'; is it the state of another scheduler?"
            ) { try (try fresh()).loadStateDict(.object(extra)) }
            // With every key gone, the first required key of the state dict is named.
            if let first = required.first {
                expectPythonError("KeyError", "\(name) state_dict is missing the key '\(first)'") {
                    try (try fresh()).loadStateDict([:])
                }
            }
        }
    }

    /// A composite whose second child's state is bad keeps its first child's
    /// state too: nothing is half-loaded.
    @Test func aCompositeLoadIsAllOrNothing() throws {
        let optimizer = try Optimizer(.sgd, options: ["lr": 0.1])
        let warmup = try LinearLR(optimizer: optimizer, startFactor: 0.1, totalIters: 4)
        let decay = try ExponentialLR(optimizer: optimizer, gamma: 0.9)
        let sequential = try SequentialLR(optimizer: optimizer, schedulers: [warmup, decay], milestones: [4])
        let before = sequential.stateDict()
        var state = try #require(before.objectValue)
        var children = try #require(state["_schedulers"]?.arrayValue)
        var first = try #require(children[0].objectValue)
        first["start_factor"] = 0.5
        children[0] = .object(first)
        var second = try #require(children[1].objectValue)
        second["gamma"] = "0.5"
        children[1] = .object(second)
        state["_schedulers"] = .array(children)
        state["last_epoch"] = 7
        expectPythonError("TypeError", "ExponentialLR state_dict key 'gamma' must be a number, got string") {
            try sequential.loadStateDict(.object(state))
        }
        #expect(sequential.stateDict() == before)
        #expect(warmup.startFactor == 0.1)
    }
}

func expectPythonError(
    _ type: String, _ message: String, sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws -> Void
) {
    do {
        try body()
        Issue.record("expected \(type): \(message), got no error", sourceLocation: sourceLocation)
    } catch let error as PythonError {
        #expect(error.type == type && error.message == message, "got \(error)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected \(type): \(message), got \(error)", sourceLocation: sourceLocation)
    }
}
