@testable import CoopQ
import Foundation
import Testing

/// A file rewritten whole keeps what the user set on it: its mode, and the link it is reached by.
@Suite struct AtomicRewrites {
    static func folder() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("coopq-atomic-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    static func mode(_ path: String) -> Int { ((try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int) ?? -1 }

    @Test func aPrivateFileStaysPrivate() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/history"
        try Data("old\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect(chmod(path, 0o600) == 0)
        try AtomicFile.write(Array("new\n".utf8), to: path)
        #expect(Self.mode(path) == 0o600)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "new\n")
    }

    @Test func aNewHistoryIsItsOwners() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var history = HistoryStore(path: dir + "/history")
        try history.add("events")
        #expect(Self.mode(dir + "/history") == 0o600)
    }

    @Test func aLinkIsWrittenThrough() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/dotfiles", withIntermediateDirectories: true)
        try Data("old\n".utf8).write(to: URL(fileURLWithPath: dir + "/dotfiles/history"))
        try FileManager.default.createSymbolicLink(atPath: dir + "/history", withDestinationPath: "dotfiles/history")
        try AtomicFile.write(Array("new\n".utf8), to: dir + "/history")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: dir + "/history") == "dotfiles/history")
        #expect(try String(contentsOfFile: dir + "/dotfiles/history", encoding: .utf8) == "new\n")
    }
}

/// Shells saving one history at once lose no entry: each reads, merges and writes under a lock.
@Test func shellsSavingAtOnceLoseNoEntry() throws {
    let dir = try AtomicRewrites.folder()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let path = dir + "/history"
    DispatchQueue.concurrentPerform(iterations: 4) { shell in
        var history = HistoryStore(path: path)
        for k in 0..<50 { try? history.add("count events -- shell \(shell), entry \(k)") }
    }
    #expect(HistoryStore(path: path).entries.count == 200)
}

/// What writes killed half-way left beside a file is removed by the next write of it; a live
/// writer's is left alone.
@Test func leftoversOfKilledWritesAreRemoved() throws {
    let dir = try AtomicRewrites.folder()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    // A process that has ended: its pid names leftovers no one is writing.
    let ended = Process()
    ended.executableURL = URL(fileURLWithPath: "/bin/true")
    try ended.run()
    ended.waitUntilExit()
    let dead = ended.processIdentifier
    for name in [".history.tmp-\(dead)-42", "history.tmp-\(dead)", ".history.tmp-1-7"] {
        try Data("torn".utf8).write(to: URL(fileURLWithPath: dir + "/" + name))
    }
    try AtomicFile.write(Array("new\n".utf8), to: dir + "/history")
    let left = Set(try FileManager.default.contentsOfDirectory(atPath: dir))
    #expect(left == ["history", ".history.tmp-1-7"])
}

/// A megabyte pasted by mistake is run, not kept in the history that every statement rewrites.
@Test func aPastedMegabyteIsNotKeptInHistory() throws {
    let dir = try AtomicRewrites.folder()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    var history = HistoryStore(path: dir + "/history")
    try history.add("events where year = 2025")
    try history.add("search \"" + String(repeating: "x", count: 1 << 20) + "\"")
    try history.add("count events")
    #expect(HistoryStore(path: dir + "/history").entries == ["events where year = 2025", "count events"])
}
