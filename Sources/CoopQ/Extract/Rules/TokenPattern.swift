/// A pattern over the tokens of one sentence, in the small language of the rule files
/// (`Sources/CoopQ/Rules/*.rules`), after spaCy's Matcher and CoreNLP's TokensRegex:
///
///     caller:PERSON (held | had) (a | an)? @callWords (call | conversation) with callee:PERSON
///
/// - `held`: a word, in any case (its match key); `"'s"` or `","` in quotes: any token so written.
/// - `@name`: a word of the word list `name` in `wordlists.tsv`.
/// - `PERSON`, `PLACE`, `ORG`, `DATE`: a whole span of an earlier layer (a person found by the
///   people stage, a place or an organization of the gazetteer, a date of the dates layer).
/// - `CAP` a capitalised word, `NUM` a number, `ORD` an ordinal ("6th", "sixth"), `WORD` any word,
///   `ANY` any token.
/// - `( a | b c )`: alternatives; `?`, `*`, `+` after an element: optional, any number, at least one.
/// - `name:element`: a capture, which the rule's production names (`{caller}`).
struct TokenPattern: Sendable {
    // (Not `indirect`: the arrays already hold the nested nodes, and the boxes of an indirect enum,
    // pointed at with tag bits set, are taken for leaks by LeakSanitizer.)
    enum Node: Sendable {
        case word(String)
        case text(String)
        case list(String)
        case layer(Layer)
        case shape(Shape)
        case sequence([Item])
        case alternatives([Node])
    }

    enum Layer: String, Sendable { case person = "PERSON", place = "PLACE", organization = "ORG", date = "DATE" }
    enum Shape: String, Sendable { case capitalized = "CAP", number = "NUM", ordinal = "ORD", word = "WORD", any = "ANY" }

    struct Item: Sendable {
        var node: Node
        var min = 1
        var max = 1
        var capture: String?
    }

    let root: Node
    /// The names of its captures, in the order they are written.
    let captures: [String]

    struct ParseError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    init(_ source: String) throws(ParseError) {
        var parser = PatternParser(source)
        root = try parser.parse()
        captures = parser.captures
    }

    /// Words that every match holds one of: the rule need be tried only in a sentence with one of
    /// them (nil when no element is both required and made of words alone).
    var triggerWords: Set<String>? { Self.required(root) }

    private static func words(_ node: Node) -> Set<String>? {
        switch node {
        case .word(let w): return [w]
        case .alternatives(let options):
            var all: Set<String> = []
            for o in options { guard let w = words(o) else { return nil }; all.formUnion(w) }
            return all
        case .sequence(let items) where items.count == 1 && items[0].min >= 1: return words(items[0].node)
        default: return nil
        }
    }

    private static func required(_ node: Node) -> Set<String>? {
        guard case .sequence(let items) = node else { return words(node) }
        // Of the required elements made of words, the one whose words are longest on average:
        // "call" or "conversation" rather than "with", which nearly every sentence has.
        let candidates = items.filter { $0.min >= 1 }.compactMap { words($0.node) ?? required($0.node) }
        func length(_ w: Set<String>) -> Double { Double(w.reduce(0) { $0 + $1.count }) / Double(max(1, w.count)) }
        return candidates.max { length($0) < length($1) }
    }
}

/// Reads the pattern language (see `TokenPattern`).
private struct PatternParser {
    let scalars: [Character]
    var i = 0
    var captures: [String] = []

    init(_ source: String) { scalars = Array(source) }

    mutating func parse() throws(TokenPattern.ParseError) -> TokenPattern.Node {
        let node = try alternatives()
        skipSpace()
        guard i == scalars.count else { throw fail("unexpected '\(scalars[i])'") }
        return node
    }

    func fail(_ message: String) -> TokenPattern.ParseError { TokenPattern.ParseError(message: "\(message) at column \(i + 1)") }

    mutating func skipSpace() { while i < scalars.count, scalars[i] == " " || scalars[i] == "\t" { i += 1 } }

    mutating func alternatives() throws(TokenPattern.ParseError) -> TokenPattern.Node {
        var options = [try sequence()]
        skipSpace()
        while i < scalars.count, scalars[i] == "|" {
            i += 1
            options.append(try sequence())
            skipSpace()
        }
        return options.count == 1 ? options[0] : .alternatives(options)
    }

    mutating func sequence() throws(TokenPattern.ParseError) -> TokenPattern.Node {
        var items: [TokenPattern.Item] = []
        while true {
            skipSpace()
            guard i < scalars.count, scalars[i] != "|", scalars[i] != ")" else { break }
            items.append(try item())
        }
        guard !items.isEmpty else { throw fail("an empty pattern") }
        return .sequence(items)
    }

    mutating func name() -> String {
        let start = i
        while i < scalars.count, scalars[i].isLetter || scalars[i].isNumber || scalars[i] == "-" || scalars[i] == "_" || scalars[i] == "'" { i += 1 }
        return String(scalars[start..<i])
    }

    mutating func item() throws(TokenPattern.ParseError) -> TokenPattern.Item {
        var capture: String?
        let save = i
        let label = name()
        if !label.isEmpty, i < scalars.count, scalars[i] == ":" {
            i += 1
            capture = label
            captures.append(label)
        } else {
            i = save
        }
        var item = TokenPattern.Item(node: try atom(), capture: capture)
        if i < scalars.count {
            switch scalars[i] {
            case "?": item.min = 0; i += 1
            case "*": item.min = 0; item.max = .max; i += 1
            case "+": item.max = .max; i += 1
            default: break
            }
        }
        return item
    }

    mutating func atom() throws(TokenPattern.ParseError) -> TokenPattern.Node {
        guard i < scalars.count else { throw fail("a pattern ends where an element was expected") }
        switch scalars[i] {
        case "(":
            i += 1
            let inner = try alternatives()
            skipSpace()
            guard i < scalars.count, scalars[i] == ")" else { throw fail("a '(' is not closed") }
            i += 1
            return inner
        case "\"":
            i += 1
            let start = i
            while i < scalars.count, scalars[i] != "\"" { i += 1 }
            guard i < scalars.count else { throw fail("a quote is not closed") }
            defer { i += 1 }
            return .text(String(scalars[start..<i]))
        case "@":
            i += 1
            let list = name()
            guard !list.isEmpty else { throw fail("'@' names no word list") }
            return .list(list)
        default:
            let word = name()
            guard !word.isEmpty else { throw fail("unexpected '\(scalars[i])'") }
            if let layer = TokenPattern.Layer(rawValue: word) { return .layer(layer) }
            if let shape = TokenPattern.Shape(rawValue: word) { return .shape(shape) }
            guard word == word.lowercased() else { throw fail("'\(word)' is neither a word (written in lower case) nor a class") }
            return .word(word)
        }
    }
}
