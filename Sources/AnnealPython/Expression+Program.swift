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
}
