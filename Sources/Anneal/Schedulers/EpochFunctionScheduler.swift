/// The shared base of ``LambdaLR`` and ``MultiplicativeLR``: schedulers
/// driven by one function of the epoch per param group (`lr_lambda`).
///
/// It holds the functions, evaluates them before each step's rates are
/// computed, and saves them as PyTorch does (a plain function as `None`).
/// The subclasses differ only in how a function's value becomes a rate.
public class EpochFunctionScheduler: LRScheduler {
    /// `lr_lambdas`, one per group.
    public let lrLambdas: [ScheduleFunction]
    /// The functions' values at the current epoch, one per group.
    @exclusivity(unchecked) var functionValues = FunctionValues()

    /// - Parameters:
    ///   - optimizer: the optimizer whose groups' rates are set.
    ///   - lrLambdas: one function per group; PyTorch's `ValueError` when
    ///     the count is not the group count.
    ///   - lastEpoch: `last_epoch`; `-1` for a fresh run.
    ///   - warnings: where PyTorch's warnings go.
    public init(
        optimizer: Optimizer, lrLambdas: [ScheduleFunction], lastEpoch: Epoch = -1,
        warnings: WarningSink = WarningSink()
    ) throws(PythonError) {
        let groupCount = optimizer.paramGroups.count
        if lrLambdas.count != groupCount {
            throw .valueError("Expected \(groupCount) lr_lambdas, but got \(lrLambdas.count)")
        }
        self.lrLambdas = lrLambdas
        try super.init(optimizer: optimizer, lastEpoch: lastEpoch, warnings: warnings)
    }

    /// One function for every group (PyTorch's `[lr_lambda] * len(param_groups)`).
    public convenience init(
        optimizer: Optimizer, lrLambda: ScheduleFunction, lastEpoch: Epoch = -1,
        warnings: WarningSink = WarningSink()
    ) throws(PythonError) {
        try self.init(
            optimizer: optimizer, lrLambdas: [ScheduleFunction](repeating: lrLambda, count: optimizer.paramGroups.count),
            lastEpoch: lastEpoch, warnings: warnings)
    }

    override var callsFunctionsBeforeLR: Bool { true }

    /// The expressions' sources (or `nil` for Swift closures), per group.
    public var lrLambdaSources: [String?] { lrLambdas.map(\.source) }

    /// `lr_lambdas`, after the base keys: PyTorch saves a plain function as
    /// `None`, and a callable object's `__dict__` instead (`{}` for a
    /// `functools.partial`, ``ScheduleFunction/stateDictEntry``); the
    /// functions themselves are not saved, so a state must hold exactly
    /// those entries, one per function, and the functions stay.
    public override var ownState: StateTable {
        StateTable(self, [
            .checked("lr_lambdas", encode: { .array($0.lrLambdas.map(\.stateDictEntry)) }) {
                (reader, scheduler) throws(PythonError) in
                let expected = scheduler.lrLambdas.map(\.stateDictEntry)
                let saved = try reader.array("lr_lambdas")
                guard saved == expected else {
                    throw .valueError(
                        "\(reader.scheduler) state_dict key 'lr_lambdas' must hold \(JSONValue.array(expected).serialized()) (functions are not saved)")
                }
            }.afterBaseKeys()
        ])
    }

    /// `lr_lambda` and `last_epoch`, the keyword arguments of both subclasses.
    static func readArguments(_ args: inout KeywordArguments, groupCount: Int) throws -> ([ScheduleFunction], Epoch) {
        try args.allow(["lr_lambda", "last_epoch"])
        let lambdas = try args.functions("lr_lambda", groupCount: groupCount)
        return (lambdas, try args.epoch())
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

