/// An exception as Python would raise it: the class name and the message.
///
/// Anneal mirrors PyTorch's validation exactly, so a failure carries the
/// Python exception type (`ValueError`, `TypeError`, `KeyError`,
/// `ZeroDivisionError`, `OverflowError`, `RuntimeError`, ...) that PyTorch
/// 2.13 raises in the same situation, and PyTorch's message.
public struct PythonError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The Python exception class name, e.g. `"ValueError"`.
    public var type: String
    /// The exception's message, as `str(exception)` would give it.
    public var message: String

    public init(_ type: String, _ message: String) {
        self.type = type
        self.message = message
    }

    public var description: String { "\(type): \(message)" }

    public static func valueError(_ message: String) -> PythonError { PythonError("ValueError", message) }
    public static func typeError(_ message: String) -> PythonError { PythonError("TypeError", message) }
    public static func keyError(_ message: String) -> PythonError { PythonError("KeyError", message) }
    public static func runtimeError(_ message: String) -> PythonError { PythonError("RuntimeError", message) }
    public static func zeroDivisionError(_ message: String) -> PythonError { PythonError("ZeroDivisionError", message) }
    public static func overflowError(_ message: String) -> PythonError { PythonError("OverflowError", message) }
}

extension PythonError {
    /// The marker type of ``beyondAnneal(_:)``: never a Python exception class.
    public static let beyondAnnealType = "AnnealRangeError"

    /// A value Python would hold (an int past 64 bits, say) that Anneal does
    /// not represent. PyTorch raises nothing here, so a runner must not record
    /// this as PyTorch's exception: it is a limit of Anneal's, reported as such.
    public static func beyondAnneal(_ message: String) -> PythonError {
        PythonError(beyondAnnealType, message)
    }

    /// Whether this is ``beyondAnneal(_:)`` rather than a Python exception.
    public var isBeyondAnneal: Bool { type == Self.beyondAnnealType }
}
