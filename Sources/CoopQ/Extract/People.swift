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
    var covered: [Bool]
    /// Mentions by sentence: looking them up stays linear in long articles.
    let bySentence: MentionsBySentence
    let lexicon = Lexicon.shared

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
    /// The token ranges of the posts read after names: the topic stage does not read them.
    private(set) var titleSpans: [Range<Int>] = []

    mutating func find() -> [LocalPerson] {
        var people = fullNames()
        resolveSurnames(&people)
        for k in people.indices where people[k].country == nil {
            switch shape(people[k].tokens) {
            case .chinese: people[k].country = "China"
            case .russian: people[k].country = "Russia"
            case .other: break
            }
        }
        return people
    }

    /// The people named in full: a name's shape, or a post before it or after it.
    private mutating func fullNames() -> [LocalPerson] {
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
                let person = people[add(span, words: span.map { tokens[$0].baseText }, shape: sh, sentence: s)]
                if let before {
                    titleSpans.append(before.start..<span.lowerBound)
                    person.add(title: before.title)
                    if let c = before.country, !person.countryFromText {
                        person.country = c
                        person.countryFromText = nationality(before.start) != nil
                    }
                }
                i = appositive ? max(span.upperBound, postsAfter(comma: span.upperBound, of: person, sentence: s)) : span.upperBound
            }
        }
        return people
    }

    /// "..., Russian Deputy Prime Minister, ...": the posts after a name's comma are its person's,
    /// with the organizations and country they name. Returns where they end.
    private mutating func postsAfter(comma: Int, of person: LocalPerson, sentence s: Int) -> Int {
        let (titles, end) = titlesAfter(comma: comma, limit: sentences[s].tokens.upperBound)
        titleSpans.append(comma..<end)
        for (title, tr) in titles where person.add(title: title) {
            for m in bySentence[s] where tr.contains(m.tokens.lowerBound) {
                if case .organization(let o) = m.kind, !person.organizations.contains(o.name) { person.organizations.append(o.name) }
            }
            if !person.countryFromText, let c = country(in: tr, sentence: s) {
                person.country = c
                person.countryFromText = true
            }
        }
        return end
    }

    /// Short mentions: a surname alone is the nearest person of that surname named before it.
    /// Indexed by surname, and by the tokens full names cover, so a long article stays linear.
    private func resolveSurnames(_ people: inout [LocalPerson]) {
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
        let filter = SurnameFilter(Array(bySurname.keys))
        var merged: [String: [(start: Int, person: Int)]] = [:]
        for (s, sentence) in sentences.enumerated() {
            var next = sentence.tokens.lowerBound
            while true {
                next = tokens.nextCapitalizedWord(from: next, to: sentence.tokens.upperBound)
                guard next < sentence.tokens.upperBound else { break }
                let i = next
                next += 1
                guard !covered[i], filter.mayBe(tokens[i]), let candidates = bySurname[tokens[i].baseText], !inFullName[i] else { continue }
                let best: Int
                if candidates.count == 1 { best = candidates[0] }
                else if candidates.count <= shortListLength { best = candidates.max { a, b in latest(a, before: i) < latest(b, before: i) }! }
                else {
                    // Many of one surname: the one named in full last before it, found in their full names'
                    // starts merged and sorted (made once a surname); none before it, the first of them.
                    let key = tokens[i].baseText
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
    }
}

/// Whether a capitalised word may be one of an article's surnames, decided without a string: by
/// its length in bytes, and by a bit of the hash of its match key, which the tokenizer worked out
/// for each plain ASCII word (when every surname is ASCII, so that the keys decide).
struct SurnameFilter {
    private var lengths: UInt64 = 0
    private var hashes: UInt64 = 0
    private var hashesDecide = true

    init(_ surnames: [String]) {
        for surname in surnames { lengths |= 1 << UInt64(min(surname.utf8.count, 63)) }
        for surname in surnames {
            guard let h = WordTable.keyHash(surname) else { hashesDecide = false; break }
            hashes |= 1 << (h & 63)
        }
    }

    func mayBe(_ t: TextToken) -> Bool {
        guard lengths & (1 << UInt64(min(t.baseLength, 63))) != 0 else { return false }
        if hashesDecide, t.isASCII, t.isPlain, !t.isPossessive, hashes & (1 << (t.keyHash & 63)) == 0 { return false }
        return true
    }
}
