import Foundation

/// A problem with one file of a corpus: it is skipped, and the rest loads.
public struct LoadWarning: Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { "\(path): \(reason)" }
}

/// A corpus folder that cannot be read at all: a usage error (exit status 2).
public struct CorpusError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// Reads articles into a corpus: every `.txt` file in the given folders (and their
/// sub-folders), or articles given as bytes (the bundled seeds).
public enum CorpusLoader {
    public struct Article: Sendable {
        public var id: String
        public var path: String
        public var bytes: [UInt8]
        public init(id: String, path: String, bytes: [UInt8]) { self.id = id; self.path = path; self.bytes = bytes }
    }

    /// Extracts and assembles a corpus from articles, in the order given.
    /// The manifest of the bundled seeds' snapshot: other lexicons make it stale.
    public static var bundledManifest: String { "coopq bundled seeds\nlexicons \(Lexicon.fingerprint)\n" }

    /// Extraction of each article is independent, so it runs on every core; assembly, which
    /// joins what the articles share, runs once after, in the articles' order.
    public static func corpus(from articles: [Article]) -> Corpus {
        let count = articles.count
        guard count > 8 else { return Extractor.assemble(articles.map { Extractor.extract(id: $0.id, path: $0.path, bytes: $0.bytes) }) }
        let results = UnsafeMutableBufferPointer<DocumentExtraction?>.allocate(capacity: count)
        results.initialize(repeating: nil)
        // Deinitialize before freeing: the extractions' arrays are released, not leaked
        // (LeakSanitizer found 40 MB leaked when they were only deallocated).
        defer {
            _ = results.deinitialize()
            results.deallocate()
        }
        let chunks = min(count, ProcessInfo.processInfo.activeProcessorCount * 8)
        nonisolated(unsafe) let slots = results
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            // Each chunk writes only its own slots.
            var i = chunk
            while i < count {
                let a = articles[i]
                slots[i] = Extractor.extract(id: a.id, path: a.path, bytes: a.bytes)
                i += chunks
            }
        }
        return Extractor.assemble(results.map { $0! })
    }

    /// An article file found in a corpus folder, before it is read.
    public struct ArticleFile: Sendable {
        public var id: String
        public var path: String
        public var size: Int
        public var modified: Int
    }

    /// What `load` did: the corpus, the files skipped, and whether the snapshot was used.
    public struct Loaded: Sendable {
        public var corpus: Corpus
        public var warnings: [LoadWarning]
        public var fromSnapshot: Bool
        /// Why the snapshot was not used or not saved, when it was asked for.
        public var snapshotNote: String?
    }

    /// Where snapshots are kept, and what identifies the extractor that wrote them.
    public struct SnapshotCache: Sendable {
        public var directory: String
        public var extractorIdentity: String
        public init(directory: String, extractorIdentity: String) {
            self.directory = directory
            self.extractorIdentity = extractorIdentity
        }
    }

    /// Loads the folders' articles: from the snapshot when no article changed (path, size,
    /// mtime) and the extractor is the same; else by extraction, writing the snapshot anew.
    public static func load(_ folders: [String], cache: SnapshotCache?) throws(CorpusError) -> Loaded {
        let (files, listWarnings) = try list(folders)
        var warnings = listWarnings
        guard let cache else {
            let (articles, readWarnings) = read(files)
            return Loaded(corpus: corpus(from: articles), warnings: warnings + readWarnings, fromSnapshot: false)
        }
        let absolute = folders.map { URL(fileURLWithPath: $0).standardizedFileURL.path }.sorted().joined(separator: "\n")
        let name = String(Snapshot.fnv1a(Array(absolute.utf8)), radix: 16) + ".snapshot"
        let path = (cache.directory as NSString).appendingPathComponent(name)
        var manifest = "coopq snapshot\nextractor \(cache.extractorIdentity)\nlexicons \(Lexicon.fingerprint)\n"
        for f in files { manifest += "\(f.path)\t\(f.size)\t\(f.modified)\n" }
        var note: String?
        if let data = FileManager.default.contents(atPath: path) {
            do {
                let corpus = try Snapshot.decode([UInt8](data), manifest: manifest)
                return Loaded(corpus: corpus, warnings: warnings, fromSnapshot: true)
            } catch {
                note = "snapshot not used (\(error.description)); rebuilt"
            }
        }
        let (articles, readWarnings) = read(files)
        warnings += readWarnings
        let built = corpus(from: articles)
        // Files that could not be read are not in the manifest's promise: do not cache a partial load.
        if readWarnings.isEmpty {
            do {
                try FileManager.default.createDirectory(atPath: cache.directory, withIntermediateDirectories: true)
                try AtomicFile.write(Snapshot.encode(built, manifest: manifest), to: path)
            } catch let error as AtomicFile.WriteError {
                note = "snapshot not saved: \(error.description)"
            } catch {
                note = "snapshot not saved: cannot create '\(cache.directory)'"
            }
        }
        return Loaded(corpus: built, warnings: warnings, fromSnapshot: false, snapshotNote: note)
    }

    /// The `.txt` files of the folders (and their sub-folders), with their size and mtime.
    public static func list(_ folders: [String]) throws(CorpusError) -> (files: [ArticleFile], warnings: [LoadWarning]) {
        var files: [ArticleFile] = []
        var warnings: [LoadWarning] = []
        var seenIDs: [String: Int] = [:]
        let fm = FileManager.default
        for folder in folders {
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: folder, isDirectory: &isDirectory) else {
                throw CorpusError(message: "cannot read corpus folder '\(folder)': no such folder")
            }
            guard isDirectory.boolValue else { throw CorpusError(message: "corpus '\(folder)' is a file, not a folder of .txt articles") }
            guard fm.isReadableFile(atPath: folder), let enumerator = fm.enumerator(atPath: folder) else {
                throw CorpusError(message: "cannot read corpus folder '\(folder)': permission denied")
            }
            var paths: [String] = []
            while let relative = enumerator.nextObject() as? String {
                if relative.split(separator: "/").contains(where: { $0.hasPrefix(".") }) { continue }
                if relative.lowercased().hasSuffix(".txt") { paths.append(relative) }
            }
            for relative in paths.sorted() {
                let path = (folder as NSString).appendingPathComponent(relative)
                var info = stat()
                guard stat(path, &info) == 0 else {
                    warnings.append(LoadWarning(path: path, reason: "cannot be read (\(String(cString: strerror(errno)))); skipped"))
                    continue
                }
                guard (info.st_mode & S_IFMT) == S_IFREG else {
                    if (info.st_mode & S_IFMT) != S_IFDIR { warnings.append(LoadWarning(path: path, reason: "is not a regular file; skipped")) }
                    continue
                }
                var id = ((relative as NSString).lastPathComponent as NSString).deletingPathExtension
                if let n = seenIDs[id] {
                    seenIDs[id] = n + 1
                    warnings.append(LoadWarning(path: path, reason: "another article is also named '\(id)'; this one is '\(id)~\(n + 1)'"))
                    id += "~\(n + 1)"
                } else { seenIDs[id] = 1 }
                let modified = Int(info.st_mtim.tv_sec) * 1_000_000_000 + Int(info.st_mtim.tv_nsec)
                files.append(ArticleFile(id: id, path: path, size: Int(info.st_size), modified: modified))
            }
        }
        return (files, warnings)
    }

    /// Reads the files; one that cannot be read is a warning, and the rest load.
    public static func read(_ files: [ArticleFile]) -> (articles: [Article], warnings: [LoadWarning]) {
        var articles: [Article] = []
        var warnings: [LoadWarning] = []
        articles.reserveCapacity(files.count)
        for f in files {
            guard var bytes = readFile(f.path) else {
                warnings.append(LoadWarning(path: f.path, reason: "cannot be read (\(String(cString: strerror(errno)))); skipped"))
                continue
            }
            // NUL bytes in the first 8 KiB: a binary file named .txt, not an article.
            if bytes.prefix(8192).contains(0) {
                warnings.append(LoadWarning(path: f.path, reason: "looks like a binary file, not text; skipped"))
                continue
            }
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
            articles.append(Article(id: f.id, path: f.path, bytes: bytes))
        }
        return (articles, warnings)
    }

    /// A file's bytes, read with plain system calls (no Foundation buffer to copy or leak).
    static func readFile(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return nil }
        var bytes = [UInt8](repeating: 0, count: max(0, Int(info.st_size)))
        var filled = 0
        while true {
            if filled == bytes.count { bytes.append(contentsOf: [UInt8](repeating: 0, count: max(4096, bytes.count))) }
            let n = bytes.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress! + filled, $0.count - filled) }
            if n < 0 { if errno == EINTR { continue }; return nil }
            if n == 0 { break }
            filled += n
        }
        bytes.removeLast(bytes.count - filled)
        return bytes
    }

    /// Lists and reads the `.txt` files of the folders. A folder that does not exist or cannot
    /// be read is an error; a file that cannot be read is a warning, and the rest loads.
    public static func articles(in folders: [String]) throws(CorpusError) -> (articles: [Article], warnings: [LoadWarning]) {
        let (files, listWarnings) = try list(folders)
        let (articles, readWarnings) = read(files)
        return (articles, listWarnings + readWarnings)
    }
}
