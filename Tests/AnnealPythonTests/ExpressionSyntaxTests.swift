import AnnealPython
import Testing

/// Strings outside the grammar are rejected with a position and a reason.
@Suite("Expression syntax errors")
struct ExpressionSyntaxTests {
    struct Bad: Sendable, CustomTestStringConvertible {
        var source: String
        var offset: Int
        var message: String
        init(_ source: String, _ offset: Int, _ message: String) {
            self.source = source
            self.offset = offset
            self.message = message
        }
        var testDescription: String { source }
    }

    static let bad: [Bad] = [
        Bad("", 0, "empty expression"),
        Bad("   ", 3, "empty expression"),
        Bad("epoch **", 8, "expected an operand"),
        Bad("epoch +", 7, "expected an operand"),
        Bad("(epoch", 6, "expected ')'"),
        Bad("(epoch))", 7, "unexpected ')' after the expression"),
        Bad("epoch epoch", 6, "unexpected 'epoch' after the expression"),
        Bad("2 3", 2, "unexpected '3' after the expression"),
        Bad("* 2", 0, "expected an operand, found '*'"),
        Bad("lr * 2", 0, "unknown name 'lr'"),
        Bad("True + 1", 0, "unknown name 'True'"),
        Bad("foo(1)", 0, "unknown function 'foo'"),
        Bad("math.sqrt(2)", 0, "unknown name 'math'"),
        Bad("pow(2, 3)", 0, "unknown function 'pow'"),
        Bad("epoch(1)", 0, "'epoch' is not a function"),
        Bad("sqrt", 0, "function 'sqrt' must be called"),
        Bad("1 + sqrt(1, 2)", 4, "'sqrt' takes 1 argument, got 2"),
        Bad("floor()", 6, "expected an operand, found ')'"),
        Bad("log(1, 2, 3)", 0, "'log' takes 1 or 2 arguments, got 3"),
        Bad("min(1)", 0, "'min' takes at least 2 arguments, got 1"),
        Bad("max(epoch)", 0, "'max' takes at least 2 arguments, got 1"),
        Bad("min(1, 2,)", 9, "expected an operand, found ')'"),
        Bad("min(1 2)", 6, "expected ',' or ')', found '2'"),
        Bad("1 if epoch", 10, "expected 'else'"),
        Bad("1 if epoch then 2", 11, "expected 'else', found 'then'"),
        Bad("if 1 else 2", 0, "expected an operand, found 'if'"),
        Bad("1 < 2 < 3", 6, "chained comparisons are not supported"),
        Bad("1 < 2 == 3", 6, "chained comparisons are not supported"),
        Bad("(1 < 2 < 3)", 7, "chained comparisons are not supported"),
        Bad("min(epoch < 2 >= 1, 3)", 14, "chained comparisons are not supported"),
        Bad("epoch = 1", 6, "'=' is not an operator (use '==' to compare)"),
        Bad("epoch ! 1", 6, "invalid character '!'"),
        Bad("epoch ^ 2", 6, "invalid character '^'"),
        Bad("2 ** * 3", 5, "expected an operand, found '*'"),
        Bad("1 + \n 2", 4, "invalid whitespace character U+A (only spaces and tabs are allowed)"),
        Bad("épоch", 0, "invalid character 'é'"),
        Bad("1_", 0, "invalid number '1_'"),
        Bad("1__0", 0, "invalid number '1__0'"),
        Bad("1e", 0, "invalid number '1e'"),
        Bad("1e+", 0, "invalid number '1e'"),
        Bad("2j", 0, "invalid number '2j'"),
        Bad("1if epoch else 2", 0, "invalid number '1if'"),
        Bad("0x", 0, "invalid number '0x'"),
        Bad("0b102", 0, "invalid number '0b102'"),
        Bad("1._5", 0, "invalid number '1._5'"),
        Bad("epoch * 1.2.3", 11, "unexpected '.3' after the expression"),
        Bad(". 5", 0, "invalid character '.'"),
        Bad("012", 0, "leading zeros in decimal integer literals are not permitted: '012'"),
        Bad("9007199254740993", 0, "integer literal '9007199254740993' is beyond 2**53"),
        Bad("epoch + 99999999999999999999999", 8, "integer literal '99999999999999999999999' is beyond 2**53"),
        Bad("(epoch + ) * $", 9, "expected an operand, found ')'"),
        Bad("x +* $", 3, "expected an operand, found '*'"),
        Bad("x + $", 4, "invalid character '$'"),
        Bad(String(repeating: "(", count: 300) + "1" + String(repeating: ")", count: 300), 200,
            "expression is nested too deeply"),
        Bad(String(repeating: "-", count: 250) + "1", 199, "expression is nested too deeply"),
        // Chains nest too (the tree is left-deep), so they count toward the limit.
        Bad(Array(repeating: "1", count: 300).joined(separator: "+"), 399, "expression is nested too deeply"),
        Bad("max(" + Array(repeating: "x", count: 300).joined(separator: ", ") + ")", 601,
            "expression is nested too deeply"),
    ]

    @Test("rejected with offset and message", arguments: bad)
    func rejected(_ bad: Bad) {
        #expect(throws: ExpressionSyntaxError(source: bad.source, offset: bad.offset, message: bad.message)) {
            _ = try Expression(bad.source)
        }
    }

    @Test("description names the source, problem and offset")
    func description() {
        let error = ExpressionSyntaxError(source: "epoch **", offset: 8, message: "expected an operand")
        #expect(error.description == #"invalid expression "epoch **": expected an operand at offset 8"#)
        do {
            _ = try Expression("epoch **")
            Issue.record("accepted")
        } catch {
            #expect(error.description == #"invalid expression "epoch **": expected an operand at offset 8"#)
        }
    }

    @Test("offsets count Characters, not bytes")
    func characterOffsets() {
        #expect(throws: ExpressionSyntaxError(source: "\"é\" + lr", offset: 0, message: "invalid character '\"'")) {
            _ = try Expression("\"é\" + lr")
        }
        // The first problem in reading order is reported.
        let error = #expect(throws: ExpressionSyntaxError.self) { _ = try Expression("1 + 2 ∗ 3") }
        #expect(error?.offset == 6)
    }

    static let good: [String] = [
        "3", "0.5", "1e-3", ".5", "5.", "1E3", "1_000", "1_000.000_1", "1e1_0", "0x1F", "0X_ff",
        "0o17", "0b1_01", "00", "0_0", "0.0", "09.5", "1.e5", "epoch", "x", "pi", "e",
        "e-1", "epoch if epoch else x", "\tepoch\t", "min(1, 2, 3, 4, 5)", "log(2, 3)",
        "sqrt (4)", "2**-1", "--+-1", "1 if 2 else 3 if 4 else 5", "(1 if 2 else 3) + 4",
        "min(1 if epoch else 2, 3)", "1<2", "1 != 2", "1>=2",
        String(repeating: "(", count: 150) + "1" + String(repeating: ")", count: 150),
        Array(repeating: "epoch", count: 150).joined(separator: " * "),
        "min(" + Array(repeating: "x", count: 150).joined(separator: ", ") + ")",
    ]

    @Test("accepted", arguments: good)
    func accepted(_ source: String) throws {
        let expression = try Expression(source)
        #expect(expression.source == source)
        #expect(expression.description == source)
    }
}
