import Synchronization

/// What a scheduler's keyword constructor is given besides its arguments.
public struct SchedulerContext {
    /// The optimizer the scheduler drives.
    public let optimizer: Optimizer
    /// The child schedulers (`args.schedulers`), already built, for a type
    /// whose ``RegisteredScheduler/takesChildSchedulers`` is true; else empty.
    public let schedulers: [any Scheduler]

    public init(optimizer: Optimizer, schedulers: [any Scheduler] = []) {
        self.optimizer = optimizer
        self.schedulers = schedulers
    }
}

/// A scheduler that can be built by its Python name from keyword arguments,
/// as a trace spec names it (`{"type": "StepLR", "args": {"step_size": 30}}`).
///
/// The constructor makes PyTorch's argument checks (in PyTorch's order);
/// register the type with ``SchedulerRegistry/register(_:)``:
///
/// ```swift
/// extension WarmupLR: RegisteredScheduler {
///     static let pythonName = "mylib.WarmupLR"
///     static func make(_ args: inout KeywordArguments, context: SchedulerContext) throws -> WarmupLR {
///         try args.allow(["warmup", "last_epoch"])
///         return try WarmupLR(optimizer: context.optimizer, warmup: try args.count("warmup", 5), lastEpoch: try args.epoch())
///     }
/// }
/// SchedulerRegistry.shared.register(WarmupLR.self)
/// ```
public protocol RegisteredScheduler: Scheduler {
    /// The name specs use: PyTorch's class name, or a dotted name for other
    /// libraries' schedulers (`"transformers.cosine"`). Default: the Swift
    /// type's name, which for Anneal's schedulers is PyTorch's.
    static var pythonName: String { get }
    /// Whether the constructor takes `schedulers`, a list of scheduler specs
    /// built first (`SequentialLR`, `ChainedScheduler`). Default false.
    static var takesChildSchedulers: Bool { get }
    /// Whether the constructor takes `last_epoch`, so a spec may `rebuild`
    /// the scheduler at its current epoch. Default true.
    static var takesLastEpoch: Bool { get }
    /// The Python constructor call `pythonName(optimizer, **args)`.
    static func make(_ args: inout KeywordArguments, context: SchedulerContext) throws -> Self
}

extension RegisteredScheduler {
    public static var pythonName: String { String(describing: Self.self) }
    public static var takesChildSchedulers: Bool { false }
    public static var takesLastEpoch: Bool { true }
}

/// The scheduler types specs can name, by ``RegisteredScheduler/pythonName``.
///
/// ``shared`` holds Anneal's schedulers and whatever a program registers:
///
/// ```swift
/// SchedulerRegistry.shared.register(WarmupLR.self)
/// let entry = SchedulerRegistry.shared.entry(named: "StepLR")!
/// var args = KeywordArguments(type: "StepLR", values: ["step_size": 30])
/// let scheduler = try entry.make(&args, SchedulerContext(optimizer: optimizer))
/// ```
public final class SchedulerRegistry: Sendable {
    /// One registered type.
    public struct Entry: Sendable {
        public let pythonName: String
        public let takesChildSchedulers: Bool
        public let takesLastEpoch: Bool
        /// The keyword constructor.
        public let make: @Sendable (inout KeywordArguments, SchedulerContext) throws -> any Scheduler

        /// What identifies the registrant: the type, or the name of a factory.
        let identity: String

        init<S: RegisteredScheduler>(_ type: S.Type) {
            pythonName = S.pythonName
            takesChildSchedulers = S.takesChildSchedulers
            takesLastEpoch = S.takesLastEpoch
            make = { args, context in try S.make(&args, context: context) }
            identity = String(reflecting: type)
        }

        /// A name whose constructor is a factory that may build different
        /// classes (`transformers.get_scheduler` returns a `LambdaLR`, a
        /// `ReduceLROnPlateau` or a `GreedyLR` by its `name`).
        public init(
            pythonName: String, takesChildSchedulers: Bool = false, takesLastEpoch: Bool,
            make: @escaping @Sendable (inout KeywordArguments, SchedulerContext) throws -> any Scheduler
        ) {
            self.pythonName = pythonName
            self.takesChildSchedulers = takesChildSchedulers
            self.takesLastEpoch = takesLastEpoch
            self.make = make
            identity = "factory " + pythonName
        }
    }

    /// Anneal's schedulers: PyTorch 2.13's, in the order its documentation lists them.
    public static let builtIns: [any RegisteredScheduler.Type] = [
        LambdaLR.self, MultiplicativeLR.self, StepLR.self, MultiStepLR.self, ConstantLR.self, LinearLR.self,
        ExponentialLR.self, SequentialLR.self, PolynomialLR.self, CosineAnnealingLR.self, ChainedScheduler.self,
        ReduceLROnPlateau.self, CyclicLR.self, CosineAnnealingWarmRestarts.self, OneCycleLR.self, SWALR.self,
    ]

    /// The other libraries' schedulers Anneal has: Hugging Face
    /// transformers' `get_scheduler` names and timm's classes.
    public static var familyEntries: [Entry] { Transformers.registryEntries + Timm.registryEntries }

    /// The registry specs are read and run with.
    public static let shared = SchedulerRegistry(builtIns, entries: familyEntries)

    private let entries: Mutex<[String: Entry]>

    /// A registry of `types` and `entries` (for a program that wants its own set).
    public init(_ types: [any RegisteredScheduler.Type], entries more: [Entry] = []) {
        var entries: [String: Entry] = [:]
        for entry in types.map({ Self.entry($0) }) + more {
            precondition(entries[entry.pythonName] == nil, "scheduler name \"\(entry.pythonName)\" registered twice")
            entries[entry.pythonName] = entry
        }
        self.entries = Mutex(entries)
    }

    private static func entry<S: RegisteredScheduler>(_ type: S.Type) -> Entry { Entry(type) }

    /// Adds `type` under its ``RegisteredScheduler/pythonName``. Registering
    /// the same type again does nothing; another type under a taken name is
    /// a programming error.
    public func register<S: RegisteredScheduler>(_ type: S.Type) {
        register(Entry(type))
    }

    /// Adds `entry` (a factory) under its name; the same rules as for a type.
    public func register(_ entry: Entry) {
        entries.withLock { entries in
            if let existing = entries[entry.pythonName] {
                precondition(
                    existing.identity == entry.identity,
                    "scheduler name \"\(entry.pythonName)\" is already registered for another type")
                return
            }
            entries[entry.pythonName] = entry
        }
    }

    /// The type registered as `name`, if any.
    public func entry(named name: String) -> Entry? {
        entries.withLock { $0[name] }
    }

    /// Every registered name.
    public var names: Set<String> {
        entries.withLock { Set($0.keys) }
    }
}
