/// The sentences stage: the article's tokens cut into sentences, and the date its relative dates
/// are read against.
enum SentenceStage: PipelineStage {
    static let name = "sentences"
    static let clock = StageClock.Stage.sentences

    static func annotate(_ d: inout AnnotatedDocument) {
        d.sentences = TextTokenizer.sentences(d.tokens)
        d.reference = d.header.datelineDate ?? d.header.date
    }
}

extension TextTokenizer {
    static let abbreviations = Lexicon.shared.wordSet("sentence-abbreviations")

    /// The most tokens a sentence has: a longer run with no full stop or line break (a table, a
    /// list run together) is cut there, so that no finder's work for a sentence (a clause walked
    /// back, its dates read for each event in it) grows with a whole file. No sentence of prose
    /// comes near it.
    static let longestSentence = 1024

    /// Sentences of the tokens: ended by `.`, `!`, `?` (not after an abbreviation or before a
    /// lower-case word), and by a line break; cut at `longestSentence` tokens.
    static func sentences(_ tokens: Tokens) -> [Sentence] {
        var result: [Sentence] = []
        result.reserveCapacity(tokens.count / 16 + 1)
        var first = 0
        func close(_ last: Int) {
            guard first <= last, first < tokens.count else { return }
            result.append(Sentence(tokens: first..<(last + 1), start: tokens[first].start, end: tokens[last].end))
            first = last + 1
        }
        var i = 0
        while i < tokens.count {
            // Most tokens neither start a line nor are punctuation: passed over on their marks.
            i = tokens.next(marked: TokenMarks.breaking, from: i, to: tokens.count)
            while i - first > longestSentence { close(first + longestSentence - 1) }
            guard i < tokens.count else { break }
            if i > first, tokens[i].lineBefore { close(i - 1) }
            // Most tokens are no full stop: decided on their kind and first byte, with no copy.
            if tokens[i].kind == .punct, tokens[i].end - tokens[i].start == 1,
               case let b = tokens[i].base[tokens[i].start], b == UInt8(ascii: ".") || b == UInt8(ascii: "!") || b == UInt8(ascii: "?") {
                let t = tokens[i]
                let previous = i > 0 ? tokens[i - 1] : nil
                let next = i + 1 < tokens.count ? tokens[i + 1] : nil
                let afterAbbreviation = previous.map { $0.end == t.start && abbreviations.contains($0) } ?? false
                let singleInitial = previous.map { $0.end == t.start && $0.kind == .word && $0.characters == 1 && $0.isCapitalized } ?? false
                var ends = !(afterAbbreviation || singleInitial)
                if let next, !next.lineBefore {
                    if next.kind == .word, !next.isCapitalized { ends = false }
                    if next.kind == .number && afterAbbreviation { ends = false }
                    // Closing quotes and brackets belong to the sentence they end.
                    if next.isPunct("”") || next.isPunct("\"") || next.isPunct(")") || next.isPunct("’") {
                        if ends { i += 1 }
                    }
                }
                if ends { close(i) }
            }
            i += 1
        }
        close(tokens.count - 1)
        return result
    }
}
