@testable import CoopQ
import Foundation
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

    /// The extractor stays readable: no file of it over about 400 lines, no function over about 60
    /// (a function counted from its `func` or `init` line to its closing brace).
    @Test func theExtractorsFilesAndFunctionsStayShort() throws {
        let root = Fixture.root.appendingPathComponent("Sources/CoopQ/Extract")
        let files = FileManager.default.enumerator(atPath: root.path)?.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") } ?? []
        #expect(files.count > 20)
        for file in files {
            let lines = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines.count <= 420, "\(file) has \(lines.count) lines")
            var k = 0
            while k < lines.count {
                let line = lines[k].trimmingCharacters(in: .whitespaces)
                let declares = line.range(of: #"^((public|private|fileprivate|static|mutating|@inline\(__always\)|@discardableResult) )*(func |init[(<?])"#,
                                          options: .regularExpression) != nil
                guard declares, line.hasSuffix("{") else { k += 1; continue }
                var depth = 0, end = k
                repeat {
                    depth += lines[end].filter { $0 == "{" }.count - lines[end].filter { $0 == "}" }.count
                    end += 1
                } while depth > 0 && end < lines.count
                #expect(end - k <= 70, "\(file):\(k + 1): a function of \(end - k) lines")
                k += 1
            }
        }
    }
}
