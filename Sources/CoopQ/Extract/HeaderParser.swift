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

        /// What a header rule read from the line at `range`: each field the header has not yet.
        mutating func take(_ reading: HeaderRules.Reading, _ range: Range<Int>) {
            rules.append(reading.rule)
            if date == nil, let d = reading.date { date = d; dateEvidence = range; fieldRules["date"] = reading.rule }
            if source == nil, let s = reading.source { source = s; sourceEvidence = range; fieldRules["source"] = reading.rule }
            if title == nil, let t = reading.title { title = t; titleEvidence = range; fieldRules["title"] = reading.rule }
            if writtenIn == nil, let p = reading.place { writtenIn = p; fieldRules["place"] = reading.rule }
            for a in reading.authors { add(author: a) }
            excluded.append(range)
        }
        /// Byte ranges that are not content: chrome, header lines, credits.
        var excluded: [Range<Int>] = []
        /// Where the title, date, source and dateline place were read: fields, not a dictionary,
        /// as every article sets some of them.
        var titleEvidence, dateEvidence, sourceEvidence, placeEvidence: Range<Int>?
        /// The rules of header.rules that read its lines, in order, and the field each gave.
        var rules: [String] = []
        var fieldRules: [String: String] = [:]
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
        let (bodyStart, datelineInLine) = leadingLines(bytes, all, into: &r)
        if bodyStart < all.count { markChrome(bytes, all[bodyStart...], into: &r) }
        // The dateline: at the start of one of the first paragraphs (a photo caption may come first).
        let paragraphs = all[bodyStart...].lazy.filter { !isBlank(bytes, $0) }.prefix(3)
        for line in (datelineInLine.map { [$0] } ?? []) + paragraphs where readDateline(bytes, line, into: &r) { break }
        credits(bytes, into: &r)
        return r
    }

    /// What a leading line of the page is.
    enum LeadingLine {
        /// A header line (chrome, a date line, a page line, a title): the header goes on.
        case header
        /// The title, short enough to be a kicker over the headline on the next line.
        case kicker
        /// A blank line: passed over, not counted.
        case blank
        /// The body's first paragraph: the header ends before it.
        case body
        /// A date line that runs on into the dateline: the header ends, the dateline starts at `Line`.
        case datelineFrom(Line)
    }

    /// Reads the leading lines (chrome, date lines and the title, in any order, at most eight) into
    /// `r`: the number of the body's first line, and a dateline that a date line ran on into.
    private static func leadingLines(_ bytes: [UInt8], _ all: [Line], into r: inout Result) -> (Int, Line?) {
        var index = 0
        var headerLines = 0
        var kicker = false
        while index < all.count, headerLines < 8 {
            let line = all[index]
            switch leadingLine(bytes, line, afterKicker: kicker, into: &r) {
            case .blank: index += 1; continue
            case .body: return (index, nil)
            case .datelineFrom(let start): return (index + 1, start)
            case .header: kicker = false
            case .kicker: kicker = true
            }
            index += 1
            headerLines += 1
        }
        return (index, nil)
    }

    /// Reads one leading line into `r`, and says what it was.
    private static func leadingLine(_ bytes: [UInt8], _ line: Line, afterKicker: Bool, into r: inout Result) -> LeadingLine {
        if isBlank(bytes, line) { return .blank }
        let chrome = isChrome(bytes, line)
        // A line of a title's length or more is a paragraph of the body unless it is chrome or starts
        // with a date's label: it ends the header with no string made of it.
        if !chrome, line.end - line.start >= titleLimit, bytes.withUnsafeBufferPointer({ b in
            let trimmed = trimmedBytes(UnsafeBufferPointer(rebasing: b[line.start..<line.end]))
            return trimmed.count >= titleLimit && !startsWithDateLabel(trimmed)
        }) {
            return .body
        }
        let t = bytes.withUnsafeBufferPointer { b in
            String(decoding: trimmedBytes(UnsafeBufferPointer(rebasing: b[line.start..<line.end])), as: UTF8.self)
        }
        if t.isEmpty { return .blank }
        let range = line.start..<line.end
        // A line a rule of header.rules reads is the rule's.
        if let reading = HeaderRules.read(t) {
            r.take(reading, range)
            return .header
        }
        // "Source: Xinhua| 2025-11-25 10:32:15 | Editor: Liu Wei", "By ZHAO YIMENG in Harbin | China Daily |
        // Updated: 2024-06-18 07:21": a line of parts between bars that carries the date, menu or not.
        // (A header line is short: a paragraph of the body is not searched for a bar.)
        let barred = chrome || (t.utf8.count < 200 && bytes[range].contains(UInt8(ascii: "|"))) ? barredDateLine(t) : nil
        if chrome || barred != nil {
            if let parts = barred {
                if r.date == nil { r.date = parts.date; r.dateEvidence = range }
                if let source = parts.source, r.source == nil { r.source = source; r.sourceEvidence = range }
                for a in parts.authors { r.add(author: a) }
            }
            r.excluded.append(range)
            return .header
        }
        if let (date, rest) = dateLine(t) { return takeDateLine(date, rest, bytes, line, into: &r) }
        if let rule = pageLine(t, line, into: &r) {
            // A caption is the body's, not the header's: only passed over.
            if rule != .caption { r.excluded.append(range) }
            return .header
        }
        // A title is short and is no sentence: a long line ending in a full stop is body text.
        let sentenceLike = (t.utf8.last == UInt8(ascii: ".") || t.utf8.reversed().starts(with: "。".utf8.reversed())) && spaceSeparatedWords(t, upTo: 7) > 6
        guard t.utf8.count < titleLimit, !sentenceLike, !looksLikeDateline(t) else { return .body }
        // A headline under a kicker of a few words ("Booming frontier town") is the title.
        let underKicker = afterKicker && !t.hasSuffix(".") && HeaderLines.wordCount(t) > HeaderLines.wordCount(r.title ?? "")
        guard r.title == nil || underKicker else { return .body }
        let kicker = r.title == nil && HeaderLines.wordCount(t) <= 4
        r.title = t
        r.titleEvidence = range
        r.excluded.append(range)
        return kicker ? .kicker : .header
    }

    /// A date line's date, and the source or title on it. What follows the date may be the
    /// article's dateline and lead, not a title: the header then ends where it starts.
    private static func takeDateLine(_ date: PartialDate, _ rest: HeaderRest, _ bytes: [UInt8], _ line: Line, into r: inout Result) -> LeadingLine {
        let range = line.start..<line.end
        if r.date == nil { r.date = date; r.dateEvidence = range }
        if let source = rest.source, r.source == nil { r.source = source; r.sourceEvidence = range }
        if let title = rest.title, r.title == nil {
            if looksLikeDateline(title), let start = offset(of: title, in: bytes, line) {
                r.excluded.append(line.start..<start)
                return .datelineFrom(Line(start: start, end: line.end))
            }
            r.title = title
            r.titleEvidence = range
        }
        r.excluded.append(range)
        return .header
    }

    /// Chrome anywhere in the body (pagers at the end): only a short line or one with a chrome's
    /// mark can be chrome, and the marks are found in the whole body at once, not line by line.
    private static func markChrome(_ bytes: [UInt8], _ body: ArraySlice<Line>, into r: inout Result) {
        guard let first = body.first else { return }
        let marks = chromeMarks(bytes, from: first.start)
        var m = 0
        for line in body {
            while m < marks.count, marks[m] < line.start { m += 1 }
            let marked = m < marks.count && marks[m] < line.end
            if marked || (line.end > line.start && line.end - line.start <= 30), isChrome(bytes, line) { r.excluded.append(line.start..<line.end) }
        }
    }

    /// Reads a dateline at the start of `line` into `r`; whether there was one.
    private static func readDateline(_ bytes: [UInt8], _ line: Line, into r: inout Result) -> Bool {
        guard startsLikeDateline(bytes[line.start..<min(line.end, line.start + 40)]) else { return false }
        // Only the start of a paragraph can be a dateline (`dateline` reads no further), so
        // only that much is made a string, cut at a character's start.
        var cut = min(line.end, line.start + datelineLimit)
        while cut < line.end, cut > line.start, bytes[cut] & 0xC0 == 0x80 { cut -= 1 }
        let text = String(decoding: bytes[line.start..<cut], as: UTF8.self)
        guard let d = dateline(text, reference: r.date) else { return false }
        r.datelinePlace = d.place
        r.datelineDate = d.date
        // "MOSCOW, March 21 (Xinhua) --" with no date line above: the year is the one the
        // body or a photo caption gives a full date of.
        if d.date == nil, r.date == nil, let (month, day) = d.monthDay, let year = yearOfFullDate(bytes, month: month) {
            r.datelineDate = PartialDate(year: year, month: month, day: day)
        }
        if r.source == nil { r.source = d.source }
        r.placeEvidence = line.start..<min(line.end, line.start + d.length)
        return true
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

}
