@testable import CoopQ
import Testing

/// The tokenizer's plain-data tokens: their strings, made on demand from the bytes, and the
/// word lists that are asked about tokens on their bytes, must say what the strings say.
@Suite struct TokenTests {
    static let text = """
        XI'AN, Nov. 24 (Xinhua) -- The 6th China-Russia SMEs Forum, co-chaired by Vice Premier Zhang's deputies,
        opened in Xi’an on Monday; trade rose 28.1 percent to 1,000 billion yuan. Jinhua’s officials met
        Ивáн Петрóв and Café owners at the 2nd Session. HIGH-LEVEL talks in MOSCOW, Beijing's INDUSTRY and 中文 | 浏览次数
        the U.S. firms said Sept. 30, 2025; a very-long-hyphenated-word-that-is-longer-than-sixty-four-bytes-for-the-scratch-buffer.
        """

    /// Lists with plain words, words with hyphens and apostrophes, and non-ASCII words.
    static let words = ["the", "forum", "co-chaired", "xi'an", "xian", "jinhua", "monday", "percent", "trade", "café",
                        "high-level", "moscow", "beijing", "industry", "session", "met", "by", "to", "in", "2nd", "1,000",
                        "ивáн", "sept", "u", "s", "very-long-hyphenated-word-that-is-longer-than-sixty-four-bytes-for-the-scratch-buffer"]

    @Test func wordSetsAgreeWithLowerCaseStrings() {
        let set = WordSet(Self.words)
        TextTokenizer.withTokens(of: Self.text) { tokens in
            #expect(tokens.count > 70)
            for t in tokens {
                #expect(set.contains(t) == Self.words.contains(t.lower), "contains \(t.text)")
                #expect(set.containsKey(t) == Self.words.contains(t.baseKey ?? t.key), "containsKey \(t.text)")
            }
        }
    }

    /// A rule's word matches a token in any case, in any script: `lowerIs` says what `lower` says.
    @Test func aRuleWordMatchesInAnyScript() {
        TextTokenizer.withTokens(of: Self.text) { tokens in
            for t in tokens where t.kind == .word {
                for w in Self.words { #expect(t.lowerIs(w) == (t.lower == w), "\(t.text) is \(w)") }
            }
        }
    }

    /// Name sets compare case and all, as a `Set<String>` does: an ASCII word on its bytes.
    @Test(arguments: [["Zhang", "Forum", "MOSCOW", "Xi'an", "Session", "s", "1,000"], ["Zhang", "Петрóв", "Café", "Ивáн"]])
    func nameSetsAgreeWithSets(_ names: [String]) {
        let set = NameSet(Set(names))
        TextTokenizer.withTokens(of: Self.text) { tokens in
            for t in tokens { #expect(set.contains(t) == names.contains(t.text), "\(t.text)") }
        }
        for text in names + ["zhang", "ZHANG", "Moscow", "Zhan", "Zhangs", "xi'an", "", "Cafe", "Ивáн", "ивáн"] {
            #expect(set.contains(text) == names.contains(text), "\(text)")
        }
    }

    @Test func wordMapsAgreeWithDictionaries() {
        let map: WordMap<Int> = ["monday": 1, "nov": 11, "sept": 9, "percent": 100, "xi'an": 7]
        let dictionary = ["monday": 1, "nov": 11, "sept": 9, "percent": 100, "xi'an": 7]
        TextTokenizer.withTokens(of: Self.text) { tokens in
            for t in tokens { #expect(map[t] == dictionary[t.lower], "\(t.text)") }
        }
        #expect(map["sept"] == 9)
        #expect(map["Sept"] == 9, "ASCII case is ignored")
        #expect(map["Sep"] == nil)
    }

    /// The vocabulary numbers of a token are those of its match key and of the key without a possessive.
    @Test func vocabularyNumbersAreThoseOfTheKeys() {
        let vocabulary = Lexicon.shared.vocabulary
        TextTokenizer.withTokens(of: Self.text) { tokens in
            for t in tokens where t.kind != .punct {
                #expect(t.word == (t.key.isEmpty ? -1 : vocabulary.id(t.key)), "\(t.text)")
                #expect(t.baseWord == (t.baseKey.map { vocabulary.id($0) } ?? -1), "\(t.text)")
            }
            let possessives = tokens.filter(\.isPossessive).map(\.text)
            #expect(possessives == ["Zhang's", "Jinhua’s", "Beijing's"])
        }
    }

    /// A token's marks say what the phrase tables and its fields say, and every scan over the
    /// marks and initials (eight at a time, then one by one) stops where a scan over the tokens
    /// would, from every start to every end.
    @Test func marksAndScansAgreeWithTheTokens() {
        let lexicon = Lexicon.shared
        let text = Self.text + " Ministry of Commerce officials met in Harbin for the SCO summit on digital economy and e-commerce.\n"
            + "Shanghai Cooperation Organisation 1,200 signed it in 2024 and Moscow, Russia's Summit last week, NEXT year, on friday. They signed, Signing and INKED it."
        TextTokenizer.withTokens(of: text) { tokens in
            #expect(tokens.count > 100)
            #expect(tokens.words == tokens.filter { $0.kind != .punct }.count)
            for (i, t) in tokens.enumerated() {
                let m = tokens.marks[i]
                func has(_ bit: UInt8) -> Bool { m & bit != 0 }
                #expect(has(TokenMarks.capitalizedWord) == (t.kind == .word && t.isCapitalized), "\(t.text)")
                #expect(has(TokenMarks.number) == (t.kind == .number), "\(t.text)")
                #expect(has(TokenMarks.breaking) == (t.kind == .punct || t.lineBefore), "\(t.text)")
                #expect(has(TokenMarks.topic) == (t.kind == .punct ? t.isPunct("-") : lexicon.topicTable.mayStart(t)), "\(t.text)")
                #expect(has(TokenMarks.mention) == (t.kind == .word && t.isCapitalized
                    && (lexicon.organizationTable.mayStart(t) || lexicon.placeTable.mayStart(t))), "\(t.text)")
                #expect(has(TokenMarks.eventNoun) == (t.kind == .word && lexicon.eventNounTable.mayStart(t)), "\(t.text)")
                #expect(has(TokenMarks.date) == (t.kind == .number || (t.kind == .word && (!t.isPlain || DateResolver.calendar(t) != 0
                    || DateResolver.relativeWords.contains(t.lower)))), "\(t.text)")
                #expect(has(TokenMarks.agreement) == (t.kind == .word && (AgreementFinder.triggers.contains(t.key) || AgreementFinder.triggers.contains(t.baseKey ?? ""))), "\(t.text)")
                #expect(tokens.initials[i] == (t.kind == .word ? t.bytes[0] | 0x20 : 0), "\(t.text)")
            }
            #expect(tokens.indices.contains { tokens.marks[$0] & TokenMarks.mention != 0 })
            #expect(tokens.indices.contains { tokens.marks[$0] & TokenMarks.topic != 0 && tokens[$0].kind != .punct })
            #expect(tokens.indices.contains { tokens.marks[$0] & TokenMarks.eventNoun != 0 })
            func first(_ from: Int, _ end: Int, _ p: (TextToken) -> Bool) -> Int { (from..<end).first { p(tokens[$0]) } ?? end }
            func initial(_ t: TextToken) -> UInt8 { t.kind == .word ? t.bytes[0] | 0x20 : 0 }
            for from in 0...tokens.count {
                for end in from...tokens.count {
                    #expect(tokens.nextCapitalizedWord(from: from, to: end) == first(from, end) { $0.kind == .word && $0.isCapitalized })
                    #expect(tokens.nextNumber(from: from, to: end) == first(from, end) { $0.kind == .number })
                    #expect(tokens.nextWord(startingWith: UInt8(ascii: "m"), from: from, to: end) == first(from, end) { initial($0) == UInt8(ascii: "m") })
                    #expect(tokens.nextWord(startingWith: UInt8(ascii: "s"), or: UInt8(ascii: "i"), from: from, to: end)
                        == first(from, end) { initial($0) == UInt8(ascii: "s") || initial($0) == UInt8(ascii: "i") })
                }
            }
        }
    }

    @Test(arguments: [
        ("XI'AN", "xi'an", "xian", true, true, 5),
        ("Xi’an", "xi’an", "xian", true, false, 5),
        ("Петров", "петров", "петров", true, false, 6),
        ("Café", "café", "cafe", true, false, 4),
        ("28.1", "28.1", "281", false, false, 4),
        ("co-chaired", "co-chaired", "cochaired", false, false, 10),
        ("—", "—", "", false, false, 1),
    ])
    func tokenStrings(text: String, lower: String, key: String, capitalized: Bool, allCaps: Bool, characters: Int) {
        TextTokenizer.withTokens(of: text) { tokens in
            #expect(tokens.count == 1)
            guard let t = tokens.first else { return }
            #expect(t.text == text)
            #expect(t.lower == lower)
            #expect(t.key == key)
            #expect(t.isCapitalized == capitalized)
            #expect(t.isAllCaps == allCaps)
            #expect(t.characters == characters)
        }
    }

    /// The tokenizer reads a run of ASCII letters and digits eight bytes at a time and hashes and
    /// looks it up where it lies: every length from 1 to 26, in every case, at the text's end (no
    /// eight bytes left), before a blank, a comma, a letter beyond ASCII and a closing quote, must
    /// give the flags, number and hash that the strings give.
    @Test(arguments: 1...26)
    func wordsOfEveryLengthAtEveryEdge(length: Int) {
        let alphabet = Array("q7w8e9rtyuiopasdfghjklzxcvbnm".utf8)
        // A letter first, then letters and digits.
        let word = "k" + String(decoding: (1..<length).map { alphabet[($0 * 7 + length) % alphabet.count] }, as: UTF8.self)
        let digits = String(repeating: "9", count: length)
        let near = String(word.dropLast()) + (word.last == "z" ? "y" : "z")
        let set = WordSet([word, digits])
        let forms = [word, word.uppercased(), word.prefix(1).uppercased() + word.dropFirst(), digits]
        for form in forms {
            for (before, after) in [("", ""), ("", " tail"), ("lead ", ","), ("x ", "é"), ("(", "”)"), ("", "\n")] {
                TextTokenizer.withTokens(of: before + form + after) { tokens in
                    guard let t = tokens.first(where: { $0.text.hasPrefix(form) }) else { Issue.record("no token for \(form)"); return }
                    let continues = after == "é"  // a letter beyond ASCII goes on in the same word
                    #expect(t.text == (continues ? form + "é" : form))
                    if continues { return }
                    #expect(set.contains(t), "\(form) in '\(before)…\(after)'")
                    #expect(t.word == Lexicon.shared.vocabulary.id(t.key))
                    #expect(t.keyHash == WordTable.keyHash(form), "\(form)")
                    #expect(t.kind == (form == digits ? .number : .word))
                    #expect(t.hasUpper == (form != word && form != digits))
                    #expect(t.isAllCaps == (form == word.uppercased() && word.contains(where: \.isLetter) && (length > 1 || form != word)))
                    #expect(t.isCapitalized == (form != word && form != digits && form.first!.isUppercase))
                }
            }
        }
        TextTokenizer.withTokens(of: near) { tokens in #expect(tokens.count == 1 && !set.contains(tokens[0]), "\(near)") }
    }

    /// A word table compares words in overlapping loads of eight and four bytes: a difference at
    /// any place of any length is seen, and folded or lowered a capital is its small letter.
    @Test func wordComparisonSeesEveryByte() {
        for n in 1...24 {
            let small = (0..<n).map { UInt8(ascii: "a") + UInt8($0 % 26) }
            let capitals = small.map { $0 - 32 }
            #expect(WordTable.equal(small, small, n, .exact))
            #expect(WordTable.equal(capitals, small, n, WordTable.Reading.folded))
            #expect(!WordTable.equal(capitals, small, n, .exact))
            #expect(WordTable.equal(capitals, small, n, .lowered))
            #expect(WordTable.hash(capitals, n, .lowered) == WordTable.hash(small, n))
            // Lowered, only capitals change: "[" (a capital's code plus one) is not "{".
            #expect(!WordTable.equal(Array(repeating: UInt8(ascii: "["), count: n), Array(repeating: UInt8(ascii: "{"), count: n), n, .lowered))
            for k in 0..<n {
                var other = small
                other[k] = UInt8(ascii: "9")
                #expect(!WordTable.equal(other, small, n, .exact), "length \(n), byte \(k)")
                #expect(!WordTable.equal(other, small, n, WordTable.Reading.folded), "length \(n), byte \(k), folded")
                #expect(!WordTable.equal(other, small, n, .lowered), "length \(n), byte \(k), lowered")
            }
            // The hash depends on every byte too, and on the length.
            #expect(WordTable.hash(small, n) != WordTable.hash(small, n - 1))
            #expect(WordTable.hash(capitals, n, WordTable.Reading.folded) == WordTable.hash(small, n))
        }
    }

    /// The check that lets an article's bytes be its text says what the standard library says,
    /// on the edges of every sequence length and on random bytes.
    @Test(arguments: [
        ([0x41, 0x42], true), ([0xC2, 0xA0], true), ([0xC1, 0xBF], false), ([0xC2], false),
        ([0xE0, 0xA0, 0x80], true), ([0xE0, 0x9F, 0xBF], false), ([0xED, 0x9F, 0xBF], true), ([0xED, 0xA0, 0x80], false),
        ([0xEF, 0xBF, 0xBF], true), ([0xE2, 0x80], false), ([0xF0, 0x90, 0x80, 0x80], true), ([0xF0, 0x8F, 0xBF, 0xBF], false),
        ([0xF4, 0x8F, 0xBF, 0xBF], true), ([0xF4, 0x90, 0x80, 0x80], false), ([0xF5, 0x80, 0x80, 0x80], false),
        ([0x80], false), ([0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0xE2, 0x80, 0x99, 0x73], true),
        ([0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0xE2, 0x80, 0x29], false),
    ] as [([UInt8], Bool)])
    func utf8Check(bytes: [UInt8], valid: Bool) {
        #expect(bytes.withUnsafeBufferPointer(UTF8Check.isValid) == valid)
        #expect((String(validating: bytes, as: UTF8.self) != nil) == valid)
    }

    @Test func utf8CheckAgreesOnRandomBytes() {
        var random = SystemRandomNumberGenerator()
        // Mostly ASCII with lead and continuation bytes sprinkled in, as broken articles are.
        let alphabet: [UInt8] = [0x20, 0x41, 0x61, 0x80, 0x9F, 0xA0, 0xBF, 0xC2, 0xDF, 0xE0, 0xE2, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF]
        for _ in 0..<20_000 {
            let bytes = (0..<Int.random(in: 0...24, using: &random)).map { _ in alphabet.randomElement(using: &random)! }
            let valid = String(validating: bytes, as: UTF8.self) != nil
            #expect(bytes.withUnsafeBufferPointer(UTF8Check.isValid) == valid, "\(bytes)")
        }
    }
}

/// An article's index of people by name answers the same before and after it outgrows its list
/// (`shortListLength`) and is hashed; lists under a name keep their order.
@Test(arguments: [0, 1, 15, 16, 17, 40])
func smallIndexAnswersAsADictionary(count: Int) {
    var index = SmallIndex<Int>()
    var lists = SmallIndex<[Int]>()
    var expected: [String: Int] = [:]
    for k in 0..<count {
        let name = k.isMultiple(of: 3) ? "Wang Wei \(k)" : "Иван Петров \(k)"  // non-ASCII too
        index.insert(name, k)
        expected[name] = k
        lists.append(k, to: "surname \(k % 5)")
        lists.append(-k, to: "surname \(k % 5)")
    }
    for (name, k) in expected { #expect(index[name] == k) }
    #expect(index["Wang Wei"] == nil)
    #expect(index["Wang Wei \(count)"] == nil)
    #expect(index.keys.count == count)
    for s in 0..<min(count, 5) {
        let ks = (0..<count).filter { $0 % 5 == s }
        #expect(lists["surname \(s)"] == ks.flatMap { [$0, -$0] })
    }
}

/// A list without repeats answers as an array searched one by one does, before and after it
/// outgrows its list (`shortListLength`) and keeps a set beside it: members in the order they came.
@Test(arguments: [0, 1, 15, 16, 17, 40])
func uniqueListAnswersAsAnArray(count: Int) {
    var list = UniqueList<String>()
    var expected: [String] = []
    for k in 0..<(2 * count) {
        let x = k.isMultiple(of: 2) ? "Wang Wei \(k / 2)" : "Иван Петров \(k % 7)"  // repeats, non-ASCII too
        #expect(list.insert(x) == !expected.contains(x))
        if !expected.contains(x) { expected.append(x) }
    }
    #expect(list.members == expected)
    for x in expected { #expect(list.contains(x)) }
    #expect(!list.contains("Wang Wei"))
}

/// A binary search finds where a sorted collection's elements stop being `below`.
@Test(arguments: [[], [1], [1, 1, 1], [1, 2, 3, 5, 8, 13], [0, 0, 2, 2, 2, 9]])
func partitionIndexIsALinearSearch(xs: [Int]) {
    for v in -1...14 { #expect(xs.partitionIndex { $0 < v } == (xs.firstIndex { !($0 < v) } ?? xs.count), "\(xs) \(v)") }
    #expect(xs[...].dropFirst().partitionIndex { $0 <= 2 } == (xs.dropFirst().firstIndex { $0 > 2 } ?? xs.endIndex))
}

/// A phrase trie's edges below the root, in one open-addressing table, answer as a dictionary
/// does, through its growth, for nodes and words of every size (a word number of -1 too).
@Test func phraseEdgesAnswerAsADictionary() {
    var edges = PhraseTable<Int>.Edges()
    var expected: [[Int32]: Int32] = [:]
    // Scattered by multiplying by large primes: nodes and words in no order, some repeated.
    for n in 0..<5_000 {
        let node = Int32(n * 7_919 % 3_000), word = Int32(n * 104_729 % 70_000) - 1
        edges.insert(Int(node), word, Int32(n))
        expected[[node, word]] = Int32(n)
    }
    for (key, target) in expected { #expect(edges.target(Int(key[0]), key[1]) == target) }
    for n in 0..<5_000 {
        let node = Int32(n * 7_919 % 3_000) + 3_000, word = Int32(n * 104_729 % 70_000)
        #expect(edges.target(Int(node), word) == nil)
    }
}

/// The assembler's key tables answer as a dictionary would, through their growth: keys of every
/// length, the empty key, keys that differ in one byte, non-ASCII keys, and values replaced.
@Test func keyTablesAnswerAsADictionary() {
    var table = KeyTable()
    var expected: [String: Int] = [:]
    for n in 0..<6_000 {
        let key = n % 7 == 0 ? "пётр\(n * 7_919 % 4_000)" : String(repeating: "x", count: n % 23) + "\(n * 104_729 % 4_000)"
        table[key] = n
        expected[key] = n
    }
    table[""] = -1
    expected[""] = -1
    for (key, value) in expected { #expect(table[key] == value, "\(key)") }
    for n in 0..<2_000 { #expect(table["y\(n)"] == nil) }
    #expect(table["xx1"] == expected["xx1"])
}

/// A run of words with no full stop or line break is cut every `longestSentence` tokens; prose is not.
@Test(arguments: [(3, [3]), (1024, [1024]), (1025, [1024, 1]), (3000, [1024, 1024, 952])])
func longRunsAreCutIntoSentences(words: Int, lengths: [Int]) {
    let text = Array(repeating: "cooperation", count: words).joined(separator: " ")
    TextTokenizer.withTokens(of: text) { tokens in
        #expect(TextTokenizer.sentences(tokens).map(\.tokens.count) == lengths)
    }
    let prose = "Officials met in Harbin, and talks went on.\nThe forum opened on Monday."
    TextTokenizer.withTokens(of: prose) { tokens in
        #expect(TextTokenizer.sentences(tokens).map(\.tokens.count) == [10, 6])
    }
}
