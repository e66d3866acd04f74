import Glibc

/// The first stage: finds the title, publication date and source in any of the header
/// styles of the genre, the dateline (`XI'AN, Nov. 24 (Xinhua) --`, `HARBIN, June 15. /TASS/.`),
/// bylines and photo credits, and marks page chrome (`App | 中文 |`, `12 > >>`, `浏览次数:`)
/// so that no later stage reads it as content.
struct HeaderParser {
    struct Result {
        var title: String?
        var date: PartialDate?
        var source: String?
        var datelinePlace: String?
        var datelineDate: PartialDate?
        /// The city a byline says the article was written in ("By Chen Qingqing in Heihe").
        var writtenIn: String?
        /// The authors, each once, in the order named (however many credits a long file has).
        private var authorList = UniqueList<String>()
        var authors: [String] { authorList.members }
        mutating func add(author: String) { authorList.insert(author) }
        /// Byte ranges that are not content: chrome, header lines, credits.
        var excluded: [Range<Int>] = []
        /// Where the title, date, source and dateline place were read: fields, not a dictionary,
        /// as every article sets some of them.
        var titleEvidence, dateEvidence, sourceEvidence, placeEvidence: Range<Int>?
    }

    /// A line by byte offsets; its text is made only for the few lines that are read as text.
    struct Line { var start: Int; var end: Int }

    /// The lines of the bytes, found with `memchr`; the last runs to the end (it may be empty).
    static func lines(_ bytes: [UInt8]) -> [Line] {
        var result: [Line] = []
        result.reserveCapacity(bytes.count / 64 + 4)
        bytes.withUnsafeBufferPointer { b in
            var start = 0
            while true {
                let i = find(0x0A, in: b, from: start) ?? b.count
                var end = i
                if end > start, b[end - 1] == 0x0D { end -= 1 }
                result.append(Line(start: start, end: end))
                if i == b.count { break }
                start = i + 1
            }
        }
        return result
    }

    /// The first `byte` in `b[from...]`, by `memchr`.
    @inline(__always)
    static func find(_ byte: UInt8, in b: UnsafeBufferPointer<UInt8>, from: Int, to end: Int? = nil) -> Int? {
        let end = end ?? b.count
        guard from < end, let base = b.baseAddress, let hit = memchr(base + from, Int32(byte), end - from) else { return nil }
        return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
    }

    /// Whether a line has nothing but blanks, decided on its bytes.
    static func isBlank(_ bytes: [UInt8], _ line: Line) -> Bool {
        var i = line.start
        while i < line.end { let b = bytes[i]; if b != 0x20 && b != 0x09 && b != 0x0D { return false }; i += 1 }
        return true
    }

    /// `isChrome` on a line's bytes.
    static func isChrome(_ bytes: [UInt8], _ line: Line) -> Bool {
        bytes.withUnsafeBufferPointer { b in isChrome(UnsafeBufferPointer(rebasing: b[line.start..<line.end])) }
    }

    /// Menus, pagers and counters of the page the article was saved from, decided on the line's
    /// UTF-8 bytes: most lines have none of chrome's marks (`|`, `>`, the lead bytes of 浏览 and
    /// 发布) and are decided by a `memchr` each.
    static func isChrome(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        func has(_ byte: UInt8) -> Bool { find(byte, in: line, from: 0) != nil }
        let mark = chromeMarkBytes.contains(where: has)
        if !mark, line.count > 30 { return false }
        let t = trimmedBytes(line)
        if t.isEmpty { return false }
        // Without the marks, only the few words of a page's buttons are chrome.
        if !mark { return isChromeWord(t) }
        if t.count >= 12, t.hasBytes("浏览次数"), !t.hasBytes("发布日期") { return true }
        let bar = UInt8(ascii: "|")
        if t.hasBytes(" | ") || t.first == bar || t.last == bar {
            // Every segment between bars has at most three words.
            var segmentStart = 0
            var short = true
            for k in 0...t.count where k == t.count || t[k] == bar {
                let segment = trimmedBytes(UnsafeBufferPointer(rebasing: t[segmentStart..<k]))
                segmentStart = k + 1
                if spaceSeparatedWords(segment, upTo: 4) > 3 { short = false; break }
            }
            if short { return true }
        }
        // Pagers such as "12 > >>" and "<< < 1 2 3 >".
        if t.allSatisfy({ $0 == 0x20 || $0 == UInt8(ascii: ">") || $0 == UInt8(ascii: "<") || $0 &- 48 < 10 }), t.contains(UInt8(ascii: ">")) { return true }
        return isChromeWord(t)
    }

    /// Chrome's marks: `|`, `>`, and the lead bytes of 浏览 and 发布.
    static let chromeMarkBytes: [UInt8] = [UInt8(ascii: "|"), UInt8(ascii: ">"), 0xE6, 0xE9]

    /// Where chrome's marks (`isChrome`) stand in `bytes[from...]`, in order: a `memchr` scan for each.
    static func chromeMarks(_ bytes: [UInt8], from start: Int) -> [Int] {
        var marks: [Int] = []
        bytes.withUnsafeBufferPointer { b in
            for mark in chromeMarkBytes {
                var i = start
                while let hit = find(mark, in: b, from: i) { marks.append(hit); i = hit + 1 }
            }
        }
        return marks.count > 1 ? marks.sorted() : marks
    }

    /// Whether a trimmed line is one of `chromeWords`, in any case.
    private static func isChromeWord(_ t: UnsafeBufferPointer<UInt8>) -> Bool {
        guard t.count <= 17 else { return false }
        if t.allSatisfy({ $0 < 0x80 }) { return chromeWords.contains(String(decoding: t.map(WordTable.lower), as: UTF8.self)) }
        return chromeWords.contains(String(decoding: t, as: UTF8.self).lowercased())
    }

    /// Without leading and trailing blanks (space, tab, carriage return), as `trimmed` cuts them.
    static func trimmedBytes(_ b: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        func blank(_ c: UInt8) -> Bool { c == 0x20 || c == 0x0D || c == 0x09 }
        var start = 0, end = b.count
        while start < end, blank(b[start]) { start += 1 }
        while end > start, blank(b[end - 1]) { end -= 1 }
        return UnsafeBufferPointer(rebasing: b[start..<end])
    }

    static let chromeWords = Lexicon.shared.words("page-chrome-words")

    static func parse(_ bytes: [UInt8]) -> Result {
        var r = Result()
        let all = lines(bytes)
        var index = 0
        var headerLines = 0
        // A dateline that a date line runs on into (" date 2024-04-02 WUHAN, China, April 2 ... --").
        var datelineInLine: Line?
        // The title read so far is short enough to be a kicker over the headline on the next line.
        var kicker = false
        // Leading lines: chrome, date lines and the title, in any order.
        while index < all.count, headerLines < 8 {
            let line = all[index]
            if isBlank(bytes, line) { index += 1; continue }
            let afterKicker = kicker
            kicker = false
            let chrome = isChrome(bytes, line)
            // A line of a title's length or more is a paragraph of the body unless it is chrome or starts
            // with a date's label: it ends the header with no string made of it.
            if !chrome, line.end - line.start >= titleLimit, bytes.withUnsafeBufferPointer({ b in
                let trimmed = trimmedBytes(UnsafeBufferPointer(rebasing: b[line.start..<line.end]))
                return trimmed.count >= titleLimit && !startsWithDateLabel(trimmed)
            }) {
                break
            }
            let t = bytes.withUnsafeBufferPointer { b in
                String(decoding: trimmedBytes(UnsafeBufferPointer(rebasing: b[line.start..<line.end])), as: UTF8.self)
            }
            if t.isEmpty { index += 1; continue }
            // "Source: Xinhua| 2025-11-25 10:32:15 | Editor: Liu Wei", "By ZHAO YIMENG in Harbin | China Daily |
            // Updated: 2024-06-18 07:21": a line of parts between bars that carries the date, menu or not.
            // (A header line is short: a paragraph of the body is not searched for a bar.)
            let barred = chrome || (t.utf8.count < 200 && bytes[line.start..<line.end].contains(UInt8(ascii: "|"))) ? barredDateLine(t) : nil
            if chrome || barred != nil {
                if let parts = barred {
                    if r.date == nil { r.date = parts.date; r.dateEvidence = line.start..<line.end }
                    if let source = parts.source, r.source == nil { r.source = source; r.sourceEvidence = line.start..<line.end }
                    for a in parts.authors { r.add(author: a) }
                }
                r.excluded.append(line.start..<line.end)
                index += 1
                headerLines += 1
                continue
            }
            if let (date, rest) = dateLine(t) {
                if r.date == nil { r.date = date; r.dateEvidence = line.start..<line.end }
                if let source = rest.source, r.source == nil { r.source = source; r.sourceEvidence = line.start..<line.end }
                if let title = rest.title, r.title == nil {
                    // What follows the date is the article's dateline and lead, not a title: the
                    // header ends where it starts.
                    if looksLikeDateline(title), let start = offset(of: title, in: bytes, line) {
                        r.excluded.append(line.start..<start)
                        datelineInLine = Line(start: start, end: line.end)
                        index += 1
                        break
                    }
                    r.title = title
                    r.titleEvidence = line.start..<line.end
                }
                r.excluded.append(line.start..<line.end)
                index += 1
                headerLines += 1
                continue
            }
            if let rule = pageLine(t, line, into: &r) {
                // A caption is the body's, not the header's: only passed over.
                if rule != .caption { r.excluded.append(line.start..<line.end) }
                index += 1
                headerLines += 1
                continue
            }
            // A title is short and is no sentence: a long line ending in a full stop is body text.
            let sentenceLike = (t.utf8.last == UInt8(ascii: ".") || t.utf8.reversed().starts(with: "。".utf8.reversed())) && spaceSeparatedWords(t, upTo: 7) > 6
            if t.utf8.count < titleLimit, !sentenceLike, !looksLikeDateline(t) {
                // A headline under a kicker of a few words ("Booming frontier town") is the title.
                let underKicker = afterKicker && !t.hasSuffix(".") && HeaderLines.wordCount(t) > HeaderLines.wordCount(r.title ?? "")
                if r.title == nil || underKicker {
                    kicker = r.title == nil && HeaderLines.wordCount(t) <= 4
                    r.title = t
                    r.titleEvidence = line.start..<line.end
                    r.excluded.append(line.start..<line.end)
                    index += 1
                    headerLines += 1
                    continue
                }
            }
            break
        }
        // Chrome anywhere else (pagers at the end): only a short line or one with a chrome's mark can
        // be chrome, and the marks are found in the whole body at once, not looked for line by line.
        if index < all.count {
            let marks = chromeMarks(bytes, from: all[index].start)
            var m = 0
            for line in all[index...] {
                while m < marks.count, marks[m] < line.start { m += 1 }
                let marked = m < marks.count && marks[m] < line.end
                if marked || (line.end > line.start && line.end - line.start <= 30), isChrome(bytes, line) { r.excluded.append(line.start..<line.end) }
            }
        }
        // The dateline: at the start of one of the first paragraphs (a photo caption may come first).
        let paragraphs = all[index...].lazy.filter { !isBlank(bytes, $0) }.prefix(3)
        for line in (datelineInLine.map { [$0] } ?? []) + paragraphs {
            guard startsLikeDateline(bytes[line.start..<min(line.end, line.start + 40)]) else { continue }
            // Only the start of a paragraph can be a dateline (`dateline` reads no further), so
            // only that much is made a string, cut at a character's start.
            var cut = min(line.end, line.start + datelineLimit)
            while cut < line.end, cut > line.start, bytes[cut] & 0xC0 == 0x80 { cut -= 1 }
            let text = String(decoding: bytes[line.start..<cut], as: UTF8.self)
            if let d = dateline(text, reference: r.date) {
                r.datelinePlace = d.place
                r.datelineDate = d.date
                // "MOSCOW, March 21 (Xinhua) --" with no date line above: the year is the one the
                // body or a photo caption gives a full date of.
                if d.date == nil, r.date == nil, let (month, day) = d.monthDay, let year = yearOfFullDate(bytes, month: month) {
                    r.datelineDate = PartialDate(year: year, month: month, day: day)
                }
                if r.source == nil { r.source = d.source }
                r.placeEvidence = line.start..<min(line.end, line.start + d.length)
                break
            }
        }
        credits(bytes, into: &r)
        return r
    }

    struct HeaderRest { var title: String?; var source: String? }

    /// The rules of `HeaderLines` that can claim a header line, in the order they are tried.
    enum PageLine { case breadcrumb, sectionLabel, repeatedTitle, outlet, byline, caption }

    /// Which page line `t` is, with what it tells put into `r`; nil for none.
    static func pageLine(_ t: String, _ line: Line, into r: inout Result) -> PageLine? {
        // A line that ends a sentence is none of them: most lines of the body are turned away here.
        guard let last = t.utf8.last, last != UInt8(ascii: ".") else { return nil }
        // A long line can only be a caption, which ends in its credit's bracket (or a bar after it).
        if t.utf8.count > 120 {
            return (last == UInt8(ascii: ")") || last == UInt8(ascii: "|")) && HeaderLines.isCaption(t) ? .caption : nil
        }
        if let crumb = HeaderLines.breadcrumb(t) {
            if case .headline(let title) = crumb, r.title == nil { r.title = title; r.titleEvidence = line.start..<line.end }
            return .breadcrumb
        }
        if HeaderLines.isSectionLabel(t) { return .sectionLabel }
        if let title = r.title, t == title { return .repeatedTitle }
        if let outlet = HeaderLines.outlet(t) {
            if r.source == nil { r.source = outlet; r.sourceEvidence = line.start..<line.end }
            return .outlet
        }
        if let by = HeaderLines.byline(t) {
            for a in by.authors { r.add(author: a) }
            if r.writtenIn == nil { r.writtenIn = by.place }
            return .byline
        }
        if HeaderLines.isCaption(t) { return .caption }
        return nil
    }

    /// Where `text` starts within a line's bytes.
    static func offset(of text: String, in bytes: [UInt8], _ line: Line) -> Int? {
        let needle = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { b in
            needle.withUnsafeBufferPointer { n in indexOfBytes(UnsafeBufferPointer(rebasing: b[line.start..<line.end]), n) }
        }.map { line.start + $0 }
    }

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

    private static func dateLine(_ t: String, _ b: UnsafeBufferPointer<UInt8>) -> (PartialDate, HeaderRest)? {
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
    private static func labelledDate(_ t: String) -> PartialDate? {
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
    private static let labelLeads: [Bool] = {
        var leads = [Bool](repeating: false, count: 256)
        for label in ["date "] + chineseDateLabels.map(\.0) + dateLabels.map(\.0) { leads[Int(label.utf8.first!)] = true }
        return leads
    }()

    /// A date line that starts with a label.
    private static func labelledDateLine(_ t: String, _ b: UnsafeBufferPointer<UInt8>) -> (PartialDate, HeaderRest)? {
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
    private static func onlyDate(_ b: UnsafeBufferPointer<UInt8>, needsDay: Bool) -> PartialDate? {
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

    static func looksLikeDateline(_ t: String) -> Bool { startsLikeDateline(t) && dateline(t, reference: nil) != nil }

    /// Upper-case words to a comma within the first 40 bytes (`XI'AN,`, `ST. PETERSBURG,`), or
    /// capitalised words that name a city the gazetteer knows (`Moscow,`, not `China,`): cheap, before tokenizing.
    static func startsLikeDateline(_ t: String) -> Bool { startsLikeDateline(t.utf8.prefix(40)) }

    static func startsLikeDateline<Bytes: Swift.Collection<UInt8>>(_ bytes: Bytes) -> Bool {
        guard let lead = bytes.first, lead &- 65 < 26 else { return false }
        // The words of the phrase key so far, and the first one's key, kept (up to 32 bytes).
        var capitals = 0, small = false, words = 0, inWord = false, ascii = true
        var firstKey: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0), firstLength = 0
        for (n, b) in bytes.enumerated() {
            if b >= 0x80 { ascii = false }
            let letter = b &- 65 < 26 || b &- 97 < 26
            if b &- 65 < 26 { capitals += 1 } else if b &- 97 < 26 { small = true }
            if letter || b &- 48 < 10 {
                if !inWord { words += 1; inWord = true }
                if words == 1 {
                    let l = WordTable.lower(b)
                    if firstLength < 32 { withUnsafeMutableBytes(of: &firstKey) { $0[firstLength] = l } }
                    firstLength += 1
                }
            } else if b == 0x20 {
                inWord = false
            } else if (b == UInt8(ascii: "(") || b == UInt8(ascii: "/")) && !small && capitals >= 2 {
                // "MOSCOW (Sputnik) -", "HANGZHOU /China/, November 3. /TASS/."
                return true
            } else if b == UInt8(ascii: ",") {
                guard small else { return capitals >= 2 }
                // Most such openings ("However,", "Chinese Premier Wang Hailin,") name no city: a city's name
                // has no more words than the longest, and its first word is in the vocabulary.
                let lexicon = Lexicon.shared
                guard words <= lexicon.longestCity else { return false }
                // (A name with letters beyond ASCII has its key made by folding them: it is looked up whole.)
                // The first word must start some city's name ("China," starts none).
                if ascii, firstLength <= 32 {
                    let id = withUnsafeBytes(of: &firstKey) { raw in
                        let key = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
                        return lexicon.vocabulary.id(key, firstLength, hash: WordTable.hash(key, firstLength))
                    }
                    guard id >= 0, lexicon.startsCity[Int(id)] else { return false }
                }
                return lexicon.places[Lexicon.phraseKey(String(decoding: bytes.prefix(n), as: UTF8.self))]?.kind == "city"
            }
        }
        return false
    }

    /// How many bytes of a paragraph's start are read for a dateline: the longest of the genre
    /// ("BLAGOVESHCHENSK, June 15 (China Daily/Asia News Network) --") take about 60.
    static let datelineLimit = 120

    struct Dateline {
        var place: String
        var date: PartialDate?
        var source: String?
        var length: Int
        /// The month and day of a dateline with no year to place them in.
        var monthDay: (Int, Int)?
    }

    /// `XI'AN, Nov. 24 (Xinhua) --`, `MOSCOW, Nov 17 (Reuters) -`, `HARBIN, June 15. /TASS/.`
    static func dateline(_ text: String, reference: PartialDate?) -> Dateline? {
        let bytes = Array(text.utf8)
        // A dateline is short: only the start of a paragraph is tokenized (cut at a character's start).
        var limit = min(bytes.count, datelineLimit)
        while limit < bytes.count, limit > 0, bytes[limit] & 0xC0 == 0x80 { limit -= 1 }
        return TextTokenizer.withTokens(of: text, limit: limit) { dateline($0, limit: limit, reference: reference) }
    }

    private static func dateline(_ tokens: Tokens, limit: Int, reference: PartialDate?) -> Dateline? {
        // The place: upper-case words up to a comma (`ST. PETERSBURG`), or capitalised words that
        // name a city the gazetteer knows (`Moscow`).
        var i = 0
        var allCaps = true
        while i < tokens.count {
            let t = tokens[i]
            if t.kind == .word, t.isAllCaps || t.isCapitalized { allCaps = allCaps && t.isAllCaps; i += 1 }
            else if i > 0, t.isPunct(".") { i += 1 }
            else { break }
        }
        guard i > 0, i < tokens.count else { return nil }
        let placeText = DateResolver.raw(tokens, 0, i)
        let key = Lexicon.phraseKey(placeText)
        let known = Lexicon.shared.places[key]
        guard allCaps ? known != nil || placeText.count >= 3 : known?.kind == "city" else { return nil }
        let place = known?.name ?? placeText.capitalizedWords
        // "MOSCOW (Sputnik) -": a place and its source, no date.
        if allCaps, tokens[i].isPunct("("), let (source, end) = bracketedSource(tokens, i), end < tokens.count, isDash(tokens[end]) {
            return Dateline(place: place, date: nil, source: canonicalSource(source), length: end + 1 < tokens.count ? tokens[end + 1].start : limit)
        }
        // "HANGZHOU /China/, November 3. /TASS/.": the country between slashes after the city.
        if tokens[i].isPunct("/"), let close = (i + 1..<min(tokens.count, i + 5)).first(where: { tokens[$0].isPunct("/") }) { i = close + 1 }
        guard i < tokens.count, tokens[i].isPunct(",") else { return nil }
        i += 1
        // "KAZAN, Russia, Oct. 23", "HUNCHUN, Jilin, May 20": the country or province a city lies in
        // stands between the city and the date.
        var k = i
        while k < tokens.count, k - i < 4, tokens[k].kind == .word, tokens[k].isCapitalized, DateResolver.month(tokens[k]) == nil { k += 1 }
        if k > i, k < tokens.count, tokens[k].isPunct(","),
           let region = Lexicon.shared.places[Lexicon.phraseKey(DateResolver.raw(tokens, i, k))], region.kind != "city" {
            i = k + 1
        }
        var date: PartialDate?
        var monthDay: (Int, Int)?
        if let f = DateResolver.monthDay(tokens, i, reference: reference) {
            date = f.date
            i = f.tokens.upperBound
        } else if i + 1 < tokens.count, let month = DateResolver.month(tokens[i]) {
            // Month and day with no year to place them in: still a dateline.
            i += 1
            if i < tokens.count, tokens[i].isPunct(".") { i += 1 }
            guard i < tokens.count, tokens[i].kind == .number, let day = tokens[i].integer, (1...31).contains(day) else { return nil }
            monthDay = (month, day)
            i += 1
        } else if i < tokens.count, let wd = DateResolver.weekday(tokens[i]), let reference,
                  let n = reference.dayNumber, let rwd = reference.weekday {
            date = PartialDate(dayNumber: n - (rwd - wd + 7) % 7)
            i += 1
        } else { return nil }
        if i < tokens.count, tokens[i].isPunct(".") { i += 1 }
        var source: String?
        var j = i
        if j < tokens.count, tokens[j].isPunct("(") {
            guard let (found, end) = bracketedSource(tokens, j) else { return nil }
            source = found
            j = end
        } else if j + 2 < tokens.count, tokens[j].isPunct("/"), tokens[j + 2].isPunct("/") {
            source = tokens[j + 1].text
            j += 3
            if j < tokens.count, tokens[j].isPunct(".") { j += 1 }
        }
        let dash = j < tokens.count && isDash(tokens[j])
        guard source != nil || dash else { return nil }
        if dash { j += 1 }
        let length = j < tokens.count ? tokens[j].start : limit
        return Dateline(place: place, date: date, source: source.map(canonicalSource), length: length, monthDay: monthDay)
    }

    /// The text of a bracket opened at token `open`, and the token after its close.
    private static func bracketedSource(_ tokens: Tokens, _ open: Int) -> (String, Int)? {
        var k = open + 1
        while k < tokens.count, !tokens[k].isPunct(")") { k += 1 }
        guard k < tokens.count, k > open + 1 else { return nil }
        return (DateResolver.raw(tokens, open + 1, k), k + 1)
    }

    private static func isDash(_ t: TextToken) -> Bool { t.isPunct("--") || t.isPunct("-") || t.isPunct("—") || t.isPunct("–") }

    static func canonicalSource(_ s: String) -> String {
        let key = Lexicon.phraseKey(s)
        if let org = Lexicon.shared.organizations[key], org.kind == "media" { return org.name }
        return s.uppercased() == s && s.count > 4 ? s.capitalizedWords : s
    }

    /// `(Xinhua/Zhang Wei)`, `(By Li Na)`, `(Photo: ...)`, and a `By Name` line:
    /// authors, never participants; their spans are excluded from the content.
    static func credits(_ bytes: [UInt8], into r: inout Result) {
        var i = 0
        while i < bytes.count {
            // The bracket, its close within 80 bytes and on its line, and a slash in it: found by `memchr`.
            let found = bytes.withUnsafeBufferPointer { b -> (open: Int, close: Int?, slash: Bool)? in
                guard let open = find(UInt8(ascii: "("), in: b, from: i) else { return nil }
                let limit = min(b.count, open + 81)  // a close at most 80 bytes on
                guard let close = find(UInt8(ascii: ")"), in: b, from: open + 1, to: limit),
                      find(0x0A, in: b, from: open + 1, to: close) == nil else { return (open, nil, false) }
                return (open, close, find(UInt8(ascii: "/"), in: b, from: open + 1, to: close) != nil)
            }
            guard let found else { break }
            i = found.open
            guard let j = found.close else { i += 1; continue }
            // Most brackets hold no credit: no slash and none of the prefixes, decided on the bytes.
            var first = i + 1
            while first < j, bytes[first] == 0x20 || bytes[first] == 0x09 || bytes[first] == 0x0D { first += 1 }
            let slash = found.slash
            guard slash || (first < j && creditLeads.contains(bytes[first]) && creditPrefixes.contains(where: { bytes[first..<j].starts(with: $0.utf8) }))
            else { i = j + 1; continue }
            var names: [String] = []
            var source: String?
            if slash {
                // (The slash found between the brackets stands in the trimmed text too.)
                let inner = String(decoding: bytes[(i + 1)..<j], as: UTF8.self).trimmed
                if let slash = inner.utf8.firstIndex(of: UInt8(ascii: "/")),
                   case let agency = String(inner[..<slash]).trimmed,
                   let org = Lexicon.shared.organizations[Lexicon.phraseKey(agency)], org.kind == "media" {
                    source = org.name
                    names = String(inner[inner.index(after: slash)...]).split(separator: ",").map { String($0).trimmed }
                }
                names = names.filter(isNameShaped)
            } else {
                // "(By Li Na and Wang Wei)": the names after the prefix, cut at commas and at " and ", read on the bytes.
                names = bytes.withUnsafeBufferPointer { b in
                    let inner = trimmedBytes(UnsafeBufferPointer(rebasing: b[(i + 1)..<j]))
                    guard let prefix = creditPrefixes.last(where: { inner.starts(with: $0.utf8) }) else { return [] }
                    return creditedNames(UnsafeBufferPointer(rebasing: inner[prefix.utf8.count...]))
                }
            }
            if !names.isEmpty {
                for n in names { r.add(author: n) }
                if r.source == nil, let source { r.source = source }
                r.excluded.append(i..<(j + 1))
            }
            i = j + 1
        }
    }

    /// The name-shaped names of a credit after its prefix: its parts between commas (none empty),
    /// each cut at " and ", trimmed.
    static func creditedNames(_ b: UnsafeBufferPointer<UInt8>) -> [String] {
        var names: [String] = []
        func take(_ part: UnsafeBufferPointer<UInt8>) {
            let name = String(decoding: trimmedBytes(part), as: UTF8.self)
            if isNameShaped(name) { names.append(name) }
        }
        let and = creditAnd
        var start = 0
        for k in 0...b.count where k == b.count || b[k] == UInt8(ascii: ",") {
            defer { start = k + 1 }
            guard k > start else { continue }  // an empty part between commas is no part
            var from = start, m = start
            while m + and.count <= k {
                if b[m] == 0x20, UnsafeBufferPointer(rebasing: b[m..<(m + and.count)]).elementsEqual(and) {
                    take(UnsafeBufferPointer(rebasing: b[from..<m]))
                    m += and.count
                    from = m
                } else { m += 1 }
            }
            take(UnsafeBufferPointer(rebasing: b[from..<k]))
        }
        return names
    }

    /// What starts a credit in brackets (`(Photo by ...)`): the list `credit-prefixes` of
    /// `wordlists.tsv`, each followed by a space.
    static let creditPrefixes = Lexicon.shared.phrases("credit-prefixes").map { $0 + " " }
    /// What joins the last two names of a credit.
    private static let creditAnd = Array(" and ".utf8)
    /// Their first bytes: most brackets start with none of them.
    private static let creditLeads = Array(Set(creditPrefixes.map { $0.utf8.first! }))

    /// `isNameShaped` decided on ASCII bytes; nil for any other text.
    private static func isASCIINameShaped(_ b: UnsafeBufferPointer<UInt8>) -> Bool? {
        var words = 0
        var atStart = true
        var shaped = true
        for c in b {
            if c >= 0x80 { return nil }
            if c == 0x20 { atStart = true; continue }
            let letter = c &- 65 < 26 || c &- 97 < 26
            if atStart {
                words += 1
                atStart = false
                if !(c &- 65 < 26) { shaped = false }
            } else if !(letter || c == UInt8(ascii: "-") || c == UInt8(ascii: "'") || c == UInt8(ascii: ".")) {
                shaped = false
            }
        }
        return shaped && (1...4).contains(words)
    }

    /// Two to four capitalised words: the shape of a credited name.
    static func isNameShaped(_ s: String) -> Bool {
        var copy = s
        if let ascii = copy.withUTF8({ isASCIINameShaped($0) }) { return ascii }
        let words = s.split(separator: " ")
        return (1...4).contains(words.count) && words.allSatisfy { w in
            guard let f = w.unicodeScalars.first else { return false }
            return f.properties.isUppercase && w.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || $0 == "-" || $0 == "'" || $0 == "." }
        }
    }
}

extension String {
    /// "XI'AN" → "Xi'an", "ST PETERSBURG" → "St Petersburg".
    var capitalizedWords: String {
        split(separator: " ").map { w in w.prefix(1).uppercased() + w.dropFirst().lowercased() }.joined(separator: " ")
    }
}

extension UnsafeBufferPointer<UInt8> {
    /// Whether the UTF-8 bytes of `needle` occur in these bytes.
    func hasBytes(_ needle: StaticString) -> Bool {
        containsBytes(self, UnsafeBufferPointer(start: needle.utf8Start, count: needle.utf8CodeUnitCount))
    }
}

extension StringProtocol {
    /// Whether the UTF-8 bytes of `needle` occur in the string: no Foundation, no locale.
    func hasBytes(_ needle: String) -> Bool {
        let found = utf8.withContiguousStorageIfAvailable { h in
            needle.utf8.withContiguousStorageIfAvailable { n in containsBytes(h, n) }
        }
        if let found, let found { return found }
        return Array(utf8).withUnsafeBufferPointer { h in Array(needle.utf8).withUnsafeBufferPointer { n in containsBytes(h, n) } }
    }
}

/// Whether the bytes `n` occur in `h`.
private func containsBytes(_ h: UnsafeBufferPointer<UInt8>, _ n: UnsafeBufferPointer<UInt8>) -> Bool {
    n.isEmpty || indexOfBytes(h, n) != nil
}

/// Where the bytes `n` first occur in `h`: each place the first byte stands is found by `memchr`,
/// and the rest compared there by `memcmp`.
func indexOfBytes(_ h: UnsafeBufferPointer<UInt8>, _ n: UnsafeBufferPointer<UInt8>) -> Int? {
    guard let first = n.first, h.count >= n.count, let hay = h.baseAddress, let needle = n.baseAddress else { return nil }
    var i = 0
    let last = h.count - n.count
    while i <= last, let hit = memchr(hay + i, Int32(first), last - i + 1) {
        let at = hay.distance(to: hit.assumingMemoryBound(to: UInt8.self))
        if memcmp(hay + at + 1, needle + 1, n.count - 1) == 0 { return at }
        i = at + 1
    }
    return nil
}

