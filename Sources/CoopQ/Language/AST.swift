/// A statement of the language. Each node carries its source range.
public enum Statement: Equatable, Sendable {
    case query(Query)
    case `let`(name: String, nameRange: SourceRange, query: Query, range: SourceRange)

    public var range: SourceRange {
        switch self {
        case .query(let q): return q.range
        case .let(_, _, _, let r): return r
        }
    }
}

/// `[count] SOURCE [where EXPR] [by KEYS] [select ITEMS] [order by ITEMS] [limit N]`
public struct Query: Equatable, Sendable {
    public var isCount: Bool
    public var source: String
    public var sourceRange: SourceRange
    public var filter: Expr?
    public var groupBy: [FieldRef]
    public var select: [FieldRef]
    public var order: [OrderItem]
    public var limit: Int?
    public var limitRange: SourceRange?
    public var range: SourceRange
}

public struct FieldRef: Equatable, Sendable {
    public var name: String
    public var range: SourceRange
}

public struct OrderItem: Equatable, Sendable {
    public var field: FieldRef
    public var descending: Bool
}

public enum BinaryOperator: String, Equatable, Sendable {
    case and, or
    case equal = "=", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
    case contains, matches, `in`

    public var isComparison: Bool { self != .and && self != .or }
}

public enum Quantifier: String, Equatable, Sendable { case any, all }

/// An expression inside `where`.
public indirect enum Expr: Equatable, Sendable {
    case literal(Value, SourceRange)
    /// A name: a field of the collection in scope, or a named result (`let`) or collection used as a list.
    case name(String, SourceRange)
    case parameter(String, SourceRange)
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
        case .literal(_, let r), .name(_, let r), .parameter(_, let r), .list(_, let r), .subquery(_, let r),
             .not(_, let r), .negate(_, let r), .binary(_, _, _, let r), .notBinary(_, _, _, let r),
             .between(_, _, _, _, let r), .isNull(_, _, let r), .quantified(_, _, _, _, let r):
            return r
        }
    }
}
