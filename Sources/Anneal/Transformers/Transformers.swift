/// Hugging Face transformers' schedules (`transformers.optimization`,
/// version 5.23.0), bit for bit.
public enum Transformers {
    /// The registry entries of this family (`transformers.get_scheduler`).
    static var registryEntries: [SchedulerRegistry.Entry] { [] }
}
