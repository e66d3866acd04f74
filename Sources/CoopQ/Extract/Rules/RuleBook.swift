/// The rules of the rule files (`Sources/CoopQ/Rules/*.rules`), read once at start-up. A rule is
/// a name, a pattern (`TokenPattern`) and what a match produces:
///
///     # Why the rule exists, with an example of what it reads.
///     rule phone-call
///       match  caller:PERSON (held | had) (a | an)? (phone | telephone) call with callee:PERSON
///       event  kind "phone call"  name "Phone call between {caller} and {callee}"  participants caller callee
///
/// An `event` production gives the event's kind, its name (each `{capture}` replaced by what it
/// matched: a person's full name, else the words) and which captures took part. The event's date
/// and place are read from its sentence as every event's are.
///
/// A `header` production (`header date d source s`) names the capture each field of the
/// document's header is read from: its pattern must match a whole line of the page's header.
struct RuleBook: Sendable {
    struct Rule: Sendable {
        var name: String
        var file: String
        var line: Int
        var pattern: TokenPattern
        var production: Production
    }

    enum Production: Sendable {
        case event(kind: String, name: String, participants: [String])
        /// Which capture gives which field of the document's header.
        case header([(field: HeaderField, capture: String)])
    }

    /// What a header rule can read from a line of a page's header.
    enum HeaderField: String, Sendable, CaseIterable { case date, source, author, title, place }

    struct ParseError: Error, CustomStringConvertible {
        var file: String
        var line: Int
        var message: String
        var description: String { "\(file):\(line): \(message)" }
    }

    var rules: [Rule] = []

    /// The rules of the embedded rule files. A rule file that does not parse is a build's mistake,
    /// caught by the suite: here it stops the program with its line.
    static let shared: RuleBook = {
        var book = RuleBook()
        for (name, bytes) in embeddedFiles where name.hasSuffix(".rules") {
            do { try book.read(String(decoding: bytes, as: UTF8.self), file: name) } catch { fatalError("\(error)") }
        }
        return book
    }()

    /// The rules whose production is an event.
    var eventRules: [Rule] { rules.filter { if case .event = $0.production { return true }; return false } }

    /// The rules whose production is a header's fields.
    var headerRules: [Rule] { rules.filter { if case .header = $0.production { return true }; return false } }

    /// Reads one rule file's text.
    mutating func read(_ text: String, file: String) throws(ParseError) {
        var current: (name: String, line: Int, match: String?, production: Production?)?
        func finish() throws(ParseError) {
            guard let c = current else { return }
            guard let match = c.match else { throw ParseError(file: file, line: c.line, message: "rule '\(c.name)' has no match line") }
            guard let production = c.production else { throw ParseError(file: file, line: c.line, message: "rule '\(c.name)' produces nothing") }
            let pattern: TokenPattern
            do { pattern = try TokenPattern(match) } catch { throw ParseError(file: file, line: c.line, message: "rule '\(c.name)': \(error)") }
            let named: [String]
            switch production {
            case .event(_, let template, let participants): named = participants + RuleBook.placeholders(template)
            case .header(let fields): named = fields.map(\.capture)
            }
            for capture in named where !pattern.captures.contains(capture) {
                throw ParseError(file: file, line: c.line, message: "rule '\(c.name)' names '\(capture)', which its pattern does not capture")
            }
            guard !rules.contains(where: { $0.name == c.name }) else {
                throw ParseError(file: file, line: c.line, message: "a second rule named '\(c.name)'")
            }
            rules.append(Rule(name: c.name, file: file, line: c.line, pattern: pattern, production: production))
        }
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let (keyword, rest) = RuleBook.split(line)
            switch keyword {
            case "rule":
                try finish()
                current = (rest, n + 1, nil, nil)
            case "match" where current != nil:
                current!.match = rest
            case "event" where current != nil:
                current!.production = try RuleBook.event(rest, file: file, line: n + 1)
            case "header" where current != nil:
                current!.production = try RuleBook.header(rest, file: file, line: n + 1)
            default:
                throw ParseError(file: file, line: n + 1, message: "expected 'rule NAME', 'match PATTERN', 'event ...' or 'header ...', not '\(keyword)'")
            }
        }
        try finish()
    }

    private static func split(_ line: String) -> (String, String) {
        guard let space = line.firstIndex(where: { $0 == " " || $0 == "\t" }) else { return (line, "") }
        return (String(line[..<space]), line[space...].trimmingCharacters(in: .whitespaces))
    }

    /// `kind "phone call"  name "Phone call between {a} and {b}"  participants a b`
    private static func event(_ text: String, file: String, line: Int) throws(ParseError) -> Production {
        var words: [String] = []
        var i = text.startIndex
        while i < text.endIndex {
            if text[i] == " " || text[i] == "\t" { i = text.index(after: i); continue }
            if text[i] == "\"" {
                let start = text.index(after: i)
                guard let end = text[start...].firstIndex(of: "\"") else { throw ParseError(file: file, line: line, message: "a quote is not closed") }
                words.append(String(text[start..<end]))
                i = text.index(after: end)
            } else {
                let end = text[i...].firstIndex(where: { $0 == " " || $0 == "\t" }) ?? text.endIndex
                words.append(String(text[i..<end]))
                i = end
            }
        }
        var kind: String?, name: String?, participants: [String] = []
        var k = 0
        while k < words.count {
            switch words[k] {
            case "kind" where k + 1 < words.count: kind = words[k + 1]; k += 2
            case "name" where k + 1 < words.count: name = words[k + 1]; k += 2
            case "participants":
                k += 1
                while k < words.count, !["kind", "name"].contains(words[k]) { participants.append(words[k]); k += 1 }
            default: throw ParseError(file: file, line: line, message: "unexpected '\(words[k])' in an event production")
            }
        }
        guard let kind, let name else { throw ParseError(file: file, line: line, message: "an event needs a kind and a name") }
        return .event(kind: kind, name: name, participants: participants)
    }

    /// `date d  source s`: pairs of a field and a capture.
    private static func header(_ text: String, file: String, line: Int) throws(ParseError) -> Production {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard !words.isEmpty, words.count % 2 == 0 else {
            throw ParseError(file: file, line: line, message: "a header production is pairs of a field and a capture")
        }
        var fields: [(field: HeaderField, capture: String)] = []
        for k in stride(from: 0, to: words.count, by: 2) {
            guard let field = HeaderField(rawValue: words[k]) else {
                let known = HeaderField.allCases.map(\.rawValue).joined(separator: ", ")
                throw ParseError(file: file, line: line, message: "'\(words[k])' is no header field (\(known))")
            }
            fields.append((field, words[k + 1]))
        }
        return .header(fields)
    }

    /// The captures a template names: `{caller}`.
    static func placeholders(_ template: String) -> [String] {
        var found: [String] = []
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            found.append(String(rest[rest.index(after: open)..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return found
    }
}
