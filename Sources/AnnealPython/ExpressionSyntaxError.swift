/// Why an expression string could not be parsed, and where.
///
/// Thrown by ``Expression/init(_:)`` for anything outside the expression
/// grammar of the trace format: unknown names or functions, a wrong number
/// of arguments, malformed numbers, missing operands or parentheses,
/// trailing tokens, empty input.
///
/// ```swift
/// do { _ = try Expression("epoch **") } catch {
///     error.offset        // 8
///     error.description   // invalid expression "epoch **": expected an operand at offset 8
/// }
/// ```
public struct ExpressionSyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The whole expression as given.
    public var source: String
    /// The 0-based `Character` offset in ``source`` where the problem starts;
    /// `source.count` for a problem at the end of the input.
    public var offset: Int
    /// What is wrong, e.g. `expected an operand` or `unknown name 'lr'`.
    public var message: String

    /// Makes an error; ``Expression/init(_:)`` is what normally does.
    ///
    /// ```swift
    /// ExpressionSyntaxError(source: "x +", offset: 3, message: "expected an operand")
    /// ```
    public init(source: String, offset: Int, message: String) {
        self.source = source
        self.offset = offset
        self.message = message
    }

    /// `invalid expression "SOURCE": MESSAGE at offset N`; a source past 120
    /// characters is shown by its first 100 and the length.
    public var description: String {
        let shown = source.count <= 120 ? source : "\(source.prefix(100))... (\(source.utf8.count) bytes)"
        return "invalid expression \"\(shown)\": \(message) at offset \(offset)"
    }
}
