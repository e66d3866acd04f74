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
