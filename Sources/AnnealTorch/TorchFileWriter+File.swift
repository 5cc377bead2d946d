import AnnealCheckpoint
import AnnealPickle

extension TorchFileWriter {
    /// Writes a torch.save file at `path` crash-safely: to a temporary file
    /// beside it, `fsync`, `rename` over `path`, `fsync` of the directory
    /// (``AtomicFileWriter``). On any error `path` is unchanged.
    ///
    /// ```swift
    /// let file = try TorchFile(contentsOf: "a.pt")
    /// try TorchFileWriter.write(file.root, storages: file, to: "b.pt", bigEndian: file.isBigEndian)
    /// ```
    public static func write(
        _ root: PickleValue, storages: some TorchStorageSource, to path: String,
        archiveName: String = defaultArchiveName, bigEndian: Bool = false
    ) throws(TorchFileError) {
        var sink: FileSink
        do {
            sink = FileSink(writer: try AtomicFileWriter(path: path))
        } catch {
            throw TorchFileError(file: path, problem: .unwritable("\(error.problem)"))
        }
        do {
            try write(root, storages: storages, toFile: path, sink: &sink, archiveName: archiveName, bigEndian: bigEndian)
            try sink.commit()
        } catch let error as TorchFileError {
            sink.writer.abandon()
            throw error
        } catch {
            sink.writer.abandon()
            throw TorchFileError(file: path, problem: .unwritable("\(error)"))
        }
    }
}

/// ``AtomicFileWriter`` as a ``TorchFileSink``: headers and small records
/// are gathered into 256 KiB writes (few system calls, little memory: a
/// save's peak is the source's mapped bytes and the runtime), large records
/// go to the file directly.
struct FileSink: TorchFileSink {
    var writer: AtomicFileWriter
    private var pending: [UInt8] = []
    static let gather = 256 << 10

    init(writer: AtomicFileWriter) {
        self.writer = writer
        pending.reserveCapacity(Self.gather)
    }

    mutating func write(_ bytes: UnsafeRawBufferPointer) throws {
        if pending.count + bytes.count <= Self.gather {
            pending.append(contentsOf: bytes)
            return
        }
        try flush()
        if bytes.count >= Self.gather {
            try writer.write(bytes)
        } else {
            pending.append(contentsOf: bytes)
        }
    }

    mutating func flush() throws {
        guard !pending.isEmpty else { return }
        var failure: CheckpointError?
        pending.withUnsafeBytes { bytes in
            do throws(CheckpointError) { try writer.write(bytes) } catch { failure = error }
        }
        if let failure { throw failure }
        pending.removeAll(keepingCapacity: true)
    }

    mutating func commit() throws {
        try flush()
        try writer.commit()
    }
}
