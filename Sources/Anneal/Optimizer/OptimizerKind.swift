/// The `torch.optim` classes Anneal models, with the hyperparameters and
/// defaults PyTorch 2.13 puts into every param group.
public enum OptimizerKind: String, Sendable, CaseIterable {
    case sgd = "SGD"
    case adam = "Adam"
    case adamW = "AdamW"
    case rmsprop = "RMSprop"
    case adagrad = "Adagrad"
    case adadelta = "Adadelta"
    case adamax = "Adamax"
    case nAdam = "NAdam"
    case rAdam = "RAdam"
    case asgd = "ASGD"
    case rprop = "Rprop"
    case adafactor = "Adafactor"

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
        case .adagrad:
            return [
                "lr": 0.01, "lr_decay": 0, "eps": 1e-10, "weight_decay": 0, "initial_accumulator_value": 0,
                "foreach": nil, "maximize": false, "differentiable": false, "fused": nil,
            ]
        case .adadelta:
            return [
                "lr": 1.0, "rho": 0.9, "eps": 1e-06, "weight_decay": 0, "maximize": false, "capturable": false,
                "foreach": nil, "differentiable": false,
            ]
        case .adamax:
            return [
                "lr": 0.002, "betas": [0.9, 0.999], "eps": 1e-08, "weight_decay": 0, "foreach": nil,
                "maximize": false, "differentiable": false, "capturable": false,
            ]
        case .nAdam:
            return [
                "lr": 0.002, "betas": [0.9, 0.999], "eps": 1e-08, "weight_decay": 0, "momentum_decay": 0.004,
                "decoupled_weight_decay": false, "maximize": false, "foreach": nil, "capturable": false,
                "differentiable": false,
            ]
        case .rAdam:
            return [
                "lr": 0.001, "betas": [0.9, 0.999], "eps": 1e-08, "weight_decay": 0, "maximize": false,
                "foreach": nil, "capturable": false, "decoupled_weight_decay": false, "differentiable": false,
            ]
        case .asgd:
            return [
                "lr": 0.01, "lambd": 0.0001, "alpha": 0.75, "t0": 1000000.0, "weight_decay": 0, "foreach": nil,
                "maximize": false, "differentiable": false, "capturable": false,
            ]
        case .rprop:
            return [
                "lr": 0.01, "etas": [0.5, 1.2], "step_sizes": [1e-06, 50], "foreach": nil, "maximize": false,
                "differentiable": false, "capturable": false,
            ]
        case .adafactor:
            // `eps=(None, 1e-3)`: `None` is float32's machine epsilon at each step.
            return [
                "lr": 0.01, "beta2_decay": -0.8, "eps": [nil, 0.001], "d": 1.0, "weight_decay": 0.0, "foreach": nil,
                "maximize": false,
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
        case .adagrad:
            return [("foreach", nil), ("maximize", false), ("differentiable", false), ("fused", nil)]
        case .adadelta, .adamax, .asgd, .rprop:
            return [("foreach", nil), ("maximize", false), ("differentiable", false), ("capturable", false)]
        case .nAdam:
            return [
                ("maximize", false), ("foreach", nil), ("capturable", false), ("differentiable", false),
                ("decoupled_weight_decay", false),
            ]
        case .rAdam:
            return [
                ("foreach", nil), ("maximize", false), ("differentiable", false), ("decoupled_weight_decay", false),
                ("capturable", false),
            ]
        case .adafactor:
            return [("foreach", nil)]
        }
    }

    /// `'momentum' in optimizer.defaults or 'betas' in optimizer.defaults`:
    /// whether traces record a momentum per group.
    public var hasMomentumOrBetas: Bool { usesBetas || defaultOptions["momentum"] != nil }

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
            return try number(value)
        }
        func number(_ value: JSONValue) throws(PythonError) -> Double {
            switch value {
            case .int(let i): return Double(i)
            case .double(let d): return d
            case .bool(let b): return b ? 1 : 0
            default:
                throw .typeError("'<' not supported between instances of '\(value.pythonTypeName)' and 'float'")
            }
        }
        /// A two-element option (`betas`, `etas`), indexed as Python does.
        func pair(_ key: String) throws(PythonError) -> [JSONValue] {
            guard case .array(let items)? = options[key], items.count >= 2 else {
                throw .typeError("\(key) must be a pair, got \((options[key] ?? .null).pythonDescription)")
            }
            return items
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
        case .adagrad:
            try check("lr", { 0 <= $0 }, "Invalid learning rate")
            try check("lr_decay", { 0 <= $0 }, "Invalid lr_decay value")
            try check("weight_decay", { 0 <= $0 }, "Invalid weight_decay value")
            try check("initial_accumulator_value", { 0 <= $0 }, "Invalid initial_accumulator_value value")
            try check("eps", { 0 <= $0 }, "Invalid epsilon value")
        case .adadelta:
            try check("lr", { 0 <= $0 }, "Invalid learning rate")
            try check("rho", { 0 <= $0 && $0 <= 1 }, "Invalid rho value")
            try check("eps", { 0 <= $0 }, "Invalid epsilon value")
            try check("weight_decay", { 0 <= $0 }, "Invalid weight_decay value")
        case .adamax, .nAdam, .rAdam:
            try check("lr", { 0 <= $0 }, "Invalid learning rate")
            try check("eps", { 0 <= $0 }, "Invalid epsilon value")
            let betas = try pair("betas")
            for (index, beta) in betas.prefix(2).enumerated() {
                let value = try number(beta)
                if 0 <= value && value < 1 { continue }
                throw .valueError("Invalid beta parameter at index \(index): \(beta.pythonDescription)")
            }
            try check("weight_decay", { 0 <= $0 }, "Invalid weight_decay value")
            if self == .nAdam { try check("momentum_decay", { 0 <= $0 }, "Invalid momentum_decay value") }
        case .asgd:
            try check("lr", { 0 <= $0 }, "Invalid learning rate")
            try check("weight_decay", { 0 <= $0 }, "Invalid weight_decay value")
        case .rprop:
            try check("lr", { 0 <= $0 }, "Invalid learning rate")
            let etas = try pair("etas")
            let minus = try number(etas[0]), plus = try number(etas[1])
            if !(0 < minus && minus < 1 && 1 < plus) {
                throw .valueError("Invalid eta values: \(etas[0].pythonDescription), \(etas[1].pythonDescription)")
            }
        case .adafactor:
            func atLeast(_ value: JSONValue, _ bound: Double, _ message: String) throws(PythonError) {
                if !(bound <= (try number(value))) { throw .valueError("\(message) \(value.pythonDescription)") }
            }
            try atLeast(options["lr"] ?? 0, 0, "Learning rate should be >= 0 but is:")
            let beta2Decay = options["beta2_decay"] ?? 0
            if !((try number(beta2Decay)) <= 0) {
                throw .valueError("beta2_decay should be <= 0 but is: \(beta2Decay.pythonDescription)")
            }
            // `eps[0] is not None and not 0.0 <= eps[0]`: the first may be `None`.
            let eps = try pair("eps")
            if !eps[0].isNull { try atLeast(eps[0], 0, "epsilon1 should be >= 0 but is:") }
            try atLeast(eps[1], 0, "epsilon2 should be >= 0 but is:")
            try atLeast(options["d"] ?? 1, 1, "Clipping threshold d should be >= 1 but is:")
            try atLeast(options["weight_decay"] ?? 0, 0, "weight_decay should be >= 0 but is:")
        }
    }
}
