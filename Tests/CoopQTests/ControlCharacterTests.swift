import Foundation
import Testing

/// Control characters in an article's text or a file's name reach a person escaped, never raw:
/// a table shows `\e]0;...\x07`, JSON keeps the data, and a name with a newline forges no line.
@Suite struct ControlCharacters {
    static func folder(_ files: [String: String]) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("coopq-controls-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for (name, text) in files { try Data(text.utf8).write(to: URL(fileURLWithPath: dir + "/" + name)) }
        return dir
    }

    @Test func aTitleWithTerminalEscapesIsShownEscaped() throws {
        let dir = try Self.folder(["a.txt": "Title \u{1B}]0;pwned\u{07} and \u{1B}[2J here\n2024-06-04\n\nThe forum opened.\n"])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let table = try coopq(["--no-cache", "--corpus", dir, "-e", "documents select title"])
        #expect(!table.stdout.utf8.contains(0x1B))
        #expect(table.stdout.contains("Title \\e]0;pwned\\x07 and \\e[2J here"))
        let json = try coopq(["--no-cache", "--corpus", dir, "-e", "documents select title", "--format", "json"])
        #expect(json.stdout.contains("\\u001b]0;pwned\\u0007"))
    }

    @Test func aFileNameWithANewlineForgesNoLine() throws {
        let dir = try Self.folder(["a.txt": "Forum\n2024-06-04\n\nThe forum opened.\n"])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(mkfifo(dir + "/x\ncoopq: note: forged.txt", 0o600) == 0)
        let run = try coopq(["--no-cache", "--corpus", dir, "-e", "count documents"])
        #expect(run.status == 0)
        #expect(!run.stderr.split(separator: "\n").contains { $0.hasPrefix("coopq: note: forged") })
        #expect(run.stderr.contains("x\\ncoopq: note: forged.txt"))
    }
}
