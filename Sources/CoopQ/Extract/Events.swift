/// The events stage: forums, meetings, talks, visits and the events of the rule files.
enum EventStage: PipelineStage {
    static let name = "events"
    static let clock = StageClock.Stage.events

    static func annotate(_ d: inout AnnotatedDocument) {
        d.events = EventFinder(d).find()
    }
}

/// An event found in one document, before reports from several documents are merged.
struct LocalEvent {
    var name: String
    var kind: String
    var ordinal: Int?
    var series: String?
    var date: PartialDate?
    var dateText: String?
    var place: Lexicon.PlaceEntry?
    var country: String?
    var participants: [Int] = []
    /// Where its name's clause ends in its sentence, when another event's clause follows (", and
    /// meetings with ... are planned"): the people after it are that event's.
    var clauseEnd: Int?
    /// Sentences that speak of it but whose people belong to a time long before it ("our talks will
    /// go over the agreements reached by A and B in March 2023"): evidence, not participants.
    var recalledSentences: [Int] = []
    /// People a pronoun stands for in its sentences ("On Wednesday, he attended the 9th meeting").
    var pronounParticipants: [Int] = []
    var organizations: [String] = []
    /// The sentences that name it, in order: the sentences are read in order, so the last says
    /// whether one is already there.
    var sentences: [Int] = []
    var nameSentence: Int
    var dateSentence: Int?
    var placeSentence: Int?
    /// The rule of `Rules/*.rules` that read it; nil for the events the finder's own code reads.
    var rule: String?
}

/// The event stage: finds events by their nouns (forum, roundtable, meeting, talks, ...),
/// reads the whole name around the noun ("the 6th China-Russia Small and Medium-sized
/// Enterprises Forum", "the 24th Meeting of the Council of ..."), and gives each its ordinal,
/// date, place and participants from its sentence. A bare "the meeting" or "the event" refers
/// to the event last named and adds the people of its sentence.
struct EventFinder {
    let tokens: Tokens
    let sentences: [Sentence]
    let people: [LocalPerson]
    let reference: PartialDate?
    /// Where the article was written (its dateline's city, else its title's or lead's): where its
    /// own events were when their sentences name no place.
    let home: Lexicon.PlaceEntry?
    let authors: Set<String>
    let lexicon = Lexicon.shared
    /// The dates of each sentence (the dates layer).
    let dates: DateLayer
    let mentionsBySentence: MentionsBySentence
    let peopleBySentence: PeopleBySentence
    /// What the article has told so far, for rules that read the story, not one sentence.
    final class Story { var lastPlace: Lexicon.PlaceEntry? }
    let story = Story()
    /// Whether each person is one of the article's authors (never a participant).
    let isAuthor: [Bool]
    /// Whether each person speaks for a ministry (quoted, never a participant).
    let isSpokesperson: [Bool]
    static let spokesFlags = Lexicon.shared.wordFlags("spokespeople")
    private static let spokesKeys = Lexicon.shared.words("spokespeople")

    /// Whether a post is a spokesperson's: one of its words is in `spokespeople` (read on the
    /// bytes, in lower case, with no string made for a post of other words).
    static func namesSpokesperson(_ title: String) -> Bool {
        var word: [UInt8] = []
        for b in title.utf8 + [0x20] {
            let l = WordTable.lower(b)
            if l >= 97 && l <= 122 { word.append(l); continue }
            if word.count >= 9, word[1] == UInt8(ascii: "p"), spokesKeys.contains(String(decoding: word, as: UTF8.self)) { return true }
            word.removeAll(keepingCapacity: true)
        }
        return false
    }

    /// The finder of an article's events, from the layers before the events stage.
    init(_ d: AnnotatedDocument) {
        self.init(tokens: d.tokens, sentences: d.sentences, dates: d.dates, mentions: d.mentionsBySentence, people: d.people,
                  peopleBySentence: d.peopleBySentence, reference: d.reference, home: d.home, authors: d.authors)
    }

    init(tokens: Tokens, sentences: [Sentence], dates: DateLayer, mentions: MentionsBySentence, people: [LocalPerson], peopleBySentence: PeopleBySentence,
         reference: PartialDate?, home: Lexicon.PlaceEntry? = nil, authors: Set<String>) {
        self.dates = dates
        self.home = home
        self.tokens = tokens
        self.sentences = sentences
        self.people = people
        self.reference = reference
        self.authors = authors
        mentionsBySentence = mentions
        self.peopleBySentence = peopleBySentence
        isAuthor = people.map { authors.contains($0.name) }
        // A post that says so, or the word just before a mention ("Foreign Ministry spokeswoman Li Na").
        let spokes = EventFinder.spokesFlags
        isSpokesperson = people.map { p in
            p.titles.contains(where: EventFinder.namesSpokesperson)
                || p.mentions.contains { m in m.1.lowerBound > 0 && spokes.contains(tokens[m.1.lowerBound - 1]) }
        }
    }

    /// "sixth": 6 (`ordinal-words` of wordmaps.tsv).
    static let ordinalWords = WordMap(Lexicon.shared.map("ordinal-words").map { ($0.word, Int($0.value) ?? 0) })
    static let modifiers = Lexicon.shared.wordSet("event-modifiers")
    static let determiners = Lexicon.shared.wordSet("determiners")
    static let rightStops = Lexicon.shared.wordSet("event-name-right-stops")
    /// Words that carry a name on past its noun ("Meeting of ...", "Forum on ..."), and the
    /// small words after which it may not end.
    static let nameLinks = Lexicon.shared.wordSet("event-name-links")
    static let nameFillers = Lexicon.shared.wordSet("event-name-fillers")
    static let meetVerbs = Lexicon.shared.wordSet("meet-verbs")
    /// Words that end the clause of a meeting's guests.
    static let guestClauseEnds = Lexicon.shared.wordSet("guest-clause-ends")
    /// Nouns that refer back to an event already named.
    static let anaphors = Lexicon.shared.wordSet("event-anaphors")

    func ordinal(_ t: TextToken) -> Int? { EventFinder.ordinal(of: t) }

    /// The number an ordinal word or "6th" stands for.
    static func ordinal(of t: TextToken) -> Int? {
        if let n = EventFinder.ordinalWords[t] { return n }
        // "6th", "21st": digits and a suffix, read on the bytes.
        let b = t.bytes
        guard b.count >= 3, b[0] >= 48, b[0] <= 57 else { return nil }
        let digits = b.count - 2
        if digits <= 18 {
            var n = 0
            for k in 0..<digits {
                guard b[k] &- 48 < 10 else { return nil }
                n = n * 10 + Int(b[k] &- 48)
            }
            let s0 = WordTable.lower(b[digits]), s1 = WordTable.lower(b[digits + 1])
            switch (s0, s1) {
            case (UInt8(ascii: "s"), UInt8(ascii: "t")), (UInt8(ascii: "n"), UInt8(ascii: "d")),
                 (UInt8(ascii: "r"), UInt8(ascii: "d")), (UInt8(ascii: "t"), UInt8(ascii: "h")): return n
            default: return nil
            }
        }
        let s = t.lower
        for suffix in ["st", "nd", "rd", "th"] where s.hasSuffix(suffix) {
            if let n = Int(s.dropLast(2)) { return n }
        }
        return nil
    }

    /// The event noun (longest phrase) at token `i`, with its end.
    func noun(at i: Int, limit: Int) -> (kind: String, end: Int)? {
        guard lexicon.eventNounTable.mayStart(tokens[i]),
              let hit = lexicon.eventNounTable.longest(tokens, from: i, limit: limit, inNames: false) else { return nil }
        return (hit.value, hit.end)
    }

    func find() -> [LocalEvent] {
        var found = FoundEvents()
        var lastNamed: Int?
        for (s, sentence) in sentences.enumerated() {
            story.lastPlace = found.lastPlace
            let range = sentence.tokens
            var i = range.lowerBound
            while i < range.upperBound {
                // Most words start no event noun: passed over on their marks.
                i = tokens.next(marked: TokenMarks.eventNoun, from: i, to: range.upperBound)
                guard i < range.upperBound else { break }
                guard let (kind, nounEnd) = noun(at: i, limit: range.upperBound) else { i += 1; continue }
                i = readNoun(kind, at: i, nounEnd: nounEnd, sentence: s, into: &found, lastNamed: &lastNamed)
            }
            for m in receptions(sentence: s) + ruleEvents(sentence: s) {
                if let k = found.event(named: m.name) { found.add(sentence: s, to: k) } else { found.append(m, explicit: true) }
            }
            // "Orlov was accompanied by ...", "Among those attending were ...": the people of a sentence
            // that lists them took part in the event last named.
            if let k = lastNamed, found.events[k].sentences.last != s, !found.explicit.contains(k), listsParticipants(range) {
                found.add(sentence: s, to: k)
            }
            meetVerbEvents(sentence: s, into: &found)
        }
        var events = found.takeEvents()
        for k in events.indices {
            // Read with who took part ("X meets Y", a visit's visitor, a rule's captures), or not.
            if !found.explicit.contains(k) { events[k].participants = participants(of: events[k]) }
            events[k].organizations = organizations(of: events[k])
        }
        return events
    }

    /// Who took part in an event read without them: the people of its sentences (not those that
    /// recall it), less those named only after another event's clause in its name's sentence.
    private func participants(of e: LocalEvent) -> [Int] {
        let recalled = e.recalledSentences
        var participants = participantIndexes(in: recalled.isEmpty ? e.sentences : e.sentences.filter { !recalled.contains($0) })
        if let cut = e.clauseEnd {
            let s0 = e.nameSentence
            var before = Set<Int>(), after = Set<Int>()
            for (p, r) in peopleBySentence[s0] { if r.lowerBound < cut { before.insert(p) } else { after.insert(p) } }
            for other in e.sentences where other != s0 { for (p, _) in peopleBySentence[other] { before.insert(p) } }
            participants.removeAll { after.contains($0) && !before.contains($0) }
        }
        for p in e.pronounParticipants where !participants.contains(p) { participants.insert(p, at: 0) }
        return participants
    }

    /// The organizations its sentences name, each once, news outlets aside.
    private func organizations(of e: LocalEvent) -> [String] {
        var orgs: [String] = []
        var seen = Set<String>()
        for s in e.sentences {
            for m in mentionsBySentence[s] {
                if case .organization(let o) = m.kind, o.kind != "media", seen.insert(o.name).inserted { orgs.append(o.name) }
            }
        }
        return orgs
    }

    /// Whether token `k` is the full stop of an abbreviation inside a name ("27th St. Petersburg
    /// International Economic Forum"): a capitalised abbreviation before it, a capitalised word after.
    func isAbbreviationStop(_ k: Int, in range: Range<Int>) -> Bool {
        k - 1 >= range.lowerBound && k + 1 < range.upperBound && tokens[k].isPunct(".") && tokens[k + 1].isCapitalized
            && tokens[k - 1].isCapitalized && TextTokenizer.abbreviations.contains(tokens[k - 1])
    }

    /// Whether token `k` is punctuation inside an event's name, left of its noun: the apostrophe of
    /// "Prime Ministers' Regular Meeting", the "&" of "Medium- & Small-Sized Enterprises Forum" (each
    /// between capitalised words), the dash of "the 30th – regular meeting" (after an ordinal).
    func isNameJoint(_ k: Int, in range: Range<Int>) -> Bool {
        guard k - 1 >= range.lowerBound, k + 1 < range.upperBound, tokens[k].kind == .punct else { return false }
        let t = tokens[k], before = tokens[k - 1], after = tokens[k + 1]
        if t.isPunct("'") || t.isPunct("’") || t.isPunct("&") { return before.isCapitalized && after.isCapitalized }
        if t.isPunct("–") || t.isPunct("—") || t.isPunct("-") { return ordinal(before) != nil }
        return false
    }

    static let seriesNouns = Lexicon.shared.wordFlags("series-nouns")

    /// How many sentences open an article: the news it reports.
    static let leadSentences = 3

    static let genericNouns = Lexicon.shared.wordSet("event-generic-nouns")

    /// The event a bare noun refers to: the last one of the same kind, or for "the event", the last one.
    /// A meeting named by its name ("the 29th regular meeting ...") is preferred to one named by who
    /// met ("Wang Hailin meets Ivan Petrov"), whose people are fixed: "X and Y also attended the
    /// meeting" after a side meeting speaks of the main one.
    /// `last`: the last event of the noun's kind not named by who met, else the last of the kind.
    func antecedent(noun: TextToken, last: Int?, lastNamed: Int?) -> Int? {
        if EventFinder.genericNouns.contains(noun) { return lastNamed }
        if let last { return last }
        return EventFinder.anaphors.contains(noun) ? lastNamed : nil
    }

    /// The people with a mention in sentence `s` whose tokens pass `wanted`, in the people's order; authors never.
    func people(in s: Int, where wanted: (Range<Int>) -> Bool) -> [Int] {
        var found: [Int] = []
        for (k, tokens) in peopleBySentence[s] where !isAuthor[k] && found.last != k && wanted(tokens) { found.append(k) }
        return found
    }

    /// "his talks with Russian Prime Minister ...": talks named by who held them.
    func talks(_ kind: String, at i: Int, nounEnd: Int, sentence s: Int, range: Range<Int>) -> LocalEvent? {
        // "talks with ...", or "X and Y held talks": the people of the sentence held them.
        guard kind == "talks" else { return nil }
        let with = nounEnd < range.upperBound && tokens[nounEnd].isWord("with")
        let held = i > range.lowerBound && (tokens[i - 1].lowerIs("held") || tokens[i - 1].lowerIs("hold") || tokens[i - 1].lowerIs("holds"))
        guard with || held else { return nil }
        let names = participantIndexes(in: [s]).map { people[$0].name }
        guard names.count >= 2 else { return nil }
        var e = LocalEvent(name: "Talks between " + names.joined(separator: " and "), kind: "talks", nameSentence: s)
        e.rule = "talks-with"
        e.sentences = [s]
        locate(&e, start: i, end: nounEnd)
        return e
    }

    static func nameKey(_ name: String) -> String { matchKey(name) }

    /// Whether the words of `phrase` stand at token `i`, within `range`.
    func matches(_ phrase: [String], at i: Int, in range: Range<Int>) -> Bool {
        guard i + phrase.count <= range.upperBound else { return false }
        for (k, word) in phrase.enumerated() where !tokens[i + k].lowerIs(word) { return false }
        return true
    }
}
