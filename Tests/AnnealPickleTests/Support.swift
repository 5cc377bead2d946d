import AnnealJSON
import AnnealPickle

/// The repository root, from this file's path (Tests/AnnealPickleTests/Support.swift).
let repositoryRoot: String = {
    let parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
    return parts.dropLast(3).joined(separator: "/")
}()

/// A fixture of `Fixtures/torch/`.
func fixture(_ name: String) -> String { repositoryRoot + "/Fixtures/torch/" + name }

/// What `Scripts/make_torch_fixtures.py` recorded from torch.
let expectations: JSONValue = {
    do {
        return try JSONValue.load(contentsOf: fixture("expectations.json"))
    } catch {
        fatalError("Fixtures/torch/expectations.json: \(error)")
    }
}()

func littleEndianHex<T: FixedWidthInteger>(_ value: T) -> String {
    withUnsafeBytes(of: value.littleEndian) { $0.map { hex($0) }.joined() }
}

func hex(_ byte: UInt8) -> String {
    let digits = Array("0123456789abcdef")
    return String([digits[Int(byte >> 4)], digits[Int(byte & 15)]])
}

/// A value described as the generator's `describe` does, for comparison with the expectations.
struct Describer {
    let file: TorchFile
    var groups: [String: Int] = [:]

    mutating func describe(_ value: PickleValue) throws -> JSONValue {
        func object(_ pairs: [(String, JSONValue)]) -> JSONValue { .object(JSONObject(pairs)) }
        let type = JSONValue.string(value.pythonTypeName)
        switch value {
        case .none: return object([("type", type)])
        case .bool(let b): return object([("type", type), ("value", .bool(b))])
        case .int(let i): return object([("type", type), ("value", .string(String(i)))])
        case .bigInt(let i): return object([("type", type), ("value", .string(i.description))])
        case .float(let d): return object([("type", type), ("bits", .string(littleEndianHex(d.bitPattern)))])
        case .complex(let re, let im):
            return object([
                ("type", type), ("real", .string(littleEndianHex(re.bitPattern))),
                ("imag", .string(littleEndianHex(im.bitPattern))),
            ])
        case .string(let s): return object([("type", type), ("value", .string(s))])
        case .bytes(let b), .bytearray(let b): return object([("type", type), ("hex", .string(b.map(hex).joined()))])
        case .size(let dims): return object([("type", type), ("value", .array(dims.map { .int($0) }))])
        case .device(let device, let index):
            return object([("type", type), ("device", .string(device)), ("index", index.map { .int($0) } ?? .null)])
        case .dtype(let dtype): return object([("type", type), ("value", .string(dtype.rawValue))])
        case .tuple(let items), .list(let items), .set(let items):
            var described: [JSONValue] = []
            for item in items { described.append(try describe(item)) }
            return object([("type", type), ("items", .array(described))])
        case .dict(let d), .counter(let d):
            return object([("type", type), ("entries", try entries(d))])
        case .orderedDict(let d, let attributes):
            var pairs: [(String, JSONValue)] = [("type", type), ("entries", try entries(d))]
            if !attributes.isEmpty { pairs.append(("attributes", try describe(.dict(attributes)))) }
            return object(pairs)
        case .tensor(let t):
            if groups[t.storage.key] == nil { groups[t.storage.key] = groups.count }
            let bytes = try file.elementBytes(of: t, limit: 1 << 20).map { JSONValue.string($0.map(hex).joined()) }
            return object([
                ("type", type), ("dtype", .string(t.dtype.rawValue)), ("shape", .array(t.shape.map { .int($0) })),
                ("stride", .array(t.strides.map { .int($0) })), ("storage_offset", .int(t.storageOffset)),
                ("storage_group", .int(groups[t.storage.key]!)), ("storage_bytes", .int(t.storage.byteCount)),
                ("requires_grad", .bool(t.requiresGrad)), ("hex", .array(bytes)),
            ])
        case .storage(let s): return object([("type", type), ("key", .string(s.key))])
        }
    }

    private mutating func entries(_ d: PickleDict) throws -> JSONValue {
        var result: [JSONValue] = []
        for (key, value) in d.entries {
            result.append(.object(JSONObject([("key", try describe(key)), ("value", try describe(value))])))
        }
        return .array(result)
    }
}
