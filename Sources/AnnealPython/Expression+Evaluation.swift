extension Expression {
    /// Evaluates the expression with both `epoch` and `x` bound to
    /// `variable`, with Python semantics; throws the ``PythonError`` Python
    /// would raise (`ZeroDivisionError`, `ValueError`, `OverflowError`).
    ///
    /// Only the branch `A if C else B` takes is evaluated, so guarded
    /// expressions work as in Python. An `int` result (or intermediate) beyond
    /// ±2^53, or a `float` power whose Python value is `complex`, is invalid
    /// input and throws (`OverflowError` and `ValueError` respectively).
    /// Evaluation runs the program compiled by ``init(_:)``, with its
    /// operand stack on the machine stack: no allocation, no reference
    /// counting, so it is cheap enough for every scheduler step.
    ///
    /// ```swift
    /// let f = try Expression("1/epoch if epoch > 0 else 1.0")
    /// try f.evaluate(.int(0))   // .float(1.0)
    /// try f.evaluate(.int(4))   // .float(0.25)
    /// try Expression("-2 ** 2").evaluate(.int(0))   // .int(-4)
    /// ```
    public func evaluate(_ variable: PyValue) throws(PythonError) -> PyValue {
        // Through pointers: `ManagedBuffer.header` is a class property, whose
        // every access would be checked for exclusivity at run time.
        try program.withUnsafeMutablePointers { (header, code) throws(PythonError) -> PyValue in
            let stackSize = header.pointee.stackSize
            if stackSize == 0 {
                // No `push`: the stack is never touched.
                var unused = Word.zero
                return try Program.run(code, count: header.pointee.count, variable, &unused)
            }
            return try withUnsafeTemporaryAllocation(of: Word.self, capacity: stackSize) {
                (stack) throws(PythonError) -> PyValue in
                try Program.run(code, count: header.pointee.count, variable, stack.baseAddress!)
            }
        }
    }
}

extension Expression.Node {
    /// The tree's value, computed by walking it: the reference for the
    /// compiled program, which must agree with it on every value and error.
    func evaluate(_ variable: PyValue) throws(PythonError) -> PyValue {
        switch self {
        case .constant(let value):
            return value
        case .variable:
            return variable
        case .unary(let op, let operand):
            let a = try operand.evaluate(variable)
            switch op {
            case .negate: return PyValue.negate(a)
            case .positive: return PyValue.positive(a)
            }
        case .binary(let op, let left, let right):
            let a = try left.evaluate(variable)
            let b = try right.evaluate(variable)
            switch op {
            case .add: return try PyValue.add(a, b)
            case .subtract: return try PyValue.subtract(a, b)
            case .multiply: return try PyValue.multiply(a, b)
            case .trueDivide: return try PyValue.trueDivide(a, b)
            case .floorDivide: return try PyValue.floorDivide(a, b)
            case .modulo: return try PyValue.modulo(a, b)
            case .power: return try PyValue.power(a, b)
            }
        case .comparison(let op, let left, let right):
            let a = try left.evaluate(variable)
            let b = try right.evaluate(variable)
            switch op {
            case .less: return PyValue.lessThan(a, b)
            case .lessOrEqual: return PyValue.lessOrEqual(a, b)
            case .greater: return PyValue.greaterThan(a, b)
            case .greaterOrEqual: return PyValue.greaterOrEqual(a, b)
            case .equal: return PyValue.equal(a, b)
            case .notEqual: return PyValue.notEqual(a, b)
            }
        case .conditional(let body, let test, let orElse):
            if try test.evaluate(variable).isTruthy {
                return try body.evaluate(variable)
            }
            return try orElse.evaluate(variable)
        case .call(let function, let argument):
            let a = try argument.evaluate(variable)
            switch function {
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
            }
        case .logWithBase(let argument, let base):
            let a = try argument.evaluate(variable)
            let b = try base.evaluate(variable)
            return try PyValue.log(a, base: b)
        case .extremum(let isMax, let left, let right):
            // Python evaluates all arguments, then keeps the first and
            // replaces it by each later one that compares greater (max) or
            // smaller (min). Comparisons cannot raise, so folding pairwise
            // from the left gives the same value and the same first error.
            let a = try left.evaluate(variable)
            let b = try right.evaluate(variable)
            return isMax ? PyValue.max(a, b) : PyValue.min(a, b)
        }
    }
}
