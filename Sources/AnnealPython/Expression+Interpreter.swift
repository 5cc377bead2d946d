extension Expression.Program {
    typealias Word = Expression.Word

    /// Runs the `count` instructions at `code` with the operand stack at
    /// `stack` (room for ``Header/stackSize`` values), returning the
    /// accumulator at a `return` or after the last instruction.
    ///
    /// Each operation takes a fast path when its operands make it plain IEEE
    /// or integer arithmetic; everything else (Python's special cases, every
    /// error) goes to ``generic(_:_:_:)``, which calls the `PyValue`
    /// operation itself. So the fast paths only need to agree with Python
    /// where they apply, and the loop has no error handling of its own.
    static func run(
        _ code: UnsafeMutablePointer<Expression.Instruction>, count: Int, _ argument: PyValue,
        _ stack: UnsafeMutablePointer<Word>
    ) throws(PythonError) -> PyValue {
        let variable = Word(argument)
        let end = code + count
        var next = code
        var top = stack
        var accumulator = Word.zero

        while next < end {
            let instruction = next.pointee
            next += 1
            switch instruction.opcode {
            case .return:
                return accumulator.value
            case .loadConstant:
                accumulator = instruction.word
            case .loadVariable:
                accumulator = variable
            case .push:
                top.initialize(to: accumulator)
                top += 1
            case .jump:
                next = code + Int(instruction.target)
            case .jumpIfFalse:
                if !accumulator.isTruthy { next = code + Int(instruction.target) }
            case .jumpUnlessLess, .jumpUnlessLessOrEqual, .jumpUnlessGreater, .jumpUnlessGreaterOrEqual,
                .jumpUnlessEqual, .jumpUnlessNotEqual:
                let (a, b) = operands(instruction, accumulator, variable, &top)
                if !Word.holds(instruction.opcode, a, b) { next = code + Int(instruction.target) }

            case .float:
                accumulator = Word(float: accumulator.double)
            case .tanh:
                accumulator = Word(float: LibM.hyperbolicTangent(accumulator.double))
            case .sqrt:
                let x = accumulator.double
                guard x >= 0 else { accumulator = try generic(.sqrt, accumulator, accumulator); continue }
                accumulator = Word(float: x.squareRoot())
            case .exp:
                let result = LibM.exponential(accumulator.double)
                guard result.isFinite else { accumulator = try generic(.exp, accumulator, accumulator); continue }
                accumulator = Word(float: result)
            case .log:
                let x = accumulator.double
                guard x > 0 else { accumulator = try generic(.log, accumulator, accumulator); continue }
                accumulator = Word(float: LibM.naturalLogarithm(x))
            case .cos:
                let x = accumulator.double
                guard x.isFinite else { accumulator = try generic(.cos, accumulator, accumulator); continue }
                accumulator = Word(float: LibM.cosine(x))
            case .sin:
                let x = accumulator.double
                guard x.isFinite else { accumulator = try generic(.sin, accumulator, accumulator); continue }
                accumulator = Word(float: LibM.sine(x))
            case .negate:
                // `-True` is the int -1; `-int` traps on `Int.min` as `PyValue.negate` does.
                accumulator =
                    accumulator.kind == .float ? Word(float: -accumulator.double) : Word(int: -accumulator.integer)
            case .positive:
                if accumulator.kind == .bool { accumulator = Word(int: accumulator.integer) }
            case .abs:
                accumulator =
                    accumulator.kind == .float
                    ? Word(float: Swift.abs(accumulator.double)) : Word(int: Swift.abs(accumulator.integer))
            case .floor:
                guard accumulator.kind == .float else { accumulator = Word(int: accumulator.integer); continue }
                accumulator = try toInteger(accumulator.double.rounded(.down), .floor, accumulator)
            case .ceil:
                guard accumulator.kind == .float else { accumulator = Word(int: accumulator.integer); continue }
                accumulator = try toInteger(accumulator.double.rounded(.up), .ceil, accumulator)
            case .int:
                guard accumulator.kind == .float else { accumulator = Word(int: accumulator.integer); continue }
                accumulator = try toInteger(accumulator.double.rounded(.towardZero), .int, accumulator)

            case .add:
                let (a, b) = operands(instruction, accumulator, variable, &top)
                accumulator = try arithmetic(.add, a, b, +) { $0.addingReportingOverflow($1) }
            case .subtract:
                let (a, b) = operands(instruction, accumulator, variable, &top)
                accumulator = try arithmetic(.subtract, a, b, -) { $0.subtractingReportingOverflow($1) }
            case .multiply:
                let (a, b) = operands(instruction, accumulator, variable, &top)
                accumulator = try arithmetic(.multiply, a, b, *) { $0.multipliedReportingOverflow(by: $1) }
            case .trueDivide:
                // `int / int` is the IEEE quotient of the exact conversions,
                // like `float / float`; only the zero-divisor message differs.
                let (a, b) = operands(instruction, accumulator, variable, &top)
                let y = b.double
                guard y != 0 else { accumulator = try generic(.trueDivide, a, b); continue }
                accumulator = Word(float: a.double / y)
            case .power:
                let (a, b) = operands(instruction, accumulator, variable, &top)
                if a.kind == .float || b.kind == .float {
                    accumulator = try floatPower(a, b)
                } else {
                    accumulator = try generic(.power, a, b)
                }
            case .floorDivide:
                let (a, b) = operands(instruction, accumulator, variable, &top)
                if case let (x, y)? = integerDivision(a, b) {
                    var quotient = x / y
                    if x % y != 0 && x < 0 { quotient -= 1 }
                    if isInteger(quotient) {
                        accumulator = Word(int: quotient)
                        continue
                    }
                }
                accumulator = try generic(.floorDivide, a, b)
            case .modulo:
                let (a, b) = operands(instruction, accumulator, variable, &top)
                guard case let (x, y)? = integerDivision(a, b) else {
                    accumulator = try generic(.modulo, a, b)
                    continue
                }
                var remainder = x % y
                if remainder < 0 { remainder += y }
                accumulator = Word(int: remainder)
            case .logWithBase:
                let (a, b) = operands(instruction, accumulator, variable, &top)
                accumulator = try generic(.logWithBase, a, b)

            case .less, .lessOrEqual, .greater, .greaterOrEqual, .equal, .notEqual:
                let (a, b) = operands(instruction, accumulator, variable, &top)
                accumulator = Word(bool: Word.holds(instruction.opcode, a, b))
            case .minimum:
                let (a, b) = operands(instruction, accumulator, variable, &top)
                accumulator = Word.isLess(b, a) ? b : a
            case .maximum:
                let (a, b) = operands(instruction, accumulator, variable, &top)
                accumulator = Word.isLess(a, b) ? b : a

            case .floatAdd:
                let (a, b) = operands(instruction, accumulator, variable, &top)
                accumulator = Word(float: a.double + b.double)
            case .floatSubtract:
                let (a, b) = operands(instruction, accumulator, variable, &top)
                accumulator = Word(float: a.double - b.double)
            case .floatMultiply:
                let (a, b) = operands(instruction, accumulator, variable, &top)
                accumulator = Word(float: a.double * b.double)
            case .divideByNonzero:
                let (a, b) = operands(instruction, accumulator, variable, &top)
                accumulator = Word(float: a.double / b.double)
            case .floatPower:
                let (a, b) = operands(instruction, accumulator, variable, &top)
                accumulator = try floatPower(a, b)
            }
        }
        return accumulator.value
    }

    /// The two operands of a binary instruction.
    @inline(__always)
    static func operands(
        _ instruction: Expression.Instruction, _ accumulator: Word, _ variable: Word,
        _ top: inout UnsafeMutablePointer<Word>
    ) -> (Word, Word) {
        switch instruction.operands {
        case .stackAccumulator:
            top -= 1
            return (top.pointee, accumulator)
        case .accumulatorConstant: return (accumulator, instruction.word)
        case .constantAccumulator: return (instruction.word, accumulator)
        case .accumulatorVariable: return (accumulator, variable)
        case .variableAccumulator: return (variable, accumulator)
        case .constantVariable: return (instruction.word, variable)
        case .variableConstant: return (variable, instruction.word)
        case .variableVariable: return (variable, variable)
        case .none: return (accumulator, accumulator)
        }
    }

    /// `floor`, `ceil` or `int` of a `float`, given the integral `value`
    /// it rounds to: the `int`, unless Python raises (NaN, infinities,
    /// beyond ±2^53), which ``generic(_:_:_:)`` does for `argument`.
    @inline(__always)
    static func toInteger(_ value: Double, _ opcode: Expression.Opcode, _ argument: Word) throws(PythonError) -> Word {
        if Swift.abs(value) <= Double(PyValue.maxInteger) { return Word(int: Int(value)) }
        return try generic(opcode, argument, argument)
    }

    /// `a + b`, `a - b` or `a * b` (`opcode`), given the operation on
    /// doubles and on integers (reporting overflow): IEEE arithmetic for two
    /// `float`s, integer arithmetic for two `int`s whose result is within
    /// ±2^53; anything else (a `bool`, mixed types, overflow) is
    /// ``generic(_:_:_:)``. Inlined with its closures, so each opcode's case
    /// is the plain arithmetic.
    @inline(__always)
    static func arithmetic(
        _ opcode: Expression.Opcode, _ a: Word, _ b: Word, _ onDoubles: (Double, Double) -> Double,
        _ onIntegers: (Int, Int) -> (partialValue: Int, overflow: Bool)
    ) throws(PythonError) -> Word {
        if a.kind == .float && b.kind == .float { return Word(float: onDoubles(a.double, b.double)) }
        if a.kind == .int && b.kind == .int {
            let (result, overflow) = onIntegers(a.integer, b.integer)
            if !overflow && isInteger(result) { return Word(int: result) }
        }
        return try generic(opcode, a, b)
    }

    /// The dividend and divisor when `a // b` and `a % b` are plain integer
    /// division: neither is a `float`, and the divisor is positive. The
    /// rest is `PyValue.floorDivide` and `PyValue.modulo`.
    @inline(__always)
    static func integerDivision(_ a: Word, _ b: Word) -> (dividend: Int, divisor: Int)? {
        guard a.kind != .float && b.kind != .float && b.integer > 0 else { return nil }
        return (a.integer, b.integer)
    }

    /// Whether an `int` result is within ±2^53 (else `OverflowError`).
    @inline(__always)
    static func isInteger(_ value: Int) -> Bool {
        value <= PyValue.maxInteger && value >= -PyValue.maxInteger
    }

    /// `a ** b` where `a` or `b` is a `float`: `PyFloat.pow`, with its fast
    /// path here so that the common case makes no other call than libm's.
    @inline(__always)
    static func floatPower(_ a: Word, _ b: Word) throws(PythonError) -> Word {
        let x = a.double
        let y = b.double
        if x > 0 && x < .infinity && y.isFinite {
            let result = LibM.power(x, y)
            if !result.isInfinite { return Word(float: result) }
        }
        return try generic(.power, a, b)
    }

    /// The `PyValue` operation for `opcode` (unary ones take `a`): the
    /// general case of every instruction, and where every error is raised.
    @inline(never)
    static func generic(_ opcode: Expression.Opcode, _ a: Word, _ b: Word) throws(PythonError) -> Word {
        Word(try opcode.apply(a.value, b.value))
    }
}
