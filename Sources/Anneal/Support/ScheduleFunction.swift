/// A function a scheduler calls on every step: `LambdaLR`'s and
/// `MultiplicativeLR`'s `lr_lambda` (of the epoch) and `CyclicLR`'s
/// `scale_fn` (of the cycle or iteration).
///
/// Either a Swift closure, or an ``Expression`` of the trace format's
/// expression language, evaluated with Python semantics. PyTorch's
/// `state_dict()` writes a plain function as `null`, and so does Anneal;
/// an expression also keeps its ``source`` so a checkpoint can rebuild the
/// scheduler without the caller's code.
public struct ScheduleFunction: @unchecked Sendable {
    @usableFromInline
    enum Storage {
        case closure((PyValue) throws(PythonError) -> Double)
        case expression(Expression)
        /// An expression without a variable (`lambda epoch: 0.95`), whose
        /// value was computed once: the same at every argument.
        case constant(Double, Expression)
    }

    @usableFromInline let storage: Storage
    /// Whether the function stands for a `functools.partial` (a trivial
    /// value, so copying a function on every step retains nothing more).
    @usableFromInline let isPartial: Bool

    /// What `state_dict()` saves for the function in `lr_lambdas`: `null`
    /// for a plain function (PyTorch skips `types.FunctionType`), or a
    /// callable object's `__dict__`, `{}` for a `functools.partial` (see
    /// ``init(partial:)``). A loaded state must hold the same value.
    public var stateDictEntry: JSONValue { isPartial ? .object([:]) : .null }
    /// Shared by copies of one function, distinct between separately made ones.
    @usableFromInline let identity = Identity()

    @usableFromInline
    final class Identity: Sendable {
        @usableFromInline init() {}
    }

    /// A Swift function of the epoch (or of `x` for `scale_fn`).
    public init(_ function: @escaping (Double) -> Double) {
        storage = .closure { value in function(value.doubleValue) }
        isPartial = false
    }

    /// A Swift function receiving the Python value (an `int` epoch, or a
    /// `float` one after `step(epoch: 2.5)`), which may raise.
    public init(python function: @escaping (PyValue) throws(PythonError) -> Double) {
        storage = .closure(function)
        isPartial = false
    }

    /// A Swift function standing for a `functools.partial` object (Hugging
    /// Face transformers' schedules are `partial(_lr_lambda, ...)`):
    /// `state_dict()` saves its empty `__dict__`, `{}`, instead of `null`.
    public init(partial function: @escaping (PyValue) throws(PythonError) -> Double) {
        storage = .closure(function)
        isPartial = true
    }

    /// An expression such as `"0.95 ** epoch"`.
    public init(_ expression: Expression) {
        storage = Self.storage(for: expression)
        isPartial = false
    }

    /// Parses an expression such as `"0.95 ** epoch"`.
    public init(expression source: String) throws(ExpressionSyntaxError) {
        storage = Self.storage(for: try Expression(source))
        isPartial = false
    }

    /// A constant expression's value computed once (one that raises keeps
    /// raising at every call, as Python's lambda would).
    private static func storage(for expression: Expression) -> Storage {
        if expression.variables.isEmpty, let value = try? expression.evaluate(.int(0)).doubleValue {
            return .constant(value, expression)
        }
        return .expression(expression)
    }

    /// Whether both are the same parsed expression (so they have the same
    /// value at every argument). Compares identity, not structure: cheap
    /// enough for every step.
    @inlinable
    func isSameExpression(as other: ScheduleFunction) -> Bool {
        guard !storage.isClosure, !other.storage.isClosure else { return false }
        return identity === other.identity
    }

    /// The expression's source, or `nil` for a Swift closure.
    public var source: String? {
        switch storage {
        case .closure: return nil
        case .expression(let expression), .constant(_, let expression): return expression.source
        }
    }

    /// Calls the function; Python converts its result to `float` when
    /// multiplying it with a rate, and so does this.
    @inlinable
    public func callAsFunction(_ argument: PyValue) throws(PythonError) -> Double {
        switch storage {
        case .closure(let function): return try function(argument)
        case .expression(let expression): return try expression.evaluate(argument).doubleValue
        case .constant(let value, _): return value
        }
    }
}

extension ScheduleFunction.Storage {
    @inlinable
    var isClosure: Bool {
        if case .closure = self { return true }
        return false
    }
}
