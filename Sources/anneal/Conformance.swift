import AnnealConformance
import AnnealSpec
import ArgumentParser

#if canImport(Glibc)
import Glibc
#endif

extension AnnealCommand {
    /// `anneal conformance [DIR] [--format text|json]`.
    struct Conformance: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replay a corpus of goldens and report conformance.",
            discussion: """
                Runs every golden's spec below DIR and compares it with the golden: a table per \
                scheduler type (traces, records, passed, largest ULP distance), totals, and the \
                failures. Exit status: 0 when every golden passes, 1 otherwise, 65 when DIR cannot be read.
                """
        )

        @Argument(help: "The corpus directory (default: the repository's Golden/).")
        var directory: String?

        @Option(help: "Output format: \"text\" or \"json\".")
        var format: OutputFormat = .text

        func run() throws {
            let directory = self.directory ?? defaultGoldenDirectory()
            let files: [String]
            do {
                files = try GoldenReplay.goldenFiles(in: directory)
            } catch {
                printError("anneal conformance: \(error)")
                throw ExitCode.dataError
            }
            let showProgress = format == .text && isatty(2) != 0
            let start = monotonicSeconds()
            // Files replay in parallel; the report keeps the files' order.
            let total = files.count
            var progress: (@Sendable (Int, String) -> Void)?
            if showProgress {
                progress = { finished, file in
                    printError("\u{1B}[2K\r[\(finished)/\(total)] \(file)", newline: false)
                }
            }
            let outcomes = GoldenReplay.replay(goldenFiles: files, progress: progress)
            if showProgress { printError("\u{1B}[2K\r", newline: false) }
            let report = ConformanceReport(outcomes, seconds: monotonicSeconds() - start)
            switch format {
            case .text: print(report.rendered())
            case .json: print(report.json().serialized(indent: 1))
            }
            if !report.allPassed { throw ExitCode.failure }
        }

        /// `Golden/` of the repository this binary was built in, else `./Golden`.
        private func defaultGoldenDirectory() -> String {
            let source = #filePath  // …/Sources/anneal/Conformance.swift
            let root = source.split(separator: "/", omittingEmptySubsequences: false).dropLast(3).joined(separator: "/")
            let candidate = root + "/Golden"
            var info = stat()
            if stat(candidate, &info) == 0 { return candidate }
            return "Golden"
        }
    }
}

func monotonicSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}
