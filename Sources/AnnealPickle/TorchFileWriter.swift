/// Where a writer finds the bytes of the storages a value references.
public protocol TorchStorageSource {
    /// Calls `body` with the bytes of `storage` (``StorageReference/byteCount``
    /// of them, in the byte order the writer is told), or returns `nil`
    /// when this source does not have it.
    func withBytes<R>(of storage: StorageReference, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R?
}

extension TorchFile: TorchStorageSource {
    /// The file's storages, borrowed from its memory map (in the file's byte order).
    public func withBytes<R>(of storage: StorageReference, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows
        -> R?
    {
        guard let record = storageBytes[storage.key] else { return nil }
        return try record.withUnsafeBytes { try body($0) }
    }
}

/// Storages held in memory, by key.
///
/// ```swift
/// let storage = StorageReference(key: "w", dtype: .float32, location: "cpu", count: 2)
/// let weight = TensorReference(storage: storage, storageOffset: 0, shape: [2], strides: [1])
/// let bytes = StorageBytes(["w": [0, 0, 128, 63, 0, 0, 0, 64]])   // [1.0, 2.0]
/// try TorchFileWriter.write(.dict(["w": .tensor(weight)]), storages: bytes, toFile: "w.pt", sink: &sink)
/// ```
public struct StorageBytes: TorchStorageSource, Sendable {
    public var bytes: [String: [UInt8]]
    public init(_ bytes: [String: [UInt8]] = [:]) { self.bytes = bytes }

    public func withBytes<R>(of storage: StorageReference, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows
        -> R?
    {
        guard let data = bytes[storage.key] else { return nil }
        return try data.withUnsafeBytes { try body($0) }
    }
}

/// Writes torch.save files: a ``PickleValue`` and its storages, laid out
/// as torch 2.13's `torch.save` lays them out (records `data.pkl`,
/// `.format_version`, `.storage_alignment`, `byteorder`, `data/<key>`,
/// `version`, `.data/serialization_id`; stored, 64-byte aligned, CRC-32),
/// tensors of the dtypes without a typed storage (uint16/32/64, the
/// float8s, complex32, bits*) with `_rebuild_tensor_v3` as torch.save does,
/// so that `torch.load(weights_only=True)` reads back the same Python
/// types, bits, dtypes, shapes, strides, offsets and storage sharing.
///
/// The output is deterministic: the serialization id (random in torch) is
/// derived from the records' CRCs.
///
/// ```swift
/// let file = try TorchFile(contentsOf: "a.pt")
/// var sink = ByteArraySink()
/// try TorchFileWriter.write(file.root, storages: file, toFile: "b.pt", sink: &sink)
/// ```
public enum TorchFileWriter {
    /// The folder every record is in (torch.save's since 1.6: `archive`).
    public static let defaultArchiveName = "archive"

    /// Writes `root` with the storages it references (from `storages`) to
    /// `sink`. `file` names the destination in errors; `bigEndian` is the
    /// byte order of the storage bytes, recorded in `byteorder`.
    ///
    /// - Throws: ``TorchFileError`` naming `file`: a storage `storages` does
    ///   not have or whose bytes are not its ``StorageReference/byteCount``,
    ///   a bare storage of a dtype that has no typed storage class, a tensor
    ///   torch.load would refuse (an integer one that requires grad, or a
    ///   `_rebuild_tensor_v3` one that requires grad and is not a Parameter),
    ///   two references to one key that disagree, nesting beyond the limit, or the sink's error
    ///   (``TorchFileError/Problem/unwritable(_:)``).
    public static func write<Sink: TorchFileSink>(
        _ root: PickleValue, storages: some TorchStorageSource, toFile file: String, sink: inout Sink,
        archiveName: String = defaultArchiveName, bigEndian: Bool = false
    ) throws(TorchFileError) {
        try write(
            root, storages: storages, toFile: file, sink: &sink, archiveName: archiveName, bigEndian: bigEndian,
            zip64Threshold: 0xFFFF_FFFF)
    }

    static func write<Sink: TorchFileSink>(
        _ root: PickleValue, storages: some TorchStorageSource, toFile file: String, sink: inout Sink,
        archiveName: String, bigEndian: Bool, zip64Threshold: Int
    ) throws(TorchFileError) {
        func fail(_ problem: TorchFileError.Problem) -> TorchFileError { TorchFileError(file: file, problem: problem) }
        guard !archiveName.isEmpty, !archiveName.contains("/") else {
            throw fail(.zip("the archive name \"\(archiveName)\" is empty or has a slash"))
        }
        var pickler = Pickler()
        do { try pickler.save(root) } catch { throw fail(error) }
        // Every storage is checked before anything is written.
        for storage in pickler.storages {
            guard let count = storages.withBytes(of: storage, { $0.count }) else {
                throw fail(.storage(key: storage.key, reason: "the source has no bytes for it"))
            }
            guard count == storage.byteCount else {
                throw fail(
                    .storage(
                        key: storage.key,
                        reason:
                            "\(storage.count) elements of \(storage.dtype.torchName) need \(storage.byteCount) bytes, the source has \(count)"
                    ))
            }
        }
        let prefix = archiveName + "/"
        var zip = ZipArchiveWriter(sink: sink, zip64Threshold: zip64Threshold)
        var identity = SerializationID()
        func text(_ name: String, _ value: String) throws {
            try Array(value.utf8).withUnsafeBytes { try zip.add(prefix + name, $0) }
        }
        do {
            try pickler.bytes.withUnsafeBytes { try zip.add(prefix + "data.pkl", $0) }
            try text(".format_version", "1")
            try text(".storage_alignment", String(ZipArchiveWriter<Sink>.alignment))
            try text("byteorder", bigEndian ? "big" : "little")
            for (index, storage) in pickler.storages.enumerated() {
                try storages.withBytes(of: storage) { bytes in
                    try zip.add(prefix + "data/\(index)", bytes)
                    identity.mix(bytes.count)
                }
            }
            try text("version", "3\n")
            try text(".data/serialization_id", identity.digits(of: pickler.bytes))
            sink = try zip.finish()
        } catch let error as TorchFileError {
            throw error
        } catch {
            throw fail(.unwritable("\(error)"))
        }
    }
}

/// torch's `.data/serialization_id` is 40 decimal digits; Anneal's are a
/// hash of the pickle and the storage sizes, so equal inputs give equal files.
private struct SerializationID {
    private var state: UInt64 = 0xCBF2_9CE4_8422_2325

    /// FNV-1a over the value's 8 bytes.
    mutating func mix(_ value: Int) {
        let bits = UInt64(truncatingIfNeeded: value)
        for shift in 0..<8 { mix(byte: UInt8(truncatingIfNeeded: bits >> (8 * shift))) }
    }

    private mutating func mix(byte: UInt8) {
        state ^= UInt64(byte)
        state = state &* 0x100_0000_01B3
    }

    mutating func digits(of pickle: [UInt8]) -> String {
        for byte in pickle { mix(byte: byte) }
        let second = state &* 0x9E37_79B9_7F4A_7C15
        func padded(_ value: UInt64) -> String {
            let text = String(value % 10_000_000_000_000_000_000)
            return String(repeating: "0", count: 20 - text.count) + text
        }
        return padded(state) + padded(second)
    }
}
