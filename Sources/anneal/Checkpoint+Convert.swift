import AnnealPickle
import AnnealTorch
import ArgumentParser

extension AnnealCommand.Checkpoint {
    /// `anneal checkpoint convert IN OUT`.
    struct Convert: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Convert a checkpoint; the format follows each file's extension.",
            discussion: """
                .pt, .pth and .bin are torch.save files. IN.pt → OUT.pt reads the whole object tree as \
                torch.load(weights_only=True) would (nothing executed) and writes it as torch.save \
                lays it out: the same Python types, tensor bits, dtypes, shapes, strides, storage \
                offsets and shared storages. OUT is written crash-safely (temporary file, fsync, \
                rename); on any error it is left as it was. Exit status: 0 success, 64 bad \
                arguments, 65 an unreadable, invalid or hostile input, or an unwritable output.
                """
        )

        @Argument(help: "The checkpoint to read.")
        var input: String

        @Argument(help: "The file to write.")
        var output: String

        func validate() throws {
            guard isTorchFile(input) else {
                throw ValidationError("the input \"\(input)\" is not a torch.save file (.pt, .pth, .bin)")
            }
            guard isTorchFile(output) else {
                throw ValidationError("the output \"\(output)\" is not a torch.save file (.pt, .pth, .bin)")
            }
        }

        func run() throws {
            do {
                let file = try TorchFile(contentsOf: input)
                try TorchFileWriter.write(
                    file.root, storages: file, to: output, archiveName: file.archiveName, bigEndian: file.isBigEndian)
            } catch {
                printError("anneal checkpoint convert: \(error)")
                throw ExitCode.dataError
            }
        }
    }
}
