import Foundation

/// The REPL's persistent history: one entry a line (a multi-line statement is one entry, its
/// line breaks written as `\n`), at most `capacity` entries. Every save re-reads the file and
/// adds this session's new entries to what is there, then writes atomically, under a lock, so
/// two shells at once lose no entry, and a terminal closed mid-session never leaves it torn.
public struct HistoryStore {
    public static let capacity = 2000
    public let path: String
    public private(set) var entries: [String] = []
    private var added: [String] = []

    /// `$COOPQ_HISTORY`, else `$XDG_STATE_HOME/coopq/history`, else `~/.coopq_history`.
    public static func defaultPath(environment: [String: String]) -> String {
        if let p = environment["COOPQ_HISTORY"], !p.isEmpty { return p }
        if let state = environment["XDG_STATE_HOME"], !state.isEmpty { return state + "/coopq/history" }
        return (environment["HOME"] ?? NSHomeDirectory()) + "/.coopq_history"
    }

    public init(path: String) {
        self.path = path
        entries = HistoryStore.read(path)
    }

    static func read(_ path: String) -> [String] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        return String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true).map { decode(String($0)) }
    }

    static func encode(_ entry: String) -> String {
        var out = ""
        for c in entry {
            switch c {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": break
            default: out.append(c)
            }
        }
        return out
    }

    static func decode(_ line: String) -> String {
        var out = ""
        var escaped = false
        for c in line {
            if escaped { out.append(c == "n" ? "\n" : c); escaped = false } else if c == "\\" { escaped = true } else { out.append(c) }
        }
        return out
    }

    /// The longest entry kept: a statement is short, and a megabyte pasted by mistake would be
    /// rewritten (and flushed to disk) with the whole history after every later statement.
    public static let longestEntry = 16 << 10

    /// Adds an entry (not a repeat of the last one, nor one over `longestEntry` bytes) and saves.
    public mutating func add(_ entry: String) throws(AtomicFile.WriteError) {
        guard entry.utf8.count <= HistoryStore.longestEntry else { return }
        let trimmed = entry.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, entries.last != trimmed else { return }
        entries.append(trimmed)
        added.append(trimmed)
        if entries.count > HistoryStore.capacity { entries.removeFirst(entries.count - HistoryStore.capacity) }
        try save()
    }

    /// Writes the file's current entries plus this session's, capped, atomically.
    public mutating func save() throws(AtomicFile.WriteError) {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty { try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        // Read, merge and write under a lock beside the file: two shells that save at once would
        // each write what they read, and one's entries would be lost.
        let lock = open(AtomicFile.resolvingLinks(path) + ".lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        if lock >= 0 { while flock(lock, LOCK_EX) != 0 && errno == EINTR {} }
        defer { if lock >= 0 { _ = flock(lock, LOCK_UN); close(lock) } }
        var merged = HistoryStore.read(path)
        for e in added where merged.last != e { merged.append(e) }
        if merged.count > HistoryStore.capacity { merged.removeFirst(merged.count - HistoryStore.capacity) }
        // A history is private: what was typed, searched and named.
        try AtomicFile.write(Array(merged.map { HistoryStore.encode($0) + "\n" }.joined().utf8), to: path, newFileMode: 0o600)
        added = []
    }
}
