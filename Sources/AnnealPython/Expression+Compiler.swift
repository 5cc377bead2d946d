extension Expression {
    /// Compiles a parsed tree to a ``Program``.
    ///
    /// Subexpressions without a variable are computed once here (unless they
    /// raise: then they are left to raise at evaluation, and only if reached).
    /// A constant or the variable as an operand is read by the operation
    /// itself, so `0.95 ** epoch` is the single instruction
    /// `floatPower constantVariable 0.95`. Where an operand's Python type is
    /// known (a `float` constant, the result of `/` or `sqrt`, ...), the
    /// operation skips the type dispatch Python's rules make redundant.
    /// `A if C else B` becomes jumps around the branches, so only the taken
    /// one runs; a comparison as `C` is itself the conditional jump.
    struct Compiler {
        var code: [Instruction] = []
        var depth = 0
        var maximumDepth = 0

        /// What is known before evaluation about a value's Python type.
        enum StaticType: Equatable {
            case int, float, bool, unknown

            init(_ value: PyValue) {
                switch value {
                case .int: self = .int
                case .float: self = .float
                case .bool: self = .bool
                }
            }

            /// `int` or `bool`: arithmetic on two of these is integer arithmetic.
            var isInteger: Bool { self == .int || self == .bool }
        }

        /// A binary operand read by the operation: a constant or the variable.
        enum Leaf {
            case constant(PyValue)
            case variable

            init?(_ node: Node) {
                switch node {
                case .constant(let value): self = .constant(value)
                case .variable: self = .variable
                default: return nil
                }
            }

            var type: StaticType {
                if case .constant(let value) = self { return StaticType(value) }
                return .unknown
            }
        }

        static func compile(_ root: Node, source: String, variables: Set<String>) -> Program {
            var compiler = Compiler()
            compiler.emit(fold(root))
            compiler.append(Instruction(.return))
            compiler.threadJumps()
            // The loop ends past the last instruction; no jump targets the
            // final `return` (one to it became a `return`), so drop it.
            compiler.code.removeLast()
            return Program.make(
                source: source, variables: variables, code: compiler.code, stackSize: compiler.maximumDepth)
        }

        // MARK: Constant folding

        /// `node` with every variable-free subexpression that evaluates
        /// without raising replaced by its value; a conditional with a constant
        /// test is replaced by its taken branch.
        static func fold(_ node: Node) -> Node {
            func constant(_ node: Node) -> PyValue? {
                if case .constant(let value) = node { return value }
                return nil
            }
            /// `folded`, or its value when all its `operands` are constants
            /// and it evaluates without raising.
            func evaluated(_ folded: Node, operands: Node...) -> Node {
                guard operands.allSatisfy({ constant($0) != nil }) else { return folded }
                // All operands are constants here, so the argument is unused.
                if let value = try? folded.evaluate(.int(0)) { return .constant(value) }
                return folded
            }
            switch node {
            case .constant, .variable:
                return node
            case .unary(let op, let operand):
                let a = fold(operand)
                return evaluated(.unary(op, a), operands: a)
            case .call(let function, let argument):
                let a = fold(argument)
                return evaluated(.call(function, a), operands: a)
            case .binary(let op, let left, let right):
                let (a, b) = (fold(left), fold(right))
                return evaluated(.binary(op, a, b), operands: a, b)
            case .comparison(let op, let left, let right):
                let (a, b) = (fold(left), fold(right))
                return evaluated(.comparison(op, a, b), operands: a, b)
            case .logWithBase(let left, let right):
                let (a, b) = (fold(left), fold(right))
                return evaluated(.logWithBase(a, b), operands: a, b)
            case .extremum(let isMax, let left, let right):
                let (a, b) = (fold(left), fold(right))
                return evaluated(.extremum(isMax: isMax, a, b), operands: a, b)
            case .conditional(let body, let test, let orElse):
                let t = fold(test)
                if let value = constant(t) {
                    return value.isTruthy ? fold(body) : fold(orElse)
                }
                return .conditional(body: fold(body), test: t, orElse: fold(orElse))
            }
        }

        // MARK: Emitting

        mutating func append(_ instruction: Instruction) {
            code.append(instruction)
        }

        /// Emits code leaving `node`'s value in the accumulator; returns what
        /// is known of its type.
        @discardableResult
        mutating func emit(_ node: Node) -> StaticType {
            switch node {
            case .constant(let value):
                append(Instruction(.loadConstant, constant: value))
                return StaticType(value)
            case .variable:
                append(Instruction(.loadVariable))
                return .unknown
            case .unary(let op, let operand):
                let type = emit(operand)
                append(Instruction(op))
                return type == .unknown ? .unknown : type == .float ? .float : .int
            case .call(let function, let argument):
                let type = emit(argument)
                append(Instruction(Opcode(function)))
                switch function {
                case .floor, .ceil, .int: return .int
                case .abs: return type == .unknown ? .unknown : type == .float ? .float : .int
                default: return .float
                }
            case .binary(let op, let left, let right):
                return emitBinary(left, right) { a, b, right in Self.select(op, a, b, right) }
            case .comparison(let op, let left, let right):
                return emitBinary(left, right) { _, _, _ in (op, .bool) }
            case .logWithBase(let argument, let base):
                return emitBinary(argument, base) { _, _, _ in (.logWithBase, .float) }
            case .extremum(let isMax, let left, let right):
                return emitBinary(left, right) { a, b, _ in (Opcode(extremum: isMax), a == b ? a : .unknown) }
            case .conditional(let body, let test, let orElse):
                emit(test)
                let branch: Int
                if case .comparison = test, let fused = code[code.count - 1].opcode.jumpUnless {
                    // The comparison is the test's last instruction, and no
                    // jump lands after it: make it the branch.
                    branch = code.count - 1
                    code[branch].opcode = fused
                } else {
                    branch = code.count
                    append(Instruction(.jumpIfFalse))
                }
                let bodyType = emit(body)
                let exit = code.count
                append(Instruction(.jump))
                code[branch].target = Int32(code.count)
                let orElseType = emit(orElse)
                code[exit].target = Int32(code.count)
                return bodyType == orElseType ? bodyType : .unknown
            }
        }

        /// Emits a binary operation: the operands in Python's order (left,
        /// then right), except that a constant or variable operand, which
        /// cannot raise, is read by the operation itself rather than loaded.
        mutating func emitBinary(
            _ left: Node, _ right: Node,
            select: (StaticType, StaticType, Leaf?) -> (Opcode, StaticType)
        ) -> StaticType {
            var instruction = Instruction(.return)
            let leftType: StaticType
            let rightType: StaticType
            switch (Leaf(left), Leaf(right)) {
            case (let a?, let b?):
                leftType = a.type
                rightType = b.type
                switch (a, b) {
                case (.constant(let x), .constant(let y)):
                    // Left unfolded because it raises; rare, so no operand mode.
                    append(Instruction(.loadConstant, constant: x))
                    instruction = Instruction(.return, .accumulatorConstant, constant: y)
                case (.constant(let x), .variable):
                    instruction = Instruction(.return, .constantVariable, constant: x)
                case (.variable, .constant(let y)):
                    instruction = Instruction(.return, .variableConstant, constant: y)
                case (.variable, .variable):
                    instruction = Instruction(.return, .variableVariable)
                }
            case (let a?, nil):
                leftType = a.type
                rightType = emit(right)
                switch a {
                case .constant(let x): instruction = Instruction(.return, .constantAccumulator, constant: x)
                case .variable: instruction = Instruction(.return, .variableAccumulator)
                }
            case (nil, let b?):
                leftType = emit(left)
                rightType = b.type
                switch b {
                case .constant(let y): instruction = Instruction(.return, .accumulatorConstant, constant: y)
                case .variable: instruction = Instruction(.return, .accumulatorVariable)
                }
            case (nil, nil):
                leftType = emit(left)
                append(Instruction(.push))
                depth += 1
                maximumDepth = Swift.max(maximumDepth, depth)
                rightType = emit(right)
                depth -= 1
                instruction = Instruction(.return, .stackAccumulator)
            }
            let (opcode, type) = select(leftType, rightType, Leaf(right))
            instruction.opcode = opcode
            append(instruction)
            return type
        }

        /// The opcode for `a op b` given what is known of the operands, and
        /// what is known of the result's type.
        static func select(_ op: Opcode, _ a: StaticType, _ b: StaticType, _ right: Leaf?)
            -> (Opcode, StaticType)
        {
            let anyFloat = a == .float || b == .float
            let bothInteger = a.isInteger && b.isInteger
            // `int op int` gives an int (or raises), a float operand a float.
            let arithmeticType: StaticType = anyFloat ? .float : bothInteger ? .int : .unknown
            switch op {
            case .add: return (anyFloat ? .floatAdd : .add, arithmeticType)
            case .subtract: return (anyFloat ? .floatSubtract : .subtract, arithmeticType)
            case .multiply: return (anyFloat ? .floatMultiply : .multiply, arithmeticType)
            case .trueDivide:
                if case .constant(let divisor)? = right, divisor.doubleValue != 0 {
                    return (.divideByNonzero, .float)
                }
                return (.trueDivide, .float)
            case .floorDivide: return (.floorDivide, arithmeticType)
            case .modulo: return (.modulo, arithmeticType)
            case .power:
                if anyFloat { return (.floatPower, .float) }
                if bothInteger, case .constant(let exponent)? = right, exponent.integerValue! >= 0 {
                    return (.power, .int)
                }
                return (.power, .unknown)
            default:
                preconditionFailure("\(op) is not a binary operator's opcode")
            }
        }

        /// Points each jump past the jumps it lands on, and turns a jump to a
        /// `return` into a `return`.
        mutating func threadJumps() {
            for index in code.indices where code[index].opcode.isJump {
                var target = Int(code[index].target)
                while code[target].opcode == .jump { target = Int(code[target].target) }
                if code[index].opcode == .jump && code[target].opcode == .return {
                    code[index] = Instruction(.return)
                } else {
                    code[index].target = Int32(target)
                }
            }
        }
    }
}
