import Foundation

/// A snapshot's second file (`<name>.articles` beside `<name>.snapshot`): each article's
/// extraction (`ExtractionRecord`), before events are merged across articles, by the article's
/// path, with its size, mtime, inode, ctime and a hash of its bytes, and where its text lies in the
/// snapshot. A load whose articles changed extracts again only the articles added or changed,
/// takes the rest from here, and assembles them all, as a full load would, into the same model.
///
/// The file is `COOPQART`, the format version, the manifest's first lines (the extractor and the
/// lexicons: another extractor's records are never used), the records, an index of the articles,
/// and a trailer: where the index starts, the checksum of the snapshot it was written with (the
/// texts it points into are that file's), and its own checksum. Anything that does not match makes
/// it unused, never trusted: the load then extracts every article.
final class ArticleRecords: @unchecked Sendable {
    static let magic: [UInt8] = Array("COOPQART".utf8)
    static let formatVersion: UInt64 = 1
    static let trailerSize = 24

    /// Where the records of the snapshot at `snapshot` are kept.
    static func path(ofSnapshot snapshot: String) -> String {
        (snapshot.hasSuffix(".snapshot") ? String(snapshot.dropLast(".snapshot".count)) : snapshot) + ".articles"
    }

    /// One article as the records know it.
    struct Entry {
        var id: String
        var size: Int, modified: Int, inode: UInt64, changed: Int
        /// `Snapshot.checksum` of the article's bytes as read (after any byte-order mark).
        var hash: UInt64
        /// Where its text lies in the snapshot's file.
        var text: (offset: Int, count: Int)
        var record: Range<Int>

        /// Whether the file is the one these records were made from, by its listing alone.
        func isUnchanged(_ f: CorpusLoader.ArticleFile) -> Bool {
            id == f.id && size == f.size && modified == f.modified && inode == f.inode && changed == f.changed
        }
    }

    private let store: TextStore
    /// The articles, by path as the listing gives it.
    let entries: [String: Entry]

    /// The records at `path`, if they were written by this extractor (`head`) along with the
    /// snapshot whose checksum is `snapshotSum`, and are whole.
    init?(path: String, head: String, snapshotSum: UInt64) {
        guard let store = TextStore(mapping: path) else { return nil }
        let bytes = store.buffer
        guard bytes.count >= Self.magic.count + Self.trailerSize, bytes.prefix(Self.magic.count).elementsEqual(Self.magic) else { return nil }
        func word(_ at: Int) -> UInt64 { UInt64(littleEndian: UnsafeRawPointer(bytes.baseAddress! + at).loadUnaligned(as: UInt64.self)) }
        let trailer = bytes.count - Self.trailerSize
        let indexStart = word(trailer), paired = word(trailer + 8), sum = word(trailer + 16)
        guard paired == snapshotSum, indexStart <= UInt64(trailer),
              Snapshot.checksum(UnsafeBufferPointer(rebasing: bytes[..<(trailer + 16)])) == sum else { return nil }
        // The records' pages are given back once checked (the index is read next, then the
        // records as the load reaches them).
        store.release(0..<Int(indexStart))
        var r = RecordReader(bytes: UnsafeBufferPointer(rebasing: bytes[..<trailer]), position: Self.magic.count)
        guard (try? r.uint()) == Self.formatVersion, (try? r.string()) == head else { return nil }
        r.position = Int(indexStart)
        var entries: [String: Entry] = [:]
        do throws(ExtractionRecord.Invalid) {
            let n = try r.count()
            entries.reserveCapacity(n)
            for _ in 0..<n {
                let path = try r.string()
                let id = try r.string(), size = try r.int(), modified = try r.int(), inode = try r.uint(), changed = try r.int()
                let hash = try r.uint(), text = (offset: try r.int(), count: try r.int()), start = try r.int(), end = try r.int()
                guard 0 <= start, start <= end, end <= Int(indexStart) else { return nil }
                entries[path] = Entry(id: id, size: size, modified: modified, inode: inode, changed: changed, hash: hash, text: text,
                                      record: start..<end)
            }
        } catch {
            return nil
        }
        self.store = store
        self.entries = entries
    }

    /// An article's record, as written.
    func record(_ e: Entry) -> UnsafeBufferPointer<UInt8> {
        store.bytes(e.record.lowerBound, e.record.count)
    }

    /// Gives back the pages of the records before `end`: read, they are not needed again.
    func release(before end: Int) { store.release(0..<end) }

    /// Records written as a load goes, a record as each article is assembled, beside a snapshot's
    /// draft; named only once that snapshot is in place (`finish`).
    final class Draft: @unchecked Sendable {
        private let store: TextStore
        private let path: String
        private var buffer: [UInt8] = []
        private var index = RecordWriter()
        private var count = 0
        /// Set when a record could not be kept (an article whose text is not in the snapshot's file).
        private var incomplete = false

        /// A draft of the records at `path` (whose directory exists); nil when no file can be made.
        init?(path: String, head: String) {
            let directory = (path as NSString).deletingLastPathComponent
            AtomicFile.removeLeftovers(of: path)
            guard let store = TextStore.draft(in: directory.isEmpty ? "." : directory,
                                              prefix: "." + (path as NSString).lastPathComponent + ".tmp-\(getpid())") else { return nil }
            self.store = store
            self.path = path
            store.startSum()
            var w = RecordWriter(bytes: ArticleRecords.magic)
            w.uint(ArticleRecords.formatVersion)
            w.string(head)
            buffer = w.bytes
            pad()
        }

        private func pad() { while (store.size + buffer.count) % 8 != 0 { buffer.append(0) } }

        private func flush(whole: Bool = false) {
            guard buffer.count >= (whole ? 1 : 1 << 20) else { return }
            let n = whole ? buffer.count : buffer.count / 8 * 8
            if buffer.withUnsafeBytes({ store.append(UnsafeRawBufferPointer(rebasing: $0[..<n])) }) == nil { incomplete = true }
            buffer.removeFirst(n)
        }

        /// Adds an article's record, in the order of assembly. `text` is where its text lies in
        /// the snapshot's file; nil when it is not there (the snapshot is then not saved either).
        func add(_ f: CorpusLoader.ArticleFile, hash: UInt64, record: [UInt8], text: (offset: Int, count: Int)?) {
            guard let text, !incomplete else { incomplete = true; return }
            let start = store.size + buffer.count
            buffer.append(contentsOf: record)
            index.string(f.path); index.string(f.id); index.int(f.size); index.int(f.modified); index.uint(f.inode); index.int(f.changed)
            index.uint(hash); index.int(text.offset); index.int(text.count); index.int(start); index.int(start + record.count)
            count += 1
            flush()
        }

        /// Writes the index and the trailer and names the file, paired with the snapshot whose
        /// checksum is `snapshotSum` (already in place); why not, when it cannot.
        func finish(snapshotSum: UInt64) -> String? {
            defer { store.closeFile() }
            guard !incomplete else { store.discard(); return "an article's text is not in the snapshot" }
            pad()
            let indexStart = store.size + buffer.count
            var head = RecordWriter()
            head.count(count)
            buffer += head.bytes + index.bytes
            pad()
            for v in [UInt64(indexStart), snapshotSum] { withUnsafeBytes(of: v.littleEndian) { buffer.append(contentsOf: $0) } }
            flush(whole: true)
            guard !incomplete, !store.failed, let sum = store.endSum() else {
                store.discard()
                return String(cString: strerror(store.error == 0 ? EIO : store.error))
            }
            var trailer: [UInt8] = []
            withUnsafeBytes(of: sum.littleEndian) { trailer.append(contentsOf: $0) }
            guard trailer.withUnsafeBytes({ store.append($0) }) != nil else { store.discard(); return String(cString: strerror(store.error)) }
            if let error = store.link(to: path) { store.discard(); return error }
            return nil
        }

        /// Gives the draft up: nothing is named.
        func discard() { store.discard() }
    }
}
