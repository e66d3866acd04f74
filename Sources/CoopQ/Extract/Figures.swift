import Foundation

/// The figures stage: amounts of trade and investment, with their measure and year.
enum FigureStage: PipelineStage {
    static let name = "figures"
    static let clock = StageClock.Stage.figures

    static func annotate(_ d: inout AnnotatedDocument) {
        d.figures = FigureFinder.find(d.tokens, d.sentences, documentYear: d.reference?.year)
    }
}

/// A number found in one document: value, unit, what it measures and the year it is for.
struct LocalFigure { var value: Double; var unit: String; var measure: String?; var year: Int?; var sentence: Int }

/// The figure stage: amounts of money (`$20 billion`, `1.2 trillion yuan`), percentages with
/// their direction (`fell by 28.1 percent` is -28.1), and counts of things (`over 100 enterprises`).
enum FigureFinder {
    /// A number as written ("1,200", "129.14"): its digits as an integer and how many stand after the point.
    struct Decimal {
        var digits: Int
        var places: Int
        var value: Double { Double(digits) / pow10(places) }
        /// The number times a scale ("129.14 billion"), worked out so that it is the nearest double to the
        /// exact product (129140000000, not 129140000000.00002), while the digits and scale allow.
        func scaled(by scale: Double) -> Double {
            let product = Double(digits) * scale
            return product < 9_007_199_254_740_992 ? product / pow10(places) : value * scale
        }
        private func pow10(_ n: Int) -> Double { (0..<n).reduce(1.0) { p, _ in p * 10 } }
    }

    /// The `Decimal` of a number token's bytes: digits, commas between thousands, at most one point; nil for any other.
    static func decimal(_ bytes: UnsafeBufferPointer<UInt8>) -> Decimal? {
        var digits = 0, places = 0, count = 0, point = false
        for b in bytes {
            if b == UInt8(ascii: ",") { continue }
            if b == UInt8(ascii: ".") { if point { return nil }; point = true; continue }
            guard b &- 48 < 10, count < 17 else { return nil }
            digits = digits * 10 + Int(b &- 48)
            count += 1
            if point { places += 1 }
        }
        return count > 0 ? Decimal(digits: digits, places: places) : nil
    }

    /// "billion": 1e9, "yuan": "CNY" (`figure-scales`, `currencies` of wordmaps.tsv).
    static let scales = WordMap(Lexicon.shared.map("figure-scales").map { ($0.word, Double($0.value) ?? 1) })
    static let currencies = WordMap(Lexicon.shared.map("currencies").map { ($0.word, $0.value) })
    /// The plural nouns a bare number counts ("316 companies"), from wordlists.tsv.
    static let countNouns = WordSet(Array(Lexicon.shared.words("count-nouns")))
    static let falling = Lexicon.shared.wordSet("figure-falling-words")
    /// What a figure measures, by the first of these its sentence contains (in lower case).
    static let measures = Lexicon.shared.phrases("figure-measures")
    static let measureKeys = measures.map { $0.lowercased() }

    /// Where "U.S. dollars", "US dollars", "USD" (or "U.S." alone) that start at `j` end.
    static func usDollars(_ tokens: Tokens, _ j: Int, _ limit: Int) -> Int? {
        var k = j
        if tokens[k].textIs("U"), k + 3 < limit, tokens[k + 1].isPunct("."), tokens[k + 2].textIs("S"), tokens[k + 3].isPunct(".") {
            k += 4
        } else if tokens[k].textIs("US") || tokens[k].textIs("USD") {
            k += 1
        } else {
            return nil
        }
        if k < limit, tokens[k].lowerIs("dollars") || tokens[k].lowerIs("dollar") { k += 1 }
        return k
    }

    /// Where the last occurrence of `needle` in `h` ends, as a byte offset.
    static func lastEnd(of needle: [UInt8], in h: [UInt8]) -> Int? {
        guard !needle.isEmpty, h.count >= needle.count else { return nil }
        var start = h.count - needle.count
        while start >= 0 {
            if h[start..<(start + needle.count)].elementsEqual(needle) { return start + needle.count }
            start -= 1
        }
        return nil
    }

    /// The counted noun after one or two modifiers at `j` (not capitalised, or a nationality).
    static func countedNoun(_ tokens: Tokens, after j: Int, limit: Int) -> Int? {
        for noun in (j + 1)...(j + 2) where noun < limit {
            guard (j..<noun).allSatisfy({ tokens[$0].kind == .word && (!tokens[$0].isCapitalized || Lexicon.demonyms[tokens[$0]] != nil) }) else { return nil }
            if countNouns.contains(tokens[noun]) { return noun }
        }
        return nil
    }

    /// The token of the unit after a range's second number ("to 50 percent", "and 20 billion yuan"), for
    /// a first number followed at `j` by "to", "and" or a dash.
    static func rangeEnd(_ tokens: Tokens, after j: Int, limit: Int) -> Int? {
        guard j + 2 < limit, tokens[j].isWord("to") || tokens[j].isWord("and") || tokens[j].isPunct("-") || tokens[j].isPunct("–"),
              tokens[j + 1].kind == .number else { return nil }
        return j + 2
    }

    /// Words before a year that say a figure is for it: "in 2024", "by 2030".
    static let yearIntroducers = Lexicon.shared.wordSet("year-introducers")

    static func find(_ tokens: Tokens, _ sentences: [Sentence], documentYear: Int?) -> [LocalFigure] {
        var figures: [LocalFigure] = []
        for (s, sentence) in sentences.enumerated() {
            let r = sentence.tokens
            var i = r.lowerBound
            while i < r.upperBound {
                // Figures start at numbers: the other tokens are passed over in a function of its own.
                i = tokens.nextNumber(from: i, to: r.upperBound)
                guard i < r.upperBound else { break }
                let t = tokens[i]
                guard t.kind == .number, let base = FigureFinder.decimal(t.bytes) else {
                    i += 1
                    continue
                }
                let previous = i > r.lowerBound ? tokens[i - 1] : nil
                // Not a date ("Nov. 24", "July 19, 2025") nor a year on its own.
                if let p = previous, p.kind == .word, DateResolver.month(p) != nil { i += 1; continue }
                if i >= r.lowerBound + 2, tokens[i - 1].isPunct("."), DateResolver.month(tokens[i - 2]) != nil { i += 1; continue }
                var value = base.value
                var j = i + 1
                if j < r.upperBound, let scale = scales[tokens[j]] { value = base.scaled(by: scale); j += 1 }
                guard let (unit, end) = unit(tokens, at: j, dollarSign: previous?.isPunct("$") == true, limit: r.upperBound) else { i += 1; continue }
                j = end
                if unit == "percent", tokens[max(r.lowerBound, i - 4)..<i].contains(where: falling.contains) { value = -value }
                let measure = measure(tokens, of: unit, figure: i, end: j, sentence: r)
                let year = year(tokens, of: i, sentence: r, documentYear: documentYear)
                // A figure said again ("316 companies" in the lead and in a quote) is one figure.
                if !figures.contains(where: { $0.value == value && $0.unit == unit && $0.measure == measure }) {
                    figures.append(LocalFigure(value: value, unit: unit, measure: measure, year: year ?? documentYear, sentence: s))
                }
                i = j
            }
        }
        return figures
    }

    /// The unit of a figure whose number ends before `j`, and where it ends: percent, a currency, a
    /// counted noun; none, no figure.
    private static func unit(_ tokens: Tokens, at j: Int, dollarSign: Bool, limit: Int) -> (String, Int)? {
        let unit: String? = dollarSign ? "USD" : nil
        guard j < limit else { return unit.map { ($0, j) } }
        let w = tokens[j]
        if w.lowerIs("percent") || w.isPunct("%") { return ("percent", j + 1) }
        if w.lowerIs("per"), j + 1 < limit, tokens[j + 1].isWord("cent") { return ("percent", j + 2) }
        if let c = currencies[w] { return (c, j + 1) }
        if let unit { return (unit, j) }
        if let end = usDollars(tokens, j, limit) { return ("USD", end) }
        if countNouns.contains(w) { return (w.lower, j + 1) }
        // "150 young entrepreneurs", "3,000 Chinese companies", "1,055 local trading companies", "23 Russian
        // constituent entities": one or two modifiers before the counted noun.
        if let noun = countedNoun(tokens, after: j, limit: limit) { return (tokens[noun].lower, noun + 1) }
        // "from 10 to 50 percent": the first number of a range has the second's unit.
        if let second = rangeEnd(tokens, after: j, limit: limit) {
            let w2 = tokens[second]
            if w2.lowerIs("percent") || w2.isPunct("%") { return ("percent", j) }
            if let c = currencies[w2] { return (c, j) }
            if countNouns.contains(w2) { return (w2.lower, j) }
        }
        return nil
    }

    /// What a figure at `i` measures: the measure its sentence names nearest before it ("exports
    /// rose 4.1 percent while imports fell 1.2 percent"), else the first it names; a share, or
    /// what a count counts.
    private static func measure(_ tokens: Tokens, of unit: String, figure i: Int, end j: Int, sentence r: Range<Int>) -> String? {
        let text = DateResolver.lowerJoined(tokens, r)
        // Most sentences name none or one.
        let named = measureKeys.indices.filter { text.hasBytes(measureKeys[$0]) }
        var chosen = named.first
        if named.count > 1 {
            let before = Array(DateResolver.lowerJoined(tokens, r.lowerBound..<i).utf8)
            var nearest = -1
            for k in named {
                // By where the match ends: "bilateral trade" and "trade" end together, and the longer, listed first, wins.
                if let end = lastEnd(of: Array(measureKeys[k].utf8), in: before), end > nearest { nearest = end; chosen = k }
            }
        }
        if unit == "percent", tokens[r].contains(where: { $0.isWord("account") || $0.isWord("accounts") || $0.isWord("accounted") }) {
            return "share"
        }
        // A count measures what it counts ("3,000 Chinese companies"), unless a measure follows it
        // ("10 cooperation documents covering trade").
        if FigureFinder.countNouns.contains(unit), !(chosen.map { DateResolver.lowerJoined(tokens, j..<r.upperBound).hasBytes(measureKeys[$0]) } ?? false) {
            return unit
        }
        return chosen.map { measures[$0] }
    }

    /// The year a figure's sentence gives it ("in 2024", "by 2030"); "last year" is the year before the article's.
    private static func year(_ tokens: Tokens, of i: Int, sentence r: Range<Int>, documentYear: Int?) -> Int? {
        for k in r where tokens[k].kind == .number && tokens[k].characters == 4 && k != i {
            if let y = tokens[k].integer, (1900...2100).contains(y), k > r.lowerBound, FigureFinder.yearIntroducers.contains(tokens[k - 1]) { return y }
        }
        if let documentYear, r.dropLast().contains(where: { tokens[$0].isWord("last") && tokens[$0 + 1].isWord("year") }) { return documentYear - 1 }
        return nil
    }
}
