/// The `torch.optim` classes Anneal models, with the hyperparameters and
/// defaults PyTorch 2.13 puts into every param group.
public enum OptimizerKind: String, Sendable, CaseIterable {
    case sgd = "SGD"
    case adam = "Adam"
    case adamW = "AdamW"
    case rmsprop = "RMSprop"

    /// The keyword arguments of the constructor, in PyTorch's order, with
    /// their defaults (as `optimizer.defaults` holds them; `foreach` is
    /// `None` unless given, and traces always pass `False`).
    public var defaultOptions: JSONObject {
        switch self {
        case .sgd:
            return [
                "lr": 0.001, "momentum": 0, "dampening": 0, "weight_decay": 0, "nesterov": false,
                "maximize": false, "foreach": nil, "differentiable": false, "fused": nil,
            ]
        case .adam, .adamW:
            return [
                "lr": 0.001, "betas": [0.9, 0.999], "eps": 1e-08,
                "weight_decay": self == .adamW ? 0.01 : 0,
                "amsgrad": false, "maximize": false, "foreach": nil, "capturable": false,
                "differentiable": false, "fused": nil, "decoupled_weight_decay": .bool(self == .adamW),
            ]
        case .rmsprop:
            return [
                "lr": 0.01, "momentum": 0, "alpha": 0.99, "eps": 1e-08, "centered": false,
                "weight_decay": 0, "capturable": false, "foreach": nil, "maximize": false,
                "differentiable": false,
            ]
        }
    }

    /// The keys PyTorch's `__setstate__` (run by `load_state_dict`) gives a
    /// loaded group that lacks them (`group.setdefault(key, value)`), in its
    /// order. AdamW's also sets `decoupled_weight_decay` to true in every group.
    public var setStateDefaults: [(key: String, value: JSONValue)] {
        switch self {
        case .sgd:
            return [("nesterov", false), ("maximize", false), ("foreach", nil), ("differentiable", false), ("fused", false)]
        case .adam, .adamW:
            return [
                ("amsgrad", false), ("maximize", false), ("foreach", nil), ("capturable", false),
                ("differentiable", false), ("decoupled_weight_decay", false), ("fused", nil),
            ]
        case .rmsprop:
            return [
                ("momentum", 0), ("centered", false), ("foreach", nil), ("maximize", false), ("differentiable", false),
                ("capturable", false),
            ]
        }
    }

    /// Whether the optimizer's defaults have `momentum` (SGD, RMSprop) or
    /// `betas` (Adam, AdamW): what `CyclicLR` and `OneCycleLR` cycle.
    public var momentumKey: String { usesBetas ? "betas" : "momentum" }

    /// `'betas' in optimizer.defaults`.
    public var usesBetas: Bool { defaultOptions["betas"] != nil }

    /// Checks constructor arguments as PyTorch's `__init__` does, in the same
    /// order, raising the same exception with the same message.
    func validate(_ options: JSONObject) throws(PythonError) {
        func number(_ key: String) throws(PythonError) -> Double {
            guard let value = options[key] else { return 0 }
            switch value {
            case .int(let i): return Double(i)
            case .double(let d): return d
            case .bool(let b): return b ? 1 : 0
            default:
                throw .typeError("'<' not supported between instances of '\(value.pythonTypeName)' and 'float'")
            }
        }
        func check(_ key: String, _ ok: (Double) -> Bool, _ message: String) throws(PythonError) {
            let value = try number(key)
            if !ok(value) { throw .valueError("\(message): \((options[key] ?? .null).pythonDescription)") }
        }
        switch self {
        case .sgd:
            try check("lr", { !($0 < 0) }, "Invalid learning rate")
            try check("momentum", { !($0 < 0) }, "Invalid momentum value")
            try check("weight_decay", { !($0 < 0) }, "Invalid weight_decay value")
            let nesterov = options["nesterov"]?.isPythonTruthy ?? false
            let momentum = try number("momentum")
            let dampening = try number("dampening")
            if nesterov && (momentum <= 0 || dampening != 0) {
                throw .valueError("Nesterov momentum requires a momentum and zero dampening")
            }
        case .adam, .adamW:
            try check("lr", { 0 <= $0 }, "Invalid learning rate")
            try check("eps", { 0 <= $0 }, "Invalid epsilon value")
            guard case .array(let betas)? = options["betas"], betas.count == 2,
                let beta1 = betas[0].doubleValue, let beta2 = betas[1].doubleValue
            else {
                throw .typeError("betas must be a pair of floats, got \((options["betas"] ?? .null).pythonDescription)")
            }
            if !(0 <= beta1 && beta1 < 1) { throw .valueError("Invalid beta parameter at index 0: \(betas[0].pythonDescription)") }
            if !(0 <= beta2 && beta2 < 1) { throw .valueError("Invalid beta parameter at index 1: \(betas[1].pythonDescription)") }
            try check("weight_decay", { 0 <= $0 }, "Invalid weight_decay value")
            // `isinstance(betas[0], float) and isinstance(betas[1], float)`: an int beta is rejected.
            guard case .double = betas[0], case .double = betas[1] else {
                throw .valueError("betas must be either both floats or both Tensors")
            }
        case .rmsprop:
            try check("lr", { 0 <= $0 }, "Invalid learning rate")
            try check("eps", { 0 <= $0 }, "Invalid epsilon value")
            try check("momentum", { 0 <= $0 }, "Invalid momentum value")
            try check("weight_decay", { 0 <= $0 }, "Invalid weight_decay value")
            try check("alpha", { 0 <= $0 }, "Invalid alpha value")
        }
    }
}
