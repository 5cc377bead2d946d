import AnnealCheckpoint
import AnnealJSON
import AnnealPickle
import AnnealTorch
import Testing

/// The repository root, from this file's path (Tests/AnnealTorchTests/...).
private let repositoryRoot: String = {
    let parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
    return parts.dropLast(3).joined(separator: "/")
}()

private func training(_ name: String) -> String { repositoryRoot + "/Fixtures/torch/training/" + name }

/// Training states saved by torch.save (Scripts/make_torch_fixtures.py),
/// each beside the checkpoint the independent Python converter made of it.
@Test(arguments: ["tutorial", "official", "model_only"])
func trainingStateConvertsAsThePythonConverterDoes(_ name: String) throws {
    let file = try TorchFile(contentsOf: training(name + ".pt"))
    let converted = try TorchTrainingState.checkpoint(from: file)
    let expected = try Checkpoint.read(from: training(name + ".safetensors"))
    #expect(converted == expected, "\(name).pt: \(converted.manifest) vs \(expected.manifest)")
    // Byte for byte: the same canonical layout, the same checksums.
    #expect(converted.encoded() == expected.encoded(), "\(name).pt: the checkpoint's bytes differ from the Python converter's")
}

/// A checkpoint written as a torch.save file reads back as the same
/// checkpoint (types and the scheduler records are in Anneal's layout).
@Test(arguments: ["tutorial", "official", "model_only"])
func checkpointRoundTripsThroughATorchFile(_ name: String) throws {
    let checkpoint = try Checkpoint.read(from: training(name + ".safetensors"))
    let (root, storages) = TorchTrainingState.torchTree(of: checkpoint)
    var sink = ByteArraySink()
    try TorchFileWriter.write(root, storages: storages, toFile: name + ".pt", sink: &sink)
    let file = try TorchFile(bytes: sink.bytes, file: name + ".pt")
    let back = try TorchTrainingState.checkpoint(from: file)
    #expect(back == checkpoint, "\(name): \(back.manifest) vs \(checkpoint.manifest)")
    // PyTorch's types where JSON lost them.
    if case .dict(let top) = file.root, case .dict(let optimizer)? = top["optimizer"],
        case .list(let groups)? = optimizer["param_groups"], case .dict(let group)? = groups.first,
        case .dict(let state)? = optimizer["state"]
    {
        #expect(state.keys.allSatisfy { if case .int = $0 { true } else { false } }, "state keys are ints")
        if let betas = group["betas"] { #expect(betas.pythonTypeName == "tuple") }
    }
    if name == "tutorial", case .dict(let top) = file.root, let scheduler = top["scheduler"],
        case .list(let children)? = scheduler["_schedulers"]
    {
        #expect(children.last?["milestones"]?.pythonTypeName == "collections.Counter")
        #expect(children.last?["milestones"]?[.int(4)] == .int(2), "MultiStepLR's repeated milestone 4 counts 2")
    } else if name == "tutorial" {
        Issue.record("tutorial: no SequentialLR state under \"scheduler\"")
    }
}

/// States a checkpoint cannot hold are refused, naming the file and the entry.
@Test(arguments: [
    ("lambda_untyped.pt", "LambdaLR's or a MultiplicativeLR's state"),
    ("int64_buffer.pt", "model[\"1.num_batches_tracked\"] is a torch.int64 tensor"),
    ("count_mismatch.pt", "the optimizer has 4 parameters, the model state_dict 5 entries"),
])
func unrepresentableStatesAreRefused(_ name: String, _ message: String) throws {
    let file = try TorchFile(contentsOf: training(name))
    do {
        _ = try TorchTrainingState.checkpoint(from: file)
        Issue.record("\(name) converted")
    } catch {
        #expect(error.file.hasSuffix(name))
        #expect(error.problem.contains(message), "\(error)")
    }
}

@Test func aNamedSchedulerTypeResolvesTheAmbiguity() throws {
    let file = try TorchFile(contentsOf: training("lambda_untyped.pt"))
    let checkpoint = try TorchTrainingState.checkpoint(from: file, schedulerTypes: ["LambdaLR"])
    #expect(checkpoint.manifest.schedulers.map(\.type) == ["LambdaLR"])
    #expect(checkpoint.manifest.optimizer?.type == "SGD")
    #expect(checkpoint.manifest.optimizer?.paramGroups.count == 2)
    #expect(throws: TorchStateError.self) { try TorchTrainingState.checkpoint(from: file, schedulerTypes: ["NoSuchLR"]) }
    #expect(throws: TorchStateError.self) { try TorchTrainingState.checkpoint(from: file, schedulerTypes: ["LambdaLR", "StepLR"]) }
    #expect(throws: TorchStateError.self) { try TorchTrainingState.checkpoint(from: file, optimizerType: "Adamw") }
}

/// Each optimizer's param group keys (PyTorch 2.13's `defaults` plus
/// `params`) name it.
@Test func optimizerTypesAreRecognizedFromTheirKeys() {
    let groups: [(String, [String])] = [
        ("SGD", ["lr", "momentum", "dampening", "weight_decay", "nesterov", "maximize", "foreach", "differentiable", "fused"]),
        ("Adam", ["lr", "betas", "eps", "weight_decay", "amsgrad", "maximize", "foreach", "capturable", "differentiable", "fused", "decoupled_weight_decay"]),
        ("RMSprop", ["lr", "momentum", "alpha", "eps", "centered", "weight_decay", "capturable", "foreach", "maximize", "differentiable"]),
        ("Adagrad", ["lr", "lr_decay", "weight_decay", "initial_accumulator_value", "eps", "foreach", "maximize", "differentiable", "fused"]),
        ("Adadelta", ["lr", "rho", "eps", "weight_decay", "foreach", "capturable", "maximize", "differentiable"]),
        ("Adamax", ["lr", "betas", "eps", "weight_decay", "foreach", "maximize", "differentiable", "capturable"]),
        ("NAdam", ["lr", "betas", "eps", "weight_decay", "momentum_decay", "decoupled_weight_decay", "foreach", "maximize", "capturable", "differentiable"]),
        ("RAdam", ["lr", "betas", "eps", "weight_decay", "foreach", "maximize", "capturable", "decoupled_weight_decay", "differentiable"]),
        ("ASGD", ["lr", "lambd", "alpha", "t0", "weight_decay", "foreach", "maximize", "differentiable", "capturable"]),
        ("Rprop", ["lr", "etas", "step_sizes", "foreach", "maximize", "differentiable", "capturable"]),
        ("Adafactor", ["lr", "beta2_decay", "eps", "d", "weight_decay", "foreach", "maximize"]),
    ]
    for (type, keys) in groups {
        var group = JSONObject(keys.map { ($0, JSONValue.bool(false)) })
        group["params"] = [0]
        #expect(TorchTrainingState.inferOptimizerType(group) == type, "\(keys)")
    }
    var adamW = JSONObject(groups[1].1.map { ($0, JSONValue.bool(false)) })
    adamW["decoupled_weight_decay"] = true
    #expect(TorchTrainingState.inferOptimizerType(adamW) == "AdamW")
    #expect(TorchTrainingState.inferOptimizerType(["lr": 0.1, "params": [0]]) == nil)
}
