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

    fileprivate static let lineBeforeBit: UInt8 = 1, isCapitalizedBit: UInt8 = 4, isAllCapsBit: UInt8 = 8
    fileprivate static let isASCIIBit: UInt8 = 16, hasUpperBit: UInt8 = 32, isPlainBit: UInt8 = 64, isPossessiveBit: UInt8 = 128

    /// A plain ASCII word or number of the tokenizer's fast path, its flags worked out at once.
    fileprivate init(kind: Kind, flags: UInt8, start: Int, end: Int, keyHash: UInt64, base: UnsafePointer<UInt8>) {
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
        guard b.count == w.utf8.count else { return false }
        return zip(b, w.utf8).allSatisfy { c, d in (c >= 65 && c <= 90 ? c + 32 : c) == d }
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

/// Splits text into tokens and sentences in one pass over its UTF-8 bytes.
///
/// Apostrophes and hyphens inside a word stay in it (`Xi'an`, `China-Russia`,
/// `People’s`); a full stop after a known abbreviation (`Nov.`, `St.`) does not end a sentence.
enum TextTokenizer {
    /// Offsets into a text are 32-bit: tokens past 2 GiB are not made.
    static let largestText = Int(Int32.max)

    /// The tokens of `bytes[start..<end]`, read within `body`. Each word's match key is hashed
    /// and looked up in the vocabulary as soon as the word's end is found (a word of ASCII
    /// letters and digits where it lies, any other from a copy of its key), so a token costs no
    /// string. A token that starts in one of the `excluded` byte ranges (sorted,
    /// not overlapping: page chrome and header lines) is not made at all.
    ///
    /// The tokens are plain data in a buffer of their own, freed when `body` returns: neither
    /// they nor the buffer may be kept after it (they point into `bytes` too). Read through a
    /// buffer, not an array, they cost the finders no bounds check and the tokenizer no check
    /// of an array's uniqueness for each token it adds.
    static func withTokens<R>(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int = 0, to end: Int? = nil, excluding excluded: [Range<Int>] = [],
                              _ body: (Tokens) throws -> R) rethrows -> R {
        // Offsets are 32-bit: a longer text is read to its first 2 GiB (the loader turns such a file away).
        let end = min(end ?? bytes.count, bytes.count, TextTokenizer.largestText)
        var buffer = TokenBuffer(capacity: (end - start) / 5 + 16, wordMarks: Lexicon.shared.wordMarks)
        defer { buffer.free() }
        tokenize(bytes, from: start, to: end, excluding: excluded, into: &buffer)
        return try body(Tokens(buffer: UnsafeBufferPointer(start: buffer.storage, count: buffer.count),
                               marks: buffer.marks, initials: buffer.marks + buffer.capacity, words: buffer.words))
    }

    /// Tokens as they are made, with their marks and initials: buffers that double when full.
    struct TokenBuffer {
        var storage: UnsafeMutablePointer<TextToken>
        /// The tokens' marks, then (from `capacity` on) their initials.
        var marks: UnsafeMutablePointer<UInt8>
        var capacity: Int
        var count = 0
        /// Tokens that are no punctuation.
        var words = 0
        let wordMarks: [UInt8]

        init(capacity: Int, wordMarks: [UInt8]) {
            self.capacity = max(capacity, 16)
            storage = .allocate(capacity: self.capacity)
            marks = .allocate(capacity: 2 * self.capacity)
            self.wordMarks = wordMarks
        }

        func free() {
            storage.deallocate()
            marks.deallocate()
        }

        /// Adds a token, its marks worked out from it.
        mutating func append(_ t: TextToken) {
            append(t, marks: TokenMarks.of(t, wordMarks), initial: t.kind == .word ? t.base[t.start] | 0x20 : 0)
        }

        @inline(__always) mutating func append(_ t: TextToken, marks m: UInt8, initial: UInt8) {
            if count == capacity { grow() }
            (storage + count).initialize(to: t)
            marks[count] = m
            marks[capacity &+ count] = initial
            count &+= 1
            if t.kind != .punct { words &+= 1 }
        }

        private mutating func grow() {
            let larger = UnsafeMutablePointer<TextToken>.allocate(capacity: capacity * 2)
            larger.moveInitialize(from: storage, count: count)
            storage.deallocate()
            storage = larger
            let largerMarks = UnsafeMutablePointer<UInt8>.allocate(capacity: 4 * capacity)
            largerMarks.initialize(from: marks, count: count)
            (largerMarks + 2 * capacity).initialize(from: marks + capacity, count: count)
            marks.deallocate()
            marks = largerMarks
            capacity *= 2
        }
    }

    /// The tokens of `bytes[start..<end]` (`end` within `bytes`), added to `tokens`.
    private static func tokenize(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, excluding excluded: [Range<Int>],
                                 into output: inout TokenBuffer) {
        guard let base = bytes.baseAddress, start < end else { return }
        // Worked on as a local value, written back once: its fields stay in registers, not reloaded
        // after each token is stored through its pointers.
        var tokens = output
        defer { output = tokens }
        let vocabulary = Lexicon.shared.vocabulary
        let wordMarks = tokens.wordMarks
        // The match key of the word being read; a longer word takes the slow path.
        let scratchSize = 64
        let scratch = UnsafeMutablePointer<UInt8>.allocate(capacity: scratchSize)
        defer { scratch.deallocate() }
        var i = start
        var newlines = 0
        // The excluded ranges are walked once, as the tokens' starts only grow; a token before the
        // next range's start (most tokens) is decided by one comparison.
        var nextExcluded = 0
        var clearBefore = excluded.first?.lowerBound ?? Int.max
        func isExcluded(_ s: Int) -> Bool {
            if s < clearBefore { return false }
            while nextExcluded < excluded.count, excluded[nextExcluded].upperBound <= s { nextExcluded += 1 }
            clearBefore = nextExcluded < excluded.count ? excluded[nextExcluded].lowerBound : Int.max
            return s >= clearBefore
        }
        while i < end {
            let b = bytes[i]
            // A space, the byte between most tokens, first.
            if b == 0x20 { i &+= 1; continue }
            if b == 0x0A { newlines &+= 1; i &+= 1; continue }
            if b == 0x09 || b == 0x0D { i &+= 1; continue }
            // U+00A0, U+3000 and other spacing: treat as blank.
            if b == 0xC2, i + 1 < end, bytes[i + 1] == 0xA0 { i += 2; continue }
            if b == 0xE3, i + 2 < end, bytes[i + 1] == 0x80, bytes[i + 2] == 0x80 { i += 3; continue }
            let s = i
            // The common case: ASCII letters and digits up to a byte that ends the token whatever
            // follows. The run's end is found eight bytes at a time, with no branch for each byte.
            if (b | 0x20) &- 97 < 26 || b &- 48 < 10 {
                let (j, lower, upper) = asciiRun(base, from: i, to: end)
                let n = j &- i, letters = lower || upper
                let startsWithDigit = b &- 48 < 10
                var ends = true
                if j < end {
                    let c = bytes[j]
                    if c >= 0x80 {
                        // A letter beyond ASCII, or ’ joining two parts of a word, goes on.
                        ends = c == 0xE2 && !(isJoiner(bytes, j, end) && j + 3 < end && (isWordByte(bytes, j + 3, end) || isDigit(bytes[j + 3])))
                    } else if c == 0x27 || c == 0x2D {
                        ends = !(j + 1 < end && (isWordByte(bytes, j + 1, end) || isDigit(bytes[j + 1])))
                    } else if c == 0x2E || c == 0x2C {
                        ends = !startsWithDigit
                    }
                }
                if ends {
                    i = j
                    if isExcluded(s) { newlines = 0; continue }
                    let kind: TextToken.Kind = startsWithDigit && !letters ? .number : .word
                    // The flags in one byte: ASCII and plain, the line breaks before, the capitals.
                    var flags = TextToken.isASCIIBit | TextToken.isPlainBit | (upper ? TextToken.hasUpperBit : 0)
                    if newlines > 0 { flags |= TextToken.lineBeforeBit }
                    if kind == .word {
                        if b &- 65 < 26 { flags |= TextToken.isCapitalizedBit }
                        if upper && !lower { flags |= TextToken.isAllCapsBit }
                    }
                    newlines = 0
                    // The key is the word with each byte's 0x20 bit set: hashed and looked up where it lies.
                    let hash = WordTable.hash(base + s, n, .folded)
                    var t = TextToken(kind: kind, flags: flags, start: s, end: j, keyHash: hash, base: base)
                    t.word = vocabulary.id(base + s, n, hash: hash, .folded)
                    let marks = TokenMarks.of(number: kind == .number, capitalized: flags & TextToken.isCapitalizedBit != 0,
                                              lineBefore: flags & TextToken.lineBeforeBit != 0, t.word >= 0 ? wordMarks[Int(t.word)] : 0)
                    tokens.append(t, marks: marks, initial: kind == .word ? b | 0x20 : 0)
                    continue
                }
            }
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
            if isExcluded(s) { newlines = 0; continue }
            var t = TextToken(kind: kind, lineBefore: newlines > 0, start: s, end: i, characters: i - s, base: base)
            newlines = 0
            if kind == .punct {
                t.isPlain = false
                if i - s > 1 { t.isASCII = false; t.characters = t.text.count }
                tokens.append(t)
                continue
            }
            // One pass: case, plainness, and the match key (hashed once it is whole, and without
            // its last letter for a possessive's base).
            var hasLower = false
            var n = 0
            var k = s
            while k < i {
                let c = bytes[k]
                if c >= 0x80 { t.isASCII = false; t.isPlain = false; break }
                if c >= 65 && c <= 90 {
                    t.hasUpper = true
                } else if c >= 97 && c <= 122 {
                    hasLower = true
                } else if !(c >= 48 && c <= 57) {
                    t.isPlain = false
                    k += 1
                    continue
                }
                let l = c | (c >= 65 && c <= 90 ? 0x20 : 0)
                if n < scratchSize { scratch[n] = l }
                n += 1
                k += 1
            }
            let last = bytes[i - 1]
            t.isPossessive = kind == .word && last == UInt8(ascii: "s") && i - s > 2
                && (bytes[i - 2] == UInt8(ascii: "'") || (i - s > 4 && bytes[i - 2] == 0x99 && bytes[i - 3] == 0x80 && bytes[i - 4] == 0xE2))
            if t.isASCII {
                if kind == .word {
                    t.isCapitalized = b >= 65 && b <= 90
                    t.isAllCaps = t.hasUpper && !hasLower
                }
                if n > 0, n <= scratchSize {
                    t.keyHash = WordTable.hash(scratch, n)
                    t.word = vocabulary.id(scratch, n, hash: t.keyHash)
                    if t.isPossessive { t.baseWord = vocabulary.id(scratch, n - 1, hash: WordTable.hash(scratch, n - 1)) }
                    tokens.append(t)
                    continue
                }
            } else {
                let text = t.text
                t.characters = text.count
                if kind == .word {
                    t.isCapitalized = text.unicodeScalars.first!.properties.isUppercase
                    t.isAllCaps = text.unicodeScalars.contains { $0.properties.isUppercase } && !text.unicodeScalars.contains { $0.properties.isLowercase }
                }
            }
            // Words with letters beyond ASCII, and very long ones: the key is made as a string.
            let key = t.key
            if t.isASCII { t.keyHash = WordTable.hash(ofKey: key) }
            if !key.isEmpty { t.word = vocabulary.id(key) }
            if t.isPossessive { t.baseWord = vocabulary.id(String(key.dropLast())) }
            tokens.append(t)
        }
    }

    /// The tokens of a string (a header line, a date): made and read within `body`.
    static func withTokens<R>(of text: String, limit: Int? = nil, _ body: (Tokens) -> R) -> R {
        var copy = text
        return copy.withUTF8 { withTokens($0, to: limit, body) }
    }

    static let abbreviations = Lexicon.shared.wordSet("sentence-abbreviations")

    /// The most tokens a sentence has: a longer run with no full stop or line break (a table, a
    /// list run together) is cut there, so that no finder's work for a sentence (a clause walked
    /// back, its dates read for each event in it) grows with a whole file. No sentence of prose
    /// comes near it.
    static let longestSentence = 1024

    /// Sentences of the tokens: ended by `.`, `!`, `?` (not after an abbreviation or before a
    /// lower-case word), and by a line break; cut at `longestSentence` tokens.
    static func sentences(_ tokens: Tokens) -> [Sentence] {
        var result: [Sentence] = []
        result.reserveCapacity(tokens.count / 16 + 1)
        var first = 0
        func close(_ last: Int) {
            guard first <= last, first < tokens.count else { return }
            result.append(Sentence(tokens: first..<(last + 1), start: tokens[first].start, end: tokens[last].end))
            first = last + 1
        }
        var i = 0
        while i < tokens.count {
            // Most tokens neither start a line nor are punctuation: passed over on their marks.
            i = tokens.next(marked: TokenMarks.breaking, from: i, to: tokens.count)
            while i - first > longestSentence { close(first + longestSentence - 1) }
            guard i < tokens.count else { break }
            if i > first, tokens[i].lineBefore { close(i - 1) }
            // Most tokens are no full stop: decided on their kind and first byte, with no copy.
            if tokens[i].kind == .punct, tokens[i].end - tokens[i].start == 1,
               case let b = tokens[i].base[tokens[i].start], b == UInt8(ascii: ".") || b == UInt8(ascii: "!") || b == UInt8(ascii: "?") {
                let t = tokens[i]
                let previous = i > 0 ? tokens[i - 1] : nil
                let next = i + 1 < tokens.count ? tokens[i + 1] : nil
                let afterAbbreviation = previous.map { $0.end == t.start && abbreviations.contains($0) } ?? false
                let singleInitial = previous.map { $0.end == t.start && $0.kind == .word && $0.characters == 1 && $0.isCapitalized } ?? false
                var ends = !(afterAbbreviation || singleInitial)
                if let next, !next.lineBefore {
                    if next.kind == .word, !next.isCapitalized { ends = false }
                    if next.kind == .number && afterAbbreviation { ends = false }
                    // Closing quotes and brackets belong to the sentence they end.
                    if next.isPunct("”") || next.isPunct("\"") || next.isPunct(")") || next.isPunct("’") {
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

    /// The end of the run of ASCII letters and digits that starts at `i` (before `end`), and
    /// whether it has small letters and capitals. Eight bytes at a time while eight remain, each
    /// byte's kind found in the word's bytes at once (`WordTable.bytes(of:from:through:)`), and
    /// the run's end at the first byte of no kind, with no branch for each byte.
    @inline(__always)
    static func asciiRun(_ base: UnsafePointer<UInt8>, from i: Int, to end: Int) -> (end: Int, small: Bool, capital: Bool) {
        var j = i
        var small: UInt64 = 0, capital: UInt64 = 0
        let raw = UnsafeRawPointer(base)
        while j &+ 8 <= end {
            let x = raw.loadUnaligned(fromByteOffset: j, as: UInt64.self)
            // Letters of either case are one range once each byte's 0x20 bit is set; a capital is
            // a letter whose 0x20 bit was clear (moved up to the byte's high bit).
            let letters = WordTable.bytes(of: x | 0x2020_2020_2020_2020, from: 0x61, through: 0x7A)
            let c = letters & ~(x &<< 2)
            let s = letters & ~c
            let d = WordTable.bytes(of: x, from: 0x30, through: 0x39)
            let stop = ~(letters | d) & 0x8080_8080_8080_8080
            if stop == 0 {
                small |= s; capital |= c
                j &+= 8
                continue
            }
            // The bytes before the first of no kind.
            let before = (stop & (0 &- stop)) &- 1
            j &+= stop.trailingZeroBitCount &>> 3
            return (j, (small | (s & before)) != 0, (capital | (c & before)) != 0)
        }
        var kinds: UInt8 = 0
        while j < end {
            let c = base[j]
            let kind: UInt8 = c &- 97 < 26 ? 1 : (c &- 65 < 26 ? 2 : (c &- 48 < 10 ? 4 : 0))
            if kind == 0 { break }
            kinds |= kind
            j &+= 1
        }
        return (j, small != 0 || kinds & 1 != 0, capital != 0 || kinds & 2 != 0)
    }

    private static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    private static func scalarLength(_ b: UInt8) -> Int {
        b < 0x80 ? 1 : (b >= 0xF0 ? 4 : (b >= 0xE0 ? 3 : (b >= 0xC0 ? 2 : 1)))
    }

    /// Letters: ASCII letters and any non-ASCII scalar except punctuation and CJK symbols.
    private static func isWordByte(_ bytes: UnsafeBufferPointer<UInt8>, _ i: Int, _ end: Int) -> Bool {
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
    private static func isJoiner(_ bytes: UnsafeBufferPointer<UInt8>, _ i: Int, _ end: Int) -> Bool {
        let b = bytes[i]
        if b == 0x27 || b == 0x2D { return true }
        return b == 0xE2 && i + 2 < end && bytes[i + 1] == 0x80 && bytes[i + 2] == 0x99
    }

    private static func joinerLength(_ bytes: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int { bytes[i] == 0xE2 ? 3 : 1 }

    private static func tokenHasLetters(_ bytes: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Bool {
        UnsafeBufferPointer(rebasing: bytes[s..<e]).contains { ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) }
    }
}
