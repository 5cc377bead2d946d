/// Bounds on what one pickle may make, so a hostile file cannot exhaust
/// memory or time. The defaults hold any real training state.
///
/// ```swift
/// var limits = PickleLimits()
/// limits.maxDepth = 64
/// let file = try TorchFile(contentsOf: "ckpt.pt", limits: limits)
/// ```
public struct PickleLimits: Sendable {
    /// The largest pickle (`data.pkl`) in bytes.
    public var maxPickleBytes = 1 << 30
    /// The most memo entries (BINPUT) and the largest memo index.
    public var maxMemoEntries = 1 << 22
    /// The deepest nesting of containers in the result.
    public var maxDepth = 256
    /// The most items in one container and on the stack.
    public var maxContainerCount = 1 << 24
    /// The longest string or bytes value.
    public var maxStringBytes = 1 << 28
    /// The most values made when the final tree is built (memo references
    /// share nothing in the value tree, so this bounds "billion laughs").
    public var maxValues = 1 << 24
    /// The most MARKs open at once.
    public var maxMarks = 4096
    /// The most digits (bytes) of one LONG1 integer.
    public var maxLongBytes = 255

    public init() {}
}
