#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Expression {
    /// The compiled form of an expression: its ``Instruction``s, flat, in one
    /// heap block with the source text.
    ///
    /// An ``Expression`` holds nothing but a reference to its `Program`, so
    /// copying an expression (into a scheduler, out of an array) costs one
    /// retain, and ``Expression/evaluate(_:)`` reads the instructions from the
    /// block's tail without touching any other object.
    ///
    /// The machine has an accumulator (the value being computed), the argument
    /// (`epoch`/`x`), and a stack for the left operands still waiting for
    /// their right operand; the stack is on the machine stack during
    /// evaluation, sized by ``Header/stackSize`` (most programs need none).
    /// A program is immutable once made, so threads may share it.
    final class Program: ManagedBuffer<Program.Header, Instruction> {
        struct Header {
            let source: String
            let variables: Set<String>
            /// The deepest the operand stack gets: the nesting of `push`es.
            let stackSize: Int
            /// The number of instructions.
            let count: Int
        }

        static func make(
            source: String, variables: Set<String>, code: [Instruction], stackSize: Int
        ) -> Program {
            let buffer = Program.create(minimumCapacity: code.count) { _ in
                Header(source: source, variables: variables, stackSize: stackSize, count: code.count)
            }
            let program = unsafeDowncast(buffer, to: Program.self)
            program.withUnsafeMutablePointerToElements { elements in
                code.withUnsafeBufferPointer { elements.initialize(from: $0.baseAddress!, count: code.count) }
            }
            return program
        }

        // `Instruction` is trivial, so the elements need no deinitialization.

        /// The instructions, for tests and debugging.
        var instructions: [Instruction] {
            withUnsafeMutablePointers { header, elements in
                Array(UnsafeBufferPointer(start: elements, count: header.pointee.count))
            }
        }
    }

    /// One step of a ``Program``: a trivial value (no references), so
    /// reading and copying instructions never touches reference counts.
    struct Instruction: Sendable, CustomStringConvertible {
        /// The constant operand, when ``operands`` names one, as a ``Word``.
        var word: Word
        var opcode: Opcode
        /// Where a binary opcode takes its two operands from.
        var operands: Operands
        /// The instruction index a jump continues at.
        var target: Int32

        init(_ opcode: Opcode, _ operands: Operands = .none, constant: PyValue = .int(0), target: Int32 = 0) {
            self.word = Word(constant)
            self.opcode = opcode
            self.operands = operands
            self.target = target
        }

        var constant: PyValue { word.value }

        var description: String {
            var text = "\(opcode)"
            if operands != .none { text += " \(operands)" }
            if opcode == .loadConstant || operands.usesConstant { text += " \(constant)" }
            if opcode.isJump { text += " -> \(target)" }
            return text
        }
    }

    /// A ``PyValue`` as the program keeps it: plain scalars the interpreter
    /// can keep in registers. `bits` is the payload (an `int`'s two's
    /// complement, a `float`'s IEEE bits, a `bool` as 0 or 1), and `double`
    /// the value as a `Double`, so `float` arithmetic reads it directly.
    struct Word: Sendable {
        var bits: UInt64
        /// `PyValue.doubleValue`: the `float`, or the `int`/`bool`
        /// converted. Kept alongside the bits so that a chain of `float`
        /// operations never converts.
        var double: Double
        var kind: Kind

        enum Kind: UInt8, Sendable {
            case int, float, bool
        }

        static var zero: Word { Word(int: 0) }

        @inline(__always)
        init(int: Int) {
            bits = UInt64(UInt(bitPattern: int))
            double = Double(int)
            kind = .int
        }

        @inline(__always)
        init(float: Double) {
            bits = float.bitPattern
            double = float
            kind = .float
        }

        @inline(__always)
        init(bool: Bool) {
            bits = bool ? 1 : 0
            double = bool ? 1 : 0
            kind = .bool
        }

        @inline(__always)
        init(_ value: PyValue) {
            switch value {
            case .int(let int): self.init(int: int)
            case .float(let double): self.init(float: double)
            case .bool(let bool): self.init(bool: bool)
            }
        }

        @inline(__always)
        var value: PyValue {
            switch kind {
            case .int: return .int(integer)
            case .float: return .float(double)
            case .bool: return .bool(bits != 0)
            }
        }

        /// The integer value of an `int`, or of a `bool` (0 or 1).
        @inline(__always)
        var integer: Int { Int(bitPattern: UInt(bits)) }

        /// `PyValue.isTruthy`.
        @inline(__always)
        var isTruthy: Bool {
            kind == .float ? double != 0 : bits != 0
        }

        /// `PyValue.isLess(a, b)`: integers compare as integers, anything
        /// else as doubles (exact within ±2^53).
        @inline(__always)
        static func isLess(_ a: Word, _ b: Word) -> Bool {
            if a.kind != .float && b.kind != .float { return a.integer < b.integer }
            return a.double < b.double
        }

        /// `PyValue.isLessOrEqual(a, b)`.
        @inline(__always)
        static func isLessOrEqual(_ a: Word, _ b: Word) -> Bool {
            if a.kind != .float && b.kind != .float { return a.integer <= b.integer }
            return a.double <= b.double
        }

        /// `PyValue.isEqual(a, b)`.
        @inline(__always)
        static func isEqual(_ a: Word, _ b: Word) -> Bool {
            if a.kind != .float && b.kind != .float { return a.integer == b.integer }
            return a.double == b.double
        }
    }

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

    /// Where a binary operation takes its left and right operands: the
    /// accumulator, the instruction's constant, the argument, or (left only)
    /// the top of the stack.
    enum Operands: UInt8, Sendable {
        /// Not a binary operation.
        case none
        case stackAccumulator
        case accumulatorConstant, constantAccumulator
        case accumulatorVariable, variableAccumulator
        case constantVariable, variableConstant, variableVariable

        var usesConstant: Bool {
            switch self {
            case .accumulatorConstant, .constantAccumulator, .constantVariable, .variableConstant: return true
            default: return false
            }
        }
    }
}

// MARK: - Compiling

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
            func evaluated(_ folded: Node) -> Node {
                // All operands are constants here, so the argument is unused.
                if let value = try? folded.evaluate(.int(0)) { return .constant(value) }
                return folded
            }
            switch node {
            case .constant, .variable:
                return node
            case .unary(let op, let operand):
                let a = fold(operand)
                let folded = Node.unary(op, a)
                return constant(a) != nil ? evaluated(folded) : folded
            case .call(let function, let argument):
                let a = fold(argument)
                let folded = Node.call(function, a)
                return constant(a) != nil ? evaluated(folded) : folded
            case .binary(let op, let left, let right):
                let (a, b) = (fold(left), fold(right))
                let folded = Node.binary(op, a, b)
                return constant(a) != nil && constant(b) != nil ? evaluated(folded) : folded
            case .comparison(let op, let left, let right):
                let (a, b) = (fold(left), fold(right))
                let folded = Node.comparison(op, a, b)
                return constant(a) != nil && constant(b) != nil ? evaluated(folded) : folded
            case .logWithBase(let left, let right):
                let (a, b) = (fold(left), fold(right))
                let folded = Node.logWithBase(a, b)
                return constant(a) != nil && constant(b) != nil ? evaluated(folded) : folded
            case .extremum(let isMax, let left, let right):
                let (a, b) = (fold(left), fold(right))
                let folded = Node.extremum(isMax: isMax, a, b)
                return constant(a) != nil && constant(b) != nil ? evaluated(folded) : folded
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
                append(Instruction(op == .negate ? .negate : .positive))
                return type == .unknown ? .unknown : type == .float ? .float : .int
            case .call(let function, let argument):
                let type = emit(argument)
                switch function {
                case .sqrt: append(Instruction(.sqrt))
                case .exp: append(Instruction(.exp))
                case .log: append(Instruction(.log))
                case .cos: append(Instruction(.cos))
                case .sin: append(Instruction(.sin))
                case .tanh: append(Instruction(.tanh))
                case .floor: append(Instruction(.floor))
                case .ceil: append(Instruction(.ceil))
                case .abs: append(Instruction(.abs))
                case .float: append(Instruction(.float))
                case .int: append(Instruction(.int))
                }
                switch function {
                case .floor, .ceil, .int: return .int
                case .abs: return type == .unknown ? .unknown : type == .float ? .float : .int
                default: return .float
                }
            case .binary(let op, let left, let right):
                return emitBinary(left, right) { a, b, right in Self.select(op, a, b, right) }
            case .comparison(let op, let left, let right):
                let opcode: Opcode
                switch op {
                case .less: opcode = .less
                case .lessOrEqual: opcode = .lessOrEqual
                case .greater: opcode = .greater
                case .greaterOrEqual: opcode = .greaterOrEqual
                case .equal: opcode = .equal
                case .notEqual: opcode = .notEqual
                }
                return emitBinary(left, right) { _, _, _ in (opcode, .bool) }
            case .logWithBase(let argument, let base):
                return emitBinary(argument, base) { _, _, _ in (.logWithBase, .float) }
            case .extremum(let isMax, let left, let right):
                return emitBinary(left, right) { a, b, _ in (isMax ? .maximum : .minimum, a == b ? a : .unknown) }
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
        static func select(_ op: BinaryOperator, _ a: StaticType, _ b: StaticType, _ right: Leaf?)
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

// MARK: - Running

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
            case .jumpUnlessLess:
                let (a, b) = operands(instruction, accumulator, variable, &top)
                if !Word.isLess(a, b) { next = code + Int(instruction.target) }
            case .jumpUnlessLessOrEqual:
                let (a, b) = operands(instruction, accumulator, variable, &top)
                if !Word.isLessOrEqual(a, b) { next = code + Int(instruction.target) }
            case .jumpUnlessGreater:
                let (a, b) = operands(instruction, accumulator, variable, &top)
                if !Word.isLess(b, a) { next = code + Int(instruction.target) }
            case .jumpUnlessGreaterOrEqual:
                let (a, b) = operands(instruction, accumulator, variable, &top)
                if !Word.isLessOrEqual(b, a) { next = code + Int(instruction.target) }
            case .jumpUnlessEqual:
                let (a, b) = operands(instruction, accumulator, variable, &top)
                if !Word.isEqual(a, b) { next = code + Int(instruction.target) }
            case .jumpUnlessNotEqual:
                let (a, b) = operands(instruction, accumulator, variable, &top)
                if Word.isEqual(a, b) { next = code + Int(instruction.target) }

            case .float:
                accumulator = Word(float: accumulator.double)
            case .tanh:
                accumulator = Word(float: Glibc.tanh(accumulator.double))
            case .sqrt:
                let x = accumulator.double
                guard x >= 0 else { accumulator = try generic(.sqrt, accumulator, accumulator); continue }
                accumulator = Word(float: Glibc.sqrt(x))
            case .exp:
                let result = Glibc.exp(accumulator.double)
                guard result.isFinite else { accumulator = try generic(.exp, accumulator, accumulator); continue }
                accumulator = Word(float: result)
            case .log:
                let x = accumulator.double
                guard x > 0 else { accumulator = try generic(.log, accumulator, accumulator); continue }
                accumulator = Word(float: Glibc.log(x))
            case .cos:
                let x = accumulator.double
                guard x.isFinite else { accumulator = try generic(.cos, accumulator, accumulator); continue }
                accumulator = Word(float: Glibc.cos(x))
            case .sin:
                let x = accumulator.double
                guard x.isFinite else { accumulator = try generic(.sin, accumulator, accumulator); continue }
                accumulator = Word(float: Glibc.sin(x))
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
                accumulator = try toInteger(Glibc.floor(accumulator.double), .floor, accumulator)
            case .ceil:
                guard accumulator.kind == .float else { accumulator = Word(int: accumulator.integer); continue }
                accumulator = try toInteger(Glibc.ceil(accumulator.double), .ceil, accumulator)
            case .int:
                guard accumulator.kind == .float else { accumulator = Word(int: accumulator.integer); continue }
                accumulator = try toInteger(accumulator.double.rounded(.towardZero), .int, accumulator)

            case .add:
                let (a, b) = operands(instruction, accumulator, variable, &top)
                if a.kind == .float && b.kind == .float {
                    accumulator = Word(float: a.double + b.double)
                } else if a.kind == .int && b.kind == .int,
                    case (let sum, false) = a.integer.addingReportingOverflow(b.integer), isInteger(sum)
                {
                    accumulator = Word(int: sum)
                } else {
                    accumulator = try generic(.add, a, b)
                }
            case .subtract:
                let (a, b) = operands(instruction, accumulator, variable, &top)
                if a.kind == .float && b.kind == .float {
                    accumulator = Word(float: a.double - b.double)
                } else if a.kind == .int && b.kind == .int,
                    case (let difference, false) = a.integer.subtractingReportingOverflow(b.integer),
                    isInteger(difference)
                {
                    accumulator = Word(int: difference)
                } else {
                    accumulator = try generic(.subtract, a, b)
                }
            case .multiply:
                let (a, b) = operands(instruction, accumulator, variable, &top)
                if a.kind == .float && b.kind == .float {
                    accumulator = Word(float: a.double * b.double)
                } else if a.kind == .int && b.kind == .int,
                    case (let product, false) = a.integer.multipliedReportingOverflow(by: b.integer),
                    isInteger(product)
                {
                    accumulator = Word(int: product)
                } else {
                    accumulator = try generic(.multiply, a, b)
                }
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
                // Integers by a positive divisor; the rest is `PyValue.floorDivide`.
                let (a, b) = operands(instruction, accumulator, variable, &top)
                let y = b.integer
                guard a.kind != .float && b.kind != .float && y > 0 else {
                    accumulator = try generic(.floorDivide, a, b)
                    continue
                }
                let x = a.integer
                var quotient = x / y
                if x % y != 0 && x < 0 { quotient -= 1 }
                guard isInteger(quotient) else { accumulator = try generic(.floorDivide, a, b); continue }
                accumulator = Word(int: quotient)
            case .modulo:
                let (a, b) = operands(instruction, accumulator, variable, &top)
                let y = b.integer
                guard a.kind != .float && b.kind != .float && y > 0 else {
                    accumulator = try generic(.modulo, a, b)
                    continue
                }
                var remainder = a.integer % y
                if remainder < 0 { remainder += y }
                accumulator = Word(int: remainder)
            case .logWithBase:
                let (a, b) = operands(instruction, accumulator, variable, &top)
                accumulator = try generic(.logWithBase, a, b)

            case .less:
                let (a, b) = operands(instruction, accumulator, variable, &top)
                accumulator = Word(bool: Word.isLess(a, b))
            case .lessOrEqual:
                let (a, b) = operands(instruction, accumulator, variable, &top)
                accumulator = Word(bool: Word.isLessOrEqual(a, b))
            case .greater:
                let (a, b) = operands(instruction, accumulator, variable, &top)
                accumulator = Word(bool: Word.isLess(b, a))
            case .greaterOrEqual:
                let (a, b) = operands(instruction, accumulator, variable, &top)
                accumulator = Word(bool: Word.isLessOrEqual(b, a))
            case .equal:
                let (a, b) = operands(instruction, accumulator, variable, &top)
                accumulator = Word(bool: Word.isEqual(a, b))
            case .notEqual:
                let (a, b) = operands(instruction, accumulator, variable, &top)
                accumulator = Word(bool: !Word.isEqual(a, b))
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
            let result = Glibc.pow(x, y)
            if !result.isInfinite { return Word(float: result) }
        }
        return try generic(.power, a, b)
    }

    /// The `PyValue` operation for `opcode` (unary ones take `a`): the
    /// general case of every instruction, and where every error is raised.
    @inline(never)
    static func generic(_ opcode: Expression.Opcode, _ a: Word, _ b: Word) throws(PythonError) -> Word {
        Word(try generic(opcode, a.value, b.value))
    }

    static func generic(_ opcode: Expression.Opcode, _ a: PyValue, _ b: PyValue) throws(PythonError) -> PyValue {
        switch opcode {
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
            preconditionFailure("\(opcode) is not an operation")
        }
    }
}
