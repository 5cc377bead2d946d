import Anneal
import AnnealTensor

/// Plain SGD (`p -= lr · grad`) over tensors, independent of AnnealOptim, so
/// the loop is tested on its own.
final class PlainSGD: Optimizer {
    let parameters: [Parameter]

    init(_ parameters: [Parameter], lr: Double) throws {
        self.parameters = parameters
        try super.init(.sgd, options: ["lr": .double(lr)], groups: [[:]], parameterCounts: [parameters.count])
    }

    override func performStep() throws {
        let lr = Float(paramGroups[0].lr)
        for parameter in parameters {
            guard let grad = parameter.grad else { continue }
            parameter.value -= grad * lr
        }
    }
}

/// An optimizer with hyperparameters only (the parameters never change):
/// enough to check the learning-rate schedule of a training run.
func hyperparametersOnly(_ kind: OptimizerKind, lr: Double, count: Int) throws -> Optimizer {
    try Optimizer(kind, options: ["lr": .double(lr)], groups: [[:]], parameterCounts: [count])
}
