/// What names a series of events, whatever the outlet's words: "the 29th regular meeting between
/// Chinese and Russian heads of government" and "the 29th regular meeting of prime ministers of
/// Russia and China" are one series, as are "the 4th China-Russia Widget Expo" and "the Fourth
/// Russian-Chinese Widget Exposition". A series' words are lower-cased, its phrases of one meaning
/// put in one word (`series-same-*` lists of wordlists.tsv), its small words dropped
/// (`series-stop`), and what is left is a set.
enum EventSeries {
    /// The series' words, sorted, each once.
    static func words(_ series: String) -> [String] {
        let words = EventSeries.lowerWords(series)
        var out = Set<String>()
        var i = 0
        while i < words.count {
            // The longest phrase of one meaning that starts here, put in its word(s).
            if let (canonical, length) = synonym(at: i, in: words) {
                out.formUnion(canonical.split(separator: " ").map(String.init))
                i += length
                continue
            }
            if !stop.contains(words[i]) { out.insert(words[i]) }
            i += 1
        }
        return out.sorted()
    }

    /// The words of a text in lower case, split at every character that is no letter or digit;
    /// ASCII text (nearly all) on its bytes.
    static func lowerWords(_ text: String) -> [String] {
        guard text.utf8.allSatisfy({ $0 < 0x80 }) else {
            let kept = text.lowercased().map { (c: Character) -> Character in c.isLetter || c.isNumber ? c : " " }
            return String(kept).split(separator: " ").map(String.init)
        }
        var words: [String] = []
        var word: [UInt8] = []
        for b in text.utf8 {
            let l = WordTable.lower(b)
            if (l >= 97 && l <= 122) || (l >= 48 && l <= 57) { word.append(l); continue }
            if !word.isEmpty { words.append(String(decoding: word, as: UTF8.self)); word.removeAll(keepingCapacity: true) }
        }
        if !word.isEmpty { words.append(String(decoding: word, as: UTF8.self)) }
        return words
    }

    private static func synonym(at i: Int, in words: [String]) -> (String, Int)? {
        for length in stride(from: min(longestSynonym, words.count - i), through: 1, by: -1) {
            if let canonical = synonyms[words[i..<(i + length)].joined(separator: " ")] { return (canonical, length) }
        }
        return nil
    }

    /// Whether a series' words name something beyond an event noun and its modifiers ("regular
    /// meeting", "official visit" name no series of their own).
    static func names(_ words: [String]) -> Bool {
        words.contains { w in Lexicon.shared.eventNounTable.lookup(w) == nil && !EventFinder.modifiers.contains(w) }
    }

    /// Whether two series' words name one series: every word of the shorter that tells series
    /// apart (not an event noun, a modifier or a `series-generic` word such as the countries) is in
    /// the longer, and most of its words are.
    static func same(_ a: [String], _ b: [String]) -> Bool {
        let (small, large) = a.count <= b.count ? (a, Set(b)) : (b, Set(a))
        guard !small.isEmpty else { return false }
        var shared = 0
        for w in small {
            if large.contains(w) { shared += 1 } else if distinctive(w) { return false }
        }
        return Double(shared) / Double(small.count) >= 0.75
    }

    private static func distinctive(_ w: String) -> Bool {
        !generic.contains(w) && Lexicon.shared.eventNounTable.lookup(w) == nil && !EventFinder.modifiers.contains(w)
    }

    private static let generic = Lexicon.shared.words("series-generic")
    private static let stop = Lexicon.shared.words("series-stop")
    /// Phrases and the word(s) they become.
    private static let synonyms: [String: String] = {
        var table: [String: String] = [:]
        for list in Lexicon.shared.words(named: "series-same-") { for phrase in list.words { table[phrase] = list.name } }
        return table
    }()
    private static let longestSynonym = synonyms.keys.map { $0.split(separator: " ").count }.max() ?? 1
}
