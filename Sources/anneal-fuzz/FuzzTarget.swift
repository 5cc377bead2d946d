import Anneal
import AnnealCheckpoint
import AnnealConformance
import AnnealSpec
import AnnealPickle
import AnnealTorch
import AnnealPlot

/// What one fuzz input is fed to. Each target takes any bytes: whatever
/// they are, it must return (an error is fine), never trap or hang.
enum FuzzTarget: String, CaseIterable {
    /// The spec reader, the runner, the comparison and its report, and the
    /// plot (SVG and terminal, linear and log, with momentum): the input is
    /// a trace file (spec or golden), as `anneal run`, `diff` and `plot` read it.
    case spec
    /// The checkpoint reader: the input is a checkpoint file, as `anneal
    /// checkpoint verify` and `train --resume` read it.
    case checkpoint
    /// Scheduler state dicts: the input is `{"optimizer", "scheduler",
    /// "state"}` (a golden's optimizer and scheduler, and a state dict of
    /// theirs); the state is loaded into the fresh schedulers, which then
    /// step, as a resume from a hostile checkpoint would.
    case state
    /// The torch.save reader: a zip archive (from `PK`) is read and
    /// validated as `anneal checkpoint inspect` reads a `.pt` file, then
    /// summarised and every tensor decoded; anything else is a bare pickle
    /// for the weights_only unpickler (CRC-32 checks would stop most
    /// mutations of an archived pickle before the unpickler saw them).
    case torch

    /// The most trace records a spec may ask for before the harness skips it:
    /// `repeat` is meant to be large, and a fuzzer finds `10**12`.
    static let recordBudget = 20_000

    func run(_ bytes: [UInt8]) {
        switch self {
        case .spec: Self.runSpec(bytes)
        case .checkpoint: Self.runCheckpoint(bytes)
        case .state: Self.runState(bytes)
        case .torch: Self.runTorch(bytes)
        }
    }

    private static func runSpec(_ bytes: [UInt8]) {
        guard let document = try? JSONValue.parse(bytes: bytes, file: "fuzz.json") else { return }
        _ = document.serialized(indent: 1)
        guard let spec = try? TraceSpec(json: document), withinBudget(spec) else { return }
        guard let candidate = try? TraceRunner.candidate(for: spec) else { return }
        // The input as a golden, against what Anneal made of it, and the report.
        if let result = try? GoldenReplay.compare(golden: document, candidate: candidate) {
            _ = renderDiffReport(result, goldenName: spec.name, goldenPath: "fuzz.json", candidatePath: nil)
            _ = diffJSON(result, goldenName: spec.name, goldenPath: "fuzz.json", candidatePath: nil).serialized()
        }
        _ = candidate.serialized(indent: 1)
        if let run = try? PlotInputs.schedule(json: document, file: "fuzz.json", steps: 64) {
            let chart = Chart(runs: [run], title: spec.name)
            for options in [PlotOptions(), PlotOptions(logScale: true, momentum: true)] {
                _ = SVGChart().render(chart, options: options)
                _ = TerminalChart(columns: 60).render(chart, options: options)
            }
        }
    }

    private static func runCheckpoint(_ bytes: [UInt8]) {
        guard let checkpoint = try? Checkpoint.decode(bytes, file: "fuzz.safetensors") else { return }
        _ = checkpoint.summary()
        _ = checkpoint.owningTensors()
    }

    /// Small limits: a fuzz input must run in milliseconds.
    static let torchLimits: PickleLimits = {
        var limits = PickleLimits()
        limits.maxValues = 1 << 16
        limits.maxDepth = 64
        limits.maxMemoEntries = 1 << 12
        limits.maxContainerCount = 1 << 16
        return limits
    }()

    private static func runTorch(_ bytes: [UInt8]) {
        if bytes.starts(with: [0x50, 0x4B]) {
            guard let file = try? TorchFile(bytes: bytes, file: "fuzz.pt", limits: torchLimits) else { return }
            _ = file.summary()
            _ = file.json()
            var tensors: [TensorReference] = []
            collectTensors(file.root, into: &tensors)
            for tensor in tensors.prefix(64) {
                _ = try? file.elements(of: tensor, limit: 4096)
            }
            // The writer: what was read writes and reads back (`convert a.pt b.pt`).
            var sink = ByteArraySink()
            if (try? TorchFileWriter.write(file.root, storages: file, toFile: "fuzz-out.pt", sink: &sink)) != nil {
                _ = try? TorchFile(bytes: sink.bytes, file: "fuzz-out.pt", limits: torchLimits)
            }
            // A training state to a checkpoint and back (`convert a.pt a.safetensors`, `train --resume`).
            if let checkpoint = try? TorchTrainingState.checkpoint(from: file) {
                _ = checkpoint.encoded()
                let (root, storages) = TorchTrainingState.torchTree(of: checkpoint)
                var stateSink = ByteArraySink()
                if (try? TorchFileWriter.write(root, storages: storages, toFile: "fuzz-state.pt", sink: &stateSink)) != nil,
                    let back = try? TorchFile(bytes: stateSink.bytes, file: "fuzz-state.pt")
                {
                    _ = try? TorchTrainingState.checkpoint(from: back)
                }
            }
        } else if let value = try? TorchFile.unpickle(bytes, file: "fuzz.pkl", limits: torchLimits) {
            _ = TorchFile.repr(value)
        }
    }

    private static func collectTensors(_ value: PickleValue, into tensors: inout [TensorReference]) {
        switch value {
        case .tensor(let tensor): tensors.append(tensor)
        case .tuple(let items), .list(let items), .set(let items):
            for item in items { collectTensors(item, into: &tensors) }
        case .dict(let d), .counter(let d), .orderedDict(let d, _):
            for item in d.values { collectTensors(item, into: &tensors) }
        default: break
        }
    }

    private static func runState(_ bytes: [UInt8]) {
        guard let document = try? JSONValue.parse(bytes: bytes, file: "fuzz.json"),
            let optimizer = document["optimizer"], let scheduler = document["scheduler"], let state = document["state"]
        else { return }
        let specDocument: JSONValue = [
            "format": "anneal-trace/1", "name": "fuzz", "optimizer": optimizer, "scheduler": scheduler, "script": [],
        ]
        guard let spec = try? TraceSpec(json: specDocument), let built = try? TraceRunner.build(spec) else { return }
        let states: [JSONValue] = spec.schedulerIsList ? state.arrayValue ?? [] : [state]
        for (scheduler, state) in zip(built.schedulers, states) {
            guard (try? scheduler.loadStateDict(state)) != nil else { continue }
            _ = scheduler.stateDict().serialized()
            for _ in 0..<3 {
                do {
                    try built.optimizer.step()
                    try scheduler.step(scheduler.stepSignature == .metrics ? .metric(1.0, epoch: nil) : .next)
                } catch {
                    break
                }
            }
            _ = scheduler.stateDict().serialized()
        }
    }

    /// Whether running `spec` stays within ``recordBudget`` records.
    private static func withinBudget(_ spec: TraceSpec) -> Bool {
        var total = 0
        for op in spec.script {
            let (sum, overflow) = total.addingReportingOverflow(op.recordCount)
            if overflow || sum > recordBudget { return false }
            total = sum
        }
        return true
    }
}
