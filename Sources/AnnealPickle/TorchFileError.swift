/// Why a torch.save file was refused: the file, and the problem.
///
/// ```swift
/// do { _ = try TorchFile(contentsOf: "evil.pt") } catch {
///     print(error)   // evil.pt: data.pkl at byte 14: global os.system is not allowed ...
/// }
/// ```
public struct TorchFileError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var problem: Problem

    public init(file: String, problem: Problem) {
        self.file = file
        self.problem = problem
    }

    public var description: String { "\(file): \(problem)" }

    public enum Problem: Error, Sendable, Equatable, CustomStringConvertible {
        /// The file could not be opened or read.
        case unreadable(String)
        /// The file could not be written (``TorchFileWriter``).
        case unwritable(String)
        /// A pickle of torch's format before 1.6 (not a zip archive).
        case legacyFormat
        /// A TorchScript archive (`torch.jit.save`), which torch.load refuses with weights_only.
        case torchScript
        /// Neither a zip archive nor a legacy torch file.
        case notAnArchive
        /// The zip structure is broken or hostile.
        case zip(String)
        /// A record is missing (`data.pkl`, `data/<key>`).
        case missingRecord(String)
        /// A record's CRC-32 does not match its bytes.
        case crcMismatch(record: String, expected: UInt32, actual: UInt32)
        /// A record other than the pickle or storages is invalid (`byteorder`, `.format_version`).
        case badRecord(record: String, reason: String)
        /// The pickle is refused: the opcode offset and the reason.
        case pickle(offset: Int, reason: String)
        /// A storage or tensor does not fit its record.
        case storage(key: String, reason: String)
        /// A limit meant to bound memory or time was exceeded.
        case limit(String)

        public var description: String {
            switch self {
            case .unreadable(let reason): "cannot read the file: \(reason)"
            case .unwritable(let reason): "cannot write the file: \(reason)"
            case .legacyFormat:
                "a legacy torch.save file (the pre-1.6 non-zip format), which Anneal does not read; re-save it with torch 1.6 or later"
            case .torchScript:
                "a TorchScript archive (torch.jit.save: constants.pkl, code/), not a torch.save file; TorchScript is never loaded"
            case .notAnArchive: "not a torch.save file (no zip archive, no legacy pickle)"
            case .zip(let reason): "zip archive: \(reason)"
            case .missingRecord(let name): "the record \(name) is missing"
            case .crcMismatch(let record, let expected, let actual):
                "record \(record): CRC-32 mismatch (the directory says \(hex(expected)), the bytes give \(hex(actual)))"
            case .badRecord(let record, let reason): "record \(record): \(reason)"
            case .pickle(let offset, let reason): "data.pkl at byte \(offset): \(reason)"
            case .storage(let key, let reason): "storage data/\(key): \(reason)"
            case .limit(let reason): "limit exceeded: \(reason)"
            }
        }

        private func hex(_ value: UInt32) -> String {
            let digits = String(value, radix: 16)
            return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
        }
    }
}
