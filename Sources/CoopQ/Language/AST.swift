/// A statement of the language. Each node carries its source range.
public indirect enum Statement: Equatable, Sendable {
    case query(Query)
    case `let`(name: String, nameRange: SourceRange, query: Query, range: SourceRange)
    /// `explain sql QUERY`: the standard SQL of the query over the exported tables.
    case explainSQL(Query, range: SourceRange)

    public var range: SourceRange {
        switch self {
        case .query(let q): return q.range
        case .let(_, _, _, let r), .explainSQL(_, let r): return r
        }
    }
}

/// What a query computes from its source's records.
public enum Head: Equatable, Sendable {
    /// The records themselves.
    case records
    /// `count SOURCE`
    case count
    /// `min|max|sum|avg|distinct EXPR of SOURCE`
    case aggregate(Aggregate, Expr)
    /// `FIELD of SOURCE`: the records the field names (`participants of events` are people).
    case related(String, SourceRange)
    /// `search ["matches"] "phrase" [in SOURCE]`: keyword in context over the source's documents.
    case search(pattern: String, isRegex: Bool, patternRange: SourceRange)
    /// `why SOURCE`: each record with the sentences its facts came from.
    case why
    /// `describe SOURCE`: fields, types, how many records have each, the most frequent values.
    case describe
    /// `timeline SOURCE`: records laid out by date.
    case timeline
}

public enum Aggregate: String, Equatable, Sendable, CaseIterable { case min, max, sum, avg, distinct }

/// Where a query's records come from: a collection, a named result, or a query in parentheses.
public indirect enum Source: Equatable, Sendable {
    case name(String, SourceRange)
    case query(Query, SourceRange)

    public var range: SourceRange {
        switch self {
        case .name(_, let r), .query(_, let r): return r
        }
    }
}

/// `[HEAD] SOURCE [where EXPR] [by EXPRS] [select ITEMS] [order by ITEMS] [limit N]`
public struct Query: Equatable, Sendable {
    public var head: Head
    public var source: Source
    public var filter: Expr?
    public var groupBy: [SelectItem]
    public var select: [SelectItem]
    public var order: [OrderItem]
    public var limit: Int?
    public var limitRange: SourceRange?
    public var range: SourceRange

    public var isCount: Bool { head == .count }
    /// The source's name, for messages ("unknown field 'x' in events").
    public var sourceName: String {
        switch source {
        case .name(let n, _): return n
        case .query(let q, _): return q.resultName
        }
    }
    /// What the result holds, for messages.
    public var resultName: String {
        switch head {
        case .related(let f, _): return f
        case .search: return "the search hits"
        case .why: return "the facts"
        case .describe: return "the description"
        case .count, .aggregate: return "the result"
        case .records, .timeline: return sourceName
        }
    }
}

/// An expression in `select` or `by`, with an optional name: `len(participants) as n`.
public struct SelectItem: Equatable, Sendable {
    public var expr: Expr
    public var alias: String?
    public var range: SourceRange

    /// The result column's name: the alias, else the expression as written.
    public var name: String { alias ?? Printer.print(expr) }
}

public struct OrderItem: Equatable, Sendable {
    public var expr: Expr
    public var descending: Bool
}

public enum BinaryOperator: String, Equatable, Sendable {
    case and, or
    case equal = "=", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
    case contains, matches, `in`

    public var isComparison: Bool { self != .and && self != .or }
}

public enum Quantifier: String, Equatable, Sendable { case any, all }

/// An expression.
public indirect enum Expr: Equatable, Sendable {
    case literal(Value, SourceRange)
    /// A name: a field of the collection in scope, or a named result or collection used as a list.
    case name(String, SourceRange)
    /// `participants.count`, `participants.country`: a field of the records a field names.
    case path(Expr, String, SourceRange)
    case parameter(String, SourceRange)
    /// `lower(name)`, `days_between(date, 2025-11-01)`
    case call(String, [Expr], SourceRange)
    /// `("forum", "roundtable")`
    case list([Expr], SourceRange)
    /// `(people where country = "Russia")`
    case subquery(Query, SourceRange)
    case not(Expr, SourceRange)
    case negate(Expr, SourceRange)
    case binary(BinaryOperator, Expr, Expr, SourceRange)
    /// `x not in y`, `x not contains y`, `x not matches y`
    case notBinary(BinaryOperator, Expr, Expr, SourceRange)
    case between(Expr, Expr, Expr, negated: Bool, SourceRange)
    case isNull(Expr, negated: Bool, SourceRange)
    /// `any participants in russians`, `all topics in ("trade", "energy")`
    case quantified(Quantifier, Expr, BinaryOperator, Expr, SourceRange)

    public var range: SourceRange {
        switch self {
        case .literal(_, let r), .name(_, let r), .path(_, _, let r), .parameter(_, let r), .call(_, _, let r), .list(_, let r),
             .subquery(_, let r), .not(_, let r), .negate(_, let r), .binary(_, _, _, let r), .notBinary(_, _, _, let r),
             .between(_, _, _, _, let r), .isNull(_, _, let r), .quantified(_, _, _, _, let r):
            return r
        }
    }
}
