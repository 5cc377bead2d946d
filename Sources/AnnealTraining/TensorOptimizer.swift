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
    let overrides = spec.groups.first ?? [:]
    return try makeOptimizer(spec.kind, groups: [ParameterGroup(parameters: parameters, options: overrides)], options: spec.options)
}
