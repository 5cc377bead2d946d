extension JSONValue {
    /// `str(value)` as Python prints it in an f-string, for error messages
    /// that quote PyTorch's (`Invalid learning rate: -0.1`, `[0.1, 0.2]`,
    /// `None`, `True`, `inf`).
    public var pythonDescription: String {
        switch self {
        case .null: return "None"
        case .bool(let b): return b ? "True" : "False"
        case .int(let i): return String(i)
        case .double(let d): return pythonString(d)
        case .string(let s): return s
        case .array(let items): return "[" + items.map(\.pythonRepr).joined(separator: ", ") + "]"
        case .object(let object):
            return "{" + object.map { "'\($0.key)': \($0.value.pythonRepr)" }.joined(separator: ", ") + "}"
        }
    }

    /// `repr(value)`: strings quoted, everything else as ``pythonDescription``.
    public var pythonRepr: String {
        if case .string(let s) = self { return "'\(s)'" }
        return pythonDescription
    }

    /// `type(value).__name__` under the trace format's mapping.
    public var pythonTypeName: String {
        switch self {
        case .null: return "NoneType"
        case .bool: return "bool"
        case .int: return "int"
        case .double: return "float"
        case .string: return "str"
        case .array: return "list"
        case .object: return "dict"
        }
    }

    /// Python's truthiness (`if value:`).
    public var isPythonTruthy: Bool {
        switch self {
        case .null: return false
        case .bool(let b): return b
        case .int(let i): return i != 0
        case .double(let d): return d != 0
        case .string(let s): return !s.isEmpty
        case .array(let a): return !a.isEmpty
        case .object(let o): return o.count != 0
        }
    }
}

/// `str(x)` for a float: `inf`, `nan`, or the shortest round-trip digits.
@usableFromInline
func pythonString(_ x: Double) -> String {
    if x.isNaN { return "nan" }
    if x.isInfinite { return x < 0 ? "-inf" : "inf" }
    return pythonFloatRepr(x)
}
