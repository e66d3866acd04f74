/// Tab completion that knows the language and the data: keywords, collections and named
/// results, the fields of the collection in scope, and after `field =` the values that occur.
///
/// It reads the text before the cursor leniently (an open quote is the word being typed) and
/// returns where the word starts and the candidates that replace it. No terminal code here.
public struct Completer {
    public let engine: Engine

    public init(engine: Engine) { self.engine = engine }

    public struct Result: Equatable, Sendable {
        /// Byte offset in the line where the replaced word starts.
        public var start: Int
        public var candidates: [String]
    }

    static let clauseKeywords = ["where", "select", "order by", "limit", "by"]
    static let operators = ["=", "!=", "<", "<=", ">", ">=", "in", "not", "contains", "matches", "between", "is null", "is not null"]

    /// Candidates for the word that ends at `cursor` (a byte offset) in `text`, which may hold
    /// earlier lines of an unfinished statement.
    public func complete(_ text: String, cursor: Int) -> Result {
        let bytes = Array(text.utf8.prefix(cursor))
        // The word being typed: back to a space or a symbol; a quote starts a value.
        var start = bytes.count
        var inQuote: UInt8?
        var quoteStart = -1
        for (i, b) in bytes.enumerated() {
            if let q = inQuote { if b == q { inQuote = nil } } else if b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") { inQuote = b; quoteStart = i }
        }
        if inQuote != nil { start = quoteStart } else {
            while start > 0, !" \t\n(),=<>!;".utf8.contains(bytes[start - 1]) { start -= 1 }
        }
        let word = String(decoding: bytes[start...], as: UTF8.self)
        let before = String(decoding: bytes[..<start], as: UTF8.self)
        let context = Context(before, engine: engine)

        var candidates: [String]
        if inQuote != nil || word.hasPrefix("\"") || word.hasPrefix("'") || context.expectsValue {
            // Values match on what is typed inside the quote; the candidate replaces the quote too.
            let inner = word.first == "\"" || word.first == "'" ? String(word.dropFirst()).lowercased() : word.lowercased()
            var seen = Set<String>()
            let values = values(for: context).filter { $0.lowercased().hasPrefix(inner) && seen.insert($0).inserted }
            return Result(start: start, candidates: values.map { quoted($0, like: word) })
        } else {
            switch context.expectation {
            case .source: candidates = engine.sourceNames + ["count", "let", "search", "why", "describe", "timeline", "min", "max", "sum", "avg", "distinct"]
            case .countSource: candidates = engine.sourceNames
            case .clause: candidates = Completer.clauseKeywords + ["and", "or"]
            case .field: candidates = context.fields + ["not", "any", "all"]
            case .fieldList: candidates = context.fields
            case .operator: candidates = Completer.operators
            case .nothing: candidates = []
            }
        }
        let lower = word.lowercased()
        var seen = Set<String>()
        candidates = candidates.filter { $0.lowercased().hasPrefix(lower) && seen.insert($0).inserted }
        return Result(start: start, candidates: candidates)
    }

    /// The values of the field compared just before the cursor, most frequent first.
    private func values(for context: Context) -> [String] {
        guard let field = context.comparedField, let table = context.table, let i = table.columnIndex(field) else { return [] }
        var counts: [String: Int] = [:]
        for row in table.rows {
            switch row[i] {
            case .string(let s): counts[s, default: 0] += 1
            case .list(let items): for case .string(let s) in items { counts[s, default: 0] += 1 }
            default: break
            }
        }
        return counts.sorted { $0.value == $1.value ? $0.key < $1.key : $0.value > $1.value }.map(\.key)
    }

    /// A value in double quotes, escaped; a candidate keeps the quote the user opened with when it can.
    private func quoted(_ value: String, like word: String) -> String {
        if word.hasPrefix("'"), !value.contains("'") { return "'" + value + "'" }
        return Printer.literal(.string(value))
    }

    /// What the text before the word says should come next.
    struct Context {
        enum Expectation { case source, countSource, clause, field, fieldList, `operator`, nothing }
        var expectation: Expectation = .source
        var table: Table?
        var fields: [String] = []
        var comparedField: String?
        var expectsValue = false

        init(_ text: String, engine: Engine) {
            let words = Context.words(text)
            // The collection in scope: the last name that follows a statement start, `count`, or `(`.
            var scope: String?
            var previous = ""
            for w in words {
                if ["", ";", "count", "(", "of", "why", "timeline", "describe", "in"].contains(previous) || previous == "=" && words.first == "let" {
                    if engine.sourceNames.contains(w) { scope = w }
                }
                previous = w.lowercased()
            }
            if let scope {
                if let c = Collection(rawValue: scope) { table = engine.leanTable(c) } else { table = engine.named[scope] }
                fields = table?.columns.map(\.name) ?? []
            }
            let last = words.last?.lowercased() ?? ""
            let secondLast = words.count > 1 ? words[words.count - 2].lowercased() : ""
            switch last {
            case "", ";": expectation = .source
            case "count", "of", "why", "timeline", "describe": expectation = .countSource
            case "where", "and", "or", "not", "(", "any", "all": expectation = .field
            case "select", "by", ",": expectation = .fieldList
            case "order": expectation = .clause
            case "=", "!=", "<>", "<", "<=", ">", ">=", "in", "contains", "matches", "between":
                expectsValue = true
                // The field compared: the word before the operator (or before "not in").
                var k = words.count - 2
                if k >= 0, words[k].lowercased() == "not" { k -= 1 }
                if k >= 0 { comparedField = words[k] }
                if last == "in", k >= 0, table?.columnIndex(words[k]) == nil { expectsValue = false; expectation = .field }
            case "limit", "let": expectation = .nothing
            default:
                if engine.sourceNames.contains(words.last ?? "") && ["", ";", "count", "(", "of", "why", "timeline"].contains(secondLast) {
                    expectation = .clause
                } else if fields.contains(words.last ?? "") {
                    expectation = ["select", "by", ","].contains(secondLast) ? .clause : .operator
                } else {
                    expectation = .clause
                }
            }
            // Inside a list after `in (`: values of the field before `in`.
            if last == "(", secondLast == "in", words.count >= 3 {
                comparedField = words[words.count - 3]
                expectsValue = table?.columnIndex(comparedField!) != nil
            }
            if last == ",", let open = words.lastIndex(of: "("), open >= 2, words[open - 1].lowercased() == "in" {
                comparedField = words[open - 2]
                expectsValue = table?.columnIndex(comparedField!) != nil
            }
        }

        /// Words and symbols of the text, strings kept whole.
        static func words(_ text: String) -> [String] {
            var words: [String] = []
            var current = ""
            var quote: Character?
            func flush() { if !current.isEmpty { words.append(current); current = "" } }
            var chars = Array(text)
            var i = 0
            while i < chars.count {
                let c = chars[i]
                if let q = quote {
                    current.append(c)
                    if c == q { quote = nil; flush() }
                } else if c == "\"" || c == "'" {
                    flush(); quote = c; current.append(c)
                } else if c == "-", i + 1 < chars.count, chars[i + 1] == "-" {
                    while i < chars.count, chars[i] != "\n" { i += 1 }
                    continue
                } else if c.isWhitespace {
                    flush()
                } else if "(),;".contains(c) {
                    flush(); words.append(String(c))
                } else if "=<>!".contains(c) {
                    if let last = current.last, "=<>!".contains(last) { current.append(c) } else { flush(); current.append(c) }
                    if i + 1 >= chars.count || !"=<>".contains(chars[i + 1]) { flush() }
                } else {
                    if let last = current.last, "=<>!".contains(last) { flush() }
                    current.append(c)
                }
                i += 1
            }
            flush()
            chars.removeAll()
            return words
        }
    }
}
