import AnnealPython
import Testing

/// Parsing and evaluating expressions: precedence, laziness, variables.
@Suite("Expression")
struct ExpressionTests {
    func value(_ source: String, _ variable: PyValue = 0) throws -> PyValue {
        try Expression(source).evaluate(variable)
    }

    @Test("precedence and associativity")
    func precedence() throws {
        #expect(try value("-2 ** 2") == .int(-4))
        #expect(try value("(-2) ** 2") == .int(4))
        #expect(try value("2 ** -1") == .float(0.5))
        #expect(try value("2 ** -2 ** 2") == .float(0.0625))
        #expect(try value("2 ** 3 ** 2") == .int(512))
        #expect(try value("-x ** 2", 3) == .int(-9))
        #expect(try value("10 - 2 - 3") == .int(5))
        #expect(try value("100 // 7 // 2") == .int(7))
        #expect(try value("2 + 3 * 4 ** 2") == .int(50))
        #expect(try value("2 * 3 % 4") == .int(2))
        #expect(try value("1 + 2 < 4") == .bool(true))
        #expect(try value("1 + (2 < 3)") == .int(2))
        #expect(try value("1 if 0 else 2 if 0 else 3") == .int(3))
        #expect(try value("(1 if 0 else 2) * 3") == .int(6))
        #expect(try value("--+-1") == .int(-1))
    }

    @Test("the scheduler idioms")
    func idioms() throws {
        let step = try Expression("0.1 * (epoch >= 10)")
        #expect(try step.evaluate(9) == .float(0))
        #expect(try step.evaluate(10) == .float(0.1))
        let decay = try Expression("0.95 ** epoch")
        #expect(try decay.evaluate(2) == .float(0.9025))
        let cyclic = try Expression("1 / (2. ** (x - 1))")
        #expect(try cyclic.evaluate(3) == .float(0.25))
        let cosine = try Expression("0.5 * (1 + cos(pi * epoch / 10))")
        #expect(try cosine.evaluate(10) == .float(0))
        #expect(try value("e") == .float(2.718281828459045))
        #expect(try value("pi") == .float(3.141592653589793))
    }

    @Test("only the branch taken is evaluated")
    func laziness() throws {
        let guarded = try Expression("1/epoch if epoch > 0 else 1.0")
        #expect(try guarded.evaluate(0) == .float(1))
        #expect(try guarded.evaluate(4) == .float(0.25))
        let other = try Expression("1.0 if epoch == 0 else 1/epoch")
        #expect(try other.evaluate(0) == .float(1))
        #expect(try value("x if x else 7", .float(.nan)).doubleValue.isNaN)
        #expect(try value("1 if x else 2", .float(-0.0)) == .int(2))
    }

    @Test("epoch and x are both the argument")
    func variables() throws {
        #expect(try value("epoch + x", 3) == .int(6))
        #expect(try Expression("0.5 ** x").variables == ["x"])
        #expect(try Expression("epoch * x").variables == ["epoch", "x"])
        #expect(try Expression("pi / 2 + e").variables == [])
        #expect(try value("x", .bool(true)) == .bool(true))
    }

    @Test("min and max keep their argument's type")
    func extrema() throws {
        #expect(try value("max(1, 1.0)") == .int(1))
        #expect(try value("min(0.5, 1)") == .float(0.5))
        #expect(try value("max(epoch, 1, 2.5, 2)", 0) == .float(2.5))
        #expect(try value("min(1, epoch > 0)", 5) == .int(1))
        #expect(try value("min(epoch > 0, 1)", 5) == .bool(true))
    }

    @Test("errors are Python's exceptions")
    func errors() throws {
        let cases: [(String, PyValue, PythonError)] = [
            ("1 / epoch", 0, PythonError("ZeroDivisionError", "division by zero")),
            ("1 // epoch", 0, PythonError("ZeroDivisionError", "integer division or modulo by zero")),
            ("1.5 % epoch", 0, PythonError("ZeroDivisionError", "float modulo")),
            ("0 ** -1", 0, PythonError("ZeroDivisionError", "0.0 cannot be raised to a negative power")),
            ("sqrt(epoch)", -1, PythonError("ValueError", "math domain error")),
            ("log(x, 1)", 2, PythonError("ZeroDivisionError", "float division by zero")),
            ("exp(epoch)", 710, PythonError("OverflowError", "math range error")),
            ("floor(x)", .float(.infinity), PythonError("OverflowError", "cannot convert float infinity to integer")),
            ("int(x)", .float(.nan), PythonError("ValueError", "cannot convert float NaN to integer")),
            ("2 ** epoch", 60, PythonError("AnnealRangeError", "integer beyond 2**53 is not supported in expressions")),
            ("2 ** 60 // 2 ** 10", 0, PythonError("AnnealRangeError", "integer beyond 2**53 is not supported in expressions")),
        ]
        for (source, variable, error) in cases {
            #expect(throws: error, "\(source) at \(variable)") { try value(source, variable) }
        }
    }

    @Test("equality and hashing follow the source")
    func identity() throws {
        let a = try Expression("0.95 ** epoch")
        let b = try Expression("0.95 ** epoch")
        let c = try Expression("0.95**epoch")
        #expect(a == b)
        #expect(a != c)
        #expect(Set([a, b, c]).count == 2)
        #expect(a.description == "0.95 ** epoch")
    }

    @Test("evaluates repeatedly with the same results")
    func repeated() throws {
        let expression = try Expression("max(0.0, 1 - epoch / 50) ** 0.9 if epoch < 100 else 0.0")
        var previous = PyValue.float(.infinity)
        for epoch in 0..<200 {
            let result = try expression.evaluate(.int(epoch))
            #expect(result == (try expression.evaluate(.int(epoch))))
            #expect(result.doubleValue <= previous.doubleValue)
            previous = result
        }
    }
}
