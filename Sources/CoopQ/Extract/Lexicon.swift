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
    /// The maps of wordmaps.tsv: each its words (in lower case) and values, in the file's order.
    private let wordMaps: [String: [(word: String, value: String)]]
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
        let files = LexiconFiles(embeddedFiles)
        var vocabulary: [String: Int32] = [:]
        let places = Lexicon.readPlaces(files, &vocabulary)
        self.places = places.index
        placeTable = places.table
        longestCity = places.longestCity
        (organizations, organizationTable) = Lexicon.readOrganizations(files, &vocabulary)
        (titleTable, longestTitle) = Lexicon.readTitles(files, &vocabulary)
        eventNounTable = Lexicon.readPhrases(files.rows("events.tsv"), &vocabulary) { row in
            files.column(row, 1).map { [(files.column(row, 0) ?? "", $0)] } ?? []
        }
        topicTable = Lexicon.readPhrases(files.rows("topics.tsv"), &vocabulary) { row in
            guard let topic = files.column(row, 0) else { return [] }
            return files.list(files.column(row, 1)).map { ($0, topic) }
        }
        wordMaps = Lexicon.readWordMaps(files)
        // Month and weekday names join the vocabulary, so a token's number says whether it names one.
        var calendar: [Int32: UInt8] = [:]
        for (name, month) in wordMaps["month-names"] ?? [] { calendar[Lexicon.number(name, in: &vocabulary)] = UInt8(month) ?? 0 }
        for (name, day) in wordMaps["weekday-names"] ?? [] {
            calendar[Lexicon.number(name, in: &vocabulary), default: 0] |= ((UInt8(day) ?? 0) + 1) << 4
        }
        // And the words a relative date starts with ("this month", "last week"): with them, the words a date may start at.
        let dateWords = Set(calendar.keys).union(DateResolver.relativeWords.map { Lexicon.number($0, in: &vocabulary) })
        let lists = Lexicon.readWordLists(files, &vocabulary)
        let agreementWords = Set((lists.sets["agreement-triggers"] ?? []).map { Lexicon.number($0, in: &vocabulary) })
        wordLists = lists.sets
        listsAsWritten = lists.asWritten
        self.vocabulary = WordTable(vocabulary.sorted { $0.value < $1.value }.map(\.key))
        let count = vocabulary.count
        listFlags = lists.words.mapValues { ids in Lexicon.byWord(count, ids.map { (Int($0), true) }, none: false) }
        calendarByWord = Lexicon.byWord(count, calendar.map { (Int($0.key), $0.value) }, none: 0)
        startsCity = Lexicon.byWord(count, places.cityFirstWords.compactMap { vocabulary[$0].map { (Int($0), true) } }, none: false)
        wordMarks = TokenMarks.byWord(count: self.vocabulary.count, topics: topicTable, places: placeTable,
                                      organizations: organizationTable, eventNouns: eventNounTable, dateWords: dateWords,
                                      agreementWords: agreementWords)
        let names = Lexicon.readNames(files)
        chineseSurnames = NameSet(names.surnames)
        russianGivenNames = NameSet(names.given)
        russianSurnameEndings = names.endings.sorted { $0.count > $1.count }.map { (Array($0.utf8), $0.count) }
    }

    /// A table by word number, `none` but for the words given.
    private static func byWord<T>(_ count: Int, _ values: [(Int, T)], none: T) -> [T] {
        var table = [T](repeating: none, count: count)
        for (word, value) in values { table[word] = value }
        return table
    }

    private static func readPlaces(_ files: LexiconFiles, _ vocabulary: inout [String: Int32])
        -> (index: [String: PlaceEntry], table: PhraseTable<PlaceEntry>, longestCity: Int, cityFirstWords: Set<String>) {
        var places: [String: PlaceEntry] = [:]
        var table = PhraseTable<PlaceEntry>()
        var longestCity = 1
        var cityFirstWords = Set<String>()
        for row in files.rows("places.tsv") {
            guard let name = files.column(row, 0), let kind = files.column(row, 1) else { continue }
            let entry = PlaceEntry(name: name, kind: kind, region: files.column(row, 2), country: files.column(row, 3))
            let aliases = files.list(files.column(row, 4))
            for surface in [name] + aliases {
                let key = Lexicon.phraseKey(surface)
                if places[key] == nil || surface == name { places[key] = entry }
                if kind == "city" {
                    longestCity = max(longestCity, key.split(separator: " ").count)
                    if let first = key.split(separator: " ").first { cityFirstWords.insert(String(first)) }
                }
            }
            table.insert(name, entry, words: &vocabulary)
            for alias in aliases { table.insert(alias, entry, overwrite: false, words: &vocabulary) }
        }
        return (places, table, longestCity, cityFirstWords)
    }

    private static func readOrganizations(_ files: LexiconFiles, _ vocabulary: inout [String: Int32])
        -> ([String: OrganizationEntry], PhraseTable<OrganizationEntry>) {
        var organizations: [String: OrganizationEntry] = [:]
        var table = PhraseTable<OrganizationEntry>()
        for row in files.rows("organizations.tsv") {
            guard let name = files.column(row, 0), let kind = files.column(row, 1) else { continue }
            let aliases = files.list(files.column(row, 3))
            let entry = OrganizationEntry(name: name, kind: kind, country: files.column(row, 2), aliases: aliases)
            for surface in [name] + aliases {
                organizations[Lexicon.phraseKey(surface)] = entry
                table.insert(surface, entry, words: &vocabulary)
            }
        }
        return (organizations, table)
    }

    private static func readTitles(_ files: LexiconFiles, _ vocabulary: inout [String: Int32]) -> (PhraseTable<String?>, Int) {
        var table = PhraseTable<String?>()
        var longest = 1
        for row in files.rows("titles.tsv") {
            guard let title = files.column(row, 0) else { continue }
            table.insert(title, files.column(row, 1), words: &vocabulary)
            // "vice-chairman", "vice-premier": the first two words of a post joined by a hyphen, as China Daily writes them.
            if let space = title.firstIndex(of: " ") {
                var hyphenated = title
                hyphenated.replaceSubrange(space...space, with: "-")
                table.insert(hyphenated, files.column(row, 1), overwrite: false, words: &vocabulary)
            }
            longest = max(longest, Lexicon.wordCount(title))
        }
        return (table, longest)
    }

    /// A phrase table of the phrases and values each row gives.
    private static func readPhrases(_ rows: [[String]], _ vocabulary: inout [String: Int32],
                                    _ entries: ([String]) -> [(String, String)]) -> PhraseTable<String> {
        var table = PhraseTable<String>()
        for row in rows { for (phrase, value) in entries(row) where !phrase.isEmpty { table.insert(phrase, value, words: &vocabulary) } }
        return table
    }

    private static func readNames(_ files: LexiconFiles) -> (surnames: Set<String>, given: Set<String>, endings: [String]) {
        var surnames = Set<String>(), given = Set<String>(), endings: [String] = []
        for row in files.rows("names.tsv") {
            guard let kind = files.column(row, 0) else { continue }
            let values = files.list(files.column(row, 1))
            switch kind {
            case "chinese-surname": surnames.formUnion(values)
            case "russian-given-name": given.formUnion(values)
            case "russian-surname-ending": endings += values
            default: break
            }
        }
        return (surnames, given, endings)
    }

    private static func readWordMaps(_ files: LexiconFiles) -> [String: [(word: String, value: String)]] {
        var maps: [String: [(word: String, value: String)]] = [:]
        for row in files.rows("wordmaps.tsv") {
            guard let name = files.column(row, 0), let word = files.column(row, 1), let value = files.column(row, 2) else { continue }
            maps[name, default: []].append((word.lowercased(), value))
        }
        return maps
    }

    /// The word lists: each in lower case, as written, and the numbers of its one-word entries.
    /// Their words join the vocabulary, so a rule asks a token's number whether it is in a list
    /// (`wordFlags`), with no string made and no hashing.
    private static func readWordLists(_ files: LexiconFiles, _ vocabulary: inout [String: Int32])
        -> (sets: [String: Set<String>], asWritten: [String: [String]], words: [String: [Int32]]) {
        var sets: [String: Set<String>] = [:]
        var asWritten: [String: [String]] = [:]
        var listWords: [String: [Int32]] = [:]
        for row in files.rows("wordlists.tsv") {
            guard let name = files.column(row, 0) else { continue }
            asWritten[name, default: []] += files.list(files.column(row, 1))
            let words = files.list(files.column(row, 1)).map { $0.lowercased() }
            sets[name, default: []].formUnion(words)
            for w in words {
                let parts = Lexicon.phraseKey(w).split(separator: " ").map(String.init)
                for part in parts { _ = Lexicon.number(part, in: &vocabulary) }
                if parts.count == 1 { listWords[name, default: []].append(vocabulary[parts[0]]!) }
            }
        }
        return (sets, asWritten, listWords)
    }

    /// The words of the list `name` in `wordlists.tsv`. A list the file does not have is a
    /// programming error: debug builds (the tests) stop on it, a release build finds no word.
    func words(_ name: String) -> Set<String> {
        assert(wordLists[name] != nil, "no word list '\(name)' in wordlists.tsv")
        return wordLists[name] ?? []
    }

    /// The words and values of map `name` in wordmaps.tsv, in the file's order.
    func map(_ name: String) -> [(word: String, value: String)] {
        assert(wordMaps[name] != nil, "no word map '\(name)' in wordmaps.tsv")
        return wordMaps[name] ?? []
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

/// The lexicons' data files as rows of tab-separated columns (a comment line starts with #; the
/// first other line names the columns).
struct LexiconFiles {
    private var files: [String: [[String]]] = [:]

    init(_ embedded: [(String, [UInt8])]) {
        for (name, bytes) in embedded {
            // Split on the bytes: lines, then tab-separated columns.
            let rows = bytes.split(separator: 0x0A, omittingEmptySubsequences: true)
                .filter { $0.first != UInt8(ascii: "#") }
                .dropFirst()  // the header row
                .map { $0.split(separator: 0x09, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self).trimmed } }
            files[name] = Array(rows)
        }
    }

    func rows(_ file: String) -> [[String]] { files[file] ?? [] }

    func column(_ row: [String], _ i: Int) -> String? { i < row.count && !row[i].isEmpty ? row[i] : nil }

    /// A column of items between semicolons.
    func list(_ s: String?) -> [String] {
        (s ?? "").utf8.split(separator: UInt8(ascii: ";")).map { String(Substring($0)).trimmed }.filter { !$0.isEmpty }
    }
}
