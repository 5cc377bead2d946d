import ArgumentParser

/// The `anneal` command line: a thin shell over AnnealConformance.
@main
struct AnnealCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "anneal",
        abstract: "PyTorch's learning-rate schedulers, bit for bit: run trace specs and check them against goldens.",
        version: "0.1.0",
        subcommands: [Run.self, Diff.self, Conformance.self, Plot.self, Train.self, Checkpoint.self]
    )

    /// Parses the arguments after `train --resume FILE.pt`'s rewriting (see
    /// ``Train/rewritingResume(_:)``), then runs the command.
    static func main() {
        main(Train.rewritingResume(Array(CommandLine.arguments.dropFirst())))
    }
}

/// `EX_DATAERR` from sysexits.h: the input file was unreadable or invalid.
extension ExitCode {
    static let dataError = ExitCode(65)
}
