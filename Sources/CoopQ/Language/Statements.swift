import Foundation

/// The statements besides queries: `search`, `why`, `describe`, `timeline`, and the shell's
/// explanation of an empty result.
extension Engine {
    // MARK: search

    /// Keyword in context over the text of the documents in scope: one row per hit.
    func search(_ pattern: String, isRegex: Bool, patternRange: SourceRange, in t: Table, scopeName: String, range: SourceRange) throws(Diagnostic) -> Table {
        var ids: Set<String>
        if t.collection == .documents, let i = t.columnIndex("id") {
            ids = Set(t.rows.compactMap { if case .string(let s) = $0[i] { return s } else { return nil } })
        } else if let i = t.columnIndex("documents") {
            ids = []
            for row in t.rows { if case .list(let items) = row[i] { for case .string(let s) in items { ids.insert(s) } } }
        } else {
            throw Diagnostic("search looks in documents; \(scopeName) has no documents to look in", at: range)
        }
        let matcher: TextMatcher
        do { matcher = try TextMatcher(pattern, isRegex: isRegex, range: patternRange, budget: regexBudget) } catch {
            throw Diagnostic(error.message, at: patternRange)
        }
        let columns = [Column(name: "document", type: .string), Column(name: "date", type: .date), Column(name: "offset", type: .number),
                       Column(name: "before", type: .string), Column(name: "match", type: .string), Column(name: "after", type: .string)]
        var rows: [[Value]] = []
        var more = 0
        for doc in corpus.documents where ids.contains(doc.id) {
            if isCancelled() { throw Diagnostic("interrupted", at: patternRange) }
            if let error = regexBudget.diagnostic { throw error }
            // An ASCII phrase is looked for on the text's bytes where they lie: a document is made
            // a string only when it has a hit to show.
            var ranges: [Range<String.Index>]?
            var found: [Range<Int>]?
            if !doc.body.withUTF8({ matcher.mayMatch($0) }) { continue }
            if matcher.isASCIIPhrase {
                let hits = doc.body.withUTF8 { matcher.asciiWordMatches(in: $0) }
                if hits.isEmpty { continue }
                if rows.count >= searchLimit { more += hits.count; continue }
                found = hits
            }
            let text = doc.text
            if let found {
                let utf8 = text.utf8
                ranges = found.map { utf8.index(utf8.startIndex, offsetBy: $0.lowerBound)..<utf8.index(utf8.startIndex, offsetBy: $0.upperBound) }
            }
            for range in ranges ?? matcher.matches(in: text) {
                if rows.count >= searchLimit { more += 1; continue }
                let beforeStart: String.Index = text.index(range.lowerBound, offsetBy: -60, limitedBy: text.startIndex) ?? text.startIndex
                let afterEnd: String.Index = text.index(range.upperBound, offsetBy: 60, limitedBy: text.endIndex) ?? text.endIndex
                // The offset in characters: on an ASCII prefix, the byte offset (no grapheme breaking).
                let bytes = text.utf8[..<range.lowerBound]
                let offset = Double(bytes.allSatisfy { $0 < 0x80 } ? bytes.count : text.distance(from: text.startIndex, to: range.lowerBound))
                let date: Value = doc.date.map { Value.date($0) } ?? .null
                let row: [Value] = [.string(doc.id), date, .number(offset), .string(Engine.oneLine(text[beforeStart..<range.lowerBound])),
                                    .string(Engine.oneLine(text[range])), .string(Engine.oneLine(text[range.upperBound..<afterEnd]))]
                rows.append(row)
            }
        }
        var table = Table(columns: columns, rows: rows)
        table.presentation = .keywordInContext
        if more > 0 { table.notice = "search stopped at \(searchLimit) hits; \(more) more not shown (narrow it with 'in documents where …')" }
        return table
    }

    /// The text on one line: each line break ("\n" or "\r\n") and tab a space. Worked on the
    /// UTF-8 bytes: each of these is a character of its own (a line break or a tab is never part
    /// of a larger one), so a byte-wise replacement is the character-wise one.
    static func oneLine(_ s: Substring) -> String {
        let utf8 = s.utf8
        guard utf8.contains(where: { $0 == 0x0A || $0 == 0x09 }) else { return String(s) }
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count)
        var previousCR = false
        for b in utf8 {
            if b == 0x0A {
                // "\r\n" is one character: one space.
                if previousCR { out[out.count - 1] = 0x20 } else { out.append(0x20) }
            } else {
                out.append(b == 0x09 ? 0x20 : b)
            }
            previousCR = b == 0x0D
        }
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: why

    /// Each record with the sentence each of its facts came from; for a merged event, the
    /// articles merged and the evidence they were merged on.
    func why(_ table: Table, scopeName: String, range: SourceRange) throws(Diagnostic) -> Table {
        guard let collection = table.collection, let idColumn = table.columnIndex("id") else {
            throw Diagnostic("'why' explains records of a collection; \(scopeName) holds none", at: range)
        }
        let columns = ["record", "field", "value", "document", "rule", "sentence"].map { Column(name: $0, type: .string) }
        var rows: [[Value]] = []
        // The rule that read the fact, when the extractor names one (an event's, a header field's).
        var rule: Value = .null
        func add(_ record: String, _ field: String, _ value: String, _ p: Provenance?, note: String? = nil) {
            guard let p else {
                rows.append([.string(record), .string(field), .string(value), .null, rule, note.map(Value.string) ?? .null])
                return
            }
            rows.append([.string(record), .string(field), .string(value), .string(p.document), rule, .string(marked(corpus.sentence(at: p), value))])
        }
        for row in table.rows {
            guard case .string(let id) = row[idColumn] else { continue }
            switch collection {
            case .events:
                guard let n = Int(id.dropFirst()), n >= 1, n <= corpus.events.count else { continue }
                let e = corpus.events[n - 1]
                rule = e.rule.map(Value.string) ?? .null
                add(e.name, "name", e.name, e.fieldEvidence["name"])
                if let d = e.date { add(e.name, "date", e.dateText ?? d.description, e.fieldEvidence["date"]) }
                if let p = e.place { add(e.name, "place", p, e.fieldEvidence["place"]) }
                for person in e.participants {
                    let p = e.evidence.first { corpus.sentence(at: $0).contains(person.split(separator: " ").last.map(String.init) ?? person) }
                    add(e.name, "participants", person, p ?? e.evidence.first)
                }
                rule = .null
                if e.documents.count > 1 {
                    add(e.name, "documents", e.documents.joined(separator: ", "), nil,
                        note: "reported by \(e.documents.count) articles, merged on \(e.mergedOn ?? "evidence")")
                }
            case .people:
                guard let n = Int(id.dropFirst()), n >= 1, n <= corpus.people.count else { continue }
                let p = corpus.people[n - 1]
                for ev in p.evidence { add(p.name, "name", p.name, ev) }
                for t in p.titles {
                    let ev = p.evidence.first { corpus.sentence(at: $0).lowercased().contains(t.lowercased()) }
                    add(p.name, "titles", t, ev ?? p.evidence.first)
                }
                if let c = p.country { add(p.name, "country", c, nil, note: "from the posts or the name's shape") }
            case .agreements:
                guard let n = Int(id.dropFirst()), n >= 1, n <= corpus.agreements.count else { continue }
                let a = corpus.agreements[n - 1]
                for ev in a.evidence { add(a.name, "name", a.name, ev) }
            case .figures:
                guard let n = Int(id.dropFirst()), n >= 1, n <= corpus.figures.count else { continue }
                let f = corpus.figures[n - 1]
                let shown = Value.format(number: abs(f.value) >= 1e6 ? abs(f.value) / (abs(f.value) >= 1e9 ? 1e9 : 1e6) : abs(f.value))
                for ev in f.evidence { add("\(Value.format(number: f.value)) \(f.unit)", "value", shown, ev) }
            case .places, .organizations, .topics:
                let list: [(String, [Provenance])]
                switch collection {
                case .places: list = corpus.places.map { ($0.name, $0.evidence) }
                case .organizations: list = corpus.organizations.map { ($0.name, $0.evidence) }
                default: list = corpus.topics.map { ($0.name, $0.evidence) }
                }
                guard let n = Int(id.drop { $0.isLetter }), n >= 1, n <= list.count else { continue }
                for ev in list[n - 1].1 { add(list[n - 1].0, "name", list[n - 1].0, ev) }
            case .documents:
                guard let d = corpus.documents.first(where: { $0.id == id }) else { continue }
                for field in ["title", "date", "source", "place"] {
                    let value: String?
                    switch field {
                    case "title": value = d.title
                    case "date": value = d.date?.description
                    case "source": value = d.source
                    default: value = d.place
                    }
                    rule = d.rules[field].map(Value.string) ?? .null
                    if let value { add(d.id, field, value, d.evidence[field].map { Provenance(document: d.id, start: $0.start, end: $0.end) }) }
                }
                rule = .null
            }
        }
        return Table(columns: columns, rows: rows)
    }

    /// The sentence with the fact marked: «Xi'an».
    private func marked(_ sentence: String, _ value: String) -> String {
        let s = Engine.oneLine(Substring(sentence))
        if let r = s.range(of: value, options: [.caseInsensitive, .diacriticInsensitive]) {
            return s.replacingCharacters(in: r, with: "«" + s[r] + "»")
        }
        if let last = value.split(separator: " ").last, let r = s.range(of: String(last), options: [.caseInsensitive]) {
            return s.replacingCharacters(in: r, with: "«" + s[r] + "»")
        }
        return s
    }

    // MARK: describe

    /// Fields, types, how many records have each, and the most frequent values.
    func describe(_ table: Table) -> Table {
        let about = Dictionary(table.collection?.fields.map { ($0.name, $0.about) } ?? [], uniquingKeysWith: { a, _ in a })
        let columns = [Column(name: "field", type: .string), Column(name: "type", type: .string), Column(name: "records", type: .number),
                       Column(name: "percent", type: .number), Column(name: "top_values", type: .string), Column(name: "about", type: .string)]
        var rows: [[Value]] = []
        for (i, column) in table.columns.enumerated() {
            var filled = 0
            var counts: [String: Int] = [:]
            for row in table.rows {
                let v = row[i]
                if !v.isNull { filled += 1 }
                if column.name == "text" || column.name == "evidence" { continue }
                switch v {
                case .list(let items): for item in items { counts[item.display, default: 0] += 1 }
                case .null: break
                default: counts[v.display, default: 0] += 1
                }
            }
            let top = counts.sorted { $0.value == $1.value ? $0.key < $1.key : $0.value > $1.value }.prefix(3)
                .map { "\($0.key.count > 40 ? String($0.key.prefix(39)) + "…" : $0.key) (\($0.value))" }.joined(separator: ", ")
            // A number, so json and csv give it as one: the share of records that have the field.
            let share: Value = table.rows.isEmpty ? .null : .number((Double(filled) / Double(table.rows.count) * 100).rounded())
            rows.append([.string(column.name), .string("\(column.type)"), .number(Double(filled)), share,
                         .string(top), about[column.name].map(Value.string) ?? .null])
        }
        return Table(columns: columns, rows: rows)
    }

    // MARK: timeline

    /// Records laid out by date: on a terminal, a timeline; in other formats, rows by date.
    func timeline(_ table: Table, scopeName: String, range: SourceRange) throws(Diagnostic) -> Table {
        guard let date = table.columnIndex("date") else {
            throw Diagnostic("a timeline needs records with a date; \(scopeName) has none", at: range,
                             notes: ["timeline events, timeline agreements and timeline documents have dates"])
        }
        let label = table.columnIndex("name") ?? table.columnIndex("title") ?? table.columnIndex("id") ?? 0
        let place = table.columnIndex("place")
        var picked = [date, label]
        if let place { picked.append(place) }
        if let kind = table.columnIndex("kind") { picked.append(kind) }
        let rows = table.rows.filter { !$0[date].isNull }.sorted { Value.sortOrder($0[date], $1[date]) }
        var result = Table(columns: picked.map { table.columns[$0] }, rows: rows.map { row in picked.map { row[$0] } })
        result.presentation = .timeline(date: 0, label: 1, place: place == nil ? nil : 2)
        return result
    }

    // MARK: explaining an empty result

    /// Why a query found nothing, when it can tell: a condition that no record meets on its
    /// own, as a warning under its value with the nearest values that do occur
    /// (`no event has place "Moscw"; did you mean "Moscow"?`).
    public func explainEmpty(_ statement: Statement) -> [Diagnostic] {
        guard case .query(let q) = statement, q.head == .records || q.head == .timeline || q.head == .why, let filter = q.filter,
              case .name(let sourceName, _) = q.source else { return [] }
        mayReadBulky = Engine.mayReadBulky(statement)
        defer { mayReadBulky = true }
        guard let table = Collection(rawValue: sourceName).map({ self.table($0) }) ?? named[sourceName] else { return [] }
        let singular = table.collection?.singular ?? "row"
        var notes: [Diagnostic] = []
        var conditions: [Expr] = []
        func conjuncts(_ e: Expr) {
            if case .binary(.and, let l, let r, _) = e { conjuncts(l); conjuncts(r) } else { conditions.append(e) }
        }
        conjuncts(filter)
        let evaluator = Evaluator(memoizing: corpus.canonicalKey)
        for condition in conditions {
            guard let compiled = try? checker(table, sourceName).condition(condition, "where") else { continue }
            if table.rows.contains(where: { Truth(evaluator.value(compiled, $0)) == .yes }) { continue }
            guard let (field, literal, range) = Engine.comparedValue(condition), let i = table.columnIndex(field) else {
                notes.append(Diagnostic("no \(singular) meets \(Printer.print(condition))", at: condition.range, severity: .warning))
                continue
            }
            let near = nearValues(literal, in: table, column: i)
            notes.append(Diagnostic("no \(singular) has \(field) \(Printer.literal(.string(literal)))", at: range,
                                    suggestion: near.first.map { Printer.literal(.string($0)) },
                                    notes: near.count > 1 ? ["nearest values that occur: " + near.map { Printer.literal(.string($0)) }.joined(separator: ", ")] : [],
                                    severity: .warning))
        }
        if notes.isEmpty, conditions.count > 1 {
            notes.append(Diagnostic("each condition holds for some \(table.collection?.rawValue ?? "rows"), but none holds for all of them together",
                                    at: filter.range, severity: .warning))
        }
        return notes
    }

    /// `field = "text"`, `field contains "text"`, `"text" in field`: the field and the text.
    static func comparedValue(_ e: Expr) -> (String, String, SourceRange)? {
        switch e {
        case .binary(.equal, .name(let f, _), .literal(.string(let v), let r), _),
             .binary(.contains, .name(let f, _), .literal(.string(let v), let r), _),
             .binary(.in, .literal(.string(let v), let r), .name(let f, _), _):
            return (f, v, r)
        default: return nil
        }
    }

    /// Values of a column near a text that does not occur, nearest first.
    func nearValues(_ literal: String, in table: Table, column i: Int) -> [String] {
        var values = Set<String>()
        for row in table.rows {
            switch row[i] {
            case .string(let v): values.insert(v)
            case .list(let items): for case .string(let v) in items { values.insert(v) }
            default: break
            }
        }
        let key = matchKey(literal)
        guard key.utf8.count <= 200 else { return [] }
        let limit = max(2, key.count / 3)
        var scored: [(value: String, distance: Int)] = []
        for v in values where abs(v.utf8.count - key.utf8.count) <= limit + 8 {
            let d = editDistance(matchKey(v), key)
            if d <= limit { scored.append((v, d)) }
        }
        scored.sort { a, b in a.distance == b.distance ? a.value < b.value : a.distance < b.distance }
        return scored.prefix(3).map(\.value)
    }
}

/// Finds a phrase (ignoring case) or a regular expression in text.
struct TextMatcher {
    struct Problem: Error { var message: String }
    private let phrase: String?
    private let regex: BoundedRegex?
    /// An ASCII phrase in lower case: looked for on the text's bytes, ignoring ASCII case (the
    /// common search; tens of times faster than Foundation's case-insensitive search).
    private let asciiNeedle: [UInt8]?

    /// Whether the phrase is ASCII, and so looked for on bytes (`asciiMatches(in:)`).
    var isASCIIPhrase: Bool { asciiNeedle != nil }

    /// For a regular expression, words every match holds (in lower case, ASCII): a text without
    /// them is passed over on its bytes, with no string made and no regular expression run.
    private var requiredNeedle: [UInt8]?

    /// Whether the text may hold a match: false when it lacks the words every match holds.
    func mayMatch(_ h: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let needle = requiredNeedle else { return true }
        return !TextMatcher.asciiMatches(of: needle, in: h, first: true).isEmpty
    }

    /// The longest run of plain letters, digits and spaces that every match of `pattern` holds:
    /// read at the top level only (what is inside a group or before `?`, `*` or `{` may be
    /// absent), and none when the pattern has alternatives at the top level.
    static func requiredLiteral(_ pattern: String) -> String? {
        var depth = 0, runs: [String] = [], run = ""
        var chars = Array(pattern)
        chars.append("\u{0}")
        var i = 0
        func end() { if run.count >= 3 { runs.append(run) }; run = "" }
        while i < chars.count - 1 {
            let c = chars[i]
            if c == "\\" { end(); i += 2; continue }
            if c == "[" {
                end()
                while i < chars.count - 1, chars[i] != "]" { if chars[i] == "\\" { i += 1 }; i += 1 }
                i += 1
                continue
            }
            if c == "(" { depth += 1; end(); i += 1; continue }
            if c == ")" { depth -= 1; end(); i += 1; continue }
            if c == "|" { if depth == 0 { return nil }; i += 1; continue }
            if depth > 0 { i += 1; continue }
            let next = chars[i + 1]
            if c.isASCII, c.isLetter || c.isNumber || c == " " {
                // A character that may be absent ends the run without joining it.
                if next == "?" || next == "*" || next == "{" { end(); i += 1; continue }
                run.append(c)
                if next == "+" { end() }
            } else {
                end()
            }
            i += 1
        }
        end()
        return runs.max { $0.count < $1.count }.map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.count >= 3 ? $0 : nil }
    }

    /// Byte ranges where the phrase (ASCII) stands in `h`, ignoring ASCII case, not overlapping.
    /// Eight places at a time are checked for the phrase's first two bytes, in either case, in
    /// two words: only where both stand are the bytes compared one by one.
    func asciiMatches(in h: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        guard let needle = asciiNeedle else { return [] }
        return TextMatcher.asciiMatches(of: needle, in: h)
    }

    /// Byte ranges where `needle` (ASCII, lower case) stands in `h`; with `first`, the first only.
    static func asciiMatches(of needle: [UInt8], in h: UnsafeBufferPointer<UInt8>, first onlyFirst: Bool = false) -> [Range<Int>] {
        guard let base = h.baseAddress else { return [] }
        let n = needle.count
        guard n > 0, h.count >= n else { return [] }
        var found: [Range<Int>] = []
        // A small letter and its capital differ in one bit (0x20): set it, and both are the small.
        func fold(_ b: UInt8) -> UInt8 { b >= 97 && b <= 122 ? 0x20 : 0 }
        let first = needle[0], second = n > 1 ? needle[1] : 0
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        let firstFold = UInt64(fold(first)) &* ones, firstWord = UInt64(first) &* ones
        // With a one-byte phrase, the second check is made to pass: every byte, folded, is itself.
        let secondFold = n > 1 ? UInt64(fold(second)) &* ones : 0, secondWord = n > 1 ? UInt64(second) &* ones : 0
        let secondMask: UInt64 = n > 1 ? ~0 : 0
        func matches(at i: Int) -> Bool {
            guard base[i] | fold(first) == first else { return false }
            for k in 1..<n {
                var c = base[i + k]
                if c >= 65 && c <= 90 { c += 32 }
                if c != needle[k] { return false }
            }
            return true
        }
        let raw = UnsafeRawPointer(base)
        let last = h.count - n
        var i = 0
        // Sixteen places at a time: a lane is all ones where both bytes stand.
        let f1 = SIMD16<UInt8>(repeating: fold(first)), w1 = SIMD16<UInt8>(repeating: first)
        let f2 = SIMD16<UInt8>(repeating: n > 1 ? fold(second) : 0), w2 = SIMD16<UInt8>(repeating: second)
        while i + 17 <= h.count, i + 16 <= last + 1 {
            let a = raw.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self)
            let b = raw.loadUnaligned(fromByteOffset: i + 1, as: SIMD16<UInt8>.self)
            var hit = (a | f1) .== w1
            if n > 1 { hit = hit .& ((b | f2) .== w2) }
            let lanes = unsafeBitCast(hit, to: (UInt64, UInt64).self)
            if lanes.0 | lanes.1 == 0 { i += 16; continue }
            let stop = i + 16
            while i < stop {
                if matches(at: i) { found.append(i..<(i + n)); if onlyFirst { return found }; i += n; break }
                i += 1
            }
        }
        while i <= last {
            if i + 9 <= h.count {
                // A byte of `x` is zero where the first byte stands, of `y` where the second stands
                // one place on; a zero byte in `x | y` is a place to try (the word test is exact).
                let x = (raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) | firstFold) ^ firstWord
                let y = ((raw.loadUnaligned(fromByteOffset: i + 1, as: UInt64.self) | secondFold) ^ secondWord) & secondMask
                let z = x | y
                if (z &- ones) & ~z & highs == 0 { i += 8; continue }
            }
            let stop = min(i + 8, last + 1)
            while i < stop {
                if matches(at: i) { found.append(i..<(i + n)); if onlyFirst { return found }; i += n; break }
                i += 1
            }
        }
        return found
    }

    init(_ pattern: String, isRegex: Bool, range: SourceRange, budget: RegexBudget) throws(Problem) {
        guard !pattern.isEmpty else { throw Problem(message: "search needs something to look for") }
        if isRegex {
            guard pattern.utf8.count <= 10_000 else { throw Problem(message: "a regular expression of over 10,000 characters is too long") }
            do {
                regex = BoundedRegex(try NSRegularExpression(pattern: pattern, options: [.caseInsensitive]), pattern: pattern, range: range, budget: budget)
            } catch {
                throw Problem(message: "invalid regular expression \(Printer.literal(.string(pattern)))")
            }
            phrase = nil
            asciiNeedle = nil
            requiredNeedle = TextMatcher.requiredLiteral(pattern).map { $0.utf8.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 } }
        } else {
            phrase = pattern
            regex = nil
            asciiNeedle = pattern.utf8.allSatisfy { $0 < 0x80 } ? pattern.utf8.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 } : nil
        }
        wordStart = pattern.unicodeScalars.first.map(TextMatcher.isWordScalar) ?? false
        wordEnd = pattern.unicodeScalars.last.map(TextMatcher.isWordScalar) ?? false
    }

    /// Whether the phrase starts and ends with a letter or digit: then a hit must not be part of
    /// a longer word ("SCO" is not in "Moscow"), as with `contains`.
    private var wordStart = false, wordEnd = false

    /// A letter or digit of a script written with spaces between words. Chinese, Japanese and
    /// Korean are written without them: each of their characters may start or end a word.
    static func isWordScalar(_ c: Unicode.Scalar) -> Bool {
        if c.isASCII { return (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c >= "0" && c <= "9") }
        switch c.value {
        case 0x1100...0x11FF, 0x2E80...0x9FFF, 0xAC00...0xD7AF, 0xF900...0xFAFF, 0xFF00...0xFFEF, 0x20000...0x3FFFF: return false
        default: return c.properties.isAlphabetic || c.properties.numericType != nil
        }
    }

    /// Whether a hit at bytes `r` of `h` stands at word boundaries, when the phrase needs them.
    func atWordBoundaries(_ h: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Bool {
        func scalar(endingAt end: Int) -> Unicode.Scalar? {
            guard end > 0 else { return nil }
            var start = end - 1
            while start > 0, end - start < 4, h[start] & 0xC0 == 0x80 { start -= 1 }
            return String(decoding: UnsafeBufferPointer(rebasing: h[start..<end]), as: UTF8.self).unicodeScalars.last
        }
        func scalar(startingAt start: Int) -> Unicode.Scalar? {
            guard start < h.count else { return nil }
            var end = start + 1
            while end < h.count, end - start < 4, h[end] & 0xC0 == 0x80 { end += 1 }
            return String(decoding: UnsafeBufferPointer(rebasing: h[start..<end]), as: UTF8.self).unicodeScalars.first
        }
        if wordStart, let before = scalar(endingAt: r.lowerBound), TextMatcher.isWordScalar(before) { return false }
        if wordEnd, let after = scalar(startingAt: r.upperBound), TextMatcher.isWordScalar(after) { return false }
        return true
    }

    /// The hits of an ASCII phrase in `h` that stand at word boundaries.
    func asciiWordMatches(in h: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        asciiMatches(in: h).filter { atWordBoundaries(h, $0) }
    }

    func matches(in text: String) -> [Range<String.Index>] {
        if let regex {
            return regex.allMatches(text).compactMap { Range($0, in: text) }.filter { !$0.isEmpty }
        }
        if asciiNeedle != nil {
            var copy = text
            let found = copy.withUTF8 { asciiWordMatches(in: $0) }
            let utf8 = text.utf8
            return found.map { utf8.index(utf8.startIndex, offsetBy: $0.lowerBound)..<utf8.index(utf8.startIndex, offsetBy: $0.upperBound) }
        }
        var found: [Range<String.Index>] = []
        var start = text.startIndex
        while let r = text.range(of: phrase!, options: [.caseInsensitive, .diacriticInsensitive], range: start..<text.endIndex) {
            let before = text.unicodeScalars[..<r.lowerBound].last, after = text.unicodeScalars[r.upperBound...].first
            if !(wordStart && before.map(TextMatcher.isWordScalar) == true) && !(wordEnd && after.map(TextMatcher.isWordScalar) == true) {
                found.append(r)
            }
            start = r.upperBound
        }
        return found
    }
}
