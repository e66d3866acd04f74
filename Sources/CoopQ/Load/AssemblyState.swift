import Foundation

/// A small file kept beside a snapshot and paired with it: `magic`, the format version, the
/// manifest's first lines (the extractor and the lexicons), a payload, then a trailer of the
/// checksum of the snapshot it goes with and its own checksum. Read whole; anything that does not
/// match makes it unused, never trusted.
struct PairedFile {
    let magic: [UInt8]
    let version: UInt64
    /// What its name adds to the snapshot's stem (`.state`, `.added`).
    let suffix: String

    /// Where the file that goes with the snapshot at `snapshot` is kept.
    func path(ofSnapshot snapshot: String) -> String {
        (snapshot.hasSuffix(".snapshot") ? String(snapshot.dropLast(".snapshot".count)) : snapshot) + suffix
    }

    /// Writes `payload` at `path` in one step (a reader sees the old file or the new one); why not, when it cannot.
    func write(_ payload: [UInt8], head: String, snapshotSum: UInt64, to path: String) -> String? {
        var w = RecordWriter(bytes: magic)
        w.uint(version)
        w.string(head)
        w.bytes += payload
        withUnsafeBytes(of: snapshotSum.littleEndian) { w.bytes.append(contentsOf: $0) }
        let sum = w.bytes.withUnsafeBufferPointer { Snapshot.checksum($0) }
        withUnsafeBytes(of: sum.littleEndian) { w.bytes.append(contentsOf: $0) }
        do throws(AtomicFile.WriteError) { try AtomicFile.write(w.bytes, to: path, newFileMode: 0o600, durable: false) } catch { return error.reason }
        return nil
    }

    /// The payload of the file at `path`, when it is whole, of this format, written by this
    /// extractor (`head`) and paired with the snapshot whose checksum is `snapshotSum`.
    func read(_ path: String, head: String, snapshotSum: UInt64) -> [UInt8]? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let bytes = [UInt8](data)
        guard bytes.count >= magic.count + 16, bytes.prefix(magic.count).elementsEqual(magic) else { return nil }
        let end = bytes.count - 16
        return bytes.withUnsafeBufferPointer { b -> [UInt8]? in
            func word(_ at: Int) -> UInt64 { UInt64(littleEndian: UnsafeRawPointer(b.baseAddress! + at).loadUnaligned(as: UInt64.self)) }
            guard word(end) == snapshotSum, Snapshot.checksum(UnsafeBufferPointer(rebasing: b[..<(end + 8)])) == word(end + 8) else { return nil }
            var r = RecordReader(bytes: UnsafeBufferPointer(rebasing: b[..<end]), position: magic.count)
            guard (try? r.uint()) == version, (try? r.string()) == head else { return nil }
            return Array(b[r.position..<end])
        }
    }
}

/// What assembly knew when a snapshot was written (`Assembler.State`), in `<name>.state`: a load
/// of the same articles and more, the added ones listed after all the others, goes on assembling
/// from the snapshot's corpus rather than assembling every article again.
enum AssemblyState {
    static let file = PairedFile(magic: Array("COOPQSTA".utf8), version: 1, suffix: ".state")
}

/// The articles added to a snapshot's folders since it was written (`<name>.added`), each listed
/// after all of the snapshot's: their listing, a hash of their bytes, their text and their
/// extraction's record (`ExtractionRecord`). A load assembles them onto the snapshot's corpus
/// (`AssemblyState`) and writes this small file anew, not the whole snapshot; once they are many,
/// the snapshot is written again with them in it.
struct AddedArticles {
    static let file = PairedFile(magic: Array("COOPQADD".utf8), version: 1, suffix: ".added")

    struct Entry {
        var file: CorpusLoader.ArticleFile
        var hash: UInt64
        var text: [UInt8]
        var record: [UInt8]
    }

    var entries: [Entry] = []

    init(_ entries: [Entry]) { self.entries = entries }

    /// The entries of a payload that `encoded` wrote; nil when it is malformed.
    init?(payload: [UInt8]) {
        let read = payload.withUnsafeBufferPointer { b -> [Entry]? in
            var r = RecordReader(bytes: b)
            guard let entries = try? r.list({ r throws(ExtractionRecord.Invalid) in
                let f = CorpusLoader.ArticleFile(id: try r.string(), path: try r.string(), size: try r.int(), modified: try r.int(),
                                                 inode: try r.uint(), changed: try r.int())
                let hash = try r.uint()
                func bytes() throws(ExtractionRecord.Invalid) -> [UInt8] {
                    let n = try r.count()
                    defer { r.position += n }
                    return Array(b[r.position..<(r.position + n)])
                }
                return Entry(file: f, hash: hash, text: try bytes(), record: try bytes())
            }) else { return nil }
            return r.position == b.count ? entries : nil
        }
        guard let read else { return nil }
        entries = read
    }

    func encoded() -> [UInt8] {
        var w = RecordWriter()
        w.count(entries.count)
        for e in entries {
            w.string(e.file.id); w.string(e.file.path); w.int(e.file.size); w.int(e.file.modified); w.uint(e.file.inode); w.int(e.file.changed)
            w.uint(e.hash)
            w.count(e.text.count); w.bytes += e.text
            w.count(e.record.count); w.bytes += e.record
        }
        return w.bytes
    }
}
