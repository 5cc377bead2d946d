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
    /// Every operation is ``Expression/Opcode/apply(_:_:)``, the same table
    /// the program's general cases use.
    func evaluate(_ variable: PyValue) throws(PythonError) -> PyValue {
        typealias Opcode = Expression.Opcode
        switch self {
        case .constant(let value):
            return value
        case .variable:
            return variable
        case .unary(let op, let operand):
            let a = try operand.evaluate(variable)
            return try op.apply(a, a)
        case .call(let function, let argument):
            let a = try argument.evaluate(variable)
            return try Opcode(function).apply(a, a)
        case .binary(let op, let left, let right):
            return try op.apply(left.evaluate(variable), right.evaluate(variable))
        case .comparison(let op, let left, let right):
            return try op.apply(left.evaluate(variable), right.evaluate(variable))
        case .logWithBase(let argument, let base):
            return try Opcode.logWithBase.apply(argument.evaluate(variable), base.evaluate(variable))
        case .extremum(let isMax, let left, let right):
            // Python evaluates all arguments, then keeps the first and
            // replaces it by each later one that compares greater (max) or
            // smaller (min). Comparisons cannot raise, so folding pairwise
            // from the left gives the same value and the same first error.
            return try Opcode(extremum: isMax).apply(left.evaluate(variable), right.evaluate(variable))
        case .conditional(let body, let test, let orElse):
            if try test.evaluate(variable).isTruthy {
                return try body.evaluate(variable)
            }
            return try orElse.evaluate(variable)
        }
    }
}
