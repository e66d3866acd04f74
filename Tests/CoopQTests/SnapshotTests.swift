@testable import CoopQ
import BundledCorpus
import Foundation
import Testing

/// Every collection, row for row, the same after a round trip through a snapshot.
@Test func snapshotRoundTripKeepsEverything() throws {
    let bytes = Snapshot.encode(Fixture.corpus, manifest: "m")
    let back = try Snapshot.decode(bytes, manifest: "m")
    for c in Collection.allCases {
        #expect(back.table(c).rows == Fixture.corpus.table(c).rows, "\(c)")
    }
    #expect(back.aliases == Fixture.corpus.aliases)
}

/// A snapshot is never trusted when it does not match: another manifest, a flipped byte
/// anywhere, a truncated file, or something that is not a snapshot.
@Test func snapshotRefusesWhatDoesNotMatch() {
    let bytes = Snapshot.encode(Fixture.corpus, manifest: "m")
    #expect(throws: Snapshot.Invalid.self) { try Snapshot.decode(bytes, manifest: "other") }
    for position in stride(from: 0, to: bytes.count, by: max(1, bytes.count / 97)) {
        var damaged = bytes
        damaged[position] ^= 0x5A
        #expect(throws: Snapshot.Invalid.self, "a flipped byte at \(position)") { try Snapshot.decode(damaged, manifest: "m") }
    }
    #expect(throws: Snapshot.Invalid.self) { try Snapshot.decode(Array(bytes.dropLast(10)), manifest: "m") }
    #expect(throws: Snapshot.Invalid.self) { try Snapshot.decode(Array("hello".utf8), manifest: "m") }
    #expect(throws: Snapshot.Invalid.self) { try Snapshot.decode([], manifest: "m") }
}

/// The binary loads a folder once by extraction, then from its snapshot; a changed article,
/// or a damaged snapshot, makes it extract again, with the same answers each time.
@Test func snapshotCacheIsUsedAndRebuilt() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("coopq-snap-\(UUID().uuidString)")
    let cache = FileManager.default.temporaryDirectory.appendingPathComponent("coopq-snap-cache-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir); try? FileManager.default.removeItem(at: cache) }
    for file in try FileManager.default.contentsOfDirectory(atPath: Fixture.root.appendingPathComponent("seeds").path) {
        try FileManager.default.copyItem(at: Fixture.root.appendingPathComponent("seeds/" + file), to: dir.appendingPathComponent(file))
    }
    let env = ["XDG_CACHE_HOME": cache.path]
    let query = ["--corpus", dir.path, "--format", "csv", "-e", "count events", "-e", "people where name = 'Li Qiang' select documents"]
    let first = try coopq(query, environment: env)
    #expect(first.status == 0)
    let snapshots = try FileManager.default.contentsOfDirectory(atPath: cache.appendingPathComponent("coopq").path).filter { $0.hasSuffix(".snapshot") }
    #expect(snapshots.count == 1)
    let second = try coopq(query, environment: env)
    #expect(second.stdout == first.stdout)
    #expect(second.stderr == "")

    // A damaged snapshot is rebuilt, and says so.
    let snapshot = cache.appendingPathComponent("coopq/" + snapshots[0])
    var bytes = try Data(contentsOf: snapshot)
    bytes[bytes.count - 40] ^= 0xFF
    try bytes.write(to: snapshot)
    let third = try coopq(query, environment: env)
    #expect(third.stdout == first.stdout)
    #expect(third.stderr.contains("snapshot not used"))

    // A changed article is extracted again.
    try "HARBIN, June 15. /TASS/. Russian Deputy Prime Minister Yury Trutnev opened the 9th China-Russia Expo in Harbin on Saturday."
        .write(to: dir.appendingPathComponent("extra.txt"), atomically: true, encoding: .utf8)
    let fourth = try coopq(["--corpus", dir.path, "--format", "csv", "-e", "count documents"], environment: env)
    #expect(fourth.stdout == "count\r\n6\r\n")
    let fifth = try coopq(["--corpus", dir.path, "--format", "csv", "--no-cache", "-e", "count documents"], environment: env)
    #expect(fifth.stdout == "count\r\n6\r\n")
}

/// The committed snapshot of the seeds is what the current extractor and lexicons make of them.
@Test func bundledSnapshotIsCurrent() throws {
    let current = Snapshot.encode(Fixture.corpus, manifest: CorpusLoader.bundledManifest)
    // (Compared as a Bool: a failure prints the message, not two arrays of half a megabyte.)
    let same = BundledCorpus.snapshot == current
    #expect(same, "Sources/BundledCorpus/SeedSnapshot.swift is stale: run make snapshot")
    guard same else { return }
    let decoded = try Snapshot.decode(BundledCorpus.snapshot, manifest: CorpusLoader.bundledManifest)
    #expect(decoded.table(.events).rows == Fixture.corpus.table(.events).rows)
}

/// Ingestion in many small batches, each assembled while the next is extracted, gives the same
/// corpus, byte for byte, as one batch (the same snapshot), warnings in the same order.
@Test func batchesAssembledWhileTheNextIsExtractedGiveTheSameCorpus() throws {
    let folders = [Fixture.root.appendingPathComponent("seeds").path,
                   Fixture.root.appendingPathComponent("Tests/CoopQTests/Fixtures/articles").path]
    let (articles, _) = try CorpusLoader.articles(in: folders)
    #expect(articles.count > 5)
    @Sendable func article(_ i: Int) -> Result<CorpusLoader.Article, LoadWarning> {
        i % 7 == 3 ? .failure(LoadWarning(path: "a\(i)", reason: "skipped")) : .success(articles[i])
    }
    let whole = CorpusLoader.extractAll(count: articles.count, batchSize: articles.count, article: article)
    for size in [1, 2, 3, 5] {
        let batched = CorpusLoader.extractAll(count: articles.count, batchSize: size, article: article)
        #expect(Snapshot.encode(batched.corpus, manifest: "m") == Snapshot.encode(whole.corpus, manifest: "m"), "batches of \(size)")
        #expect(batched.warnings.map(\.path) == whole.warnings.map(\.path))
    }
}

/// The manifest written from bytes says, character for character, what the interpolated lines
/// say: each file's path, size, mtime, inode and ctime.
@Test func manifestLinesAreThePathSizeMtimeInodeAndCtime() {
    let files = [CorpusLoader.ArticleFile(id: "a", path: "/tmp/x/a.txt", size: 0, modified: 0),
                 CorpusLoader.ArticleFile(id: "b", path: "/tmp/Xi’an/b c.txt", size: 123_456, modified: 1_763_000_000_123_456_789,
                                          inode: 9_876_543, changed: 1_763_000_001_000_000_001),
                 CorpusLoader.ArticleFile(id: "c", path: "c.txt", size: 7, modified: -1_000_000_001)]
    var expected = "coopq snapshot\nextractor E\nlexicons \(Lexicon.fingerprint)\n"
    for f in files { expected += "\(f.path)\t\(f.size)\t\(f.modified)\t\(f.inode)\t\(f.changed)\n" }
    #expect(CorpusLoader.manifestText(files, extractor: "E") == expected)
}

/// Many strings of one length (so that a string's first word, its count and flags, is the same
/// for all), written many times from storage of their own and from shared storage, come back
/// each as itself: the writer's numbers for strings it has seen are never another's.
@Test func snapshotNumbersEveryStringAsItself() throws {
    var corpus = Corpus()
    let names = (0..<150_000).map { String(format: "participant number %06d", $0) }
    for i in stride(from: 0, to: names.count, by: 3) {
        var e = Event(name: names[i], kind: "forum", ordinal: nil, series: nil, date: nil, dateText: nil, place: nil, region: nil, country: nil)
        // Shared storage, and a copy with storage of its own, of the same and of nearby names.
        e.participants = [names[i], String(decoding: Array(names[i].utf8), as: UTF8.self), names[(i * 7919) % names.count], names[i + 1], names[i + 2]]
        corpus.events.append(e)
    }
    let back = try Snapshot.decode(Snapshot.encode(corpus, manifest: "m"), manifest: "m")
    #expect(back.events.count == corpus.events.count)
    let wrong = (0..<min(back.events.count, corpus.events.count)).filter {
        back.events[$0].name != corpus.events[$0].name || back.events[$0].participants != corpus.events[$0].participants
    }
    #expect(wrong.count == 0, "events differ, the first: \(wrong.first.map { "\(back.events[$0].name): \(back.events[$0].participants)" } ?? "")")
}

/// An article edited to the same size, its mtime put back, is no longer answered from the old
/// snapshot: its ctime changed.
@Test func anEditThatKeepsSizeAndMtimeRebuildsTheSnapshot() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("coopq-ctime-\(UUID().uuidString)").path
    let home = dir + "-cache"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir); try? FileManager.default.removeItem(atPath: home) }
    let path = dir + "/a.txt"
    try Data("Forum in Harbin\n2024-06-04\n\nThe forum opened.\n".utf8).write(to: URL(fileURLWithPath: path))
    let first = try coopq(["--corpus", dir, "-e", "documents select title", "--format", "csv"], environment: ["XDG_CACHE_HOME": home])
    #expect(lines(first.stdout) == ["title", "Forum in Harbin"])
    var before = stat()
    #expect(stat(path, &before) == 0)
    usleep(20_000)
    try Data("Forum in Kazan!\n2024-06-04\n\nThe forum opened.\n".utf8).write(to: URL(fileURLWithPath: path))
    // The old mtime put back to the nanosecond, as `touch -d` or a restore from a backup does.
    var times = [before.st_atim, before.st_mtim]
    #expect(utimensat(AT_FDCWD, path, &times, 0) == 0)
    let second = try coopq(["--corpus", dir, "-e", "documents select title", "--format", "csv"], environment: ["XDG_CACHE_HOME": home])
    #expect(lines(second.stdout) == ["title", "Forum in Kazan!"])
}

/// One folder named three ways is one snapshot's: the second and third loads are answered from it,
/// with no note that it was rebuilt.
@Test func oneFolderUnderThreeNamesIsOneSnapshot() throws {
    let home = FileManager.default.temporaryDirectory.appendingPathComponent("coopq-spellings-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: home) }
    let relative = "Tests/CoopQTests/Fixtures/articles"
    var notes: [String] = []
    for spelling in [relative, "./" + relative, Fixture.root.path + "/" + relative] {
        let run = try coopq(["--corpus", spelling, "-e", "count documents"], environment: ["XDG_CACHE_HOME": home], directory: Fixture.root)
        #expect(run.status == 0)
        notes.append(run.stderr)
    }
    let later = Array(notes.dropFirst())
    #expect(later == ["", ""])
}
