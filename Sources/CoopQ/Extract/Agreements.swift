/// The agreements stage. An agreement recalled from months before the article ("in March of this
/// year, the leaders signed a statement") is history the article tells, not one it reports.
enum AgreementStage: PipelineStage {
    static let name = "agreements"
    static let clock = StageClock.Stage.agreements

    static func annotate(_ d: inout AnnotatedDocument) {
        let found = AgreementFinder.find(d.tokens, d.sentences, d.mentionsBySentence, d.people, d.peopleBySentence, authors: d.authors)
        for a in found {
            let date = d.dates[sentence: a.sentence].first?.date
            if let reference = d.reference, let date, EventFinder.recalled(date, reference) { continue }
            d.agreements.append(a)
            d.agreementDates.append(date)
        }
    }
}

/// A signed document found in one article.
struct LocalAgreement {
    var name: String
    var parties: [String]
    var sentence: Int
    /// The token of the verb or noun it was read from ("signed", "signing", "put", "adopted").
    var at: Int = 0
    /// Later sentences that speak of it again ("they signed the document earlier in June").
    var signedAgainIn: [Int] = []
}

/// The agreement stage: "A and B signed a joint communique", "witnessed the signing of
/// cooperation documents on ...". The signers are the people and organizations before "signed".
enum AgreementFinder {
    static let stops = Lexicon.shared.wordSet("agreement-name-ends")

    static let articles = Lexicon.shared.wordSet("agreement-articles")
    /// "in the field of ...": what an agreement's subject is in.
    static let fieldWords = Lexicon.shared.wordSet("agreement-field-words")
    /// What is signed, for the passive ("12 cooperation agreements worth 2.1 billion yuan were signed").
    static let signedThings = Lexicon.shared.wordSet("signed-things")
    static let passiveAuxiliaries = Lexicon.shared.wordSet("passive-auxiliaries")
    static let clauseOpeners = Lexicon.shared.wordSet("clause-openers")

    /// The noun phrase ending in a thing signed within ten tokens before `end` (the auxiliary), as
    /// token bounds: its count and modifiers, back to a word that is no part of it. A bracket
    /// ("worth 5 billion yuan (about 690 million U.S. dollars) were signed") is passed over whole.
    static func passiveSubject(_ tokens: Tokens, before end: Int, floor: Int) -> (Int, Int)? {
        var noun = end - 1
        var steps = 0
        while true {
            guard noun >= floor, steps < 10 else { return nil }
            if tokens[noun].kind == .word && signedThings.contains(tokens[noun]) { break }
            if tokens[noun].isPunct(",") || tokens[noun].isPunct(";") { return nil }
            if tokens[noun].isPunct(")") {
                var open = noun - 1
                while open >= floor, !tokens[open].isPunct("(") { open -= 1 }
                noun = open - 1
                continue
            }
            noun -= 1
            steps += 1
        }
        var from = noun
        while from > floor, from > noun - 4 {
            let t = tokens[from - 1]
            // A capitalised word opening the sentence is no part of it ("During ..."), but a count's "More than" is.
            let countOpener = t.isWord("more") || t.isWord("less") || t.isWord("fewer")
            guard t.kind != .punct || t.textIs("-"), !stops.contains(t), !articles.contains(t), !t.isWord("of"),
                  !(t.kind == .word && t.isCapitalized && from - 1 == floor && !countOpener) else { break }
            from -= 1
        }
        // On to the verb ("memorandum of understanding on logistics"), not into an amount ("worth 2.1 billion yuan").
        var to = noun + 1
        while to < end, tokens[to].kind == .word, !valueWords.contains(tokens[to]) { to += 1 }
        return (from, to)
    }

    /// The auxiliary of a passive verb at `i`: just before it ("were signed"), or before an adverb
    /// ("was also signed", "were jointly signed").
    static func passiveAuxiliary(_ tokens: Tokens, before i: Int, floor: Int) -> Int? {
        if i > floor, passiveAuxiliaries.contains(tokens[i - 1]) { return i - 1 }
        if i - 1 > floor, tokens[i - 1].isWord("also") || tokens[i - 1].lowerHasSuffix("ly"), passiveAuxiliaries.contains(tokens[i - 2]) { return i - 2 }
        return nil
    }

    static let valueWords = Lexicon.shared.wordSet("agreement-value-words")

    /// An agreement, unless the article has named it already (`keys`: those named, by match key).
    private static func add(_ name: String, parties: [String], sentence s: Int, at i: Int, to found: inout [LocalAgreement], keys: inout UniqueList<String>) {
        if keys.insert(matchKey(name)) { found.append(LocalAgreement(name: name, parties: parties, sentence: s, at: i)) }
    }

    static let futureWords = Lexicon.shared.words("agreement-future")

    /// Whether an agreement's name ends before token `k`: nothing carries it on ("of", "on",
    /// "between", "for" do).
    static func isNameEnd(_ tokens: Tokens, _ k: Int, limit: Int) -> Bool {
        guard k < limit, tokens[k].kind == .word else { return true }
        let t = tokens[k]
        if t.isWord("of") || t.isWord("on") || t.isWord("between") || t.isWord("for") { return false }
        return stops.contains(t) || extraStops.contains(t.lower)
    }
    /// Adverbs after which an agreement's name has ended ("... together with", "... earlier in June").
    static let extraStops = Lexicon.shared.words("agreement-stops")

    /// "put their names to", "put their signatures to": the token after "to", for "put" at `i`.
    static func putNameTo(_ tokens: Tokens, at i: Int, limit: Int) -> Int? {
        guard tokens[i].lowerIs("put"), i + 3 < limit, articles.contains(tokens[i + 1]),
              Lexicon.shared.words("agreement-sign-nouns").contains(tokens[i + 2].lower), tokens[i + 3].isWord("to") else { return nil }
        return i + 4
    }

    /// "a joint statement adopted at the meeting", "adopted a joint statement": the statement, for
    /// "adopted" at `i`.
    static func adopted(_ tokens: Tokens, at i: Int, floor: Int, limit: Int) -> (Int, Int)? {
        guard tokens[i].lowerIs("adopted") else { return nil }
        // Before it: a noun phrase ending in a signed thing.
        if i > floor, signedThings.contains(tokens[i - 1]) {
            var from = i - 1
            while from > floor, from > i - 4, tokens[from - 1].kind == .word, !articles.contains(tokens[from - 1]), !stops.contains(tokens[from - 1]) { from -= 1 }
            return (from, i)
        }
        // After it: "adopted a joint statement on ...".
        var from = i + 1
        while from < limit, articles.contains(tokens[from]) { from += 1 }
        var to = from
        while to < limit, to < from + 3, tokens[to].kind == .word, !signedThings.contains(tokens[to]) { to += 1 }
        guard to < limit, signedThings.contains(tokens[to]) else { return nil }
        return (from, to + 1)
    }

    /// The words an agreement is read from.
    static let triggers = Lexicon.shared.phrases("agreement-triggers")

    static func find(_ tokens: Tokens, _ sentences: [Sentence], _ mentions: [Mention], _ people: [LocalPerson]) -> [LocalAgreement] {
        find(tokens, sentences, MentionsBySentence(mentions, sentences: sentences.count), people, PeopleBySentence(people, sentences: sentences.count),
             authors: [])
    }

    /// The agreements, given the article's mentions and people by sentence; the `authors` sign nothing.
    static func find(_ tokens: Tokens, _ sentences: [Sentence], _ mentionsBySentence: MentionsBySentence, _ people: [LocalPerson],
                     _ peopleBySentence: PeopleBySentence, authors: Set<String>) -> [LocalAgreement] {
        var found: [LocalAgreement] = []
        var keys = UniqueList<String>()
        for (s, sentence) in sentences.enumerated() {
            let r = sentence.tokens
            var next = r.lowerBound
            while true {
                // Only "signed", "signing" and "inked" open an agreement (`triggers`): the other tokens are
                // passed over on their marks.
                next = tokens.next(marked: TokenMarks.agreement, from: next, to: r.upperBound)
                guard next < r.upperBound else { break }
                let i = next
                next += 1
                let w = tokens[i]
                var start: Int
                var signers = false
                let signedOrInked = w.lowerIs("signed") || w.lowerIs("inked")
                // The passive ("were signed", "was also signed"): what was signed stands before it.
                // "documents are expected to be signed", "will be signed": not signed yet.
                if signedOrInked, let auxiliary = passiveAuxiliary(tokens, before: i, floor: r.lowerBound), tokens[auxiliary].isWord("be"),
                   auxiliary > r.lowerBound, futureWords.contains(tokens[auxiliary - 1].lower) { continue }
                if signedOrInked, let auxiliary = passiveAuxiliary(tokens, before: i, floor: r.lowerBound) {
                    // "The document was signed during the expo": a signed thing alone after "the" or "this" is
                    // one the article has named already, not another.
                    if let (from, to) = passiveSubject(tokens, before: auxiliary, floor: r.lowerBound) {
                        if to - from == 1 && from > r.lowerBound && !found.isEmpty && (tokens[from - 1].isWord("the") || tokens[from - 1].isWord("this")) {
                            if found[found.count - 1].signedAgainIn.last != s, found[found.count - 1].sentence != s { found[found.count - 1].signedAgainIn.append(s) }
                        } else {
                            add(DateResolver.raw(tokens, from, to), parties: [], sentence: s, at: i, to: &found, keys: &keys)
                        }
                    }
                    continue
                }
                if signedOrInked { start = i + 1; signers = true }
                else if w.lowerIs("signing"), i + 1 < r.upperBound, tokens[i + 1].isWord("of") { start = i + 2 }
                else if let object = putNameTo(tokens, at: i, limit: r.upperBound) { start = object; signers = true }
                else if let (from, to) = adopted(tokens, at: i, floor: r.lowerBound, limit: r.upperBound) {
                    add(DateResolver.raw(tokens, from, to), parties: [], sentence: s, at: i, to: &found, keys: &keys)
                    continue
                }
                else { continue }
                // A quoted title: read inside its quotes.
                while start < r.upperBound, tokens[start].isPunct("\"") || tokens[start].isPunct("“") { start += 1 }
                while start < r.upperBound, AgreementFinder.articles.contains(tokens[start]) { start += 1 }
                // "signed the document earlier in June": a signed thing alone after "the" or "this" is one the
                // article has named already, not another.
                if !found.isEmpty, start < r.upperBound, start > r.lowerBound, tokens[start - 1].isWord("the") || tokens[start - 1].isWord("this"),
                   signedThings.contains(tokens[start]), isNameEnd(tokens, start + 1, limit: r.upperBound) {
                    if found[found.count - 1].signedAgainIn.last != s, found[found.count - 1].sentence != s { found[found.count - 1].signedAgainIn.append(s) }
                    continue
                }
                var end = start
                while end < r.upperBound {
                    let t = tokens[end]
                    if t.kind == .punct && !t.textIs("-") { break }
                    // "on areas such as customs" continues; "and jointly witnessed" does not.
                    if t.isWord("and"), end + 1 < r.upperBound, tokens[end + 1].lowerHasSuffix("ly") || PersonFinder.stopVerbs.contains(tokens[end + 1]) { break }
                    // "in the field of customs", "in the area of trade" continue a name; "in Harbin" does not.
                    if t.isWord("in"), end > start, end + 3 < r.upperBound, tokens[end + 1].isWord("the"), tokens[end + 3].isWord("of"),
                       fieldWords.contains(tokens[end + 2]) {
                        end += 4
                        continue
                    }
                    if t.kind == .word, stops.contains(t), !(t.lowerIs("on") && end > start), !(t.lowerIs("and") && end > start) { break }
                    if t.kind == .word, end > start, extraStops.contains(t.lower) { break }
                    if t.kind == .word, DateResolver.weekday(t) != nil { break }
                    end += 1
                }
                guard end > start, !tokens[start].isWord("ceremony") else { continue }
                var name = DateResolver.raw(tokens, start, end)
                for filler in [" areas such as ", " fields such as ", " such areas as "] { name = name.replacingOccurrences(of: " on" + filler, with: " on ") }
                var parties = UniqueList<String>()
                if signers {
                    // The signers stand in the clause that ends at "signed", after any "that" or comma.
                    var clause = i
                    while clause > r.lowerBound, !tokens[clause - 1].isPunct(","), !tokens[clause - 1].isPunct(";"),
                          !AgreementFinder.clauseOpeners.contains(tokens[clause - 1]) { clause -= 1 }
                    for m in mentionsBySentence[s] where m.tokens.upperBound <= i && m.tokens.lowerBound >= clause {
                        if case .organization(let o) = m.kind, o.kind != "media" { parties.insert(o.name) }
                    }
                    for (k, tokens) in peopleBySentence[s] where tokens.upperBound <= i && tokens.lowerBound >= clause && !authors.contains(people[k].name) {
                        parties.insert(people[k].name)
                    }
                }
                add(name, parties: parties.members, sentence: s, at: i, to: &found, keys: &keys)
            }
        }
        return found
    }
}
