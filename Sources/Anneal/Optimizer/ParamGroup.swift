/// One of an optimizer's param groups: PyTorch's `param_groups[i]` dict.
///
/// Schedulers read and write a handful of keys on every step (`lr`, the
/// momentum or `betas[0]`, and the bounds `OneCycleLR`, `CyclicLR` and
/// `SWALR` keep in the group), so those are stored fields: a step touches no
/// dictionary and allocates nothing. Every other key the optimizer or user
/// put in the group (`weight_decay`, `eps`, `nesterov`, ...) lives in
/// `options` under its PyTorch name. `subscript(key:)` reads and writes any
/// key by that name, as `group["lr"]` does in Python.
public struct ParamGroup: Sendable, Equatable {
    /// `group["lr"]`.
    public var lr: Double {
        didSet { lrInteger = nil }
    }
    /// The exact value when Python holds `lr` as an `int` (`SGD(lr=1)`, a
    /// user's `group["lr"] = 3`): traces and state dicts then write `1`, not
    /// `1.0`. Any write of a computed lr (every scheduler's, for now) makes it
    /// a float again.
    public internal(set) var lrInteger: Int?
    /// `group["momentum"]` (SGD, RMSprop), `nil` when the group has none.
    public var momentum: Double? {
        didSet { momentumInteger = nil }
    }
    /// The exact value when Python holds `momentum` as an `int` (SGD's
    /// default is the int `0`): traces and state dicts then write `0`, not
    /// `0.0`. Any write of a computed momentum makes it a float again.
    public internal(set) var momentumInteger: Int?
    /// Whether Python holds `momentum` as an `int`.
    public var momentumIsInteger: Bool { momentumInteger != nil }
    /// `group["betas"]` (Adam, AdamW), `nil` when the group has none.
    public var betas: Betas?
    /// `group["initial_lr"]`, set by the first scheduler built on the group.
    public var initialLR: Double?
    /// `group["max_lr"]` and `group["min_lr"]`, set by `OneCycleLR`.
    public var maxLR: Double?
    public var minLR: Double?
    /// `group["swa_lr"]`, set by `SWALR`.
    public var swaLR: Double?
    /// `group["max_momentum"]` and `group["base_momentum"]`, set by `CyclicLR`
    /// and `OneCycleLR` when they cycle momentum.
    public var maxMomentum: Double?
    public var baseMomentum: Double?
    /// Every other key of the group, by its PyTorch name.
    public var options: JSONObject
    /// How many parameter tensors the group holds (`len(group["params"])`).
    public var parameterCount: Int

    /// `(beta1, beta2)` of Adam-style optimizers.
    public struct Betas: Sendable, Hashable {
        public var beta1: Double
        public var beta2: Double
        public init(_ beta1: Double, _ beta2: Double) {
            self.beta1 = beta1
            self.beta2 = beta2
        }
    }

    public init(lr: Double, options: JSONObject = [:], parameterCount: Int = 1) {
        self.lr = lr
        self.options = options
        self.parameterCount = parameterCount
    }

    /// The names of the keys stored as fields, in the order PyTorch adds them.
    static let fieldKeys = [
        "lr", "momentum", "betas", "max_momentum", "base_momentum", "initial_lr", "max_lr", "min_lr", "swa_lr",
    ]

    /// The cycled momentum as Python holds it (`momentum`, or `betas[0]`),
    /// for traces: an `int` stays an `int`.
    public var cycledMomentumJSON: JSONValue? {
        if momentum != nil { return self["momentum"] }
        return betas.map { .double($0.beta1) }
    }

    /// The momentum schedulers cycle: `momentum`, or `betas[0]`.
    @inlinable
    public var cycledMomentum: Double? {
        if let momentum { return momentum }
        return betas?.beta1
    }

    /// `group[key]` by PyTorch name; `nil` when the group has no such key.
    ///
    /// Setting a stored field's key requires a number (`betas` a pair);
    /// setting `nil` removes the key (`lr` cannot be removed).
    public subscript(key: String) -> JSONValue? {
        get {
            switch key {
            case "lr": return lrInteger.map(JSONValue.int) ?? .double(lr)
            case "momentum":
                guard let momentum else { return nil }
                return momentumInteger.map(JSONValue.int) ?? .double(momentum)
            case "betas": return betas.map { .array([.double($0.beta1), .double($0.beta2)]) }
            case "initial_lr": return initialLR.map(JSONValue.double)
            case "max_lr": return maxLR.map(JSONValue.double)
            case "min_lr": return minLR.map(JSONValue.double)
            case "swa_lr": return swaLR.map(JSONValue.double)
            case "max_momentum": return maxMomentum.map(JSONValue.double)
            case "base_momentum": return baseMomentum.map(JSONValue.double)
            default: return options[key]
            }
        }
        set {
            switch key {
            case "lr":
                lr = newValue?.doubleValue ?? lr
                if case .int(let integer) = newValue { lrInteger = integer }
            case "momentum":
                momentum = newValue?.doubleValue
                if case .int(let integer) = newValue { momentumInteger = integer }
            case "betas":
                if case .array(let pair)? = newValue, pair.count == 2,
                    let b1 = pair[0].doubleValue, let b2 = pair[1].doubleValue
                {
                    betas = Betas(b1, b2)
                } else {
                    betas = nil
                }
            case "initial_lr": initialLR = newValue?.doubleValue
            case "max_lr": maxLR = newValue?.doubleValue
            case "min_lr": minLR = newValue?.doubleValue
            case "swa_lr": swaLR = newValue?.doubleValue
            case "max_momentum": maxMomentum = newValue?.doubleValue
            case "base_momentum": baseMomentum = newValue?.doubleValue
            default: options[key] = newValue
            }
        }
    }

    /// The group as PyTorch's `state_dict()["param_groups"][i]` writes it,
    /// with `params` holding the parameters' indices from `firstIndex` on.
    public func stateDict(firstParameterIndex firstIndex: Int) -> JSONObject {
        var object = options
        for key in Self.fieldKeys {
            if let value = self[key] { object[key] = value }
        }
        object["params"] = .array((0..<parameterCount).map { .int(firstIndex + $0) })
        return object
    }

    /// Reads a group from a saved `param_groups[i]`; every key is kept.
    ///
    /// Throws when `lr` is missing or a stored field has the wrong type:
    /// Anneal validates what it loads instead of failing later.
    public init(stateDict object: JSONObject, parameterCount: Int) throws(PythonError) {
        guard let lr = object["lr"]?.doubleValue else {
            throw .keyError("param group state has no numeric 'lr'")
        }
        self.init(lr: lr, parameterCount: parameterCount)
        for (key, value) in object where key != "params" {
            if key != "betas", key != "lr", Self.fieldKeys.contains(key), value.doubleValue == nil, !value.isNull {
                throw .typeError("param group key '\(key)' must be a number, got \(value.pythonTypeName)")
            }
            if key == "betas" {
                guard case .array(let pair) = value, pair.count == 2, pair[0].doubleValue != nil,
                    pair[1].doubleValue != nil
                else { throw .typeError("param group key 'betas' must be a pair of numbers") }
            }
            self[key] = value
        }
    }
}
