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
            placeTable.insert(name, entry)
            for alias in list(column(row, 4)) { placeTable.insert(alias, entry, overwrite: false) }
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
                organizationTable.insert(surface, entry)
            }
        }
        self.organizations = organizations
        self.organizationTable = organizationTable

        var titleTable = PhraseTable<String?>()
        var longest = 1
        for row in files["titles.tsv"] ?? [] {
            guard let title = column(row, 0) else { continue }
            titleTable.insert(title, column(row, 1))
            longest = max(longest, Lexicon.wordCount(title))
        }
        self.titleTable = titleTable
        longestTitle = longest

        var eventNounTable = PhraseTable<String>()
        for row in files["events.tsv"] ?? [] {
            guard let noun = column(row, 0), let kind = column(row, 1) else { continue }
            eventNounTable.insert(noun, kind)
        }
        self.eventNounTable = eventNounTable

        var topicTable = PhraseTable<String>()
        for row in files["topics.tsv"] ?? [] {
            guard let topic = column(row, 0) else { continue }
            for trigger in list(column(row, 1)) { topicTable.insert(trigger, topic) }
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
    var trimmed: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\r" || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\r" || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}

/// Phrases of a lexicon as a trie over the match keys of their words, so a lookup walks the
/// tokens once and builds no strings: `longest(from:)` finds the longest phrase starting at a
/// token; `exact(_:_:)` says whether a span is a phrase.
struct PhraseTable<Value: Sendable>: Sendable {
    private var children: [[String: Int32]] = [[:]]
    private var values: [Value?] = [nil]

    mutating func insert(_ phrase: String, _ value: Value, overwrite: Bool = true) {
        let words = Lexicon.phraseKey(phrase).split(separator: " ").map(String.init)
        guard !words.isEmpty else { return }
        var node = 0
        for w in words {
            if let next = children[node][w] { node = Int(next) } else {
                children.append([:])
                values.append(nil)
                children[node][w] = Int32(children.count - 1)
                node = children.count - 1
            }
        }
        if overwrite || values[node] == nil { values[node] = value }
    }

    /// The longest phrase starting at token `i` and ending before `limit`. Punctuation that may
    /// stand inside a name (`.`, `,`, `-`, apostrophes, brackets) is stepped over when `inNames`;
    /// a hyphen always. The last word may carry a possessive 's.
    func longest(_ tokens: [TextToken], from i: Int, limit: Int, inNames: Bool = true) -> (end: Int, value: Value)? {
        var node = 0
        var best: (Int, Value)?
        var j = i
        while j < limit {
            let t = tokens[j]
            if t.kind == .punct {
                let p = t.text
                if p == "-" || (inNames && (p == "." || p == "," || p == "'" || p == "’" || p == "(" || p == ")")) { j += 1; continue }
                break
            }
            if let base = t.baseKey, let child = children[node][base], let v = values[Int(child)] { best = (j + 1, v) }
            guard !t.key.isEmpty, let next = children[node][t.key] else { break }
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
            guard tokens[j].kind != .punct, let next = children[node][tokens[j].key] else { return nil }
            node = Int(next)
        }
        return values[node]
    }

    /// The value of a phrase given as text.
    func lookup(_ phrase: String) -> Value? {
        var node = 0
        for w in Lexicon.phraseKey(phrase).split(separator: " ") {
            guard let next = children[node][String(w)] else { return nil }
            node = Int(next)
        }
        return values[node]
    }
}
