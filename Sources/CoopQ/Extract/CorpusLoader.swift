import Foundation

/// A problem with one file of a corpus: it is skipped, and the rest loads.
public struct LoadWarning: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String
    /// Articles may be missing for it (a file or folder that could not be read, not one that is
    /// no article): a load with such a warning saves no snapshot.
    public var incomplete = false
    /// (A file's name is shown with its control characters escaped: a newline in a name cannot
    /// forge a line of its own.)
    public var description: String { "\(path.escapingControls): \(reason)" }
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

    /// Where the snapshot of a corpus of these folders is kept in `directory`.
    public static func snapshotPath(of folders: [String], in directory: String) -> String {
        let absolute = folders.map { URL(fileURLWithPath: $0).standardizedFileURL.path }.sorted().joined(separator: "\n")
        return (directory as NSString).appendingPathComponent(String(Snapshot.fnv1a(Array(absolute.utf8)), radix: 16) + ".snapshot")
    }

    /// A hash of the word lists, lexicons and rules the extractor reads (`coopq --version`).
    public static var dataFingerprint: String { Lexicon.fingerprint }
    /// How many rules the rule files hold.
    public static var ruleCount: Int { RuleBook.shared.rules.count }

    /// Extracts and assembles a corpus from articles, in the order given.
    /// The manifest of the bundled seeds' snapshot: other lexicons make it stale.
    public static var bundledManifest: String { "coopq bundled seeds\nlexicons \(Lexicon.fingerprint)\n" }

    /// Extraction of each article is independent, so it runs on every core; assembly, which
    /// joins what the articles share, runs after, in the articles' order.
    public static func corpus(from articles: [Article]) -> Corpus {
        extractAll(count: articles.count) { .success(articles[$0]) }.corpus
    }

    /// The same, asking `isCancelled` between batches (Ctrl-C in the shell): nil when it said yes.
    public static func corpus(from articles: [Article], isCancelled: () -> Bool) -> Corpus? {
        let (corpus, _, cancelled) = extractAll(count: articles.count, isCancelled: isCancelled) { .success(articles[$0]) }
        return cancelled ? nil : corpus
    }

    /// How many articles are extracted before they are assembled: memory holds the model so
    /// far and one batch's extractions, never the whole corpus's tokens.
    static let batchSize = 512

    /// Extracts articles `0..<count`, each got (read) by its worker, in batches on every core, and
    /// assembles them in order. An article that cannot be got is a warning, and the rest load.
    ///
    /// Assembly is serial, so it is overlapped with extraction: while the workers extract one
    /// batch, one of them assembles the batch before it, as one more of the batch's tasks.
    ///
    /// With `texts`, each batch's texts are written to the store in one write and the documents
    /// point there; a batch whose write fails keeps its texts in memory.
    ///
    /// `textsFor`, when `texts` is not given, is asked for a store once the first batch is read,
    /// with the corpus's size in bytes as that batch foretells it (for files whose sizes were not
    /// listed); nil keeps the texts in memory.
    ///
    /// `foresee(n)` is told, as each batch starts, that the articles below `n` (this batch and
    /// the next) will be got soon (`ReadAhead`).
    static func extractAll(count: Int, batchSize: Int = batchSize, texts given: TextStore? = nil, textsFor: ((Int) -> TextStore?)? = nil,
                           foresee: ((Int) -> Void)? = nil, isCancelled: () -> Bool = { false },
                           article: @escaping @Sendable (Int) -> Result<Article, LoadWarning>) -> (corpus: Corpus, warnings: [LoadWarning], cancelled: Bool) {
        var assembler = Assembler()
        assembler.reserve(documents: count)
        var warnings: [LoadWarning] = []
        var buffer: [UInt8] = []
        var texts = given
        var decided = textsFor == nil
        func assemble(_ batch: ExtractedBatch) {
            if !decided, let textsFor {
                decided = true
                var bytes = 0
                for i in 0..<batch.slots.count { if case .success(let x)? = batch.slots[i] { bytes += x.document.body.utf8Count } }
                texts = textsFor(batch.slots.isEmpty ? 0 : bytes * count / batch.slots.count)
            }
            var written: Int?
            if let texts, !texts.failed {
                buffer.removeAll(keepingCapacity: true)
                for i in 0..<batch.slots.count {
                    if case .success(let x)? = batch.slots[i] { x.document.body.withUTF8 { buffer.append(contentsOf: $0) } }
                }
                // Whole words of eight bytes: a snapshot's checksum runs on over the batches.
                while buffer.count % 8 != 0 { buffer.append(0) }
                written = buffer.withUnsafeBytes { texts.append($0) }
            }
            for i in 0..<batch.slots.count {
                // Moved out of its slot, not copied: its strings and arrays are not retained again.
                switch batch.slots[i].take()! {
                case .success(var x):
                    if let texts, let at = written {
                        let n = x.document.body.utf8Count
                        x.document.body = DocumentText(texts, offset: at, count: n)
                        written = at + n
                    }
                    assembler.add(x)
                case .failure(let w): warnings.append(w)
                }
            }
            batch.free()
        }
        nonisolated(unsafe) let assembling = assemble
        var base = 0
        var ready: ExtractedBatch?
        var cancelled = false
        while base < count {
            if isCancelled() { cancelled = true; break }
            let first = base, n = min(batchSize, count - base)
            base += n
            foresee?(first + n + batchSize)
            // The batch before is assembled as one of this batch's tasks, beside its extraction, on
            // whichever core is free first: no more threads run than there are cores. (Its state is
            // touched by that task alone while this thread waits in the batch.)
            var alongside: (@Sendable () -> Void)?
            if let previous = ready { alongside = { assembling(previous) } }
            ready = ExtractedBatch(first: first, count: n, article: article, alongside: alongside)
        }
        if let last = ready { assemble(last) }
        texts?.seal()
        return (assembler.finish(), warnings, cancelled)
    }

    /// One batch's extractions, by article, in memory this module frees by hand.
    struct ExtractedBatch: @unchecked Sendable {
        let slots: UnsafeMutableBufferPointer<Result<DocumentExtraction, LoadWarning>?>

        /// `alongside`, when given, is run as one more of the batch's tasks (first, on whichever thread takes it).
        init(first: Int, count n: Int, article: @Sendable (Int) -> Result<Article, LoadWarning>, alongside: (@Sendable () -> Void)? = nil) {
            let results = UnsafeMutableBufferPointer<Result<DocumentExtraction, LoadWarning>?>.allocate(capacity: n)
            results.initialize(repeating: nil)
            nonisolated(unsafe) let slots = results
            @Sendable func work(_ i: Int) {
                slots[i] = article(first + i).map { Extractor.extract(id: $0.id, path: $0.path, bytes: $0.bytes) }
            }
            let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
            if n <= 8 || workers == 1 {
                alongside?()
                for i in 0..<n { work(i) }
            } else {
                // Strided chunks keep the cores evenly busy whatever the articles' sizes.
                let chunks = min(n, workers * 64)
                let extra = alongside == nil ? 0 : 1
                DispatchQueue.concurrentPerform(iterations: chunks + extra) { task in
                    if task < extra { alongside?(); return }
                    var i = task - extra
                    while i < n { work(i); i += chunks }  // each chunk writes only its own slots
                }
            }
            self.slots = results
        }

        /// Deinitialized before it is freed: the extractions' arrays are released, not leaked.
        func free() {
            _ = slots.deinitialize()
            slots.deallocate()
        }
    }

    /// An article file found in a corpus folder, before it is read.
    public struct ArticleFile: Sendable {
        public var id: String
        public var path: String
        public var size: Int
        public var modified: Int
        /// The inode and the change time: an article edited to the same size within the same
        /// mtime (or given its old mtime back) still changes its ctime, and a file replaced by
        /// another its inode.
        public var inode: UInt64 = 0
        public var changed: Int = 0
    }

    /// What `load` did: the corpus, the files skipped, and whether the snapshot was used.
    public struct Loaded: Sendable {
        public var corpus: Corpus
        public var warnings: [LoadWarning]
        public var fromSnapshot: Bool
        /// Why the snapshot was not used or not saved, when it was asked for.
        public var snapshotNote: String?
        /// The snapshot's records, still being written on another thread (a load asked to
        /// finish it in the background): wait for it before the process ends.
        public var pendingSnapshot: PendingSnapshot?
    }

    /// A snapshot whose records are written on a thread of their own while the corpus is
    /// already being queried: the corpus is a value and the writer only reads it.
    public final class PendingSnapshot: @unchecked Sendable {
        private let group = DispatchGroup()
        private var note: String?

        init(_ work: @escaping @Sendable () -> String?) {
            group.enter()
            Thread.detachNewThread { [self] in
                note = work()
                group.leave()
            }
        }

        /// Waits until the snapshot is in place or given up: why it was not saved, if it was not.
        public func wait() -> String? {
            group.wait()
            return note
        }
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
    ///
    /// With `finishingInBackground`, a new snapshot's records (written once the corpus is
    /// assembled) are written on another thread, and the corpus is returned at once
    /// (`Loaded.pendingSnapshot`).
    /// `progress(done, total)` is told, as each batch of articles is extracted, how many are.
    public static func load(_ folders: [String], cache: SnapshotCache?, finishingInBackground: Bool = false,
                            followLinks: Bool = false, progress: ((Int, Int) -> Void)? = nil) throws(CorpusError) -> Loaded {
        guard let cache else {
            let (files, listWarnings) = try list(folders, statting: false, followLinks: followLinks)
            let (built, readWarnings) = extract(files, progress: progress)
            return Loaded(corpus: built, warnings: listWarnings + readWarnings, fromSnapshot: false)
        }
        let path = snapshotPath(of: folders, in: cache.directory)
        // The snapshot is read on another core while the folders are listed (a hundred thousand
        // files' sizes and mtimes): its manifest is checked in full once the listing is done,
        // and only its first lines (the extractor and the lexicons) before it is read.
        // It stays mapped: the documents' texts are read from it where they lie.
        let head = manifestHead(extractor: cache.extractorIdentity)
        let reading = SnapshotReading()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) {
            guard let store = TextStore(mapping: path) else { return }
            reading.result = Result { () throws(Snapshot.Invalid) in try Snapshot.decode(store, accepting: { $0.hasPrefix(head) }) }
        }
        let listed = Result { () throws(CorpusError) in try list(folders, followLinks: followLinks) }
        group.wait()
        let (files, listWarnings) = try listed.get()
        var warnings = listWarnings
        // One folder named "c1k", "./c1k" or "/abs/c1k" is one snapshot's: its files are listed in the
        // manifest under the folder's absolute path, however it was named.
        let spellings = folders.map { given in
            (given.hasSuffix("/") ? given : given + "/", URL(fileURLWithPath: given).standardizedFileURL.path + "/")
        }
        let manifest = manifestText(files, extractor: cache.extractorIdentity) { path in
            for (given, canonical) in spellings where given != canonical && path.hasPrefix(given) { return canonical + path.dropFirst(given.count) }
            return path
        }
        var note: String?
        switch reading.result {
        case .success(let decoded) where decoded.manifest == manifest:
            return Loaded(corpus: decoded.corpus, warnings: warnings, fromSnapshot: true)
        case .success: note = "snapshot not used (the articles or the extractor changed); rebuilt"
        case .failure(let error): note = "snapshot not used (\(error.description)); rebuilt"
        case nil: break
        }
        reading.result = nil  // a stale corpus is not held through the extraction
        // The new snapshot is written as the load goes: the texts as they are extracted, into the
        // file that the corpus then reads them from; the records once the corpus is assembled.
        var draft: Snapshot.Draft?
        do {
            // The cache holds every article's text: private to its owner, whatever the articles' permissions.
            try FileManager.default.createDirectory(atPath: cache.directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            _ = chmod(cache.directory, 0o700)  // (one made by an older build may be open to all)
            draft = Snapshot.Draft(path: path, manifest: manifest)
            if draft == nil { note = "snapshot not saved: cannot write in '\(cache.directory)' (\(String(cString: strerror(errno))))" }
        } catch {
            note = "snapshot not saved: cannot create '\(cache.directory)'"
        }
        let (built, readWarnings) = extract(files, draft: draft, progress: progress)
        warnings += readWarnings
        var pending: PendingSnapshot?
        if let draft {
            @Sendable func finish() -> String? { draft.finish(built).map { "snapshot not saved: \($0.description)" } }
            // Files that could not be read are not in the manifest's promise: do not cache a partial load.
            if !readWarnings.isEmpty || listWarnings.contains(where: \.incomplete) {
                draft.discard()
            } else if finishingInBackground {
                pending = PendingSnapshot(finish)
            } else if let error = finish() {
                note = error
            }
        }
        return Loaded(corpus: built, warnings: warnings, fromSnapshot: false, snapshotNote: note, pendingSnapshot: pending)
    }

    /// The first lines of a manifest: what made the snapshot, known before any file is listed.
    static func manifestHead(extractor: String) -> String {
        "coopq snapshot\nextractor \(extractor)\nlexicons \(Lexicon.fingerprint)\n"
    }

    /// Where the thread that reads a snapshot leaves what it read; read after the group is waited for.
    private final class SnapshotReading: @unchecked Sendable { var result: Result<(corpus: Corpus, manifest: String), Snapshot.Invalid>? }

    /// What a snapshot promises: the extractor, the lexicons, and each file's path, size and
    /// mtime, a line each. Written as bytes: a hundred thousand lines are made at every load.
    static func manifestText(_ files: [ArticleFile], extractor: String, canonicalPath: (String) -> String = { $0 }) -> String {
        var out = Array(manifestHead(extractor: extractor).utf8)
        out.reserveCapacity(out.count + files.count * 64)
        func decimal(_ n: Int) {
            if n < 0 { out.append(UInt8(ascii: "-")) }
            var digits: [UInt8] = []
            var m = n.magnitude
            repeat { digits.append(UInt8(ascii: "0") + UInt8(m % 10)); m /= 10 } while m > 0
            out.append(contentsOf: digits.reversed())
        }
        for f in files {
            out.append(contentsOf: canonicalPath(f.path).utf8)
            out.append(0x09)
            decimal(f.size)
            out.append(0x09)
            decimal(f.modified)
            out.append(0x09)
            decimal(Int(truncatingIfNeeded: f.inode))
            out.append(0x09)
            decimal(f.changed)
            out.append(0x0A)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The `.txt` files of the folders (and their sub-folders), with their size and mtime.
    ///
    /// Without `statting` (a load that keeps no snapshot, so needs no manifest), no file is
    /// `stat`ed: its size is -1 and its mtime 0 until it is read, and the worker that reads it
    /// tells then whether it is a regular file (a `stat` by path is most of a listing's cost).
    ///
    /// A link named `.txt` to a file outside the folder is skipped with a warning unless
    /// `followLinks`: a link to a private file must not put its lines in a snapshot or an export.
    public static func list(_ folders: [String], statting: Bool = true, followLinks: Bool = false) throws(CorpusError) -> (files: [ArticleFile], warnings: [LoadWarning]) {
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
            guard fm.isReadableFile(atPath: folder), let (listed, unreadable, links) = textFiles(in: folder) else {
                throw CorpusError(message: "cannot read corpus folder '\(folder)': permission denied")
            }
            let base = folder.hasSuffix("/") ? folder : folder + "/"
            var paths = listed
            if !followLinks, !links.isEmpty {
                let outside = linksLeaving(folder, links)
                for link in outside {
                    warnings.append(LoadWarning(path: base + link, reason: "is a link to a file outside the corpus folder; skipped (--follow-links reads it)"))
                }
                if !outside.isEmpty { paths = listed.filter { !outside.contains($0) } }
            }
            for (sub, code) in unreadable {
                warnings.append(LoadWarning(path: base + sub, reason: "cannot be read (\(String(cString: strerror(code)))); its articles are skipped",
                                            incomplete: true))
            }
            let sorted = paths.sorted()
            // Each file's stat, path and id are made on every core; only the ids' uniqueness is
            // checked here, in order.
            let found = describeAll(sorted, in: folder, statting: statting)
            files.reserveCapacity(files.count + found.count)
            seenIDs.reserveCapacity(seenIDs.count + found.count)
            for f in found {
                let path = f.path
                guard case .success(let info) = f.stat else {
                    if case .failure(let code) = f.stat {
                        warnings.append(LoadWarning(path: path, reason: "cannot be read (\(String(cString: strerror(code.rawValue)))); skipped", incomplete: true))
                    }
                    continue
                }
                guard (info.mode & S_IFMT) == S_IFREG else {
                    if (info.mode & S_IFMT) != S_IFDIR { warnings.append(LoadWarning(path: path, reason: "is not a regular file; skipped")) }
                    continue
                }
                var id = f.id
                if let n = seenIDs[id] {
                    seenIDs[id] = n + 1
                    warnings.append(LoadWarning(path: path, reason: "another article is also named '\(id)'; this one is '\(id)~\(n + 1)'"))
                    id += "~\(n + 1)"
                } else { seenIDs[id] = 1 }
                files.append(ArticleFile(id: id, path: path, size: info.size, modified: info.modified, inode: info.inode, changed: info.changed))
            }
        }
        return (files, warnings)
    }

    /// Which of the links (paths relative to `folder`) lead outside it, once every link is followed.
    static func linksLeaving(_ folder: String, _ links: [String]) -> Set<String> {
        func real(_ path: String) -> String? {
            FileName.withSystemPath(path) { p in
                guard let r = realpath(p, nil) else { return nil }
                defer { free(r) }
                return FileName.decode(UnsafeBufferPointer(start: UnsafeRawPointer(r).assumingMemoryBound(to: UInt8.self), count: strlen(r)))
            }
        }
        guard let root = real(folder) else { return [] }
        let prefix = root == "/" ? "/" : root + "/"
        var outside: Set<String> = []
        for link in links {
            // A link to nothing is left to the read, which says so.
            guard let target = real((folder.hasSuffix("/") ? folder : folder + "/") + link) else { continue }
            if !target.hasPrefix(prefix) { outside.insert(link) }
        }
        return outside
    }

    /// An article's id: its file name without the extension, cut on the bytes (a hundred
    /// thousand names are cut at every load). `"2025/xian-forum.txt"` → `"xian-forum"`.
    static func articleID(_ relative: String) -> String {
        let u = relative.utf8
        let file = u.lastIndex(of: UInt8(ascii: "/")).map { u[u.index(after: $0)...] } ?? u[...]
        let stem = file.lastIndex(of: UInt8(ascii: ".")).map { file[..<$0] } ?? file
        return String(Substring(stem))
    }

    struct StatError: Error { var rawValue: Int32 }

    /// A file of a folder's listing, described: its path, what `stat` says of it (or why it says
    /// nothing) and its id.
    struct Described { var path: String; var stat: Result<FileStat, StatError>; var id: String }

    /// What the listing keeps of a file's `stat`.
    struct FileStat { var mode: mode_t; var size: Int; var modified: Int; var inode: UInt64 = 0; var changed: Int = 0 }

    /// `stat`, path and id of each file (paths relative to `folder`), on every core: a hundred
    /// thousand files are a tenth of a second on one, and every load (from the snapshot too)
    /// lists them. Each is found from the folder's descriptor, not walked to from `/` again.
    static func describeAll(_ relative: [String], in folder: String, statting: Bool) -> [Described] {
        let directory = statting ? open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1
        defer { if directory >= 0 { close(directory) } }
        let prefix = folder.hasSuffix("/") ? folder : folder + "/"
        return parallelMap(relative.count, from: 4096, placeholder: Described(path: "", stat: .failure(StatError(rawValue: 0)), id: "")) { i in
            guard statting else {
                return Described(path: prefix + relative[i], stat: .success(FileStat(mode: S_IFREG, size: -1, modified: 0)), id: articleID(relative[i]))
            }
            var info = stat()
            let ok = directory >= 0 ? FileName.withSystemPath(relative[i]) { fstatat(directory, $0, &info, 0) } == 0
                : FileName.withSystemPath(prefix + relative[i]) { stat($0, &info) } == 0
            let result: Result<FileStat, StatError> = ok
                ? .success(FileStat(mode: info.st_mode, size: Int(info.st_size), modified: Int(info.st_mtim.tv_sec) * 1_000_000_000 + Int(info.st_mtim.tv_nsec),
                                    inode: UInt64(info.st_ino), changed: Int(info.st_ctim.tv_sec) * 1_000_000_000 + Int(info.st_ctim.tv_nsec)))
                : .failure(StatError(rawValue: errno))
            return Described(path: prefix + relative[i], stat: result, id: articleID(relative[i]))
        }
    }

    /// The `.txt` files under a folder, as paths relative to it, found with `opendir`/`readdir`
    /// (a hundred thousand names in milliseconds). Hidden files and folders are skipped, and
    /// links to folders are not followed (no cycles); nil when the folder itself cannot be read.
    static func textFiles(in folder: String) -> (files: [String], unreadable: [(String, Int32)], links: [String])? {
        var found: [String] = []
        var links: [String] = []
        var unreadable: [(String, Int32)] = []
        func walk(_ directory: String, _ prefix: String) -> Bool {
            guard let dir = FileName.withSystemPath(directory, { opendir($0) }) else {
                if !prefix.isEmpty { unreadable.append((String(prefix.dropLast()), errno)) }
                return false
            }
            defer { closedir(dir) }
            while let entry = readdir(dir) {
                // Decided on the name's bytes first: hidden names, and files not named .txt, make no string.
                var type = Int32(entry.pointee.d_type)
                let skip = withUnsafeBytes(of: &entry.pointee.d_name) { raw -> Bool in
                    let p = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
                    let n = strnlen(raw.baseAddress!.assumingMemoryBound(to: CChar.self), raw.count)
                    if n == 0 || p[0] == UInt8(ascii: ".") { return true }
                    return type != Int32(DT_DIR) && type != Int32(DT_UNKNOWN) && !isTextFileName(UnsafeBufferPointer(start: p, count: n))
                }
                if skip { continue }
                let name = withUnsafeBytes(of: &entry.pointee.d_name) { raw in
                    FileName.decode(UnsafeBufferPointer(start: raw.baseAddress!.assumingMemoryBound(to: UInt8.self),
                                                        count: strnlen(raw.baseAddress!.assumingMemoryBound(to: CChar.self), raw.count)))
                }
                if type == Int32(DT_UNKNOWN) {
                    var info = stat()
                    if FileName.withSystemPath(directory + "/" + name, { lstat($0, &info) }) == 0 {
                        let format = info.st_mode & S_IFMT
                        type = format == S_IFDIR ? Int32(DT_DIR) : format == S_IFLNK ? Int32(DT_LNK) : Int32(DT_REG)
                    }
                }
                if type == Int32(DT_DIR) {
                    _ = walk(directory + "/" + name, prefix + name + "/")  // an unreadable sub-folder is listed as such
                } else if isTextFileName(name) {
                    found.append(prefix.isEmpty ? name : prefix + name)
                    if type == Int32(DT_LNK) { links.append(found.last!) }
                }
            }
            return true
        }
        return walk(folder, "") ? (found, unreadable, links) : nil
    }

    /// Whether a file name ends in `.txt`, in any case, decided on its last four bytes.
    static func isTextFileName(_ name: String) -> Bool {
        var copy = name
        return copy.withUTF8 { isTextFileName($0) }
    }

    static func isTextFileName(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
        let u = UnsafeBufferPointer(rebasing: name.suffix(4))
        return u.count == 4 && u[0] == UInt8(ascii: ".") && u[1] | 0x20 == UInt8(ascii: "t") && u[2] | 0x20 == UInt8(ascii: "x")
            && u[3] | 0x20 == UInt8(ascii: "t")
    }

    /// Reads and extracts the files, each read by the worker that extracts it, so the corpus's
    /// bytes are never all in memory at once beside its model.
    ///
    /// A large corpus's texts are written, as they are extracted, to a temporary file in
    /// `$TMPDIR` that is then mapped (see `TextStore`): the model in memory is then mostly the
    /// model. When no such file can be made or written (a full disk), the texts stay in memory.
    /// Files listed without their sizes (-1) are judged by the first batch's (`extractAll`).
    ///
    /// With a snapshot's `draft`, the texts are written to its file whatever their size.
    static func extract(_ files: [ArticleFile], draft: Snapshot.Draft? = nil, spillThreshold: Int = spillThreshold,
                        progress: ((Int, Int) -> Void)? = nil) -> (corpus: Corpus, warnings: [LoadWarning]) {
        let listed = files.allSatisfy { $0.size >= 0 } ? files.reduce(0) { $0 + $1.size } : nil
        let ahead = ReadAhead(paths: files.map(\.path))
        defer { ahead.stop() }
        let folders = Folders(files)
        defer { folders.close() }
        let (corpus, warnings, _) = extractAll(count: files.count, texts: draft?.store, textsFor: draft != nil ? nil : { estimate in
            (listed ?? estimate) >= spillThreshold ? TextStore.temporary(in: FileManager.default.temporaryDirectory.path) : nil
        }, foresee: { n in ahead.want(upTo: n); progress?(min(max(0, n - 2 * batchSize), files.count), files.count) }) { i in
            StageClock.time(.read) { read(files[i], in: folders.of(i)) }
        }
        return (corpus, warnings)
    }

    /// The folders of a load's files, each opened once, and each file's folder and where its name
    /// starts in its path: a file is opened from its folder's descriptor (`openat`), so the kernel
    /// does not walk its path from `/` again for each of a hundred thousand files.
    struct Folders: Sendable {
        private var descriptors: [Int32] = []
        /// By file: its folder's number in `descriptors` (-1: none, open the path) and its name's first byte.
        private var files: [(folder: Int32, name: Int32)] = []

        init(_ list: [ArticleFile]) {
            files.reserveCapacity(list.count)
            // Files come folder by folder: a folder is opened when its path differs from the last file's.
            var last: [UInt8] = []
            for f in list {
                var path = f.path
                files.append(path.withUTF8 { b -> (folder: Int32, name: Int32) in
                    // The folder is the path to its last slash (the name after it is short: looked for from the end).
                    var n = b.count
                    while n > 0, b[n - 1] != UInt8(ascii: "/") { n -= 1 }
                    guard n > 0 else { return (-1, 0) }
                    let folder = UnsafeBufferPointer(rebasing: b[..<n])
                    if let previous = files.last, folder.elementsEqual(last) { return (previous.folder, Int32(n)) }
                    last = Array(folder)
                    let fd = open(String(decoding: folder, as: UTF8.self), O_RDONLY | O_DIRECTORY | O_CLOEXEC)
                    guard fd >= 0 else { return (-1, Int32(n)) }
                    descriptors.append(fd)
                    return (Int32(descriptors.count - 1), Int32(n))
                })
            }
        }

        /// File `i`'s folder's descriptor and where its name starts in its path; nil: open the path.
        func of(_ i: Int) -> (descriptor: Int32, name: Int)? {
            guard i < files.count, files[i].folder >= 0 else { return nil }
            return (descriptors[Int(files[i].folder)], Int(files[i].name))
        }

        func close() { for fd in descriptors { Glibc.close(fd) } }
    }

    /// The most bytes a file may have to be read as one article. The genre's longest articles are
    /// tens of kilobytes; a file of hundreds of megabytes is an archive or a dump, and extracting
    /// it as one article would hold about nine times its size in tokens at once.
    static let largestArticle = 32 << 20

    /// From this many bytes of articles, the texts are kept in a file rather than in memory.
    static let spillThreshold = 16 << 20

    /// Reads the files; one that cannot be read is a warning, and the rest load.
    public static func read(_ files: [ArticleFile]) -> (articles: [Article], warnings: [LoadWarning]) {
        var articles: [Article] = []
        var warnings: [LoadWarning] = []
        articles.reserveCapacity(files.count)
        for f in files {
            switch read(f) {
            case .success(let a): articles.append(a)
            case .failure(let w): warnings.append(w)
            }
        }
        return (articles, warnings)
    }

    /// One file's article, or why it is skipped.
    /// `folder`: its folder's descriptor and where its name starts in its path (`Folders`).
    static func read(_ f: ArticleFile, in folder: (descriptor: Int32, name: Int)? = nil) -> Result<Article, LoadWarning> {
        var tooLarge: LoadWarning {
            LoadWarning(path: f.path, reason: "is larger than 32 MB, too large to be one article; skipped (split it into a file an article)")
        }
        guard f.size <= largestArticle else { return .failure(tooLarge) }
        var bytes: [UInt8]
        switch readFile(f.path, size: f.size >= 0 ? f.size : nil, in: folder) {
        case .success(let read): bytes = read
        case .failure(.notRegular): return .failure(LoadWarning(path: f.path, reason: "is not a regular file; skipped"))
        case .failure(.system(let code)):
            return .failure(LoadWarning(path: f.path, reason: "cannot be read (\(String(cString: strerror(code)))); skipped"))
        }
        guard bytes.count <= largestArticle else { return .failure(tooLarge) }
        // NUL bytes in the first 8 KiB: a binary file named .txt, not an article.
        if bytes.withUnsafeBufferPointer({ b in b.baseAddress.map { memchr($0, 0, min(b.count, 8192)) != nil } ?? false }) {
            return .failure(LoadWarning(path: f.path, reason: "looks like a binary file, not text; skipped"))
        }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        return .success(Article(id: f.id, path: f.path, bytes: bytes))
    }

    /// A file's bytes, read with plain system calls (no Foundation buffer to copy or leak).
    /// `size`, when the listing has just found it, saves an `fstat`; the file is read to its end
    /// whatever its size has become.
    /// `folder`: the descriptor of the path's folder and where the name starts in the path, to open it from.
    static func readFile(_ path: String, size known: Int? = nil, in folder: (descriptor: Int32, name: Int)? = nil) -> Result<[UInt8], ReadFailure> {
        // Not blocking: a FIFO named .txt is opened, found out by its fstat, and closed.
        let flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK
        let fd = FileName.hasRawBytes(path) ? FileName.withSystemPath(path) { open($0, flags) }
            : folder.map { folder in path.withCString { openat(folder.descriptor, $0 + folder.name, flags) } } ?? open(path, flags)
        guard fd >= 0 else { return .failure(.system(errno)) }
        defer { close(fd) }
        var info = stat()
        if let known { info.st_size = .init(known) } else {
            guard fstat(fd, &info) == 0 else { return .failure(.system(errno)) }
            guard (info.st_mode & S_IFMT) == S_IFREG else { return .failure(.notRegular) }
        }
        var failed = false
        var code: Int32 = 0
        // Read straight into the array's storage (no zero-filling first); a file that grew
        // while it was read is read on, a chunk at a time.
        func readAll(into buffer: UnsafeMutableBufferPointer<UInt8>) -> Int {
            var filled = 0
            while filled < buffer.count {
                let n = Foundation.read(fd, buffer.baseAddress! + filled, buffer.count - filled)
                if n < 0 { if errno == EINTR { continue }; failed = true; code = errno; break }
                if n == 0 { break }
                filled += n
            }
            return filled
        }
        // One read asks for a byte more than listed: a regular file that gives exactly its listed
        // size has ended, with no second call to find the end (a third of a small file's system calls).
        let listed = max(0, Int(info.st_size))
        var whole = false
        var bytes = [UInt8](unsafeUninitializedCapacity: listed + 1) { buffer, count in
            var n = Foundation.read(fd, buffer.baseAddress!, listed + 1)
            while n < 0, errno == EINTR { n = Foundation.read(fd, buffer.baseAddress!, listed + 1) }
            guard n >= 0 else { failed = true; code = errno; count = 0; return }
            whole = n == listed
            count = n
            if !whole, n > 0, n < listed {
                count = n + readAll(into: UnsafeMutableBufferPointer(rebasing: buffer[n..<listed]))
            }
        }
        // A file that grew while it was read is read on, a chunk at a time; the read that finds
        // the end goes into a small buffer on the stack.
        if !failed, !whole, bytes.count >= listed {
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 4096) { chunk in
                while !failed {
                    let n = readAll(into: chunk)
                    if n == 0 { break }
                    bytes.append(contentsOf: chunk.prefix(n))
                }
            }
        }
        return failed ? .failure(.system(code)) : .success(bytes)
    }

    /// Why a file was not read: a system call's error, or a file that is no regular file.
    enum ReadFailure: Error, Equatable { case system(Int32), notRegular }

    /// Lists and reads the `.txt` files of the folders. A folder that does not exist or cannot
    /// be read is an error; a file that cannot be read is a warning, and the rest loads.
    public static func articles(in folders: [String], followLinks: Bool = false) throws(CorpusError) -> (articles: [Article], warnings: [LoadWarning]) {
        let (files, listWarnings) = try list(folders, followLinks: followLinks)
        let (articles, readWarnings) = read(files)
        return (articles, listWarnings + readWarnings)
    }
}
