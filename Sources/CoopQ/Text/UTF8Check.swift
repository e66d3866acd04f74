/// Whether bytes are valid UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing past
/// U+10FFFF), decided where they lie: an article's bytes become its text with no copy.
/// ASCII, most of an article, is passed over eight bytes at a time.
enum UTF8Check {
    static func isValid(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let p = b.baseAddress else { return true }
        let n = b.count
        var i = 0
        while i < n {
            while i + 8 <= n, UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 { i &+= 8 }
            guard i < n else { break }
            let c = p[i]
            if c < 0x80 { i &+= 1; continue }
            // The length of the sequence, and the range its second byte must be in.
            let length: Int
            var low: UInt8 = 0x80, high: UInt8 = 0xBF
            switch c {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; high = 0x9F  // not the surrogates
            case 0xF0: length = 4; low = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; high = 0x8F  // not past U+10FFFF
            default: return false  // a continuation byte first, an overlong lead (C0, C1), or F5 and up
            }
            guard i + length <= n, p[i + 1] >= low, p[i + 1] <= high else { return false }
            for k in 2..<length where p[i + k] & 0xC0 != 0x80 { return false }
            i &+= length
        }
        return true
    }
}
