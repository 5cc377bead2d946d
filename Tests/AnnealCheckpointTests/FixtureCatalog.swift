import AnnealJSON
import AnnealTensor
import Testing

@testable import AnnealCheckpoint

/// The files of `Fixtures/checkpoints/`: a valid checkpoint and one
/// malformed file per reader error, each built here from the valid one (or
/// from a small hand-written header) so that the committed bytes are
/// reproducible: `ReaderErrorTests` checks that they match, and
/// `ANNEAL_WRITE_FIXTURES=1 swift test --filter AnnealCheckpointTests`
/// rewrites them.
enum Fixture: String, CaseIterable, CustomTestStringConvertible {
    case valid
    case empty
    case shortLength = "short-length"
    case headerTooLarge = "header-too-large"
    case headerBeyondFile = "header-beyond-file"
    case headerNotJSON = "header-not-json"
    case headerInvalidUTF8 = "header-invalid-utf8"
    case headerNotObject = "header-not-object"
    case duplicateTensorName = "duplicate-tensor-name"
    case duplicateEntryKey = "duplicate-entry-key"
    case metadataNotStrings = "metadata-not-strings"
    case entryMissingDType = "entry-missing-dtype"
    case entryUnexpectedKey = "entry-unexpected-key"
    case offsetsNotIntegers = "offsets-not-integers"
    case unknownDType = "unknown-dtype"
    case negativeDimension = "negative-dimension"
    case shapeOverflow = "shape-overflow"
    case offsetsReversed = "offsets-reversed"
    case byteLengthMismatch = "byte-length-mismatch"
    case offsetsGap = "offsets-gap"
    case offsetsOverlap = "offsets-overlap"
    case dataTooLong = "data-too-long"
    case dataTruncated = "data-truncated"
    case noManifest = "no-manifest"
    case noManifestDigest = "no-manifest-digest"
    case manifestDigestMismatch = "manifest-digest-mismatch"
    case manifestNotJSON = "manifest-not-json"
    case manifestDuplicateKey = "manifest-duplicate-key"
    case unsupportedVersion = "unsupported-version"
    case manifestMissingField = "manifest-missing-field"
    case manifestNegativeStep = "manifest-negative-step"
    case manifestBadParams = "manifest-bad-params"
    case unsupportedDType = "unsupported-dtype"
    case tensorMissing = "tensor-missing"
    case unexpectedTensor = "unexpected-tensor"
    case tensorShapeMismatch = "tensor-shape-mismatch"
    case checksumMismatch = "checksum-mismatch"

    /// The file name.
    var fileName: String { rawValue + ".safetensors" }

    /// The path in the repository.
    var path: String { repositoryFile("Fixtures/checkpoints/" + fileName) }

    var testDescription: String { rawValue }

    /// The valid checkpoint every manifest-level fixture starts from.
    static let base: Checkpoint = try! sampleCheckpoint()

    /// The bytes of the fixture.
    func bytes() throws -> [UInt8] {
        let base = Fixture.base
        let valid = base.encoded()
        let tensors = rawTensors(of: base)
        let metadata = manifestMetadata(try manifestText(of: valid))
        let four: [UInt8] = [0, 0, 128, 63]  // 1.0 as float32
        let entry = #"{"dtype":"F32","shape":[1],"data_offsets":[0,4]}"#

        /// The valid file with its manifest JSON changed by `edit`.
        func editedManifest(_ edit: (inout JSONObject) -> Void) throws -> [UInt8] {
            var object = try JSONValue.parse(try manifestText(of: valid)).objectValue!
            edit(&object)
            return assemble(tensors: tensors, metadata: manifestMetadata(canonicalJSON(.object(object)).serialized()))
        }

        switch self {
        case .valid: return valid
        case .empty: return []
        case .shortLength: return [16, 0, 0, 0, 0]
        case .headerTooLarge: return [0, 0, 0, 0, 0, 1, 0, 0] + Array(#"{}      "#.utf8)
        case .headerBeyondFile: return [0, 1, 0, 0, 0, 0, 0, 0] + Array(#"{}      "#.utf8)
        case .headerNotJSON: return assemble(header: #"{"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}"#, data: four)
        case .headerInvalidUTF8:
            return assemble(headerBytes: Array(#"{"x"#.utf8) + [0xFF] + Array(#"":\#(entry)}"#.utf8), data: four)
        case .headerNotObject: return assemble(header: "[1, 2, 3]", data: [])
        case .duplicateTensorName:
            return assemble(header: #"{"x":\#(entry),"x":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, data: four + four)
        case .duplicateEntryKey:
            return assemble(header: #"{"x":{"dtype":"F32","dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, data: four)
        case .metadataNotStrings: return assemble(header: #"{"__metadata__":{"step":42},"x":\#(entry)}"#, data: four)
        case .entryMissingDType: return assemble(header: #"{"x":{"shape":[1],"data_offsets":[0,4]}}"#, data: four)
        case .entryUnexpectedKey:
            return assemble(header: #"{"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"stride":[1]}}"#, data: four)
        case .offsetsNotIntegers: return assemble(header: #"{"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4.0]}}"#, data: four)
        case .unknownDType: return assemble(header: #"{"x":{"dtype":"F33","shape":[1],"data_offsets":[0,4]}}"#, data: four)
        case .negativeDimension: return assemble(header: #"{"x":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}"#, data: four)
        case .shapeOverflow:
            return assemble(
                header: #"{"x":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,4]}}"#, data: four)
        case .offsetsReversed: return assemble(header: #"{"x":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}}"#, data: four)
        case .byteLengthMismatch: return assemble(header: #"{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}"#, data: four)
        case .offsetsGap:
            return assemble(header: #"{"x":\#(entry),"y":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}"#, data: four + four + four)
        case .offsetsOverlap:
            return assemble(
                header: #"{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"y":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#,
                data: four + four)
        case .dataTooLong: return assemble(header: #"{"x":\#(entry)}"#, data: four + [0])
        case .dataTruncated: return Array(valid.dropLast(3))
        case .noManifest:
            return assemble(tensors: tensors, metadata: ["format": "pt"])
        case .noManifestDigest:
            return assemble(tensors: tensors, metadata: ["anneal": metadata["anneal"]!])
        case .manifestDigestMismatch:
            var altered = metadata
            altered["anneal"] = altered["anneal"]!.replacingFirst(#""step": 3"#, with: #""step": 4"#)
            return assemble(tensors: tensors, metadata: altered)
        case .manifestNotJSON:
            return assemble(tensors: tensors, metadata: manifestMetadata(String(metadata["anneal"]!.dropLast())))
        case .manifestDuplicateKey:
            return assemble(
                tensors: tensors, metadata: manifestMetadata(metadata["anneal"]!.replacingFirst(#""step": 3"#, with: #""step": 3, "step": 3"#)))
        case .unsupportedVersion: return try editedManifest { $0["version"] = 2 }
        case .manifestMissingField: return try editedManifest { _ = $0.removeValue(forKey: "epoch") }
        case .manifestNegativeStep: return try editedManifest { $0["step"] = -1 }
        case .manifestBadParams:
            return try editedManifest { object in
                var optimizer = object["optimizer"]!.objectValue!
                var group = optimizer["param_groups"]![0]!.objectValue!
                group["params"] = [0, 2, 1]
                optimizer["param_groups"] = [.object(group)]
                object["optimizer"] = .object(optimizer)
            }
        case .unsupportedDType:
            return assemble(
                tensors: tensors.map { $0.name == "model.fc.bias" ? ($0.name, .f16, [6], $0.bytes) : $0 }, metadata: metadata)
        case .tensorMissing:
            return assemble(tensors: tensors.filter { $0.name != "optim.state.1.exp_avg" }, metadata: metadata)
        case .unexpectedTensor:
            return assemble(tensors: tensors + [("model.extra", .f32, [1], four)], metadata: metadata)
        case .tensorShapeMismatch:
            return assemble(
                tensors: tensors.map { $0.name == "model.fc.weight" ? ($0.name, .f32, [2, 3], $0.bytes) : $0 }, metadata: metadata)
        case .checksumMismatch:
            var bytes = valid
            bytes[bytes.count - 5] ^= 0x01
            return bytes
        }
    }

    /// Whether `problem` is the error this fixture must give.
    func isExpected(_ problem: CheckpointError.Problem) -> Bool {
        switch (self, problem) {
        case (.valid, _): return false
        case (.empty, .fileTooShort(0)), (.shortLength, .fileTooShort(5)): return true
        case (.headerTooLarge, .headerTooLarge(1 << 40, SafetensorsHeader.maximumLength)): return true
        case (.headerBeyondFile, .headerBeyondFile(256, 16)): return true
        case (.headerNotJSON, .headerNotJSON), (.headerInvalidUTF8, .headerNotJSON): return true
        case (.headerNotObject, .headerNotObject("array")): return true
        case (.duplicateTensorName, .duplicateKey([], "x")): return true
        case (.duplicateEntryKey, .duplicateKey(["x"], "dtype")): return true
        case (.metadataNotStrings, .invalidMetadata): return true
        case (.entryMissingDType, .invalidTensorEntry("x", let message)): return message.contains("missing 'dtype'")
        case (.entryUnexpectedKey, .invalidTensorEntry("x", let message)): return message.contains("unexpected key 'stride'")
        case (.offsetsNotIntegers, .invalidTensorEntry("x", let message)): return message.contains("data_offsets")
        case (.unknownDType, .unknownDType("x", "F33")): return true
        case (.negativeDimension, .invalidShape("x", let shape)): return shape.contains("negative")
        case (.shapeOverflow, .invalidShape("x", let shape)): return shape.contains("overflows")
        case (.offsetsReversed, .invalidOffsets("x", 4, 0)): return true
        case (.byteLengthMismatch, .byteLengthMismatch("x", "F32", [2], 8, 4)): return true
        case (.offsetsGap, .offsetsNotContiguous("y", 4, 8)): return true
        case (.offsetsOverlap, .offsetsNotContiguous("y", 8, 4)): return true
        case (.dataTooLong, .dataSizeMismatch(4, 5)): return true
        case (.dataTruncated, .dataSizeMismatch(let covered, let size)): return covered == size + 3
        case (.noManifest, .missingManifest), (.noManifestDigest, .missingManifestDigest): return true
        case (.manifestDigestMismatch, .manifestDigestMismatch): return true
        case (.manifestNotJSON, .manifestNotJSON): return true
        case (.manifestDuplicateKey, .manifestInvalid("the manifest", let message)): return message == "duplicate key 'step'"
        case (.unsupportedVersion, .unsupportedVersion("2")): return true
        case (.manifestMissingField, .manifestInvalid("epoch", "missing")): return true
        case (.manifestNegativeStep, .manifestInvalid("step", let message)): return message.contains("-1")
        case (.manifestBadParams, .manifestInvalid("optimizer.param_groups[0].params[1]", _)): return true
        case (.unsupportedDType, .unsupportedDType("model.fc.bias", "F16")): return true
        case (.tensorMissing, .tensorMissing("optim.state.1.exp_avg")): return true
        case (.unexpectedTensor, .unexpectedTensor("model.extra")): return true
        case (.tensorShapeMismatch, .tensorShapeMismatch("model.fc.weight", [3, 2], [2, 3])): return true
        case (.checksumMismatch, .checksumMismatch): return true
        default: return false
        }
    }
}

extension String {
    /// The string with the first occurrence of `target` replaced.
    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = firstRange(of: target) else { return self }
        return String(self[..<range.lowerBound]) + replacement + String(self[range.upperBound...])
    }
}
