import AnnealJSON

/// `anneal checkpoint inspect --format json`: the tree for machines.
///
/// Every value is an object with its Python `"type"`; dict-like values list
/// `"entries"` as `{"key", "value"}` pairs (keys need not be strings);
/// tensors give dtype, shape, stride, storage offset, storage key, bytes and
/// a preview; floats that JSON cannot hold are the strings `"nan"`, `"inf"`, `"-inf"`.
///
/// ```swift
/// let json = try TorchFile(contentsOf: "ckpt.pt").json()
/// // {"file": "ckpt.pt", "archive": "archive", ..., "root": {"type": "dict", "entries": [...]}}
/// ```
extension TorchFile {
    public func json() -> String {
        var out = "{\"file\": \(Self.jsonString(file)), \"archive\": \(Self.jsonString(archiveName)), "
        out += "\"byteorder\": \"\(isBigEndian ? "big" : "little")\", \"records\": ["
        out += recordNames.map(Self.jsonString).joined(separator: ", ") + "], \"storages\": ["
        out += storages.map {
            "{\"key\": \(Self.jsonString($0.key)), \"dtype\": \"\($0.dtype.rawValue)\", \"numel\": \($0.count), \"bytes\": \($0.byteCount), \"location\": \(Self.jsonString($0.location))}"
        }.joined(separator: ", ")
        out += "], \"root\": "
        json(root, into: &out)
        return out + "}"
    }

    private func json(_ value: PickleValue, into out: inout String) {
        let type = Self.jsonString(value.pythonTypeName)
        func entries(_ d: PickleDict) {
            out += "\"entries\": ["
            var first = true
            for (key, item) in d.entries {
                if !first { out += ", " }
                first = false
                out += "{\"key\": "
                json(key, into: &out)
                out += ", \"value\": "
                json(item, into: &out)
                out += "}"
            }
            out += "]"
        }
        func items(_ values: [PickleValue]) {
            out += "\"items\": ["
            for (index, item) in values.enumerated() {
                if index > 0 { out += ", " }
                json(item, into: &out)
            }
            out += "]"
        }
        out += "{\"type\": \(type), "
        switch value {
        case .none: out += "\"value\": null"
        case .bool(let b): out += "\"value\": \(b)"
        case .int(let i): out += "\"value\": \(i)"
        case .bigInt(let i): out += "\"value\": \(i)"
        case .float(let d): out += "\"value\": \(Self.jsonNumber(d))"
        case .complex(let re, let im): out += "\"real\": \(Self.jsonNumber(re)), \"imag\": \(Self.jsonNumber(im))"
        case .string(let s): out += "\"value\": \(Self.jsonString(s))"
        case .bytes(let b), .bytearray(let b): out += "\"hex\": \"\(b.map(Self.hex2).joined())\""
        case .tuple(let values), .list(let values), .set(let values): items(values)
        case .dict(let d), .counter(let d): entries(d)
        case .orderedDict(let d, let attributes):
            entries(d)
            if !attributes.isEmpty {
                out += ", \"attributes\": "
                json(.dict(attributes), into: &out)
            }
        case .size(let dims): out += "\"value\": \(dims)"
        case .device(let type, let index): out += "\"device\": \(Self.jsonString(type)), \"index\": \(index.map(String.init) ?? "null")"
        case .dtype(let dtype): out += "\"value\": \"\(dtype.rawValue)\""
        case .storage(let s): out += "\"key\": \(Self.jsonString(s.key)), \"dtype\": \"\(s.dtype.rawValue)\", \"numel\": \(s.count)"
        case .tensor(let t):
            out += "\"dtype\": \"\(t.dtype.rawValue)\", \"shape\": \(t.shape), \"stride\": \(t.strides), "
            out += "\"storage_offset\": \(t.storageOffset), \"storage\": \(Self.jsonString(t.storage.key)), "
            out += "\"bytes\": \(t.byteCount.map(String.init) ?? "null"), \"requires_grad\": \(t.requiresGrad)"
            if t.dtype.isDecodable, let preview = try? elements(of: t, limit: Self.previewCount) {
                out += ", \"preview\": [" + preview.map(Self.jsonElement).joined(separator: ", ") + "]"
            }
        }
        out += "}"
    }

    static func jsonElement(_ element: TensorElement) -> String {
        switch element {
        case .float(let d): jsonNumber(d)
        case .signed(let i): String(i)
        case .unsigned(let u): String(u)
        case .bool(let b): String(b)
        case .complex(let re, let im): "[\(jsonNumber(re)), \(jsonNumber(im))]"
        }
    }

    static func jsonNumber(_ d: Double) -> String {
        d.isFinite ? "\(d)" : "\"\(TensorElement.format(d))\""
    }

    /// A JSON string literal, as AnnealJSON writes one.
    static func jsonString(_ s: String) -> String {
        JSONValue.string(s).serialized()
    }
}
