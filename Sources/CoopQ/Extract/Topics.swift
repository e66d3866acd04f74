/// The topics stage. Words of posts and organizations' names ("Minister of Agriculture",
/// "Ministry of Commerce") are not topics.
enum TopicStage: PipelineStage {
    static let name = "topics"
    static let clock = StageClock.Stage.topics

    static func annotate(_ d: inout AnnotatedDocument) {
        var notTopics = d.titleSpans
        for m in d.mentions { if case .organization = m.kind { notTopics.append(m.tokens) } }
        d.topics = TopicFinder.find(d.tokens, d.sentences, skipping: notTopics)
    }
}

/// The topic stage: the fields of cooperation an article discusses, from the trigger words of `topics.tsv`.
enum TopicFinder {
    static func find(_ tokens: Tokens, _ sentences: [Sentence], skipping: [Range<Int>] = []) -> [(topic: String, sentence: Int, tokens: Range<Int>)] {
        let lexicon = Lexicon.shared
        var skip = [Bool](repeating: false, count: tokens.count)
        for r in skipping { for i in r where i < tokens.count { skip[i] = true } }
        // Labelled as the result is, so that it is returned as it is, not converted element by element.
        var found: [(topic: String, sentence: Int, tokens: Range<Int>)] = []
        for (s, sentence) in sentences.enumerated() {
            var i = sentence.tokens.lowerBound
            while i < sentence.tokens.upperBound {
                // Most tokens start no trigger: passed over on their marks.
                // (Of punctuation, a trigger may start only at a hyphen, which `longest` steps over.)
                i = tokens.next(marked: TokenMarks.topic, from: i, to: sentence.tokens.upperBound)
                guard i < sentence.tokens.upperBound else { break }
                if skip[i] { i += 1; continue }
                if let (end, topic) = lexicon.topicTable.longest(tokens, from: i, limit: sentence.tokens.upperBound, inNames: false) {
                    found.append((topic, s, i..<end))
                    i = end
                } else { i += 1 }
            }
        }
        return found
    }
}
