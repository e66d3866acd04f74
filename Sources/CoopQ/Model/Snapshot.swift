import Foundation

/// A loaded corpus in a compact binary form, reloaded instead of re-extracted when no article
/// changed. The file starts with a magic word, the format version and a manifest (what it was
/// built from: the extractor's version and every article's path, size and mtime); it ends with
/// a trailer giving where the records and the string table start, the payload's length and its
/// checksum. Anything that does not match is a reason to rebuild, never to trust.
///
/// The payload is the articles' texts, one after another, then the records, then a table of
/// every other string, each written once and referred to by number: the file is small,
/// decoding makes each distinct string once, and the loaded records share them (a document's
/// id in ten thousand provenances is one string). A document's record gives where its text
/// lies. The texts come first so that a load writes them as it extracts them, straight into
/// the snapshot's file (`Draft`), which is then mapped and is where the corpus reads them:
/// they are written once, and never held in memory all at once. The table comes last so that
/// the file is written as it is made, a megabyte at a time.
///
/// The file is not flushed to the disk before it is renamed into place: it is a cache, and one
/// torn by a crash fails its checksum and is rebuilt.
public enum Snapshot {
    static let magic: [UInt8] = Array("COOPQSNP".utf8)
    static let formatVersion: UInt64 = 6
    static let trailerSize = 32
    /// Where the payload's checksum starts (FNV-1a's offset basis).
    static let checksumSeed: UInt64 = 0xcbf29ce484222325

    public struct Invalid: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    public static func encode(_ corpus: Corpus, manifest: String) -> [UInt8] {
        var out: [UInt8] = []
        _ = write(corpus, manifest: manifest) { out.append(contentsOf: $0); return true }
        return out
    }

    /// The file's first bytes, up to the payload: the magic word, the version, the manifest.
    static func header(_ manifest: String) -> [UInt8] {
        var header = Writer()
        header.bytes = magic
        header.uint(formatVersion)
        header.uint(UInt64(manifest.utf8.count))
        header.bytes.append(contentsOf: manifest.utf8)
        header.pad()
        return header.bytes
    }

    /// Writes the snapshot through `sink` as it is made; false when the sink failed.
    public static func write(_ corpus: Corpus, manifest: String, to sink: (UnsafeBufferPointer<UInt8>) -> Bool) -> Bool {
        let header = header(manifest)
        guard header.withUnsafeBufferPointer(sink) else { return false }
        return withoutActuallyEscaping(sink) { sink in
            var w = Writer()
            w.sink = sink
            return w.payload(corpus, textsIn: nil, at: header.count)
        }
    }

    /// A snapshot made as a corpus is loaded: the header is written first, the texts go to the
    /// same file as they are extracted (its `store`), and `finish` adds the records and names the
    /// file. Until then the file is anonymous, so that a load killed half-way leaves nothing.
    public final class Draft: @unchecked Sendable {
        /// Where the texts are written, and then read from: the draft's file.
        let store: TextStore
        let path: String
        let payload: Int

        /// A draft of the snapshot `path` (whose directory exists); nil when its file cannot be
        /// made or its header cannot be written.
        init?(path: String, manifest: String) {
            let directory = (path as NSString).deletingLastPathComponent
            // What a save killed between naming its file and renaming it left is removed first.
            AtomicFile.removeLeftovers(of: path)
            guard let store = TextStore.draft(in: directory.isEmpty ? "." : directory,
                                              prefix: "." + (path as NSString).lastPathComponent + ".tmp-\(getpid())") else { return nil }
            let header = Snapshot.header(manifest)
            guard header.withUnsafeBytes({ store.append($0) }) != nil else { store.discard(); return nil }
            store.startSum()
            self.store = store
            self.path = path
            self.payload = header.count
        }

        /// Writes the records after the texts (with any text that is not in the file yet) and
        /// puts the file in place of any older snapshot; why not, when it cannot (the old file is
        /// then unchanged). The texts are sealed (`extractAll` seals them) before the corpus is
        /// read on another thread.
        func finish(_ corpus: Corpus) -> AtomicFile.WriteError? {
            store.seal()
            var w = Writer()
            w.sink = { [store] part in store.append(UnsafeRawBufferPointer(part)) != nil }
            w.flushed = store.size - payload
            w.sum = store.endSum() ?? 0
            guard !store.failed, w.flushed % 8 == 0, w.payload(corpus, textsIn: store, at: payload) else {
                store.discard()
                return AtomicFile.WriteError(path: path, reason: String(cString: strerror(store.error == 0 ? EIO : store.error)))
            }
            defer { store.closeFile() }
            if let error = store.link(to: path) { store.discard(); return AtomicFile.WriteError(path: path, reason: error) }
            checksum = w.sum
            return nil
        }

        /// The checksum of the snapshot, once `finish` has put it in place.
        private(set) var checksum: UInt64?

        /// Gives the draft up (a load that skipped files is not saved): its texts stay readable.
        func discard() { store.discard() }
    }

    public static func decode(_ bytes: [UInt8], manifest: String) throws(Invalid) -> Corpus {
        let result: Result<Corpus, Invalid> = bytes.withUnsafeBufferPointer { buffer in
            do throws(Invalid) { return .success(try decode(buffer, manifest: manifest)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// Decodes a snapshot held by a store (a mapped file): the documents' texts stay where they
    /// are, in the store, and the pages read are given back to the kernel as the reading goes
    /// (the checksum, then the records), so the file is never all in memory at once.
    public static func decode(_ store: TextStore, manifest: String) throws(Invalid) -> Corpus {
        try decode(store.buffer, accepting: { $0 == manifest }, texts: store).corpus
    }

    /// Decodes a snapshot held by a store whose manifest `accepts` (asked before anything else
    /// is read); gives its manifest with the corpus, for a caller that can only check all of
    /// it later (a load that lists the folders while the snapshot is read). `isCancelled` is
    /// asked every few megabytes: when it says yes, the decoding stops (`Invalid`).
    public static func decode(_ store: TextStore, accepting accepts: (String) -> Bool,
                              isCancelled: @escaping () -> Bool = { false }) throws(Invalid) -> (corpus: Corpus, manifest: String) {
        let decoded = try decode(store.buffer, accepting: accepts, texts: store, isCancelled: isCancelled)
        return (decoded.corpus, decoded.manifest)
    }

    /// The manifest of the snapshot a store holds, read alone; nil when it is no snapshot of this format.
    static func manifest(of store: TextStore) -> String? {
        let bytes = store.buffer
        guard bytes.count > magic.count, bytes.prefix(magic.count).elementsEqual(magic) else { return nil }
        var r = Reader(bytes: bytes, position: magic.count)
        guard (try? r.uint()) == formatVersion else { return nil }
        return try? r.rawString()
    }

    /// The checksum a snapshot's trailer gives (what pairs it with its articles' records,
    /// `ArticleRecords`), not checked against its bytes.
    static func storedChecksum(of store: TextStore) -> UInt64? {
        let bytes = store.buffer
        guard bytes.count >= magic.count + trailerSize else { return nil }
        return UInt64(littleEndian: UnsafeRawPointer(bytes.baseAddress! + bytes.count - 8).loadUnaligned(as: UInt64.self))
    }

    /// Decodes a snapshot in memory: nothing is copied but the strings, and the texts when no
    /// store holds `bytes`.
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, manifest: String) throws(Invalid) -> Corpus {
        try decode(bytes, accepting: { $0 == manifest }, texts: nil).corpus
    }

    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, accepting accepts: (String) -> Bool,
                       texts store: TextStore?, isCancelled: @escaping () -> Bool = { false }) throws(Invalid) -> (corpus: Corpus, manifest: String) {
        guard bytes.count > magic.count, bytes.prefix(magic.count).elementsEqual(magic) else { throw Invalid(description: "not a coopq snapshot") }
        var r = Reader(bytes: bytes, position: magic.count)
        guard try r.uint() == formatVersion else { throw Invalid(description: "a snapshot of another format") }
        let manifest = try r.rawString()
        guard accepts(manifest) else { throw Invalid(description: "the articles or the extractor changed") }
        let payload = (r.position + 7) / 8 * 8
        guard bytes.count >= payload + trailerSize else { throw Invalid(description: "the snapshot is truncated") }
        func word(_ at: Int) -> UInt64 { UInt64(littleEndian: UnsafeRawPointer(bytes.baseAddress! + at).loadUnaligned(as: UInt64.self)) }
        let trailer = bytes.count - trailerSize
        let records = word(trailer), table = word(trailer + 8), length = word(trailer + 16), sum = word(trailer + 24)
        guard length == UInt64(trailer - payload), records <= table, table <= length, records % 8 == 0, table % 8 == 0 else {
            throw Invalid(description: "the snapshot is truncated")
        }
        var running = checksumSeed
        var at = payload
        while at < trailer {
            let end = min(trailer, at + (16 << 20))  // a multiple of eight: the words line up as in one pass
            if isCancelled() { throw Invalid(description: "not needed") }
            running = checksum(UnsafeBufferPointer(rebasing: bytes[at..<end]), seed: running)
            store?.release(at..<end)
            at = end
        }
        guard running == sum else { throw Invalid(description: "the snapshot is corrupt") }
        var t = Reader(bytes: UnsafeBufferPointer(rebasing: bytes[..<trailer]), position: payload + Int(table))
        let n = try t.count()
        r.table.reserveCapacity(n)
        for i in 0..<n {
            if i & 0xFFFF == 0xFFFF, isCancelled() { throw Invalid(description: "not needed") }
            r.table.append(try t.rawString())
        }
        store?.release((payload + Int(table))..<trailer)
        r = Reader(bytes: UnsafeBufferPointer(rebasing: bytes[..<(payload + Int(table))]), position: payload + Int(records), table: r.table,
                   texts: store, textsStart: payload, textsEnd: payload + Int(records))
        r.isCancelled = isCancelled
        return (try r.corpus(), manifest)
    }

    /// FNV-1a over eight bytes at a step (then the tail a byte at a step): any changed byte
    /// changes it, at memory speed.
    static func checksum(_ bytes: UnsafeBufferPointer<UInt8>, seed: UInt64 = checksumSeed) -> UInt64 {
        var h = seed
        let words = bytes.count / 8
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            for i in 0..<words { h = (h ^ raw.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self)) &* 0x100000001b3 }
        }
        for i in (words * 8)..<bytes.count { h = (h ^ UInt64(bytes[i])) &* 0x100000001b3 }
        return h
    }

    public static func fnv1a<C: Swift.Collection>(_ bytes: C) -> UInt64 where C.Element == UInt8 {
        var h: UInt64 = 0xcbf29ce484222325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100000001b3 }
        return h
    }
}

private struct Writer: BinaryWriting {
    var bytes: [UInt8] = []
    /// Where full megabytes go as they are made (nil: everything stays in `bytes`); how many
    /// bytes went there, their checksum so far, and whether the sink failed.
    var sink: ((UnsafeBufferPointer<UInt8>) -> Bool)?
    var flushed = 0
    var sum = Snapshot.checksumSeed
    var failed = false
    var total: Int { flushed + bytes.count }

    /// Zero bytes up to a multiple of eight of everything written.
    mutating func pad() { while total % 8 != 0 { bytes.append(0) } }

    /// Hands the first `n` bytes (a multiple of eight, or all) to the sink, with their checksum.
    mutating func flush(_ n: Int) {
        guard let sink, n > 0 else { return }
        bytes.withUnsafeBufferPointer { b in
            let part = UnsafeBufferPointer(rebasing: b[..<n])
            sum = Snapshot.checksum(part, seed: sum)
            if !failed, !sink(part) { failed = true }
        }
        flushed += n
        bytes.removeFirst(n)
    }

    mutating func flushIfFull() { if bytes.count >= 1 << 20 { flush(bytes.count / 8 * 8) } }

    /// The payload after the header (`payload` bytes of the file): the texts not in `store` yet,
    /// the records, the string table, and the trailer; false when the sink failed.
    mutating func payload(_ c: Corpus, textsIn store: TextStore?, at payload: Int) -> Bool {
        textOffsets.reserveCapacity(c.documents.count)
        for d in c.documents {
            if let store, case .stored(let s, let offset, _) = d.body.storage, s === store {
                textOffsets.append(offset - payload)
            } else {
                textOffsets.append(total)
                copy(d.body)
                flushIfFull()
            }
        }
        pad()
        let records = total
        corpus(c)
        pad()
        let table = total
        uint(UInt64(strings.count))
        for s in strings { text(s); flushIfFull() }
        pad()
        let length = total
        flush(bytes.count)
        var trailer: [UInt8] = []
        for v in [UInt64(records), UInt64(table), UInt64(length), sum] { withUnsafeBytes(of: v.littleEndian) { trailer.append(contentsOf: $0) } }
        return !failed && trailer.withUnsafeBufferPointer { sink?($0) ?? false }
    }
    /// Where each document's text starts in the payload, in the documents' order.
    var textOffsets: [Int] = []
    var nextDocument = 0
    /// The strings written so far, and their numbers.
    var numbers = StringNumbers()
    var strings: [String] { numbers.strings }

    mutating func double(_ d: Double) { uint(d.bitPattern) }
    mutating func string(_ s: String) {
        // Most strings are written many times over from the same storage (a document's id in
        // each of its provenances): one seen lately is known by its two words, with no hashing
        // of its bytes.
        if let n = recent.value(for: s) { uint(UInt64(n)); return }
        let n = numbers.number(s)
        recent.remember(n, for: s)
        uint(UInt64(n))
    }
    /// The numbers of strings lately written.
    var recent = IdentityCache<Int>(bits: 16)
    /// A string written in place, not in the table (the table's own entries).
    mutating func text(_ s: String) { uint(UInt64(s.utf8.count)); bytes.append(contentsOf: s.utf8) }
    /// A document's text, where it lies in the payload.
    mutating func text(_ t: DocumentText) {
        uint(UInt64(textOffsets[nextDocument]))
        uint(UInt64(t.utf8Count))
        nextDocument += 1
    }
    /// An article's text, copied into the payload. A text kept in a store is copied from its
    /// pages, which are then given back: writing every text out does not bring them all into memory.
    mutating func copy(_ t: DocumentText) {
        t.withUTF8 { bytes.append(contentsOf: $0) }
        // A text is smaller than a page: the pages are given back a megabyte at a time.
        if case .stored(let store, let offset, let count) = t.storage {
            if store !== releasing { releasing = store; released = offset }
            if offset + count - released >= 1 << 20 { store.release(released..<(offset + count)); released = offset + count }
        }
    }
    /// The store whose pages `text` gives back, and up to where.
    var releasing: TextStore?
    var released = 0
    mutating func int(_ v: Int?) { bool(v != nil); if let v { int(v) } }
    mutating func provenance(_ p: Provenance) { string(p.document); int(p.start); int(p.end) }
    mutating func provenances(_ ps: [Provenance]) { uint(UInt64(ps.count)); for p in ps { provenance(p) } }
    mutating func fields(_ f: FieldEvidence) {
        uint(UInt64(f.count))
        f.forEachEntry { k, p in string(k); provenance(p) }
    }

    mutating func corpus(_ c: Corpus) {
        uint(UInt64(c.documents.count))
        for d in c.documents {
            string(d.id); optional(d.title); date(d.date); optional(d.source); optional(d.place); strings(d.author)
            int(d.words); text(d.body); string(d.path)
            fields(d.evidence)
            strings(d.rules.sorted { $0.key < $1.key }.flatMap { [$0.key, $0.value] })
            flushIfFull()
        }
        uint(UInt64(c.events.count))
        for e in c.events {
            string(e.name); string(e.kind); int(e.ordinal); optional(e.series); date(e.date); optional(e.dateText)
            optional(e.place); optional(e.region); optional(e.country); strings(e.participants); strings(e.organizations)
            strings(e.topics); strings(e.documents); provenances(e.evidence); fields(e.fieldEvidence); optional(e.mergedOn); optional(e.rule)
            flushIfFull()
        }
        uint(UInt64(c.people.count))
        for p in c.people {
            string(p.name); optional(p.country); strings(p.titles); strings(p.organizations); strings(p.events)
            strings(p.documents); int(p.mentions); provenances(p.evidence); fields(p.fieldEvidence); bool(p.isAuthor)
            flushIfFull()
        }
        uint(UInt64(c.places.count))
        for p in c.places {
            string(p.name); string(p.kind); optional(p.region); optional(p.country); strings(p.documents); int(p.mentions); provenances(p.evidence)
        }
        uint(UInt64(c.organizations.count))
        for o in c.organizations {
            string(o.name); strings(o.aliases); string(o.kind); optional(o.country); strings(o.documents); int(o.mentions); provenances(o.evidence)
        }
        uint(UInt64(c.topics.count))
        for t in c.topics { string(t.name); strings(t.documents); int(t.mentions); provenances(t.evidence) }
        uint(UInt64(c.agreements.count))
        for a in c.agreements {
            string(a.name); strings(a.parties); date(a.date); optional(a.place); optional(a.event); strings(a.documents); provenances(a.evidence)
        }
        uint(UInt64(c.figures.count))
        for f in c.figures {
            double(f.value); string(f.unit); optional(f.measure); int(f.year); strings(f.documents); provenances(f.evidence)
        }
        uint(UInt64(c.aliases.count))
        for (k, v) in c.aliases.sorted(by: { $0.key < $1.key }) { string(k); string(v) }
    }
}

/// Numbers for strings, the first string seen numbered 0, the next new one 1, and so on: a
/// table open-addressed on a hash of the UTF-8 bytes taken eight at a time (a `Dictionary`
/// hashes a string with SipHash through its Unicode scalars: five times the instructions).
struct StringNumbers {
    /// The strings, in the order of their numbers.
    private(set) var strings: [String] = []
    /// A string's number plus one (0: an empty slot), and the hash of the string there.
    private var slots = [Int32](repeating: 0, count: 1 << 12)
    private var hashes = [UInt64](repeating: 0, count: 1 << 12)

    /// The number of `s`, numbered anew if it was not seen before.
    mutating func number(_ s: String) -> Int {
        var s = s
        let h = s.withUTF8 { Self.hash($0) }
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: h) & mask
        while slots[i] != 0 {
            let n = Int(slots[i]) - 1
            if hashes[i] == h, strings[n] == s { return n }
            i = (i + 1) & mask
        }
        let n = strings.count
        strings.append(s)
        slots[i] = Int32(n + 1)
        hashes[i] = h
        if strings.count * 2 > slots.count { grow() }
        return n
    }

    /// Twice the slots, each string placed again by its hash (kept, not computed again).
    private mutating func grow() {
        let old = (slots, hashes)
        slots = [Int32](repeating: 0, count: old.0.count * 2)
        hashes = [UInt64](repeating: 0, count: old.0.count * 2)
        let mask = slots.count - 1
        for j in 0..<old.0.count where old.0[j] != 0 {
            var i = Int(truncatingIfNeeded: old.1[j]) & mask
            while slots[i] != 0 { i = (i + 1) & mask }
            slots[i] = old.0[j]
            hashes[i] = old.1[j]
        }
    }

    /// A hash of bytes, eight at a time, then the tail, each step multiplied and folded.
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h = UInt64(bytes.count) &* 0x9E37_79B9_7F4A_7C15
        guard let base = bytes.baseAddress else { return h }
        let raw = UnsafeRawPointer(base)
        var i = 0
        while i + 8 <= bytes.count {
            h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 29
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < bytes.count { tail |= UInt64(base[i]) << shift; shift += 8; i += 1 }
        h = (h ^ tail) &* 0xC4CE_B9FE_1A85_EC53
        return h ^ (h >> 32)
    }
}

private struct Reader {
    let bytes: UnsafeBufferPointer<UInt8>
    var position: Int
    var table: [String] = []
    /// The store that holds `bytes`: texts are left in it rather than copied.
    var texts: TextStore?

    mutating func byte() throws(Snapshot.Invalid) -> UInt8 {
        guard position < bytes.count else { throw Snapshot.Invalid(description: "the snapshot ends early") }
        defer { position += 1 }
        return bytes[position]
    }
    mutating func uint() throws(Snapshot.Invalid) -> UInt64 {
        var v: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = try byte()
            guard shift < 64 else { throw Snapshot.Invalid(description: "a number in the snapshot is malformed") }
            v |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return v }
            shift += 7
        }
    }
    mutating func count() throws(Snapshot.Invalid) -> Int {
        let n = try uint()
        guard n <= UInt64(bytes.count - position) else { throw Snapshot.Invalid(description: "a count in the snapshot is impossible") }
        return Int(n)
    }
    mutating func int() throws(Snapshot.Invalid) -> Int {
        let u = Int64(bitPattern: try uint())
        return Int((u >> 1) ^ -(u & 1))
    }
    mutating func bool() throws(Snapshot.Invalid) -> Bool { try byte() != 0 }
    mutating func double() throws(Snapshot.Invalid) -> Double { Double(bitPattern: try uint()) }
    mutating func rawString() throws(Snapshot.Invalid) -> String {
        let n = try count()
        defer { position += n }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[position..<(position + n)]), as: UTF8.self)
    }
    mutating func string() throws(Snapshot.Invalid) -> String {
        let n = try uint()
        guard n < UInt64(table.count) else { throw Snapshot.Invalid(description: "a string number in the snapshot is out of range") }
        return table[Int(n)]
    }
    /// Where the texts lie (the payload's start, and the records' start).
    var textsStart = 0
    var textsEnd = 0
    /// An article's text: where it lies in the store, or a copy.
    mutating func text() throws(Snapshot.Invalid) -> DocumentText {
        let offset = try uint(), n = try uint()
        guard offset <= UInt64(textsEnd - textsStart), n <= UInt64(textsEnd - textsStart) - offset else {
            throw Snapshot.Invalid(description: "a text in the snapshot is out of range")
        }
        let start = textsStart + Int(offset)
        guard let texts else { return DocumentText(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<(start + Int(n))]), as: UTF8.self)) }
        return DocumentText(texts, offset: start, count: Int(n))
    }
    mutating func optional() throws(Snapshot.Invalid) -> String? { try bool() ? try string() : nil }
    mutating func strings() throws(Snapshot.Invalid) -> [String] {
        let n = try count()
        var xs: [String] = []
        xs.reserveCapacity(n)
        for _ in 0..<n { xs.append(try string()) }
        return xs
    }
    mutating func date() throws(Snapshot.Invalid) -> PartialDate? {
        guard try byte() == 1 else { return nil }
        let y = try int(), m = try byte(), d = try byte()
        guard m <= 12, d <= 31 else { throw Snapshot.Invalid(description: "a date in the snapshot is malformed") }
        return PartialDate(year: y, month: m == 0 ? nil : Int(m), day: d == 0 ? nil : Int(d))
    }
    mutating func optionalInt() throws(Snapshot.Invalid) -> Int? { try bool() ? try int() : nil }
    mutating func provenance() throws(Snapshot.Invalid) -> Provenance {
        Provenance(document: try string(), start: try int(), end: try int())
    }
    mutating func provenances() throws(Snapshot.Invalid) -> [Provenance] {
        let n = try count()
        var ps: [Provenance] = []
        for _ in 0..<n { ps.append(try provenance()) }
        return ps
    }
    mutating func fields() throws(Snapshot.Invalid) -> FieldEvidence {
        let n = try count()
        var f = FieldEvidence()
        for _ in 0..<n {
            let k = try string()
            guard FieldEvidence.isField(k) else { throw Snapshot.Invalid(description: "evidence for an unknown field '\(k)'") }
            f[k] = try provenance()
        }
        return f
    }

    /// Asked every 16 MB: whether to stop.
    var isCancelled: () -> Bool = { false }

    /// Gives the pages read since `released` back to the store's file, every 16 MB.
    func releaseRead(_ released: inout Int) throws(Snapshot.Invalid) {
        guard position - released >= 1 << 24 else { return }
        if isCancelled() { throw Snapshot.Invalid(description: "not needed") }
        texts?.release(released..<position)
        released = position
    }

    mutating func corpus() throws(Snapshot.Invalid) -> Corpus {
        var c = Corpus()
        var released = 0
        let documents = try count()
        c.documents.reserveCapacity(documents)
        c.documentIndex.reserveCapacity(documents)
        for _ in 0..<documents {
            try releaseRead(&released)
            var d = Document(id: try string(), title: try optional(), date: try date(), source: try optional(), place: try optional(),
                             author: try strings(), words: try int(), body: try text(), path: try string())
            d.evidence = try fields()
            let rules = try strings()
            guard rules.count % 2 == 0 else { throw Snapshot.Invalid(description: "a document's rules are not pairs") }
            for k in stride(from: 0, to: rules.count, by: 2) { d.rules[rules[k]] = rules[k + 1] }
            c.documentIndex[d.id] = c.documents.count
            c.documents.append(d)
        }
        for _ in 0..<(try count()) {
            var e = Event(name: try string(), kind: try string(), ordinal: try optionalInt(), series: try optional(), date: try date(),
                          dateText: try optional(), place: try optional(), region: try optional(), country: try optional())
            e.participants = try strings(); e.organizations = try strings(); e.topics = try strings(); e.documents = try strings()
            e.evidence = try provenances(); e.fieldEvidence = try fields(); e.mergedOn = try optional(); e.rule = try optional()
            c.events.append(e)
            try releaseRead(&released)
        }
        for _ in 0..<(try count()) {
            var p = Person(name: try string(), country: try optional())
            p.titles = try strings(); p.organizations = try strings(); p.events = try strings(); p.documents = try strings()
            p.mentions = try int(); p.evidence = try provenances(); p.fieldEvidence = try fields(); p.isAuthor = try bool()
            c.people.append(p)
            try releaseRead(&released)
        }
        for _ in 0..<(try count()) {
            var p = Place(name: try string(), kind: try string(), region: try optional(), country: try optional())
            p.documents = try strings(); p.mentions = try int(); p.evidence = try provenances()
            c.places.append(p)
        }
        for _ in 0..<(try count()) {
            var o = Organization(name: try string(), aliases: try strings(), kind: try string(), country: try optional())
            o.documents = try strings(); o.mentions = try int(); o.evidence = try provenances()
            c.organizations.append(o)
        }
        for _ in 0..<(try count()) {
            var t = Topic(name: try string())
            t.documents = try strings(); t.mentions = try int(); t.evidence = try provenances()
            c.topics.append(t)
        }
        for _ in 0..<(try count()) {
            var a = Agreement(name: try string(), parties: try strings(), date: try date(), place: try optional(), event: try optional())
            a.documents = try strings(); a.evidence = try provenances()
            c.agreements.append(a)
        }
        for _ in 0..<(try count()) {
            var f = Figure(value: try double(), unit: try string(), measure: try optional(), year: try optionalInt())
            f.documents = try strings(); f.evidence = try provenances()
            c.figures.append(f)
        }
        for _ in 0..<(try count()) { let k = try string(); c.aliases[k] = try string() }
        // The records end where the string table starts, but for the zeros that align it.
        guard (position + 7) / 8 * 8 == bytes.count, bytes[position..<bytes.count].allSatisfy({ $0 == 0 }) else {
            throw Snapshot.Invalid(description: "the snapshot has bytes after its end")
        }
        return c
    }
}
