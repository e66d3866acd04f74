/// A word, number or punctuation mark of an article, by byte offsets into its text.
struct TextToken: Sendable {
    enum Kind: Sendable { case word, number, punct }
    var kind: Kind
    var start: Int
    var end: Int
    var text: String
    /// A line break stands before it; `paragraph`: an empty line does.
    var lineBefore: Bool
    var paragraph: Bool
    /// The text in lower case, and its match key (letters and digits only), computed once.
    var lower: String
    var key: String
    /// The match key without a possessive 's ("jinhua" for "Jinhua’s"), when it has one.
    var baseKey: String?
    /// A word starting with a capital letter; a word with capitals and no small letters
    /// ("XI'AN", "SCO"); the number of characters. Worked out once, on the bytes when they are ASCII.
    var isCapitalized = false
    var isAllCaps = false
    var characters: Int
    /// The numbers of `key` and `baseKey` in the lexicons' vocabulary; -1 for a word no phrase has.
    var word: Int32 = -1
    var baseWord: Int32 = -1

    init(kind: Kind, start: Int, end: Int, text: String, lineBefore: Bool, paragraph: Bool) {
        self.kind = kind
        self.start = start
        self.end = end
        self.text = text
        self.lineBefore = lineBefore
        self.paragraph = paragraph
        characters = text.utf8.count
        if kind == .punct {
            lower = text
            key = ""
            if characters > 1 { characters = text.count }
            return
        }
        var ascii = true
        var possessive = false
        let count = text.utf8.count
        text.utf8.withContiguousStorageIfAvailable { bytes in
            for b in bytes where b >= 0x80 { ascii = false; break }
            if count > 2, bytes[count - 1] == UInt8(ascii: "s"), bytes[count - 2] == UInt8(ascii: "'") { possessive = true }
        }
        if !possessive, !ascii, text.hasSuffix("’s") { possessive = true }
        if ascii {
            // One pass over the bytes: most words need no new string at all (already lower
            // case, only letters and digits); the rest are written straight into new strings.
            var hasUpper = false, hasLower = false, hasOther = false
            for b in text.utf8 {
                if b >= 65 && b <= 90 { hasUpper = true } else if b >= 97 && b <= 122 { hasLower = true }
                else if !(b >= 48 && b <= 57) { hasOther = true }
            }
            if kind == .word, let f = text.utf8.first {
                isCapitalized = f >= 65 && f <= 90
                isAllCaps = hasUpper && !hasLower
            }
            lower = !hasUpper ? text : String(unsafeUninitializedCapacity: count) { buffer in
                var n = 0
                for b in text.utf8 { buffer[n] = b >= 65 && b <= 90 ? b + 32 : b; n += 1 }
                return n
            }
            key = !hasOther ? lower : String(unsafeUninitializedCapacity: count) { buffer in
                var n = 0
                for b in text.utf8 {
                    let c = b >= 65 && b <= 90 ? b + 32 : b
                    if (c >= 97 && c <= 122) || (c >= 48 && c <= 57) { buffer[n] = c; n += 1 }
                }
                return n
            }
        } else {
            lower = text.lowercased()
            key = matchKey(text)
            characters = text.count
            if kind == .word {
                isCapitalized = text.unicodeScalars.first!.properties.isUppercase
                isAllCaps = text.unicodeScalars.contains { $0.properties.isUppercase } && !text.unicodeScalars.contains { $0.properties.isLowercase }
            }
        }
        if kind == .word, possessive {
            baseKey = String(key.dropLast())
        }
        let vocabulary = Lexicon.shared.vocabulary
        if !key.isEmpty, let id = vocabulary[key] { word = id }
        if let baseKey, let id = vocabulary[baseKey] { baseWord = id }
    }

    func isWord(_ w: String) -> Bool { kind == .word && lower == w }
    func isPunct(_ p: String) -> Bool { kind == .punct && text.utf8.count == p.utf8.count && text == p }
}

/// A sentence as a range of token indexes and of bytes.
struct Sentence: Sendable {
    var tokens: Range<Int>
    var start: Int
    var end: Int
    var paragraph: Int
}

/// Splits text into tokens and sentences in one pass over its UTF-8 bytes.
///
/// Apostrophes and hyphens inside a word stay in it (`Xi'an`, `China-Russia`,
/// `People’s`); a full stop after a known abbreviation (`Nov.`, `St.`) does not end a sentence.
enum TextTokenizer {
    /// `keep` decides, by a token's start, whether it is made at all (page chrome and header
    /// lines are not): a token that is not kept costs no strings.
    static func tokenize(_ bytes: [UInt8], from start: Int = 0, to end: Int? = nil, keep: ((Int) -> Bool)? = nil) -> [TextToken] {
        let end = min(end ?? bytes.count, bytes.count)
        var tokens: [TextToken] = []
        tokens.reserveCapacity((end - start) / 5)
        var i = start
        var newlines = 0
        while i < end {
            let b = bytes[i]
            if b == 0x0A { newlines += 1; i += 1; continue }
            if b == 0x20 || b == 0x09 || b == 0x0D { i += 1; continue }
            // U+00A0, U+3000 and other spacing: treat as blank.
            if b == 0xC2, i + 1 < end, bytes[i + 1] == 0xA0 { i += 2; continue }
            if b == 0xE3, i + 2 < end, bytes[i + 1] == 0x80, bytes[i + 2] == 0x80 { i += 3; continue }
            let s = i
            var kind = TextToken.Kind.punct
            if isWordByte(bytes, i, end) || isDigit(b) {
                kind = isDigit(b) ? .number : .word
                while i < end {
                    if isWordByte(bytes, i, end) || isDigit(bytes[i]) {
                        i += scalarLength(bytes[i])
                    } else if isJoiner(bytes, i, end) && i + joinerLength(bytes, i) < end
                                && (isWordByte(bytes, i + joinerLength(bytes, i), end) || isDigit(bytes[i + joinerLength(bytes, i)])) {
                        i += joinerLength(bytes, i)
                    } else if kind == .number, i + 1 < end, isDigit(bytes[i + 1]),
                              bytes[i] == 0x2E || (bytes[i] == 0x2C && i + 3 < end && isDigit(bytes[i + 2]) && isDigit(bytes[i + 3])
                                                   && (i + 4 >= end || !isDigit(bytes[i + 4]))) {
                        // 28.1 and 1,000 (but not "Nov 9,2016")
                        i += 1
                    } else { break }
                }
                if kind == .number, tokenHasLetters(bytes, s, i) { kind = .word }
            } else {
                // "--" is one dash token.
                if b == 0x2D, i + 1 < end, bytes[i + 1] == 0x2D { i += 2 } else { i += scalarLength(b) }
            }
            i = min(i, end)
            if let keep, !keep(s) { newlines = 0; continue }
            tokens.append(TextToken(kind: kind, start: s, end: i, text: String(decoding: bytes[s..<i], as: UTF8.self),
                                    lineBefore: newlines > 0, paragraph: newlines > 1))
            newlines = 0
        }
        return tokens
    }

    static let abbreviations: Set<String> = [
        "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
        "st", "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "gov", "sen", "rep", "no", "jr", "sr", "vs", "co", "inc", "ltd", "corp",
    ]

    /// Sentences of the tokens: ended by `.`, `!`, `?` (not after an abbreviation or before a
    /// lower-case word), and by a line break.
    static func sentences(_ tokens: [TextToken]) -> [Sentence] {
        var result: [Sentence] = []
        var first = 0
        var paragraph = 0
        func close(_ last: Int) {
            guard first <= last, first < tokens.count else { return }
            result.append(Sentence(tokens: first..<(last + 1), start: tokens[first].start, end: tokens[last].end, paragraph: paragraph))
            first = last + 1
        }
        var i = 0
        while i < tokens.count {
            if i > first, tokens[i].lineBefore {
                close(i - 1)
                if tokens[i].paragraph { paragraph += 1 }
            }
            if tokens[i].kind == .punct, tokens[i].text == "." || tokens[i].text == "!" || tokens[i].text == "?" {
                let t = tokens[i]
                let previous = i > 0 ? tokens[i - 1] : nil
                let next = i + 1 < tokens.count ? tokens[i + 1] : nil
                let afterAbbreviation = previous.map { $0.end == t.start && abbreviations.contains($0.lower) } ?? false
                let singleInitial = previous.map { $0.end == t.start && $0.kind == .word && $0.characters == 1 && $0.isCapitalized } ?? false
                var ends = !(afterAbbreviation || singleInitial)
                if let next, !next.lineBefore {
                    if next.kind == .word, !next.isCapitalized { ends = false }
                    if next.kind == .number && afterAbbreviation { ends = false }
                    // Closing quotes and brackets belong to the sentence they end.
                    if next.kind == .punct, ["”", "\"", ")", "’"].contains(next.text) {
                        if ends { i += 1 }
                    }
                }
                if ends { close(i) }
            }
            i += 1
        }
        close(tokens.count - 1)
        return result
    }

    private static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    private static func scalarLength(_ b: UInt8) -> Int {
        b < 0x80 ? 1 : (b >= 0xF0 ? 4 : (b >= 0xE0 ? 3 : (b >= 0xC0 ? 2 : 1)))
    }

    /// Letters: ASCII letters and any non-ASCII scalar except punctuation and CJK symbols.
    private static func isWordByte(_ bytes: [UInt8], _ i: Int, _ end: Int) -> Bool {
        let b = bytes[i]
        if (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) { return true }
        if b < 0xC0 { return false }
        if b == 0xE2 { return false }  // General Punctuation block: quotes, dashes
        if b == 0xE3, i + 1 < end, bytes[i + 1] == 0x80 { return false }  // CJK punctuation
        if b == 0xEF, i + 1 < end, bytes[i + 1] == 0xBC || bytes[i + 1] == 0xBD { return false }  // full-width forms
        if b == 0xC2 { return false }  // Latin-1 punctuation
        return true
    }

    /// `'`, `’` and `-` join two parts of a word.
    private static func isJoiner(_ bytes: [UInt8], _ i: Int, _ end: Int) -> Bool {
        let b = bytes[i]
        if b == 0x27 || b == 0x2D { return true }
        return b == 0xE2 && i + 2 < end && bytes[i + 1] == 0x80 && bytes[i + 2] == 0x99
    }

    private static func joinerLength(_ bytes: [UInt8], _ i: Int) -> Int { bytes[i] == 0xE2 ? 3 : 1 }

    private static func tokenHasLetters(_ bytes: [UInt8], _ s: Int, _ e: Int) -> Bool {
        bytes[s..<e].contains { ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) }
    }
}
