extension Expression {
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

        /// Whether the comparison `opcode` (`less`, ..., `notEqual`, or
        /// its `jumpUnless` form) holds for `a` and `b`, as
        /// `PyValue.lessThan(a, b)` and the others compute it.
        @inline(__always)
        static func holds(_ opcode: Expression.Opcode, _ a: Word, _ b: Word) -> Bool {
            switch opcode {
            case .less, .jumpUnlessLess: return isLess(a, b)
            case .lessOrEqual, .jumpUnlessLessOrEqual: return isLessOrEqual(a, b)
            case .greater, .jumpUnlessGreater: return isLess(b, a)
            case .greaterOrEqual, .jumpUnlessGreaterOrEqual: return isLessOrEqual(b, a)
            case .equal, .jumpUnlessEqual: return isEqual(a, b)
            case .notEqual, .jumpUnlessNotEqual: return !isEqual(a, b)
            default: preconditionFailure("\(opcode) is not a comparison")
            }
        }

        /// `PyValue.isEqual(a, b)`.
        @inline(__always)
        static func isEqual(_ a: Word, _ b: Word) -> Bool {
            if a.kind != .float && b.kind != .float { return a.integer == b.integer }
            return a.double == b.double
        }
    }
}
