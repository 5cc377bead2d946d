extension Expression {
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
