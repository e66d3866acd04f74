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
    /// The named word lists of `wordlists.tsv`, each a set of lower-case words or phrases.
    private let wordLists: [String: Set<String>]
    /// Each list's entries as written, in order: for what is matched case and all (header labels).
    private let listsAsWritten: [String: [String]]
    /// By list, by word number: whether the list has the word.
    private let listFlags: [String: [Bool]]
    /// The longest city's name, in the words of its phrase key: a longer text names no city.
    let longestCity: Int
    /// By word number: whether a city's name (any of its surfaces) starts with the word.
    let startsCity: [Bool]
    /// Every word (match key) of every phrase in the tables, numbered: a token looks its word
    /// up here once, and the tables are walked by number, with no more hashing of strings.
    let vocabulary: WordTable
    /// By word number: the `TokenMarks` the word gives a token (the tables it starts a phrase in).
    let wordMarks: [UInt8]
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
        var cityFirstWords = Set<String>()
        for row in files["places.tsv"] ?? [] {
            guard let name = column(row, 0), let kind = column(row, 1) else { continue }
            let entry = PlaceEntry(name: name, kind: kind, region: column(row, 2), country: column(row, 3))
            for surface in [name] + list(column(row, 4)) {
                let key = Lexicon.phraseKey(surface)
                if places[key] == nil || surface == name { places[key] = entry }
                if kind == "city" {
                    longestCity = max(longestCity, key.split(separator: " ").count)
                    if let first = key.split(separator: " ").first { cityFirstWords.insert(String(first)) }
                }
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
        // And the words a relative date starts with ("this month", "last week"): with them, the words a date may start at.
        let dateWords = Set(calendar.keys).union(DateResolver.relativeWords.map { Lexicon.number($0, in: &vocabulary) })
        let agreementWords = Set(AgreementFinder.triggers.map { Lexicon.number($0, in: &vocabulary) })
        // The word lists' words join the vocabulary too, so a rule asks a token's number whether it is
        // in a list (`wordFlags`), with no string made and no hashing.
        var wordLists: [String: Set<String>] = [:]
        var listsAsWritten: [String: [String]] = [:]
        var listWords: [String: [Int32]] = [:]
        for row in files["wordlists.tsv"] ?? [] {
            guard let name = column(row, 0) else { continue }
            listsAsWritten[name, default: []] += list(column(row, 1))
            let words = list(column(row, 1)).map { $0.lowercased() }
            wordLists[name, default: []].formUnion(words)
            for w in words {
                let key = Lexicon.phraseKey(w)
                let parts = key.split(separator: " ").map(String.init)
                for part in parts { _ = Lexicon.number(part, in: &vocabulary) }
                if parts.count == 1 { listWords[name, default: []].append(vocabulary[parts[0]]!) }
            }
        }
        self.wordLists = wordLists
        self.listsAsWritten = listsAsWritten
        self.vocabulary = WordTable(vocabulary.sorted { $0.value < $1.value }.map(\.key))
        var flags: [String: [Bool]] = [:]
        for (name, ids) in listWords {
            var f = [Bool](repeating: false, count: vocabulary.count)
            for id in ids { f[Int(id)] = true }
            flags[name] = f
        }
        self.listFlags = flags
        var calendarByWord = [UInt8](repeating: 0, count: vocabulary.count)
        for (word, value) in calendar { calendarByWord[Int(word)] = value }
        self.calendarByWord = calendarByWord
        var startsCity = [Bool](repeating: false, count: vocabulary.count)
        for word in cityFirstWords { if let id = vocabulary[word] { startsCity[Int(id)] = true } }
        self.startsCity = startsCity
        wordMarks = TokenMarks.byWord(count: self.vocabulary.count, topics: topicTable, places: placeTable,
                                      organizations: organizationTable, eventNouns: eventNounTable, dateWords: dateWords,
                                      agreementWords: agreementWords)
        chineseSurnames = NameSet(surnames)
        russianGivenNames = NameSet(given)
        russianSurnameEndings = endings.sorted { $0.count > $1.count }.map { (Array($0.utf8), $0.count) }
    }

    /// The words of the list `name` in `wordlists.tsv`. A list the file does not have is a
    /// programming error: debug builds (the tests) stop on it, a release build finds no word.
    func words(_ name: String) -> Set<String> {
        assert(wordLists[name] != nil, "no word list '\(name)' in wordlists.tsv")
        return wordLists[name] ?? []
    }

    /// The entries of list `name` as written, case and all, in the file's order.
    func phrases(_ name: String) -> [String] {
        assert(listsAsWritten[name] != nil, "no word list '\(name)' in wordlists.tsv")
        return listsAsWritten[name] ?? []
    }

    /// List `name` as a set that tests a token by its match key (`WordSet`).
    func wordSet(_ name: String) -> WordSet { WordSet(Array(words(name))) }

    /// The one-word entries of list `name`, to test a token by its word number (`WordFlags`).
    func wordFlags(_ name: String) -> WordFlags {
        assert(wordLists[name] != nil, "no word list '\(name)' in wordlists.tsv")
        return WordFlags(flags: listFlags[name] ?? [])
    }

    /// Words (of any list's entries) as flags by word number.
    func wordFlags(forWords words: [String]) -> WordFlags {
        var f = [Bool](repeating: false, count: vocabulary.count)
        for w in words { let id = vocabulary.id(Lexicon.phraseKey(w)); if id >= 0 { f[Int(id)] = true } }
        return WordFlags(flags: f)
    }

    /// The lists whose names start with `prefix`, by the rest of their names.
    func words(named prefix: String) -> [(name: String, words: Set<String>)] {
        wordLists.filter { $0.key.hasPrefix(prefix) }.map { (String($0.key.dropFirst(prefix.count)), $0.value) }.sorted { $0.name < $1.name }
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
    /// words by `edges`. Node 0 is the root.
    private var root: [Int32] = []
    private var edges = Edges()
    private var values: [Value?] = [nil]

    /// The trie's edges below the root, (node, word) → node, in one open-addressing table with
    /// a multiplicative hash: a look-up is a probe or two, with no `Hasher` and no dictionary
    /// per node to retain.
    struct Edges: Sendable {
        /// By slot: the edge's (node, word) as one word, and the node it leads to (-1: empty).
        private var keys = [UInt64](repeating: 0, count: 64)
        private var targets = [Int32](repeating: -1, count: 64)
        private var count = 0

        @inline(__always) private static func key(_ node: Int, _ word: Int32) -> UInt64 { UInt64(node) &<< 32 | UInt64(UInt32(bitPattern: word)) }
        @inline(__always) private static func slot(_ key: UInt64, _ mask: Int) -> Int { Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) &>> 32) & mask }

        @inline(__always)
        func target(_ node: Int, _ word: Int32) -> Int32? {
            let k = Edges.key(node, word), mask = keys.count - 1
            var i = Edges.slot(k, mask)
            while true {
                let t = targets[i]
                if t < 0 { return nil }
                if keys[i] == k { return t }
                i = (i &+ 1) & mask
            }
        }

        mutating func insert(_ node: Int, _ word: Int32, _ target: Int32) {
            if (count + 1) * 2 > keys.count {
                let old = (keys, targets)
                keys = [UInt64](repeating: 0, count: old.0.count * 2)
                targets = [Int32](repeating: -1, count: old.0.count * 2)
                count = 0
                for (k, t) in zip(old.0, old.1) where t >= 0 { insert(Int(k &>> 32), Int32(bitPattern: UInt32(truncatingIfNeeded: k)), t) }
            }
            let k = Edges.key(node, word), mask = keys.count - 1
            var i = Edges.slot(k, mask)
            while targets[i] >= 0, keys[i] != k { i = (i &+ 1) & mask }
            if targets[i] < 0 { count += 1 }
            keys[i] = k
            targets[i] = target
        }
    }

    mutating func insert(_ phrase: String, _ value: Value, overwrite: Bool = true, words vocabulary: inout [String: Int32]) {
        let words = Lexicon.phraseKey(phrase).utf8.split(separator: 0x20).map { String(Substring($0)) }
        guard !words.isEmpty else { return }
        var node = 0
        for w in words {
            let id: Int32
            if let known = vocabulary[w] { id = known } else { id = Int32(vocabulary.count); vocabulary[w] = id }
            if let next = child(node, id) { node = Int(next); continue }
            values.append(nil)
            let new = Int32(values.count - 1)
            if node == 0 {
                while root.count <= Int(id) { root.append(-1) }
                root[Int(id)] = new
            } else {
                edges.insert(node, id, new)
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
        return edges.target(node, word)
    }

    /// Whether a phrase starts with the word numbered `word`.
    func starts(with word: Int32) -> Bool { child(0, word) != nil }

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
