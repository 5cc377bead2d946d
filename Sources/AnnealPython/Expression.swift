/// A scheduler function given as a Python expression: `lr_lambda` (in the
/// variable `epoch`) or `scale_fn` (in `x`).
///
/// The trace format writes functions as strings such as
/// `"0.95 ** epoch"` or `"1 / (2. ** (x - 1))"`, to be evaluated with Python
/// semantics (see the "Expressions" section of the format). An `Expression` is
/// parsed once, reporting syntax errors with their position, and compiled to
/// a flat program that is then evaluated as often as needed without
/// allocating or reference counting:
///
/// ```swift
/// let lambda = try Expression("0.1 * (epoch >= 10) + 1 / (epoch + 1)")
/// try lambda.evaluate(.int(0))     // .float(1.0)
/// try lambda.evaluate(.int(10))    // .float(0.19090909090909092)
/// ```
///
/// The grammar:
///
/// ```
/// expr    := cond
/// cond    := compare ("if" compare "else" cond)?
/// compare := sum (("<" | "<=" | ">" | ">=" | "==" | "!=") sum)?
/// sum     := term (("+" | "-") term)*
/// term    := unary (("*" | "/" | "//" | "%") unary)*
/// unary   := ("-" | "+") unary | power
/// power   := atom ("**" unary)?
/// atom    := NUMBER | NAME | CALL | "(" expr ")"
/// NAME    := epoch | x | pi | e
/// CALL    := FN "(" expr ("," expr)* ")"
/// FN      := sqrt | exp | log | cos | sin | tanh | floor | ceil | abs | min | max | float | int
/// ```
///
/// `NUMBER` is a Python int or float literal (`3`, `0.5`, `1e-3`, `.5`, `5.`,
/// `1_000`, `0x1F`, `0o17`, `0b101`); integer literals are limited to 2^53.
/// Whitespace is spaces and tabs. Equality and hashing compare ``source``.
public struct Expression: Sendable, Hashable, CustomStringConvertible {
    /// The compiled program, which also holds ``source`` and ``variables``:
    /// one reference, so copying an expression costs a single retain.
    /// (`ManagedBuffer` is not `Sendable`; a program is never mutated after
    /// ``init(_:)``, so sharing it between threads is safe.)
    nonisolated(unsafe) let program: Program

    /// The expression text as given to ``init(_:)``.
    public var source: String { program.withUnsafeMutablePointerToHeader { $0.pointee.source } }

    /// The variable names the expression mentions: a subset of
    /// `["epoch", "x"]`. Both are bound to the one argument of
    /// ``evaluate(_:)``; this lets a caller check that an `lr_lambda` uses
    /// `epoch` and a `scale_fn` uses `x`, or spot a constant function.
    ///
    /// ```swift
    /// try Expression("0.5 ** x").variables   // ["x"]
    /// try Expression("pi / 2").variables     // []
    /// ```
    public var variables: Set<String> { program.withUnsafeMutablePointerToHeader { $0.pointee.variables } }

    /// Parses `source`, or throws an ``ExpressionSyntaxError`` saying where
    /// and why it is not a valid expression.
    ///
    /// The parsed tree is compiled to a flat program for ``evaluate(_:)``,
    /// computing constant subexpressions such as `pi / 2` once, here.
    ///
    /// ```swift
    /// let f = try Expression("1/epoch if epoch > 0 else 1.0")
    /// _ = try Expression("lr * 2")   // throws: unknown name 'lr' at offset 0
    /// ```
    public init(_ source: String) throws(ExpressionSyntaxError) {
        var parser = Parser(source)
        let root = try parser.parseExpression()
        self.program = Compiler.compile(root, source: source, variables: parser.variables)
    }

    /// The ``source`` text.
    public var description: String { source }

    /// Two expressions are equal when their ``source`` texts are (so
    /// `"1+1"` and `"1 + 1"` differ, though they compute the same).
    public static func == (lhs: Expression, rhs: Expression) -> Bool {
        lhs.source == rhs.source
    }

    /// Hashes the ``source`` text, consistently with `==`.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(source)
    }
}

extension Expression {
    /// A node of the parsed expression tree, which ``Compiler`` turns into
    /// a ``Program``.
    ///
    /// `Node.evaluate(_:)` walks the tree directly: the compiler uses it to
    /// compute constant subexpressions, and tests to check the compiled
    /// program against it.
    indirect enum Node: Sendable {
        /// A literal, `pi` or `e`.
        case constant(PyValue)
        /// `epoch` or `x`: the argument of ``Expression/evaluate(_:)``.
        case variable
        /// `-a` / `+a`: the opcode `negate` or `positive`.
        case unary(Opcode, Node)
        /// `a + b`, `a ** b`, ...: the operator's general opcode, `add`,
        /// `subtract`, `multiply`, `trueDivide`, `floorDivide`, `modulo` or
        /// `power` (the compiler chooses specializations).
        case binary(Opcode, Node, Node)
        /// `a < b`, ...: the opcode `less`, `lessOrEqual`, `greater`,
        /// `greaterOrEqual`, `equal` or `notEqual` (a single comparison: the
        /// grammar has no chains).
        case comparison(Opcode, Node, Node)
        /// `body if test else orElse`: only the branch taken is evaluated.
        case conditional(body: Node, test: Node, orElse: Node)
        /// A one-argument function call.
        case call(Function, Node)
        /// `log(a, base)`.
        case logWithBase(Node, Node)
        /// One step of `min` (`isMax == false`) or `max`: `min(a, b, c)` is
        /// `min(min(a, b), c)`, nested to the left (no array to iterate, so
        /// even unoptimized builds evaluate without allocating).
        case extremum(isMax: Bool, Node, Node)
    }

    /// The one-argument functions (`log` also has a two-argument form).
    enum Function: String, Sendable, CaseIterable {
        case sqrt, exp, log, cos, sin, tanh, floor, ceil, abs, float, int
    }
}
