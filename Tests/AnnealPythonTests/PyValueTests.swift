import AnnealPython
import Testing

/// `PyValue` itself: repr, conversions and the operators' Python rules.
@Suite("PyValue")
struct PyValueTests {
    @Test("description is Python's repr")
    func repr() {
        let cases: [(PyValue, String)] = [
            (.bool(true), "True"), (.bool(false), "False"), (.int(3), "3"), (.int(-42), "-42"),
            (.float(3), "3.0"), (.float(0.1), "0.1"), (.float(1e-5), "1e-05"),
            (.float(1.5e-5), "1.5e-05"), (.float(0.0001), "0.0001"), (.float(1e16), "1e+16"),
            (.float(1e15), "1000000000000000.0"), (.float(9007199254740994), "9007199254740994.0"),
            (.float(1e22), "1e+22"), (.float(-0.0), "-0.0"), (.float(.infinity), "inf"),
            (.float(-.infinity), "-inf"), (.float(.nan), "nan"), (.float(-.nan), "nan"),
            (.float(.leastNonzeroMagnitude), "5e-324"), (.float(1.7976931348623157e308), "1.7976931348623157e+308"),
        ]
        for (value, repr) in cases {
            #expect(value.description == repr)
        }
    }

    @Test("conversions and truthiness")
    func conversions() {
        #expect(PyValue.bool(true).doubleValue == 1.0)
        #expect(PyValue.int(-3).doubleValue == -3.0)
        #expect(PyValue.bool(true).integerValue == 1)
        #expect(PyValue.float(1).integerValue == nil)
        #expect(PyValue.float(.nan).isTruthy)
        #expect(!PyValue.float(-0.0).isTruthy)
        #expect(!PyValue.int(0).isTruthy)
        #expect(PyValue.int(-1).isTruthy)
        #expect(!PyValue.bool(false).isTruthy)
        #expect(PyValue.int(1).typeName == "int")
        let literals: [PyValue] = [3, 0.5, true]
        #expect(literals == [.int(3), .float(0.5), .bool(true)])
    }

    @Test("bool counts as int")
    func boolArithmetic() throws {
        #expect(try PyValue.add(.bool(true), .bool(true)) == .int(2))
        #expect(PyValue.negate(.bool(true)) == .int(-1))
        #expect(PyValue.positive(.bool(true)) == .int(1))
        #expect(try PyValue.power(.bool(true), .int(2)) == .int(1))
        #expect(try PyValue.multiply(.bool(true), .float(1.5)) == .float(1.5))
        #expect(PyValue.abs(.bool(true)) == .int(1))
        #expect(try PyValue.floor(.bool(true)) == .int(1))
    }

    @Test("integer // and % floor toward negative infinity")
    func flooring() throws {
        let cases: [(Int, Int, Int, Int)] = [
            (7, 2, 3, 1), (-7, 2, -4, 1), (7, -2, -4, -1), (-7, -2, 3, -1), (6, 3, 2, 0), (-6, 3, -2, 0),
        ]
        for (a, b, quotient, remainder) in cases {
            #expect(try PyValue.floorDivide(.int(a), .int(b)) == .int(quotient))
            #expect(try PyValue.modulo(.int(a), .int(b)) == .int(remainder))
        }
        #expect(try PyValue.floorDivide(.float(-7), .int(2)) == .float(-4))
        #expect(try PyValue.modulo(.float(-7), .int(2)) == .float(1))
        #expect(try PyValue.modulo(.float(7), .float(-2)) == .float(-1))
    }

    @Test("types of results")
    func resultTypes() throws {
        #expect(try PyValue.trueDivide(.int(4), .int(2)) == .float(2))
        #expect(try PyValue.add(.int(1), .float(0.5)) == .float(1.5))
        #expect(try PyValue.power(.int(2), .int(10)) == .int(1024))
        #expect(try PyValue.power(.int(2), .int(-1)) == .float(0.5))
        #expect(try PyValue.power(.int(-2), .int(-1)) == .float(-0.5))
        #expect(try PyValue.power(.int(4), .float(0.5)) == .float(2))
        #expect(try PyValue.power(.int(0), .int(0)) == .int(1))
        #expect(try PyValue.power(.int(-1), .int(1_000_001)) == .int(-1))
        #expect(PyValue.lessThan(.int(1), .float(1.5)) == .bool(true))
        #expect(PyValue.equal(.int(1), .float(1)) == .bool(true))
        #expect(PyValue.equal(.bool(true), .int(1)) == .bool(true))
        #expect(PyValue.notEqual(.float(.nan), .float(.nan)) == .bool(true))
        #expect(PyValue.greaterOrEqual(.float(.nan), .float(.nan)) == .bool(false))
    }

    @Test("min and max return the original argument")
    func extrema() {
        #expect(PyValue.max(.int(1), .float(1)) == .int(1))
        #expect(PyValue.max(.float(1), .int(1)) == .float(1))
        #expect(PyValue.min(.float(0.5), .int(1)) == .float(0.5))
        #expect(PyValue.max(.bool(true), .int(1)) == .bool(true))
        let nanFirst = PyValue.max(.float(.nan), .int(1))
        #expect(nanFirst.doubleValue.isNaN)
        #expect(PyValue.max(.int(1), .float(.nan)) == .int(1))
    }

    @Test("integers stay within 2**53")
    func integerRange() throws {
        let limit = PyValue.maxInteger
        #expect(limit == 9_007_199_254_740_992)
        #expect(try PyValue.power(.int(2), .int(53)) == .int(limit))
        #expect(try PyValue.subtract(.int(-limit + 1), .int(1)) == .int(-limit))
        let overflow = PythonError("AnnealRangeError", "integer beyond 2**53 is not supported in expressions")
        #expect(throws: overflow) { try PyValue.add(.int(limit), .int(1)) }
        #expect(throws: overflow) { try PyValue.power(.int(2), .int(54)) }
        #expect(throws: overflow) { try PyValue.power(.int(10), .int(1_000_000)) }
        #expect(throws: overflow) { try PyValue.multiply(.int(limit), .int(limit)) }
        #expect(throws: overflow) { try PyValue.floor(.float(1e300)) }
        #expect(throws: overflow) { try PyValue.toInt(.float(-1e17)) }
        #expect(try PyValue.toInt(.float(-9007199254740992)) == .int(-limit))
    }

    @Test("errors are Python's")
    func errors() {
        let cases: [(() throws(PythonError) -> PyValue, String, String)] = [
            ({ () throws(PythonError) in try PyValue.trueDivide(.int(1), .int(0)) }, "ZeroDivisionError", "division by zero"),
            ({ () throws(PythonError) in try PyValue.trueDivide(.float(1), .int(0)) }, "ZeroDivisionError", "float division by zero"),
            ({ () throws(PythonError) in try PyValue.floorDivide(.int(1), .bool(false)) }, "ZeroDivisionError", "integer division or modulo by zero"),
            ({ () throws(PythonError) in try PyValue.floorDivide(.int(1), .float(0)) }, "ZeroDivisionError", "float floor division by zero"),
            ({ () throws(PythonError) in try PyValue.modulo(.int(1), .int(0)) }, "ZeroDivisionError", "integer modulo by zero"),
            ({ () throws(PythonError) in try PyValue.modulo(.float(1), .int(0)) }, "ZeroDivisionError", "float modulo"),
            ({ () throws(PythonError) in try PyValue.power(.int(0), .int(-1)) }, "ZeroDivisionError", "0.0 cannot be raised to a negative power"),
            ({ () throws(PythonError) in try PyValue.power(.float(10), .int(400)) }, "OverflowError", "(34, 'Numerical result out of range')"),
            ({ () throws(PythonError) in try PyValue.sqrt(.int(-1)) }, "ValueError", "math domain error"),
            ({ () throws(PythonError) in try PyValue.log(.int(0)) }, "ValueError", "math domain error"),
            ({ () throws(PythonError) in try PyValue.log(.int(1), base: .int(1)) }, "ZeroDivisionError", "float division by zero"),
            ({ () throws(PythonError) in try PyValue.cos(.float(.infinity)) }, "ValueError", "math domain error"),
            ({ () throws(PythonError) in try PyValue.exp(.int(1000)) }, "OverflowError", "math range error"),
            ({ () throws(PythonError) in try PyValue.floor(.float(.infinity)) }, "OverflowError", "cannot convert float infinity to integer"),
            ({ () throws(PythonError) in try PyValue.ceil(.float(.nan)) }, "ValueError", "cannot convert float NaN to integer"),
            ({ () throws(PythonError) in try PyValue.toInt(.float(-.infinity)) }, "OverflowError", "cannot convert float infinity to integer"),
        ]
        for (operation, type, message) in cases {
            #expect(throws: PythonError(type, message)) { try operation() }
        }
        // Python's value is complex: invalid input, a ValueError here.
        #expect(throws: PythonError.self) { try PyValue.power(.int(-8), .float(1.0 / 3)) }
    }

    @Test("functions")
    func functions() throws {
        #expect(try PyValue.floor(.float(2.5)) == .int(2))
        #expect(try PyValue.floor(.float(-2.5)) == .int(-3))
        #expect(try PyValue.ceil(.float(-0.5)) == .int(0))
        #expect(try PyValue.toInt(.float(-2.7)) == .int(-2))
        #expect(try PyValue.toInt(.bool(true)) == .int(1))
        #expect(PyValue.toFloat(.bool(true)) == .float(1))
        #expect(PyValue.abs(.int(-3)) == .int(3))
        #expect(PyValue.abs(.float(-0.0)).doubleValue.sign == .plus)
        #expect(try PyValue.log(.int(8), base: .int(2)) == .float(3))
        #expect(try PyValue.sqrt(.float(-0.0)).doubleValue.sign == .minus)
        #expect(PyValue.tanh(.float(.infinity)) == .float(1))
    }

    /// Python (3.11): `c = base ** exponent` (complex for a negative base and
    /// a non-integral exponent) and `(lr / c).real`, as bit patterns.
    static let complexPowers: [(base: Double, exponent: Double, lr: Double, real: UInt64, imag: UInt64, quotient: UInt64)] = [
        (base: -8.0, exponent: 0.5, lr: 2.0, real: 0x3ca8f5a0be038ed7, imag: 0x4006a09e667f3bcd, quotient: 0x3c88f5a0be038ed6),
        (base: -2e+296, exponent: 0.75, lr: -1e+300, real: 0xee0a51af1ead7e59, imag: 0x6e0a51af1ead7e5b, quotient: 0x500d0c6a04ce00d7),
        (base: -0.25, exponent: 0.3, lr: 0.01, real: 0x3fd8d19c6fd828df, imag: 0x3fe1147f6a00957f, quotient: 0x3f823ef7013b6ddc),
        (base: -3.0, exponent: -2.5, lr: 1.0, real: 0x3c76a4c9c41216ff, imag: 0xbfb06c22e8802d6e, quotient: 0x3cf57e6b851d2bd5),
    ]

    @Test("complex powers and the real part of a division by one (ASGD's eta)")
    func complexPowers() throws {
        for c in Self.complexPowers {
            let power = try PyFloat.complexPow(c.base, c.exponent)
            #expect(power.real.bitPattern == c.real)
            #expect(power.imag.bitPattern == c.imag)
            #expect(try PyFloat.divideReal(c.lr, by: power).bitPattern == c.quotient)
        }
        // `(-1e300) ** 1.5`: OverflowError: complex exponentiation.
        #expect(throws: PythonError.self) { try PyFloat.complexPow(-1e300, 1.5) }
        #expect(throws: PythonError.self) { try PyFloat.divideReal(1, by: (0, 0)) }
    }
}
