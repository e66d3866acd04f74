/// Reads dates in article text and resolves relative ones against a reference date (the
/// dateline's date, else the publication date): "on Monday" in an article of Wednesday
/// 2025-11-19 is 2025-11-17; "July 19" takes the article's year; "earlier this month" is
/// the article's month; "last month" the one before.
enum DateResolver {
    /// Months' and weekdays' names and abbreviations (`month-names`, `weekday-names` of wordmaps.tsv).
    static let monthNames = Lexicon.shared.map("month-names").map { ($0.word, Int($0.value) ?? 0) }
    static let weekdayNames = Lexicon.shared.map("weekday-names").map { ($0.word, Int($0.value) ?? 0) }
    static let months = WordMap(monthNames)
    static let weekdays = WordMap(weekdayNames)

    /// The month a word names in the low four bits, one more than the weekday in the high four; 0
    /// for neither. A word of letters alone is read by its number in the vocabulary, which holds
    /// every month and weekday name (`Lexicon.calendar`); any other is looked up by its text.
    @inline(__always)
    static func calendar(_ t: TextToken, in lexicon: Lexicon? = nil) -> UInt8 {
        guard t.kind == .word else { return 0 }
        if t.isPlain { return (lexicon ?? Lexicon.shared).calendar(t.word) }
        return UInt8(months[t] ?? 0) | (weekdays[t].map { UInt8($0 + 1) << 4 } ?? 0)
    }

    /// The weekday a word names (0 for Sunday).
    static func weekday(_ t: TextToken) -> Int? {
        let d = calendar(t) >> 4
        return d == 0 ? nil : Int(d) - 1
    }

    /// Whether a sentence speaks of what will be ("will be held in September"): its dates far from
    /// the article's are then ahead of it, not behind. Asked only of such dates.
    static func isFuture(_ tokens: Tokens, _ sentence: Range<Int>?) -> Bool {
        guard let sentence else { return false }
        return tokens[sentence].contains { $0.kind == .word && futureMarkers.contains($0) }
    }

    static let futureMarkers = Lexicon.shared.wordSet("future-markers")

    /// Words before a bare month that make it a date: "in March", "since May".
    static let monthIntroducers = Lexicon.shared.wordSet("month-introducers")

    /// The month a word names.
    static func month(_ t: TextToken) -> Int? {
        let m = calendar(t) & 15
        return m == 0 ? nil : Int(m)
    }

    struct Found { var date: PartialDate; var raw: String; var tokens: Range<Int> }

    /// A full date written in a header: `2025-11-25`, `November 19, 2025`, `Nov 9,2016`, `24 November 2025`.
    static func parseHeaderDate(_ text: String) -> PartialDate? {
        var copy = text
        return copy.withUTF8 { parseHeaderDate($0) }
    }

    /// `parseHeaderDate` of UTF-8 bytes, read where they lie.
    static func parseHeaderDate(_ bytes: UnsafeBufferPointer<UInt8>) -> PartialDate? {
        if let d = numeric(bytes) { return d }
        return TextTokenizer.withTokens(bytes) { tokens in
            for (i, t) in tokens.enumerated() {
                if t.kind == .number, let d = iso(t.bytes) { return d }
                if let f = monthDay(tokens, i, reference: nil), f.date.day != nil || f.date.month != nil { return f.date }
            }
            return nil
        }
    }

    /// A date of digits between dots or slashes, as headers print it: `17.05.2024`, `07/11/2018`
    /// (the day first, as in Russia, Europe and this genre's sites, unless the second number cannot
    /// be a month), `2025/11/25`.
    static func numeric(_ b: UnsafeBufferPointer<UInt8>) -> PartialDate? {
        var i = 0
        while i < b.count {
            guard b[i] &- 48 < 10, i == 0 || !(b[i - 1] &- 48 < 10) else { i += 1; continue }
            var numbers: [(value: Int, digits: Int)] = []
            var j = i, separator: UInt8 = 0
            while j < b.count, numbers.count < 3 {
                var value = 0, digits = 0
                while j < b.count, b[j] &- 48 < 10, digits < 5 { value = value * 10 + Int(b[j] &- 48); digits += 1; j += 1 }
                guard digits > 0 else { break }
                numbers.append((value, digits))
                guard numbers.count < 3, j < b.count, b[j] == UInt8(ascii: ".") || b[j] == UInt8(ascii: "/"),
                      separator == 0 || b[j] == separator else { break }
                separator = b[j]
                j += 1
            }
            if numbers.count == 3, j >= b.count || !(b[j] &- 48 < 10) {
                let (a, m, c) = (numbers[0], numbers[1].value, numbers[2])
                if a.digits == 4, c.digits <= 2, let d = checked(a.value, m, c.value) { return d }
                if c.digits == 4, a.digits <= 2, numbers[1].digits <= 2 {
                    if let d = checked(c.value, m, a.value) { return d }
                    if let d = checked(c.value, a.value, m) { return d }
                }
            }
            i = max(j, i + 1)
        }
        return nil
    }

    private static func checked(_ year: Int, _ month: Int, _ day: Int) -> PartialDate? {
        guard (1900...2100).contains(year), (1...12).contains(month), day >= 1, day <= PartialDate.daysIn(month: month, year: year) else { return nil }
        return PartialDate(year: year, month: month, day: day)
    }

    static func iso(_ text: String) -> PartialDate? {
        var copy = text
        return copy.withUTF8 { iso($0) }
    }

    /// `iso` of UTF-8 bytes: digits and hyphens only, the common case, are read where they lie, with no string made.
    static func iso(_ bytes: UnsafeBufferPointer<UInt8>) -> PartialDate? {
        if let read = isoDigits(bytes) { return read }
        let text = String(decoding: bytes, as: UTF8.self)
        let parts = text.split(separator: "-")
        guard parts.count == 3, parts[0].count == 4 else { return nil }
        let padded = parts.map { $0.count == 1 ? "0" + $0 : String($0) }.joined(separator: "-")
        return PartialDate(iso: padded)
    }

    /// `iso` on bytes of ASCII digits and hyphens: the runs of digits must be a year of four,
    /// a month and a day of one or two. `.none` when a byte is neither, for `iso`'s general path;
    /// `.some(nil)` when the bytes are read and are no date.
    private static func isoDigits(_ b: UnsafeBufferPointer<UInt8>) -> PartialDate?? {
        var values = (0, 0, 0), lengths = (0, 0, 0)
        var runs = 0, value = 0, length = 0
        func close() {
            guard length > 0 else { return }
            switch runs {
            case 0: values.0 = value; lengths.0 = length
            case 1: values.1 = value; lengths.1 = length
            case 2: values.2 = value; lengths.2 = length
            default: break
            }
            runs += 1
            value = 0
            length = 0
        }
        for c in b {
            if c &- 48 < 10 {
                if length < 9 { value = value * 10 + Int(c &- 48) }
                length += 1
            } else if c == UInt8(ascii: "-") {
                close()
            } else {
                return nil
            }
        }
        close()
        guard runs == 3, lengths.0 == 4, (1...2).contains(lengths.1), (1...2).contains(lengths.2),
              (1...12).contains(values.1), (1...PartialDate.daysIn(month: values.1, year: values.0)).contains(values.2)
        else { return .some(nil) }
        return PartialDate(year: values.0, month: values.1, day: values.2)
    }

    /// `Month Day[, Year]` or `Day Month [Year]` starting at token `i`.
    /// `sentence`: the tokens of the sentence it stands in, whose tense decides the year of a date
    /// far from the article's.
    static func monthDay(_ tokens: Tokens, _ i: Int, reference: PartialDate?, sentence: Range<Int>? = nil) -> Found? {
        guard i < tokens.count else { return nil }
        var j = i
        func skipDot() { if j < tokens.count, tokens[j].isPunct(".") { j += 1 } }
        if tokens[i].kind == .word, let m = month(tokens[i]), tokens[i].isCapitalized {
            j = i + 1
            skipDot()
            guard j < tokens.count, tokens[j].kind == .number, let day = tokens[j].integer, (1...31).contains(day) else { return nil }
            j += 1
            var year: Int?
            if j + 1 < tokens.count, tokens[j].isPunct(","), tokens[j + 1].kind == .number, tokens[j + 1].characters == 4 {
                year = tokens[j + 1].integer
                j += 2
            } else if j < tokens.count, tokens[j].kind == .number, tokens[j].characters == 4, !tokens[j].lineBefore {
                year = tokens[j].integer
                j += 1
            }
            return make(year: year, month: m, day: day, reference: reference, sentence: sentence, tokens, i, j)
        }
        if tokens[i].kind == .number, let day = tokens[i].integer, (1...31).contains(day), i + 1 < tokens.count,
           tokens[i + 1].kind == .word, tokens[i + 1].isCapitalized, let m = month(tokens[i + 1]) {
            j = i + 2
            skipDot()
            var year: Int?
            if j < tokens.count, tokens[j].kind == .number, tokens[j].characters == 4 { year = tokens[j].integer; j += 1 }
            return make(year: year, month: m, day: day, reference: reference, sentence: sentence, tokens, i, j)
        }
        return nil
    }

    private static func make(year: Int?, month: Int, day: Int, reference: PartialDate?, sentence: Range<Int>?, _ tokens: Tokens, _ i: Int, _ j: Int) -> Found? {
        var y = year
        if y == nil, let reference {
            y = reference.year
            // A month well after the article's is last year's ("Dec. 30" in a January article);
            // in a sentence about what will be, a month well before it is next year's.
            if let rm = reference.month {
                if month > rm + 2, !isFuture(tokens, sentence) { y = reference.year - 1 }
                if month < rm - 2, isFuture(tokens, sentence) { y = reference.year + 1 }
            }
        }
        guard let y, day <= PartialDate.daysIn(month: month, year: y) else { return nil }
        return Found(date: PartialDate(year: y, month: month, day: day), raw: raw(tokens, i, j), tokens: i..<j)
    }

    /// The tokens' texts in lower case, joined by single spaces (`tokens[r].map(\.lower).joined(separator: " ")`),
    /// written into one string when they are all ASCII.
    static func lowerJoined(_ tokens: Tokens, _ r: Range<Int>) -> String {
        var count = 0
        for k in r {
            guard tokens[k].isASCII else { return tokens[r].map(\.lower).joined(separator: " ") }
            count += tokens[k].end - tokens[k].start + (k > r.lowerBound ? 1 : 0)
        }
        return String(unsafeUninitializedCapacity: count) { out in
            var n = 0
            for k in r {
                if k > r.lowerBound { out[n] = 0x20; n += 1 }
                for c in tokens[k].bytes { out[n] = WordTable.lower(c); n += 1 }
            }
            return n
        }
    }

    /// The text of `tokens[i..<j]`, with one space wherever the text had blanks between two
    /// tokens: written straight from the bytes into one string.
    static func raw(_ tokens: Tokens, _ i: Int, _ j: Int) -> String {
        guard i < j else { return "" }
        var count = 0
        for k in i..<j { count += tokens[k].end - tokens[k].start + (k > i && tokens[k].start > tokens[k - 1].end ? 1 : 0) }
        return String(unsafeUninitializedCapacity: count) { out in
            var n = 0
            for k in i..<j {
                if k > i, tokens[k].start > tokens[k - 1].end { out[n] = 0x20; n += 1 }
                let b = tokens[k].bytes
                _ = UnsafeMutableBufferPointer(rebasing: out[n..<(n + b.count)]).initialize(from: b)
                n += b.count
            }
            return n
        }
    }

    /// The words a relative date starts with ("this month", "last week", "next year").
    static let relativeWords = ["this", "last", "next"]

    /// Every date expression in `tokens[range]`, resolved against `reference`.
    static func dates(in tokens: Tokens, _ range: Range<Int>, reference: PartialDate?) -> [Found] {
        var found: [Found] = []
        var i = range.lowerBound
        while i < range.upperBound {
            // Most tokens start no date: all but numbers, months' and weekdays' names and the
            // `relativeWords`. They are passed over on their marks.
            i = tokens.next(marked: TokenMarks.date, from: i, to: range.upperBound)
            guard i < range.upperBound else { break }
            let t = tokens[i]
            if t.kind == .number, t.characters == 10, let d = iso(t.text) {
                found.append(Found(date: d, raw: t.text, tokens: i..<(i + 1)))
                i += 1
                continue
            }
            if let f = monthDay(tokens, i, reference: reference, sentence: range), f.tokens.upperBound <= range.upperBound {
                found.append(f)
                i = f.tokens.upperBound
                continue
            }
            // "in March", "in March of this year": the month, in the article's year unless it is after it.
            if t.kind == .word, t.isCapitalized, let m = month(t), t.characters > 3 || t.textIs("May"),
               i > range.lowerBound, DateResolver.monthIntroducers.contains(tokens[i - 1]), let reference {
                var y = reference.year
                var end = i + 1
                if end + 2 < range.upperBound, tokens[end].isWord("of"), tokens[end + 1].isWord("this"), tokens[end + 2].isWord("year") { end += 3 }
                else if end + 1 < range.upperBound, tokens[end].kind == .number, tokens[end].characters == 4, let year = tokens[end].integer { y = year; end += 1 }
                else if let rm = reference.month, m > rm, !isFuture(tokens, range) { y -= 1 }
                else if let rm = reference.month, m < rm, isFuture(tokens, range) { y += 1 }
                found.append(Found(date: PartialDate(year: y, month: m), raw: raw(tokens, i - 1, end), tokens: (i - 1)..<end))
                i = end
                continue
            }
            if t.kind == .word, let wd = weekday(t), let reference, let refDay = reference.dayNumber, let refWd = reference.weekday {
                // A weekday is the last one before the article's day, or the next one after it when its
                // clause speaks of what will be ("will be held on Tuesday").
                let ahead = tokens[max(range.lowerBound, i - 8)..<i].contains { $0.kind == .word && futureMarkers.contains($0) }
                let offset = ahead ? (wd - refWd + 7) % 7 : -((refWd - wd + 7) % 7)
                let start = i > range.lowerBound && tokens[i - 1].isWord("on") ? i - 1 : i
                found.append(Found(date: PartialDate(dayNumber: refDay + offset), raw: raw(tokens, start, i + 1), tokens: start..<(i + 1)))
                i += 1
                continue
            }
            // "in 2016": a year alone.
            if t.kind == .number, t.characters == 4, let year = t.integer, (1950...2100).contains(year), i > range.lowerBound,
               tokens[i - 1].isWord("in"), i + 1 >= range.upperBound || !tokens[i + 1].isPunct("-") {
                found.append(Found(date: PartialDate(year: year), raw: raw(tokens, i - 1, i + 1), tokens: (i - 1)..<(i + 1)))
                i += 1
                continue
            }
            if let f = relative(tokens, i, range, reference: reference) {
                found.append(f)
                i = f.tokens.upperBound
                continue
            }
            i += 1
        }
        return found
    }

    /// "this month", "last year", "earlier next week": a month or a year counted from the article's.
    private static func relative(_ tokens: Tokens, _ i: Int, _ range: Range<Int>, reference: PartialDate?) -> Found? {
        let t = tokens[i]
        guard t.kind == .word, i + 1 < range.upperBound, tokens[i + 1].isWord("month") || tokens[i + 1].isWord("year") || tokens[i + 1].isWord("week"),
              let reference, t.lowerIs("this") || t.lowerIs("last") || t.lowerIs("next") else { return nil }
        // (The first token of a text has no token before it: "earlier" is looked for only after one.)
        let start = i > range.lowerBound && (tokens[i - 1].isWord("earlier") || tokens[i - 1].isWord("later")) ? i - 1 : i
        let d: PartialDate
        if tokens[i + 1].isWord("week") {
            // "last week": the month of the day a week before (a week is no date of its own).
            guard let day = reference.dayNumber else { return nil }
            let then = PartialDate(dayNumber: day + (t.lowerIs("last") ? -7 : t.lowerIs("next") ? 7 : 0))
            d = PartialDate(year: then.year, month: then.month)
        } else if tokens[i + 1].isWord("year") {
            d = PartialDate(year: reference.year + (t.lowerIs("last") ? -1 : t.lowerIs("next") ? 1 : 0))
        } else {
            var m = (reference.month ?? 1) + (t.lowerIs("last") ? -1 : t.lowerIs("next") ? 1 : 0)
            var y = reference.year
            if m < 1 { m = 12; y -= 1 }
            if m > 12 { m = 1; y += 1 }
            d = PartialDate(year: y, month: m)
        }
        let from = max(range.lowerBound, start)
        return Found(date: d, raw: raw(tokens, from, i + 2), tokens: from..<(i + 2))
    }

}
