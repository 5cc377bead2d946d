/// timm's schedulers (`timm.scheduler`, version 1.0.31), bit for bit.
public enum Timm {
    /// The registry entries of this family (`timm.CosineLRScheduler`, ...).
    static var registryEntries: [SchedulerRegistry.Entry] { [] }
}
