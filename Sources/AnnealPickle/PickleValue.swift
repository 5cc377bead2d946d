/// A Python value as `torch.load(weights_only=True)` rebuilds it, keeping
/// Python's distinctions: `int` (any size) vs `float` vs `bool`, `tuple` vs
/// `list`, `dict` vs `OrderedDict` vs `Counter` vs `set`, `str` vs `bytes`.
/// Values compare as Swift values: floats as Doubles (NaN ≠ NaN, 0.0 == -0.0),
/// and unlike Python `1`, `1.0` and `True` are different dict keys.
///
/// ```swift
/// let file = try TorchFile(contentsOf: "ckpt.pt")
/// if case .dict(let top) = file.root, let epoch = top["epoch"] {
///     print(epoch.pythonTypeName)   // "int"
/// }
/// ```
public indirect enum PickleValue: Sendable, Hashable {
    case none
    case bool(Bool)
    /// A Python `int` that fits 64 bits.
    case int(Int)
    /// A Python `int` beyond 64 bits (never one that fits ``int(_:)``).
    case bigInt(PythonInt)
    case float(Double)
    case complex(real: Double, imaginary: Double)
    case string(String)
    case bytes([UInt8])
    case bytearray([UInt8])
    case tuple([PickleValue])
    case list([PickleValue])
    case dict(PickleDict)
    /// A `collections.OrderedDict`, with the attributes a BUILD set on it
    /// (a module `state_dict`'s `_metadata`).
    case orderedDict(PickleDict, attributes: PickleDict)
    case counter(PickleDict)
    /// A `set`, in the order of the file.
    case set([PickleValue])
    /// A `torch.Size`.
    case size([Int])
    /// A `torch.device`: its type (`"cpu"`, `"cuda"`) and index, if any.
    case device(type: String, index: Int?)
    /// A `torch.dtype` value.
    case dtype(TorchDType)
    case tensor(TensorReference)
    /// A bare storage (`torch.storage.TypedStorage`) referenced outside a tensor.
    case storage(StorageReference)

    /// An integer value, from a 64-bit or a larger one (normalised to ``int(_:)`` when it fits).
    public static func integer(_ value: PythonInt) -> PickleValue {
        if let small = value.int { return .int(small) }
        return .bigInt(value)
    }

    /// Python's name for the value's type (`type(x).__name__`, with torch's qualified names).
    public var pythonTypeName: String {
        switch self {
        case .none: "NoneType"
        case .bool: "bool"
        case .int, .bigInt: "int"
        case .float: "float"
        case .complex: "complex"
        case .string: "str"
        case .bytes: "bytes"
        case .bytearray: "bytearray"
        case .tuple: "tuple"
        case .list: "list"
        case .dict: "dict"
        case .orderedDict: "collections.OrderedDict"
        case .counter: "collections.Counter"
        case .set: "set"
        case .size: "torch.Size"
        case .device: "torch.device"
        case .dtype: "torch.dtype"
        case .tensor(let tensor): tensor.isParameter ? "torch.nn.Parameter" : "torch.Tensor"
        case .storage: "torch.storage.TypedStorage"
        }
    }

    /// The value under `key` of a dict, OrderedDict or Counter.
    public subscript(key: PickleValue) -> PickleValue? {
        switch self {
        case .dict(let d), .orderedDict(let d, _), .counter(let d): d[key]
        default: nil
        }
    }

    /// The value under the string `key` of a dict, OrderedDict or Counter.
    public subscript(key: String) -> PickleValue? { self[.string(key)] }
}

/// A Python dict's entries in insertion order, with any hashable keys.
///
/// ```swift
/// var d = PickleDict()
/// d[.int(0)] = .string("zero")
/// d[.string("lr")] = .float(0.1)
/// d.keys   // [.int(0), .string("lr")]
/// ```
public struct PickleDict: Sendable, Hashable {
    public private(set) var keys: [PickleValue] = []
    public private(set) var values: [PickleValue] = []
    private var index: [PickleValue: Int] = [:]

    public init() {}

    /// The entries in order; a repeated key keeps its first position and its last value, as in Python.
    public init(_ entries: some Sequence<(PickleValue, PickleValue)>) {
        for (key, value) in entries { self[key] = value }
    }

    public var count: Int { keys.count }
    public var isEmpty: Bool { keys.isEmpty }
    /// The entries in insertion order.
    public var entries: Zip2Sequence<[PickleValue], [PickleValue]> { zip(keys, values) }

    /// The value under `key`; setting an existing key keeps its position, as Python does.
    public subscript(key: PickleValue) -> PickleValue? {
        get { index[key].map { values[$0] } }
        set {
            if let position = index[key] {
                if let newValue {
                    values[position] = newValue
                } else {
                    keys.remove(at: position)
                    values.remove(at: position)
                    index = Dictionary(uniqueKeysWithValues: keys.enumerated().map { ($1, $0) })
                }
            } else if let newValue {
                index[key] = keys.count
                keys.append(key)
                values.append(newValue)
            }
        }
    }

    public subscript(key: String) -> PickleValue? {
        get { self[.string(key)] }
        set { self[.string(key)] = newValue }
    }

    public static func == (a: PickleDict, b: PickleDict) -> Bool { a.keys == b.keys && a.values == b.values }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(keys)
        hasher.combine(values)
    }
}
