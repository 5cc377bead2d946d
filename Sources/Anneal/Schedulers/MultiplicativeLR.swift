/// Multiplies each group's rate by a function of the epoch on every step:
/// PyTorch's `MultiplicativeLR(optimizer, lr_lambda, last_epoch=-1)`.
///
/// Chainable: `lr ← lr · lr_lambda(last_epoch)` (not on the constructor's
/// initial step).
///
/// With `lr = 0.1` and `lr_lambda = "0.95"`: 0.1, 0.095, 0.09025, ...
public final class MultiplicativeLR: EpochFunctionScheduler {
    public override func computeLR(_ groups: ParamGroups, into lrs: Rates) throws(PythonError) {
        if isInitial {
            keepRates(groups, into: lrs)
            return
        }
        try checkGroupCount(functionValues.count, lrs.count)
        for index in lrs.indices {
            lrs[index] = groups[index].lr * functionValues[index]
        }
    }

    /// `lr_lambda(last_epoch)` for each group (not on the initial step, where
    /// PyTorch calls none), before the groups are read.
    override func prepareLR(closedForm: Bool) throws(PythonError) {
        if !isInitial { try functionValues.evaluate(lrLambdas, at: lastEpoch) }
    }

}

extension MultiplicativeLR: RegisteredScheduler {
    /// `MultiplicativeLR(optimizer, lr_lambda, last_epoch=-1)`.
    public static func make(_ args: inout KeywordArguments, context: SchedulerContext) throws -> MultiplicativeLR {
        let (lambdas, lastEpoch) = try readArguments(&args, groupCount: context.optimizer.paramGroups.count)
        return try MultiplicativeLR(optimizer: context.optimizer, lrLambdas: lambdas, lastEpoch: lastEpoch)
    }
}
