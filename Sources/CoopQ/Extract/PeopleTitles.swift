/// Posts around names: before a name ("Russian Prime Minister ..."), after its comma
/// ("..., Russian Deputy Prime Minister,"), and the country a post names.
extension PersonFinder {

    /// The longest post title (from the lexicon) ending just before token `i`, with a
    /// nationality adjective before it: `Russian Prime Minister`.
    func titleBefore(_ i: Int, floor: Int) -> (title: String, country: String?, start: Int)? {
        if let direct = plainTitleBefore(i, floor: floor) { return direct }
        // "Vice Minister of Commerce Wu Hai", "Chairman of the Board Ivan Petrov": a post, "of", and a name of capitalised words.
        // "Chairman of the Standing Committee of the National People's Congress Zhao Leji": back over
        // up to three "of"s to the post they hang from.
        guard i - 1 > floor, tokens[i - 1].isCapitalized else { return nil }
        var j = i - 1
        for _ in 0..<3 {
            while j > floor, j > i - 16, tokens[j].kind == .word, tokens[j].isCapitalized || tokens[j].lowerIs("the") || tokens[j].lowerIs("and"), !tokens[j].isWord("of") { j -= 1 }
            guard j > floor, j > i - 16, tokens[j].isWord("of"), j + 1 < i else { return nil }
            if let head = plainTitleBefore(j, floor: floor) { return (head.title + " " + DateResolver.raw(tokens, j, i), head.country, head.start) }
            j -= 1
        }
        return nil
    }

    func plainTitleBefore(_ i: Int, floor: Int) -> (title: String, country: String?, start: Int)? {
        var best: (String, String?, Int)?
        for n in 1...lexicon.longestTitle where i - n >= floor {
            guard tokens[i - n].kind == .word else { break }
            if let implied = lexicon.titleTable.exact(tokens, i - n, i), tokens[i - n].isCapitalized {
                var country = implied
                var start = i - n
                if start - 1 >= floor, let c = nationality(start - 1) { country = c; start -= 1 }
                best = (DateResolver.raw(tokens, i - n, i), country, start)
            }
        }
        return best
    }

    /// Whether the words at `i` begin a post: "deputy speaker of ...", "a member of ...".
    func startsTitle(_ i: Int, limit: Int) -> Bool {
        var j = i
        while j < limit, PersonFinder.titleOpeners.contains(tokens[j]) { j += 1 }
        j = afterNationality(j, limit: limit)
        guard j < limit, let post = lexicon.titleTable.longest(tokens, from: j, limit: limit, inNames: false) else { return false }
        // "..., and Chinese Vice Premier Ding Xuexiang": a post before a name is that person's.
        return !(post.end < limit && tokens[post.end].isCapitalized && nameSpan(at: post.end, limit: limit) != nil)
    }

    /// Past a nationality before a post ("Russian Deputy Prime Minister"): `j + 1` when token `j` is
    /// one and a post follows it, else `j`.
    func afterNationality(_ j: Int, limit: Int) -> Int {
        guard j + 1 < limit, tokens[j].isCapitalized, nationality(j) != nil,
              lexicon.titleTable.longest(tokens, from: j + 1, limit: limit, inNames: false) != nil else { return j }
        return j + 1
    }

    /// The country a word before a post names: a nationality ("Russian") or a country's possessive
    /// ("Russia's minister for the development of the Far East").
    func nationality(_ j: Int) -> String? {
        let t = tokens[j]
        if let c = Lexicon.demonyms[t] { return c }
        guard t.isPossessive, t.isCapitalized, let place = lexicon.places[Lexicon.phraseKey(t.baseText)], place.kind == "country" else { return nil }
        return place.name
    }

    /// Words that may stand before a post: "a member of", "also executive vice chairman".
    static let titleOpeners = Lexicon.shared.wordSet("title-openers")
    static let titleFillers = Lexicon.shared.wordSet("title-fillers")

    static let stopVerbs = Lexicon.shared.wordSet("stop-verbs")

    /// Posts written after a name, up to where the apposition ends; split into one post each.
    func titlesAfter(comma c: Int, limit: Int) -> (titles: [(String, Range<Int>)], end: Int) {
        var titles: [(String, Range<Int>)] = []
        var current = c + 1
        var j = c + 1
        func close(_ end: Int) {
            var s = current
            while s < end, PersonFinder.titleFillers.contains(tokens[s]) { s += 1 }
            var e = end
            while e > s, tokens[e - 1].kind == .punct { e -= 1 }
            // The post without the nationality before it, which says the person's country (the range keeps it).
            if e > s { titles.append((DateResolver.raw(tokens, afterNationality(s, limit: e), e), s..<e)) }
        }
        while j < limit {
            let t = tokens[j]
            if t.kind == .punct, t.isPunct(";") || t.isPunct("(") || t.isPunct(".") || t.isPunct(":") || t.isPunct("—") || t.isPunct("--") { break }
            if t.kind == .word, PersonFinder.stopVerbs.contains(t) { break }
            if t.isPunct(",") {
                let n = j + 1
                guard n < limit else { break }
                if startsTitle(n, limit: limit) { close(j); current = n; j = n; continue }
                if tokens[n].isWord("and"), n + 1 < limit {
                    if startsTitle(n + 1, limit: limit) { close(j); current = n + 1; j = n + 1; continue }
                    break
                }
                // A capitalised word that is not a new name continues an organization's name.
                if tokens[n].isCapitalized, nameSpan(at: n, limit: limit) == nil || covered[n] { j = n; continue }
                break
            }
            if t.isWord("and"), j + 1 < limit {
                if startsTitle(j + 1, limit: limit), !tokens[j + 1].isWord("the") { close(j); current = j + 1; j += 1; continue }
                if let span = nameSpan(at: j + 1, limit: limit), span.upperBound < limit, tokens[span.upperBound].isPunct(",") { break }
            }
            // "Han Wei, Ambassador of China to Russia Zhang Hanhui, ...": a post that ends in a name is that
            // person's, and a list of people has begun; the posts read so far end before it.
            if j > current, t.kind == .word, t.isCapitalized, !covered[j], let span = nameSpan(at: j, limit: limit), shape(span) != .other,
               span.upperBound >= limit || tokens[span.upperBound].kind == .punct || tokens[span.upperBound].isWord("and")
                || PersonFinder.stopVerbs.contains(tokens[span.upperBound]) {
                j = current - 1
                break
            }
            j += 1
        }
        close(j)
        return (titles, j)
    }

    /// The country a post names: a nationality adjective, else an organization or place in it.
    func country(in range: Range<Int>, sentence: Int) -> String? {
        for i in range {
            if tokens[i].isCapitalized, let c = nationality(i) { return c }
        }
        for m in bySentence[sentence] where range.contains(m.tokens.lowerBound) {
            if let c = m.country { return c }
        }
        return nil
    }
}
