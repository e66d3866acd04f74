/// The header's date lines: a date alone, after a label, or among parts between bars.
extension HeaderParser {
    /// The year of the first full date ("Sept. 29, 2020") the text gives of `month`, else of any
    /// month: what a yearless dateline's date is dated by.
    static func yearOfFullDate(_ bytes: [UInt8], month: Int) -> Int? {
        bytes.withUnsafeBufferPointer { b in
            // The top of the article (its captions and lead) says it, if any part does: only that much is read.
            var end = min(b.count, 4096)
            while end < b.count, end > 0, b[end] & 0xC0 == 0x80 { end -= 1 }
            return TextTokenizer.withTokens(b, to: end) { tokens in
                var any: Int?
                for i in 0..<tokens.count where tokens[i].kind == .word && DateResolver.month(tokens[i]) != nil {
                    guard let found = DateResolver.monthDay(tokens, i, reference: nil) else { continue }
                    if found.date.month == month { return found.date.year }
                    if any == nil { any = found.date.year }
                }
                return any
            }
        }
    }

    /// A title is shorter than this, in bytes.
    static let titleLimit = 300

    /// Whether a trimmed line starts with a label that a date line of any length may have
    /// ("date 2025-11-25 Title", "发布日期:", "Updated:").
    static func startsWithDateLabel(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let lead = b.first, labelLeads[Int(lead)] else { return false }
        return b.starts(with: "date ".utf8) || chineseDateLabels.contains { b.starts(with: $0.1) } || dateLabels.contains { b.starts(with: $0.1) }
    }

    /// A header line that carries the publication date, and what else stands on it.
    static func dateLine(_ t: String) -> (PartialDate, HeaderRest)? {
        // The checks before any date is parsed are made on the line's bytes, where they lie.
        var copy = t
        return copy.withUTF8 { dateLine(t, $0) }
    }

    static func dateLine(_ t: String, _ b: UnsafeBufferPointer<UInt8>) -> (PartialDate, HeaderRest)? {
        // Every date line has a digit; most title lines do not.
        guard b.contains(where: { $0 &- 48 < 10 }) else { return nil }
        // Most lines start with no label's first byte: they skip the labels.
        if let lead = b.first, labelLeads[Int(lead)] { if let found = labelledDateLine(t, b) { return found } }
        // "China Daily) 08:19, November 19, 2025" and "(People's Daily Online) 08:19, November 19, 2025":
        // a source, and after its bracket only a date. ("XI'AN, Nov. 24 (Xinhua) -- ... on Nov. 23,
        // 2025." is a dateline and its paragraph, not a date line: it has far more than a date.)
        // (The date is read first, on the bytes: the source's string is made only for a date line.)
        if let offset = b.prefix(60).firstIndex(of: UInt8(ascii: ")")),
           case let rest = trimmedBytes(UnsafeBufferPointer(rebasing: b[(offset + 1)...])), rest.count <= onlyDateLimit,
           let d = onlyDate(rest, needsDay: false) {
            let source = String(decoding: b[..<offset], as: UTF8.self).drop { $0 == "(" }.trimmed
            if !source.isEmpty { return (d, HeaderRest(title: nil, source: canonicalSource(source))) }
        }
        // A line that is only a date, perhaps with a time.
        if let d = onlyDate(b, needsDay: true) { return (d, HeaderRest()) }
        // "Source: Writer: Edit: Date:07/11/2018", "Posted 17.05.2024 10:32": a date after its label
        // anywhere in a short line of labels.
        if b.count <= 160, b.contains(UInt8(ascii: ":")) || labelLeads[Int(b[0])], let d = labelledDate(t) { return (d, HeaderRest()) }
        return nil
    }

    /// The date after one of `dateLabels` that starts a word of `t`, followed by a colon or by the date.
    static func labelledDate(_ t: String) -> PartialDate? {
        let b = Array(t.utf8)
        // Labels start words: each word's start is tried against the labels that begin with its byte.
        for start in b.indices where (start == 0 || b[start - 1] == 0x20) && labelLeads[Int(b[start])] {
            for (_, label) in dateLabels where b[start...].starts(with: label) {
                var rest = start + label.count
                while rest < b.count, b[rest] == UInt8(ascii: ":") || b[rest] == 0x20 { rest += 1 }
                guard rest > start + label.count, rest < b.count else { continue }
                let text = String(decoding: b[rest..<min(b.count, rest + onlyDateLimit)], as: UTF8.self)
                if let d = DateResolver.parseHeaderDate(text), d.day != nil { return d }
            }
        }
        return nil
    }

    /// Whether a byte starts one of the labels below.
    static let labelLeads: [Bool] = {
        var leads = [Bool](repeating: false, count: 256)
        for label in ["date "] + chineseDateLabels.map(\.0) + dateLabels.map(\.0) { leads[Int(label.utf8.first!)] = true }
        return leads
    }()

    /// A date line that starts with a label.
    static func labelledDateLine(_ t: String, _ b: UnsafeBufferPointer<UInt8>) -> (PartialDate, HeaderRest)? {
        // " date 2025-11-25 Title": the date is read on the bytes, and the title made a string only after one.
        if b.starts(with: "date ".utf8) {
            let rest = trimmedBytes(UnsafeBufferPointer(rebasing: b[5...]))
            var cut = 0
            while cut < rest.count, rest[cut] != 0x20 { cut += 1 }
            if cut > 0, let d = DateResolver.iso(UnsafeBufferPointer(rebasing: rest[..<cut])) {
                let title = cut < rest.count ? String(decoding: trimmedBytes(UnsafeBufferPointer(rebasing: rest[(cut + 1)...])), as: UTF8.self) : nil
                return (d, HeaderRest(title: title, source: nil))
            }
        }
        // "发布日期:2023-07-20 浏览次数:"
        for (label, labelBytes) in chineseDateLabels where b.starts(with: labelBytes) {
            let rest = t.dropFirst(label.count).drop { $0 == ":" || $0 == "：" || $0 == " " }
            if let d = DateResolver.iso(String(rest.prefix(while: { $0 != " " }))) { return (d, HeaderRest()) }
        }
        // "Updated: Nov 9,2016 2:45 PM", "Published: 2025-11-19"
        for (_, labelBytes) in dateLabels where b.starts(with: labelBytes) {
            let n = labelBytes.count, colon = UInt8(ascii: ":")
            guard (n < b.count && b[n] == colon) || (n + 1 < b.count && b[n] == 0x20 && b[n + 1] == colon) else { continue }
            // (What follows the label and one byte, as `dropFirst(label.count + 1)` would leave it: a label is ASCII.)
            if let d = DateResolver.parseHeaderDate(UnsafeBufferPointer(rebasing: b[(n + 1)...])) { return (d, HeaderRest()) }
        }
        return nil
    }

    static let onlyDateLimit = 40

    /// The date of a text that is a date and little else (a time, a weekday): at most 40 bytes
    /// and 12 letters.
    static func onlyDate(_ b: UnsafeBufferPointer<UInt8>, needsDay: Bool) -> PartialDate? {
        guard b.count <= onlyDateLimit, let d = DateResolver.parseHeaderDate(b), d.day != nil || !needsDay else { return nil }
        let letters = b.allSatisfy({ $0 < 0x80 }) ? b.count(where: { $0 &- 65 < 26 || $0 &- 97 < 26 })
            : String(decoding: b, as: UTF8.self).unicodeScalars.count(where: { $0.properties.isAlphabetic })
        return letters <= 12 ? d : nil
    }

    /// A header line of parts between bars, one of which is a date line: the date, and the source
    /// and authors that other parts name (`Source: Xinhua`, a news outlet alone, `By Zhang Wei`).
    static func barredDateLine(_ t: String) -> (date: PartialDate, source: String?, authors: [String])? {
        // Menus ("App | 中文 |") have no digit: they are turned away before the line is cut.
        guard t.utf8.contains(where: { $0 &- 48 < 10 }) else { return nil }
        let parts = t.split(separator: "|").map { String($0).trimmed }.filter { !$0.isEmpty }
        guard parts.count >= 2, let date = parts.lazy.compactMap({ dateLine($0)?.0 }).first else { return nil }
        var source: String?
        var authors: [String] = []
        for part in parts {
            if part.hasPrefix("Source:") {
                let name = String(part.dropFirst("Source:".count)).trimmed
                if !name.isEmpty, source == nil { source = canonicalSource(name) }
            } else if let org = Lexicon.shared.organizations[Lexicon.phraseKey(outlet(part))], org.kind == "media", source == nil {
                source = org.name
            } else if part.hasPrefix("By ") {
                // "By ZHAO YIMENG in Harbin": the name, without where it was written, in ordinary capitals.
                var name = String(part.dropFirst(3)).trimmed
                if let at = name.range(of: " in ") { name = String(name[..<at.lowerBound]) }
                if name.uppercased() == name { name = name.capitalizedWords }
                if isNameShaped(name) { authors.append(name) }
            }
        }
        return (date, source, authors)
    }

    /// A site's address as its outlet's name, the address's first label after `www` or `english`
    /// ("chinadaily.com.cn" → "chinadaily", "www.xinhuanet.com" → "xinhuanet"); any other text as it is.
    static func outlet(_ part: String) -> String {
        let labels = part.split(separator: ".")
        guard labels.count >= 2, !part.contains(" ") else { return part }
        return String(labels.first { $0 != "www" && $0 != "english" && $0 != "en" } ?? labels[0])
    }

    /// The labels a date line starts with (`Posted 17.05.2024 10:32`, `发布日期:2023-07-20`), as
    /// written: the lists `date-labels` and `chinese-date-labels` of `wordlists.tsv`.
    static let chineseDateLabels = Lexicon.shared.phrases("chinese-date-labels").map { ($0, Array($0.utf8)) }
    static let dateLabels = Lexicon.shared.phrases("date-labels").map { ($0, Array($0.utf8)) }

    /// How many words `split(separator: " ")` would give, counted on the bytes.
    /// (Counted up to `limit`: a caller asking whether there are more than six stops at seven.)
    static func spaceSeparatedWords(_ t: String, upTo limit: Int = .max) -> Int {
        var copy = t
        return copy.withUTF8 { spaceSeparatedWords($0, upTo: limit) }
    }

    static func spaceSeparatedWords(_ b: UnsafeBufferPointer<UInt8>, upTo limit: Int = .max) -> Int {
        var words = 0
        var inWord = false
        for c in b {
            if c == 0x20 { inWord = false } else if !inWord {
                inWord = true
                words += 1
                if words == limit { break }
            }
        }
        return words
    }
}
