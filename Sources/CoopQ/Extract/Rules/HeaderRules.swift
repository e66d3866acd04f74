/// Lines of a page's header read by the rules of `Rules/header.rules` (`RuleBook`): a rule whose
/// pattern matches a whole line gives the document's date, source, authors, title or place from
/// its captures. The rules are tried before the built-in readings of `HeaderParser`, so a rule
/// can also correct a line those read wrongly.
enum HeaderRules {
    struct Rule: Sendable {
        let name: String
        let pattern: CompiledPattern
        let fields: [(field: RuleBook.HeaderField, capture: String)]
    }

    /// What a rule read from a line.
    struct Reading: Equatable {
        var rule: String
        var date: PartialDate?
        var source: String?
        var authors: [String] = []
        var title: String?
        var place: String?
    }

    static let rules: [Rule] = RuleBook.shared.headerRules.compactMap { rule in
        guard case .header(let fields) = rule.production else { return nil }
        return Rule(name: rule.name, pattern: CompiledPattern(rule.pattern), fields: fields)
    }

    /// Every rule's trigger words as a line may write them (in lower case, capitalised, in capitals),
    /// when each rule has some: a line with none of them is passed over on its bytes, without being
    /// cut into tokens. (Nil: every line is tried.)
    private static let triggers: [[UInt8]]? = {
        var words: Set<String> = []
        for rule in RuleBook.shared.headerRules {
            guard let w = rule.pattern.triggerWords else { return nil }
            words.formUnion(w)
        }
        let written = words.flatMap { w in [w, w.prefix(1).uppercased() + w.dropFirst(), w.uppercased()] }
        return Set(written).sorted().map { Array($0.utf8) }
    }()

    /// Whether a line holds one of the rules' trigger words, as written.
    private static func mayMatch(_ line: String) -> Bool {
        guard let triggers else { return true }
        var copy = line
        return copy.withUTF8 { b in triggers.contains { word in word.withUnsafeBufferPointer { indexOfBytes(b, $0) != nil } } }
    }

    /// The reading of the first rule that matches the whole of `line`, if one does.
    static func read(_ line: String) -> Reading? {
        guard !rules.isEmpty, mayMatch(line) else { return nil }
        return TextTokenizer.withTokens(of: line) { tokens -> Reading? in
            guard tokens.count > 0 else { return nil }
            var context = PatternContext(tokens: tokens, range: 0..<tokens.count)
            context.dates = dateSpans(tokens)
            let matcher = PatternMatcher(context)
            for rule in rules {
                guard let (_, captures) = matcher.match(rule.pattern, at: 0, through: tokens.count) else { continue }
                var reading = Reading(rule: rule.name)
                for (field, name) in rule.fields {
                    guard let c = captures[name] else { continue }
                    let text = DateResolver.raw(tokens, c.tokens.lowerBound, c.tokens.upperBound).trimmed
                    switch field {
                    case .date: reading.date = DateResolver.parseHeaderDate(text)
                    case .source: reading.source = HeaderParser.canonicalSource(text)
                    case .author:
                        var copy = text
                        reading.authors += copy.withUTF8(HeaderParser.creditedNames)
                    case .title: reading.title = text
                    case .place: reading.place = text
                    }
                }
                return reading
            }
            return nil
        }
    }

    /// The dates of a header line, by the token each starts at: from a number or a month's name,
    /// over numbers, months' and weekdays' names and the punctuation between them, the longest
    /// run that reads as a date ("17.05.2024 10:32", "May 17, 2024").
    private static func dateSpans(_ tokens: Tokens) -> [Int: Int] {
        func isDatePart(_ t: TextToken) -> Bool {
            switch t.kind {
            case .number: return true
            case .word: return DateResolver.month(t) != nil || DateResolver.weekday(t) != nil
            case .punct: return t.isPunct(",") || t.isPunct(".") || t.isPunct(":") || t.isPunct("/") || t.isPunct("-")
            }
        }
        var spans: [Int: Int] = [:]
        var i = 0
        while i < tokens.count {
            guard tokens[i].kind == .number || DateResolver.month(tokens[i]) != nil else { i += 1; continue }
            var end = i
            while end < tokens.count, end - i < 8, isDatePart(tokens[end]) { end += 1 }
            while end > i, DateResolver.parseHeaderDate(DateResolver.raw(tokens, i, end)) == nil { end -= 1 }
            if end > i { spans[i] = end; i = end } else { i += 1 }
        }
        return spans
    }
}
