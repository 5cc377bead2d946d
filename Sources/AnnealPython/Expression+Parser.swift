extension Expression {
    /// A recursive-descent parser for the expression grammar (see
    /// ``Expression``), building the ``Node`` tree.
    struct Parser {
        let source: String
        /// The tokens, ending with `.end`; a lexical error is an `.invalid`
        /// token, reported only when the parser reaches it, so errors come
        /// out in source order.
        let tokens: [Token]
        var position = 0
        var depth = 0
        var variables: Set<String> = []

        /// A bound on the depth of the tree (and so on the recursion of
        /// parsing and evaluation): parentheses, unary operators, `**`,
        /// conditionals and each operator of a chain like `a + b + c` count
        /// one level. CPython allows 200 levels of parentheses.
        static let maximumDepth = 200

        static let names: [String: Node] = [
            "epoch": .variable,
            "x": .variable,
            "pi": .constant(.float(3.141592653589793)),
            "e": .constant(.float(2.718281828459045)),
        ]

        init(_ source: String) {
            self.source = source
            self.tokens = Lexer.tokenize(source)
        }

        mutating func parseExpression() throws(ExpressionSyntaxError) -> Node {
            if case .end = tokens[0].kind {
                throw error("empty expression", at: tokens[0].offset)
            }
            let node = try parseConditional()
            let token = tokens[position]
            switch token.kind {
            case .end:
                return node
            case .invalid(let message):
                throw error(message, at: token.offset)
            default:
                throw error("unexpected \(token.text) after the expression", at: token.offset)
            }
        }

        // MARK: Grammar rules

        /// `cond := compare ("if" compare "else" cond)?`
        mutating func parseConditional() throws(ExpressionSyntaxError) -> Node {
            let saved = depth
            defer { depth = saved }
            try enter()
            let body = try parseComparison()
            guard isKeyword("if") else { return body }
            position += 1
            let test = try parseComparison()
            guard isKeyword("else") else { throw unexpected(expecting: "'else'") }
            position += 1
            let orElse = try parseConditional()
            return .conditional(body: body, test: test, orElse: orElse)
        }

        /// `compare := sum (("<" | "<=" | ">" | ">=" | "==" | "!=") sum)?`
        mutating func parseComparison() throws(ExpressionSyntaxError) -> Node {
            let left = try parseSum()
            let op: Opcode
            switch tokens[position].kind {
            case .symbol(.less): op = .less
            case .symbol(.lessOrEqual): op = .lessOrEqual
            case .symbol(.greater): op = .greater
            case .symbol(.greaterOrEqual): op = .greaterOrEqual
            case .symbol(.equal): op = .equal
            case .symbol(.notEqual): op = .notEqual
            default: return left
            }
            position += 1
            let right = try parseSum()
            if case .symbol(let symbol) = tokens[position].kind, symbol.isComparison {
                // Python would chain `a < b < c` as `a < b and b < c`.
                throw error("chained comparisons are not supported", at: tokens[position].offset)
            }
            return .comparison(op, left, right)
        }

        /// `sum := term (("+" | "-") term)*`
        mutating func parseSum() throws(ExpressionSyntaxError) -> Node {
            try parseLeftAssociative({ (parser) throws(ExpressionSyntaxError) in try parser.parseTerm() }) { symbol in
                switch symbol {
                case .plus: return .add
                case .minus: return .subtract
                default: return nil
                }
            }
        }

        /// `term := unary (("*" | "/" | "//" | "%") unary)*`
        mutating func parseTerm() throws(ExpressionSyntaxError) -> Node {
            try parseLeftAssociative({ (parser) throws(ExpressionSyntaxError) in try parser.parseUnary() }) { symbol in
                switch symbol {
                case .star: return .multiply
                case .slash: return .trueDivide
                case .doubleSlash: return .floorDivide
                case .percent: return .modulo
                default: return nil
                }
            }
        }

        /// One level of left-associative binary operators, `operand (OP
        /// operand)*`, where `opcode` gives the opcode of the symbols that
        /// are an OP of this level; each operator nests one level deeper.
        mutating func parseLeftAssociative(
            _ operand: (inout Parser) throws(ExpressionSyntaxError) -> Node,
            opcode: (Symbol) -> Opcode?
        ) throws(ExpressionSyntaxError) -> Node {
            let saved = depth
            defer { depth = saved }
            var node = try operand(&self)
            while case .symbol(let symbol) = tokens[position].kind, let op = opcode(symbol) {
                try enter()
                position += 1
                node = .binary(op, node, try operand(&self))
            }
            return node
        }

        /// `unary := ("-" | "+") unary | power`
        mutating func parseUnary() throws(ExpressionSyntaxError) -> Node {
            let op: Opcode
            switch tokens[position].kind {
            case .symbol(.minus): op = .negate
            case .symbol(.plus): op = .positive
            default: return try parsePower()
            }
            let saved = depth
            defer { depth = saved }
            try enter()
            position += 1
            return .unary(op, try parseUnary())
        }

        /// `power := atom ("**" unary)?` — right-associative through `unary`.
        mutating func parsePower() throws(ExpressionSyntaxError) -> Node {
            let base = try parseAtom()
            guard case .symbol(.doubleStar) = tokens[position].kind else { return base }
            let saved = depth
            defer { depth = saved }
            try enter()
            position += 1
            return .binary(.power, base, try parseUnary())
        }

        /// `atom := NUMBER | NAME | CALL | "(" expr ")"`
        mutating func parseAtom() throws(ExpressionSyntaxError) -> Node {
            let token = tokens[position]
            switch token.kind {
            case .number(let value):
                position += 1
                return .constant(value)
            case .symbol(.leftParenthesis):
                position += 1
                let node = try parseConditional()
                guard case .symbol(.rightParenthesis) = tokens[position].kind else {
                    throw unexpected(expecting: "')'")
                }
                position += 1
                return node
            case .name(let name):
                return try parseName(name, at: token.offset)
            case .invalid(let message):
                throw error(message, at: token.offset)
            case .symbol, .end:
                throw unexpected(expecting: "an operand")
            }
        }

        /// A `NAME` or a `CALL`.
        mutating func parseName(_ name: String, at offset: Int) throws(ExpressionSyntaxError) -> Node {
            let isCall: Bool
            if case .symbol(.leftParenthesis) = tokens[position + 1].kind { isCall = true } else { isCall = false }
            if name == "if" || name == "else" {
                throw unexpected(expecting: "an operand")
            }
            if let node = Self.names[name] {
                if isCall { throw error("'\(name)' is not a function", at: offset) }
                if case .variable = node { variables.insert(name) }
                position += 1
                return node
            }
            guard name == "min" || name == "max" || Function(rawValue: name) != nil else {
                throw error(isCall ? "unknown function '\(name)'" : "unknown name '\(name)'", at: offset)
            }
            guard isCall else { throw error("function '\(name)' must be called", at: offset) }
            position += 2
            let saved = depth
            defer { depth = saved }
            var arguments: [Node] = []
            while true {
                arguments.append(try parseConditional())
                if case .symbol(.comma) = tokens[position].kind {
                    try enter()  // min/max nest one level per argument
                    position += 1
                    continue
                }
                guard case .symbol(.rightParenthesis) = tokens[position].kind else {
                    throw unexpected(expecting: "',' or ')'")
                }
                position += 1
                break
            }
            let count = arguments.count
            switch name {
            case "min", "max":
                guard count >= 2 else {
                    throw error("'\(name)' takes at least 2 arguments, got \(count)", at: offset)
                }
                let isMax = name == "max"
                return arguments.dropFirst().reduce(arguments[0]) { .extremum(isMax: isMax, $0, $1) }
            case "log":
                guard count <= 2 else {
                    throw error("'log' takes 1 or 2 arguments, got \(count)", at: offset)
                }
                return count == 2 ? .logWithBase(arguments[0], arguments[1]) : .call(.log, arguments[0])
            default:
                guard count == 1 else {
                    throw error("'\(name)' takes 1 argument, got \(count)", at: offset)
                }
                return .call(Function(rawValue: name)!, arguments[0])
            }
        }

        // MARK: Helpers

        func isKeyword(_ keyword: String) -> Bool {
            if case .name(let name) = tokens[position].kind { return name == keyword }
            return false
        }

        mutating func enter() throws(ExpressionSyntaxError) {
            depth += 1
            if depth > Self.maximumDepth {
                throw error("expression is nested too deeply", at: tokens[position].offset)
            }
        }

        func error(_ message: String, at offset: Int) -> ExpressionSyntaxError {
            ExpressionSyntaxError(source: source, offset: offset, message: message)
        }

        /// The error for the current token when `expected` should be there.
        func unexpected(expecting expected: String) -> ExpressionSyntaxError {
            let token = tokens[position]
            switch token.kind {
            case .invalid(let message):
                return error(message, at: token.offset)
            case .end:
                return error("expected \(expected)", at: token.offset)
            default:
                return error("expected \(expected), found \(token.text)", at: token.offset)
            }
        }
    }
}
