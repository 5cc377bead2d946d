import AnnealCheckpoint
import AnnealPickle
import AnnealTorch
import ArgumentParser

extension AnnealCommand.Checkpoint {
    /// `anneal checkpoint convert IN OUT [--optimizer-type T] [--scheduler-type T ...] [--model-key K ...]`.
    struct Convert: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Convert a checkpoint; the format follows each file's extension.",
            discussion: """
                .pt, .pth and .bin are torch.save files; .safetensors is an Anneal checkpoint. \
                IN.pt → OUT.pt reads the whole object tree as torch.load(weights_only=True) would \
                (nothing executed) and writes it as torch.save lays it out: the same Python types, \
                tensor bits, dtypes, shapes, strides, storage offsets and shared storages. \
                IN.pt → OUT.safetensors reads a training state: a dict with the model's state_dict \
                ("model", "model_state_dict" or "state_dict", or --model-key), optionally the \
                optimizer's ("optimizer", "optimizer_state_dict"), one scheduler's state_dict or a \
                list of them ("scheduler", "lr_scheduler", "scheduler_state_dict"), "epoch" and \
                "step"; every other entry is kept in the checkpoint's metadata. The optimizer's and \
                schedulers' types come from the file (Anneal's layout records them), from \
                --optimizer-type and --scheduler-type, or from their state's keys. Tensors must be \
                float32, and the model's entries the optimizer's parameters in order. \
                IN.safetensors → OUT.pt writes the dict {"model", "optimizer", "optimizer_type", \
                "scheduler" (with one scheduler), "schedulers", "step", "epoch", "rng", "metadata"} \
                whose parts PyTorch 2.13's load_state_dict takes. IN.safetensors → OUT.safetensors \
                verifies and rewrites. OUT is written crash-safely (temporary file, fsync, rename); \
                on any error it is left as it was. Exit status: 0 success, 64 bad arguments, 65 an \
                unreadable, invalid or hostile input, a state a checkpoint cannot hold, or an \
                unwritable output.
                """
        )

        @Argument(help: "The checkpoint to read.")
        var input: String

        @Argument(help: "The file to write.")
        var output: String

        @Option(help: "The optimizer's PyTorch class (SGD, AdamW, ...), when the file does not say (.pt → .safetensors).")
        var optimizerType: String?

        @Option(help: "A scheduler's PyTorch class, once per scheduler state in order (.pt → .safetensors).")
        var schedulerType: [String] = []

        @OptionGroup var stateKeys: TorchStateKeyOptions

        func validate() throws {
            guard let from = CheckpointFormat(input) else {
                throw ValidationError("the input \"\(input)\" is neither a torch.save file (.pt, .pth, .bin) nor an Anneal checkpoint (.safetensors)")
            }
            guard let to = CheckpointFormat(output) else {
                throw ValidationError("the output \"\(output)\" is neither a torch.save file (.pt, .pth, .bin) nor an Anneal checkpoint (.safetensors)")
            }
            let stateOptions = optimizerType != nil || !schedulerType.isEmpty || !stateKeys.isEmpty
            if stateOptions && !(from == .torch && to == .anneal) {
                throw ValidationError("--optimizer-type, --scheduler-type and the --*-key options apply to a .pt → .safetensors conversion")
            }
        }

        func run() throws {
            do {
                switch (CheckpointFormat(input)!, CheckpointFormat(output)!) {
                case (.torch, .torch):
                    let file = try TorchFile(contentsOf: input)
                    try TorchFileWriter.write(
                        file.root, storages: file, to: output, archiveName: file.archiveName, bigEndian: file.isBigEndian)
                case (.torch, .anneal):
                    let file = try TorchFile(contentsOf: input)
                    let checkpoint = try TorchTrainingState.checkpoint(
                        from: file, keys: stateKeys.keys, optimizerType: optimizerType,
                        schedulerTypes: schedulerType.isEmpty ? nil : schedulerType)
                    try checkpoint.write(to: output)
                case (.anneal, .torch):
                    let (root, storages) = TorchTrainingState.torchTree(of: try Checkpoint.read(from: input))
                    try TorchFileWriter.write(root, storages: storages, to: output)
                case (.anneal, .anneal):
                    try Checkpoint.read(from: input).write(to: output)
                }
            } catch {
                printError("anneal checkpoint convert: \(error)")
                throw ExitCode.dataError
            }
        }
    }
}

/// A checkpoint file's format, from its extension.
enum CheckpointFormat {
    /// torch.save (`.pt`, `.pth`, `.bin`).
    case torch
    /// Anneal's safetensors checkpoint.
    case anneal

    init?(_ path: String) {
        if isTorchFile(path) {
            self = .torch
        } else if path.lowercased().hasSuffix(".safetensors") {
            self = .anneal
        } else {
            return nil
        }
    }
}
