import Foundation

/// Whether a word can be a Chinese given name in pinyin: one or two syllables.
enum Pinyin {
    static let initials = ["zh", "ch", "sh", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h", "j", "q", "x", "r", "z", "c", "s", "y", "w", ""]
    static let finals = [
        "a", "o", "e", "i", "u", "v", "ai", "ei", "ui", "ao", "ou", "iu", "ie", "ve", "ue", "er", "an", "en", "in", "un", "vn",
        "ang", "eng", "ing", "ong", "ia", "iao", "ian", "iang", "iong", "ua", "uo", "uai", "uan", "uang", "ueng", "io",
    ]

    /// Every syllable packed into a UInt64 (at most 8 ASCII letters), in an open-addressing table
    /// of 2048 slots, about a fifth full (0 is empty): a check is a multiply and a probe or two, with no string.
    static let syllables: [UInt64] = {
        var set = Set<UInt64>()
        for i in initials { for f in finals { set.insert(pack(Array((i + f).utf8)[...])) } }
        var slots = [UInt64](repeating: 0, count: syllableSlots)
        for v in set.sorted() {
            var k = slot(v)
            while slots[k] != 0 { k = (k + 1) & (syllableSlots - 1) }
            slots[k] = v
        }
        return slots
    }()

    static let syllableSlots = 2048

    @inline(__always) static func slot(_ v: UInt64) -> Int { Int(truncatingIfNeeded: (v &* 0x9E37_79B9_7F4A_7C15) >> 53) }

    static func pack(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        var v: UInt64 = 0
        for b in bytes { v = v << 8 | UInt64(b) }
        return v
    }

    static func isSyllable(_ v: UInt64) -> Bool {
        syllables.withUnsafeBufferPointer { s in
            var k = slot(v)
            while true {
                let x = s[k]
                if x == v { return true }
                if x == 0 { return false }
                k = (k + 1) & (syllableSlots - 1)
            }
        }
    }

    static func isGivenName(_ word: String) -> Bool {
        var copy = word
        return copy.withUTF8 { isGivenName($0) }
    }

    /// `isGivenName` of a token's text without its possessive 's, read on its bytes.
    static func isGivenName(_ t: TextToken) -> Bool {
        isGivenName(UnsafeBufferPointer(start: t.base + t.start, count: t.baseLength))
    }

    static func isGivenName(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        // The letters in lower case, at most 12, in a buffer on the stack.
        var letters: (UInt64, UInt64) = (0, 0)
        return withUnsafeMutableBytes(of: &letters) { raw in
            var n = 0
            for b in bytes {
                switch b {
                case 65...90: raw[n] = b + 32
                case 97...122: raw[n] = b
                case 45, 39: continue  // "-", "'"
                default: return false
                }
                n += 1
                if n > 12 { return false }
            }
            guard n > 0 else { return false }
            func packed(_ from: Int, _ to: Int) -> UInt64 {
                var v: UInt64 = 0
                for k in from..<to { v = v << 8 | UInt64(raw[k]) }
                return v
            }
            if n <= 8, isSyllable(packed(0, n)) { return true }
            // Two syllables: the first grows a letter at a time, and the second is packed only after a first.
            var first: UInt64 = 0
            for cut in 1..<min(n, 9) {
                first = first << 8 | UInt64(raw[cut - 1])
                if n - cut <= 8, isSyllable(first), isSyllable(packed(cut, n)) { return true }
            }
            return false
        }
    }
}
