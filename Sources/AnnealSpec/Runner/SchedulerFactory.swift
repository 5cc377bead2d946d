import Anneal

/// Builds schedulers from their specs through ``SchedulerRegistry/shared``:
/// each registered type's keyword constructor is called with the spec's
/// `args`, as PyTorch's constructor would be (its `TypeError`s and
/// `ValueError`s included).
///
/// An argument Anneal cannot represent (a fractional `patience`, which
/// PyTorch would accept) raises ``PythonError/beyondAnneal(_:)``, which the
/// runner reports as invalid input rather than as PyTorch's exception; an
/// argument that is no Python value at all (an `lr_lambda` that does not
/// parse) is a ``SpecError`` at `args.<name>`.
public enum SchedulerFactory {
    /// Builds `spec` (children first) on `optimizer`. `lastEpoch` overrides
    /// the spec's `last_epoch` for the outer scheduler (`rebuild`). Public
    /// so a training loop can drive the schedulers a spec describes.
    ///
    /// ```swift
    /// let scheduler = try SchedulerFactory.build(spec.schedulers[0], on: optimizer)
    /// ```
    public static func build(_ spec: SchedulerSpec, on optimizer: Optimizer, lastEpoch: Epoch? = nil) throws -> any Scheduler {
        let children = try spec.children.map { try build($0, on: optimizer) }
        guard let entry = SchedulerRegistry.shared.entry(named: spec.type) else {
            throw PythonError.valueError("unknown scheduler \(spec.type)")
        }
        var args = KeywordArguments(type: spec.type, values: spec.args)
        if let lastEpoch { args.override("last_epoch", with: lastEpoch.json) }
        do {
            return try entry.make(&args, SchedulerContext(optimizer: optimizer, schedulers: children))
        } catch let error as KeywordArguments.InvalidArgument {
            throw SpecError(location: "args.\(error.name)", message: error.message)
        }
    }
}
