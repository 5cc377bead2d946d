import AnnealPython
import Testing

/// `Expression` against CPython: ExpressionCases.generated.swift holds what
/// Python 3.11 computes for hand-written and randomly generated expressions
/// (see make_expression_cases.py). Every result must have Python's type and
/// bits, print as Python's `repr`, or raise Python's exception type with
/// Python's message.
@Suite("Expressions agree with CPython")
struct ExpressionDifferentialTests {
    @Test("generated table is substantial")
    func tableSize() {
        #expect(generatedExpressionCases.count >= 600)
        #expect(generatedExpressionCases.reduce(0) { $0 + $1.checks.count } >= 4000)
        #expect(generatedReprCases.count >= 1000)
    }

    @Test("evaluation matches Python", arguments: generatedExpressionCases)
    func evaluation(_ testCase: ExpressionCase) throws {
        let expression = try Expression(testCase.source)
        for check in testCase.checks {
            let variable = check.input.value
            let result: Result<PyValue, PythonError>
            do throws(PythonError) {
                result = .success(try expression.evaluate(variable))
            } catch {
                result = .failure(error)
            }
            switch (result, check.expected) {
            case (.failure(let error), .error(let type, let message)):
                #expect(error.type == type, "at \(variable): \(error)")
                if let message {
                    #expect(error.message == message, "at \(variable)")
                }
            case (.failure(let error), _):
                Issue.record("at \(variable): threw \(error), Python gave \(check.expected)")
            case (.success(let value), .error(let type, let message)):
                Issue.record("at \(variable): gave \(value), Python raised \(type): \(message ?? "")")
            case (.success(let value), let expected):
                #expect(matches(value, expected), "at \(variable): \(describe(value)), Python \(expected)")
                #expect(value.description == check.repr, "at \(variable)")
            }
        }
    }

    @Test("float repr matches Python", arguments: generatedReprCases)
    func floatRepr(_ testCase: ReprCase) {
        #expect(PyFloat.repr(Double(bitPattern: testCase.bits)) == testCase.repr)
        #expect(PyValue.float(Double(bitPattern: testCase.bits)).description == testCase.repr)
    }
}
