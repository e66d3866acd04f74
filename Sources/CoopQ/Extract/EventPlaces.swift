/// Where and when an event was: its date and place from its sentence, else from what the sentence
/// or the article around it says (the event it is set in, "here", the article's story and city).
extension EventFinder {
    /// The city a name starts with, after its ordinal ("the 27th St. Petersburg International
    /// Economic Forum", "Astana Economic Forum"), in one to three words.
    static func headingCity(_ name: String) -> Lexicon.PlaceEntry? {
        var words = name.split(separator: " ", maxSplits: 4).prefix(4)
        if let first = words.first, first.first?.isNumber == true { words = words.dropFirst() }
        // Most names start with no city's first word: turned away on one look-up.
        guard let first = words.first, first.utf8.first.map({ $0 &- 65 < 26 || $0 >= 0x80 }) == true else { return nil }
        let id = Lexicon.shared.vocabulary.id(Lexicon.phraseKey(String(first)).split(separator: " ").first.map(String.init) ?? "")
        guard id >= 0, Lexicon.shared.startsCity[Int(id)] else { return nil }
        for length in stride(from: min(3, words.count), through: 1, by: -1) {
            if let p = Lexicon.shared.places[Lexicon.phraseKey(words.prefix(length).joined(separator: " "))], p.kind == "city" { return p }
        }
        return nil
    }

    /// "On the sidelines of the meeting, Wang met with Petrov": a meeting the sentence sets in
    /// another event (named in it, or meant by "the meeting") is where that event was, when the
    /// sentence names no city of its own.
    func inheritSetting(_ e: inout LocalEvent, from events: [LocalEvent], range: Range<Int>) {
        guard e.place == nil,
              tokens[range].contains(where: { $0.isWord("sidelines") || $0.isWord("margins") || $0.isWord("during") }),
              // (Sentences are read in order: an event that names this one names it last.)
              let host = events.last(where: { $0.sentences.last == e.nameSentence }), let place = host.place else { return }
        e.place = place
        e.country = place.country
        e.placeSentence = host.placeSentence
    }

    /// Date and place from the event's sentence.
    func locate(_ e: inout LocalEvent, start: Int, end: Int) {
        let s = e.nameSentence
        let dates = self.dates[sentence: s]
        // The date nearest the event's name: "on Sunday jointly chaired the 28th meeting ..., the ministry
        // said in a statement issued on Monday" is Sunday's.
        // A year alone ("founded in 2016") is taken only when nothing finer is given.
        func distance(_ d: DateResolver.Found) -> Int {
            (d.tokens.lowerBound >= end ? d.tokens.lowerBound - end : max(0, start - d.tokens.upperBound)) + (d.date.precision == 1 ? 10_000 : 0)
        }
        if let d = dates.min(by: { distance($0) < distance($1) }) {
            e.date = d.date
            e.dateText = d.raw
            e.dateSentence = s
        } else {
            // The date last given before it in the same article ("on Monday ... during his talks").
            // (A year alone there, "founded in 2014", dates the sentence's own story, not what follows.)
            for earlier in stride(from: s - 1, through: max(0, s - 50), by: -1) {
                if let d = self.dates[sentence: earlier].last(where: { $0.date.precision > 1 }) {
                    e.date = d.date
                    e.dateText = d.raw
                    e.dateSentence = earlier
                    break
                }
            }
            // An event of the lead that no sentence dates is the news of the article's day.
            if e.date == nil, s < EventFinder.leadSentences, let reference, reference.day != nil { e.date = reference }
        }
        let here = mentionsBySentence[s]
        let inName = here.first { m in
            if case .place(let p) = m.kind, p.kind == "city", m.tokens.lowerBound >= start, m.tokens.upperBound <= end { return true }
            return false
        }
        let inSentence = here.filter { m in
            if case .place(let p) = m.kind, p.kind == "city", m.sentence == s { return true }
            return false
        }
        let chosen = inName ?? inSentence.first { $0.tokens.lowerBound >= end } ?? inSentence.first
        if let m = chosen, case .place(let p) = m.kind {
            e.place = p
            e.country = p.country
            e.placeSentence = s
        }
        // "the Astana Economic Forum": a city that heads the name (not a mention of its own).
        if e.place == nil, let p = EventFinder.headingCity(e.name) {
            e.place = p
            e.country = p.country
            e.placeSentence = s
        }
        if e.place == nil, let p = impliedPlace(e, sentence: s) {
            e.place = p
            e.country = p.country
            e.placeSentence = s
        }
        if e.country == nil {
            for m in here where m.tokens.lowerBound >= start && m.tokens.upperBound <= end {
                if let c = m.country { e.country = c; break }
            }
        }
    }


    /// The place of an event whose sentence names no city: "the Russian capital"; "here" or "the
    /// city" (the article's city); the city of the sentence before; else, for the article's own
    /// event (of no date, or within a week of the article's), the article's city. A recalled
    /// event, dated far from the article, gets none.
    func impliedPlace(_ e: LocalEvent, sentence s: Int) -> Lexicon.PlaceEntry? {
        let range = sentences[s].tokens
        for i in range where tokens[i].isWord("capital") && i > range.lowerBound {
            // "the Russian capital", "the Chinese capital"
            if let country = Lexicon.demonyms[tokens[i - 1]], let city = lexicon.words("capital-" + country.lowercased()).first,
               let place = lexicon.places[Lexicon.phraseKey(city)] { return place }
        }
        let own = e.date.map { d in reference.map { r in d.isNear(r, days: 7) } ?? true } ?? true
        guard own else { return nil }
        if let home, range.contains(where: { i in
            EventFinder.hereStarts.contains(tokens[i]) && EventFinder.herePhrases.contains { phrase in matches(phrase, at: i, in: range) }
        }) { return home }
        if s > 0 {
            let before = mentionsBySentence[s - 1].first { m in if case .place(let p) = m.kind { return p.kind == "city" } else { return false } }
            if let m = before, case .place(let p) = m.kind { return p }
        }
        // Where the article's story last was ("the 9th Expo opened in Yekaterinburg ... the plenary
        // session"), before the city the article was written in.
        return story.lastPlace ?? home
    }

    /// Words that stand for the city an article was written in ("here", "the city"), each as its words.
    static let herePhrases: [[String]] = Lexicon.shared.words("here").map { $0.split(separator: " ").map(String.init) }
    static let hereStarts = Lexicon.shared.wordFlags(forWords: herePhrases.compactMap(\.first))

}
