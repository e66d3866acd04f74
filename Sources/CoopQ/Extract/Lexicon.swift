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

    struct PlaceEntry: Sendable { var name: String; var kind: String; var region: String?; var country: String? }
    struct OrganizationEntry: Sendable { var name: String; var kind: String; var country: String?; var aliases: [String] }

    /// Phrase key → place, for canonical names and aliases.
    let places: [String: PlaceEntry]
    let organizations: [String: OrganizationEntry]
    let chineseSurnames: Set<String>
    let russianGivenNames: Set<String>
    let russianSurnameEndings: [String]
    /// The same tables as tries over words, for matching against tokens.
    let placeTable: PhraseTable<PlaceEntry>
    let organizationTable: PhraseTable<OrganizationEntry>
    /// Post titles and the country a bare title implies ("Premier" → China), if any.
    let titleTable: PhraseTable<String?>
    let eventNounTable: PhraseTable<String>
    let topicTable: PhraseTable<String>
    /// The longest post title, in words: how far back a title before a name can start.
    let longestTitle: Int
    /// Every word (match key) of every phrase in the tables, numbered: a token looks its word
    /// up here once, and the tables are walked by number, with no more hashing of strings.
    let vocabulary: [String: Int32]

    private init() {
        var files: [String: [[String]]] = [:]
        for (name, bytes) in embeddedFiles {
            let rows = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true)
                .filter { !$0.hasPrefix("#") }
                .dropFirst()  // the header row
                .map { $0.split(separator: "\t", omittingEmptySubsequences: false).map { String($0).trimmed } }
            files[name] = Array(rows)
        }
        func column(_ row: [String], _ i: Int) -> String? { i < row.count && !row[i].isEmpty ? row[i] : nil }
        func list(_ s: String?) -> [String] {
            (s ?? "").split(separator: ";").map { String($0).trimmed }.filter { !$0.isEmpty }
        }
        var vocabulary: [String: Int32] = [:]
        var places: [String: PlaceEntry] = [:]
        for row in files["places.tsv"] ?? [] {
            guard let name = column(row, 0), let kind = column(row, 1) else { continue }
            let entry = PlaceEntry(name: name, kind: kind, region: column(row, 2), country: column(row, 3))
            for surface in [name] + list(column(row, 4)) {
                let key = Lexicon.phraseKey(surface)
                if places[key] == nil || surface == name { places[key] = entry }
            }
        }
        self.places = places
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
        self.vocabulary = vocabulary
        chineseSurnames = surnames
        russianGivenNames = given
        russianSurnameEndings = endings.sorted { $0.count > $1.count }
    }

    /// The lookup key of a phrase: the match key of each word, joined by single spaces.
    /// `"St. Petersburg"` → `"st petersburg"`, `"Xi'an"` → `"xian"`.
    static func phraseKey(_ phrase: String) -> String {
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
    static let demonyms: [String: String] = [
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
        let words = Lexicon.phraseKey(phrase).split(separator: " ").map(String.init)
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

    /// The longest phrase starting at token `i` and ending before `limit`. Punctuation that may
    /// stand inside a name (`.`, `,`, `-`, apostrophes, brackets) is stepped over when `inNames`;
    /// a hyphen always. The last word may carry a possessive 's.
    func longest(_ tokens: [TextToken], from i: Int, limit: Int, inNames: Bool = true) -> (end: Int, value: Value)? {
        // Most tokens start no phrase: decided on their word numbers alone.
        guard i < limit else { return nil }
        if tokens[i].kind != .punct, child(0, tokens[i].word) == nil, child(0, tokens[i].baseWord) == nil { return nil }
        var node = 0
        var best: (Int, Value)?
        var j = i
        while j < limit {
            if tokens[j].kind == .punct {
                let p = tokens[j].text
                if p == "-" || (inNames && (p == "." || p == "," || p == "'" || p == "’" || p == "(" || p == ")")) { j += 1; continue }
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
    func exact(_ tokens: [TextToken], _ i: Int, _ end: Int) -> Value? {
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
            guard let id = Lexicon.shared.vocabulary[String(w)], let next = child(node, id) else { return nil }
            node = Int(next)
        }
        return values[node]
    }
}
