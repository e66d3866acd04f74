@testable import CoopQ
import Foundation
import Testing

/// A snapshot keeps each article's extraction: a load of a folder whose articles were added,
/// edited, touched, renamed or removed extracts only those again, and makes the model a load
/// from nothing makes, byte for byte in every exported table.
@Suite struct ArticleRecordsTests {
    /// A new folder holding a copy of the `.txt` files of `folders` (in the package) in its
    /// `articles` folder: the folder, to remove, and the articles' folder.
    static func copies(of folders: [String], named name: String) throws -> (dir: URL, corpus: URL) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
        let corpus = dir.appendingPathComponent("articles")
        try FileManager.default.createDirectory(at: corpus, withIntermediateDirectories: true)
        for folder in folders {
            let from = Fixture.root.appendingPathComponent(folder)
            for file in try FileManager.default.contentsOfDirectory(atPath: from.path) where file.hasSuffix(".txt") {
                try FileManager.default.copyItem(at: from.appendingPathComponent(file), to: corpus.appendingPathComponent(file))
            }
        }
        return (dir, corpus)
    }

    /// The seeds and the test articles, each extracted, written as a record and read back:
    /// assembled, they are the same model, to the byte of its snapshot.
    @Test func aRecordHoldsAllOfAnExtraction() throws {
        var articles: [CorpusLoader.Article] = []
        for folder in ["seeds", "Tests/CoopQTests/Fixtures/articles", "Tests/CoopQTests/Fixtures/dev/articles"] {
            let from = Fixture.root.appendingPathComponent(folder)
            for name in try FileManager.default.contentsOfDirectory(atPath: from.path).sorted() where name.hasSuffix(".txt") {
                let bytes = [UInt8](try Data(contentsOf: from.appendingPathComponent(name)))
                articles.append(CorpusLoader.Article(id: String(name.dropLast(4)), path: folder + "/" + name, bytes: bytes))
            }
        }
        let extracted = articles.map { Extractor.extract(id: $0.id, path: $0.path, bytes: $0.bytes) }
        let back = try extracted.map { x in
            try ExtractionRecord.encode(x).withUnsafeBufferPointer { try ExtractionRecord.decode($0, body: x.document.body) }
        }
        let direct = Snapshot.encode(Extractor.assemble(extracted), manifest: "m")
        let viaRecords = Snapshot.encode(Extractor.assemble(back), manifest: "m")
        #expect(articles.count > 20)
        let same = direct == viaRecords  // (a Bool: a failure prints no megabyte of bytes)
        #expect(same)
    }

    /// A record cut short or with a byte changed is an error or another record, never a crash.
    @Test func aDamagedRecordIsAnError() throws {
        let seed = Fixture.root.appendingPathComponent("seeds")
        let name = try FileManager.default.contentsOfDirectory(atPath: seed.path).sorted().first { $0.hasSuffix(".txt") }!
        let bytes = [UInt8](try Data(contentsOf: seed.appendingPathComponent(name)))
        let x = Extractor.extract(id: "a", path: "a.txt", bytes: bytes)
        let record = ExtractionRecord.encode(x)
        for cut in stride(from: 0, to: record.count, by: 7) {
            #expect(throws: ExtractionRecord.Invalid.self) {
                try Array(record.prefix(cut)).withUnsafeBufferPointer { try ExtractionRecord.decode($0, body: x.document.body) }
            }
        }
        for position in stride(from: 0, to: record.count, by: 5) {
            var damaged = record
            damaged[position] ^= 0xA5
            _ = try? damaged.withUnsafeBufferPointer { try ExtractionRecord.decode($0, body: x.document.body) }
        }
    }

    /// The binary loads a folder, which then changes in every way a folder of articles changes;
    /// each load after says what it extracted again, and exports what a load with no snapshot exports.
    @Test func anUpdatedSnapshotMakesTheModelOfAFullLoad() throws {
        let (dir, corpus) = try Self.copies(of: ["seeds", "Tests/CoopQTests/Fixtures/articles", "Tests/CoopQTests/Fixtures/dev/articles"], named: "coopq-records")
        defer { try? FileManager.default.removeItem(at: dir) }
        let env = ["XDG_CACHE_HOME": dir.appendingPathComponent("cache").path]
        var exports = 0
        /// Loads through the snapshot and with none; the exports must agree; gives the note.
        func load() throws -> String {
            exports += 1
            let updated = dir.appendingPathComponent("updated-\(exports)"), full = dir.appendingPathComponent("full-\(exports)")
            let a = try coopq(["--corpus", corpus.path, "--export", updated.path, "-e", "count documents"], environment: env)
            let b = try coopq(["--corpus", corpus.path, "--no-cache", "--export", full.path, "-e", "count documents"], environment: env)
            #expect(a.status == 0 && b.status == 0, "\(a.stderr)\(b.stderr)")
            #expect(a.stdout == b.stdout)
            let tables = try FileManager.default.contentsOfDirectory(atPath: full.path).filter { $0.hasSuffix(".csv") }
            #expect(tables.count > 20)
            for table in tables {
                let same = try Data(contentsOf: updated.appendingPathComponent(table)) == Data(contentsOf: full.appendingPathComponent(table))
                #expect(same, "\(table) differs after load \(exports)")
            }
            return a.stderr
        }
        func files() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: corpus.path).filter { $0.hasSuffix(".txt") }.sorted() }
        let all = try files()
        #expect(try load() == "")  // the first load: nothing to say
        #expect(try load() == "")  // from the snapshot
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("cache/coopq").path).sorted().map {
            ($0 as NSString).pathExtension
        } == ["articles", "snapshot", "state"])

        // Added: a new article that names people and an event the others name too.
        try "HARBIN, June 15. /TASS/. Russian Deputy Prime Minister Yury Trutnev and Chinese Vice Premier Ding Xuexiang opened the 9th China-Russia Expo in Harbin on Saturday.\n"
            .write(to: corpus.appendingPathComponent("added.txt"), atomically: true, encoding: .utf8)
        #expect(try load() == "coopq: note: snapshot updated: 1 article extracted, \(all.count) articles kept from it\n")

        // Edited: a sentence added to one article; touched: another's mtime alone changed.
        let edited = corpus.appendingPathComponent(all[1])
        let text = try String(contentsOf: edited, encoding: .utf8)
        try (text + "\nThe 9th China-Russia Expo opened in Harbin on May 17, 2025.\n").write(to: edited, atomically: false, encoding: .utf8)
        let touched = corpus.appendingPathComponent(all[2]).path
        var times = [timespec(tv_sec: 1_700_000_000, tv_nsec: 0), timespec(tv_sec: 1_700_000_000, tv_nsec: 0)]
        #expect(utimensat(AT_FDCWD, touched, &times, 0) == 0)
        #expect(try load() == "coopq: note: snapshot updated: 1 article extracted, \(all.count) articles kept from it\n")

        // Removed, and renamed (a renamed article's id is its new name: it is extracted again).
        try FileManager.default.removeItem(at: corpus.appendingPathComponent(all[3]))
        try FileManager.default.moveItem(at: corpus.appendingPathComponent(all[4]), to: corpus.appendingPathComponent("renamed.txt"))
        #expect(try load() == "coopq: note: snapshot updated: 1 article extracted, \(all.count - 1) articles kept from it, 2 articles gone\n")
        #expect(try load() == "")

        // Added after all the others: assembled onto the snapshot's corpus, and kept beside it.
        try "MOSCOW, June 16. /TASS/. Yury Trutnev and Ding Xuexiang met in Moscow on Sunday to discuss the 9th China-Russia Expo.\n"
            .write(to: corpus.appendingPathComponent("zz-added.txt"), atomically: true, encoding: .utf8)
        #expect(try load() == "coopq: note: snapshot updated: 1 article extracted, \(all.count) articles kept from it\n")
        #expect(try load() == "")
    }

    /// The corpus of a folder's snapshot and of articles added after all of its own is the corpus a
    /// load with no snapshot makes, to the byte of its snapshot, however the added ones change; they
    /// are kept beside the snapshot (`AddedArticles`) until they are many, and the snapshot is then
    /// written again.
    @Test func articlesAddedLastGoOnFromTheSnapshot() throws {
        let (dir, corpus) = try Self.copies(of: ["seeds", "Tests/CoopQTests/Fixtures/articles", "Tests/CoopQTests/Fixtures/dev/articles"], named: "coopq-added")
        defer { try? FileManager.default.removeItem(at: dir) }
        let cache = CorpusLoader.SnapshotCache(directory: dir.appendingPathComponent("cache").path, extractorIdentity: "test")
        let kept = try FileManager.default.contentsOfDirectory(atPath: corpus.path).count
        /// Loads through the snapshot; the corpus must be a full load's; gives the note.
        func load(_ step: String) throws -> String? {
            let loaded = try CorpusLoader.load([corpus.path], cache: cache)
            let full = try CorpusLoader.load([corpus.path], cache: nil)
            let same = Snapshot.encode(loaded.corpus, manifest: "m") == Snapshot.encode(full.corpus, manifest: "m")
            #expect(same, "the corpus differs after \(step)")
            return loaded.snapshotNote
        }
        func write(_ name: String, _ text: String) throws { try text.write(to: corpus.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        func beside(_ extension: String) throws -> Bool {
            try FileManager.default.contentsOfDirectory(atPath: cache.directory).contains { $0.hasSuffix("." + `extension`) }
        }
        #expect(try load("the first load") == nil)
        #expect(try beside("state") && !beside("added"))
        // One event told by two articles added one after the other, and by articles of the snapshot.
        try write("zz-1.txt", "HARBIN, June 15. /TASS/. Russian Deputy Prime Minister Yury Trutnev and Chinese Vice Premier Ding Xuexiang opened the 9th China-Russia Expo in Harbin on Saturday.\n")
        #expect(try load("one added") == "snapshot updated: 1 article extracted, \(kept) articles kept from it")
        #expect(try beside("added"))
        #expect(try load("a reload") == nil)
        try write("zz-2.txt", "Harbin, June 16 (Xinhua) -- The ninth China-Russia Expo, opened by Ding Xuexiang and Yury Trutnev, closed on Sunday.\n")
        #expect(try load("two added") == "snapshot updated: 1 article extracted, \(kept + 1) articles kept from it")
        // The first added one edited: extracted again, the second kept.
        try write("zz-1.txt", "HARBIN, June 15. /TASS/. Yury Trutnev opened the 9th China-Russia Expo in Harbin on Saturday.\n")
        #expect(try load("one edited") == "snapshot updated: 1 article extracted, \(kept + 1) articles kept from it")
        // Both gone: the snapshot as it was, and nothing kept beside it.
        for name in ["zz-1.txt", "zz-2.txt"] { try FileManager.default.removeItem(at: corpus.appendingPathComponent(name)) }
        #expect(try load("both removed") == nil)
        #expect(try !beside("added"))
        // Many added: the snapshot is written again with them in it.
        let many = CorpusLoader.addedLimit(kept: kept) + 1
        let text = try String(contentsOf: corpus.appendingPathComponent("000_964d059a952dc952.txt"), encoding: .utf8)
        for n in 0..<many { try write("zz-\(1000 + n).txt", text) }
        #expect(try load("many added") == "snapshot updated: \(many) articles extracted, \(kept) articles kept from it")
        #expect(try beside("state") && !beside("added"))
        #expect(try load("a reload") == nil)
    }

    /// A state or added articles that do not belong to the snapshot, or are damaged, are not used.
    @Test func aDamagedStateIsNotUsed() throws {
        let (dir, corpus) = try Self.copies(of: ["seeds"], named: "coopq-added-bad")
        defer { try? FileManager.default.removeItem(at: dir) }
        let cache = CorpusLoader.SnapshotCache(directory: dir.appendingPathComponent("cache").path, extractorIdentity: "test")
        _ = try CorpusLoader.load([corpus.path], cache: cache)
        let state = try FileManager.default.contentsOfDirectory(atPath: cache.directory).first { $0.hasSuffix(".state") }!
        let path = cache.directory + "/" + state
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        bytes[bytes.count / 2] ^= 0xFF
        try bytes.write(to: URL(fileURLWithPath: path))
        try "A new article.\n".write(to: corpus.appendingPathComponent("new.txt"), atomically: true, encoding: .utf8)
        let loaded = try CorpusLoader.load([corpus.path], cache: cache)
        // Assembled from every article's record instead.
        #expect(loaded.snapshotNote == "snapshot updated: 1 article extracted, 5 articles kept from it")
        let full = try CorpusLoader.load([corpus.path], cache: nil)
        let same = Snapshot.encode(loaded.corpus, manifest: "m") == Snapshot.encode(full.corpus, manifest: "m")
        #expect(same)
        // The added article's file damaged: extracted again.
        try "Another new article.\n".write(to: corpus.appendingPathComponent("newer.txt"), atomically: true, encoding: .utf8)
        #expect(try CorpusLoader.load([corpus.path], cache: cache).snapshotNote == "snapshot updated: 1 article extracted, 6 articles kept from it")
        let added = try FileManager.default.contentsOfDirectory(atPath: cache.directory).first { $0.hasSuffix(".added") }!
        var kept = try Data(contentsOf: URL(fileURLWithPath: cache.directory + "/" + added))
        kept[kept.count - 20] ^= 0xFF
        try kept.write(to: URL(fileURLWithPath: cache.directory + "/" + added))
        try "A third.\n".write(to: corpus.appendingPathComponent("newest.txt"), atomically: true, encoding: .utf8)
        #expect(try CorpusLoader.load([corpus.path], cache: cache).snapshotNote == "snapshot updated: 2 articles extracted, 6 articles kept from it")
    }

    /// Records that do not belong to the snapshot beside them, or are damaged, are not used: the
    /// load extracts every article, and says why.
    @Test func recordsThatDoNotMatchAreNotUsed() throws {
        let (dir, corpus) = try Self.copies(of: ["seeds"], named: "coopq-records-bad")
        defer { try? FileManager.default.removeItem(at: dir) }
        let env = ["XDG_CACHE_HOME": dir.appendingPathComponent("cache").path]
        let query = ["--corpus", corpus.path, "--format", "csv", "-e", "count events"]
        let first = try coopq(query, environment: env)
        let cache = dir.appendingPathComponent("cache/coopq")
        let records = try FileManager.default.contentsOfDirectory(atPath: cache.path).first { $0.hasSuffix(".articles") }!
        var bytes = try Data(contentsOf: cache.appendingPathComponent(records))
        bytes[bytes.count / 2] ^= 0xFF
        try bytes.write(to: cache.appendingPathComponent(records))
        // (Named to come first: an article listed after all the others is assembled onto the snapshot's corpus, records or none.)
        try "A new article.\n".write(to: corpus.appendingPathComponent("0-new.txt"), atomically: true, encoding: .utf8)
        let second = try coopq(query, environment: env)
        #expect(second.stdout == first.stdout)
        #expect(second.stderr.contains("snapshot not used (the articles changed, and it keeps no records of them); rebuilt"), "\(second.stderr)")
        // Rebuilt, the records are whole again and used by the next change.
        try FileManager.default.removeItem(at: corpus.appendingPathComponent("0-new.txt"))
        let third = try coopq(query, environment: env)
        #expect(third.stdout == first.stdout)
        #expect(third.stderr.contains("snapshot updated: 0 articles extracted"), "\(third.stderr)")
    }

    /// Another extractor (another build, or other word lists) uses none of the records: every
    /// article is extracted again.
    @Test func anotherExtractorUsesNoRecords() throws {
        let (dir, corpus) = try Self.copies(of: ["seeds"], named: "coopq-records-other")
        defer { try? FileManager.default.removeItem(at: dir) }
        let cache = dir.appendingPathComponent("cache").path
        let first = try CorpusLoader.load([corpus.path], cache: .init(directory: cache, extractorIdentity: "one"))
        #expect(first.snapshotNote == nil)
        try "A new article.\n".write(to: corpus.appendingPathComponent("new.txt"), atomically: true, encoding: .utf8)
        let same = try CorpusLoader.load([corpus.path], cache: .init(directory: cache, extractorIdentity: "one"))
        #expect(same.snapshotNote?.hasPrefix("snapshot updated: 1 article extracted") == true, "\(same.snapshotNote ?? "")")
        try "Another new article.\n".write(to: corpus.appendingPathComponent("newer.txt"), atomically: true, encoding: .utf8)
        let other = try CorpusLoader.load([corpus.path], cache: .init(directory: cache, extractorIdentity: "two"))
        #expect(other.snapshotNote == "snapshot not used (the articles or the extractor changed); rebuilt")
        #expect(other.corpus.documents.count == first.corpus.documents.count + 2)
        let full = try CorpusLoader.load([corpus.path], cache: nil).corpus
        let alike = Snapshot.encode(other.corpus, manifest: "m") == Snapshot.encode(full, manifest: "m")
        #expect(alike)
    }
}
