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
