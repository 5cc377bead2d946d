import Anneal

/// The keyword arguments a convenience initialiser passes on
/// (`SGD(parameters:lr:momentum:...)`): only what the caller gave, and not
/// a value equal to the default, so that the group keeps the default as
/// ``OptimizerKind/defaultOptions`` spells it (SGD's `momentum` default is
/// Python's int `0`; a `momentum: 0` given in Swift leaves it so). The
/// defaults themselves live in `defaultOptions` only.
///
/// ```swift
/// let arguments = ConvenienceArguments(.sgd, numbers: ["lr": lr, "momentum": momentum], flags: ["nesterov": nesterov])
/// try SGD(groups, options: arguments.options)
/// ```
struct ConvenienceArguments {
    private let defaults: JSONObject
    /// What to pass as `options`.
    private(set) var options: JSONObject = [:]

    init(_ kind: OptimizerKind) { defaults = kind.defaultOptions }

    /// The arguments given among `numbers` (`lr`, `momentum`, ...), `flags`
    /// (`nesterov`, ...) and `pairs` (`betas`); `nil` is an argument left out.
    init(
        _ kind: OptimizerKind, numbers: KeyValuePairs<String, Double?>, flags: KeyValuePairs<String, Bool?> = [:],
        pairs: KeyValuePairs<String, (Double, Double)?> = [:]
    ) {
        self.init(kind)
        for (key, value) in numbers { self[key] = value }
        for (key, value) in flags { self[flag: key] = value }
        for (key, value) in pairs { self[pair: key] = value }
    }

    /// A number (`lr`, `momentum`, ...).
    subscript(key: String) -> Double? {
        get { options[key]?.doubleValue }
        set { set(key, newValue.map(JSONValue.double), equalsDefault: newValue == defaults[key]?.doubleValue) }
    }

    /// A flag (`nesterov`, `amsgrad`, ...).
    subscript(flag key: String) -> Bool? {
        get { options[key].map(\.isPythonTruthy) }
        set { set(key, newValue.map(JSONValue.bool), equalsDefault: newValue.map(JSONValue.bool) == defaults[key]) }
    }

    /// A pair (`betas`).
    subscript(pair key: String) -> (Double, Double)? {
        get { nil }
        set {
            let pair = newValue.map { JSONValue.array([.double($0.0), .double($0.1)]) }
            set(key, pair, equalsDefault: pair == defaults[key])
        }
    }

    private mutating func set(_ key: String, _ value: JSONValue?, equalsDefault: Bool) {
        precondition(defaults[key] != nil, "\(key) is not a keyword argument of this optimizer")
        options[key] = equalsDefault ? nil : value
    }
}
