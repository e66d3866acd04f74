/// The data files of `Sources/CoopQ/Lexicons`, compiled into the binary and parsed once.
/// Phrases are looked up by the match keys of their words, joined by spaces.
final class Lexicon: Sendable {
    static let shared = Lexicon()

    /// A hash of the lexicon files: a snapshot built with other lexicons is not trusted.
    static let fingerprint: String = {
        var h: UInt64 = 0xcbf29ce484222325
        for (name, bytes) in embeddedFiles {
            for b in name.utf8 { h = (h ^ UInt64(b)) &* 0x100000001b3 }
            for b in bytes { h = (h ^ UInt64(b)) &* 0x100000001b3 }
        }
        return String(h, radix: 16)
    }()

    /// Entries are classes: a mention or a table hit that holds one copies one reference, not
    /// its strings.
    /// A listed place; `key` is its name's match key, made once for every mention of it.
    final class PlaceEntry: Sendable {
        let name: String, kind: String, region: String?, country: String?, key: String
        init(name: String, kind: String, region: String?, country: String?) {
            self.name = name; self.kind = kind; self.region = region; self.country = country; key = matchKey(name)
        }
    }
    /// A listed organization; `key` is its name's match key, made once for every mention of it.
    final class OrganizationEntry: Sendable {
        let name: String, kind: String, country: String?, aliases: [String], key: String
        init(name: String, kind: String, country: String?, aliases: [String]) {
            self.name = name; self.kind = kind; self.country = country; self.aliases = aliases; key = matchKey(name)
        }
    }

    /// Phrase key → place, for canonical names and aliases.
    let places: [String: PlaceEntry]
    let organizations: [String: OrganizationEntry]
    let chineseSurnames: NameSet
    let russianGivenNames: NameSet
    /// Endings as bytes, with their lengths in characters, longest first, compared on bytes.
    let russianSurnameEndings: [(bytes: [UInt8], characters: Int)]
    /// The same tables as tries over words, for matching against tokens.
    let placeTable: PhraseTable<PlaceEntry>
    let organizationTable: PhraseTable<OrganizationEntry>
    /// Post titles and the country a bare title implies ("Premier" → China), if any.
    let titleTable: PhraseTable<String?>
    let eventNounTable: PhraseTable<String>
    let topicTable: PhraseTable<String>
    /// The longest post title, in words: how far back a title before a name can start.
    let longestTitle: Int
    /// The longest city's name, in the words of its phrase key: a longer text names no city.
    let longestCity: Int
    /// Every word (match key) of every phrase in the tables, numbered: a token looks its word
    /// up here once, and the tables are walked by number, with no more hashing of strings.
    let vocabulary: WordTable
    /// By word number: the month a word names in the low four bits, one more than the weekday in the high four; 0 for others.
    private let calendarByWord: [UInt8]

    /// `calendarByWord` of a token's word number (-1 for a word not in the vocabulary).
    @inline(__always) func calendar(_ word: Int32) -> UInt8 {
        word >= 0 && Int(word) < calendarByWord.count ? calendarByWord[Int(word)] : 0
    }

    /// The number of a word in the vocabulary being built, given it if it has none.
    private static func number(_ word: String, in vocabulary: inout [String: Int32]) -> Int32 {
        if let known = vocabulary[word] { return known }
        let id = Int32(vocabulary.count)
        vocabulary[word] = id
        return id
    }

    private init() {
        var files: [String: [[String]]] = [:]
        for (name, bytes) in embeddedFiles {
            // Split on the bytes: lines, then tab-separated columns (a comment line starts with #).
            let rows = bytes.split(separator: 0x0A, omittingEmptySubsequences: true)
                .filter { $0.first != UInt8(ascii: "#") }
                .dropFirst()  // the header row
                .map { $0.split(separator: 0x09, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self).trimmed } }
            files[name] = Array(rows)
        }
        func column(_ row: [String], _ i: Int) -> String? { i < row.count && !row[i].isEmpty ? row[i] : nil }
        func list(_ s: String?) -> [String] {
            (s ?? "").utf8.split(separator: UInt8(ascii: ";")).map { String(Substring($0)).trimmed }.filter { !$0.isEmpty }
        }
        var vocabulary: [String: Int32] = [:]
        var places: [String: PlaceEntry] = [:]
        var longestCity = 1
        for row in files["places.tsv"] ?? [] {
            guard let name = column(row, 0), let kind = column(row, 1) else { continue }
            let entry = PlaceEntry(name: name, kind: kind, region: column(row, 2), country: column(row, 3))
            for surface in [name] + list(column(row, 4)) {
                let key = Lexicon.phraseKey(surface)
                if places[key] == nil || surface == name { places[key] = entry }
                if kind == "city" { longestCity = max(longestCity, key.split(separator: " ").count) }
            }
        }
        self.places = places
        self.longestCity = longestCity
        var placeTable = PhraseTable<PlaceEntry>()
        for row in files["places.tsv"] ?? [] {
            guard let name = column(row, 0), let kind = column(row, 1) else { continue }
            let entry = PlaceEntry(name: name, kind: kind, region: column(row, 2), country: column(row, 3))
            placeTable.insert(name, entry, words: &vocabulary)
            for alias in list(column(row, 4)) { placeTable.insert(alias, entry, overwrite: false, words: &vocabulary) }
        }
        self.placeTable = placeTable

        var organizations: [String: OrganizationEntry] = [:]
        var organizationTable = PhraseTable<OrganizationEntry>()
        for row in files["organizations.tsv"] ?? [] {
            guard let name = column(row, 0), let kind = column(row, 1) else { continue }
            let aliases = list(column(row, 3))
            let entry = OrganizationEntry(name: name, kind: kind, country: column(row, 2), aliases: aliases)
            for surface in [name] + aliases {
                organizations[Lexicon.phraseKey(surface)] = entry
                organizationTable.insert(surface, entry, words: &vocabulary)
            }
        }
        self.organizations = organizations
        self.organizationTable = organizationTable

        var titleTable = PhraseTable<String?>()
        var longest = 1
        for row in files["titles.tsv"] ?? [] {
            guard let title = column(row, 0) else { continue }
            titleTable.insert(title, column(row, 1), words: &vocabulary)
            // "vice-chairman", "vice-premier": the first two words of a post joined by a hyphen, as China Daily writes them.
            if let space = title.firstIndex(of: " ") {
                var hyphenated = title
                hyphenated.replaceSubrange(space...space, with: "-")
                titleTable.insert(hyphenated, column(row, 1), overwrite: false, words: &vocabulary)
            }
            longest = max(longest, Lexicon.wordCount(title))
        }
        self.titleTable = titleTable
        longestTitle = longest

        var eventNounTable = PhraseTable<String>()
        for row in files["events.tsv"] ?? [] {
            guard let noun = column(row, 0), let kind = column(row, 1) else { continue }
            eventNounTable.insert(noun, kind, words: &vocabulary)
        }
        self.eventNounTable = eventNounTable

        var topicTable = PhraseTable<String>()
        for row in files["topics.tsv"] ?? [] {
            guard let topic = column(row, 0) else { continue }
            for trigger in list(column(row, 1)) { topicTable.insert(trigger, topic, words: &vocabulary) }
        }
        self.topicTable = topicTable

        var surnames = Set<String>(), given = Set<String>(), endings: [String] = []
        for row in files["names.tsv"] ?? [] {
            guard let kind = column(row, 0) else { continue }
            let values = list(column(row, 1))
            switch kind {
            case "chinese-surname": surnames.formUnion(values)
            case "russian-given-name": given.formUnion(values)
            case "russian-surname-ending": endings += values
            default: break
            }
        }
        // Month and weekday names join the vocabulary, so a token's number says whether it names one.
        var calendar: [Int32: UInt8] = [:]
        for (name, month) in DateResolver.monthNames { calendar[Lexicon.number(name, in: &vocabulary)] = UInt8(month) }
        for (name, day) in DateResolver.weekdayNames { calendar[Lexicon.number(name, in: &vocabulary), default: 0] |= UInt8(day + 1) << 4 }
        self.vocabulary = WordTable(vocabulary.sorted { $0.value < $1.value }.map(\.key))
        var calendarByWord = [UInt8](repeating: 0, count: vocabulary.count)
        for (word, value) in calendar { calendarByWord[Int(word)] = value }
        self.calendarByWord = calendarByWord
        chineseSurnames = NameSet(surnames)
        russianGivenNames = NameSet(given)
        russianSurnameEndings = endings.sorted { $0.count > $1.count }.map { (Array($0.utf8), $0.count) }
    }

    /// The lookup key of a phrase: the match key of each word, joined by single spaces.
    /// `"St. Petersburg"` → `"st petersburg"`, `"Xi'an"` → `"xian"`.
    static func phraseKey(_ phrase: String) -> String {
        // ASCII phrases (nearly all) in one pass over the bytes.
        if phrase.utf8.allSatisfy({ $0 < 0x80 }) {
            var out: [UInt8] = []
            out.reserveCapacity(phrase.utf8.count)
            var pendingSpace = false
            for b in phrase.utf8 {
                if b == 0x20 || b == 0x09 || b == 0x0A { if !out.isEmpty { pendingSpace = true }; continue }
                let l = WordTable.lower(b)
                guard (l >= 97 && l <= 122) || (l >= 48 && l <= 57) else { continue }
                if pendingSpace { out.append(0x20); pendingSpace = false }
                out.append(l)
            }
            return String(decoding: out, as: UTF8.self)
        }
        var words: [String] = []
        var current = ""
        for scalar in phrase.unicodeScalars {
            if scalar == " " || scalar == "\t" || scalar == "\n" {
                if !current.isEmpty { words.append(current); current = "" }
            } else {
                current.unicodeScalars.append(scalar)
            }
        }
        if !current.isEmpty { words.append(current) }
        return words.map(matchKey).filter { !$0.isEmpty }.joined(separator: " ")
    }

    static func wordCount(_ phrase: String) -> Int {
        phrase.split(whereSeparator: { $0 == " " || $0 == "." }).count
    }

    /// The country a nationality adjective names: "Russian" → Russia.
    static let demonyms: WordMap<String> = [
        "chinese": "China", "russian": "Russia", "soviet": "Soviet Union", "kazakh": "Kazakhstan", "uzbek": "Uzbekistan",
        "kyrgyz": "Kyrgyzstan", "tajik": "Tajikistan", "belarusian": "Belarus", "mongolian": "Mongolia", "indian": "India",
        "pakistani": "Pakistan", "iranian": "Iran", "american": "United States", "german": "Germany", "french": "France",
        "japanese": "Japan", "korean": "South Korea", "brazilian": "Brazil", "turkish": "Turkey", "british": "United Kingdom",
    ]
}

extension StringProtocol {
    /// Without leading and trailing blanks (space, tab, carriage return), found on the bytes.
    var trimmed: String {
        let whole = Substring(self)
        let u = whole.utf8
        var start = u.startIndex, end = u.endIndex
        func blank(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0D || b == 0x09 }
        while start < end, blank(u[start]) { start = u.index(after: start) }
        while end > start, blank(u[u.index(before: end)]) { end = u.index(before: end) }
        return String(whole[start..<end])
    }
}

/// Phrases of a lexicon as a trie over the match keys of their words, so a lookup walks the
/// tokens once and builds no strings: `longest(from:)` finds the longest phrase starting at a
/// token; `exact(_:_:)` says whether a span is a phrase.
struct PhraseTable<Value: Sendable>: Sendable {
    /// The first word's node by word number (most look-ups end here, on an array); deeper
    /// words by dictionary. Node 0 is the root.
    private var root: [Int32] = []
    private var children: [[Int32: Int32]] = [[:]]
    private var values: [Value?] = [nil]

    mutating func insert(_ phrase: String, _ value: Value, overwrite: Bool = true, words vocabulary: inout [String: Int32]) {
        let words = Lexicon.phraseKey(phrase).utf8.split(separator: 0x20).map { String(Substring($0)) }
        guard !words.isEmpty else { return }
        var node = 0
        for w in words {
            let id: Int32
            if let known = vocabulary[w] { id = known } else { id = Int32(vocabulary.count); vocabulary[w] = id }
            if let next = child(node, id) { node = Int(next); continue }
            children.append([:])
            values.append(nil)
            let new = Int32(children.count - 1)
            if node == 0 {
                while root.count <= Int(id) { root.append(-1) }
                root[Int(id)] = new
            } else {
                children[node][id] = new
            }
            node = Int(new)
        }
        if overwrite || values[node] == nil { values[node] = value }
    }

    @inline(__always)
    private func child(_ node: Int, _ word: Int32) -> Int32? {
        if node == 0 {
            guard word >= 0, Int(word) < root.count else { return nil }
            let n = root[Int(word)]
            return n < 0 ? nil : n
        }
        return children[node][word]
    }

    /// Whether a phrase may start at the token: decided on its word numbers alone, inline, so
    /// that the callers' loops turn most tokens away without a call.
    @inline(__always)
    func mayStart(_ t: TextToken) -> Bool {
        t.kind == .punct || (t.word >= 0 && Int(t.word) < root.count && root[Int(t.word)] >= 0)
            || (t.baseWord >= 0 && Int(t.baseWord) < root.count && root[Int(t.baseWord)] >= 0)
    }

    /// The longest phrase starting at token `i` and ending before `limit`. Punctuation that may
    /// stand inside a name (`.`, `,`, `-`, apostrophes, brackets) is stepped over when `inNames`;
    /// a hyphen always. The last word may carry a possessive 's.
    func longest(_ tokens: Tokens, from i: Int, limit: Int, inNames: Bool = true) -> (end: Int, value: Value)? {
        // Most tokens start no phrase: decided on their word numbers alone.
        guard i < limit, mayStart(tokens[i]) else { return nil }
        var node = 0
        var best: (Int, Value)?
        var j = i
        while j < limit {
            if tokens[j].kind == .punct {
                let t = tokens[j]
                if t.isPunct("-") || (inNames && (t.isPunct(".") || t.isPunct(",") || t.isPunct("'") || t.isPunct("’") || t.isPunct("(") || t.isPunct(")"))) { j += 1; continue }
                break
            }
            if tokens[j].baseWord >= 0, let c = child(node, tokens[j].baseWord), let v = values[Int(c)] { best = (j + 1, v) }
            guard let next = child(node, tokens[j].word) else { break }
            node = Int(next)
            j += 1
            if let v = values[node] { best = (j, v) }
        }
        return best
    }

    /// The value of the phrase made of exactly the words `tokens[i..<end]`.
    func exact(_ tokens: Tokens, _ i: Int, _ end: Int) -> Value? {
        var node = 0
        for j in i..<end {
            guard tokens[j].kind != .punct, let next = child(node, tokens[j].word) else { return nil }
            node = Int(next)
        }
        return values[node]
    }

    /// The value of a phrase given as text.
    func lookup(_ phrase: String) -> Value? {
        var node = 0
        for w in Lexicon.phraseKey(phrase).split(separator: " ") {
            let id = Lexicon.shared.vocabulary.id(String(w))
            guard id >= 0, let next = child(node, id) else { return nil }
            node = Int(next)
        }
        return values[node]
    }
}

/// Words by their bytes, numbered, in an open-addressing hash table: the lexicons' vocabulary,
/// and the finders' word lists (`WordSet`, `WordMap`). A token is looked up from the bytes the
/// tokenizer has read and the hash it worked out on the way, with no string made and no `Hasher`.
struct WordTable: Sendable {
    /// Word numbers by hash slot; -1 for an empty slot.
    private let slots: [Int32]
    /// Word `w`'s bytes (in lower case) are `bytes[starts[w]..<starts[w + 1]]`.
    private let starts: [Int32]
    private let bytes: [UInt8]
    private let mask: Int

    static let seed: UInt64 = 0xcbf29ce484222325
    /// One FNV-1a step.
    @inline(__always) static func step(_ h: UInt64, _ b: UInt8) -> UInt64 { (h ^ UInt64(b)) &* 0x100000001b3 }
    @inline(__always) static func lower(_ c: UInt8) -> UInt8 { c >= 65 && c <= 90 ? c + 32 : c }

    /// The hash the tokenizer gives a word's match key (its letters and digits in lower case),
    /// for an ASCII string; nil for any other.
    static func keyHash(_ s: String) -> UInt64? {
        var h = seed
        for b in s.utf8 {
            if b >= 0x80 { return nil }
            let l = lower(b)
            if l &- 97 < 26 || l &- 48 < 10 { h = step(h, l) }
        }
        return h
    }

    /// A table of `words`, numbered by their place in the list. They must be in lower case.
    init(_ words: [String]) {
        var size = 16
        while size < words.count * 4 { size *= 2 }  // at most a quarter full: a miss is found in a probe or two
        var slots = [Int32](repeating: -1, count: size)
        var starts: [Int32] = [0], bytes: [UInt8] = []
        for (id, word) in words.enumerated() {
            precondition(word.utf8.allSatisfy { WordTable.lower($0) == $0 }, "'\(word)' is not in lower case")
            var h = WordTable.seed
            for b in word.utf8 { h = WordTable.step(h, b); bytes.append(b) }
            starts.append(Int32(bytes.count))
            var slot = Int(h & UInt64(size - 1))
            while slots[slot] >= 0 { slot = (slot + 1) & (size - 1) }
            slots[slot] = Int32(id)
        }
        self.slots = slots
        self.starts = starts
        self.bytes = bytes
        self.mask = size - 1
    }

    var count: Int { starts.count - 1 }

    /// The number of the word whose bytes, in lower case, are `p[0..<n]`, and whose hash is
    /// `hash`; -1 if none. `lowered`: the bytes are in lower case already (the tokenizer's key).
    @inline(__always)
    func id(_ p: UnsafePointer<UInt8>, _ n: Int, hash: UInt64, lowered: Bool = false) -> Int32 {
        // On the arrays' storage: the probe and the comparison make no bounds checks (a slot is
        // masked, a word's start and end are its own).
        slots.withUnsafeBufferPointer { slots in
            starts.withUnsafeBufferPointer { starts in
                bytes.withUnsafeBufferPointer { bytes in
                    var slot = Int(truncatingIfNeeded: hash) & mask
                    while true {
                        let id = slots[slot]
                        if id < 0 { return -1 }
                        let s = Int(starts[Int(id)])
                        if Int(starts[Int(id) + 1]) - s == n {
                            var k = 0
                            if lowered {
                                while k < n, bytes[s + k] == p[k] { k &+= 1 }
                            } else {
                                while k < n, bytes[s + k] == WordTable.lower(p[k]) { k &+= 1 }
                            }
                            if k == n { return id }
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
            var h = WordTable.seed
            for c in b { h = WordTable.step(h, WordTable.lower(c)) }
            return b.baseAddress.map { id($0, b.count, hash: h) } ?? -1
        }
    }

    /// The number of the token's match key (without a possessive 's, when it has one); -1 if none.
    func id(ofKey t: TextToken) -> Int32 {
        guard t.isASCII, t.kind != .punct else {
            let key = t.baseKey ?? t.key
            return key.isEmpty ? -1 : id(key)
        }
        let n = t.end - t.start, p = t.base + t.start
        if t.isPlain && !t.isPossessive { return id(p, n, hash: t.keyHash) }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: n) { buffer in
            var m = 0
            var h = WordTable.seed, previous = h
            for k in 0..<n {
                let c = WordTable.lower(p[k])
                guard (c >= 97 && c <= 122) || (c >= 48 && c <= 57) else { continue }
                buffer[m] = c
                m += 1
                previous = h
                h = WordTable.step(h, c)
            }
            if t.isPossessive { m -= 1; h = previous }
            return m > 0 ? id(buffer.baseAddress!, m, hash: h, lowered: true) : -1
        }
    }

    /// The number of the token's text in lower case; -1 if none.
    @inline(__always)
    func id(of t: TextToken) -> Int32 {
        guard t.isASCII else { return id(t.lower) }
        let n = t.end - t.start, p = t.base + t.start
        if t.isPlain { return id(p, n, hash: t.keyHash) }
        var h = WordTable.seed
        for k in 0..<n { h = WordTable.step(h, WordTable.lower(p[k])) }
        return id(p, n, hash: h)
    }
}

/// A set of words in lower case, asked about a token's lower-case text on its bytes:
/// `EventFinder.determiners.contains(token)` is `determiners.contains(token.lower)` with no string.
struct WordSet: Sendable, ExpressibleByArrayLiteral {
    private let table: WordTable

    init(_ words: [String]) { table = WordTable(Array(Set(words)).sorted()) }
    init(arrayLiteral words: String...) { self.init(words) }

    @inline(__always) func contains(_ t: TextToken) -> Bool { table.id(of: t) >= 0 }
    func contains(_ word: String) -> Bool { table.id(word) >= 0 }
    /// Whether the set has the token's match key, or its base without a possessive 's.
    func containsKey(_ t: TextToken) -> Bool { table.id(ofKey: t) >= 0 }
}

/// Names compared exactly, case and all (`Set<String>`), with most words turned away first by
/// a `WordTable` of their ASCII lower-case forms, which hashes no string.
struct NameSet: Sendable {
    private let exact: Set<String>
    private let folded: WordTable
    /// Whether the folded table decides a miss alone: every name is ASCII, so no other
    /// spelling of one is equal to it.
    private let foldedIsExact: Bool

    init(_ names: Set<String>) {
        exact = names
        foldedIsExact = names.allSatisfy { $0.utf8.allSatisfy { $0 < 0x80 } }
        folded = WordTable(Array(Set(names.map { String(decoding: $0.utf8.map(WordTable.lower), as: UTF8.self) })).sorted())
    }

    func contains(_ name: String) -> Bool {
        if foldedIsExact, folded.id(name) < 0 { return false }
        return exact.contains(name)
    }

    func contains(_ t: TextToken) -> Bool {
        if foldedIsExact, t.isASCII, folded.id(of: t) < 0 { return false }
        return exact.contains(t.text)
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
