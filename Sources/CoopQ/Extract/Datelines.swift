/// Datelines at the start of the body: `XI'AN, Nov. 24 (Xinhua) --`, `HARBIN, June 15. /TASS/.`
extension HeaderParser {
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

    static func dateline(_ tokens: Tokens, limit: Int, reference: PartialDate?) -> Dateline? {
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
    static func bracketedSource(_ tokens: Tokens, _ open: Int) -> (String, Int)? {
        var k = open + 1
        while k < tokens.count, !tokens[k].isPunct(")") { k += 1 }
        guard k < tokens.count, k > open + 1 else { return nil }
        return (DateResolver.raw(tokens, open + 1, k), k + 1)
    }

    static func isDash(_ t: TextToken) -> Bool { t.isPunct("--") || t.isPunct("-") || t.isPunct("—") || t.isPunct("–") }

    static func canonicalSource(_ s: String) -> String {
        let key = Lexicon.phraseKey(s)
        if let org = Lexicon.shared.organizations[key], org.kind == "media" { return org.name }
        return s.uppercased() == s && s.count > 4 ? s.capitalizedWords : s
    }
}
