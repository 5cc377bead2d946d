/// A value on the unpickler's stack or in its memo. Lists and dicts are
/// boxes: the memo and the stack share them, and APPEND/SETITEM mutate them
/// in place, as in Python. The value tree (``PickleValue``) is built from
/// them once, at STOP.
enum PickleItem {
    case value(PickleValue)
    case tuple([PickleItem])
    case list(ListBox)
    case dict(DictBox)
    case global(TorchGlobal)

    /// Python's type name, for errors.
    var typeName: String {
        switch self {
        case .value(let value): value.pythonTypeName
        case .tuple: "tuple"
        case .list: "list"
        case .dict(let box): box.flavor.typeName
        case .global(let global): "global \(global.name)"
        }
    }
}

final class ListBox {
    var items: [PickleItem] = []
}

final class DictBox {
    enum Flavor {
        case dict, orderedDict, counter
        var typeName: String {
            switch self {
            case .dict: "dict"
            case .orderedDict: "collections.OrderedDict"
            case .counter: "collections.Counter"
            }
        }
    }

    let flavor: Flavor
    var keys: [PickleValue] = []
    var values: [PickleItem] = []
    var index: [PickleValue: Int] = [:]
    /// What BUILD set on an OrderedDict (`__dict__.update(state)`).
    var attributes: DictBox?

    init(_ flavor: Flavor) { self.flavor = flavor }

    var count: Int { keys.count }

    func set(_ key: PickleValue, _ value: PickleItem) {
        if let position = index[key] {
            values[position] = value
        } else {
            index[key] = keys.count
            keys.append(key)
            values.append(value)
        }
    }
}

/// An allowed global the pickle named (what GLOBAL pushes).
struct TorchGlobal: Equatable {
    enum Kind: Equatable {
        case orderedDict, counter, set, bytearray, complex, codecsEncode
        case size, device, parameter, tensorType
        case dtype(TorchDType)
        /// A legacy storage class (`torch.FloatStorage`) of this dtype.
        case storageType(TorchDType)
        case untypedStorage
        case rebuildTensor, rebuildTensorV2, rebuildTensorV3, rebuildParameter, rebuildParameterWithState, rebuildFromTypeV2
        /// Allowed by torch, but makes a value Anneal does not model.
        case unsupported
    }

    let name: String
    let kind: Kind

    init(name: String) {
        self.name = name
        kind = Self.kind(of: name)
    }

    private static func kind(of name: String) -> Kind {
        switch name {
        case "collections.OrderedDict": return .orderedDict
        case "collections.Counter": return .counter
        case "builtins.set": return .set
        case "builtins.bytearray": return .bytearray
        case "builtins.complex": return .complex
        case "_codecs.encode": return .codecsEncode
        case "torch.Size": return .size
        case "torch.device": return .device
        case "torch.nn.parameter.Parameter": return .parameter
        case "torch.Tensor": return .tensorType
        case "torch.storage.UntypedStorage": return .untypedStorage
        case "torch._utils._rebuild_tensor": return .rebuildTensor
        case "torch._utils._rebuild_tensor_v2": return .rebuildTensorV2
        case "torch._utils._rebuild_tensor_v3": return .rebuildTensorV3
        case "torch._utils._rebuild_parameter": return .rebuildParameter
        case "torch._utils._rebuild_parameter_with_state": return .rebuildParameterWithState
        case "torch._tensor._rebuild_from_type_v2": return .rebuildFromTypeV2
        default: break
        }
        if name.hasPrefix("torch."), !name.dropFirst(6).contains("."),
            let dtype = TorchDType(rawValue: String(name.dropFirst(6)))
        {
            return .dtype(dtype)
        }
        for prefix in ["torch.", "torch.cuda."] where name.hasPrefix(prefix) {
            let rest = String(name.dropFirst(prefix.count))
            if let dtype = TorchDType(storageTypeName: rest) { return .storageType(dtype) }
        }
        return .unsupported
    }
}
