import AnnealCheckpoint
import AnnealConformance
import AnnealTraining
import ArgumentParser

extension AnnealCommand {
    /// `anneal train SPEC.json [--model seed1|seed3] [--epochs N] [--seed S] [--shuffle]
    /// [--checkpoint-dir DIR [--every N] [--keep N] [--resume]]`.
    struct Train: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Train a seed document's model with the optimizer and scheduler of a spec.",
            discussion: """
                SPEC.json holds "optimizer" and optionally "scheduler" as in the anneal-trace/1 format \
                (a whole trace spec works too). seed1 is the first document's 1-32-10-1 MLP on \
                sin(x) + x^2 in batches of 2; seed3 the 10-32-1 MLP on 512 random points, full batch. \
                The loss is MSELoss; schedulers step once per epoch (ReduceLROnPlateau with the \
                epoch's mean loss). Prints one line per epoch in the document's format with the loss. \
                With --checkpoint-dir, saves the training state (model, optimizer, schedulers, the \
                generator, the epoch) every --every epochs and after the last, keeping the newest --keep (0 keeps all); \
                with --resume, first restores the newest valid checkpoint there (damaged ones are \
                skipped) and trains the remaining epochs up to --epochs, printing the same lines an \
                uninterrupted run prints for them. The other options must be the ones the run was \
                started with. \
                Exit status: 0 success, 64 bad arguments, 65 an unreadable or invalid spec, or an \
                optimizer or scheduler PyTorch would refuse to build.
                """
        )

        @Argument(help: "The spec: {\"optimizer\": {...}, \"scheduler\": {...}}.")
        var spec: String

        @Option(help: "The model and data: \(Experiment.allCases.map(\.rawValue).joined(separator: " or ")).")
        var model: String = Experiment.seed1.rawValue

        @Option(help: "Epochs to train.")
        var epochs: Int = 20

        @Option(help: "Seed of the generator for the data, the initialization and shuffling.")
        var seed: UInt64 = 0

        @Flag(help: "Visit the examples in a new random order every epoch (the documents don't).")
        var shuffle = false

        @Option(help: "Save checkpoints in this directory (created if missing).")
        var checkpointDir: String?

        @Option(help: "Save a checkpoint every N epochs (and after the last); needs --checkpoint-dir.")
        var every: Int = 1

        @Option(help: "Keep the newest N checkpoints, deleting older ones after each save (0 keeps all).")
        var keep: Int = 3

        @Flag(help: "Continue from the newest valid checkpoint in --checkpoint-dir (from scratch when there is none).")
        var resume = false

        func validate() throws {
            guard every > 0 else { throw ValidationError("--every must be 1 or more, got \(every).") }
            guard keep >= 0 else { throw ValidationError("--keep must be 0 or more, got \(keep).") }
            if resume && checkpointDir == nil { throw ValidationError("--resume needs --checkpoint-dir.") }
            guard Experiment(rawValue: model) != nil else {
                throw ValidationError(
                    "Unknown model \"\(model)\" (expected \(Experiment.allCases.map(\.rawValue).joined(separator: " or "))).")
            }
            guard epochs >= 0 else { throw ValidationError("--epochs must be 0 or more, got \(epochs).") }
        }

        func run() throws {
            let experiment = Experiment(rawValue: model)!
            let trainer: Trainer
            do {
                let trainingSpec = try TrainingSpec(contentsOf: spec)
                trainer = try Trainer(experiment: experiment, spec: trainingSpec, seed: seed, shuffle: shuffle)
            } catch let error as SpecError {
                printError("anneal train: \(error)")
                throw ExitCode.dataError
            } catch {
                printError("anneal train: \(spec): \(error)")
                throw ExitCode.dataError
            }
            var store: CheckpointStore?
            if let checkpointDir {
                do {
                    let opened = try CheckpointStore(directory: checkpointDir, keepLast: keep == 0 ? nil : keep)
                    store = opened
                    if resume {
                        let latest = try opened.latest()
                        for skipped in latest.skipped { printError("anneal train: skipping \(skipped)") }
                        if let checkpoint = latest.checkpoint {
                            try trainer.restore(from: checkpoint)
                        } else {
                            printError("anneal train: no checkpoint in \(checkpointDir); starting from epoch 0")
                        }
                    }
                } catch {
                    printError("anneal train: \(error)")
                    throw ExitCode.failure
                }
            }
            do {
                try trainer.train(through: epochs, saving: store, every: every) { print(experiment.logLine($0)) }
            } catch {
                printError("anneal train: epoch \(trainer.epoch + 1): \(error)")
                throw ExitCode.failure
            }
        }
    }
}
