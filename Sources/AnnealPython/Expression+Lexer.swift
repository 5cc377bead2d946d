extension Expression {
    /// A token of an expression and where it starts.
    struct Token: Sendable {
        enum Kind: Sendable {
            case number(PyValue)
            case name(String)
            case symbol(Symbol)
            /// A lexical error; the token list ends after it.
            case invalid(String)
            case end
        }

        var kind: Kind
        /// 0-based `Character` offset in the source.
        var offset: Int
        /// The token's text, quoted, for messages: `'**'`, `'epoch'`.
        var text: String
    }

    enum Symbol: String, Sendable, CaseIterable {
        case plus = "+", minus = "-", star = "*", slash = "/", doubleSlash = "//"
        case percent = "%", doubleStar = "**"
        case less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
        case equal = "==", notEqual = "!="
        case leftParenthesis = "(", rightParenthesis = ")", comma = ","

        var isComparison: Bool {
            switch self {
            case .less, .lessOrEqual, .greater, .greaterOrEqual, .equal, .notEqual: return true
            default: return false
            }
        }
    }

    /// Splits an expression into tokens: Python's numbers, ASCII names and
    /// the operators of the grammar. Whitespace is spaces and tabs.
    enum Lexer {
        static func tokenize(_ source: String) -> [Token] {
            let characters = Array(source)
            var tokens: [Token] = []
            var index = 0
            func add(_ kind: Token.Kind, from start: Int) {
                tokens.append(Token(kind: kind, offset: start, text: "'\(String(characters[start..<index]))'"))
            }
            while index < characters.count {
                let character = characters[index]
                let start = index
                if character == " " || character == "\t" {
                    index += 1
                    continue
                }
                if isDigit(character) || (character == "." && index + 1 < characters.count && isDigit(characters[index + 1])) {
                    let kind = scanNumber(characters, &index)
                    add(kind, from: start)
                    if case .invalid = kind { break }
                    continue
                }
                if isNameStart(character) {
                    while index < characters.count, isNameContinuation(characters[index]) { index += 1 }
                    add(.name(String(characters[start..<index])), from: start)
                    continue
                }
                let next: Character? = index + 1 < characters.count ? characters[index + 1] : nil
                let symbol: Symbol?
                switch (character, next) {
                case ("*", "*"): symbol = .doubleStar
                case ("/", "/"): symbol = .doubleSlash
                case ("<", "="): symbol = .lessOrEqual
                case (">", "="): symbol = .greaterOrEqual
                case ("=", "="): symbol = .equal
                case ("!", "="): symbol = .notEqual
                default: symbol = Symbol(rawValue: String(character))
                }
                guard let symbol else {
                    index += 1
                    let message: String
                    if character == "=" {
                        message = "'=' is not an operator (use '==' to compare)"
                    } else if character.isWhitespace {
                        message = "invalid whitespace character \(debugName(character)) (only spaces and tabs are allowed)"
                    } else {
                        message = "invalid character \(debugName(character))"
                    }
                    add(.invalid(message), from: start)
                    break
                }
                index += symbol.rawValue.count
                add(.symbol(symbol), from: start)
            }
            tokens.append(Token(kind: .end, offset: characters.count, text: "end of input"))
            return tokens
        }

        /// Scans a Python int or float literal starting at `index` (a digit,
        /// or a `.` before a digit) and leaves `index` after it.
        ///
        /// Python's literal syntax: digits may be grouped by single `_`
        /// between digits; a decimal integer has no leading zeros (`0`, `00`
        /// are fine); `0x`, `0o`, `0b` prefixes give hexadecimal, octal and
        /// binary integers; a float has a `.` and/or an exponent. A literal
        /// directly followed by a letter, digit or `_` (`1e`, `1_`, `2j`,
        /// `1if`) is rejected.
        static func scanNumber(_ characters: [Character], _ index: inout Int) -> Token.Kind {
            let start = index
            func peek(_ ahead: Int = 0) -> Character? {
                index + ahead < characters.count ? characters[index + ahead] : nil
            }
            /// `digit (["_"] digit)*` in `radix`, collecting the digits.
            func scanDigits(radix: Int, into digits: inout String) -> Bool {
                guard let first = peek(), digitValue(first, radix: radix) != nil else { return false }
                digits.append(first)
                index += 1
                while let character = peek() {
                    if digitValue(character, radix: radix) != nil {
                        digits.append(character)
                        index += 1
                    } else if character == "_", let after = peek(1), digitValue(after, radix: radix) != nil {
                        digits.append(after)
                        index += 2
                    } else {
                        break
                    }
                }
                return true
            }
            func invalid() -> Token.Kind {
                while let character = peek(), isNameContinuation(character) || character == "." { index += 1 }
                return .invalid("invalid number '\(String(characters[start..<index]))'")
            }
            func endsCleanly() -> Bool {
                guard let character = peek() else { return true }
                return !isNameContinuation(character)
            }

            // Hexadecimal, octal, binary.
            if characters[index] == "0", let prefix = peek(1), let radix = radixForPrefix(prefix) {
                index += 2
                var digits = ""
                // Python allows one `_` right after the prefix: `0x_ff`.
                if peek() == "_", let after = peek(1), digitValue(after, radix: radix) != nil { index += 1 }
                guard scanDigits(radix: radix, into: &digits), endsCleanly() else { return invalid() }
                return integer(digits, radix: radix, start: start, characters: characters, end: index)
            }

            var text = ""
            var isFloat = false
            let hasIntegerPart = scanDigits(radix: 10, into: &text)
            if peek() == "." {
                index += 1
                text.append(".")
                isFloat = true
                if let character = peek(), isDigit(character) {
                    _ = scanDigits(radix: 10, into: &text)
                } else if !hasIntegerPart {
                    return invalid()
                }
            }
            if let marker = peek(), marker == "e" || marker == "E" {
                var ahead = 1
                if let sign = peek(1), sign == "+" || sign == "-" { ahead = 2 }
                if let digit = peek(ahead), isDigit(digit) {
                    index += ahead
                    text.append("e")
                    if ahead == 2 { text.append(characters[index - 1]) }
                    _ = scanDigits(radix: 10, into: &text)
                    isFloat = true
                }
            }
            guard endsCleanly() else { return invalid() }
            if isFloat {
                guard let value = Double(text) else { return invalid() }
                return .number(.float(value))
            }
            if text.count > 1, text.first == "0", text.contains(where: { $0 != "0" }) {
                return .invalid("leading zeros in decimal integer literals are not permitted: '\(String(characters[start..<index]))'")
            }
            return integer(text, radix: 10, start: start, characters: characters, end: index)
        }

        /// The value of an integer literal's digits, or an error beyond 2^53.
        static func integer(_ digits: String, radix: Int, start: Int, characters: [Character], end: Int) -> Token.Kind {
            var value = 0
            for character in digits {
                let (shifted, overflow1) = value.multipliedReportingOverflow(by: radix)
                let (sum, overflow2) = shifted.addingReportingOverflow(digitValue(character, radix: radix)!)
                if overflow1 || overflow2 || sum > PyValue.maxInteger {
                    return .invalid("integer literal '\(String(characters[start..<end]))' is beyond 2**53")
                }
                value = sum
            }
            return .number(.int(value))
        }

        static func radixForPrefix(_ character: Character) -> Int? {
            switch character {
            case "x", "X": return 16
            case "o", "O": return 8
            case "b", "B": return 2
            default: return nil
            }
        }

        static func digitValue(_ character: Character, radix: Int) -> Int? {
            guard let ascii = character.asciiValue else { return nil }
            let value: Int
            switch ascii {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = Int(ascii - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = Int(ascii - UInt8(ascii: "a")) + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): value = Int(ascii - UInt8(ascii: "A")) + 10
            default: return nil
            }
            return value < radix ? value : nil
        }

        static func isDigit(_ character: Character) -> Bool {
            digitValue(character, radix: 10) != nil
        }

        static func isNameStart(_ character: Character) -> Bool {
            guard let ascii = character.asciiValue else { return false }
            return (ascii >= UInt8(ascii: "a") && ascii <= UInt8(ascii: "z"))
                || (ascii >= UInt8(ascii: "A") && ascii <= UInt8(ascii: "Z"))
                || ascii == UInt8(ascii: "_")
        }

        static func isNameContinuation(_ character: Character) -> Bool {
            isNameStart(character) || isDigit(character)
        }

        /// `'$'`, or a Unicode escape for invisible characters.
        static func debugName(_ character: Character) -> String {
            if character.isWhitespace || character.unicodeScalars.contains(where: { $0.value < 0x20 }) {
                let scalars = character.unicodeScalars.map { "U+" + String($0.value, radix: 16, uppercase: true) }
                return scalars.joined(separator: " ")
            }
            return "'\(character)'"
        }
    }
}
