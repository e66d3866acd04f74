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
        let made = assembleAll(count: count, batchSize: batchSize, texts: given, textsFor: textsFor, foresee: foresee, isCancelled: isCancelled) { i in
            article(i).map { Produced(extraction: Extractor.extract(id: $0.id, path: $0.path, bytes: $0.bytes)) }
        }
        return (made.corpus, made.warnings, made.cancelled)
    }

    /// What a worker makes of an article: its extraction, and, for a load that keeps its
    /// articles' records (`ArticleRecords`), its record and the hash of its bytes.
    struct Produced {
        var extraction: DocumentExtraction
        var record: [UInt8]?
        var hash: UInt64 = 0
        /// Taken from the records of an earlier load rather than extracted.
        var reused = false
    }

    /// `extractAll` for articles that are each extracted, or taken from an earlier load's records,
    /// by `produce` on a worker's core; `assembled(n, article)` is told of each, in order, as it
    /// is assembled, its text already where it is kept.
    ///
    /// Assembly goes on from `resuming` when given (the assembler of a snapshot's corpus); with
    /// `keepingState`, what it knew at the end is given back too (`Assembler.State`).
    static func assembleAll(count: Int, batchSize: Int = batchSize, texts given: TextStore? = nil, textsFor: ((Int) -> TextStore?)? = nil,
                            foresee: ((Int) -> Void)? = nil, isCancelled: () -> Bool = { false }, assembled: ((Int, Produced) -> Void)? = nil,
                            resuming: consuming Assembler? = nil, keepingState: Bool = false,
                            produce: @escaping @Sendable (Int) -> Result<Produced, LoadWarning>)
        -> (corpus: Corpus, warnings: [LoadWarning], cancelled: Bool, state: Assembler.State?) {
        // (Moved, not copied: the tables of a resumed assembler are added to in place.)
        var assembler: Assembler
        switch consume resuming {
        case .some(let resumed): assembler = resumed
        case .none: assembler = Assembler(); assembler.reserve(documents: count)
        }
        assembler.keepsState = keepingState
        var warnings: [LoadWarning] = []
        var buffer: [UInt8] = []
        var texts = given
        var decided = textsFor == nil
        func assemble(_ batch: ExtractedBatch) {
            if !decided, let textsFor {
                decided = true
                var bytes = 0
                for i in 0..<batch.slots.count { if case .success(let x)? = batch.slots[i] { bytes += x.extraction.document.body.utf8Count } }
                texts = textsFor(batch.slots.isEmpty ? 0 : bytes * count / batch.slots.count)
            }
            var written: Int?
            if let texts, !texts.failed {
                buffer.removeAll(keepingCapacity: true)
                for i in 0..<batch.slots.count {
                    if case .success(let x)? = batch.slots[i] { x.extraction.document.body.withUTF8 { buffer.append(contentsOf: $0) } }
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
                        let n = x.extraction.document.body.utf8Count
                        x.extraction.document.body = DocumentText(texts, offset: at, count: n)
                        written = at + n
                    }
                    assembled?(batch.first + i, x)
                    assembler.add(x.extraction)
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
            ready = ExtractedBatch(first: first, count: n, produce: produce, alongside: alongside)
        }
        if let last = ready { assemble(last) }
        texts?.seal()
        let corpus = assembler.finish()
        return (corpus, warnings, cancelled, assembler.state)
    }

    /// One batch's extractions, by article, in memory this module frees by hand.
    struct ExtractedBatch: @unchecked Sendable {
        let first: Int
        let slots: UnsafeMutableBufferPointer<Result<Produced, LoadWarning>?>

        /// `alongside`, when given, is run as one more of the batch's tasks (first, on whichever thread takes it).
        init(first: Int, count n: Int, produce: @Sendable (Int) -> Result<Produced, LoadWarning>, alongside: (@Sendable () -> Void)? = nil) {
            let results = UnsafeMutableBufferPointer<Result<Produced, LoadWarning>?>.allocate(capacity: n)
            results.initialize(repeating: nil)
            nonisolated(unsafe) let slots = results
            @Sendable func work(_ i: Int) { slots[i] = produce(first + i) }
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
            self.first = first
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
            let (built, readWarnings, _, _) = extract(files, progress: progress)
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
        let store = TextStore(mapping: path)
        if let store {
            DispatchQueue.global().async(group: group) {
                reading.result = Result { () throws(Snapshot.Invalid) in
                    try Snapshot.decode(store, accepting: { $0.hasPrefix(head) }, isCancelled: reading.isCancelled)
                }
            }
        }
        let listed = Result { () throws(CorpusError) in try list(folders, followLinks: followLinks) }
        let files: [ArticleFile], listWarnings: [LoadWarning]
        do throws(CorpusError) { (files, listWarnings) = try listed.get() } catch { reading.cancel(); group.wait(); throw error }
        var warnings = listWarnings
        // One folder named "c1k", "./c1k" or "/abs/c1k" is one snapshot's: its files are listed in the
        // manifest under the folder's absolute path, however it was named.
        let spellings = folders.map { given in
            (given.hasSuffix("/") ? given : given + "/", URL(fileURLWithPath: given).standardizedFileURL.path + "/")
        }
        @Sendable func canonical(_ path: String) -> String {
            for (given, canonical) in spellings where given != canonical && path.hasPrefix(given) { return canonical + path.dropFirst(given.count) }
            return path
        }
        let manifest = manifestText(files, extractor: cache.extractorIdentity, canonicalPath: canonical)
        // A snapshot of other articles is not decoded to the end: its manifest says so at once.
        // One of the same articles and more, the new ones listed after all of its own, is: the
        // load goes on from its corpus.
        let stored = store.flatMap(Snapshot.manifest(of:))
        let grown = stored.map { $0 != manifest && manifest.hasPrefix($0) } ?? false
        if stored != manifest, !grown { reading.cancel() }
        let recordsPath = ArticleRecords.path(ofSnapshot: path)
        let addedPath = AddedArticles.file.path(ofSnapshot: path), statePath = AssemblyState.file.path(ofSnapshot: path)
        // Its assembly's state is read on another core while the snapshot still is.
        let saved = SavedReading()
        if grown, let store, let sum = Snapshot.storedChecksum(of: store) {
            DispatchQueue.global().async(group: group) {
                saved.state = AssemblyState.file.read(statePath, head: head, snapshotSum: sum).flatMap { try? Assembler.Saved($0) }
            }
        }
        group.wait()
        var note: String?
        var earlier: Earlier?
        if case .success(let decoded)? = reading.result, decoded.manifest == manifest {
            // Articles added since and gone again: what was kept of them is of no use.
            unlink(addedPath)
            return Loaded(corpus: decoded.corpus, warnings: warnings, fromSnapshot: true)
        }
        if grown, let baseManifest = reading.manifest, let store, let sum = Snapshot.storedChecksum(of: store) {
            // The snapshot's articles are the listing's first (a line each in its manifest, after the head's).
            func lines(_ s: String) -> Int { s.utf8.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) } }
            let kept = lines(baseManifest) - lines(head)
            if kept >= 0, kept <= files.count, kept + addedLimit(kept: kept) >= files.count,
               manifestText(Array(files[..<kept]), extractor: cache.extractorIdentity, canonicalPath: canonical) == baseManifest,
               let state = saved.take(), let base = reading.takeCorpus(),
               let loaded = extend(consume base, by: Array(files[kept...]), kept: kept, state: state, head: head, snapshotSum: sum,
                                   addedPath: addedPath, progress: progress) {
                return Loaded(corpus: loaded.corpus, warnings: warnings + loaded.warnings, fromSnapshot: true, snapshotNote: loaded.note)
            }
        }
        if let store, let stored, stored != manifest, stored.hasPrefix(head) {
            // Only articles changed (the extractor and lexicons are the same): the others are
            // taken from the snapshot's records, when it has them.
            if let sum = Snapshot.storedChecksum(of: store), let records = ArticleRecords(path: recordsPath, head: head, snapshotSum: sum) {
                earlier = Earlier(records: records, texts: store)
            } else {
                note = "snapshot not used (the articles changed, and it keeps no records of them); rebuilt"
            }
        } else if stored != nil, stored != manifest {
            note = "snapshot not used (the articles or the extractor changed); rebuilt"
        } else if case .failure(let error)? = reading.result {
            note = "snapshot not used (\(error.description)); rebuilt"
        } else if store != nil {
            note = "snapshot not used (not a coopq snapshot of this version); rebuilt"
        }
        reading.result = nil  // a stale corpus is not held through the extraction
        // The new snapshot is written as the load goes: the texts as they are extracted, into the
        // file that the corpus then reads them from; the records once the corpus is assembled.
        var draft: Snapshot.Draft?
        var records: ArticleRecords.Draft?
        do {
            // The cache holds every article's text: private to its owner, whatever the articles' permissions.
            try FileManager.default.createDirectory(atPath: cache.directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            _ = chmod(cache.directory, 0o700)  // (one made by an older build may be open to all)
            draft = Snapshot.Draft(path: path, manifest: manifest)
            if draft == nil { note = "snapshot not saved: cannot write in '\(cache.directory)' (\(String(cString: strerror(errno))))" }
            if draft != nil { records = ArticleRecords.Draft(path: recordsPath, head: head) }
        } catch {
            note = "snapshot not saved: cannot create '\(cache.directory)'"
        }
        let (built, readWarnings, reused, state) = extract(files, draft: draft, records: records, earlier: earlier, progress: progress)
        if let earlier {
            let extracted = files.count - reused - readWarnings.count
            let removed = earlier.records.entries.count - files.reduce(0) { $0 + (earlier.records.entries[$1.path] == nil ? 0 : 1) }
            note = "snapshot updated: \(articles(extracted)) extracted, \(articles(reused)) kept from it" + (removed > 0 ? ", \(articles(removed)) gone" : "")
        }
        warnings += readWarnings
        var pending: PendingSnapshot?
        if let draft {
            let records = records
            @Sendable func finish() -> String? {
                if let error = draft.finish(built) { records?.discard(); return "snapshot not saved: \(error.description)" }
                // Articles kept as added to the snapshot before are in this one.
                unlink(addedPath)
                if let records, let sum = draft.checksum, let error = records.finish(snapshotSum: sum) {
                    unlink(statePath)
                    return "snapshot saved without its articles' records (\(error)): a change will extract every article again"
                }
                if let state, let sum = draft.checksum,
                   AssemblyState.file.write(state.encoded(), head: head, snapshotSum: sum, to: statePath) != nil {
                    unlink(statePath)
                }
                return nil
            }
            // Files that could not be read are not in the manifest's promise: do not cache a partial load.
            if !readWarnings.isEmpty || listWarnings.contains(where: \.incomplete) {
                draft.discard()
                records?.discard()
            } else if finishingInBackground {
                pending = PendingSnapshot(finish)
            } else if let error = finish() {
                note = error
            }
        }
        return Loaded(corpus: built, warnings: warnings, fromSnapshot: false, snapshotNote: note, pendingSnapshot: pending)
    }

    /// How many articles may be kept as added to a snapshot of `kept` (`AddedArticles`) before the
    /// snapshot is written again with them: each load assembles them anew, and holds their texts.
    static func addedLimit(kept: Int) -> Int { max(64, kept / 8) }

    /// The corpus of a snapshot's articles (`base`, of `kept` articles) and of `added`, listed
    /// after them: the added ones are taken from what an earlier load kept of them, when they
    /// are still as they were, or read and extracted, and assembled onto the snapshot's corpus
    /// by the assembler that made it (`AssemblyState`). What was kept of them is written anew
    /// when it changed. Nil when this cannot be done (no state, or too many added): the load
    /// then assembles every article.
    static func extend(_ base: consuming Corpus, by added: [ArticleFile], kept: Int, state: consuming Assembler.Saved, head: String,
                       snapshotSum: UInt64, addedPath: String,
                       progress: ((Int, Int) -> Void)?) -> (corpus: Corpus, warnings: [LoadWarning], note: String?)? {
        guard added.count <= addedLimit(kept: kept) else { return nil }
        let assembler: Assembler
        do throws(ExtractionRecord.Invalid) { assembler = try Assembler(resuming: consume base, saved: consume state) } catch { return nil }
        var before: [String: AddedArticles.Entry] = [:]
        for e in AddedArticles.file.read(addedPath, head: head, snapshotSum: snapshotSum).flatMap(AddedArticles.init(payload:))?.entries ?? [] {
            before[e.file.path] = e
        }
        let earlier = before
        @Sendable func same(_ a: ArticleFile, _ b: ArticleFile) -> Bool {
            a.id == b.id && a.size == b.size && a.modified == b.modified && a.inode == b.inode && a.changed == b.changed
        }
        let folders = Folders(added)
        defer { folders.close() }
        var entries: [AddedArticles.Entry] = []
        var reused = 0
        let (corpus, warnings, _, _) = assembleAll(count: added.count, foresee: { n in progress?(kept + min(n, added.count), kept + added.count) },
                                                   assembled: { i, x in
            if x.reused { reused += 1 }
            entries.append(AddedArticles.Entry(file: added[i], hash: x.hash, text: x.extraction.document.body.withUTF8 { Array($0) }, record: x.record ?? []))
        }, resuming: consume assembler) { i in
            if let e = earlier[added[i].path], same(e.file, added[i]), e.text.withUnsafeBufferPointer({ Snapshot.checksum($0) }) == e.hash,
               let x = try? e.record.withUnsafeBufferPointer({ b throws(ExtractionRecord.Invalid) in try ExtractionRecord.decode(b, body: DocumentText(validUTF8: e.text)) }) {
                return .success(Produced(extraction: x, record: e.record, hash: e.hash, reused: true))
            }
            return read(added[i], in: folders.of(i)).map { article in
                let x = Extractor.extract(id: article.id, path: article.path, bytes: article.bytes)
                return Produced(extraction: x, record: ExtractionRecord.encode(x), hash: article.bytes.withUnsafeBufferPointer { Snapshot.checksum($0) })
            }
        }
        // Nothing new: a load of the snapshot and of what was kept, as it was.
        if reused == added.count, before.count == added.count { return (corpus, warnings, nil) }
        let extracted = added.count - reused - warnings.count
        var note = "snapshot updated: \(articles(extracted)) extracted, \(articles(kept + reused)) kept from it"
        // Files that could not be read are not kept as added: the next load tries them again.
        if warnings.isEmpty, let error = AddedArticles.file.write(AddedArticles(entries).encoded(), head: head, snapshotSum: snapshotSum, to: addedPath) {
            note = "snapshot not updated (\(error)): the articles added are extracted again at each load"
        }
        return (corpus, warnings, note)
    }

    /// "1 article", "20,000 articles".
    private static func articles(_ n: Int) -> String {
        let digits = String(n)
        var grouped = ""
        for (i, c) in digits.enumerated() { if i > 0, (digits.count - i) % 3 == 0 { grouped.append(",") }; grouped.append(c) }
        return grouped + (n == 1 ? " article" : " articles")
    }

    /// The first lines of a manifest: what made the snapshot, known before any file is listed.
    static func manifestHead(extractor: String) -> String {
        "coopq snapshot\nextractor \(extractor)\nlexicons \(Lexicon.fingerprint)\n"
    }

    /// Where the thread that reads a snapshot's assembly's state leaves it; read after the group is waited for.
    private final class SavedReading: @unchecked Sendable {
        var state: Assembler.Saved?
        /// The state, taken out (its tables are then the caller's alone, to be added to in place).
        func take() -> Assembler.Saved? {
            defer { state = nil }
            return state
        }
    }

    /// Where the thread that reads a snapshot leaves what it read; read after the group is waited for.
    private final class SnapshotReading: @unchecked Sendable {
        var result: Result<(corpus: Corpus, manifest: String), Snapshot.Invalid>?
        private let lock = NSLock()
        private var cancelled = false
        /// Tells the reading to stop: its corpus is not wanted.
        func cancel() { lock.withLock { cancelled = true } }
        var isCancelled: () -> Bool { { [self] in lock.withLock { cancelled } } }
        /// The manifest of the snapshot read, when it was read whole.
        var manifest: String? {
            guard case .success(let decoded)? = result else { return nil }
            return decoded.manifest
        }
        /// The corpus read, taken out (its arrays are then the caller's alone, to be added to in place).
        func takeCorpus() -> Corpus? {
            guard case .success(let decoded)? = result else { return nil }
            result = nil
            return decoded.corpus
        }
    }

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

    /// Reads and extracts the files, each read by the worker that extracts it, so the corpus's
    /// bytes are never all in memory at once beside its model.
    ///
    /// A large corpus's texts are written, as they are extracted, to a temporary file in
    /// `$TMPDIR` that is then mapped (see `TextStore`): the model in memory is then mostly the
    /// model. When no such file can be made or written (a full disk), the texts stay in memory.
    /// Files listed without their sizes (-1) are judged by the first batch's (`extractAll`).
    ///
    /// With a snapshot's `draft`, the texts are written to its file whatever their size, and
    /// with `records`, each article's record beside it. With `earlier` (the records and texts of
    /// the snapshot an earlier load saved), an article that is still what it was is not read
    /// but taken from there; the count of those is given back.
    static func extract(_ files: [ArticleFile], draft: Snapshot.Draft? = nil, records: ArticleRecords.Draft? = nil, earlier: Earlier? = nil,
                        spillThreshold: Int = spillThreshold,
                        progress: ((Int, Int) -> Void)? = nil) -> (corpus: Corpus, warnings: [LoadWarning], reused: Int, state: Assembler.State?) {
        let listed = files.allSatisfy { $0.size >= 0 } ? files.reduce(0) { $0 + $1.size } : nil
        // What is still as it was is not read, nor read ahead.
        let unchanged = files.map { f in earlier?.records.entries[f.path].flatMap { $0.isUnchanged(f) ? $0 : nil } }
        let ahead = ReadAhead(paths: zip(files, unchanged).map { $1 == nil ? $0.path : "" })
        defer { ahead.stop() }
        let folders = Folders(files)
        defer { folders.close() }
        let keeping = records != nil
        var reused = 0
        let (corpus, warnings, _, state) = assembleAll(count: files.count, texts: draft?.store, textsFor: draft != nil ? nil : { estimate in
            (listed ?? estimate) >= spillThreshold ? TextStore.temporary(in: FileManager.default.temporaryDirectory.path) : nil
        }, foresee: { n in ahead.want(upTo: n); progress?(min(max(0, n - 2 * batchSize), files.count), files.count) }, assembled: { i, x in
            if x.reused { reused += 1 }
            if let earlier, let entry = unchanged[i] { earlier.passed(entry) }
            guard let records else { return }
            var text: (offset: Int, count: Int)?
            if case .stored(let store, let offset, let count) = x.extraction.document.body.storage, store === draft?.store { text = (offset, count) }
            records.add(files[i], hash: x.hash, record: x.record ?? [], text: text)
        }, keepingState: keeping) { i in
            if let earlier, let entry = unchanged[i], let kept = earlier.produce(entry, keepingRecord: keeping) { return .success(kept) }
            return StageClock.time(.read) { read(files[i], in: folders.of(i)) }.map { article in
                // (Hashed only for records, kept or compared: a load with no snapshot does without.)
                let hash = keeping || earlier != nil ? article.bytes.withUnsafeBufferPointer { Snapshot.checksum($0) } : 0
                // An article touched but not changed (its bytes the same) is kept too.
                if let earlier, let entry = earlier.records.entries[article.path], entry.id == article.id, entry.hash == hash,
                   var kept = earlier.produce(entry, keepingRecord: keeping) {
                    kept.hash = hash
                    return kept
                }
                let x = Extractor.extract(id: article.id, path: article.path, bytes: article.bytes)
                return Produced(extraction: x, record: keeping ? ExtractionRecord.encode(x) : nil, hash: hash)
            }
        }
        return (corpus, warnings, reused, state)
    }

    /// What an earlier load kept: its articles' records, and the snapshot whose file holds their texts.
    final class Earlier: @unchecked Sendable {
        let records: ArticleRecords
        let texts: TextStore
        /// How far the load has come through the records and the texts, and up to where their pages were given back.
        private var reached = (record: 0, text: 0)
        private var released = (record: 0, text: 0)

        init(records: ArticleRecords, texts: TextStore) {
            self.records = records
            self.texts = texts
        }

        /// Told, in order, of each article taken from here once it is assembled: the pages read
        /// for the articles before it are given back every 16 MB (they are in the files, and
        /// the corpus holds its own copies), so that an update holds no more than a full load.
        func passed(_ entry: ArticleRecords.Entry) {
            reached = (max(reached.record, entry.record.upperBound), max(reached.text, entry.text.offset + entry.text.count))
            if reached.record - released.record >= 1 << 24 { records.release(before: reached.record); released.record = reached.record }
            if reached.text - released.text >= 1 << 24 { texts.release(0..<reached.text); released.text = reached.text }
        }

        /// The article of `entry` as the records hold it, its text copied from the snapshot; nil
        /// when its record cannot be read (it is then extracted again).
        func produce(_ entry: ArticleRecords.Entry, keepingRecord: Bool) -> Produced? {
            let text = texts.bytes(entry.text.offset, entry.text.count)
            // The text is checked against the hash of the article it was: the snapshot's own
            // checksum is not read through (its records are not decoded).
            let record = records.record(entry)
            guard text.count == entry.text.count, Snapshot.checksum(text) == entry.hash,
                  let x = try? ExtractionRecord.decode(record, body: DocumentText(validUTF8: Array(text))) else { return nil }
            return Produced(extraction: x, record: keepingRecord ? Array(record) : nil, hash: entry.hash, reused: true)
        }
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
}
