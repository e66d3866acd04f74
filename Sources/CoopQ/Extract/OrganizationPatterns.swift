/// The bilateral bodies the lexicon does not list, found by the shape of their names: a committee,
/// commission or council (`organization-heads` of wordlists.tsv) whose name says it is of the two
/// countries or their governments (`bilateral-pairs`): "the China-Russia Committee on Humanities
/// Cooperation", "the Sub-committee for China-Russia Economic and Trade Cooperation", "the
/// Intergovernmental Commission for Cooperation of Northeast China and the Far East", "the
/// China-Russia committee for parliamentary cooperation". An abbreviation in brackets after one
/// ("(CRHC)") is its alias, and names it where it stands alone later in the article.
enum OrganizationPatterns {
    /// `mentions` with the bodies found by pattern where no other mention stands, in token order.
    static func add(to mentions: [Mention], _ tokens: Tokens, _ sentences: [Sentence]) -> [Mention] {
        // Token → the mention that holds it: none, a place's, an organization's.
        var owner = [Owner](repeating: .none, count: tokens.count)
        for m in mentions { for k in m.tokens { owner[k] = m.isPlace ? .place : .organization } }
        var found: [Mention] = []
        var byAbbreviation: [String: Lexicon.OrganizationEntry] = [:]
        for (s, sentence) in sentences.enumerated() {
            let r = sentence.tokens
            // Most sentences have no head noun, and no abbreviation named before: passed over whole.
            guard !byAbbreviation.isEmpty || r.contains(where: { tokens[$0].kind == .word && heads.contains(tokens[$0]) }) else { continue }
            var i = r.lowerBound
            while i < r.upperBound {
                let t = tokens[i]
                if t.kind == .word, t.isAllCaps, owner[i] == .none, !byAbbreviation.isEmpty, let entry = byAbbreviation[t.text] {
                    found.append(Mention(kind: .organization(entry), tokens: i..<(i + 1), sentence: s))
                    i += 1
                    continue
                }
                // "The China-Russia Committee ...": the article opening a sentence is no part of the name.
                if t.kind == .word, t.lowerIs("the") { i += 1; continue }
                guard t.kind == .word, t.isCapitalized, owner[i] == .none, let (start, end) = body(from: i, in: r, tokens, owner) else {
                    i += 1
                    continue
                }
                var aliases: [String] = []
                if end + 2 < r.upperBound, tokens[end].isPunct("("), tokens[end + 1].isAllCaps, tokens[end + 2].isPunct(")") {
                    aliases.append(tokens[end + 1].text)
                }
                let entry = Lexicon.OrganizationEntry(name: DateResolver.raw(tokens, start, end), kind: "committee", country: nil, aliases: aliases)
                for a in aliases { byAbbreviation[a] = entry }
                found.append(Mention(kind: .organization(entry), tokens: start..<end, sentence: s))
                for k in start..<end { owner[k] = .organization }
                i = end + (aliases.isEmpty ? 0 : 3)
            }
        }
        guard !found.isEmpty else { return mentions }
        return (mentions + found).sorted { $0.tokens.lowerBound < $1.tokens.lowerBound }
    }

    /// A bilateral body's name starting at capitalised token `i`: capitalised words (a pair marker
    /// among them) up to a head, then a continuation after "of", "for", "on" or "between" of
    /// capitalised words, places and, after a lower-case head, lower-case words up to a stop.
    private static func body(from i: Int, in r: Range<Int>, _ tokens: Tokens, _ owner: [Owner]) -> (Int, Int)? {
        var k = i
        var pair = false
        var head: Int?
        // Up to the head: capitalised words, or a pair marker and a lower-case head after it.
        while k < r.upperBound, owner[k] == .none, tokens[k].kind == .word {
            let t = tokens[k]
            if pairs.contains(t) { pair = true }
            if heads.contains(t), t.isCapitalized || (k > i && pairs.contains(tokens[k - 1])) { head = k; k += 1; break }
            guard t.isCapitalized else { return nil }
            k += 1
        }
        guard let head else { return nil }
        var end = head + 1
        let lowerHead = !tokens[head].isCapitalized
        if end + 1 < r.upperBound, continuations.contains(tokens[end].lower) {
            var j = end + 1
            while j < r.upperBound {
                let t = tokens[j]
                // A weekday or a month is capitalised and no part of a name: "... Cooperation on Monday".
                if t.kind == .word, DateResolver.weekday(t) != nil || DateResolver.month(t) != nil { break }
                if owner[j] == .place || (t.kind == .word && t.isCapitalized) { j += 1; end = j; continue }
                if t.kind == .punct, t.isPunct("-") { j += 1; continue }
                guard t.kind == .word else { break }
                if links.contains(t.lower), j + 1 < r.upperBound, tokens[j + 1].isCapitalized || owner[j + 1] == .place || tokens[j + 1].isWord("the") { j += 1; continue }
                if lowerHead, !stops.contains(t.lower) { j += 1; end = j; continue }
                break
            }
        }
        for k in i..<end where pairs.contains(tokens[k]) { pair = true }
        guard pair, end - i >= 2 else { return nil }
        return (i, end)
    }

    enum Owner { case none, place, organization }

    private static let heads = Lexicon.shared.wordFlags("organization-heads")
    private static let pairs = Lexicon.shared.wordFlags("bilateral-pairs")
    private static let continuations = Lexicon.shared.words("organization-continuations")
    private static let links = Lexicon.shared.words("organization-links")
    /// Words that end a lower-case body's name ("... for parliamentary cooperation in Moscow").
    private static let stops = Lexicon.shared.words("organization-stops")
}
