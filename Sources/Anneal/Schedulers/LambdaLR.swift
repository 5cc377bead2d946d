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
    @exclusivity(unchecked) private var functionValues = FunctionValues()

    /// - Parameter lrLambdas: one function for every group, or one per group.
    public init(
        optimizer: Optimizer, lrLambdas: [ScheduleFunction], lastEpoch: Epoch = -1,
        warnings: WarningSink = WarningSink()
    ) throws(PythonError) {
        self.lrLambdas = try resolveLambdas(lrLambdas, groupCount: optimizer.paramGroups.count)
        try super.init(optimizer: optimizer, lastEpoch: lastEpoch, warnings: warnings)
        prepares = true
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

    public override func computeLR(_ groups: UnsafeMutableBufferPointer<ParamGroup>, into lrs: UnsafeMutableBufferPointer<Double>)
        throws(PythonError)
    {
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

    /// The expressions' sources (or `nil` for Swift closures), per group.
    public var lrLambdaSources: [String?] { lrLambdas.map(\.source) }

    public override var ownState: StateTable { StateTable(self, [.lambdas("lr_lambdas", \.lrLambdas)]) }
}

/// `lr_lambda` may be one function or a list with one per group.
func resolveLambdas(_ lambdas: [ScheduleFunction], groupCount: Int) throws(PythonError) -> [ScheduleFunction] {
    if lambdas.count != groupCount {
        throw .valueError("Expected \(groupCount) lr_lambdas, but got \(lambdas.count)")
    }
    return lambdas
}

extension StateKey {
    /// The functions of `LambdaLR` and `MultiplicativeLR`, after the base
    /// keys: PyTorch saves a plain function as `None`, and a callable
    /// object's `__dict__` instead, which has no meaning here; so a state
    /// must hold one `null` per function, and the functions stay.
    static func lambdas(_ name: String, _ functions: KeyPath<Owner, [ScheduleFunction]>) -> StateKey {
        StateKey.checked(name, encode: { .array(Array(repeating: .null, count: $0[keyPath: functions].count)) }) {
            (reader, owner) throws(PythonError) in
            let count = owner[keyPath: functions].count
            let saved = try reader.array(name)
            guard saved.count == count, saved.allSatisfy(\.isNull) else {
                throw .valueError(
                    "\(reader.scheduler) state_dict key '\(name)' must hold \(count) nulls (plain functions are not saved)")
            }
        }.afterBaseKeys()
    }
}

/// The values of the per-group functions at one epoch, in a buffer reused
/// across steps.
///
/// Expressions are pure, so when a group's function is the same expression
/// as the previous group's (PyTorch's `[lr_lambda] * len(groups)`), its value
/// is reused instead of evaluated again; Swift closures are always called,
/// once per group, as PyTorch calls them.
///
/// A scheduler passes the same (immutable) functions at every step: which
/// ones repeat their predecessor is worked out at the first step, not at
/// every one.
struct FunctionValues {
    private var values: [Double] = []
    /// `sameAsPrevious[i]`: function `i` is function `i - 1`'s expression.
    private var sameAsPrevious: [Bool] = []

    var count: Int { values.count }

    subscript(index: Int) -> Double { values[index] }

    mutating func evaluate(_ functions: [ScheduleFunction], at epoch: Epoch) throws(PythonError) {
        if values.count != functions.count {
            values = Array(repeating: 0, count: functions.count)
            sameAsPrevious = functions.indices.map { $0 > 0 && functions[$0].isSameExpression(as: functions[$0 - 1]) }
        }
        let argument = try epoch.pythonValue()
        let same = sameAsPrevious
        try functions.withUnsafeBufferPointer { (functions) throws(PythonError) in
            try values.withUnsafeMutableBufferPointer { (values) throws(PythonError) in
                // The previous value stays in a register: reading it back
                // from `values` waited on the store just made, every group.
                var previous = 0.0
                for index in functions.indices {
                    let value = same[index] ? previous : try functions[index](argument)
                    values[index] = value
                    previous = value
                }
            }
        }
    }
}

extension LambdaLR: RegisteredScheduler {
    public static var pythonName: String { "LambdaLR" }

    /// `LambdaLR(optimizer, lr_lambda, last_epoch=-1)`.
    public static func make(_ args: inout KeywordArguments, context: SchedulerContext) throws -> LambdaLR {
        let (lambdas, lastEpoch) = try readLambdaArguments(&args, groupCount: context.optimizer.paramGroups.count)
        return try LambdaLR(optimizer: context.optimizer, lrLambdas: lambdas, lastEpoch: lastEpoch)
    }
}

/// `lr_lambda` and `last_epoch`, the arguments of `LambdaLR` and `MultiplicativeLR`.
func readLambdaArguments(_ args: inout KeywordArguments, groupCount: Int) throws -> ([ScheduleFunction], Epoch) {
    try args.allow(["lr_lambda", "last_epoch"])
    let lambdas = try args.functions("lr_lambda", groupCount: groupCount)
    return (lambdas, try args.epoch())
}
