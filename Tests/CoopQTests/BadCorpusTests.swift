@testable import CoopQ
import Foundation
import Testing

/// A folder with every kind of bad file: each loads with what can be extracted, or is skipped
/// with a one-line warning naming it; the rest of the corpus always loads.
@Test func badFilesLoadOrAreSkippedWithAWarning() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("coopq-bad-\(UUID().uuidString)")
    let fm = FileManager.default
    try fm.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? fm.removeItem(at: dir) }
    let article = try String(contentsOf: Fixture.root.appendingPathComponent("seeds/003_43b137276f00a399.txt"), encoding: .utf8)
    try fm.copyItem(at: Fixture.root.appendingPathComponent("seeds/000_964d059a952dc952.txt"), to: dir.appendingPathComponent("good.txt"))
    try Data().write(to: dir.appendingPathComponent("empty.txt"))
    try Data([0x7F, 0x45, 0x4C, 0x46, 0, 0, 0, 1, 2, 3] + Array(repeating: 0, count: 100)).write(to: dir.appendingPathComponent("binary.txt"))
    try Data(Array("HANGZHOU, Nov. 3 (Xinhua) -- Chinese Premier Li Qiang met ".utf8) + [0xC3, 0x28, 0xFF, 0xFE] + Array(" Mikhail Mishustin.".utf8))
        .write(to: dir.appendingPathComponent("invalid-utf8.txt"))
    try Data([0xEF, 0xBB, 0xBF] + Array(article.utf8)).write(to: dir.appendingPathComponent("bom.txt"))
    try Data(article.replacingOccurrences(of: "\n", with: "\r\n").utf8).write(to: dir.appendingPathComponent("crlf.txt"))
    try "Premier Li Qiang met Russian Prime Minister Mikhail Mishustin in Moscow.".write(to: dir.appendingPathComponent("no-header.txt"), atomically: true, encoding: .utf8)
    // A long article: the seeds' paragraphs over and over (the suite keeps it to 3 MB; 50 MB is measured by hand).
    let paragraphs = article.components(separatedBy: "\n\n")
    var long = "A long article\n\n"
    while long.utf8.count < 3_000_000 { long += paragraphs.joined(separator: "\n\n") + "\n\n" }
    try long.write(to: dir.appendingPathComponent("long.txt"), atomically: true, encoding: .utf8)
    try "not an article".write(to: dir.appendingPathComponent("notes.md"), atomically: true, encoding: .utf8)
    try fm.createDirectory(at: dir.appendingPathComponent("sub"), withIntermediateDirectories: true)
    try fm.createSymbolicLink(atPath: dir.appendingPathComponent("sub/loop").path, withDestinationPath: dir.path)
    try fm.createSymbolicLink(atPath: dir.appendingPathComponent("dangling.txt").path, withDestinationPath: "/nonexistent/x.txt")
    // A FIFO named .txt: skipped as no regular file, never waited on.
    #expect(mkfifo(dir.appendingPathComponent("pipe.txt").path, 0o644) == 0)
    let unreadable = dir.appendingPathComponent("unreadable.txt")
    try "text".write(to: unreadable, atomically: true, encoding: .utf8)
    chmod(unreadable.path, 0)
    let root = geteuid() == 0  // root reads anything: the unreadable file then loads

    let run = try coopq(["--corpus", dir.path, "--no-cache", "--format", "csv", "-e", "documents select id order by id"])
    #expect(run.status == 0, "\(run.stderr)")
    var loaded = ["bom", "crlf", "empty", "good", "invalid-utf8", "long", "no-header"]
    if root { loaded.append("unreadable") }
    #expect(lines(run.stdout) == ["id"] + loaded.sorted())
    let warnings = run.stderr.split(separator: "\n").map(String.init)
    #expect(warnings.contains { $0.hasPrefix("coopq: warning: ") && $0.contains("binary.txt") && $0.contains("skipped") }, "\(run.stderr)")
    #expect(warnings.contains { $0.contains("dangling.txt") && $0.contains("skipped") }, "\(run.stderr)")
    #expect(warnings.contains { $0.contains("pipe.txt") && $0.contains("is not a regular file; skipped") }, "\(run.stderr)")
    // Listed with stat for a snapshot's manifest, the same files load and the same are skipped.
    let cache = dir.appendingPathComponent("sub/cache")
    let cached = try coopq(["--corpus", dir.path, "--format", "csv", "-e", "documents select id order by id"], environment: ["XDG_CACHE_HOME": cache.path])
    #expect(cached.stdout == run.stdout, "\(cached.stderr)")
    #expect(cached.stderr.contains("pipe.txt") && cached.stderr.contains("is not a regular file; skipped"), "\(cached.stderr)")
    if !root { #expect(warnings.contains { $0.contains("unreadable.txt") }) }
    #expect(warnings.allSatisfy { $0.hasPrefix("coopq: warning: ") }, "\(run.stderr)")

    // What can be extracted is: the BOM and CRLF copies read as the original does.
    let people = try coopq(["--corpus", dir.path, "--no-cache", "--format", "csv", "-e",
                            "people where name = \"Mikhail Mishustin\" select documents"])
    let documents = lines(people.stdout).dropFirst().first ?? ""
    for id in ["bom", "crlf", "invalid-utf8", "no-header", "long"] { #expect(documents.contains(id), "\(id) in \(documents)") }
    let bom = try coopq(["--corpus", dir.path, "--no-cache", "--format", "csv", "-e", "documents where id = \"bom\" select title, date, source, place"])
    #expect(lines(bom.stdout).last == "\"Chinese, Russian heads of gov't hold regular meeting, eyeing closer all-round cooperation\",2025-11-04,Xinhua,Hangzhou")

    // An empty folder: a warning, and an empty corpus to ask.
    let empty = dir.appendingPathComponent("sub/empty-folder")
    try fm.createDirectory(at: empty, withIntermediateDirectories: true)
    let none = try coopq(["--corpus", empty.path, "--format", "csv", "-e", "count documents"])
    #expect(none.status == 0)
    #expect(none.stdout == "count\r\n0\r\n")
    #expect(none.stderr.contains("no .txt articles"))
}

/// A write that fails (here, past a file-size limit) leaves the old file as it was, and says so.
@Test func failedWritesLeaveOldFilesIntact() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("coopq-full-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let db = dir.appendingPathComponent("model.sqlite").path
    let folder = dir.appendingPathComponent("tables").path
    #expect(try coopq(["--export", db, "-e", "count documents"]).status == 0)
    #expect(try coopq(["--export", folder, "-e", "count documents"]).status == 0)
    let before = try Data(contentsOf: URL(fileURLWithPath: db))
    let csvBefore = try Data(contentsOf: URL(fileURLWithPath: folder + "/documents.csv"))
    // ulimit -f 4: files of at most 4 blocks (2 KB) may be written. ThreadSanitizer's runtime writes
    // files of its own and dies under such a limit, so a TSan build skips this part.
    for target in [db, folder] where !Fixture.binary.path.contains(".build-tsan") {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", "ulimit -f 4; exec \"$0\" --export \"$1\" -e 'count documents'", Fixture.binary.path, target]
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        process.environment = ["NO_COLOR": "1", "XDG_CACHE_HOME": Fixture.cacheHome]
        try process.run()
        process.waitUntilExit()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 1, "\(target): \(message)")
        #expect(message.contains("cannot write"), "\(message)")
    }
    #expect(try Data(contentsOf: URL(fileURLWithPath: db)) == before)
    #expect(try Data(contentsOf: URL(fileURLWithPath: folder + "/documents.csv")) == csvBefore)
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains("tmp") }
    #expect(leftovers.isEmpty, "\(leftovers)")

    // The same for the history file and any atomic write: a directory in the way fails cleanly.
    let blocked = dir.appendingPathComponent("blocked")
    try FileManager.default.createDirectory(at: blocked, withIntermediateDirectories: true)
    #expect(throws: AtomicFile.WriteError.self) { try AtomicFile.write(Array("x".utf8), to: blocked.path) }
    #expect(throws: AtomicFile.WriteError.self) { try AtomicFile.write(Array("x".utf8), to: "/nonexistent/dir/file") }
}

/// Which files of a folder are articles, and the id each gets: the name without its extension.
@Test(arguments: [
    ("xian-forum.txt", true, "xian-forum"),
    ("2025/11/XIAN-FORUM.TXT", true, "XIAN-FORUM"),
    ("a.b.Txt", true, "a.b"),
    ("notes.md", false, "notes"),
    ("txt", false, "txt"),
    ("archive.txt.gz", false, "archive.txt"),
    ("Москва/встреча.txt", true, "встреча"),
])
func articleFilesAndTheirIDs(path: String, isArticle: Bool, id: String) {
    let name = path.split(separator: "/").last.map(String.init) ?? path
    #expect(CorpusLoader.isTextFileName(name) == isArticle)
    #expect(CorpusLoader.articleID(path) == id)
}

/// A file is read whole whatever size its listing gave: the size it has, a size it has grown past
/// since, a size it has shrunk below, and none.
@Test(arguments: [0, 1, 4096, 10_000] as [Int])
func aFileIsReadWholeWhateverTheListedSize(length: Int) throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("coopq-read-\(UUID().uuidString).txt").path
    let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 % 251 + 1) }
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    defer { try? FileManager.default.removeItem(atPath: path) }
    for listed in Set([length, max(0, length - 1), length / 2, 0, length + 1, length + 5000]) {
        #expect(CorpusLoader.readFile(path, size: listed) == .success(bytes), "listed \(listed)")
    }
    #expect(CorpusLoader.readFile(path) == .success(bytes))
}

/// A file name that is not UTF-8 is an article like any other (opened by its own bytes, shown
/// with `\xNN`); a `.txt` link leaving the corpus folder is skipped with a warning unless
/// `--follow-links`.
@Test func byteNamesAndLinksLeavingTheCorpus() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("coopq-names-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let corpus = dir + "/corpus"
    try FileManager.default.createDirectory(atPath: corpus + "/inner", withIntermediateDirectories: true)
    let article = try Data(contentsOf: Fixture.root.appendingPathComponent("seeds").appendingPathComponent(
        try #require(try FileManager.default.contentsOfDirectory(atPath: Fixture.root.path + "/seeds").first { $0.hasSuffix(".txt") })))
    // "caf\xE9.txt": Latin-1, not UTF-8.
    let latin1 = Array(corpus.utf8) + Array("/caf".utf8) + [0xE9] + Array(".txt".utf8) + [0]
    let fd = latin1.withUnsafeBufferPointer { $0.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_WRONLY | O_CREAT, 0o644) } }
    #expect(fd >= 0)
    _ = article.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    close(fd)
    let secret = dir + "/private.txt"
    try Data("MOSCOW, May 5 -- A private note naming Secretholder Ivanov.\n".utf8).write(to: URL(fileURLWithPath: secret))
    try FileManager.default.createSymbolicLink(atPath: corpus + "/leak.txt", withDestinationPath: secret)
    // A link inside the folder, to the Latin-1 name: read (twice, under two ids).
    let target = Array("../caf".utf8) + [0xE9] + Array(".txt".utf8) + [0]
    #expect(target.withUnsafeBufferPointer { $0.withMemoryRebound(to: CChar.self) { symlink($0.baseAddress!, corpus + "/inner/here.txt") } } == 0)

    let run = try coopq(["--corpus", corpus, "--no-cache", "--format", "csv", "-e", "documents select id"])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stderr == "coopq: warning: \(corpus)/leak.txt: is a link to a file outside the corpus folder; skipped (--follow-links reads it)\n")
    #expect(lines(run.stdout).sorted() == ["caf\u{10FFE9}", "here", "id"], "\(run.stdout)")
    let table = try coopq(["--corpus", corpus, "--no-cache", "-e", "documents select path"])
    #expect(table.stdout.contains("caf\\xE9.txt"), "\(table.stdout)")

    let followed = try coopq(["--corpus", corpus, "--no-cache", "--follow-links", "--format", "csv", "-e", "count documents"])
    #expect(followed.stderr.isEmpty, "\(followed.stderr)")
    #expect(lines(followed.stdout) == ["count", "3"])
}

/// A file far larger than any article (an archive or a dump named .txt) is skipped with a warning
/// that says why, rather than held at nine times its size while it is extracted as one article.
@Test func aFileTooLargeToBeAnArticleIsSkipped() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("coopq-huge-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    try Data("MOSCOW, May 5 -- Talks were held.\n".utf8).write(to: URL(fileURLWithPath: dir + "/small.txt"))
    // Sparse: 33 MB that take no room on disk.
    #expect(FileManager.default.createFile(atPath: dir + "/dump.txt", contents: nil))
    #expect(truncate(dir + "/dump.txt", 33 << 20) == 0)
    for extra in [["--no-cache"], []] {
        let run = try coopq(["--corpus", dir, "--format", "csv", "-e", "count documents"] + extra, environment: ["XDG_CACHE_HOME": dir + "/cache"])
        #expect(run.status == 0)
        #expect(run.stderr.contains("dump.txt: is larger than 32 MB, too large to be one article; skipped"), "\(run.stderr)")
        #expect(lines(run.stdout) == ["count", "1"])
    }
}
