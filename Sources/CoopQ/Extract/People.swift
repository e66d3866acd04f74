import Foundation

/// The people stage: people by the patterns of names and posts, with later mentions by surname
/// and pronoun resolved to them.
enum PeopleStage: PipelineStage {
    static let name = "people"
    static let clock = StageClock.Stage.people

    static func annotate(_ d: inout AnnotatedDocument) {
        var finder = PersonFinder(tokens: d.tokens, sentences: d.sentences, mentions: d.mentions, bySentence: d.mentionsBySentence)
        d.people = finder.find()
        d.titleSpans = finder.titleSpans
        d.peopleBySentence = PeopleBySentence(d.people, sentences: d.sentences.count)
        d.authors = Set(d.header.authors)
    }
}

/// A person found in one document, with every place they are named.
///
/// A class: the later stages and the assembler pass people around and filter them, and a copy
/// is then one reference rather than seven strings and arrays. Only the people stage changes one.
final class LocalPerson {
    var name: String
    var tokens: [String]
    var country: String?
    var countryFromText = false
    private(set) var titles: [String] = []
    /// Once it has many titles, they are looked up in lower case here, not compared one by one.
    private var lowerTitles: Set<String>?
    var organizations: [String] = []
    var mentions: [(sentence: Int, tokens: Range<Int>)] = []
    var firstSentence: Int

    /// The word a later short mention uses: the family name (first for Chinese names, last otherwise).
    var surname: String

    init(name: String, tokens: [String], firstSentence: Int, surname: String) {
        self.name = name
        self.tokens = tokens
        self.firstSentence = firstSentence
        self.surname = surname
    }

    /// Adds a title unless it has it already, in any case: whether it was added. A few titles are
    /// compared one by one (ASCII ones on their bytes, with no string made); more are looked up
    /// in a set, so that a person given a post in each sentence of a long article is no quadratic step.
    @discardableResult
    func add(title: String) -> Bool {
        if titles.isEmpty {
            titles.append(title)
            return true
        }
        if lowerTitles != nil {
            guard lowerTitles!.insert(title.lowercased()).inserted else { return false }
        } else {
            guard !titles.contains(where: { Self.equalIgnoringCase($0, title) }) else { return false }
            if titles.count == shortListLength { lowerTitles = Set((titles + [title]).map { $0.lowercased() }) }
        }
        titles.append(title)
        return true
    }

    /// `a.lowercased() == b.lowercased()`, compared on the bytes when both are ASCII.
    private static func equalIgnoringCase(_ a: String, _ b: String) -> Bool {
        var a = a, b = b
        let ascii: Bool? = a.withUTF8 { x in
            b.withUTF8 { y -> Bool? in
                guard x.allSatisfy({ $0 < 0x80 }), y.allSatisfy({ $0 < 0x80 }) else { return nil }
                return x.count == y.count && zip(x, y).allSatisfy { WordTable.lower($0) == WordTable.lower($1) }
            }
        }
        return ascii ?? (a.lowercased() == b.lowercased())
    }
}

/// The people stage: finds people by patterns, never by a list of names.
///
/// - a post before a name: `Russian Prime Minister Ivan Petrov`, `Premier Wang Hailin`;
/// - a name with posts after it: `Zhang Wei, a member of ..., also vice chairman of ...`;
/// - the shape of a Chinese name (a common surname and a pinyin given name) or of a
///   Russian one (a common given name, or a family name ending in -ov, -ev, -in, ...).
///
/// A surname alone ("Li said", "Premier Li") is the person of that surname most recently
/// named in the same document, so three Lis in three articles stay three people.
struct PersonFinder {
    let tokens: Tokens
    let sentences: [Sentence]
    let mentions: [Mention]
    /// Whether each token is inside a place or organization mention.
    private var covered: [Bool]
    /// Mentions by sentence: looking them up stays linear in long articles.
    private let bySentence: MentionsBySentence
    private let lexicon = Lexicon.shared

    init(tokens: Tokens, sentences: [Sentence], mentions: [Mention], bySentence: MentionsBySentence) {
        self.tokens = tokens
        self.sentences = sentences
        self.mentions = mentions
        covered = Array(repeating: false, count: tokens.count)
        for m in mentions {
            for i in m.tokens { covered[i] = true }
        }
        self.bySentence = bySentence
    }

    static let notNameWords = Lexicon.shared.wordSet("not-name-words")

    /// A run of 2 or 3 capitalised words starting at `i` that could be a name.
    func nameSpan(at i: Int, limit: Int) -> Range<Int>? {
        guard i < limit, tokens[i].kind == .word, tokens[i].isCapitalized else { return nil }
        // A name has two words at least: without a capitalised word next, there is none, whatever this word is.
        guard i + 1 < limit, tokens[i + 1].kind == .word, tokens[i + 1].isCapitalized else { return nil }
        var j = i
        while j < limit, j - i < 3 {
            let t = tokens[j]
            guard t.kind == .word, t.isCapitalized, !(t.isAllCaps && t.characters > 1),
                  !covered[j],
                  !PersonFinder.notNameWords.containsKey(t) || startsChineseName(j, limit: limit),
                  !isDateWord(j, limit: limit),
                  lexicon.titleTable.exact(tokens, j, j + 1) == nil,
                  PersonFinder.isNameWord(t) else { break }
            j += 1
            if t.possessiveBase != nil { break }
        }
        guard j - i >= 2 else { return nil }
        // "Commerce Yang Mingbin": a capitalised word before a two-word Chinese or Russian name is not part of it.
        if j - i == 3 {
            let tail = shape((i + 1)..<j)
            if tail == .chinese || (tail != .other && shape(i..<j) == .other) { return (i + 1)..<j }
        }
        return i..<j
    }

    /// Letters and hyphens only (a possessive 's allowed).
    static func isNameWord(_ t: TextToken) -> Bool {
        var ascii = true
        for b in t.bytes {
            if b >= 0x80 { ascii = false; break }
            if !((b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b == 45 || b == 39) { return false }
        }
        return ascii || t.baseText.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || $0 == "-" }
    }

    /// "He Jianqiang", "Ma Hui": a surname that is also an English word, before a pinyin given name.
    private func startsChineseName(_ j: Int, limit: Int) -> Bool {
        guard j + 1 < limit, lexicon.chineseSurnames.contains(tokens[j]), tokens[j + 1].isCapitalized,
              tokens[j + 1].start == tokens[j].end + 1 else { return false }
        return Pinyin.isGivenName(tokens[j + 1]) && tokens[j + 1].baseText.count > 2
    }

    /// A month or weekday used as a date ("June 15", "on Monday"); "Jun" in "Wang Jun" is a name.
    private func isDateWord(_ j: Int, limit: Int) -> Bool {
        let t = tokens[j]
        let c = DateResolver.calendar(t, in: lexicon)  // with the lexicon at hand
        if c >> 4 != 0 { return true }  // a weekday
        guard c & 15 != 0 else { return false }  // no month
        var k = j + 1
        if k < limit, tokens[k].isPunct(".") { k += 1 }
        if k < limit, tokens[k].kind == .number { return true }
        return j > 0 && PersonFinder.dateIntroducers.contains(tokens[j - 1])
    }

    /// Words before a month that make it a date: "in June", "since May".
    static let dateIntroducers = Lexicon.shared.wordSet("date-introducers")

    enum Shape { case chinese, russian, other }

    func shape(_ words: [String]) -> Shape {
        if words.count == 2, lexicon.chineseSurnames.contains(words[0]), Pinyin.isGivenName(words[1]) { return .chinese }
        if lexicon.russianGivenNames.contains(words[0]) { return .russian }
        if words.count >= 2, let last = words.last, endsLikeRussianSurname(last),
           !Pinyin.isGivenName(words[0]) || !lexicon.chineseSurnames.contains(words[0]) {
            return .russian
        }
        return .other
    }

    /// `shape` of a span's words, read on the tokens' bytes when they are ASCII and no possessive
    /// (most spans): no string is made of a span that names nobody.
    func shape(_ span: Range<Int>) -> Shape {
        guard span.allSatisfy({ tokens[$0].isASCII && !tokens[$0].isPossessive }) else { return shape(span.map { tokens[$0].baseText }) }
        let first = tokens[span.lowerBound], last = tokens[span.upperBound - 1]
        if span.count == 2, lexicon.chineseSurnames.contains(first), Pinyin.isGivenName(last) { return .chinese }
        if lexicon.russianGivenNames.contains(first) { return .russian }
        if span.count >= 2, endsLikeRussianSurname(last.bytes, characters: last.characters, lowered: false),
           !Pinyin.isGivenName(first) || !lexicon.chineseSurnames.contains(first) {
            return .russian
        }
        return .other
    }

    /// Whether a word, in lower case, ends in a Russian surname's ending with more than two
    /// characters before it ("Korolenko", not "Lin"). An ASCII word is compared on its bytes.
    private func endsLikeRussianSurname(_ word: String) -> Bool {
        var copy = word
        if let ascii = copy.withUTF8({ b in b.allSatisfy { $0 < 0x80 } ? endsLikeRussianSurname(b, characters: b.count, lowered: false) : nil }) {
            return ascii
        }
        var lower = word.lowercased()
        let characters = lower.count
        return lower.withUTF8 { endsLikeRussianSurname($0, characters: characters, lowered: true) }
    }

    /// `endsLikeRussianSurname` of a word's bytes (`lowered`: in lower case already) and its length in characters.
    private func endsLikeRussianSurname(_ bytes: UnsafeBufferPointer<UInt8>, characters: Int, lowered: Bool) -> Bool {
        lexicon.russianSurnameEndings.contains { ending in
            let e = ending.bytes
            guard bytes.count >= e.count else { return false }
            let from = bytes.count - e.count
            for k in 0..<e.count where (lowered ? bytes[from + k] : WordTable.lower(bytes[from + k])) != e[k] { return false }
            return characters > ending.characters + 2
        }
    }

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

    private func plainTitleBefore(_ i: Int, floor: Int) -> (title: String, country: String?, start: Int)? {
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

    /// The token ranges of the posts read after names: the topic stage does not read them.
    private(set) var titleSpans: [Range<Int>] = []

    mutating func find() -> [LocalPerson] {
        var people: [LocalPerson] = []
        var index = SmallIndex<Int>()
        /// The person a span names, added at its first mention; `words` and `sh` are the span's words and their shape.
        func add(_ span: Range<Int>, words: [String], shape sh: Shape, sentence: Int) -> Int {
            let name = words.joined(separator: " ")
            if let k = index[name] {
                people[k].mentions.append((sentence, span))
                return k
            }
            let surname = sh == .chinese ? words[0] : words[words.count - 1]
            let p = LocalPerson(name: name, tokens: words, firstSentence: sentence, surname: surname)
            p.mentions.append((sentence, span))
            people.append(p)
            index.insert(name, people.count - 1)
            return people.count - 1
        }
        for (s, sentence) in sentences.enumerated() {
            let range = sentence.tokens
            var i = range.lowerBound
            while i < range.upperBound {
                // Most tokens start no name: decided on two fields before any call, in a loop of their own.
                i = tokens.nextCapitalizedWord(from: i, to: range.upperBound)
                guard i < range.upperBound else { break }
                guard let span = nameSpan(at: i, limit: range.upperBound) else { i += 1; continue }
                let before = titleBefore(span.lowerBound, floor: range.lowerBound)
                let hasComma = span.upperBound < range.upperBound && tokens[span.upperBound].isPunct(",")
                let appositive = hasComma && startsTitle(span.upperBound + 1, limit: range.upperBound)
                let sh = shape(span)
                // "Commerce Wu Hai": a failed span may hide a name one word on.
                guard before != nil || appositive || sh != .other else { i += 1; continue }
                let k = add(span, words: span.map { tokens[$0].baseText }, shape: sh, sentence: s)
                if let before {
                    titleSpans.append(before.start..<span.lowerBound)
                    people[k].add(title: before.title)
                    if let c = before.country, !people[k].countryFromText {
                        people[k].country = c
                        people[k].countryFromText = nationality(before.start) != nil
                    }
                }
                var next = span.upperBound
                if appositive {
                    let (titles, end) = titlesAfter(comma: span.upperBound, limit: range.upperBound)
                    titleSpans.append(span.upperBound..<end)
                    for (title, tr) in titles where people[k].add(title: title) {
                        for m in bySentence[s] where tr.contains(m.tokens.lowerBound) {
                            if case .organization(let o) = m.kind, !people[k].organizations.contains(o.name) { people[k].organizations.append(o.name) }
                        }
                        if !people[k].countryFromText, let c = country(in: tr, sentence: s) {
                            people[k].country = c
                            people[k].countryFromText = true
                        }
                    }
                    next = max(next, end)
                }
                i = next
            }
        }
        // Short mentions: a surname alone, the nearest person of that surname named before it.
        // Indexed by surname, and by the tokens full names cover, so a long article stays linear.
        var bySurname = SmallIndex<[Int]>()
        var inFullName = [Bool](repeating: false, count: tokens.count)
        // Each person's full-name mentions in text order, for "the last one before token i".
        var positions: [[Int]] = []
        for (k, p) in people.enumerated() {
            if p.tokens.count > 1 { bySurname.append(k, to: p.surname) }
            for m in p.mentions { for t in m.tokens { inFullName[t] = true } }
            // Mentions were found in text order: sorted already, but for a change of that order.
            let starts = p.mentions.map { $0.tokens.lowerBound }
            positions.append(zip(starts, starts.dropFirst()).allSatisfy { $0 <= $1 } ? starts : starts.sorted())
        }
        func latest(_ k: Int, before i: Int) -> Int {
            let xs = positions[k]
            let lo = xs.partitionIndex { $0 < i }
            return lo == 0 ? -1 : xs[lo - 1]
        }
        // The byte lengths of the surnames: most capitalised words are turned away by theirs, with no string made.
        var surnameLengths: UInt64 = 0
        for surname in bySurname.keys { surnameLengths |= 1 << UInt64(min(surname.utf8.count, 63)) }
        // And by a bit of the hash of their match keys, which the tokenizer worked out for each
        // plain ASCII word (when every surname is ASCII, so that the keys decide).
        var surnameHashes: UInt64 = 0
        var hashesDecide = true
        for surname in bySurname.keys {
            guard let h = WordTable.keyHash(surname) else { hashesDecide = false; break }
            surnameHashes |= 1 << (h & 63)
        }
        var merged: [String: [(start: Int, person: Int)]] = [:]
        for (s, sentence) in sentences.enumerated() {
            var next = sentence.tokens.lowerBound
            while true {
                next = tokens.nextCapitalizedWord(from: next, to: sentence.tokens.upperBound)
                guard next < sentence.tokens.upperBound else { break }
                let i = next
                next += 1
                guard !covered[i] else { continue }
                let t = tokens[i]
                guard surnameLengths & (1 << UInt64(min(t.baseLength, 63))) != 0 else { continue }
                if hashesDecide, t.isASCII, t.isPlain, !t.isPossessive, surnameHashes & (1 << (t.keyHash & 63)) == 0 { continue }
                guard let candidates = bySurname[t.baseText], !inFullName[i] else { continue }
                let best: Int
                if candidates.count == 1 { best = candidates[0] }
                else if candidates.count <= shortListLength { best = candidates.max { a, b in latest(a, before: i) < latest(b, before: i) }! }
                else {
                    // Many of one surname: the one named in full last before it, found in their full names'
                    // starts merged and sorted (made once a surname); none before it, the first of them.
                    let key = t.baseText
                    if merged[key] == nil { merged[key] = candidates.flatMap { k in positions[k].map { (start: $0, person: k) } }.sorted { $0.start < $1.start } }
                    let starts = merged[key]!
                    let lo = starts.partitionIndex { $0.start < i }
                    best = lo > 0 ? starts[lo - 1].person : candidates[0]
                }
                people[best].mentions.append((s, i..<(i + 1)))
                // "Wang, also a member of ...": posts after a surname belong to its person.
                if i + 1 < sentence.tokens.upperBound, tokens[i + 1].isPunct(","), startsTitle(i + 2, limit: sentence.tokens.upperBound) {
                    let (titles, _) = titlesAfter(comma: i + 1, limit: sentence.tokens.upperBound)
                    for (title, _) in titles { people[best].add(title: title) }
                }
            }
        }
        for k in people.indices where people[k].country == nil {
            switch shape(people[k].tokens) {
            case .chinese: people[k].country = "China"
            case .russian: people[k].country = "Russia"
            case .other: break
            }
        }
        return people
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
