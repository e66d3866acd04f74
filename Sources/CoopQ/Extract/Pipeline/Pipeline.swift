/// A stage of the pipeline: one job, one file, reading the layers of the stages before it.
protocol PipelineStage: Sendable {
    /// Its name in `Pipeline.names` and in the docs.
    static var name: String { get }
    /// What `COOPQ_STAGES` charges its time to.
    static var clock: StageClock.Stage { get }
    static func annotate(_ document: inout AnnotatedDocument)
}

/// The extractor's stages, in the order they run over one article (as spaCy's `nlp.pipe_names`
/// or CoreNLP's annotators): the header is read on the bytes, the text is cut into tokens that
/// skip what the header set aside, and then each stage of `stages` adds its layer. Assembly
/// across articles and the event merger follow, over every article's extraction (`Assembler`).
enum Pipeline {
    static let stages: [any PipelineStage.Type] = [
        SentenceStage.self,
        DateStage.self,
        MentionStage.self,
        PeopleStage.self,
        SettingStage.self,
        EventStage.self,
        AgreementStage.self,
        SigningStage.self,
        FigureStage.self,
        TopicStage.self,
    ]

    /// Every step's name, in order: what `docs/extractor.md` shows.
    static var names: [String] { ["header", "tokens"] + stages.map { $0.name } + ["assembly", "merge"] }

    /// Runs the pipeline over one article. Pure: the same bytes give the same result.
    static func run(id: String, path: String, bytes raw: [UInt8]) -> DocumentExtraction {
        var clock = StageClock()
        defer { clock.commit() }
        // Invalid UTF-8 is repaired once (each bad byte becomes U+FFFD), so every stage reads
        // the same valid text as the document's `text`, and offsets agree. Valid bytes, as
        // nearly all are, are checked in place and are the document's text, with no copy.
        let bytes = raw.withUnsafeBufferPointer(UTF8Check.isValid) ? raw : Array(String(decoding: raw, as: UTF8.self).utf8)
        clock.lap(.text)
        let header = HeaderParser.parse(bytes)
        let excluded = merged(header.excluded)
        clock.lap(.header)
        // The tokens point into `bytes`, which outlives them: they are read inside this closure.
        return bytes.withUnsafeBufferPointer { b in
            TextTokenizer.withTokens(b, excluding: excluded) { tokens in
                clock.lap(.tokens)
                var document = AnnotatedDocument(id: id, path: path, bytes: bytes, header: header, excluded: excluded, tokens: tokens)
                for stage in stages {
                    stage.annotate(&document)
                    clock.lap(stage.clock)
                }
                defer { clock.lap(.document) }
                return DocumentExtraction(document)
            }
        }
    }

    /// Ranges sorted and merged where they touch or overlap.
    static func merged(_ ranges: [Range<Int>]) -> [Range<Int>] {
        var merged: [Range<Int>] = []
        for r in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = merged.last, r.lowerBound <= last.upperBound { merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, r.upperBound) }
            else { merged.append(r) }
        }
        return merged
    }
}
