import Anneal
import AnnealConformance
import AnnealSpec
import ArgumentParser

extension AnnealCommand {
    /// `anneal diff GOLDEN.json [CANDIDATE.json] [--format text|json]`.
    struct Diff: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compare a candidate trace with a golden.",
            discussion: """
                Without a candidate, runs the golden's spec with Anneal and compares that. Reports the \
                first divergence (record, op, key path, expected, got, ULP distance), how many values \
                differ and the largest distance. Exit status: 0 match, 1 mismatch, 64 bad arguments, \
                65 unreadable or invalid input (with the file, line and column).
                """
        )

        @Argument(help: "The golden trace.")
        var golden: String

        @Argument(help: "The candidate trace (default: run the golden's spec).")
        var candidate: String?

        @Option(help: "Output format: \"text\" or \"json\".")
        var format: OutputFormat = .text

        func run() throws {
            let result: ComparisonResult
            let name: String
            do {
                (result, name) = try compare()
            } catch {
                printError("anneal diff: \(error)")
                throw ExitCode.dataError
            }
            switch format {
            case .text:
                print(renderDiffReport(result, goldenName: name, goldenPath: golden, candidatePath: candidate))
            case .json:
                print(diffJSON(result, goldenName: name, goldenPath: golden, candidatePath: candidate).serialized(indent: 1))
            }
            if !result.matches { throw ExitCode.failure }
        }
    }
}

extension AnnealCommand.Diff {
    /// Compares record by record, the files read incrementally (running the
    /// golden's spec when there is no candidate); a file that does not take
    /// that path is read whole, which names the file and the place of any
    /// problem.
    func compare() throws(SpecError) -> (ComparisonResult, String) {
        if let streamed = GoldenReplay.compareStreaming(goldenAt: golden, candidateAt: candidate) {
            return (streamed.result, streamed.name ?? golden)
        }
        return try compareWhole()
    }

    /// Reads both documents (running the golden's spec when there is no
    /// candidate) and compares them; errors name the file and the place.
    func compareWhole() throws(SpecError) -> (ComparisonResult, String) {
        let goldenDocument = try TraceFiles.load(golden)
        let name = goldenDocument["name"]?.stringValue ?? golden
        let candidateDocument: JSONValue
        if let candidate {
            candidateDocument = try TraceFiles.load(candidate)
        } else {
            do {
                candidateDocument = try TraceRunner.candidate(for: try TraceSpec(json: goldenDocument))
            } catch {
                throw error.file == nil ? error.inFile(golden) : error
            }
        }
        do {
            return (try GoldenReplay.compare(golden: goldenDocument, candidate: candidateDocument), name)
        } catch {
            throw error.inFile(error.location == "candidate" ? (candidate ?? golden) : golden)
        }
    }
}

/// `--format`.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}
