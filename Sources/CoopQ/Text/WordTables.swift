/// Words by their bytes, numbered, in an open-addressing hash table: the lexicons' vocabulary,
/// and the finders' word lists (`WordSet`, `WordMap`). A token is looked up from the bytes the
/// tokenizer has read and the hash it worked out on the way, with no string made and no `Hasher`.
struct WordTable: Sendable {
    /// By hash slot: the word's number plus one in the low 32 bits, the high 32 bits of its hash
    /// in the high (a probe that meets another word is mostly turned away there, with no
    /// word's bytes read); 0 for an empty slot.
    private let slots: [UInt64]
    /// Word `w`'s bytes (in lower case) are `bytes[starts[w]..<starts[w + 1]]`.
    private let starts: [Int32]
    private let bytes: [UInt8]
    private let mask: Int

    /// Where every hash starts, and the `keyHash` of a token with no key (a punctuation mark).
    static let seed: UInt64 = 0xcbf29ce484222325
    @inline(__always) static func lower(_ c: UInt8) -> UInt8 { c >= 65 && c <= 90 ? c + 32 : c }

    /// How the bytes of a word looked up are read: as they are (a key in lower case already);
    /// `folded`, each with its 0x20 bit set, which puts ASCII letters in lower case and leaves
    /// digits as they are (a token of letters and digits, where it lies); `lowered`, with ASCII
    /// capitals in lower case and every other byte as it is (any token's text).
    enum Reading { case exact, folded, lowered }

    @inline(__always) private static func load8(_ p: UnsafePointer<UInt8>) -> UInt64 { UnsafeRawPointer(p).loadUnaligned(as: UInt64.self) }
    @inline(__always) private static func load4(_ p: UnsafePointer<UInt8>) -> UInt64 { UInt64(UnsafeRawPointer(p).loadUnaligned(as: UInt32.self)) }

    /// The bytes of `x` (eight side by side) from `low` through `high`, both ASCII: the high bit
    /// of each such byte. With each byte's high bit set first, no borrow crosses a byte, and the
    /// high bit of a byte of `y - c` is set where the byte is at least `c`; bytes beyond ASCII
    /// are in no range.
    @inline(__always) static func bytes(of x: UInt64, from low: UInt8, through high: UInt8) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        let y = x | highs
        return (y &- UInt64(low) &* ones) & ~(y &- UInt64(high &+ 1) &* ones) & ~x & highs
    }

    /// Bytes side by side in a word, read as `reading` says (lowered: the capitals given their
    /// 0x20 bit, the high bit moved two places down).
    @inline(__always) static func read(_ x: UInt64, _ reading: Reading) -> UInt64 {
        switch reading {
        case .exact: return x
        case .folded: return x | 0x2020_2020_2020_2020
        case .lowered: return x | (bytes(of: x, from: 0x41, through: 0x5A) &>> 2)
        }
    }

    /// The hash of the `n` bytes at `p`, read as `reading` says: eight bytes at a time, with
    /// loads that overlap rather than pass the last byte, so it reads nothing beyond the word.
    /// `start` is where the hash starts: `seed`, or a table's own (`KeyTable`).
    @inline(__always)
    static func hash(_ p: UnsafePointer<UInt8>, _ n: Int, _ reading: Reading = .exact, start: UInt64 = seed) -> UInt64 {
        let m: UInt64 = 0x9E37_79B9_7F4A_7C15
        var h = (start ^ UInt64(truncatingIfNeeded: n)) &* m
        if n >= 8 {
            var k = 0
            while k &+ 8 < n {
                h = (h ^ read(load8(p + k), reading)) &* m
                h ^= h &>> 32
                k &+= 8
            }
            h = (h ^ read(load8(p + (n &- 8)), reading)) &* m
        } else if n >= 4 {
            h = (h ^ read(load4(p) &<< 32 | load4(p + (n &- 4)), reading)) &* m
        } else if n > 0 {
            // Three bytes (some of them the same) in the low three lanes; the others stay empty.
            h = (h ^ (read(UInt64(p[0]) &<< 16 | UInt64(p[n &>> 1]) &<< 8 | UInt64(p[n &- 1]), reading) & 0xFF_FFFF)) &* m
        }
        return h ^ (h &>> 29)
    }

    /// Whether the `n` bytes at `p`, read as `reading` says, are the `n` bytes at `q`.
    @inline(__always)
    static func equal(_ p: UnsafePointer<UInt8>, _ q: UnsafePointer<UInt8>, _ n: Int, _ reading: Reading) -> Bool {
        if n >= 8 {
            var k = 0
            while k &+ 8 < n {
                if read(load8(p + k), reading) != load8(q + k) { return false }
                k &+= 8
            }
            return read(load8(p + (n &- 8)), reading) == load8(q + (n &- 8))
        }
        if n >= 4 {
            return read(load4(p) &<< 32 | load4(p + (n &- 4)), reading) == load4(q) &<< 32 | load4(q + (n &- 4))
        }
        var k = 0
        while k < n, read(UInt64(p[k]), reading) & 0xFF == UInt64(q[k]) { k &+= 1 }
        return k == n
    }

    /// The match key of ASCII bytes (their letters and digits, in lower case), written into a
    /// buffer on the stack and read within `body`.
    static func withASCIIKey<R>(_ b: UnsafeBufferPointer<UInt8>, _ body: (UnsafePointer<UInt8>, Int) -> R) -> R {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(b.count, 1)) { out in
            var n = 0
            for c in b {
                let l = lower(c)
                if l &- 97 < 26 || l &- 48 < 10 { out[n] = l; n += 1 }
            }
            return body(UnsafePointer(out.baseAddress!), n)
        }
    }

    /// The hash the tokenizer gives a word's match key (its letters and digits in lower case),
    /// for an ASCII string; nil for any other.
    static func keyHash(_ s: String) -> UInt64? {
        var copy = s
        return copy.withUTF8 { b -> UInt64? in
            guard b.allSatisfy({ $0 < 0x80 }) else { return nil }
            return withASCIIKey(b) { p, n in hash(p, n) }
        }
    }

    /// The hash of a match key given as text (its bytes as they are).
    static func hash(ofKey key: String) -> UInt64 {
        var copy = key
        return copy.withUTF8 { b in b.baseAddress.map { hash($0, b.count) } ?? hash(UnsafePointer(bitPattern: 1)!, 0) }
    }

    /// A table of `words`, numbered by their place in the list. They must be in lower case,
    /// unless the table is `exact`: then they are looked up exactly, case and all.
    init(_ words: [String], exact: Bool = false) {
        var size = 16
        while size < words.count * 4 { size *= 2 }  // at most a quarter full: a miss is found in a probe or two
        var slots = [UInt64](repeating: 0, count: size)
        var starts: [Int32] = [0], bytes: [UInt8] = []
        for (id, word) in words.enumerated() {
            precondition(exact || word.utf8.allSatisfy { WordTable.lower($0) == $0 }, "'\(word)' is not in lower case")
            bytes.append(contentsOf: word.utf8)
            starts.append(Int32(bytes.count))
            let h = WordTable.hash(ofKey: word)
            var slot = Int(truncatingIfNeeded: h) & (size - 1)
            while slots[slot] != 0 { slot = (slot + 1) & (size - 1) }
            slots[slot] = (h & 0xFFFF_FFFF_0000_0000) | UInt64(id + 1)
        }
        self.slots = slots
        self.starts = starts
        self.bytes = bytes
        self.mask = size - 1
    }

    var count: Int { starts.count - 1 }

    /// The number of the word whose bytes are `p[0..<n]`, read as `reading` says, and whose hash
    /// (read the same way) is `hash`; -1 if none.
    @inline(__always)
    func id(_ p: UnsafePointer<UInt8>, _ n: Int, hash: UInt64, _ reading: Reading = .exact) -> Int32 {
        // On the arrays' storage: the probe and the comparison make no bounds checks (a slot is
        // masked, a word's start and end are its own).
        slots.withUnsafeBufferPointer { slots in
            starts.withUnsafeBufferPointer { starts in
                bytes.withUnsafeBufferPointer { bytes in
                    let tag = hash & 0xFFFF_FFFF_0000_0000
                    var slot = Int(truncatingIfNeeded: hash) & mask
                    while true {
                        let entry = slots[slot]
                        if entry == 0 { return -1 }
                        if entry & 0xFFFF_FFFF_0000_0000 == tag {
                            let id = Int(truncatingIfNeeded: entry & 0xFFFF_FFFF) &- 1
                            let s = Int(starts[id])
                            if Int(starts[id &+ 1]) &- s == n, n == 0 || WordTable.equal(p, bytes.baseAddress! + s, n, reading) { return Int32(id) }
                        }
                        slot = (slot &+ 1) & mask
                    }
                }
            }
        }
    }

    /// The number of a word given as text, in any case of ASCII letters; -1 if none.
    func id(_ word: String) -> Int32 {
        var copy = word
        return copy.withUTF8 { b in
            guard let p = b.baseAddress else { return -1 }
            return id(p, b.count, hash: WordTable.hash(p, b.count, .lowered), .lowered)
        }
    }

    /// The number of the token's match key (without a possessive 's, when it has one); -1 if none.
    func id(ofKey t: TextToken) -> Int32 {
        guard t.isASCII, t.kind != .punct else {
            let key = t.baseKey ?? t.key
            return key.isEmpty ? -1 : id(key)
        }
        let n = t.end - t.start, p = t.base + t.start
        if t.isPlain && !t.isPossessive { return id(p, n, hash: t.keyHash, .folded) }
        return WordTable.withASCIIKey(t.bytes) { key, m in
            let m = t.isPossessive ? m - 1 : m
            return m > 0 ? id(key, m, hash: WordTable.hash(key, m)) : -1
        }
    }

    /// The number of the token's text in lower case; -1 if none.
    @inline(__always)
    func id(of t: TextToken) -> Int32 {
        guard t.isASCII else { return id(t.lower) }
        let n = t.end - t.start, p = t.base + t.start
        if t.isPlain { return id(p, n, hash: t.keyHash, .folded) }
        return id(p, n, hash: WordTable.hash(p, n, .lowered), .lowered)
    }
}

/// A set of words in lower case, asked about a token's lower-case text on its bytes:
/// `EventFinder.determiners.contains(token)` is `determiners.contains(token.lower)` with no string.
/// A word list's one-word entries by word number: a token is tested with no string and no hash.
struct WordFlags: Sendable {
    let flags: [Bool]
    @inline(__always) func contains(_ t: TextToken) -> Bool { t.word >= 0 && Int(t.word) < flags.count && flags[Int(t.word)] }
}

struct WordSet: Sendable, ExpressibleByArrayLiteral {
    private let table: WordTable

    init(_ words: [String]) { table = WordTable(Array(Set(words)).sorted()) }
    init(arrayLiteral words: String...) { self.init(words) }

    @inline(__always) func contains(_ t: TextToken) -> Bool { table.id(of: t) >= 0 }
    func contains(_ word: String) -> Bool { table.id(word) >= 0 }
    /// Whether the set has the token's match key, or its base without a possessive 's.
    func containsKey(_ t: TextToken) -> Bool { table.id(ofKey: t) >= 0 }
}

/// Names compared exactly, case and all (`Set<String>`). When every name is ASCII, a word is
/// decided on its bytes by a `WordTable` of the names as they are written, which hashes no string
/// (ASCII strings are equal when their bytes are, and a word with other bytes is none of them).
struct NameSet: Sendable {
    private let exact: Set<String>
    /// The names as written, when every one is ASCII.
    private let ascii: WordTable?

    init(_ names: Set<String>) {
        exact = names
        ascii = names.allSatisfy { $0.utf8.allSatisfy { $0 < 0x80 } } ? WordTable(names.sorted(), exact: true) : nil
    }

    /// Whether ASCII bytes are one of the names, by `table`.
    private func contains(_ b: UnsafeBufferPointer<UInt8>, in table: WordTable) -> Bool {
        guard let p = b.baseAddress, !b.isEmpty else { return exact.contains("") }
        return table.id(p, b.count, hash: WordTable.hash(p, b.count)) >= 0
    }

    func contains(_ name: String) -> Bool {
        guard let ascii else { return exact.contains(name) }
        var copy = name
        return copy.withUTF8 { b in b.allSatisfy { $0 < 0x80 } && contains(b, in: ascii) }
    }

    func contains(_ t: TextToken) -> Bool {
        guard let ascii else { return exact.contains(t.text) }
        return t.isASCII && contains(t.bytes, in: ascii)
    }
}

/// A map from words in lower case, read with a token's lower-case text on its bytes.
struct WordMap<Value: Sendable>: Sendable, ExpressibleByDictionaryLiteral {
    private let table: WordTable
    private let values: [Value]

    init(dictionaryLiteral pairs: (String, Value)...) { self.init(pairs) }

    init(_ pairs: [(String, Value)]) {
        table = WordTable(pairs.map(\.0))
        values = pairs.map(\.1)
    }

    @inline(__always) subscript(_ t: TextToken) -> Value? {
        let id = table.id(of: t)
        return id < 0 ? nil : values[Int(id)]
    }

    subscript(_ word: String) -> Value? {
        let id = table.id(word)
        return id < 0 ? nil : values[Int(id)]
    }
}
