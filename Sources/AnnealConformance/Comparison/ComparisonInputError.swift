/// A golden or candidate that cannot be compared: not an object, no `trace`
/// array, an invalid `tolerance`.
public struct ComparisonInputError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Which file is at fault.
    public enum Side: String, Sendable, Hashable {
        case golden
        case candidate
    }

    /// Which file is at fault.
    public var side: Side

    /// What is wrong, e.g. ``"no `trace` array"``.
    public var message: String

    /// `golden: MESSAGE` or `candidate: MESSAGE`.
    public var description: String { "\(side.rawValue): \(message)" }
}
