/// A torch.save file (PyTorch 1.6 and later, as 2.13 writes it), read as
/// `torch.load(weights_only=True)` would and validated completely: the zip
/// container, every record's CRC-32, the pickle (allowlisted globals only,
/// nothing executed), and every storage and tensor against its record.
///
/// Stored records (torch.save's) are borrowed from a memory map of the file;
/// deflated ones (Python's zipfile) are inflated.
///
/// ```swift
/// let file = try TorchFile(contentsOf: "ckpt.pt")
/// if case .tensor(let weight) = file.root["model"]?["fc.weight"] {
///     print(weight.dtype, weight.shape)          // float32 [10, 784]
///     let values = try file.elements(of: weight, limit: 1 << 20)  // [TensorElement]
/// }
/// ```
public struct TorchFile: Sendable {
    /// The file's name in errors.
    public let file: String
    /// The unpickled object (`data.pkl`).
    public let root: PickleValue
    /// The archive's top-level folder (`archive`, or the saved file's stem in older torch).
    public let archiveName: String
    /// Every record name, without the folder, in the order of the central directory.
    public let recordNames: [String]
    /// Every storage the pickle references, in order of first reference.
    public let storages: [StorageReference]
    /// The `byteorder` record (`little` when absent, as torch reads it).
    public let isBigEndian: Bool
    /// The `.storage_alignment` record, if present.
    public let storageAlignment: Int?
    /// The `.format_version` record, if present.
    public let formatVersion: String?
    /// The `version` record (1 to 10; torch 2.13 writes 3).
    public let version: String?
    let bytes: FileBytes
    let storageBytes: [String: EntryBytes]

    /// Reads and validates the file at `path`.
    public init(contentsOf path: String, limits: PickleLimits = PickleLimits()) throws(TorchFileError) {
        let bytes: FileBytes
        do {
            bytes = try FileBytes(path: path)
        } catch {
            throw TorchFileError(file: path, problem: error)
        }
        try self.init(bytes: bytes, file: path, limits: limits)
    }

    /// Reads and validates a file's bytes; `file` names it in errors.
    public init(bytes: [UInt8], file: String, limits: PickleLimits = PickleLimits()) throws(TorchFileError) {
        try self.init(bytes: FileBytes(bytes: bytes), file: file, limits: limits)
    }

    init(bytes: FileBytes, file: String, limits: PickleLimits) throws(TorchFileError) {
        self.file = file
        self.bytes = bytes
        do {
            let parts = try Self.read(bytes.buffer, limits: limits)
            root = parts.root
            archiveName = parts.archiveName
            recordNames = parts.recordNames
            storages = parts.storages
            storageBytes = parts.storageBytes
            isBigEndian = parts.isBigEndian
            storageAlignment = parts.storageAlignment
            formatVersion = parts.formatVersion
            version = parts.version
        } catch {
            throw TorchFileError(file: file, problem: error)
        }
    }

    private struct Parts {
        var root: PickleValue
        var archiveName: String
        var recordNames: [String]
        var storages: [StorageReference]
        var storageBytes: [String: EntryBytes]
        var isBigEndian: Bool
        var storageAlignment: Int?
        var formatVersion: String?
        var version: String?
    }

    private static func read(_ buffer: UnsafeRawBufferPointer, limits: PickleLimits) throws(TorchFileError.Problem)
        -> Parts
    {
        try checkMagic(buffer)
        let archive = try ZipArchive(buffer: buffer)
        guard let first = archive.entries.first else { throw .zip("the archive has no entries") }
        guard let slash = first.name.firstIndex(of: "/") else {
            throw .zip("the record \(first.name) is not inside a folder (torch.save puts every record in one)")
        }
        let folder = String(first.name[..<slash])
        let prefix = folder + "/"
        var names: [String] = []
        for entry in archive.entries {
            guard entry.name.hasPrefix(prefix) else {
                throw .zip("the record \(entry.name) is outside the archive's folder \(folder)/")
            }
            names.append(String(entry.name.dropFirst(prefix.count)))
        }
        if names.contains("constants.pkl") || names.contains(where: { $0.hasPrefix("code/") }) {
            throw .torchScript
        }
        // Every record's CRC-32 is checked, whatever is read of it later.
        var contents: [String: EntryBytes] = [:]
        for (record, name) in zip(try archive.contentsOfAllEntries(), names) { contents[name] = record }
        func text(_ name: String) throws(TorchFileError.Problem) -> String? {
            guard let record = contents[name] else { return nil }
            guard record.count <= 4096, let value = String(validating: record.array, as: UTF8.self) else {
                throw .badRecord(record: prefix + name, reason: "not a short UTF-8 text")
            }
            return value
        }
        var bigEndian = false
        if let order = try text("byteorder") {
            guard order == "little" || order == "big" else {
                throw .badRecord(record: prefix + "byteorder", reason: "unknown byte order \"\(order)\"")
            }
            bigEndian = order == "big"
        }
        var alignment: Int?
        if let value = try text(".storage_alignment") {
            guard let parsed = Int(value.trimmingSpaces), parsed > 0 else {
                throw .badRecord(record: prefix + ".storage_alignment", reason: "not a positive integer")
            }
            alignment = parsed
        }
        // torch's reader (inline_container.cc) requires a version from 1 to 10.
        var versionText = try text("version")
        if versionText == nil { versionText = try text(".data/version") }
        guard let versionText else {
            throw .missingRecord(prefix + "version")
        }
        guard let fileVersion = Int(versionText.trimmingSpaces), (1...10).contains(fileVersion) else {
            throw .badRecord(
                record: prefix + "version",
                reason: "version \"\(versionText.trimmingSpaces)\" (torch 2.13 reads versions 1 to 10)")
        }
        guard let pickle = contents["data.pkl"] else { throw .missingRecord(prefix + "data.pkl") }
        guard pickle.count <= limits.maxPickleBytes else {
            throw .limit("data.pkl is \(pickle.count) bytes (at most \(limits.maxPickleBytes))")
        }
        var unpickler = Unpickler(bytes: pickle.array, limits: limits)
        let root = try unpickler.load()
        var storages: [StorageReference] = []
        var storageBytes: [String: EntryBytes] = [:]
        for key in unpickler.storageOrder {
            guard let storage = unpickler.storages[key] else { continue }
            guard let record = contents["data/" + key] else { throw .missingRecord(prefix + "data/" + key) }
            // CVE-2026-24747: a storage must be exactly as long as numel × element size.
            guard record.count == storage.byteCount else {
                throw .storage(
                    key: key,
                    reason:
                        "\(storage.count) elements of \(storage.dtype.torchName) need \(storage.byteCount) bytes, the record has \(record.count)"
                )
            }
            storages.append(storage)
            storageBytes[key] = record
        }
        return Parts(
            root: root, archiveName: folder, recordNames: names, storages: storages, storageBytes: storageBytes,
            isBigEndian: bigEndian, storageAlignment: alignment, formatVersion: try text(".format_version"),
            version: try text("version"))
    }

    /// What the first bytes say: a zip archive, or a legacy torch file.
    private static func checkMagic(_ buffer: UnsafeRawBufferPointer) throws(TorchFileError.Problem) {
        if buffer.count >= 4, buffer[0] == 0x50, buffer[1] == 0x4B, buffer[2] == 0x03, buffer[3] == 0x04 { return }
        // Legacy torch.save: a pickle (protocol 2 and the magic number), or a tar archive (torch < 0.4).
        if buffer.count >= 2, buffer[0] == 0x80, buffer[1] <= 5 { throw .legacyFormat }
        if buffer.count >= 262, Array(buffer[257..<262]) == Array("ustar".utf8) { throw .legacyFormat }
        if buffer.count < 4 { throw .zip("the file is \(buffer.count) bytes (truncated?)") }
        throw .notAnArchive
    }

    /// The bytes of a storage (borrowed from the mapped file when stored),
    /// exactly ``StorageReference/byteCount`` long, in the file's byte order.
    public func withStorageBytes<R, E: Error>(
        _ storage: StorageReference, _ body: (UnsafeRawBufferPointer) throws(E) -> R
    ) throws(E) -> R? {
        guard let record = storageBytes[storage.key] else { return nil }
        return try record.withUnsafeBytes(body)
    }
}

extension String {
    var trimmingSpaces: Substring {
        var text = Substring(self)
        while let first = text.first, first.isWhitespace { text.removeFirst() }
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return text
    }
}

extension TorchFile {
    /// Runs a bare pickle (a `data.pkl`) through the weights_only unpickler:
    /// the value tree, with storages referenced but not read.
    ///
    /// ```swift
    /// let value = try TorchFile.unpickle([0x80, 0x02, 0x4B, 0x07, 0x2E], file: "data.pkl")   // .int(7)
    /// ```
    public static func unpickle(_ bytes: [UInt8], file: String, limits: PickleLimits = PickleLimits())
        throws(TorchFileError) -> PickleValue
    {
        var unpickler = Unpickler(bytes: bytes, limits: limits)
        do {
            return try unpickler.load()
        } catch {
            throw TorchFileError(file: file, problem: error)
        }
    }
}

extension TorchFile {
    /// The bytes of `storage` in place in the mapped file, with the object
    /// that keeps them mapped (and unchanged) while it lives: for a stored
    /// record; `nil` for a deflated one (inflated into memory) or a missing one.
    ///
    /// ```swift
    /// if let (bytes, owner) = file.borrowedStorageBytes(tensor.storage) { /* borrow, keeping owner */ }
    /// ```
    public func borrowedStorageBytes(_ storage: StorageReference) -> (bytes: UnsafeRawBufferPointer, owner: AnyObject)? {
        guard case .borrowed(let bytes)? = storageBytes[storage.key] else { return nil }
        return (bytes, self.bytes)
    }
}
