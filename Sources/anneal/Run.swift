import AnnealConformance
import AnnealSpec
import ArgumentParser

#if canImport(Glibc)
import Glibc
#endif

extension AnnealCommand {
    /// `anneal run SPEC.json... (-o OUT.json | --output-dir DIR)`.
    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run trace specs and write the candidate traces.",
            discussion: """
                Each spec (the anneal-trace/1 format) is built and run; the candidate is the spec \
                plus "source": {"kind": "anneal"} and the "trace" records. An exception PyTorch \
                would raise is recorded, as in a golden. Exit status: 0 when every spec ran, 65 when \
                a spec is unreadable or invalid (the others are still written), 64 for bad arguments.
                """
        )

        @Argument(help: "Trace spec files (goldens work too: their results are ignored).")
        var specs: [String]

        @Option(name: [.customShort("o"), .customLong("output")], help: "Write the candidate of the single spec here.")
        var output: String?

        @Option(name: .customLong("output-dir"), help: "Write one candidate per spec here, under the spec's file name.")
        var outputDirectory: String?

        func validate() throws {
            switch (output, outputDirectory) {
            case (nil, nil): throw ValidationError("Give \"-o OUT.json\" or \"--output-dir DIR\".")
            case (.some, .some): throw ValidationError("Give \"-o\" or \"--output-dir\", not both.")
            case (.some, nil) where specs.count != 1:
                throw ValidationError("\"-o\" takes one spec; use \"--output-dir\" for \(specs.count).")
            default: break
            }
        }

        func run() throws {
            if let outputDirectory {
                try createDirectory(outputDirectory)
            }
            var failed = false
            for spec in specs {
                let destination = output ?? "\(outputDirectory!)/\(fileName(of: spec))"
                do {
                    try TraceFiles.writeCandidate(forSpecAt: spec, to: destination)
                } catch let error as SpecError {
                    printError("anneal run: \(error)")
                    failed = true
                } catch {
                    printError("anneal run: \(destination): \(error)")
                    throw ExitCode.failure
                }
            }
            if failed { throw ExitCode.dataError }
        }

        private func fileName(of path: String) -> String {
            path.split(separator: "/").last.map(String.init) ?? path
        }

        private func createDirectory(_ path: String) throws {
            var isDirectory = stat()
            if stat(path, &isDirectory) == 0 { return }
            if mkdir(path, 0o755) != 0 {
                printError("anneal run: cannot create the directory \"\(path)\": \(String(cString: strerror(errno)))")
                throw ExitCode.failure
            }
        }
    }
}

/// Writes a line to standard error.
func printError(_ message: String, newline: Bool = true) {
    var bytes = Array((newline ? message + "\n" : message).utf8)
    _ = write(2, &bytes, bytes.count)
}
