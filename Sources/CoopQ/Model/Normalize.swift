import Foundation

/// The key under which strings compare with `=`: lower case, no diacritics, no spaces or
/// punctuation. `"Xi'an"`, `"xian"` and `"XI'AN"` share the key `xian`; `"St. Petersburg"`
/// and `"St Petersburg"` share `stpetersburg`.
public func matchKey(_ s: String) -> String {
    // ASCII (nearly every name): read from the string's contiguous bytes and written straight
    // into the new string, with no array in between.
    var copy = s
    let ascii: String? = copy.withUTF8 { bytes in
        for b in bytes where b >= 0x80 { return nil }
        return String(unsafeUninitializedCapacity: bytes.count) { out in
            var n = 0
            for b in bytes {
                switch b {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): out[n] = b; n += 1
                case UInt8(ascii: "A")...UInt8(ascii: "Z"): out[n] = b + 32; n += 1
                default: break
                }
            }
            return n
        }
    }
    if let ascii { return ascii }
    let folded = s.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
    var out = String.UnicodeScalarView()
    for scalar in folded.unicodeScalars where scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
        out.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
    }
    return String(out)
}

/// A text's words: lower case, no diacritics, and each run of anything but letters and digits one
/// space ("Xi'an" → "xi an", "Belt-and-Road" → "belt and road"). `contains` finds a phrase's words
/// in a text's, and text sorts by it; `export` writes it beside each text as its `_words` column, so
/// SQL can do both the same way (`' ' || x_words || ' ' LIKE '% belt and road %'`).
public func wordsForm(_ s: String) -> String {
    let folded = searchForm(s)
    var out: [UInt8] = []
    out.reserveCapacity(folded.utf8.count)
    var pendingSpace = false
    for b in folded.utf8 {
        // Letters and digits of ASCII, and every byte of other scripts (after folding), are words'.
        let word = (b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || b >= 0x80
        guard word else { pendingSpace = !out.isEmpty; continue }
        if pendingSpace { out.append(0x20); pendingSpace = false }
        out.append(b)
    }
    return String(decoding: out, as: UTF8.self)
}

/// Lower case and no diacritics, spacing kept: the form in which `search` looks for a phrase.
public func searchForm(_ s: String) -> String {
    var ascii = true
    for b in s.utf8 where b >= 0x80 { ascii = false; break }
    if ascii { return s.lowercased() }
    return s.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
}

/// Levenshtein distance, for did-you-mean hints.
public func editDistance(_ a: String, _ b: String) -> Int {
    let x = Array(a.lowercased().unicodeScalars), y = Array(b.lowercased().unicodeScalars)
    if x.isEmpty { return y.count }
    if y.isEmpty { return x.count }
    var previous = Array(0...y.count)
    var current = [Int](repeating: 0, count: y.count + 1)
    for i in 1...x.count {
        current[0] = i
        for j in 1...y.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
        }
        swap(&previous, &current)
    }
    return previous[y.count]
}

/// The nearest of `candidates` to `name`, when it is near enough to be what was meant.
public func nearest(to name: String, in candidates: some Sequence<String>) -> String? {
    // A did-you-mean is for names a person typed; a huge one has no near neighbour worth the time.
    guard name.utf8.count <= 200 else { return nil }
    var best: (String, Int)?
    for c in candidates {
        let d = editDistance(name, c)
        if d < (best?.1 ?? Int.max) { best = (c, d) }
    }
    guard let (c, d) = best else { return nil }
    let limit = max(1, min(3, (name.count + 1) / 3))
    if d <= limit { return c }
    // A key that matches ignoring case and punctuation is also "what was meant".
    return matchKey(c) == matchKey(name) ? c : nil
}
