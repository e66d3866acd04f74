/// Credits: bylines and photo credits, whose names are authors and never participants.
extension HeaderParser {
    /// `(Xinhua/Zhang Wei)`, `(By Li Na)`, `(Photo: ...)`, and a `By Name` line:
    /// authors, never participants; their spans are excluded from the content.
    static func credits(_ bytes: [UInt8], into r: inout Result) {
        var i = 0
        while i < bytes.count {
            // The bracket, its close within 80 bytes and on its line, and a slash in it: found by `memchr`.
            let found = bytes.withUnsafeBufferPointer { b -> (open: Int, close: Int?, slash: Bool)? in
                guard let open = find(UInt8(ascii: "("), in: b, from: i) else { return nil }
                let limit = min(b.count, open + 81)  // a close at most 80 bytes on
                guard let close = find(UInt8(ascii: ")"), in: b, from: open + 1, to: limit),
                      find(0x0A, in: b, from: open + 1, to: close) == nil else { return (open, nil, false) }
                return (open, close, find(UInt8(ascii: "/"), in: b, from: open + 1, to: close) != nil)
            }
            guard let found else { break }
            i = found.open
            guard let j = found.close else { i += 1; continue }
            // Most brackets hold no credit: no slash and none of the prefixes, decided on the bytes.
            var first = i + 1
            while first < j, bytes[first] == 0x20 || bytes[first] == 0x09 || bytes[first] == 0x0D { first += 1 }
            let slash = found.slash
            guard slash || (first < j && creditLeads.contains(bytes[first]) && creditPrefixes.contains(where: { bytes[first..<j].starts(with: $0.utf8) }))
            else { i = j + 1; continue }
            var names: [String] = []
            var source: String?
            if slash {
                // (The slash found between the brackets stands in the trimmed text too.)
                let inner = String(decoding: bytes[(i + 1)..<j], as: UTF8.self).trimmed
                if let slash = inner.utf8.firstIndex(of: UInt8(ascii: "/")),
                   case let agency = String(inner[..<slash]).trimmed,
                   let org = Lexicon.shared.organizations[Lexicon.phraseKey(agency)], org.kind == "media" {
                    source = org.name
                    names = String(inner[inner.index(after: slash)...]).split(separator: ",").map { String($0).trimmed }
                }
                names = names.filter(isNameShaped)
            } else {
                // "(By Li Na and Wang Wei)": the names after the prefix, cut at commas and at " and ", read on the bytes.
                names = bytes.withUnsafeBufferPointer { b in
                    let inner = trimmedBytes(UnsafeBufferPointer(rebasing: b[(i + 1)..<j]))
                    guard let prefix = creditPrefixes.last(where: { inner.starts(with: $0.utf8) }) else { return [] }
                    return creditedNames(UnsafeBufferPointer(rebasing: inner[prefix.utf8.count...]))
                }
            }
            if !names.isEmpty {
                for n in names { r.add(author: n) }
                if r.source == nil, let source { r.source = source }
                r.excluded.append(i..<(j + 1))
            }
            i = j + 1
        }
    }

    /// The name-shaped names of a credit after its prefix: its parts between commas (none empty),
    /// each cut at " and ", trimmed.
    static func creditedNames(_ b: UnsafeBufferPointer<UInt8>) -> [String] {
        var names: [String] = []
        func take(_ part: UnsafeBufferPointer<UInt8>) {
            let name = String(decoding: trimmedBytes(part), as: UTF8.self)
            if isNameShaped(name) { names.append(name) }
        }
        let and = creditAnd
        var start = 0
        for k in 0...b.count where k == b.count || b[k] == UInt8(ascii: ",") {
            defer { start = k + 1 }
            guard k > start else { continue }  // an empty part between commas is no part
            var from = start, m = start
            while m + and.count <= k {
                if b[m] == 0x20, UnsafeBufferPointer(rebasing: b[m..<(m + and.count)]).elementsEqual(and) {
                    take(UnsafeBufferPointer(rebasing: b[from..<m]))
                    m += and.count
                    from = m
                } else { m += 1 }
            }
            take(UnsafeBufferPointer(rebasing: b[from..<k]))
        }
        return names
    }

    /// What starts a credit in brackets (`(Photo by ...)`): the list `credit-prefixes` of
    /// `wordlists.tsv`, each followed by a space.
    static let creditPrefixes = Lexicon.shared.phrases("credit-prefixes").map { $0 + " " }
    /// What joins the last two names of a credit.
    static let creditAnd = Array(" and ".utf8)
    /// Their first bytes: most brackets start with none of them.
    static let creditLeads = Array(Set(creditPrefixes.map { $0.utf8.first! }))

    /// `isNameShaped` decided on ASCII bytes; nil for any other text.
    static func isASCIINameShaped(_ b: UnsafeBufferPointer<UInt8>) -> Bool? {
        var words = 0
        var atStart = true
        var shaped = true
        for c in b {
            if c >= 0x80 { return nil }
            if c == 0x20 { atStart = true; continue }
            let letter = c &- 65 < 26 || c &- 97 < 26
            if atStart {
                words += 1
                atStart = false
                if !(c &- 65 < 26) { shaped = false }
            } else if !(letter || c == UInt8(ascii: "-") || c == UInt8(ascii: "'") || c == UInt8(ascii: ".")) {
                shaped = false
            }
        }
        return shaped && (1...4).contains(words)
    }

    /// Two to four capitalised words: the shape of a credited name.
    static func isNameShaped(_ s: String) -> Bool {
        var copy = s
        if let ascii = copy.withUTF8({ isASCIINameShaped($0) }) { return ascii }
        let words = s.split(separator: " ")
        return (1...4).contains(words.count) && words.allSatisfy { w in
            guard let f = w.unicodeScalars.first else { return false }
            return f.properties.isUppercase && w.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || $0 == "-" || $0 == "'" || $0 == "." }
        }
    }
}
