import Foundation

/// The snapshot cache as a user sees it (`coopq cache list|clear`): each snapshot holds a full
/// copy of a corpus's texts, so the folder can be listed, cleared, and is kept under a size.
public enum SnapshotFolder {
    public struct Entry: Sendable {
        public var path: String
        public var bytes: Int
        /// When it was last written or used (its access time, else its mtime).
        public var used: Date
        /// How many articles it holds, and the folder of its first.
        public var articles: Int
        public var folder: String?
    }

    /// The default cap on the folder's size: `COOPQ_CACHE_MAX` (bytes, or a number with K, M or
    /// G) overrides it.
    public static let defaultLimit = 4 << 30

    /// Parses `512M`, `4G`, `1000000`; nil when it is none of them.
    public static func limit(_ text: String) -> Int? {
        let units: [Character: Int] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30]
        var t = text.trimmingCharacters(in: .whitespaces).uppercased()
        var unit = 1
        if let last = t.last, let u = units[last] { unit = u; t.removeLast() }
        guard let n = Int(t), n >= 0 else { return nil }
        return n.multipliedReportingOverflow(by: unit).overflow ? nil : n * unit
    }

    /// The snapshots in `directory`, most recently used first; with `summaries`, each one's article
    /// count and folder, read from its manifest (which a trim does not need).
    public static func list(_ directory: String, summaries: Bool = true) -> [Entry] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        var entries: [Entry] = []
        for name in names where name.hasSuffix(".snapshot") {
            let path = directory + "/" + name
            var info = stat()
            guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
            let used = max(info.st_atim.tv_sec, info.st_mtim.tv_sec)
            let (articles, folder) = summaries ? manifestSummary(path) : (0, nil)
            // Its articles' records, its assembly's state and the articles added to it are part of it.
            let extra = companions(of: path).reduce(0) { sum, companion in
                var info = stat()
                return sum + (lstat(companion, &info) == 0 ? Int(info.st_size) : 0)
            }
            entries.append(Entry(path: path, bytes: Int(info.st_size) + extra, used: Date(timeIntervalSince1970: TimeInterval(used)),
                                 articles: articles, folder: folder))
        }
        return entries.sorted { $0.used > $1.used }
    }

    /// The files kept beside a snapshot: its articles' records (`ArticleRecords`), its assembly's
    /// state (`AssemblyState`) and the articles added to it (`AddedArticles`).
    static func companions(of snapshot: String) -> [String] {
        [ArticleRecords.path(ofSnapshot: snapshot), AssemblyState.file.path(ofSnapshot: snapshot), AddedArticles.file.path(ofSnapshot: snapshot)]
    }
    static let companionSuffixes = [".articles", AssemblyState.file.suffix, AddedArticles.file.suffix]

    /// Removes every snapshot, with the files kept beside it: how many, and their bytes. Such
    /// files whose snapshot is gone go too.
    @discardableResult
    public static func clear(_ directory: String) -> (removed: Int, bytes: Int) {
        var removed = 0, bytes = 0
        for e in list(directory, summaries: false) where remove(e.path) { removed += 1; bytes += e.bytes }
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] where companionSuffixes.contains(where: name.hasSuffix) {
            var info = stat()
            let path = directory + "/" + name
            if lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, unlink(path) == 0 { bytes += Int(info.st_size) }
        }
        return (removed, bytes)
    }

    /// Removes a snapshot and the files kept beside it; whether the snapshot went.
    static func remove(_ path: String) -> Bool {
        guard unlink(path) == 0 else { return false }
        for companion in companions(of: path) { unlink(companion) }
        return true
    }

    /// Marks a snapshot as used now (a file system may not keep access times).
    public static func touch(_ path: String) { _ = utimes(path, nil) }

    /// Removes the least recently used snapshots until the rest fit in `limit` bytes, never the
    /// one at `keeping` (the one this run used). The paths removed.
    @discardableResult
    public static func trim(_ directory: String, to limit: Int, keeping: String?) -> [String] {
        var entries = list(directory, summaries: false)
        var total = entries.reduce(0) { $0 + $1.bytes }
        var removed: [String] = []
        while total > limit, let oldest = entries.last {
            entries.removeLast()
            guard oldest.path != keeping else { continue }
            if remove(oldest.path) { total -= oldest.bytes; removed.append(oldest.path) }
        }
        return removed
    }

    /// The article count and the first article's folder, read from the manifest at the head of
    /// the file (a line a file, after three lines of what made it).
    static func manifestSummary(_ path: String) -> (articles: Int, folder: String?) {
        guard let handle = FileHandle(forReadingAtPath: path) else { return (0, nil) }
        defer { try? handle.close() }
        guard let head = try? handle.read(upToCount: 64), head.count > 10 else { return (0, nil) }
        var position = Snapshot.magic.count
        func varint() -> Int? {
            var v = 0, shift = 0
            while position < head.count, shift < 63 {
                let b = head[head.startIndex + position]
                position += 1
                v |= Int(b & 0x7F) << shift
                if b < 0x80 { return v }
                shift += 7
            }
            return nil
        }
        guard varint() != nil, let length = varint(), length < 1 << 30 else { return (0, nil) }
        try? handle.seek(toOffset: UInt64(position))
        guard let manifest = try? handle.read(upToCount: length) else { return (0, nil) }
        var lines = 0
        var first: String?
        for line in manifest.split(separator: 0x0A) {
            lines += 1
            // A file's line: its path, a tab, its size and times.
            if first == nil, lines > 3, let tab = line.firstIndex(of: 0x09) {
                let file = String(decoding: line[line.startIndex..<tab], as: UTF8.self)
                first = (file as NSString).deletingLastPathComponent
            }
        }
        return (max(0, lines - 3), first)
    }
}
