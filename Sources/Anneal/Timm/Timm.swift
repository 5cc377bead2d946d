/// timm's schedulers (`timm.scheduler`, version 1.0.31), bit for bit.
///
/// Each class is a ``Timm/BaseScheduler`` (timm's `Scheduler` base class),
/// registered as `timm.<Class>`:
///
/// ```swift
/// let entry = SchedulerRegistry.shared.entry(named: "timm.CosineLRScheduler")!
/// var args = KeywordArguments(type: "timm.CosineLRScheduler", values: ["t_initial": 10])
/// let scheduler = try entry.make(&args, SchedulerContext(optimizer: optimizer))
/// try scheduler.step(.epoch(5))   // lr 0.1 → 0.05
/// ```
public enum Timm {
    /// The registry entries of this family (`timm.CosineLRScheduler`, ...).
    /// timm's constructors take no `last_epoch`, so `rebuild` is not defined.
    static var registryEntries: [SchedulerRegistry.Entry] {
        [
            entry("CosineLRScheduler") { args, context in try CosineLRScheduler.make(&args, context: context) },
            entry("TanhLRScheduler") { args, context in try TanhLRScheduler.make(&args, context: context) },
            entry("StepLRScheduler") { args, context in try StepLRScheduler.make(&args, context: context) },
            entry("MultiStepLRScheduler") { args, context in try MultiStepLRScheduler.make(&args, context: context) },
            entry("PlateauLRScheduler") { args, context in try PlateauLRScheduler.make(&args, context: context) },
            entry("PolyLRScheduler") { args, context in try PolyLRScheduler.make(&args, context: context) },
            entry("WSDLRScheduler") { args, context in try WSDLRScheduler.make(&args, context: context) },
        ]
    }

    private static func entry(
        _ name: String, _ make: @escaping @Sendable (inout KeywordArguments, SchedulerContext) throws -> any Scheduler
    ) -> SchedulerRegistry.Entry {
        SchedulerRegistry.Entry(pythonName: "timm." + name, takesLastEpoch: false, make: make)
    }
}
