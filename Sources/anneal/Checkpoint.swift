import AnnealCheckpoint
import ArgumentParser

#if canImport(Glibc)
import Glibc
#endif

extension AnnealCommand {
    /// `anneal checkpoint inspect FILE` and `anneal checkpoint verify FILE|DIR`.
    struct Checkpoint: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Inspect and verify checkpoints (safetensors files with an Anneal manifest).",
            subcommands: [Inspect.self, Verify.self]
        )
    }
}

extension AnnealCommand.Checkpoint {
    /// `anneal checkpoint inspect FILE`.
    struct Inspect: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a checkpoint's counters, optimizer, schedulers and tensors.",
            discussion: """
                Verifies the file first (structure, manifest, checksums). Exit status: 0 success, \
                64 bad arguments, 65 an unreadable or invalid checkpoint (with the reason).
                """
        )

        @Argument(help: "The checkpoint file.")
        var file: String

        func run() throws {
            do {
                print(try AnnealCheckpoint.Checkpoint.read(from: file).summary())
            } catch {
                printError("anneal checkpoint inspect: \(error)")
                throw ExitCode.dataError
            }
        }
    }

    /// `anneal checkpoint verify FILE|DIR`.
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Verify a checkpoint, or every checkpoint of a directory.",
            discussion: """
                A file: prints "FILE: valid (...)" or the reason it is not. A directory: one line per \
                checkpoint-*.safetensors file, the temporary files of interrupted saves (ignored by \
                readers), and the checkpoint a resume would load. Exit status: 0 every checkpoint \
                valid, 64 bad arguments, 65 an invalid or unreadable checkpoint, or a directory \
                without any.
                """
        )

        @Argument(help: "A checkpoint file, or a checkpoint directory.")
        var path: String

        func run() throws {
            var status = stat()
            if stat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR {
                try verifyDirectory()
            } else {
                do {
                    let checkpoint = try AnnealCheckpoint.Checkpoint.read(from: path)
                    print("\(path): valid (\(describe(checkpoint)))")
                } catch {
                    printError("anneal checkpoint verify: \(error)")
                    throw ExitCode.dataError
                }
            }
        }

        func verifyDirectory() throws {
            let results: [(entry: CheckpointStore.Entry, error: CheckpointError?)]
            let temporary: [String]
            do {
                let store = try CheckpointStore(directory: path)
                results = try store.verifyAll()
                temporary = try store.temporaryFiles()
            } catch {
                printError("anneal checkpoint verify: \(error)")
                throw ExitCode.dataError
            }
            for (entry, error) in results {
                if let error {
                    print("\(entry.path): INVALID: \(error.problem)")
                } else {
                    print("\(entry.path): valid (step \(entry.step))")
                }
            }
            for file in temporary {
                print("\(file): temporary file of an interrupted save (ignored)")
            }
            let invalid = results.filter { $0.error != nil }.count
            if let newest = results.last(where: { $0.error == nil }) {
                print("resume would load \(newest.entry.path)")
            }
            if results.isEmpty {
                printError("anneal checkpoint verify: \(path): no checkpoint-*.safetensors files")
                throw ExitCode.dataError
            }
            if invalid > 0 {
                printError("anneal checkpoint verify: \(path): \(invalid) of \(results.count) checkpoints invalid")
                throw ExitCode.dataError
            }
        }

        func describe(_ checkpoint: AnnealCheckpoint.Checkpoint) -> String {
            let manifest = checkpoint.manifest
            let bytes = checkpoint.tensors.values.reduce(0) { $0 + $1.count * 4 }
            return "step \(manifest.step), epoch \(manifest.epoch), \(checkpoint.tensors.count) tensors, \(bytes) bytes of data"
        }
    }
}
