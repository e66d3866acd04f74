/// Turns an AST back into canonical source: one spacing, keywords in lower case, strings
/// in double quotes, parentheses only where precedence needs them. Parser tests compare
/// `printed` forms, and the REPL can show a statement as it was understood.
public enum Printer {
    public static func print(_ statement: Statement) -> String {
        switch statement {
        case .query(let q): return print(q)
        case .let(let name, _, let q, _): return "let \(name) = \(print(q))"
        case .explainSQL(let q, _): return "explain sql " + print(q)
        }
    }

    public static func print(_ q: Query) -> String {
        var parts: [String] = []
        switch q.head {
        case .records: break
        case .count: parts.append("count")
        case .aggregate(let a, let e): parts.append(a.rawValue + " " + print(e, context: 4) + " of")
        case .related(let f, _): parts.append(f + " of")
        case .search(let pattern, let isRegex, _):
            parts.append("search " + (isRegex ? "matches " : "") + literal(.string(pattern)))
            if !isImplied(q) { parts.append("in") }
        case .why: parts.append("why")
        case .describe: parts.append("describe")
        case .timeline: parts.append("timeline")
        }
        if case .search = q.head, isImplied(q) {} else {
            switch q.source {
            case .name(let n, _): parts.append(n)
            case .query(let inner, _): parts.append("(" + print(inner) + ")")
            }
        }
        if let filter = q.filter { parts.append("where " + print(filter)) }
        if !q.groupBy.isEmpty { parts.append("by " + q.groupBy.map(print).joined(separator: ", ")) }
        if !q.select.isEmpty { parts.append("select " + q.select.map(print).joined(separator: ", ")) }
        if !q.order.isEmpty {
            parts.append("order by " + q.order.map { print($0.expr, context: 4) + ($0.descending ? " desc" : "") }.joined(separator: ", "))
        }
        if let limit = q.limit { parts.append("limit \(limit)") }
        return parts.joined(separator: " ")
    }

    /// A search with no `in`: its source, the documents, is implied (its range is the phrase's).
    static func isImplied(_ q: Query) -> Bool {
        guard case .search(_, _, let patternRange) = q.head, case .name(_, let r) = q.source else { return false }
        return r == patternRange
    }

    static func print(_ item: SelectItem) -> String {
        print(item.expr, context: 4) + (item.alias.map { " as " + $0 } ?? "")
    }

    public static func print(_ e: Expr) -> String { print(e, context: 0) }

    /// `context` is the binding power of the surrounding operator: 1 under `or`, 2 under `and`, 3 under `not`.
    private static func print(_ e: Expr, context: Int) -> String {
        switch e {
        case .literal(let v, _): return literal(v)
        case .name(let n, _): return n
        case .path(let base, let field, _): return print(base, context: 4) + "." + field
        case .call(let name, let args, _): return name + "(" + args.map { print($0, context: 0) }.joined(separator: ", ") + ")"
        case .parameter(let n, _): return "$" + n
        case .list(let items, _): return "(" + items.map { print($0, context: 4) }.joined(separator: ", ") + ")"
        case .subquery(let q, _): return "(" + print(q) + ")"
        case .not(let inner, _):
            let s = "not " + print(inner, context: 3)
            return context > 3 ? "(" + s + ")" : s
        case .negate(let inner, _): return "-" + print(inner, context: 4)
        case .binary(let op, let l, let r, _) where !op.isComparison:
            let p = op == .or ? 1 : 2
            let s = print(l, context: p) + " " + op.rawValue + " " + print(r, context: p + 1)
            return context > p ? "(" + s + ")" : s
        case .binary(let op, let l, let r, _):
            return wrap(print(l, context: 4) + " " + op.rawValue + " " + print(r, context: 4), context)
        case .notBinary(let op, let l, let r, _):
            return wrap(print(l, context: 4) + " not " + op.rawValue + " " + print(r, context: 4), context)
        case .between(let x, let lo, let hi, let negated, _):
            return wrap(print(x, context: 4) + (negated ? " not" : "") + " between " + print(lo, context: 4) + " and " + print(hi, context: 4), context)
        case .isNull(let x, let negated, _):
            return wrap(print(x, context: 4) + (negated ? " is not null" : " is null"), context)
        case .quantified(let q, let l, let op, let r, _):
            return wrap(q.rawValue + " " + print(l, context: 4) + " " + op.rawValue + " " + print(r, context: 4), context)
        }
    }

    private static func wrap(_ s: String, _ context: Int) -> String { context > 3 ? "(" + s + ")" : s }

    public static func literal(_ v: Value) -> String {
        switch v {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(let n): return Value.format(number: n)
        case .date(let d): return d.description
        case .string(let s):
            var out = "\""
            for c in s {
                switch c {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\t": out += "\\t"
                default: out.append(c)
                }
            }
            return out + "\""
        case .list(let items): return "(" + items.map(literal).joined(separator: ", ") + ")"
        }
    }
}
