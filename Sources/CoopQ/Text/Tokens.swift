/// A word, number or punctuation mark of an article, by byte offsets into its text.
///
/// A token is plain data: its kind, offsets and flags, and the numbers of its match key in the
/// lexicons' vocabulary, all worked out in the tokenizer's one pass over the bytes. Its text,
/// lower-case form and match key are made only when a finder asks for them, from the bytes it
/// points into: tokens must not outlive the buffer they were made from (`TextTokenizer.tokenize`).
struct TextToken {
    enum Kind: UInt8 { case word, number, punct }
    var kind: Kind
    /// The flags below, a bit each: a token is 40 bytes, so an article's tokens stay in the
    /// nearest caches while the finders read them over and over.
    private var flags: UInt8
    /// Offsets and length, in 32 bits (a text is cut at 2 GiB: `TextTokenizer.largestText`).
    private var start32: Int32
    private var end32: Int32
    private var characters32: Int32
    /// The numbers of `key` and `baseKey` in the lexicons' vocabulary; -1 for a word none has.
    var word: Int32 = -1
    var baseWord: Int32 = -1
    /// The hash of the match key (`WordTable`), for a word or number of ASCII letters.
    var keyHash: UInt64 = WordTable.seed
    /// The first byte of the text the offsets count in.
    let base: UnsafePointer<UInt8>

    init(kind: Kind, lineBefore: Bool, start: Int, end: Int, characters: Int, base: UnsafePointer<UInt8>) {
        self.kind = kind
        flags = Self.isASCIIBit | Self.isPlainBit | (lineBefore ? Self.lineBeforeBit : 0)
        start32 = Int32(truncatingIfNeeded: start)
        end32 = Int32(truncatingIfNeeded: end)
        characters32 = Int32(truncatingIfNeeded: characters)
        self.base = base
    }

    static let lineBeforeBit: UInt8 = 1, isCapitalizedBit: UInt8 = 4, isAllCapsBit: UInt8 = 8
    static let isASCIIBit: UInt8 = 16, hasUpperBit: UInt8 = 32, isPlainBit: UInt8 = 64, isPossessiveBit: UInt8 = 128

    /// A plain ASCII word or number of the tokenizer's fast path, its flags worked out at once.
    init(kind: Kind, flags: UInt8, start: Int, end: Int, keyHash: UInt64, base: UnsafePointer<UInt8>) {
        self.kind = kind
        self.flags = flags
        start32 = Int32(truncatingIfNeeded: start)
        end32 = Int32(truncatingIfNeeded: end)
        characters32 = Int32(truncatingIfNeeded: end &- start)
        self.keyHash = keyHash
        self.base = base
    }

    @inline(__always) private func flag(_ bit: UInt8) -> Bool { flags & bit != 0 }
    @inline(__always) private mutating func set(_ bit: UInt8, _ on: Bool) { flags = on ? flags | bit : flags & ~bit }

    /// A line break stands before it.
    var lineBefore: Bool { flag(Self.lineBeforeBit) }
    /// A word starting with a capital letter; a word with capitals and no small letters
    /// ("XI'AN", "SCO").
    var isCapitalized: Bool { get { flag(Self.isCapitalizedBit) } set { set(Self.isCapitalizedBit, newValue) } }
    var isAllCaps: Bool { get { flag(Self.isAllCapsBit) } set { set(Self.isAllCapsBit, newValue) } }
    /// Only ASCII bytes; a word with upper-case letters; a word that is all letters and digits.
    var isASCII: Bool { get { flag(Self.isASCIIBit) } set { set(Self.isASCIIBit, newValue) } }
    var hasUpper: Bool { get { flag(Self.hasUpperBit) } set { set(Self.hasUpperBit, newValue) } }
    var isPlain: Bool { get { flag(Self.isPlainBit) } set { set(Self.isPlainBit, newValue) } }
    /// A word ending in a possessive 's ("Jinhua’s").
    var isPossessive: Bool { get { flag(Self.isPossessiveBit) } set { set(Self.isPossessiveBit, newValue) } }
    var start: Int { Int(start32) }
    var end: Int { Int(end32) }
    /// The number of characters.
    var characters: Int { get { Int(characters32) } set { characters32 = Int32(truncatingIfNeeded: newValue) } }

    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base + start, count: end - start) }

    var text: String { String(decoding: bytes, as: UTF8.self) }

    /// The number a token of digits alone stands for (`Int(text)`, read on the bytes); nil for any other.
    var integer: Int? {
        let n = end - start
        guard n > 0, n <= 18 else { return nil }
        var v = 0
        for k in start..<end {
            let d = base[k] &- 48
            guard d < 10 else { return nil }
            v = v &* 10 &+ Int(d)
        }
        return v
    }

    /// The text in lower case.
    var lower: String {
        if !isASCII { return text.lowercased() }
        if !hasUpper { return text }
        let b = bytes
        return String(unsafeUninitializedCapacity: b.count) { out in
            for (n, c) in b.enumerated() { out[n] = c >= 65 && c <= 90 ? c + 32 : c }
            return b.count
        }
    }

    /// The match key: letters and digits only, in lower case.
    var key: String {
        if kind == .punct { return "" }
        if !isASCII { return matchKey(text) }
        if isPlain { return lower }
        let b = bytes
        return String(unsafeUninitializedCapacity: b.count) { out in
            var n = 0
            for c in b {
                let l = c >= 65 && c <= 90 ? c + 32 : c
                if (l >= 97 && l <= 122) || (l >= 48 && l <= 57) { out[n] = l; n += 1 }
            }
            return n
        }
    }

    /// The match key without the possessive 's ("jinhua" for "Jinhua’s"), when it has one.
    var baseKey: String? { isPossessive ? String(key.dropLast()) : nil }

    /// Whether it is the word `w`, given in lower case.
    func isWord(_ w: StaticString) -> Bool {
        kind == .word && Self.equalsLower(bytes, w)
    }

    /// Whether it is the punctuation mark `p`.
    func isPunct(_ p: StaticString) -> Bool { kind == .punct && textIs(p) }

    /// Whether its text is exactly `p`, compared on the bytes.
    func textIs(_ p: StaticString) -> Bool {
        guard end - start == p.utf8CodeUnitCount else { return false }
        let q = p.utf8Start
        for i in 0..<(end - start) where base[start + i] != q[i] { return false }
        return true
    }

    /// Whether its text in lower case ends with `w`, compared on the bytes.
    func lowerHasSuffix(_ w: StaticString) -> Bool {
        let n = w.utf8CodeUnitCount
        guard end - start >= n else { return false }
        let p = w.utf8Start
        for i in 0..<n where WordTable.lower(base[end - n + i]) != p[i] { return false }
        return true
    }

    /// Whether its text in lower case is `w`, compared on the bytes.
    func lowerIs(_ w: StaticString) -> Bool { Self.equalsLower(bytes, w) }

    /// Whether its text in lower case is `w`, a word of a data file, compared on the bytes.
    func lowerIs(_ w: String) -> Bool {
        let b = bytes
        if b.count == w.utf8.count, zip(b, w.utf8).allSatisfy({ c, d in (c >= 65 && c <= 90 ? c + 32 : c) == d }) { return true }
        // A word of another script ("Дата", a rule's "дата") is compared in Unicode's lower case
        // (no string is made for a word of ASCII, which the bytes have decided).
        return !isASCII && w.utf8.contains { $0 >= 0x80 } && String(decoding: b, as: UTF8.self).lowercased() == w
    }

    private static func equalsLower(_ b: UnsafeBufferPointer<UInt8>, _ w: StaticString) -> Bool {
        guard b.count == w.utf8CodeUnitCount else { return false }
        let p = w.utf8Start
        for i in 0..<b.count {
            let c = b[i]
            if (c >= 65 && c <= 90 ? c + 32 : c) != p[i] { return false }
        }
        return true
    }
}

/// An article's tokens, in a buffer that lives while they are read (`TextTokenizer.withTokens`),
/// and beside them two bytes for each token that the finders' scans read instead of the
/// 40-byte tokens, eight tokens at a time: its `TokenMarks` and its initial (its first byte
/// with the 0x20 bit set, for a word; 0 for any other token).
struct Tokens: RandomAccessCollection {
    let buffer: UnsafeBufferPointer<TextToken>
    let marks: UnsafePointer<UInt8>
    let initials: UnsafePointer<UInt8>
    /// How many are words or numbers (not punctuation), counted as they were made.
    let words: Int

    var startIndex: Int { 0 }
    var endIndex: Int { buffer.count }
    @inline(__always) subscript(i: Int) -> TextToken { buffer[i] }
}

/// What a token may start, a bit each, worked out as it is made: most tokens start nothing a
/// finder looks for, and the finders pass over them on these bits alone.
enum TokenMarks {
    /// A word starting with a capital: where a name may start.
    static let capitalizedWord: UInt8 = 1
    static let number: UInt8 = 2
    /// A word that starts a topic's trigger, or a hyphen (`TopicFinder`).
    static let topic: UInt8 = 4
    /// A capitalised word that starts a place's or an organization's name (`MentionFinder`).
    static let mention: UInt8 = 8
    /// Punctuation, or a token at the start of a line: where a sentence may end (`sentences`).
    static let breaking: UInt8 = 16
    /// A word that starts an event's noun (`EventFinder`).
    static let eventNoun: UInt8 = 32
    /// A token a date may start at (`DateResolver.dates`): a number, a month's or weekday's name,
    /// "this", "last" or "next", or a word whose name is not read by its number (not plain).
    static let date: UInt8 = 64
    /// A word an agreement is read from: "signed", "signing", "inked" (`AgreementFinder.triggers`).
    static let agreement: UInt8 = 128

    /// By word number, the bits a word gives a token whose word (or base word) it is: the
    /// phrase tables it starts a phrase in.
    static func byWord(count: Int, topics: PhraseTable<String>, places: PhraseTable<Lexicon.PlaceEntry>,
                       organizations: PhraseTable<Lexicon.OrganizationEntry>, eventNouns: PhraseTable<String>, dateWords: Set<Int32>,
                       agreementWords: Set<Int32>) -> [UInt8] {
        (0..<count).map { id in
            let w = Int32(id)
            return (topics.starts(with: w) ? topic : 0) | (places.starts(with: w) || organizations.starts(with: w) ? mention : 0)
                | (eventNouns.starts(with: w) ? eventNoun : 0) | (dateWords.contains(w) ? date : 0) | (agreementWords.contains(w) ? agreement : 0)
        }
    }

    /// The marks of a word or number, given the marks `w` of its word and base word (`byWord`).
    @inline(__always)
    static func of(number: Bool, capitalized: Bool, lineBefore: Bool, _ w: UInt8) -> UInt8 {
        let m = (w & topic) | (lineBefore ? breaking : 0)
        if number { return m | TokenMarks.number | date }
        return m | (w & (eventNoun | date | agreement)) | (capitalized ? capitalizedWord | (w & mention) : 0)
    }

    /// A token's marks, given the marks of words by number (`byWord`).
    static func of(_ t: TextToken, _ byWord: [UInt8]) -> UInt8 {
        if t.kind == .punct { return breaking | (t.textIs("-") ? topic : 0) }
        var w: UInt8 = 0
        if t.word >= 0 { w = byWord[Int(t.word)] }
        if t.baseWord >= 0 { w |= byWord[Int(t.baseWord)] }
        return of(number: t.kind == .number, capitalized: t.isCapitalized, lineBefore: t.lineBefore, w) | (t.isPlain ? 0 : date)
    }
}

/// The finders' scans that pass over most tokens: each the first token from `i` on, before `end`,
/// of a kind a finder starts at; `end` if none. They read the tokens' marks or initials, eight
/// bytes at a time, not the tokens.
extension Tokens {
    private static let ones: UInt64 = 0x0101_0101_0101_0101

    /// The first token with any of the `bits` among its marks.
    @inline(__always) func next(marked bits: UInt8, from i: Int, to end: Int) -> Int {
        let pattern = UInt64(bits) &* Tokens.ones
        let raw = UnsafeRawPointer(marks)
        var i = i
        while i &+ 8 <= end {
            let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & pattern
            if w != 0 { return i &+ (w.trailingZeroBitCount &>> 3) }
            i &+= 8
        }
        while i < end, marks[i] & bits == 0 { i &+= 1 }
        return i
    }

    /// The high bit of each byte of `x` that is `a`: exact for the lowest such byte (a borrow
    /// can mark a byte only above a byte that is `a`), which is all a scan reads.
    @inline(__always) private static func bytes(of x: UInt64, equalTo a: UInt8) -> UInt64 {
        let y = x ^ (UInt64(a) &* ones)
        return (y &- ones) & ~y & 0x8080_8080_8080_8080
    }

    /// A capitalised word: where a name may start.
    func nextCapitalizedWord(from i: Int, to end: Int) -> Int { next(marked: TokenMarks.capitalizedWord, from: i, to: end) }

    /// A number.
    func nextNumber(from i: Int, to end: Int) -> Int { next(marked: TokenMarks.number, from: i, to: end) }

    /// A word whose first letter is `a` (given in lower case), in any case.
    func nextWord(startingWith a: UInt8, from i: Int, to end: Int) -> Int { nextWord(startingWith: a, or: a, from: i, to: end) }

    /// A word whose first letter is `a` or `b` (given in lower case), in any case.
    func nextWord(startingWith a: UInt8, or b: UInt8, from i: Int, to end: Int) -> Int {
        let raw = UnsafeRawPointer(initials)
        var i = i
        while i &+ 8 <= end {
            let x = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            let hits = Tokens.bytes(of: x, equalTo: a) | Tokens.bytes(of: x, equalTo: b)
            if hits != 0 { return i &+ (hits.trailingZeroBitCount &>> 3) }
            i &+= 8
        }
        while i < end, initials[i] != a, initials[i] != b { i &+= 1 }
        return i
    }
}

/// A sentence as a range of token indexes and of bytes.
struct Sentence: Sendable {
    var tokens: Range<Int>
    var start: Int
    var end: Int
}
