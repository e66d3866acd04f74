/// Events read at an event noun ("forum", "meeting", "talks", "visit"): a name around the noun,
/// talks or meetings of named people, a visit, an event described, or one named before.
extension EventFinder {
    /// Reads the event noun `kind` at `i..<nounEnd` of sentence `s`; returns where to look next.
    func readNoun(_ kind: String, at i: Int, nounEnd: Int, sentence s: Int, into found: inout FoundEvents, lastNamed: inout Int?) -> Int {
        let range = sentences[s].tokens
        if let meetings = kind == "meeting" ? lightMeetings(noun: i, nounEnd: nounEnd, sentence: s)
            : kind == "talks" ? separateTalks(noun: i, nounEnd: nounEnd, sentence: s) : nil {
            for m in meetings {
                if let k = found.event(named: m.name) { found.add(sentence: s, to: k) } else { found.append(m, explicit: true) }
            }
            return nounEnd
        }
        // "the regular meetings between the premiers": a plural names the series, not an event of it
        // (unless an ordinal says which: passed to the name's reading below).
        if EventFinder.seriesNouns.contains(tokens[nounEnd - 1]), i == range.lowerBound || ordinal(tokens[i - 1]) == nil,
           !(range.lowerBound..<i).suffix(4).contains(where: { ordinal(tokens[$0]) != nil }) {
            return nounEnd
        }
        let (start, sawDeterminer) = nameStart(noun: i, in: range)
        let end = nameEnd(nounEnd: nounEnd, in: range)
        // "the opening ceremony of the 6th ... Forum": the inner event is the one named.
        // ("the 7th meeting of the ... dialogue platform" names the meeting: "dialogue" heads nothing.)
        if let inner = (nounEnd..<end).first(where: { k in tokens[k].kind == .word && noun(at: k, limit: end)?.end == end && k > nounEnd }),
           (nounEnd..<inner).contains(where: { ordinal(tokens[$0]) != nil || tokens[$0].isCapitalized }) {
            return nounEnd
        }
        let left = tokens[start..<i]
        var ord: Int?
        // "his second visit": a visit's ordinal counts the visitor's visits, not a series.
        if kind != "visit" { for t in left { if let n = ordinal(t) { ord = n; break } } }
        // ("the largest Chinese exposition": a nationality alone names no event.)
        let capitalized = left.contains { $0.isCapitalized && Lexicon.demonyms[$0] == nil } || (tokens[i].isCapitalized && i > range.lowerBound)
            || tokens[nounEnd..<end].contains { $0.isCapitalized && $0.kind == .word }
        if ord != nil || capitalized {
            lastNamed = namedEvent(kind, ordinal: ord, name: start..<end, noun: i, sentence: s, into: &found)
        } else if let t = talks(kind, at: i, nounEnd: nounEnd, sentence: s, range: range) {
            lastNamed = found.event(named: t.name).map { k in found.add(sentence: s, to: k); return k } ?? found.append(t)
        } else if kind == "visit", let v = visit(start: start, noun: i, nounEnd: nounEnd, sentence: s) {
            lastNamed = found.same(as: v).map { k in found.add(sentence: s, to: k); return k } ?? found.append(v, explicit: true)
        } else if let e = describedEvent(kind: kind, noun: i, nounEnd: nounEnd, sentence: s) {
            lastNamed = found.append(e)
        } else if sawDeterminer, let k = antecedent(noun: tokens[nounEnd - 1], last: found.lastEvent(of: kind), lastNamed: lastNamed) {
            // "the event", "the meeting": the event of that kind last named.
            found.add(sentence: s, to: k)
            if recalls(sentence: s, event: found.events[k]) { found.recall(sentence: s, of: k) }
        }
        return max(end, i + 1)
    }

    /// Where a name starts before its noun: back over modifiers to a determiner, or to the ordinal
    /// of "the 18th round of ... consultations", "the 5th session of the ... forum".
    private func nameStart(noun i: Int, in range: Range<Int>) -> (start: Int, sawDeterminer: Bool) {
        var start = i
        var sawDeterminer = false
        while start > range.lowerBound {
            let t = tokens[start - 1]
            if t.kind == .word && EventFinder.determiners.contains(t) { sawDeterminer = true; break }
            let ok = t.kind == .word && (t.isCapitalized || ordinal(t) != nil || EventFinder.modifiers.contains(t)
                || (t.lowerIs("and") && start - 2 >= range.lowerBound && tokens[start - 2].isCapitalized && tokens[start].isCapitalized))
            if !ok, !isAbbreviationStop(start - 1, in: range), !isNameJoint(start - 1, in: range) { break }
            start -= 1
        }
        // (The words between "of" and the noun may be any words of its name: "strategic security".)
        if i - range.lowerBound >= 3, let of = (max(range.lowerBound + 2, i - 6)..<i).last(where: { tokens[$0].isWord("of") }),
           (of + 1..<i).allSatisfy({ tokens[$0].kind == .word }),
           tokens[of - 1].isWord("round") || tokens[of - 1].isWord("session") || tokens[of - 1].isWord("edition"),
           ordinal(tokens[of - 2]) != nil {
            start = of - 2
        }
        return (start, sawDeterminer)
    }

    /// Where a name ends after its noun: "of the ...", "on ...", "between ..." carry it on, to the
    /// last word that is no filler, stopping at a verb, a weekday or a date.
    private func nameEnd(nounEnd: Int, in range: Range<Int>) -> Int {
        guard nounEnd < range.upperBound, EventFinder.nameLinks.contains(tokens[nounEnd]) else { return nounEnd }
        var j = nounEnd
        var lastGood = nounEnd
        while j < range.upperBound, j - nounEnd < 25 {
            let t = tokens[j]
            if j > nounEnd, isAbbreviationStop(j, in: range) { j += 1; continue }
            if t.kind == .punct {
                let joins = t.isPunct("-") || t.isPunct(",") && j + 1 < range.upperBound && tokens[j + 1].isCapitalized && tokens[j - 1].isCapitalized
                if joins { j += 1; continue } else { break }
            }
            if t.kind == .word, !t.isCapitalized {
                if EventFinder.rightStops.contains(t) || PersonFinder.stopVerbs.contains(t) { break }
                if (t.lowerHasSuffix("ed") && !t.bytes.contains(UInt8(ascii: "-"))) || t.lowerHasSuffix("ly") { break }
            }
            // A weekday is capitalised and no part of a name: "... Forum on Friday".
            if t.kind == .word, t.isCapitalized, DateResolver.weekday(t) != nil { break }
            if t.kind == .word, DateResolver.month(t) != nil, j + 1 < range.upperBound, tokens[j + 1].kind == .number { break }
            j += 1
            if t.kind == .word && !EventFinder.nameFillers.contains(t) { lastGood = j }
        }
        return lastGood
    }

    /// An event named by the words `name` around its noun at `i`: the same as one found before, or
    /// a new one, dated and placed; a visit's visitor alone takes part. Returns its number.
    private func namedEvent(_ kind: String, ordinal ord: Int?, name span: Range<Int>, noun i: Int, sentence s: Int,
                            into found: inout FoundEvents) -> Int {
        let (start, end) = (span.lowerBound, span.upperBound)
        let name = DateResolver.raw(tokens, start, end)
        var e = LocalEvent(name: name, kind: kind, ordinal: ord, nameSentence: s)
        e.rule = "named-event"
        if let ord, let ordIndex = (start..<i).first(where: { ordinal(tokens[$0]) == ord }) {
            e.series = DateResolver.raw(tokens, ordIndex + 1, end)
        }
        if let k = found.same(as: e) {
            found.add(sentence: s, to: k)
            // A headline's event named again in full ("the fifth China-Russia Expo") takes its ordinal.
            if let ord { found.complete(k, ordinal: ord, series: e.series, name: name) }
            return k
        }
        e.sentences = [s]
        locate(&e, start: start, end: end)
        e.clauseEnd = clauseEnd(after: end, in: sentences[s].tokens)
        // "On Wednesday, he attended the 9th meeting ...": the person "he" stands for.
        if let p = pronounReferent(before: start, sentence: s) { e.pronounParticipants = [p] }
        // "Xi Jinping's visit to Russia": the visitor alone took part.
        let visitor = kind == "visit" ? people(in: s) { $0.lowerBound >= start && $0.upperBound <= i }.last : nil
        if let visitor {
            e.participants = [visitor]
            let destination = destination(after: end, sentence: s)
            if let destination { e.name += " to " + destination }
            settle(&e, destination: destination, after: s)
        }
        return found.append(e, explicit: visitor != nil)
    }
}
