/// The data files of `Sources/CoopQ/Lexicons`, compiled into the binary and parsed once.
/// Phrases are looked up by the match keys of their words, joined by spaces.
final class Lexicon: Sendable {
    static let shared = Lexicon()

    struct PlaceEntry: Sendable { var name: String; var kind: String; var region: String?; var country: String? }
    struct OrganizationEntry: Sendable { var name: String; var kind: String; var country: String?; var aliases: [String] }

    /// Phrase key → place, for canonical names and aliases.
    let places: [String: PlaceEntry]
    let organizations: [String: OrganizationEntry]
    /// Lower-cased title phrase → the country it implies, if any.
    let titles: [String: String?]
    let titleFirstWords: Set<String>
    /// Event noun phrase key → kind.
    let eventNouns: [String: String]
    /// Topic triggers: phrase key → topic. A key ending in `*` is a prefix.
    let topicTriggers: [String: String]
    let topicOrder: [String]
    let chineseSurnames: Set<String>
    let russianGivenNames: Set<String>
    let russianSurnameEndings: [String]
    /// The longest phrase, in words, of each table: how far a lookup needs to look ahead.
    let longestPlace: Int, longestOrganization: Int, longestTitle: Int, longestEventNoun: Int, longestTrigger: Int

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
        var longest = 1
        for row in files["places.tsv"] ?? [] {
            guard let name = column(row, 0), let kind = column(row, 1) else { continue }
            let entry = PlaceEntry(name: name, kind: kind, region: column(row, 2), country: column(row, 3))
            for surface in [name] + list(column(row, 4)) {
                let key = Lexicon.phraseKey(surface)
                if places[key] == nil || surface == name { places[key] = entry }
                longest = max(longest, Lexicon.wordCount(surface))
            }
        }
        self.places = places
        longestPlace = longest

        var organizations: [String: OrganizationEntry] = [:]
        longest = 1
        for row in files["organizations.tsv"] ?? [] {
            guard let name = column(row, 0), let kind = column(row, 1) else { continue }
            let aliases = list(column(row, 3))
            let entry = OrganizationEntry(name: name, kind: kind, country: column(row, 2), aliases: aliases)
            for surface in [name] + aliases {
                organizations[Lexicon.phraseKey(surface)] = entry
                longest = max(longest, Lexicon.wordCount(surface))
            }
        }
        self.organizations = organizations
        longestOrganization = longest

        var titles: [String: String?] = [:]
        var firsts = Set<String>()
        longest = 1
        for row in files["titles.tsv"] ?? [] {
            guard let title = column(row, 0) else { continue }
            let key = Lexicon.phraseKey(title)
            titles[key] = column(row, 1)
            firsts.insert(String(key.split(separator: " ").first ?? ""))
            longest = max(longest, Lexicon.wordCount(title))
        }
        self.titles = titles
        titleFirstWords = firsts
        longestTitle = longest

        var nouns: [String: String] = [:]
        longest = 1
        for row in files["events.tsv"] ?? [] {
            guard let noun = column(row, 0), let kind = column(row, 1) else { continue }
            nouns[Lexicon.phraseKey(noun)] = kind
            longest = max(longest, Lexicon.wordCount(noun))
        }
        eventNouns = nouns
        longestEventNoun = longest

        var triggers: [String: String] = [:]
        var order: [String] = []
        longest = 1
        for row in files["topics.tsv"] ?? [] {
            guard let topic = column(row, 0) else { continue }
            order.append(topic)
            for trigger in list(column(row, 1)) {
                triggers[Lexicon.phraseKey(trigger) + (trigger.hasSuffix("*") ? "*" : "")] = topic
                longest = max(longest, Lexicon.wordCount(trigger))
            }
        }
        topicTriggers = triggers
        topicOrder = order
        longestTrigger = longest

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
