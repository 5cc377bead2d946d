/// A composite scheduler's children (`SequentialLR`, `ChainedScheduler`)
/// for its step path, where retaining and releasing each child it calls
/// cost a fifth of the step. The composite's own `schedulers` array keeps
/// every child alive as long as this exists, so no reference is counted.
struct UnretainedSchedulers {
    private let references: [Unmanaged<LRScheduler>]

    /// Invariant: `schedulers` outlives this value (the owner stores both).
    init(_ schedulers: [LRScheduler]) {
        references = schedulers.map { Unmanaged.passUnretained($0) }
    }

    var count: Int { references.count }

    /// `body(child)` for child `index`, without retaining it.
    @inline(__always)
    func with<Result>(
        _ index: Int, _ body: (LRScheduler) throws(PythonError) -> Result
    ) throws(PythonError) -> Result {
        let outcome = references[index]._withUnsafeGuaranteedRef { child -> Swift.Result<Result, PythonError> in
            do throws(PythonError) { return .success(try body(child)) } catch { return .failure(error) }
        }
        return try outcome.get()
    }
}
