/// The mentions stage: places and organizations of the gazetteer, and organizations named by
/// pattern ("the Ministry of Commerce of Heilongjiang").
enum MentionStage: PipelineStage {
    static let name = "mentions"
    static let clock = StageClock.Stage.mentions

    static func annotate(_ d: inout AnnotatedDocument) {
        d.mentions = OrganizationPatterns.add(to: MentionFinder.find(d.tokens, d.sentences), d.tokens, d.sentences)
        d.mentionsBySentence = MentionsBySentence(d.mentions, sentences: d.sentences.count)
    }
}

/// A place or organization named in a sentence, by token range.
struct Mention: Sendable {
    enum Kind: Sendable { case place(Lexicon.PlaceEntry), organization(Lexicon.OrganizationEntry) }
    var kind: Kind
    var tokens: Range<Int>
    var sentence: Int

    var name: String {
        switch kind {
        case .place(let p): return p.name
        case .organization(let o): return o.name
        }
    }
    /// The match key of `name`.
    var key: String {
        switch kind {
        case .place(let p): return p.key
        case .organization(let o): return o.key
        }
    }
    var isPlace: Bool { if case .place = kind { return true } else { return false } }
    var country: String? {
        switch kind {
        case .place(let p): return p.country
        case .organization(let o): return o.country
        }
    }
}

/// The mentions of each sentence, as a slice of one array: looking them up makes no dictionary
/// and no array per sentence.
struct MentionsBySentence {
    private let ordered: [Mention]
    private let starts: [Int]

    init(_ mentions: [Mention], sentences: Int) {
        var counts = [Int](repeating: 0, count: sentences + 1)
        for m in mentions where m.sentence < sentences { counts[m.sentence + 1] += 1 }
        for s in 0..<sentences { counts[s + 1] += counts[s] }
        starts = counts
        // Found sentence by sentence, the mentions are nearly always in order already: shared, not copied.
        var inOrder = true
        for k in mentions.indices where mentions[k].sentence >= sentences || (k > 0 && mentions[k].sentence < mentions[k - 1].sentence) {
            inOrder = false
            break
        }
        if inOrder { self.ordered = mentions; return }
        // A counting sort, stable: the mentions of a sentence stay in text order.
        var next = counts
        var ordered = [Mention?](repeating: nil, count: counts[sentences])
        for m in mentions where m.sentence < sentences { ordered[next[m.sentence]] = m; next[m.sentence] += 1 }
        self.ordered = ordered.map { $0! }
    }

    subscript(_ sentence: Int) -> ArraySlice<Mention> {
        sentence >= 0 && sentence + 1 < starts.count ? ordered[starts[sentence]..<starts[sentence + 1]] : []
    }
}

/// The mention stage: finds gazetteer places and lexicon organizations by the longest
/// phrase that starts at each capitalised word, and organizations of unlisted names by
/// their shape ("Ministry of ...", "... Committee").
enum MentionFinder {
    static func find(_ tokens: Tokens, _ sentences: [Sentence]) -> [Mention] {
        let lexicon = Lexicon.shared
        var mentions: [Mention] = []
        for (s, sentence) in sentences.enumerated() {
            var i = sentence.tokens.lowerBound
            while i < sentence.tokens.upperBound {
                // Most tokens start no place's or organization's name: passed over on their marks (a
                // capitalised word whose word or base word starts a phrase of either table).
                i = tokens.next(marked: TokenMarks.mention, from: i, to: sentence.tokens.upperBound)
                guard i < sentence.tokens.upperBound else { break }
                let t = tokens[i]
                // "Chen Xinhua", "Li Harbin": after a Chinese surname, a pinyin word is a given name.
                // (The checks on the tokens' fields come first, the look-ups last.)
                if i > sentence.tokens.lowerBound, tokens[i - 1].end + 1 == t.start, tokens[i - 1].isCapitalized,
                   i + 1 >= sentence.tokens.upperBound || !tokens[i + 1].isCapitalized || tokens[i + 1].start > t.end + 1,
                   lexicon.chineseSurnames.contains(tokens[i - 1]),
                   Pinyin.isGivenName(t) {
                    i += 1
                    continue
                }
                let org = lexicon.organizationTable.longest(tokens, from: i, limit: sentence.tokens.upperBound)
                let placeHit = lexicon.placeTable.longest(tokens, from: i, limit: sentence.tokens.upperBound)
                if let (end, org) = org, let (pEnd, place) = placeHit {
                    // The longer phrase wins: "Federation Council of Russia" over "Federation"; "Moscow" over nothing.
                    if pEnd > end {
                        mentions.append(Mention(kind: .place(place), tokens: i..<pEnd, sentence: s)); i = pEnd
                    } else {
                        mentions.append(Mention(kind: .organization(org), tokens: i..<end, sentence: s)); i = end
                    }
                    continue
                }
                if let (end, org) = org {
                    if org.aliases.contains(where: { $0 == t.text }) || t.characters > 2 || end - i > 1 {
                        mentions.append(Mention(kind: .organization(org), tokens: i..<end, sentence: s))
                        i = end
                        continue
                    }
                }
                if let (end, place) = placeHit {
                    // "the Shanghai Spirit", "the Beijing Declaration": a place that heads another name is not named as a place.
                    if end < sentence.tokens.upperBound, headsAnotherName(tokens[end], tokens[end - 1]) { i = end; continue }
                    // "the US dollar", "Hong Kong dollars": a currency, not the place.
                    if end < sentence.tokens.upperBound, currencyWords.contains(tokens[end].lower) { i = end; continue }
                    mentions.append(Mention(kind: .place(place), tokens: i..<end, sentence: s))
                    i = end
                    continue
                }
                i += 1
            }
        }
        return mentions
    }

    /// Words that may follow a place name and leave it a place: "Xi'an Forum" names an event held there.
    static let placeFollowers = Lexicon.shared.wordSet("place-followers")

    static let currencyWords = Lexicon.shared.words("currency-words")

    static func headsAnotherName(_ next: TextToken, _ last: TextToken) -> Bool {
        guard next.kind == .word, next.isCapitalized, next.start == last.end + 1 else { return false }
        if placeFollowers.contains(next.baseText.lowercased()) { return false }
        if Lexicon.shared.placeTable.lookup(next.baseText) != nil { return false }
        if DateResolver.month(next) != nil || DateResolver.weekday(next) != nil { return false }
        return true
    }

}

extension TextToken {
    /// The word without a possessive `'s` / `’s`: "Jinhua’s" → "Jinhua".
    var possessiveBase: String? { isPossessive ? baseText : nil }
    /// The text without a possessive 's or ’s, cut on the bytes.
    var baseText: String {
        isPossessive ? String(decoding: UnsafeBufferPointer(start: base + start, count: baseLength), as: UTF8.self) : text
    }
    /// The length in bytes of `baseText`.
    var baseLength: Int { end - start - (isPossessive ? (base[end - 2] == UInt8(ascii: "'") ? 2 : 4) : 0) }
}

/// The people named in each sentence, as each mention's person and tokens: a sentence's in the
/// people's order. An article with many mentions of people has them indexed by sentence, so that
/// looking a sentence's people up (an event's participants, an agreement's signers) takes time that
/// does not grow with the article's other sentences; a usual article's few are searched.
struct PeopleBySentence {
    private let people: [LocalPerson]
    /// Empty while the people's mentions are few: then they are searched.
    private let starts: [Int]
    private let entries: [(person: Int, tokens: Range<Int>)]
    static let indexedFrom = 32

    init(_ people: [LocalPerson], sentences: Int) {
        self.people = people
        guard people.reduce(0, { $0 + $1.mentions.count }) >= Self.indexedFrom else { starts = []; entries = []; return }
        var counts = [Int](repeating: 0, count: sentences + 1)
        for p in people { for m in p.mentions where m.sentence >= 0 && m.sentence < sentences { counts[m.sentence + 1] += 1 } }
        for s in 0..<sentences { counts[s + 1] += counts[s] }
        var next = counts
        var entries = [(person: Int, tokens: Range<Int>)](repeating: (0, 0..<0), count: counts[sentences])
        for (k, p) in people.enumerated() {
            for m in p.mentions where m.sentence >= 0 && m.sentence < sentences { entries[next[m.sentence]] = (k, m.tokens); next[m.sentence] += 1 }
        }
        starts = counts
        self.entries = entries
    }

    /// Each mention in sentence `s`: its person's number and its tokens.
    subscript(_ s: Int) -> Mentions { Mentions(of: self, sentence: s) }

    struct Mentions: Sequence, IteratorProtocol {
        private let index: PeopleBySentence
        private let sentence: Int
        /// Searching: the person and the mention next; indexed: the entry next and the end.
        private var k: Int, j: Int

        fileprivate init(of index: PeopleBySentence, sentence s: Int) {
            self.index = index
            sentence = s
            if index.starts.isEmpty { (k, j) = (0, 0) }
            else if s >= 0, s + 1 < index.starts.count { (k, j) = (index.starts[s], index.starts[s + 1]) }
            else { (k, j) = (0, 0) }
        }

        mutating func next() -> (person: Int, tokens: Range<Int>)? {
            if !index.starts.isEmpty {
                guard k < j else { return nil }
                defer { k += 1 }
                return index.entries[k]
            }
            while k < index.people.count {
                let mentions = index.people[k].mentions
                while j < mentions.count {
                    defer { j += 1 }
                    if mentions[j].sentence == sentence { return (k, mentions[j].tokens) }
                }
                k += 1
                j = 0
            }
            return nil
        }
    }
}
