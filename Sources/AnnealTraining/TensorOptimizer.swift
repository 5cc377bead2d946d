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
