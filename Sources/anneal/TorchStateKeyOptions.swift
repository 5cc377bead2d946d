import AnnealTorch
import ArgumentParser

/// `--model-key`, `--optimizer-key`, `--scheduler-key`, `--epoch-key`: where
/// a torch.save'd training state keeps its parts, for `checkpoint convert`
/// and `train --resume FILE.pt`.
struct TorchStateKeyOptions: ParsableArguments {
    @Option(help: "The top-level key of a torch.save'd state's model state_dict (repeat to try several in order).")
    var modelKey: [String] = []

    @Option(help: "The top-level key of its optimizer's state_dict.")
    var optimizerKey: [String] = []

    @Option(help: "The top-level key of its scheduler's state_dict (or a list of them).")
    var schedulerKey: [String] = []

    @Option(help: "The top-level key of its epoch counter (epochs completed).")
    var epochKey: [String] = []

    /// Whether none was given.
    var isEmpty: Bool { modelKey.isEmpty && optimizerKey.isEmpty && schedulerKey.isEmpty && epochKey.isEmpty }

    /// ``TorchStateKeys`` with the given keys in place of the defaults.
    var keys: TorchStateKeys {
        var keys = TorchStateKeys()
        if !modelKey.isEmpty { keys.model = modelKey }
        if !optimizerKey.isEmpty { keys.optimizer = optimizerKey }
        if !schedulerKey.isEmpty { keys.scheduler = schedulerKey }
        if !epochKey.isEmpty { keys.epoch = epochKey }
        return keys
    }
}
