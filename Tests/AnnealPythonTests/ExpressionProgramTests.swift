@testable import AnnealPython
import Testing

/// The compiled program against the parsed tree it comes from: every
/// instruction, operand mode and fast path must give the tree walker's value
/// (type and bits) or raise its error, at every argument.
@Suite("Compiled expressions")
struct ExpressionProgramTests {
    /// Arguments with every type and the special values the fast paths
    /// must leave to the general operations.
    static let arguments: [PyValue] = [
        .int(0), .int(1), .int(-1), .int(2), .int(3), .int(-7), .int(10), .int(99),
        .int(PyValue.maxInteger), .int(-PyValue.maxInteger),
        .float(0.0), .float(-0.0), .float(0.5), .float(-2.5), .float(3.0), .float(1e300), .float(-1e-300),
        .float(.infinity), .float(-.infinity), .float(.nan),
        .bool(true), .bool(false),
    ]

    /// The tree walker's outcome for `source` at `argument`.
    func reference(_ source: String, _ argument: PyValue) throws -> Result<PyValue, PythonError> {
        var parser = Expression.Parser(source)
        let root = try parser.parseExpression()
        do throws(PythonError) {
            return .success(try root.evaluate(argument))
        } catch {
            return .failure(error)
        }
    }

    func outcome(_ expression: Expression, _ argument: PyValue) -> Result<PyValue, PythonError> {
        do throws(PythonError) {
            return .success(try expression.evaluate(argument))
        } catch {
            return .failure(error)
        }
    }

    func same(_ a: Result<PyValue, PythonError>, _ b: Result<PyValue, PythonError>) -> Bool {
        switch (a, b) {
        case (.success(.float(let x)), .success(.float(let y))):
            return x.bitPattern == y.bitPattern || (x.isNaN && y.isNaN)
        case (.success(let x), .success(let y)):
            return x == y
        case (.failure(let x), .failure(let y)):
            return x == y
        default:
            return false
        }
    }

    func check(_ source: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let expression = try Expression(source)
        for argument in Self.arguments {
            let expected = try reference(source, argument)
            let actual = outcome(expression, argument)
            #expect(
                same(actual, expected), "\(source) at \(argument): \(actual), tree walker \(expected)",
                sourceLocation: sourceLocation)
        }
    }

    /// Every operator and function with every operand mode: constant or
    /// variable on either side, a computed value on either side, and both.
    @Test("every operation in every operand mode")
    func operandModes() throws {
        let operators = ["+", "-", "*", "/", "//", "%", "**", "<", "<=", ">", ">=", "==", "!="]
        let operands = [
            "x", "2", "0", "-3", "0.5", "0.0", "-2.0", "1e308", "(1 < 2)", "(1 > 2)", "(x + 1)", "(x * 0.5)",
            "(x > 0)", "abs(x)", "(1 / 0 if x else 2)",
        ]
        for op in operators {
            for left in operands {
                for right in operands {
                    try check("\(left) \(op) \(right)")
                }
            }
        }
        let functions = ["sqrt", "exp", "log", "cos", "sin", "tanh", "floor", "ceil", "abs", "float", "int"]
        for function in functions {
            for argument in operands {
                try check("\(function)(\(argument))")
                try check("-\(function)(\(argument))")
                try check("+\(function)(\(argument)) * 2")
            }
        }
        for left in operands {
            for right in operands {
                try check("min(\(left), \(right))")
                try check("max(\(left), \(right), 1.5)")
                try check("log(\(left), \(right))")
                try check("\(left) if \(right) else -x")
            }
        }
    }

    /// Random expressions from a fixed seed, nested up to five levels.
    @Test("random expressions")
    func random() throws {
        var generator = Generator(seed: 0x5EED)
        for _ in 0..<3000 {
            try check(generator.expression(depth: 5))
        }
    }

    @Test("the scheduler idioms compile to a few instructions")
    func idioms() throws {
        func opcodes(_ source: String) throws -> [Expression.Opcode] {
            try Expression(source).program.instructions.map(\.opcode)
        }
        #expect(try opcodes("0.999999 ** epoch") == [.floatPower])
        #expect(try opcodes("0.1 * (epoch >= 10)") == [.greaterOrEqual, .floatMultiply])
        #expect(try opcodes("min(1.0, (epoch + 1) / 10)") == [.add, .divideByNonzero, .minimum])
        #expect(
            try opcodes("0.5 * (1 + cos(pi * epoch / 100))")
                == [.floatMultiply, .divideByNonzero, .cos, .floatAdd, .floatMultiply])
        #expect(
            try opcodes("1/sqrt(max(epoch, 1)) if epoch > 0 else 1.0")
                == [.jumpUnlessGreater, .maximum, .sqrt, .trueDivide, .return, .loadConstant])
        #expect(
            try opcodes("1 if epoch else 2 if epoch < 5 else 3")
                == [.loadVariable, .jumpIfFalse, .loadConstant, .return, .jumpUnlessLess, .loadConstant, .return,
                    .loadConstant])
        // Constants are computed once; a constant test picks its branch.
        #expect(try opcodes("pi / 2 + e") == [.loadConstant])
        #expect(try opcodes("epoch if 1 < 2 else 1 / 0") == [.loadVariable])
        // What raises is left to raise, only where it is reached.
        #expect(try opcodes("1 / 0") == [.loadConstant, .trueDivide])
        let guarded = try Expression("1 / 0 if epoch else 2")
        #expect(try guarded.evaluate(0) == .int(2))
        #expect(throws: PythonError("ZeroDivisionError", "division by zero")) { try guarded.evaluate(1) }
    }

    @Test("a deep operand stack")
    func deepStack() throws {
        // Each level keeps its left operand on the stack while the right one
        // is computed: 89 values (the innermost right operand is `x`), 1424
        // bytes of stack.
        var source = "x"
        for index in 0..<90 { source = "(x + \(index)) * (\(source))" }
        let expression = try Expression(source)
        #expect(expression.program.withUnsafeMutablePointerToHeader { $0.pointee.stackSize } == 89)
        try check(source)
        var nested = "x"
        for _ in 0..<60 { nested = "max(x - 1, \(nested) + 0.5)" }
        try check(nested)
    }
}

/// A small deterministic generator of expression sources.
struct Generator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next(_ bound: Int) -> Int {
        // SplitMix64.
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Int(z % UInt64(bound))
    }

    mutating func pick(_ choices: [String]) -> String { choices[next(choices.count)] }

    mutating func leaf() -> String {
        pick(["x", "epoch", "0", "1", "2", "3", "10", "0.0", "0.5", "2.5", "1e-3", "1e300", "pi", "e", "(1 < 2)"])
    }

    mutating func expression(depth: Int) -> String {
        if depth == 0 || next(4) == 0 { return leaf() }
        let a = expression(depth: depth - 1)
        let b = expression(depth: depth - 1)
        switch next(8) {
        case 0, 1, 2:
            return "(\(a) \(pick(["+", "-", "*", "/", "//", "%", "**"])) \(b))"
        case 3:
            return "(\(a) \(pick(["<", "<=", ">", ">=", "==", "!="])) \(b))"
        case 4:
            return "\(pick(["sqrt", "exp", "log", "cos", "sin", "tanh", "floor", "ceil", "abs", "float", "int"]))(\(a))"
        case 5:
            return "\(pick(["min", "max", "log"]))(\(a), \(b))"
        case 6:
            return "(\(a) if \(expression(depth: depth - 1)) else \(b))"
        default:
            return "\(pick(["-", "+"]))\(a)"
        }
    }
}
