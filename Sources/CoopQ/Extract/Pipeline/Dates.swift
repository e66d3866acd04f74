/// The dates stage: every date of every sentence, read once (`DateLayer`).
enum DateStage: PipelineStage {
    static let name = "dates"
    static let clock = StageClock.Stage.dates

    static func annotate(_ d: inout AnnotatedDocument) {
        d.dates = DateLayer(d.tokens, d.sentences, reference: d.reference)
    }
}

/// The dates layer: every date expression of every sentence, resolved once against the article's
/// date, for each later stage to read by sentence.
struct DateLayer {
    private var found: [DateResolver.Found] = []
    /// Where each sentence's dates start in `found`, and one past the last sentence's.
    private var starts: [Int] = [0]

    init() {}

    init(_ tokens: Tokens, _ sentences: [Sentence], reference: PartialDate?) {
        starts.reserveCapacity(sentences.count + 1)
        for s in sentences {
            found += DateResolver.dates(in: tokens, s.tokens, reference: reference)
            starts.append(found.count)
        }
    }

    /// The dates of sentence `s`, in the order they are written.
    subscript(sentence s: Int) -> ArraySlice<DateResolver.Found> {
        s + 1 < starts.count ? found[starts[s]..<starts[s + 1]] : []
    }
}
