/// `anneal checkpoint inspect`'s views of a torch file: a text tree and JSON.
///
/// ```swift
/// print(try TorchFile(contentsOf: "ckpt.pt").summary())
/// // ckpt.pt: torch.save archive "archive", 8 records, 1 storage (24 bytes), little-endian
/// // dict (1)
/// //   'w': torch.Tensor float32 [3, 2] stride [1, 3], 24 bytes, storage '0' [0.0, 3.0, 1.0, 4.0, 2.0, 5.0]
/// ```
extension TorchFile {
    /// How many elements a tensor preview shows, and how many items of a container.
    public static let previewCount = 6
    public static let itemCount = 64

    /// The total bytes of every storage.
    /// (Each is a record of the file or an inflated one, at most 2^34 bytes, of at most 2^20 records: the sum fits.)
    public var storageByteCount: Int { storages.reduce(0) { $0 + $1.byteCount } }

    /// The header line and the object tree.
    public func summary() -> String {
        let plural = storages.count == 1 ? "storage" : "storages"
        var lines = [
            "\(file): torch.save archive \"\(archiveName)\", \(recordNames.count) records, \(storages.count) \(plural) (\(storageByteCount) bytes), \(isBigEndian ? "big" : "little")-endian"
        ]
        describe(root, prefix: "", indent: "", into: &lines)
        return lines.joined(separator: "\n")
    }

    private func describe(_ value: PickleValue, prefix: String, indent: String, into lines: inout [String]) {
        let head = indent + prefix
        func children(_ items: [(String, PickleValue)], total: Int) {
            for (label, item) in items.prefix(Self.itemCount) {
                describe(item, prefix: label, indent: indent + "  ", into: &lines)
            }
            if total > Self.itemCount { lines.append(indent + "  ... (\(total - Self.itemCount) more)") }
        }
        switch value {
        case .dict(let d), .counter(let d):
            lines.append(head + "\(value.pythonTypeName) (\(d.count))")
            children(d.entries.map { ("\(Self.repr($0)): ", $1) }, total: d.count)
        case .orderedDict(let d, let attributes):
            let extra = attributes.isEmpty ? "" : ", attributes \(attributes.keys.map(Self.repr).joined(separator: ", "))"
            lines.append(head + "collections.OrderedDict (\(d.count)\(extra))")
            children(d.entries.map { ("\(Self.repr($0)): ", $1) }, total: d.count)
        case .list(let items), .tuple(let items):
            if items.allSatisfy(\.isScalar), items.count <= Self.itemCount {
                lines.append(head + Self.repr(value))
            } else {
                lines.append(head + "\(value.pythonTypeName) (\(items.count))")
                children(items.enumerated().map { ("[\($0)] ", $1) }, total: items.count)
            }
        case .set(let items):
            lines.append(head + "set (\(items.count)) " + Self.repr(value))
        case .tensor(let tensor):
            lines.append(head + describe(tensor))
        default:
            lines.append(head + "\(value.pythonTypeName) \(Self.repr(value))")
        }
    }

    /// `torch.Tensor float32 [3, 2] stride [1, 3], 24 bytes, storage '0' [0.0, ...]`.
    public func describe(_ tensor: TensorReference) -> String {
        let count = tensor.elementCount ?? Int.max
        let bytes = tensor.byteCount.map(String.init) ?? "more than \(Int.max)"
        var text = "\(tensor.isParameter ? "torch.nn.Parameter" : "torch.Tensor") \(tensor.dtype.rawValue) \(tensor.shape)"
        if !tensor.isContiguous { text += " stride \(tensor.strides)" }
        if tensor.storageOffset != 0 { text += " offset \(tensor.storageOffset)" }
        if tensor.requiresGrad { text += " requires_grad" }
        text += ", \(bytes) bytes, storage \(Self.repr(.string(tensor.storage.key)))"
        if tensor.storage.location != "cpu" { text += " (\(tensor.storage.location))" }
        if tensor.dtype.isDecodable, let preview = try? elements(of: tensor, limit: Self.previewCount) {
            let shown = preview.map { Self.previewText($0, tensor.dtype) }
            text += " [" + shown.joined(separator: ", ") + (count > preview.count ? ", ..." : "") + "]"
        }
        return text
    }

    /// An element as torch prints it at its own precision (float32's shortest digits, not float64's).
    static func previewText(_ element: TensorElement, _ dtype: TorchDType) -> String {
        switch (element, dtype) {
        case (.float(let d), .float32), (.float(let d), .float16), (.float(let d), .bfloat16),
            (.float(let d), .float8_e4m3fn), (.float(let d), .float8_e4m3fnuz), (.float(let d), .float8_e5m2),
            (.float(let d), .float8_e5m2fnuz), (.float(let d), .float8_e8m0fnu):
            return d.isFinite ? "\(Float(d))" : element.description
        case (.complex(let re, let im), .complex64), (.complex(let re, let im), .complex32):
            let imaginary = Float(abs(im))
            return "(\(Float(re))\(im.sign == .minus ? "-" : "+")\(imaginary)j)"
        default:
            return element.description
        }
    }

    /// Python's `repr` of a scalar or a small container.
    public static func repr(_ value: PickleValue) -> String {
        switch value {
        case .none: return "None"
        case .bool(let b): return b ? "True" : "False"
        case .int(let i): return String(i)
        case .bigInt(let i): return i.description
        case .float(let d): return TensorElement.format(d)
        case .complex(let re, let im): return TensorElement.complex(real: re, imaginary: im).description
        case .string(let s): return quoted(s)
        case .bytes(let b): return "b'" + b.map(byteRepr).joined() + "'"
        case .bytearray(let b): return "bytearray(b'" + b.map(byteRepr).joined() + "')"
        case .tuple(let items): return "(" + items.map(repr).joined(separator: ", ") + (items.count == 1 ? ",)" : ")")
        case .list(let items): return "[" + items.map(repr).joined(separator: ", ") + "]"
        case .set(let items): return items.isEmpty ? "set()" : "{" + items.map(repr).joined(separator: ", ") + "}"
        case .size(let dims): return "torch.Size(\(dims))"
        case .device(let type, let index): return "device(type='\(type)'" + (index.map { ", index=\($0)" } ?? "") + ")"
        case .dtype(let dtype): return dtype.torchName
        case .dict(let d), .orderedDict(let d, _), .counter(let d):
            return "{" + d.entries.map { "\(repr($0)): \(repr($1))" }.joined(separator: ", ") + "}"
        case .tensor(let t): return "tensor(\(t.dtype.rawValue) \(t.shape))"
        case .storage(let s): return "storage('\(s.key)', \(s.dtype.rawValue), \(s.count))"
        }
    }

    static func quoted(_ s: String) -> String {
        var out = "'"
        for scalar in s.unicodeScalars {
            switch scalar {
            case "'": out += "\\'"
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\x" + hex2(UInt8(scalar.value))
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "'"
    }

    static func byteRepr(_ byte: UInt8) -> String {
        switch byte {
        case 0x27: "\\'"
        case 0x5C: "\\\\"
        case 0x0A: "\\n"
        case 0x0D: "\\r"
        case 0x09: "\\t"
        case 0x20..<0x7F: String(UnicodeScalar(byte))
        default: "\\x" + hex2(byte)
        }
    }

    static func hex2(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 15)]])
    }
}

extension PickleValue {
    /// Whether the value prints on one line (no container, no tensor).
    var isScalar: Bool {
        switch self {
        case .none, .bool, .int, .bigInt, .float, .complex, .string, .bytes, .bytearray, .size, .device, .dtype: true
        case .tuple(let items): items.count <= 8 && items.allSatisfy(\.isScalar)
        default: false
        }
    }
}
