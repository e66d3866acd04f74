/// Visits told with a light verb: "Pavel Orlov paid an official visit to China", "Zhao Ming
/// began a visit to Russia on Monday", "landed in Beijing, opening a two-day visit", "the
/// official visit to Russia by Premier Zhao Ming". The visitor alone takes part; the name says
/// who went where.
extension EventFinder {
    /// A visit whose noun at `noun` (its phrase starting at `start`, after a determiner) follows
    /// one of the `visit-verbs` within three words, or is followed by "by" and the visitor.
    func visit(start: Int, noun: Int, nounEnd: Int, sentence s: Int) -> LocalEvent? {
        let range = sentences[s].tokens
        let verbs = EventFinder.visitVerbs
        let verb = (max(range.lowerBound, start - 4)..<start).last { tokens[$0].kind == .word && verbs.contains(tokens[$0].lower) }
        // The destination: "to China", "to Russia".
        let destination = destination(after: nounEnd, sentence: s)
        var visitor: Int?
        if let verb {
            // The sentence's subject: the first person named before the verb.
            visitor = subject(before: verb, sentence: s)
        }
        if visitor == nil {
            // "the visit to Russia by Premier Zhao Ming"
            let after = nounEnd + (destination != nil ? 2 : 0)
            if let by = (after..<min(range.upperBound, after + 3)).first(where: { tokens[$0].isWord("by") }) {
                visitor = people(in: s) { $0.lowerBound > by && $0.lowerBound <= by + 12 }.first
            }
        }
        guard let visitor else { return nil }
        var e = LocalEvent(name: people[visitor].name + "'s visit" + (destination.map { " to " + $0 } ?? ""), kind: "visit", nameSentence: s)
        e.rule = "visit-to"
        e.sentences = [s]
        e.participants = [visitor]
        locate(&e, start: start, end: nounEnd)
        settle(&e, destination: destination, after: s)
        return e
    }

    /// A visit to a country is somewhere in it: where its place is elsewhere (the dateline's city
    /// at home), the first city of that country the article names from its sentence on.
    func settle(_ e: inout LocalEvent, destination: String?, after s: Int) {
        guard let destination, let country = Lexicon.shared.places[Lexicon.phraseKey(destination)], country.kind == "country",
              e.place?.country != country.name else { return }
        e.place = nil
        for k in s..<min(sentences.count, s + 12) {
            for m in mentionsBySentence[k] {
                if case .place(let p) = m.kind, p.kind == "city", p.country == country.name {
                    e.place = p
                    e.country = p.country
                    e.placeSentence = k
                    return
                }
            }
        }
    }

    /// The place named after "to" at token `end`: where a visit went.
    func destination(after end: Int, sentence s: Int) -> String? {
        guard end + 1 < sentences[s].tokens.upperBound, tokens[end].isWord("to") else { return nil }
        return mentionsBySentence[s].first { $0.isPlace && $0.tokens.lowerBound == end + 1 }?.name
    }

    static let visitVerbs = Lexicon.shared.words("visit-verbs")
}
