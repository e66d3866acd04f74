/// The setting stage: where the article was written, by its dateline or byline; with neither, the
/// city its title names, else the first city of its lead (its first two paragraphs): a city named
/// further on is where something else happened. Its own events were there when their sentences
/// name no place.
enum SettingStage: PipelineStage {
    static let name = "setting"
    static let clock = StageClock.Stage.setting

    static func annotate(_ d: inout AnnotatedDocument) {
        d.written = d.header.datelinePlace ?? d.header.writtenIn
        d.home = d.written.map { Lexicon.shared.places[Lexicon.phraseKey($0)] }
            ?? d.header.title.flatMap(city)
            ?? leadCity(d.mentions, d.tokens, leadEnd: leadEnd(d.bytes, excluding: d.excluded))
    }

    /// The first city a title names.
    static func city(_ title: String) -> Lexicon.PlaceEntry? {
        TextTokenizer.withTokens(of: title) { tokens in
            var i = 0
            while i < tokens.count {
                // Only a word that starts a place's or organization's name is looked up.
                i = tokens.next(marked: TokenMarks.mention, from: i, to: tokens.count)
                guard i < tokens.count else { break }
                if let (_, place) = Lexicon.shared.placeTable.longest(tokens, from: i, limit: tokens.count), place.kind == "city" { return place }
                i += 1
            }
            return nil
        }
    }

    /// The first city named before `leadEnd`.
    static func leadCity(_ mentions: [Mention], _ tokens: Tokens, leadEnd: Int) -> Lexicon.PlaceEntry? {
        for m in mentions {
            guard tokens[m.tokens.lowerBound].start < leadEnd else { break }
            if case .place(let p) = m.kind, p.kind == "city" { return p }
        }
        return nil
    }

    /// Where the lead ends: after the second paragraph of the body (a line that is neither blank
    /// nor the header's).
    static func leadEnd(_ bytes: [UInt8], excluding excluded: [Range<Int>]) -> Int {
        var paragraphs = 0
        for line in HeaderParser.lines(bytes) where !HeaderParser.isBlank(bytes, line) {
            if excluded.contains(where: { $0.contains(line.start) && $0.upperBound >= line.end }) { continue }
            paragraphs += 1
            if paragraphs == 2 { return line.end }
        }
        return bytes.count
    }
}
