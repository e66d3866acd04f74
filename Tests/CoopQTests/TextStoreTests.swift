@testable import CoopQ
import BundledCorpus
import Foundation
import Testing

/// The articles' texts kept in a file rather than in memory (a large corpus), from a load or
/// from a snapshot, answer every statement as texts in memory do.
struct TextStoreTests {
    static let articles = BundledCorpus.articles.map {
        CorpusLoader.Article(id: String($0.name.dropLast(4)), path: "seeds/" + $0.name, bytes: $0.bytes)
    }

    /// Statements that read the texts, one way or another, and some that read none.
    static let statements = [
        "documents select id, text",
        "count documents where text contains \"SME\"",
        "documents where text matches \"(?i)roundtable\" select id",
        "search \"small and medium\"",
        "events select name, evidence",
        "people select name, evidence",
        "figures select value, evidence",
        "why events where kind = \"forum\"",
        "describe documents",
        "documents select id, title, words",
        "count events by year",
    ]

    static func answers(_ corpus: Corpus) -> [String] {
        let engine = Engine(corpus: corpus)
        return statements.map {
            let (out, err, _) = Fixture.run($0, format: .json, engine: engine)
            #expect(err == "", "\($0)")
            return out
        }
    }

    /// Loaded in batches of two, each batch's texts written in one write: every document's text
    /// is in the file, and every answer is the same as with the texts in memory.
    @Test func textsWrittenAsTheyAreExtractedAnswerTheSame() throws {
        #expect(Self.answers(Fixture.corpus).allSatisfy { !$0.hasPrefix("[]") && $0.count > 10 }, "every statement finds something")
        let store = try #require(TextStore.temporary(in: FileManager.default.temporaryDirectory.path))
        let articles = Self.articles
        let corpus = CorpusLoader.extractAll(count: articles.count, batchSize: 2, texts: store) { .success(articles[$0]) }.corpus
        #expect(corpus.documents.allSatisfy { $0.body.isStored })
        #expect(corpus.documents.map(\.text) == Fixture.corpus.documents.map(\.text))
        #expect(Self.answers(corpus) == Self.answers(Fixture.corpus))
    }

    /// Whether a folder's texts go to a file is decided on their sizes: listed, or (a load that
    /// lists no sizes) foretold by the first batch, so a few long articles spill as a listing
    /// with sizes would have them, and a few short ones stay in memory.
    @Test(arguments: [(false, 3_000, 1), (false, 30_000, 1), (true, 3_000, 1), (true, 30_000, 1), (false, 30_000, 3)])
    func aCorpusSpillsOnItsTextsSize(statting: Bool, threshold: Int, copies: Int) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("coopq-spill-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var size = 0
        for a in Self.articles {
            let bytes = Array(Array(repeating: a.bytes, count: copies).joined(separator: Array("\n\n".utf8)))
            try Data(bytes).write(to: dir.appendingPathComponent(a.id + ".txt"))
            size += bytes.count
        }
        let (files, _) = try CorpusLoader.list([dir.path], statting: statting)
        #expect(files.allSatisfy { ($0.size >= 0) == statting })
        let (corpus, warnings) = CorpusLoader.extract(files, spillThreshold: threshold)
        #expect(warnings.isEmpty)
        #expect(corpus.documents.count == Self.articles.count)
        // The seeds are 2.2–4.9 KB: five of them pass 3,000 bytes, and pass 30,000 only three times over.
        let spills = size >= threshold
        #expect(spills == (threshold == 3_000 || copies == 3), "\(size) bytes")
        #expect(corpus.documents.allSatisfy { $0.body.isStored == spills }, "\(size) bytes, threshold \(threshold)")
    }

    /// A disk with no room: nothing is written, every text stays in memory, nothing is lost.
    @Test func aFullDiskKeepsTheTextsInMemory() throws {
        let store = try #require(TextStore.writing(to: "/dev/full"))
        let articles = Self.articles
        let corpus = CorpusLoader.extractAll(count: articles.count, batchSize: 2, texts: store) { .success(articles[$0]) }.corpus
        #expect(store.failed)
        #expect(corpus.documents.allSatisfy { !$0.body.isStored })
        #expect(Self.answers(corpus) == Self.answers(Fixture.corpus))
    }

    /// A snapshot written from texts in a file, then mapped: the texts are read where they lie
    /// in the snapshot, and the answers are the same again.
    @Test func aMappedSnapshotKeepsItsTextsInPlace() throws {
        let store = try #require(TextStore.temporary(in: FileManager.default.temporaryDirectory.path))
        let articles = Self.articles
        let stored = CorpusLoader.extractAll(count: articles.count, batchSize: 3, texts: store) { .success(articles[$0]) }.corpus
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("coopq-texts-\(UUID().uuidString).snapshot")
        defer { try? FileManager.default.removeItem(at: file) }
        try AtomicFile.write(to: file.path) { sink in Snapshot.write(stored, manifest: "m", to: sink) }
        #expect(try Data(contentsOf: file) == Data(Snapshot.encode(Fixture.corpus, manifest: "m")))
        let mapped = try #require(TextStore(mapping: file.path))
        let back = try Snapshot.decode(mapped, manifest: "m")
        #expect(back.documents.allSatisfy { $0.body.isStored })
        #expect(Self.answers(back) == Self.answers(Fixture.corpus))
        #expect(throws: Snapshot.Invalid.self) { _ = try Snapshot.decode(mapped, manifest: "other") }
    }
}
