/// Sets each group's rate to its initial rate times a function of the
/// epoch: PyTorch's `LambdaLR(optimizer, lr_lambda, last_epoch=-1)`.
///
/// `lr = base_lr · lr_lambda(last_epoch)`, one function for all groups or
/// one per group. Not chainable: the user's writes to `lr` are overwritten.
///
/// With `lr = 0.1` and `lr_lambda = "0.5 ** epoch"`: 0.1, 0.05, 0.025, ...
public final class LambdaLR: EpochFunctionScheduler {
    public override func computeLR(_ groups: ParamGroups, into lrs: Rates) throws(PythonError) {
        try checkGroupCount(baseLRs.count, lrs.count)
        try checkGroupCount(functionValues.count, lrs.count)
        for index in lrs.indices {
            lrs[index] = baseLRs[index] * functionValues[index]
        }
    }

    /// `lr_lambda(last_epoch)` for each group, called before the groups are read.
    override func prepareLR(closedForm: Bool) throws(PythonError) {
        try functionValues.evaluate(lrLambdas, at: lastEpoch)
    }
}

extension LambdaLR: RegisteredScheduler {
    /// `LambdaLR(optimizer, lr_lambda, last_epoch=-1)`.
    public static func make(_ args: inout KeywordArguments, context: SchedulerContext) throws -> LambdaLR {
        let (lambdas, lastEpoch) = try readArguments(&args, groupCount: context.optimizer.paramGroups.count)
        return try LambdaLR(optimizer: context.optimizer, lrLambdas: lambdas, lastEpoch: lastEpoch)
    }
}
