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
        let (corpus, warnings, _, _) = CorpusLoader.extract(files, spillThreshold: threshold)
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

    /// A folder of the seeds, copied `copies` times over under new names, and a binary file.
    static func folder(binary: Bool = false) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("coopq-draft-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("articles"), withIntermediateDirectories: true)
        for a in articles { try Data(a.bytes).write(to: dir.appendingPathComponent("articles/\(a.id).txt")) }
        if binary { try Data([0x41, 0, 0x42]).write(to: dir.appendingPathComponent("articles/binary.txt")) }
        return dir
    }

    /// A load that keeps a snapshot writes each text once, into the snapshot's file, as it is
    /// extracted, and the corpus reads it there: the file, once named, is the only snapshot in the
    /// cache (beside its articles' records and its assembly's state), decodes to the same answers,
    /// and is what the next load reads.
    @Test func aLoadWritesItsTextsOnceIntoItsSnapshot() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cache = CorpusLoader.SnapshotCache(directory: dir.appendingPathComponent("cache").path, extractorIdentity: "test")
        let folder = dir.appendingPathComponent("articles").path
        let first = try CorpusLoader.load([folder], cache: cache)
        #expect(!first.fromSnapshot)
        #expect(first.snapshotNote == nil)
        #expect(first.corpus.documents.allSatisfy { $0.body.isStored })
        #expect(first.corpus.documents.map(\.text) == Fixture.corpus.documents.map(\.text))
        let files = try FileManager.default.contentsOfDirectory(atPath: cache.directory).sorted()
        #expect(files.map { ($0 as NSString).pathExtension } == ["articles", "snapshot", "state"], "\(files)")

        let second = try CorpusLoader.load([folder], cache: cache)
        #expect(second.fromSnapshot)
        #expect(second.corpus.documents.allSatisfy { $0.body.isStored })
        #expect(Self.answers(second.corpus) == Self.answers(first.corpus))
        for c in Collection.allCases { #expect(second.corpus.table(c).rows == first.corpus.table(c).rows, "\(c)") }
    }

    /// A load that finishes its snapshot in the background answers at once, while the records
    /// are written; once waited for, the snapshot is in place and is what the next load reads.
    @Test func aSnapshotFinishedInTheBackgroundIsTheSame() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cache = CorpusLoader.SnapshotCache(directory: dir.appendingPathComponent("cache").path, extractorIdentity: "test")
        let folder = dir.appendingPathComponent("articles").path
        let first = try CorpusLoader.load([folder], cache: cache, finishingInBackground: true)
        let pending = try #require(first.pendingSnapshot)
        let answers = Self.answers(first.corpus)  // while the records may still be being written
        #expect(pending.wait() == nil)
        #expect(pending.wait() == nil, "waiting again returns at once")
        let second = try CorpusLoader.load([folder], cache: cache, finishingInBackground: true)
        #expect(second.fromSnapshot && second.pendingSnapshot == nil)
        #expect(Self.answers(second.corpus) == answers)
    }

    /// A load that skips a file keeps no snapshot and leaves no file in the cache, and its
    /// texts, written to the snapshot's file that was given up, are read all the same.
    @Test func aLoadThatSkipsAFileLeavesNothingInTheCache() throws {
        let dir = try Self.folder(binary: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let cache = CorpusLoader.SnapshotCache(directory: dir.appendingPathComponent("cache").path, extractorIdentity: "test")
        let loaded = try CorpusLoader.load([dir.appendingPathComponent("articles").path], cache: cache)
        #expect(loaded.warnings.map { ($0.path as NSString).lastPathComponent } == ["binary.txt"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: cache.directory) == [])
        #expect(loaded.corpus.documents.allSatisfy { $0.body.isStored })
        #expect(loaded.corpus.documents.map(\.text) == Fixture.corpus.documents.map(\.text))
    }

    /// A draft whose file cannot be named (its directory is gone) says why, and its texts are
    /// read all the same; the snapshot it would have replaced is not touched.
    @Test func aDraftThatCannotBeNamedSaysWhy() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("cache/x.snapshot").path
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let draft = try #require(Snapshot.Draft(path: path, manifest: "m"))
        let articles = Self.articles
        let corpus = CorpusLoader.extractAll(count: articles.count, batchSize: 2, texts: draft.store) { .success(articles[$0]) }.corpus
        try FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent)
        let error = try #require(draft.finish(corpus))
        #expect(error.description.contains("x.snapshot"))
        #expect(corpus.documents.allSatisfy { $0.body.isStored })
        #expect(Self.answers(corpus) == Self.answers(Fixture.corpus))
    }

    /// A draft finished is a snapshot like any other, whether its texts were written as they
    /// were extracted (in batches, each padded to whole words) or are copied in at the end.
    @Test(arguments: [1, 2, 5])
    func aFinishedDraftDecodesToTheCorpus(batchSize: Int) throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("x.snapshot").path
        let draft = try #require(Snapshot.Draft(path: path, manifest: "m"))
        let articles = Self.articles
        let corpus = CorpusLoader.extractAll(count: articles.count, batchSize: batchSize, texts: draft.store) { .success(articles[$0]) }.corpus
        #expect(draft.finish(corpus) == nil)
        let mapped = try #require(TextStore(mapping: path))
        let back = try Snapshot.decode(mapped, manifest: "m")
        #expect(Self.answers(back) == Self.answers(Fixture.corpus))
        // In memory (no store), the texts are copied out of the same file.
        let inMemory = try Snapshot.decode(Array(try Data(contentsOf: URL(fileURLWithPath: path))), manifest: "m")
        #expect(Self.answers(inMemory) == Self.answers(Fixture.corpus))
        #expect(throws: Snapshot.Invalid.self) { _ = try Snapshot.decode(mapped, manifest: "other") }
    }
}
