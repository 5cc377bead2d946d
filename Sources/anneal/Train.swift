import AnnealConformance
import AnnealTraining
import ArgumentParser

extension AnnealCommand {
    /// `anneal train SPEC.json [--model seed1|seed3] [--epochs N] [--seed S] [--shuffle]`.
    struct Train: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Train a seed document's model with the optimizer and scheduler of a spec.",
            discussion: """
                SPEC.json holds "optimizer" and optionally "scheduler" as in the anneal-trace/1 format \
                (a whole trace spec works too). seed1 is the first document's 1-32-10-1 MLP on \
                sin(x) + x^2 in batches of 2; seed3 the 10-32-1 MLP on 512 random points, full batch. \
                The loss is MSELoss; schedulers step once per epoch (ReduceLROnPlateau with the \
                epoch's mean loss). Prints one line per epoch in the document's format with the loss. \
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

        func validate() throws {
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
            do {
                try trainer.train(epochs: epochs) { print(experiment.logLine($0)) }
            } catch {
                printError("anneal train: epoch \(trainer.epoch + 1): \(error)")
                throw ExitCode.failure
            }
        }
    }
}
