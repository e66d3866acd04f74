import CoopQ
import Foundation
import Testing

/// The snapshot cache holds every article's text: its folder and files are its owner's alone,
/// whatever the articles' permissions, and a folder left open by an older build is closed.
@Test func theCacheIsPrivate() throws {
    let home = FileManager.default.temporaryDirectory.appendingPathComponent("coopq-cache-modes-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: home) }
    try FileManager.default.createDirectory(atPath: home + "/coopq", withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
    let corpus = Fixture.root.appendingPathComponent("Tests/CoopQTests/Fixtures/articles").path
    let run = try coopq(["--corpus", corpus, "-e", "count documents"], environment: ["XDG_CACHE_HOME": home])
    #expect(run.status == 0)
    func mode(_ path: String) throws -> Int { try (FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? -1 }
    #expect(try mode(home + "/coopq") == 0o700)
    let snapshots = try FileManager.default.contentsOfDirectory(atPath: home + "/coopq").filter { $0.hasSuffix(".snapshot") }
    #expect(!snapshots.isEmpty)
    for s in snapshots { #expect(try mode(home + "/coopq/" + s) == 0o600) }
}

/// A FIFO where the snapshot should be is turned away by its type, not waited on for ever: the
/// corpus is extracted again and the snapshot written in its place.
@Test func aFIFOAtTheSnapshotsPathIsNoHang() throws {
    let home = FileManager.default.temporaryDirectory.appendingPathComponent("coopq-cache-fifo-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: home) }
    let corpus = Fixture.root.appendingPathComponent("Tests/CoopQTests/Fixtures/articles").path
    #expect(try coopq(["--corpus", corpus, "-e", "count documents"], environment: ["XDG_CACHE_HOME": home]).status == 0)
    let snapshot = try #require(try FileManager.default.contentsOfDirectory(atPath: home + "/coopq").first { $0.hasSuffix(".snapshot") })
    let path = home + "/coopq/" + snapshot
    try FileManager.default.removeItem(atPath: path)
    #expect(mkfifo(path, 0o600) == 0)
    let bin = Fixture.binary.path
    let run = try coopq(["-c", "XDG_CACHE_HOME='\(home)' timeout 30 '\(bin)' --corpus '\(corpus)' -e 'count documents' --format csv"],
                        binary: URL(fileURLWithPath: "/bin/bash"))
    #expect(run.status == 0)
    #expect(lines(run.stdout) == ["count", "4"])
}

/// A sub-folder that cannot be read (here: its path is past the system's limit, which even root
/// cannot open) is named in a warning, and the load, which may miss articles, saves no snapshot.
@Test func anUnreadableSubfolderIsWarnedOfAndNotCached() throws {
    let top = FileManager.default.temporaryDirectory.appendingPathComponent("coopq-deep-\(UUID().uuidString)").path
    let home = top + "-cache"
    try FileManager.default.createDirectory(atPath: top, withIntermediateDirectories: true)
    // (rm removes a tree past PATH_MAX by descriptors, where FileManager cannot.)
    defer { _ = try? coopq(["-rf", top, home], binary: URL(fileURLWithPath: "/bin/rm")) }
    try Data("Forum\n2024-06-04\n\nThe forum opened.\n".utf8).write(to: URL(fileURLWithPath: top + "/a.txt"))
    // Folders nested by their descriptors past PATH_MAX, an article at the bottom.
    var fd = open(top, O_RDONLY | O_DIRECTORY)
    let name = String(repeating: "d", count: 200)
    for _ in 0..<25 {
        #expect(mkdirat(fd, name, 0o755) == 0)
        let next = openat(fd, name, O_RDONLY | O_DIRECTORY)
        close(fd)
        fd = next
    }
    let article = openat(fd, "deep.txt", O_WRONLY | O_CREAT, 0o644)
    close(article)
    close(fd)
    let run = try coopq(["--corpus", top, "-e", "count documents", "--format", "csv"], environment: ["XDG_CACHE_HOME": home])
    #expect(run.status == 0)
    #expect(lines(run.stdout) == ["count", "1"])
    #expect(run.stderr.contains("cannot be read (File name too long); its articles are skipped"))
    let snapshots = (try? FileManager.default.contentsOfDirectory(atPath: home + "/coopq")) ?? []
    #expect(!snapshots.contains { $0.hasSuffix(".snapshot") })
}

/// `coopq cache list|clear` shows and empties the snapshot cache; `COOPQ_CACHE_MAX` caps it,
/// the least recently used snapshots leaving first.
@Test func theCacheIsListedClearedAndCapped() throws {
    let home = FileManager.default.temporaryDirectory.appendingPathComponent("coopq-cachecmd-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: home) }
    var folders: [String] = []
    for name in ["a", "b"] {
        let folder = home + "/" + name
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try "Talks\n\nMOSCOW, May 5, 2024 (Xinhua) -- Talks were held in \(name).\n".write(toFile: folder + "/x.txt", atomically: true, encoding: .utf8)
        folders.append(folder)
    }
    let env = ["XDG_CACHE_HOME": home + "/cache"]
    for f in folders { #expect(try coopq(["--corpus", f, "-e", "count documents"], environment: env).status == 0) }
    let list = try coopq(["cache", "list"], environment: env)
    #expect(list.status == 0)
    #expect(list.stdout.contains("2 snapshots"), "\(list.stdout)")
    #expect(list.stdout.contains("1 articles  \(folders[0])") || list.stdout.contains("1 articles  /private\(folders[0])"), "\(list.stdout)")
    // A cap of one byte keeps only the snapshot just used.
    #expect(try coopq(["--corpus", folders[0], "-e", "count documents"], environment: env.merging(["COOPQ_CACHE_MAX": "1"]) { $1 }).status == 0)
    let capped = try coopq(["cache", "list"], environment: env)
    #expect(capped.stdout.contains("1 snapshot,"), "\(capped.stdout)")
    #expect(capped.stdout.contains(folders[0]), "\(capped.stdout)")
    // A snapshot leaves with what is kept beside it: its articles' records, its assembly's state,
    // and the articles added to it since.
    let files = { try FileManager.default.contentsOfDirectory(atPath: home + "/cache/coopq").map { ($0 as NSString).pathExtension }.sorted() }
    #expect(try files() == ["articles", "snapshot", "state"])
    try "Talks\n\nMOSCOW, May 6, 2024 (Xinhua) -- More talks were held.\n".write(toFile: folders[0] + "/y.txt", atomically: true, encoding: .utf8)
    #expect(try coopq(["--corpus", folders[0], "-e", "count documents"], environment: env).stdout.contains("2"))
    #expect(try files() == ["added", "articles", "snapshot", "state"])
    let cleared = try coopq(["cache", "clear"], environment: env)
    #expect(cleared.stdout.hasPrefix("removed 1 snapshot"), "\(cleared.stdout)")
    #expect(try coopq(["cache", "list"], environment: env).stdout.contains("0 snapshots"))
    #expect(try files() == [])
    #expect(SnapshotFolder.limit("512M") == 512 << 20)
    #expect(SnapshotFolder.limit("lots") == nil)
}
