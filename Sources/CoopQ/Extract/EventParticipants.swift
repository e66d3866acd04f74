/// Who took part in an event: the people of its sentences, less its authors, the people who only
/// report it, those of a time it recalls and those of another event's clause; plus whom a
/// sentence lists as taking part.
extension EventFinder {
    /// The comma that ends a name's clause when "and", "while" or "but" and another event noun
    /// follow it within a few words.
    func clauseEnd(after end: Int, in range: Range<Int>) -> Int? {
        var j = end
        while j + 1 < range.upperBound {
            if tokens[j].isPunct(","), tokens[j + 1].isWord("and") || tokens[j + 1].isWord("while") || tokens[j + 1].isWord("but"),
               (j + 2..<min(range.upperBound, j + 6)).contains(where: { noun(at: $0, limit: range.upperBound) != nil }) {
                return j
            }
            j += 1
        }
        return nil
    }

    /// Whether a sentence that speaks of an event again dates what it tells long before the article
    /// ("the agreements reached by A and B in March 2023"); in an undated article, of an undated
    /// event, any year it names does.
    func recalls(sentence s: Int, event: LocalEvent) -> Bool {
        if let reference {
            return dates[sentence: s].contains { EventFinder.recalled($0.date, reference) }
        }
        let range = sentences[s].tokens
        guard event.date == nil else { return false }
        return range.contains { tokens[$0].kind == .number && tokens[$0].characters == 4 && (1950...2100).contains(tokens[$0].integer ?? 0) }
    }

    /// Whether a sentence lists who took part (`participant-cues` of wordlists.tsv).
    func listsParticipants(_ range: Range<Int>) -> Bool {
        let starts = EventFinder.participantCueStarts
        return range.contains { i in starts.contains(tokens[i]) && EventFinder.participantCues.contains { matches($0, at: i, in: range) } }
    }

    static let participantCues: [[String]] = Lexicon.shared.words("participant-cues").map { $0.split(separator: " ").map(String.init) }
    /// The cues' first words: most tokens start none, and are turned away on a table look-up.
    static let participantCueStarts = Lexicon.shared.wordFlags(forWords: participantCues.compactMap(\.first))

    /// People named in the sentences, in order of first mention; authors never. Read from the
    /// sentences' own mentions (`PeopleBySentence`), not every person's.
    func participantIndexes(in sentenceIndexes: [Int]) -> [Int] {
        // Each person's first token there; a person is found in the list while it is short, then by a table.
        var found: [(person: Int, first: Int)] = []
        var position: [Int: Int]?
        var previous = -1
        for s in sentenceIndexes where s != previous {
            previous = s
            for (person, tokens) in peopleBySentence[s] where !isAuthor[person] && !isAttribution(tokens) && !isSpokesperson[person] {
                if let k = position.map({ $0[person] }) ?? found.firstIndex(where: { $0.person == person }) {
                    found[k].first = min(found[k].first, tokens.lowerBound)
                    continue
                }
                found.append((person, tokens.lowerBound))
                if position != nil { position![person] = found.count - 1 }
                else if found.count > shortListLength { position = Dictionary(uniqueKeysWithValues: found.indices.map { (found[$0].person, $0) }) }
            }
        }
        if found.count > 1 { found.sort { ($0.first, $0.person) < ($1.first, $1.person) } }
        return found.map(\.person)
    }

    static let speechVerbs = Lexicon.shared.wordSet("speech-verbs")

    /// ", Li said." closing a sentence: the speaker reports, and need not have taken part.
    func isAttribution(_ r: Range<Int>) -> Bool {
        guard r.lowerBound > 0, tokens[r.lowerBound - 1].isPunct(","), r.upperBound < tokens.count,
              EventFinder.speechVerbs.contains(tokens[r.upperBound]) else { return false }
        let after = r.upperBound + 1
        return after >= tokens.count || tokens[after].isPunct(".") || tokens[after].isPunct(",")
    }
}
