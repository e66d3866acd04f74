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
