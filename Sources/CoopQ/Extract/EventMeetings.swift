/// Meetings told with a light verb or in the passive: "Pavel Orlov held a meeting with Zhao Ming",
/// "Orlov also had meetings with Zhao Ming and with Sun Tao" (a meeting with each), "He is due to
/// be received by Zhao Ming and by Sun Tao". Each is named, as a meeting told with "met", by who met.
extension EventFinder {
    /// The meetings of a meeting noun at `noun` after one of the `meeting-verbs` (and "a",
    /// "separate"), followed by "with": nil when the noun is not so told.
    func lightMeetings(noun: Int, nounEnd: Int, sentence s: Int) -> [LocalEvent]? {
        let range = sentences[s].tokens
        var verb = noun - 1
        while verb > range.lowerBound, tokens[verb].isWord("a") || tokens[verb].isWord("separate") || tokens[verb].isWord("also") { verb -= 1 }
        guard verb >= range.lowerBound, EventFinder.meetingVerbs.contains(tokens[verb].lower),
              nounEnd < range.upperBound, tokens[nounEnd].isWord("with") else { return nil }
        guard let host = subject(before: verb, sentence: s) else { return nil }
        let guests = guestsAfter(nounEnd + 1, sentence: s).filter { $0 != host }
        guard !guests.isEmpty else { return nil }
        // "meetings with A and with B", "separate meetings": one meeting with each.
        let each = tokens[nounEnd - 1].lowerHasSuffix("s") || (verb..<noun).contains { tokens[$0].isWord("separate") }
        let groups = each ? guests.map { [$0] } : [guests]
        return groups.map { meeting(host: host, guests: $0, at: verb, sentence: s) }
    }

    /// "held separate talks with A and B": talks with each, named by who held them.
    func separateTalks(noun: Int, nounEnd: Int, sentence s: Int) -> [LocalEvent]? {
        let range = sentences[s].tokens
        guard noun > range.lowerBound, tokens[noun - 1].isWord("separate"), nounEnd < range.upperBound, tokens[nounEnd].isWord("with"),
              let host = subject(before: noun, sentence: s) else { return nil }
        let guests = guestsAfter(nounEnd + 1, sentence: s).filter { $0 != host }
        guard !guests.isEmpty else { return nil }
        return guests.map { guest in
            var e = LocalEvent(name: "Talks between " + people[host].name + " and " + people[guest].name, kind: "talks", nameSentence: s)
            e.rule = "separate-talks"
            e.sentences = [s]
            e.participants = [host, guest]
            locate(&e, start: noun, end: nounEnd)
            return e
        }
    }

    /// "He is due to be received by Zhao Ming and by Sun Tao": a meeting with each receiver.
    func receptions(sentence s: Int) -> [LocalEvent] {
        let range = sentences[s].tokens
        var made: [LocalEvent] = []
        let received = EventFinder.receivedWord
        for i in range where received.contains(tokens[i]) && i + 1 < range.upperBound && tokens[i + 1].isWord("by") {
            guard let guest = subject(before: i, sentence: s) else { continue }
            for host in guestsAfter(i + 2, sentence: s) where host != guest {
                made.append(meeting(host: guest, guests: [host], at: i, sentence: s))
            }
        }
        return made
    }

    /// The people named from token `start` to the end of the clause (a comma before a word that
    /// is no "and" or "with" ends it, as does one of `guestClauseEnds`).
    private func guestsAfter(_ start: Int, sentence s: Int) -> [Int] {
        let range = sentences[s].tokens
        var end = start
        while end < range.upperBound, !EventFinder.guestClauseEnds.contains(tokens[end]) || end == start { end += 1 }
        return people(in: s) { $0.lowerBound >= start && $0.lowerBound < end }
    }

    /// "X meets Y and Z": the name of a meeting read with who took part.
    private func meetingName(host: Int, guests: [Int]) -> String {
        people[host].name + " meets " + guests.map { people[$0].name }.joined(separator: " and ")
    }

    /// A meeting of `host` with `guests`, read at tokens `i..<end` (the verb alone by default).
    private func meeting(host: Int, guests: [Int], at i: Int, end: Int? = nil, sentence s: Int, rule: String = "meeting-with") -> LocalEvent {
        var e = LocalEvent(name: meetingName(host: host, guests: guests), kind: "meeting", nameSentence: s)
        e.rule = rule
        e.sentences = [s]
        e.participants = [host] + guests
        locate(&e, start: i, end: end ?? i + 1)
        return e
    }

    /// Who a clause is about: the first person named before token `i` in its sentence, else, after
    /// "he" or "she", the first person of the nearest sentence before that names one.
    func subject(before i: Int, sentence s: Int) -> Int? {
        let range = sentences[s].tokens
        // (A spokesperson reports who went: "Li Na said he was travelling ..." is about another.)
        if let named = people(in: s, where: { $0.upperBound <= i && $0.lowerBound >= range.lowerBound }).first(where: { !isSpokesperson[$0] }) { return named }
        guard (range.lowerBound..<i).contains(where: { tokens[$0].isWord("he") || tokens[$0].isWord("she") }) else { return nil }
        return personBefore(sentence: s)
    }

    /// The person "he" or "she" before token `i` stands for, when no one but a spokesperson is named
    /// before the pronoun in its sentence ("On Wednesday, he attended ...", "Li Na said he was
    /// travelling ... to hold ..."): the first person of the nearest sentence before that names one.
    func pronounReferent(before i: Int, sentence s: Int) -> Int? {
        let range = sentences[s].tokens
        guard let pronoun = (range.lowerBound..<i).first(where: { tokens[$0].isWord("he") || tokens[$0].isWord("she") }),
              people(in: s, where: { $0.upperBound <= pronoun && $0.lowerBound >= range.lowerBound }).allSatisfy({ isSpokesperson[$0] })
        else { return nil }
        return personBefore(sentence: s)
    }

    /// Whom "he" or "she" stands for: the first person (no spokesperson) of the nearest of the
    /// three sentences before `s` that names one.
    private func personBefore(sentence s: Int) -> Int? {
        for earlier in stride(from: s - 1, through: max(0, s - 3), by: -1) {
            if let named = people(in: earlier, where: { _ in true }).first(where: { !isSpokesperson[$0] }) { return named }
        }
        return nil
    }

    static let meetingVerbs = Lexicon.shared.words("meeting-verbs")
    static let receivedWord = Lexicon.shared.wordFlags("reception-verbs")
}

/// An event named by what it is and with whom: "took part in an exchange event with Jiangxia
/// District of Wuhan City", "hosted a matchmaking meeting with the Harbin Chamber of Commerce".
/// An article ("a", "an") after one of the `event-hosts` words, one or two lower-case words, the
/// noun, then "with" or "between" and a capitalised name.
extension EventFinder {
    func describedEvent(kind: String, noun i: Int, nounEnd: Int, sentence s: Int) -> LocalEvent? {
        let range = sentences[s].tokens
        var first = i
        while first > range.lowerBound, i - first < 2, tokens[first - 1].kind == .word, !tokens[first - 1].isCapitalized,
              !tokens[first - 1].isWord("a"), !tokens[first - 1].isWord("an") { first -= 1 }
        guard first < i, first - 2 >= range.lowerBound, tokens[first - 1].isWord("a") || tokens[first - 1].isWord("an"),
              EventFinder.eventHosts.contains(tokens[first - 2].lower),
              nounEnd + 1 < range.upperBound, tokens[nounEnd].isWord("with") || tokens[nounEnd].isWord("between"),
              tokens[nounEnd + 1].isCapitalized || (tokens[nounEnd + 1].isWord("the") && nounEnd + 2 < range.upperBound && tokens[nounEnd + 2].isCapitalized)
        else { return nil }
        // The name runs over the partner's capitalised words and the small words between them.
        var end = nounEnd + 1
        var j = end
        while j < range.upperBound, j - nounEnd < 16, tokens[j].kind == .word {
            if tokens[j].isCapitalized { j += 1; end = j } else if ["of", "and", "the", "for"].contains(where: { tokens[j].isWord($0) }) { j += 1 } else { break }
        }
        var e = LocalEvent(name: DateResolver.raw(tokens, first, end), kind: kind, nameSentence: s)
        e.rule = "described-event"
        e.sentences = [s]
        locate(&e, start: first, end: end)
        return e
    }

    static let eventHosts = Lexicon.shared.words("event-hosts")

    /// "X meets with Y", "X and Y met on Thursday", "X and Y meet the press": events read from
    /// the verb "meet", each with the people named around it. Every form of "meet" starts with an
    /// m: the rest of the words are turned away on one byte, in a loop of their own.
    func meetVerbEvents(sentence s: Int, into found: inout FoundEvents) {
        let range = sentences[s].tokens
        var nextVerb = range.lowerBound
        while true {
            nextVerb = tokens.nextWord(startingWith: UInt8(ascii: "m"), from: nextVerb, to: range.upperBound)
            guard nextVerb < range.upperBound else { break }
            let j = nextVerb
            nextVerb += 1
            guard EventFinder.meetVerbs.contains(tokens[j]) else { continue }
            guard j + 2 < range.upperBound else { continue }
            let after = tokens[j + 1].isWord("with") ? j + 2 : j + 1
            let hosts = people(in: s) { $0.upperBound <= j && $0.lowerBound >= range.lowerBound }
            // The guests: people named after the verb, up to a clause that says when or where.
            var clauseEnd = after
            while clauseEnd < range.upperBound, !EventFinder.guestClauseEnds.contains(tokens[clauseEnd]) || clauseEnd == after { clauseEnd += 1 }
            let guests = people(in: s) { $0.lowerBound >= after && $0.lowerBound < clauseEnd }
            if let host = hosts.last, !guests.isEmpty, !guests.contains(host), !tokens[j + 1].isWord("the") {
                if let k = found.event(named: meetingName(host: host, guests: guests)) {
                    found.add(sentence: s, to: k)
                    continue
                }
                var e = meeting(host: host, guests: guests, at: j, end: after, sentence: s, rule: "meets-with")
                inheritSetting(&e, from: found.events, range: range)
                found.append(e, explicit: true)
                continue
            }
            // "X and Y also met on Thursday": two people who met, and no one named after the verb.
            if guests.isEmpty, hosts.count == 2, !tokens[j + 1].isCapitalized, !tokens[j + 1].isWord("the"),
               tokens[j].lowerIs("met") || tokens[j].lowerIs("meet") {
                if let k = found.event(named: meetingName(host: hosts[0], guests: [hosts[1]])) {
                    found.add(sentence: s, to: k)
                    continue
                }
                found.append(meeting(host: hosts[0], guests: [hosts[1]], at: j, sentence: s, rule: "met-together"), explicit: true)
                continue
            }
            if tokens[j + 1].isWord("the"), tokens[j + 2].isWord("press") {
                var e = LocalEvent(name: "", kind: "press conference", nameSentence: s)
                e.rule = "meet-the-press"
                e.sentences = [s]
                locate(&e, start: j, end: j + 3)
                let names = participantIndexes(in: [s]).map { people[$0].name }
                e.name = names.joined(separator: " and ") + " meet the press"
                found.append(e)
            }
        }
    }
}
