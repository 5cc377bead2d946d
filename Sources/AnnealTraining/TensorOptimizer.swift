import Anneal
import AnnealSpec
import AnnealOptim
import AnnealTensor

/// The tensor optimizer `spec` describes (AnnealOptim's SGD, Adam, AdamW or
/// RMSprop, bit-exact with PyTorch) over `parameters`, all in one group
/// whose overrides are the spec's single `param_groups` entry.
///
/// ```swift
/// let optimizer = try makeTensorOptimizer(spec.optimizer, parameters: model.parameters())
/// ```
public func makeTensorOptimizer(_ spec: OptimizerSpec, parameters: [Parameter]) throws -> Optimizer {
    var spec = spec
    if spec.groups.isEmpty { spec.groups = [[:]] }  // no `param_groups` entry: no overrides
    return try spec.makeOptimizer(parameters: [parameters])
}

/// How the model's parameters are split into param groups.
public enum ParameterGrouping: String, Sendable, CaseIterable {
    /// One group of every parameter, in the model's order (what PyTorch's
    /// tutorials build: `AdamW(model.parameters())`).
    case one
    /// Hugging Face Trainer's two groups (`Trainer.create_optimizer`): the
    /// parameters that decay, then the rest (biases and norms) with
    /// `weight_decay` 0, each in the model's order. The spec's options and
    /// its `param_groups` entry apply to both groups.
    case huggingFace

    /// Whether Hugging Face's Trainer decays the parameter named `name`:
    /// not when the lowercased name contains `bias`, `layernorm` or
    /// `rmsnorm`, or has a `norm` or `_norm` segment
    /// (`get_decay_parameter_names`' forbidden names; Anneal's models have
    /// no LayerNorm modules).
    ///
    /// ```swift
    /// ParameterGrouping.decays("fc1.weight")   // true
    /// ParameterGrouping.decays("fc1.bias")     // false
    /// ```
    public static func decays(_ name: String) -> Bool {
        let lower = name.lowercased()
        if lower.contains("bias") || lower.contains("layernorm") || lower.contains("rmsnorm") { return false }
        let segments = lower.split(separator: ".", omittingEmptySubsequences: false)
        return !segments.contains { $0 == "norm" || $0.hasSuffix("_norm") }
    }

    /// The groups of `named` (in the model's order), each in its order.
    public func groups(_ named: [(name: String, parameter: Parameter)]) -> [[Parameter]] {
        switch self {
        case .one: return [named.map(\.parameter)]
        case .huggingFace:
            return [named.filter { Self.decays($0.name) }.map(\.parameter), named.filter { !Self.decays($0.name) }.map(\.parameter)]
        }
    }
}

/// The tensor optimizer `spec` describes over `named`'s parameters grouped
/// by `grouping` (``ParameterGrouping/huggingFace``: the second group's
/// `weight_decay` is 0).
public func makeTensorOptimizer(
    _ spec: OptimizerSpec, named: [(name: String, parameter: Parameter)], grouping: ParameterGrouping
) throws -> Optimizer {
    guard grouping == .huggingFace else { return try makeTensorOptimizer(spec, parameters: named.map(\.parameter)) }
    var spec = spec
    let overrides = spec.groups.first ?? [:]
    var noDecay = overrides
    noDecay["weight_decay"] = .double(0)
    spec.groups = [overrides, noDecay]
    return try spec.makeOptimizer(parameters: grouping.groups(named))
}
