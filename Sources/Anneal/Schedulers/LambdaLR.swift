/// Sets each group's rate to its initial rate times a function of the
/// epoch: PyTorch's `LambdaLR(optimizer, lr_lambda, last_epoch=-1)`.
///
/// `lr = base_lr · lr_lambda(last_epoch)`, one function for all groups or
/// one per group. Not chainable: the user's writes to `lr` are overwritten.
///
/// With `lr = 0.1` and `lr_lambda = "0.5 ** epoch"`: 0.1, 0.05, 0.025, ...
public final class LambdaLR: LRScheduler {
    /// `lr_lambdas`, one per group.
    public let lrLambdas: [ScheduleFunction]

    /// - Parameter lrLambdas: one function for every group, or one per group.
    public init(
        optimizer: Optimizer, lrLambdas: [ScheduleFunction], lastEpoch: Epoch = -1,
        warnings: WarningSink = WarningSink()
    ) throws(PythonError) {
        self.lrLambdas = try resolveLambdas(lrLambdas, groupCount: optimizer.paramGroups.count)
        try super.init(optimizer: optimizer, lastEpoch: lastEpoch, warnings: warnings)
        try initialStep()
    }

    /// One function for every group.
    public convenience init(
        optimizer: Optimizer, lrLambda: ScheduleFunction, lastEpoch: Epoch = -1,
        warnings: WarningSink = WarningSink()
    ) throws(PythonError) {
        try self.init(
            optimizer: optimizer, lrLambdas: [ScheduleFunction](repeating: lrLambda, count: optimizer.paramGroups.count),
            lastEpoch: lastEpoch, warnings: warnings)
    }

    override func computeLR(into lrs: inout [Double]) throws(PythonError) {
        try checkGroupCount(baseLRs.count)
        try checkGroupCount(lrLambdas.count)
        let epoch = lastEpoch.pythonValue
        for index in lrs.indices {
            lrs[index] = baseLRs[index] * (try lrLambdas[index](epoch))
        }
    }

    /// The expressions' sources (or `nil` for Swift closures), per group.
    public var lrLambdaSources: [String?] { lrLambdas.map(\.source) }

    override func trailingState() -> [(String, JSONValue)] {
        [("lr_lambdas", .array(Array(repeating: .null, count: lrLambdas.count)))]
    }
    override var ownStateKeys: [String] { ["lr_lambdas"] }
    override func loadOwnState(_ state: StateReader) throws(PythonError) {
        try checkLambdaState(state, count: lrLambdas.count)
    }
}

/// `lr_lambda` may be one function or a list with one per group.
func resolveLambdas(_ lambdas: [ScheduleFunction], groupCount: Int) throws(PythonError) -> [ScheduleFunction] {
    if lambdas.count != groupCount {
        throw .valueError("Expected \(groupCount) lr_lambdas, but got \(lambdas.count)")
    }
    return lambdas
}

/// Plain functions are saved as `null` by PyTorch; a callable object's
/// `__dict__` would be saved instead, which has no meaning here.
func checkLambdaState(_ state: StateReader, count: Int) throws(PythonError) {
    let saved = try state.array("lr_lambdas")
    guard saved.count == count, saved.allSatisfy(\.isNull) else {
        throw .valueError(
            "\(state.scheduler) state_dict key 'lr_lambdas' must hold \(count) nulls (plain functions are not saved)")
    }
}
