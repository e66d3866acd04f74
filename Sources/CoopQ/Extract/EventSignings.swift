/// The signings stage: a signing the article reports and no event of its own holds is an event.
enum SigningStage: PipelineStage {
    static let name = "signings"
    static let clock = StageClock.Stage.agreements

    static func annotate(_ d: inout AnnotatedDocument) {
        // (Most articles sign nothing: no finder is made for them.)
        guard !d.agreements.isEmpty else { return }
        d.events += EventFinder(d).signings(d.agreements, besides: d.events)
    }
}

/// A signing is an event of its own when people are named signing: "Pavel Orlov and Zhao Ming
/// signed an agreement on ...", "In the presence of ..., the two ministers put their signatures to
/// ...", or the agreement named first and its signers after ("Orlov and Zhao signed the document
/// earlier in June"). Its people are those of those sentences; its date and place are read as
/// any event's.
extension EventFinder {
    /// Whether a date is well before (or after) an article's: another year, a month other than the
    /// article's or the one before, more than 45 days away.
    static func recalled(_ d: PartialDate, _ reference: PartialDate) -> Bool {
        if let x = d.dayNumber, let y = reference.dayNumber { return abs(x - y) > 45 }
        if let m = d.month, let n = reference.month { return (reference.year * 12 + n) - (d.year * 12 + m) > 1 || d.year * 12 + m > reference.year * 12 + n }
        return d.year != reference.year
    }

    /// The event a sentence sets itself in by a noun after "the", "their" or "this" ("after their
    /// meeting", "during the talks"): the last one of that kind named by then.
    func host(of range: Range<Int>, sentence s: Int, in events: [LocalEvent]) -> LocalEvent? {
        for i in range.dropFirst() where EventFinder.anaphors.contains(tokens[i])
            && (tokens[i - 1].isWord("the") || tokens[i - 1].isWord("their") || tokens[i - 1].isWord("this")) {
            let kind = tokens[i].lower
            if let host = events.last(where: { $0.kind == kind && ($0.sentences.first ?? Int.max) <= s }) { return host }
        }
        return nil
    }

    static let tallyWords = Lexicon.shared.words("signing-tally-words")

    func signings(_ agreements: [LocalAgreement], besides events: [LocalEvent]) -> [LocalEvent] {
        var found: [LocalEvent] = []
        for a in agreements {
            // "more than 100 cooperation agreements over the past ten years": a tally, not one signing.
            if let first = a.name.split(separator: " ").first, first.first?.isNumber == true || EventFinder.tallyWords.contains(first.lowercased()) { continue }
            let sentences = [a.sentence] + a.signedAgainIn
            let people = participantIndexes(in: sentences)
            // The first sentence that names a signer says when and where.
            guard !people.isEmpty, let s = sentences.first(where: { s in !self.people(in: s) { _ in true }.isEmpty }) else { continue }
            // A signing the event stage found already ("the signing ceremony ...") is not found twice.
            if events.contains(where: { $0.kind == "signing" && $0.sentences.contains(s) }) { continue }
            // Two documents signed in one sentence are one signing.
            if let k = found.firstIndex(where: { $0.nameSentence == s }) {
                found[k].name += " and the " + a.name
                continue
            }
            var e = LocalEvent(name: "Signing of the " + a.name, kind: "signing", nameSentence: s)
            e.rule = "signing"
            e.sentences = sentences
            let range = self.sentences[s].tokens
            let anchor = s == a.sentence ? a.at : range.lowerBound
            if let host = host(of: range, sentence: s, in: events) {
                // "After their meeting, Li and Petrov signed ...": when and where the meeting was.
                (e.date, e.dateText, e.dateSentence) = (host.date, host.dateText, host.dateSentence)
                (e.place, e.country, e.placeSentence) = (host.place, host.country, host.placeSentence)
            } else {
                locate(&e, start: anchor, end: anchor + 1)
            }
            // A signing recalled from long before the article ("signed a statement in March 2023") is
            // the agreement's history, not an event the article reports.
            if let d = e.date, let reference, EventFinder.recalled(d, reference) { continue }
            inheritSetting(&e, from: events, range: range)
            e.participants = people
            // One signing named twice ("the Agreement ...", "the agreement between ...") is one.
            if found.contains(where: { EventFinder.sameEvent(NameWords($0.name), NameWords(e.name)) }) { continue }
            found.append(e)
        }
        return found
    }
}
