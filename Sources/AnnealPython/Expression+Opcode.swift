extension Expression {
    /// What an ``Instruction`` does; the result goes to the accumulator.
    enum Opcode: UInt8, Sendable {
        /// Ends evaluation with the accumulator's value (evaluation also ends
        /// after the last instruction).
        case `return`
        case loadConstant, loadVariable
        /// Pushes the accumulator: the left operand of a binary operation
        /// whose right operand needs the accumulator too.
        case push
        /// Continues at `target`.
        case jump
        /// Continues at `target` when the accumulator is falsy (`A if C else B`).
        case jumpIfFalse
        /// Continues at `target` unless the comparison of the two
        /// ``Operands`` holds: a comparison and `jumpIfFalse` in one, for the
        /// usual `A if x < b else B`.
        case jumpUnlessLess, jumpUnlessLessOrEqual, jumpUnlessGreater, jumpUnlessGreaterOrEqual
        case jumpUnlessEqual, jumpUnlessNotEqual

        // Unary operators and functions of the accumulator.
        case negate, positive
        case sqrt, exp, log, cos, sin, tanh, floor, ceil, abs, float, int

        // Binary operators, with ``Operands``.
        case add, subtract, multiply, trueDivide, floorDivide, modulo, power
        case less, lessOrEqual, greater, greaterOrEqual, equal, notEqual
        case minimum, maximum, logWithBase

        // Specializations chosen at compile time, each exactly the generic
        // operator for the operand types it is chosen for.

        /// `+` where an operand is known to be a `float`: the result is
        /// `float(a) + float(b)`, with no integer case.
        case floatAdd
        /// `-` where an operand is known to be a `float`.
        case floatSubtract
        /// `*` where an operand is known to be a `float`.
        case floatMultiply
        /// `/` by a non-zero constant, whatever the types: `float(a) / c`.
        case divideByNonzero
        /// `**` where an operand is known to be a `float`: `PyFloat.pow`.
        case floatPower

        var isJump: Bool {
            switch self {
            case .jump, .jumpIfFalse, .jumpUnlessLess, .jumpUnlessLessOrEqual, .jumpUnlessGreater,
                .jumpUnlessGreaterOrEqual, .jumpUnlessEqual, .jumpUnlessNotEqual:
                return true
            default:
                return false
            }
        }

        /// The jump taken when this comparison is false.
        var jumpUnless: Opcode? {
            switch self {
            case .less: return .jumpUnlessLess
            case .lessOrEqual: return .jumpUnlessLessOrEqual
            case .greater: return .jumpUnlessGreater
            case .greaterOrEqual: return .jumpUnlessGreaterOrEqual
            case .equal: return .jumpUnlessEqual
            case .notEqual: return .jumpUnlessNotEqual
            default: return nil
            }
        }
    }
}

// MARK: - The operations

extension Expression.Opcode {
    /// The opcode of one step of `max` (`isMax`) or `min`.
    init(extremum isMax: Bool) {
        self = isMax ? .maximum : .minimum
    }

    /// The opcode of a one-argument function.
    init(_ function: Expression.Function) {
        switch function {
        case .sqrt: self = .sqrt
        case .exp: self = .exp
        case .log: self = .log
        case .cos: self = .cos
        case .sin: self = .sin
        case .tanh: self = .tanh
        case .floor: self = .floor
        case .ceil: self = .ceil
        case .abs: self = .abs
        case .float: self = .float
        case .int: self = .int
        }
    }

    /// The `PyValue` operation this opcode computes, on `a` (a unary one)
    /// or `a` and `b`: what Python does, every error included.
    ///
    /// The one table from operations to their Python meaning: the tree
    /// walk (`Node.evaluate(_:)`) computes every operation with it, and the
    /// interpreter every case its fast paths leave.
    func apply(_ a: PyValue, _ b: PyValue) throws(PythonError) -> PyValue {
        switch self {
        case .negate: return PyValue.negate(a)
        case .positive: return PyValue.positive(a)
        case .sqrt: return try PyValue.sqrt(a)
        case .exp: return try PyValue.exp(a)
        case .log: return try PyValue.log(a)
        case .cos: return try PyValue.cos(a)
        case .sin: return try PyValue.sin(a)
        case .tanh: return PyValue.tanh(a)
        case .floor: return try PyValue.floor(a)
        case .ceil: return try PyValue.ceil(a)
        case .abs: return PyValue.abs(a)
        case .float: return PyValue.toFloat(a)
        case .int: return try PyValue.toInt(a)
        case .add, .floatAdd: return try PyValue.add(a, b)
        case .subtract, .floatSubtract: return try PyValue.subtract(a, b)
        case .multiply, .floatMultiply: return try PyValue.multiply(a, b)
        case .trueDivide, .divideByNonzero: return try PyValue.trueDivide(a, b)
        case .floorDivide: return try PyValue.floorDivide(a, b)
        case .modulo: return try PyValue.modulo(a, b)
        case .power, .floatPower: return try PyValue.power(a, b)
        case .less: return PyValue.lessThan(a, b)
        case .lessOrEqual: return PyValue.lessOrEqual(a, b)
        case .greater: return PyValue.greaterThan(a, b)
        case .greaterOrEqual: return PyValue.greaterOrEqual(a, b)
        case .equal: return PyValue.equal(a, b)
        case .notEqual: return PyValue.notEqual(a, b)
        case .minimum: return PyValue.min(a, b)
        case .maximum: return PyValue.max(a, b)
        case .logWithBase: return try PyValue.log(a, base: b)
        case .return, .loadConstant, .loadVariable, .push, .jump, .jumpIfFalse, .jumpUnlessLess,
            .jumpUnlessLessOrEqual, .jumpUnlessGreater, .jumpUnlessGreaterOrEqual, .jumpUnlessEqual,
            .jumpUnlessNotEqual:
            preconditionFailure("\(self) is not an operation")
        }
    }
}
