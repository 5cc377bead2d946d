import Anneal
import AnnealOptim

extension OptimizerSpec {
    /// The optimizer this spec describes: the one place a spec becomes an
    /// optimizer (the runner and `anneal train` both build through it).
    ///
    /// With `parameters` (one list per param group, paired with the spec's
    /// groups in order), AnnealOptim's tensor optimizer over them, built by
    /// its one factory, ``AnnealOptim/makeOptimizer(_:groups:options:)``;
    /// without, the hyperparameter-only `Anneal.Optimizer` with the spec's
    /// group sizes (what a trace without a `gradient` drives).
    ///
    /// ```swift
    /// let optimizer = try spec.optimizer.makeOptimizer(parameters: [model.parameters()])
    /// ```
    public func makeOptimizer(parameters: [[Parameter]]?) throws -> Optimizer {
        guard let parameters else {
            return try Optimizer(kind, options: options, groups: groups, parameterCounts: self.parameters.map(\.count))
        }
        let groups = zip(parameters, groups).map { ParameterGroup(parameters: $0, options: $1) }
        return try AnnealOptim.makeOptimizer(kind, groups: groups, options: options)
    }
}
