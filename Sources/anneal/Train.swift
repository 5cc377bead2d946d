import AnnealCheckpoint
import AnnealConformance
import AnnealPickle
import AnnealSpec
import AnnealTorch
import AnnealTraining
import ArgumentParser

extension AnnealCommand {
    /// `anneal train SPEC.json [--model seed1|seed3] [--epochs N] [--seed S] [--shuffle]
    /// [--checkpoint-dir DIR [--every N] [--keep N] [--resume]] [--resume FILE.pt] [--save-torch DIR]`.
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
                One writer per directory: a run holds an exclusive lock on DIR/.anneal-lock (with its pid) \
                while it trains, and a second run on the same directory stops at once. Without --resume, \
                a directory that already holds checkpoint files is refused (they belong to another run). \
                Checkpoints are trusted only when they verify (a file whose manifest's step is not the \
                one in its name does not); invalid files never count toward --keep, and those newer \
                than the kept checkpoints are left in place (anneal checkpoint verify DIR reports them). \
                --resume FILE.pt (or .pth, .bin; also --resume-from) restores a torch.save'd training \
                state instead: a dict with the model's state_dict ("model", "model_state_dict" or \
                "state_dict"), the optimizer's ("optimizer", "optimizer_state_dict"), the schedulers' \
                ("scheduler", "lr_scheduler", "scheduler_state_dict": one state_dict or a list) and \
                "epoch" (epochs completed); the parameters by name, the optimizer's state and param \
                groups and every scheduler's state, checked against the spec first (names, shapes, \
                types, group counts: a mismatch names both sides and restores nothing); other keys with \
                --model-key, --optimizer-key, --scheduler-key, --epoch-key, and a run saved part by part with \
                --resume MODEL.pt --resume-optimizer FILE.pt --resume-scheduler FILE.pt --resume-epoch N. A \
                LambdaLR's functions come from the spec. Training continues from that epoch. \
                With --save-torch DIR, every checkpoint (every --every epochs and after the last) is \
                also written as DIR/checkpoint-<step>.pt, a torch.save dict whose "model", \
                "optimizer" and "scheduler" (or "schedulers") PyTorch 2.13's load_state_dict takes. \
                --resume checkpoint-N/ continues a Hugging Face Trainer run from its checkpoint \
                directory (trainer_state.json, model.safetensors or pytorch_model.bin, optimizer.pt, \
                scheduler.pt; rng_state.pth and training_args.bin are not read): the parameters go into \
                the Trainer's two groups (decaying, then biases and norms with weight_decay 0), the \
                schedulers step after every batch as the Trainer's do, and --save-torch writes \
                DIR/checkpoint-<step>/ in the Trainer's layout, which Trainer.train(resume_from_checkpoint=...) \
                continues from. \
                Exit status: 0 success (also when a resumed checkpoint is already at or past --epochs: \
                nothing to train); 1 a failure: the directory cannot be created or listed, is locked by \
                another writer (its pid is named), holds another run's checkpoints without --resume, or \
                a checkpoint cannot be saved, or training fails; 64 bad arguments; 65 an unreadable or \
                invalid spec, an optimizer or scheduler PyTorch would refuse to build, or a checkpoint \
                that cannot be restored (another model, optimizer or schedulers, or out-of-range values).
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

        @Flag(
            help: ArgumentHelp(
                "Continue from the newest valid checkpoint in --checkpoint-dir (from scratch when there is none); --resume FILE.pt continues a PyTorch run.",
                valueName: "FILE.pt"))
        var resume = false

        @Option(help: ArgumentHelp("Continue from a torch.save'd training state (what --resume FILE.pt means).", valueName: "FILE.pt"))
        var resumeFrom: String?

        @Option(help: ArgumentHelp("Also write every checkpoint as a torch.save file in this directory (created if missing).", valueName: "DIR"))
        var saveTorch: String?

        @OptionGroup var stateKeys: TorchStateKeyOptions

        @Option(help: ArgumentHelp("With --resume MODEL.pt (a state_dict alone): the optimizer's state_dict, saved on its own.", valueName: "FILE.pt"))
        var resumeOptimizer: String?

        @Option(help: ArgumentHelp("With --resume MODEL.pt: a scheduler's state_dict saved on its own (once per scheduler, in order).", valueName: "FILE.pt"))
        var resumeScheduler: [String] = []

        @Option(help: "With --resume-optimizer or --resume-scheduler: the epochs the saved run completed (its files do not say).")
        var resumeEpoch: Int?

        /// `train ... --resume FILE.pt`: `--resume` followed by a torch.save
        /// file's name is `--resume-from FILE.pt`; otherwise it is the flag.
        static func rewritingResume(_ arguments: [String]) -> [String] {
            guard arguments.first == "train" else { return arguments }
            var result: [String] = []
            var index = 0
            while index < arguments.count {
                let argument = arguments[index]
                if argument == "--" {
                    result.append(contentsOf: arguments[index...])
                    break
                }
                if argument.hasPrefix("--resume=") {
                    result.append("--resume-from=" + argument.dropFirst("--resume=".count))
                } else if argument == "--resume", index + 1 < arguments.count,
                    isTorchFile(arguments[index + 1]) || HuggingFaceCheckpoint.isCheckpointDirectory(arguments[index + 1])
                {
                    result.append(contentsOf: ["--resume-from", arguments[index + 1]])
                    index += 1
                } else {
                    result.append(argument)
                }
                index += 1
            }
            return result
        }

        func validate() throws {
            if let resumeFrom {
                guard isTorchFile(resumeFrom) || HuggingFaceCheckpoint.isCheckpointDirectory(resumeFrom) else {
                    throw ValidationError(
                        "--resume-from \"\(resumeFrom)\" is neither a torch.save file (.pt, .pth, .bin) nor a Hugging Face Trainer checkpoint directory (with trainer_state.json).")
                }
                if resume { throw ValidationError("--resume (the newest checkpoint in --checkpoint-dir) and --resume FILE.pt exclude each other.") }
            }
            let separateFiles = resumeOptimizer != nil || !resumeScheduler.isEmpty
            if separateFiles || resumeEpoch != nil {
                guard let resumeFrom, isTorchFile(resumeFrom) else {
                    throw ValidationError("--resume-optimizer, --resume-scheduler and --resume-epoch go with --resume MODEL.pt.")
                }
                guard let resumeEpoch, resumeEpoch >= 0 else {
                    throw ValidationError("--resume-optimizer and --resume-scheduler need --resume-epoch N (0 or more): the epochs the saved run completed.")
                }
                guard separateFiles else { throw ValidationError("--resume-epoch goes with --resume-optimizer or --resume-scheduler.") }
                for file in [resumeOptimizer].compactMap({ $0 }) + resumeScheduler where !isTorchFile(file) {
                    throw ValidationError("\"\(file)\" is not a torch.save file (.pt, .pth, .bin).")
                }
            }
            if (resumeFrom == nil || HuggingFaceCheckpoint.isCheckpointDirectory(resumeFrom!))
                && !stateKeys.isEmpty
            {
                throw ValidationError("--model-key, --optimizer-key, --scheduler-key and --epoch-key apply to --resume FILE.pt.")
            }
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
                trainer = try Trainer(
                    experiment: experiment, spec: trainingSpec, seed: seed, shuffle: shuffle,
                    grouping: resumesHuggingFace ? .huggingFace : .one)
                trainer.schedulersStepPerBatch = resumesHuggingFace
            } catch let error as SpecError {
                printError("anneal train: \(error)")
                throw ExitCode.dataError
            } catch {
                printError("anneal train: \(spec): \(error)")
                throw ExitCode.dataError
            }
            var store: CheckpointStore?
            var lock: WriterLock?
            if let checkpointDir {
                let opened: CheckpointStore
                do {
                    opened = try CheckpointStore(directory: checkpointDir, keepLast: keep == 0 ? nil : keep)
                    lock = try opened.lockForWriting()
                } catch {
                    printError("anneal train: \(error)")
                    throw ExitCode.failure
                }
                store = opened
                if resume {
                    try restoreNewest(from: opened, into: trainer)
                } else {
                    try refuseOtherRuns(in: opened)
                }
            }
            if let resumeFrom { try restoreTorch(from: resumeFrom, into: trainer) }
            var export: ((AnnealCheckpoint.Checkpoint) throws -> Void)?
            if let saveTorch {
                do {
                    try CheckpointStore.makeDirectories(saveTorch)
                } catch {
                    printError("anneal train: \(error)")
                    throw ExitCode.failure
                }
                let huggingFace = resumesHuggingFace
                export = { checkpoint in
                    if huggingFace {
                        try HuggingFaceCheckpoint.write(checkpoint, to: saveTorch + "/checkpoint-\(checkpoint.manifest.step)")
                        return
                    }
                    let name = CheckpointStore.fileName(step: checkpoint.manifest.step).dropLast(".safetensors".count) + ".pt"
                    let path = saveTorch + "/" + name
                    let (root, storages) = TorchTrainingState.torchTree(of: checkpoint)
                    try TorchFileWriter.write(root, storages: storages, to: path)
                }
            }
            // Held while this process writes: released when it exits.
            defer { lock?.unlock() }
            if trainer.epoch >= epochs, let source = resumeFrom ?? (resume ? checkpointDir : nil) {
                let relation = trainer.epoch == epochs ? "already at" : "already past"
                printError(
                    "anneal train: the checkpoint in \(source) is at epoch \(trainer.epoch), \(relation) --epochs \(epochs); nothing to train")
                return
            }
            do {
                try trainer.train(
                    through: epochs, saving: store, every: every, report: { print(experiment.logLine($0)) }, export: export)
            } catch let error as CheckpointSaveError {
                printError("anneal train: \(error)")
                throw ExitCode.failure
            } catch {
                printError("anneal train: epoch \(trainer.epoch + 1): \(error)")
                throw ExitCode.failure
            }
        }

        /// `--resume`: the newest valid checkpoint into `trainer` (damaged
        /// ones skipped, with a line each); exit 65 when it cannot be restored.
        func restoreNewest(from store: CheckpointStore, into trainer: Trainer) throws {
            let latest: CheckpointStore.Latest
            do {
                latest = try store.latest()
            } catch {
                printError("anneal train: \(error)")
                throw ExitCode.failure
            }
            for skipped in latest.skipped { printError("anneal train: skipping \(skipped)") }
            guard let checkpoint = latest.checkpoint else {
                printError("anneal train: no valid checkpoint in \(store.directory); starting from epoch 0")
                return
            }
            do {
                try trainer.restore(from: checkpoint)
            } catch {
                printError("anneal train: \(error)")
                throw ExitCode.dataError
            }
        }

        /// Whether `--resume` names a Hugging Face Trainer checkpoint directory.
        var resumesHuggingFace: Bool { resumeFrom.map(HuggingFaceCheckpoint.isCheckpointDirectory) ?? false }

        /// `--resume FILE.pt`: a torch.save'd training state into `trainer`,
        /// all or nothing; exit 65 when it cannot be read or does not fit.
        /// `--resume checkpoint-N/`: a Hugging Face Trainer checkpoint.
        func restoreTorch(from path: String, into trainer: Trainer) throws {
            do {
                if resumesHuggingFace {
                    let fallback = TorchTrainingState.FallbackTypes(
                        optimizer: trainer.optimizer.kind.rawValue, schedulers: trainer.schedulers.map(\.typeName))
                    let loaded = try HuggingFaceCheckpoint.checkpoint(
                        directory: path, parameterNames: trainer.trainingState.namedParameters.map(\.name), fallback: fallback)
                    for note in loaded.notes { printError("anneal train: \(note)") }
                    try trainer.restore(from: loaded.checkpoint)
                    return
                }
                let file = try TorchFile(contentsOf: path)
                let fallback = TorchTrainingState.FallbackTypes(
                    optimizer: trainer.optimizer.kind.rawValue, schedulers: trainer.schedulers.map(\.typeName))
                let stepsPerEpoch = trainer.stepsPerEpoch
                let stepOfEpoch = { (epoch: Int) -> Int in
                    let (step, overflow) = epoch.multipliedReportingOverflow(by: stepsPerEpoch)
                    return overflow ? 0 : step
                }
                var checkpoint: AnnealCheckpoint.Checkpoint
                if resumeOptimizer != nil || !resumeScheduler.isEmpty {
                    checkpoint = try TorchTrainingState.checkpoint(
                        model: file, optimizer: try resumeOptimizer.map { try TorchFile(contentsOf: $0) },
                        schedulers: try resumeScheduler.map { try TorchFile(contentsOf: $0) }, epoch: resumeEpoch ?? 0,
                        fallback: fallback, stepWhenMissing: stepOfEpoch)
                } else {
                    checkpoint = try TorchTrainingState.checkpoint(
                        from: file, keys: stateKeys.keys, fallback: fallback, stepWhenMissing: stepOfEpoch)
                }
                checkpoint.source = path
                try trainer.restore(from: checkpoint)
            } catch {
                printError("anneal train: \(error)")
                throw ExitCode.dataError
            }
        }

        /// Without `--resume`: a directory that already holds checkpoint
        /// files belongs to another run, and saving beside them would mix
        /// the two (the newest, possibly the other run's, is what a resume
        /// loads). Refused, exit 1.
        func refuseOtherRuns(in store: CheckpointStore) throws {
            let entries: [CheckpointStore.Entry]
            do {
                entries = try store.list()
            } catch {
                printError("anneal train: \(error)")
                throw ExitCode.failure
            }
            guard let newest = entries.last else { return }
            printError(
                "anneal train: \(store.directory): already holds \(entries.count) checkpoint file\(entries.count == 1 ? "" : "s") (newest \(quotedName(newest.path))); "
                    + "pass --resume to continue that run, or choose another --checkpoint-dir")
            throw ExitCode.failure
        }
    }
}

/// `'name'`, for messages.
private func quotedName(_ text: String) -> String { "'\(text)'" }
