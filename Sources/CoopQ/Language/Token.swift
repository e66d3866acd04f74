/// One lexical token: its kind, its exact text and where it stands.
public struct Token: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        case identifier, keyword, string, number, date, parameter
        case symbol            // = != <> < <= > >= ( ) , ; . * -
        case end
    }
    public var kind: Kind
    public var text: String
    public var range: SourceRange
    /// A line break stands between the previous token and this one.
    public var startsLine: Bool
    /// For strings: the value with escapes resolved. For numbers: the number's text.
    public var value: String

    public func isKeyword(_ word: String) -> Bool { kind == .keyword && text.lowercased() == word }
    public func isSymbol(_ s: String) -> Bool { kind == .symbol && text == s }
}

/// Reserved words of the language; everything else that looks like a word is a name.
public let keywords: Set<String> = [
    "where", "and", "or", "not", "select", "order", "by", "asc", "desc", "limit",
    "count", "let", "between", "in", "contains", "matches", "is", "null", "true", "false",
    "any", "all", "of", "as", "min", "max", "sum", "avg", "distinct", "search", "why", "describe", "timeline", "explain",
]
