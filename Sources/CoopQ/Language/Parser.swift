/// A recursive-descent parser for `grammar/coopq.ebnf`. Each parse function carries its
/// production as a comment. The first error wins; nesting is bounded so that no input can
/// overflow the stack; an error at the end of the input is marked incomplete so the REPL
/// can ask for another line.
public struct Parser {
    /// How deep parentheses, sub-queries and `not` may nest.
    public static let maximumDepth = 128

    private let source: SourceFile
    private var tokens: [Token]
    private var index = 0
    private var depth = 0

    public init(_ source: SourceFile) throws(Diagnostic) {
        self.source = source
        self.tokens = try Lexer.tokenize(source)
    }

    /// Parses every statement of a source text.
    public static func parse(_ source: SourceFile) throws(Diagnostic) -> [Statement] {
        var parser = try Parser(source)
        var statements: [Statement] = []
        while let statement = try parser.nextStatement() { statements.append(statement) }
        return statements
    }

    /// The next statement, or nil at the end of the input.
    // script := { statement ( ";" | NEWLINE | EOF ) }
    public mutating func nextStatement() throws(Diagnostic) -> Statement? {
        conditions = 0
        while peek.isSymbol(";") { advance() }
        if peek.kind == .end { return nil }
        let statement = try parseStatement()
        let t = peek
        if t.isSymbol(";") { advance() }
        else if t.kind != .end && !(t.startsLine && !Parser.continuesStatement(t)) {
            throw unexpected(t, expected: "';' or the end of the line after a complete statement")
        }
        return statement
    }

    /// Words that begin a statement; a line starting with any other keyword or symbol continues
    /// the statement before it (`  and place = "Moscow"`).
    static let statementStarts: Set<String> = ["count", "let", "not", "explain", "min", "max", "sum", "avg", "distinct", "search", "why", "describe", "timeline"]

    /// Whether `text` starts with what continues a statement (`where ...`, `select ...`, `and ...`):
    /// the shell adds such a line to the statement it ran last, as a script would read them.
    public static func continuesPrevious(_ text: String) -> Bool {
        guard let first = try? Lexer.tokenize(SourceFile(name: "", text: text)).first, first.kind != .end else { return false }
        return continuesStatement(first)
    }

    static func continuesStatement(_ t: Token) -> Bool {
        guard t.kind == .keyword else { return t.kind == .symbol && t.text != "(" && t.text != ";" }
        return !statementStarts.contains(t.value)
    }

    private var peek: Token { tokens[index] }
    private func peekAhead(_ n: Int) -> Token { tokens[min(index + n, tokens.count - 1)] }

    @discardableResult
    private mutating func advance() -> Token {
        let t = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return t
    }

    /// The current token can go on the current statement: not a new line that starts another.
    private var onSameStatement: Bool {
        let t = peek
        return t.kind != .end && (depth > 0 || !t.startsLine || Parser.continuesStatement(t))
    }

    private func unexpected(_ t: Token, expected: String) -> Diagnostic {
        if t.kind == .end {
            return Diagnostic("unexpected end of input; expected \(expected)", at: t.range, incomplete: true)
        }
        return Diagnostic("unexpected \(describe(t)); expected \(expected)", at: t.range)
    }

    private func describe(_ t: Token) -> String {
        switch t.kind {
        case .end: return "end of input"
        case .string: return "string \(t.text.count > 30 ? String(t.text.prefix(27)) + "…" : t.text)"
        case .number: return "number \(t.text.count > 20 ? String(t.text.prefix(17)) + "…" : t.text)"
        case .date: return "date \(t.text)"
        case .keyword: return "'\(t.text)'"
        case .parameter: return "parameter \(t.text)"
        case .identifier, .symbol: return "'\(t.text.count > 30 ? String(t.text.prefix(27)) + "…" : t.text)'"
        }
    }

    private mutating func expectKeyword(_ word: String) throws(Diagnostic) -> Token {
        guard peek.isKeyword(word) else { throw unexpected(peek, expected: "'\(word)'") }
        return advance()
    }

    private mutating func expectSymbol(_ s: String, _ what: String) throws(Diagnostic) -> Token {
        guard peek.isSymbol(s) else { throw unexpected(peek, expected: what) }
        return advance()
    }

    private mutating func enter(_ t: Token) throws(Diagnostic) {
        depth += 1
        if depth > Parser.maximumDepth {
            throw Diagnostic("nesting is deeper than \(Parser.maximumDepth) levels", at: t.range)
        }
    }

    // statement := "let" NAME "=" query | "explain" "sql" query | query
    private mutating func parseStatement() throws(Diagnostic) -> Statement {
        let start = peek
        if start.isKeyword("explain") {
            advance()
            guard peek.kind == .identifier, peek.text.lowercased() == "sql" else { throw unexpected(peek, expected: "'sql' after 'explain'") }
            advance()
            let query = try parseQuery()
            return .explainSQL(query, range: start.range.union(query.range))
        }
        if start.isKeyword("let") {
            advance()
            guard peek.kind == .identifier else {
                throw peek.kind == .keyword
                    ? Diagnostic("'\(peek.text)' is a keyword and cannot name a result", at: peek.range)
                    : unexpected(peek, expected: "a name after 'let'")
            }
            let name = advance()
            _ = try expectSymbol("=", "'=' after 'let \(name.text)'")
            let query = try parseQuery()
            return .let(name: name.text, nameRange: name.range, query: query, range: start.range.union(query.range))
        }
        return .query(try parseQuery())
    }

    // query  := [ head ] source [ "where" expr ] [ "by" items ] [ "select" items ]
    //           [ "order" "by" order_item { "," order_item } ] [ "limit" NUMBER ]
    // head   := "count" | ( "min" | "max" | "sum" | "avg" | "distinct" ) operand "of" | NAME "of"
    //         | "search" [ "matches" ] STRING [ "in" ] | "why" | "describe" | "timeline"
    // source := NAME | "(" query ")"
    private mutating func parseQuery() throws(Diagnostic) -> Query {
        let first = peek
        var head = Head.records
        var impliedSource: Source?
        if peek.isKeyword("count") {
            advance()
            head = .count
        } else if peek.kind == .keyword, let aggregate = Aggregate(rawValue: peek.value) {
            let word = advance()
            let operand = try parseOperand()
            guard peek.isKeyword("of") else {
                throw unexpected(peek, expected: "'of' and a collection after '\(word.text) \(source.slice(operand.range))'")
            }
            advance()
            head = .aggregate(aggregate, operand)
        } else if peek.kind == .identifier, peekAhead(1).isKeyword("of") {
            let field = advance()
            advance()
            head = .related(field.text, field.range)
        } else if peek.isKeyword("search") {
            advance()
            var isRegex = false
            if peek.isKeyword("matches") { advance(); isRegex = true }
            guard peek.kind == .string else {
                throw unexpected(peek, expected: isRegex ? "a regular expression in quotes" : "a phrase in quotes after 'search'")
            }
            let pattern = advance()
            head = .search(pattern: pattern.value, isRegex: isRegex, patternRange: pattern.range)
            if onSameStatement, peek.isKeyword("in") { advance() } else { impliedSource = .name("documents", pattern.range) }
        } else if peek.isKeyword("why") {
            advance()
            head = .why
        } else if peek.isKeyword("describe") {
            advance()
            head = .describe
        } else if peek.isKeyword("timeline") {
            advance()
            head = .timeline
        }
        let querySource: Source
        if let impliedSource {
            querySource = impliedSource
        } else if peek.kind == .identifier {
            let t = advance()
            querySource = .name(t.text, t.range)
        } else if peek.isSymbol("(") {
            let open = advance()
            try enter(open)
            let inner = try parseQuery()
            let close = try expectSymbol(")", "')' to close '(' at \(position(of: open))")
            depth -= 1
            querySource = .query(inner, open.range.union(close.range))
        } else {
            let what: String
            switch head {
            case .records: what = "a collection such as 'events' or a statement"
            case .count: what = "a collection after 'count'"
            case .aggregate, .related: what = "a collection after 'of'"
            case .search: what = "a collection after 'in'"
            case .why: what = "a collection after 'why'"
            case .describe: what = "a collection after 'describe'"
            case .timeline: what = "a collection after 'timeline'"
            }
            throw unexpected(peek, expected: what)
        }
        var query = Query(head: head, source: querySource, filter: nil, groupBy: [], select: [], order: [], limit: nil,
                          limitRange: nil, range: first.range.union(querySource.range))
        if onSameStatement, peek.isKeyword("where") {
            advance()
            query.filter = try parseExpr(0)
        }
        if onSameStatement, peek.isKeyword("by") {
            let by = advance()
            switch head {
            case .count, .aggregate: break
            default: throw Diagnostic("'by' groups a count or an aggregate; write 'count \(query.sourceName) by …'", at: by.range)
            }
            query.groupBy = try parseItems(after: "by")
        }
        if onSameStatement, peek.isKeyword("select") {
            advance()
            query.select = try parseItems(after: "select")
        }
        if onSameStatement, peek.isKeyword("order") {
            advance()
            _ = try expectKeyword("by")
            repeat {
                let expr = try parseItemExpr(after: "order by")
                var descending = false
                if peek.isKeyword("desc") { advance(); descending = true } else if peek.isKeyword("asc") { advance() }
                query.order.append(OrderItem(expr: expr, descending: descending))
            } while try consumeComma()
        }
        if onSameStatement, peek.isKeyword("limit") {
            advance()
            guard peek.kind == .number else { throw unexpected(peek, expected: "a whole number after 'limit'") }
            let t = advance()
            guard let n = Int(t.text), n >= 0 else {
                throw Diagnostic("limit takes a whole number from 0 up, not \(t.text)", at: t.range)
            }
            query.limit = n
            query.limitRange = t.range
        }
        query.range = query.range.union(tokens[max(0, index - 1)].range)
        return query
    }

    private mutating func consumeComma() throws(Diagnostic) -> Bool {
        guard peek.isSymbol(",") else { return false }
        advance()
        return true
    }

    // items := item { "," item } ; item := operand [ "as" NAME ]
    private mutating func parseItems(after word: String) throws(Diagnostic) -> [SelectItem] {
        var items: [SelectItem] = []
        repeat {
            let expr = try parseItemExpr(after: word)
            var alias: String?
            var range = expr.range
            if peek.isKeyword("as") {
                advance()
                guard peek.kind == .identifier else { throw unexpected(peek, expected: "a column name after 'as'") }
                let t = advance()
                alias = t.text
                range = range.union(t.range)
            }
            items.append(SelectItem(expr: expr, alias: alias, range: range))
        } while try consumeComma()
        return items
    }

    private mutating func parseItemExpr(after word: String) throws(Diagnostic) -> Expr {
        if peek.kind == .end || peek.kind == .symbol && peek.text != "(" && peek.text != "-" || peek.kind == .keyword && !["count", "min", "max", "sum", "avg", "distinct"].contains(peek.value) {
            throw unexpected(peek, expected: "a field name after '\(word)'")
        }
        return try parseOperand()
    }

    /// Binding powers: `or` 1, `and` 2; `not` binds a comparison; comparisons do not chain.
    private static let precedence: [String: Int] = ["or": 1, "and": 2]

    /// How many conditions `and` and `or` may join in one expression: the tree they build is as
    /// deep as the chain is long, and checking it must not overflow the stack.
    public static let maximumConditions = 1000
    private var conditions = 0

    // expr := and_expr { "or" and_expr } ; and_expr := not_expr { "and" not_expr }
    private mutating func parseExpr(_ minimum: Int) throws(Diagnostic) -> Expr {
        var left = try parseNot()
        while onSameStatement, peek.kind == .keyword, let p = Parser.precedence[peek.value], p > minimum {
            let op = advance()
            conditions += 1
            if conditions > Parser.maximumConditions {
                throw Diagnostic("more than \(Parser.maximumConditions) conditions joined by 'and' and 'or'", at: op.range,
                                 notes: ["for many values of one field, write field in (\"a\", \"b\", …)"])
            }
            let right = try parseExpr(p)
            left = .binary(op.value == "and" ? .and : .or, left, right, left.range.union(right.range))
        }
        return left
    }

    // not_expr := "not" not_expr | comparison
    private mutating func parseNot() throws(Diagnostic) -> Expr {
        if peek.isKeyword("not") {
            let t = advance()
            try enter(t)
            defer { depth -= 1 }
            let inner = try parseNot()
            return .not(inner, t.range.union(inner.range))
        }
        return try parseComparison()
    }

    // comparison := [ "any" | "all" ] operand [ compare_op operand
    //             | [ "not" ] ( "in" | "contains" | "matches" ) operand
    //             | [ "not" ] "between" operand "and" operand
    //             | "is" [ "not" ] "null" ]
    private mutating func parseComparison() throws(Diagnostic) -> Expr {
        var quantifier: (Quantifier, Token)?
        if peek.isKeyword("any") || peek.isKeyword("all") {
            let t = advance()
            quantifier = (t.value == "any" ? .any : .all, t)
        }
        let left = try parseOperand()
        let t = peek
        var op: BinaryOperator?
        var negated = false
        if t.kind == .symbol {
            switch t.text {
            case "=": op = .equal
            case "!=", "<>": op = .notEqual
            case "<": op = .less
            case "<=": op = .lessEqual
            case ">": op = .greater
            case ">=": op = .greaterEqual
            default: break
            }
        } else if t.kind == .keyword {
            if t.value == "not", peekAhead(1).kind == .keyword, ["in", "contains", "matches", "between"].contains(peekAhead(1).value) {
                advance()
                negated = true
            }
            switch peek.value {
            case "in": op = .in
            case "contains": op = .contains
            case "matches": op = .matches
            case "between":
                advance()
                let low = try parseOperand()
                _ = try expectKeyword("and")
                let high = try parseOperand()
                if let (_, qt) = quantifier { throw Diagnostic("'\(qt.text)' goes with 'in', 'contains' or a comparison, not 'between'", at: qt.range) }
                return .between(left, low, high, negated: negated, left.range.union(high.range))
            case "is":
                guard !negated else { break }
                advance()
                var isNot = false
                if peek.isKeyword("not") { advance(); isNot = true }
                let nullToken = try expectKeyword("null")
                if let (_, qt) = quantifier { throw Diagnostic("'\(qt.text)' cannot go with 'is null'", at: qt.range) }
                return .isNull(left, negated: isNot, left.range.union(nullToken.range))
            default: break
            }
        }
        guard let op else {
            if let (_, qt) = quantifier {
                throw unexpected(peek, expected: "'in', 'contains', '=' or another comparison after '\(qt.text) \(source.slice(left.range))'")
            }
            return left
        }
        advance()
        let right = try parseOperand()
        let range = (quantifier?.1.range ?? left.range).union(right.range)
        if let (q, _) = quantifier { return .quantified(q, left, op, right, range) }
        return negated ? .notBinary(op, left, right, range) : .binary(op, left, right, range)
    }

    // operand := primary { "." NAME }
    // primary := STRING | NUMBER | DATE | "true" | "false" | "null" | PARAMETER | "count"
    //          | NAME [ "(" [ expr { "," expr } ] ")" ] | "-" operand
    //          | "(" query ")" | "(" expr ")" | "(" operand "," operand { "," operand } ")"
    private mutating func parseOperand() throws(Diagnostic) -> Expr {
        var e = try parsePrimary()
        while peek.isSymbol("."), peek.range.start == e.range.end {
            advance()
            let t = peek
            guard (t.kind == .identifier || t.isKeyword("count")), t.range.start == tokens[index - 1].range.end else {
                throw unexpected(t, expected: "a field name after '.'")
            }
            advance()
            e = .path(e, t.text.lowercased() == "count" ? "count" : t.text, e.range.union(t.range))
        }
        return e
    }

    private mutating func parsePrimary() throws(Diagnostic) -> Expr {
        let t = peek
        switch t.kind {
        case .string: advance(); return .literal(.string(t.value), t.range)
        case .number: advance(); return .literal(.number(Double(t.text) ?? 0), t.range)
        case .date: advance(); return .literal(.date(PartialDate(iso: t.text)!), t.range)
        case .parameter: advance(); return .parameter(t.value, t.range)
        case .identifier:
            advance()
            if peek.isSymbol("("), peek.range.start == t.range.end {
                let open = advance()
                try enter(open)
                defer { depth -= 1 }
                var arguments: [Expr] = []
                if !peek.isSymbol(")") {
                    repeat { arguments.append(try parseExpr(0)) } while try consumeComma()
                }
                let close = try expectSymbol(")", "')' to close '\(t.text)(' at \(position(of: open))")
                return .call(t.text, arguments, t.range.union(close.range))
            }
            return .name(t.text, t.range)
        case .keyword:
            switch t.value {
            case "true": advance(); return .literal(.bool(true), t.range)
            case "false": advance(); return .literal(.bool(false), t.range)
            case "null": advance(); return .literal(.null, t.range)
            case "count":
                // `count` names the count column of a `count ... by` result.
                advance()
                return .name("count", t.range)
            default:
                throw unexpected(t, expected: "a value or a field name")
            }
        case .symbol where t.text == "-":
            advance()
            try enter(t)
            defer { depth -= 1 }
            let inner = try parseOperand()
            return .negate(inner, t.range.union(inner.range))
        case .symbol where t.text == "(":
            advance()
            try enter(t)
            defer { depth -= 1 }
            // A sub-query: a head keyword, or a name followed by a clause keyword or 'of'.
            let next = peekAhead(1)
            if peek.kind == .keyword && (peek.value == "count" || Aggregate(rawValue: peek.value) != nil)
                || peek.kind == .identifier && next.kind == .keyword && ["where", "select", "order", "limit", "by", "of"].contains(next.value) {
                let query = try parseQuery()
                let close = try expectSymbol(")", "')' to close '(' at \(position(of: t))")
                return .subquery(query, t.range.union(close.range))
            }
            let first = try parseExpr(0)
            if peek.isSymbol(",") {
                var items = [first]
                while try consumeComma() { items.append(try parseOperand()) }
                let close = try expectSymbol(")", "')' to close '(' at \(position(of: t))")
                return .list(items, t.range.union(close.range))
            }
            _ = try expectSymbol(")", "')' to close '(' at \(position(of: t))")
            return first
        default:
            throw unexpected(t, expected: "a value or a field name")
        }
    }

    private func position(of t: Token) -> String {
        let (line, column) = source.location(of: t.range.start)
        return "\(line + source.firstLine - 1):\(column)"
    }
}
