/// `str(value)` as Python prints it in an f-string, for error messages that
/// quote PyTorch's (`Invalid learning rate: -0.1`, `(0.9, 0.999)`).
@usableFromInline
func pythonString(_ value: JSONValue, tuple: Bool = false) -> String {
    switch value {
    case .null: return "None"
    case .bool(let b): return b ? "True" : "False"
    case .int(let i): return String(i)
    case .double(let d): return pythonString(d)
    case .string(let s): return s
    case .array(let items):
        let inner = items.map { pythonRepr($0) }.joined(separator: ", ")
        if tuple { return items.count == 1 ? "(\(inner),)" : "(\(inner))" }
        return "[\(inner)]"
    case .object(let object):
        return "{" + object.map { "'\($0.key)': \(pythonRepr($0.value))" }.joined(separator: ", ") + "}"
    }
}

/// `repr(value)`: strings quoted, everything else as `str`.
@usableFromInline
func pythonRepr(_ value: JSONValue) -> String {
    if case .string(let s) = value { return "'\(s)'" }
    return pythonString(value)
}

/// `str(x)` for a float: `inf`, `nan`, or the shortest round-trip digits.
@usableFromInline
func pythonString(_ x: Double) -> String {
    if x.isNaN { return "nan" }
    if x.isInfinite { return x < 0 ? "-inf" : "inf" }
    return pythonFloatRepr(x)
}
