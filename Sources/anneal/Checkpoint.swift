import AnnealCheckpoint
import AnnealPickle
import ArgumentParser

#if canImport(Glibc)
import Glibc
#endif

extension AnnealCommand {
    /// `anneal checkpoint inspect FILE`, `verify FILE|DIR` and `convert IN OUT`.
    struct Checkpoint: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Inspect and verify checkpoints (safetensors files with an Anneal manifest, and PyTorch's torch.save files: .pt, .pth, .bin).",
            subcommands: [Inspect.self, Verify.self, Convert.self]
        )
    }
}

extension AnnealCommand.Checkpoint {
    /// `anneal checkpoint inspect FILE`.
    struct Inspect: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a checkpoint's counters, optimizer, schedulers and tensors.",
            discussion: """
                Verifies the file first (structure, manifest, checksums). A torch.save file (.pt, .pth, \
                .bin) prints its object tree: keys, Python types, tensors as dtype, shape and bytes with a \
                short preview; it is read as torch.load(weights_only=True) reads it, and nothing in it is \
                ever executed. Exit status: 0 success, 64 bad arguments, 65 an unreadable, invalid or \
                hostile checkpoint (with the reason).
                """
        )

        @Argument(help: "The checkpoint file.")
        var file: String

        @Option(help: "text, or json (torch.save files only).")
        var format: OutputFormat = .text

        func validate() throws {
            if format == .json && !isTorchFile(file) {
                throw ValidationError("--format json is for torch.save files (.pt, .pth, .bin)")
            }
        }

        func run() throws {
            do {
                if isTorchFile(file) {
                    let torchFile = try TorchFile(contentsOf: file)
                    print(format == .json ? torchFile.json() : torchFile.summary())
                } else {
                    print(try AnnealCheckpoint.Checkpoint.read(from: file).summary())
                }
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
            } else if isTorchFile(path) {
                do {
                    let file = try TorchFile(contentsOf: path)
                    let tensors = countTensors(file.root)
                    print(
                        "\(path): valid (torch.save, \(tensors) tensors in \(file.storages.count) storages, \(file.storageByteCount) bytes of data)"
                    )
                } catch {
                    printError("anneal checkpoint verify: \(error)")
                    throw ExitCode.dataError
                }
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

/// Whether a path names a torch.save file: `.pt`, `.pth` or `.bin`.
func isTorchFile(_ path: String) -> Bool {
    let name = path.split(separator: "/").last.map(String.init) ?? path
    guard let dot = name.lastIndex(of: ".") else { return false }
    return ["pt", "pth", "bin"].contains(name[name.index(after: dot)...].lowercased())
}

/// The tensors of a torch.save file's tree (a view counts once per appearance).
func countTensors(_ value: PickleValue) -> Int {
    switch value {
    case .tensor: 1
    case .tuple(let items), .list(let items), .set(let items): items.reduce(0) { $0 + countTensors($1) }
    case .dict(let d), .counter(let d), .orderedDict(let d, _): d.values.reduce(0) { $0 + countTensors($1) }
    default: 0
    }
}
