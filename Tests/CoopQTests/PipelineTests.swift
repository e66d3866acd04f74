@testable import CoopQ
import Testing

/// The extractor's pipeline: its stages in order, and the layers they leave.
@Suite struct PipelineStages {
    @Test func theOrderIsOnePlace() {
        #expect(Pipeline.names == ["header", "tokens", "sentences", "dates", "mentions", "people", "setting", "events",
                                   "agreements", "signings", "figures", "topics", "assembly", "merge"])
    }

    /// `COOPQ_STAGES` keeps a slot for each stage it charges.
    @Test func theClockHasASlotForEachStage() {
        #expect(StageClock.slots == StageClock.Stage.allCases.count)
    }

    /// The dates layer holds each sentence's dates, read once against the article's date.
    @Test func theDatesLayerIsReadBySentence() {
        let text = "Report\n\nMOSCOW, May 17, 2024 (Xinhua) -- The forum opened on Monday. It ran for three days.\n"
        let bytes = Array(text.utf8)
        let header = HeaderParser.parse(bytes)
        let excluded = Pipeline.merged(header.excluded)
        let said: [[String]] = bytes.withUnsafeBufferPointer { b in
            TextTokenizer.withTokens(b, excluding: excluded) { tokens in
                var d = AnnotatedDocument(id: "a", path: "a.txt", bytes: bytes, header: header, excluded: excluded, tokens: tokens)
                SentenceStage.annotate(&d)
                DateStage.annotate(&d)
                return d.sentences.indices.map { s in d.dates[sentence: s].map { "\($0.raw) \($0.date)" } }
            }
        }
        #expect(said == [["May 17, 2024 2024-05-17", "on Monday 2024-05-13"], []])
    }
}
