/// One article's extraction (before documents are put together) in a compact binary form, its
/// text left out: what a snapshot keeps of each article (`ArticleRecords`), so that a load
/// extracts again only the articles that changed and assembles the rest from here. Strings are
/// written in place (a record is read alone, on any core); numbers as LEB128 varints, signed ones
/// zigzagged. It holds what `ExtractionLines` holds, field for field.
enum ExtractionRecord {
    struct Invalid: Error, CustomStringConvertible {
        var description: String
    }

    static func encode(_ x: DocumentExtraction) -> [UInt8] {
        var w = RecordWriter()
        w.bytes.reserveCapacity(1024)
        let d = x.document
        w.string(d.id); w.optional(d.title); w.date(d.date); w.optional(d.source); w.optional(d.place); w.strings(d.author)
        w.int(d.words); w.string(d.path)
        w.count(d.evidence.count)
        d.evidence.forEachEntry { field, p in w.string(field); w.int(p.start); w.int(p.end) }
        let rules = d.rules.sorted { $0.key < $1.key }
        w.count(rules.count)
        for (k, v) in rules { w.string(k); w.string(v) }
        w.count(x.sentences.count)
        for s in x.sentences { w.range(s) }
        w.date(x.reference)
        w.count(x.people.count)
        for p in x.people {
            w.string(p.name); w.strings(p.tokens); w.optional(p.country); w.bool(p.countryFromText); w.strings(p.titles)
            w.strings(p.organizations); w.int(p.firstSentence); w.string(p.surname)
            w.count(p.mentions.count)
            for m in p.mentions { w.int(m.sentence); w.range(m.tokens) }
        }
        w.strings(x.personKeys)
        for keys in x.titleKeys { w.strings(keys) }
        w.count(x.mentions.count)
        for m in x.mentions {
            w.range(m.tokens); w.int(m.sentence)
            switch m.kind {
            case .place(let p): w.bool(false); w.place(p)
            case .organization(let o): w.bool(true); w.string(o.name); w.string(o.kind); w.optional(o.country); w.strings(o.aliases)
            }
        }
        w.strings(x.mentionKeys)
        for s in x.mentionSurfaces { w.optional(s) }
        w.count(x.topics.count)
        for t in x.topics { w.string(t.topic); w.int(t.sentence); w.range(t.tokens) }
        w.count(x.events.count)
        for e in x.events { w.event(e) }
        w.count(x.agreements.count)
        for a in x.agreements { w.string(a.name); w.strings(a.parties); w.int(a.sentence); w.int(a.at); w.ints(a.signedAgainIn) }
        for date in x.agreementDates { w.date(date) }
        w.count(x.figures.count)
        for f in x.figures { w.uint(f.value.bitPattern); w.string(f.unit); w.optional(f.measure); w.optionalInt(f.year); w.int(f.sentence) }
        return w.bytes
    }

    /// The extraction a record holds, given its article's text (which the record leaves out).
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, body: DocumentText) throws(Invalid) -> DocumentExtraction {
        var r = RecordReader(bytes: bytes)
        var document = Document(id: try r.string(), title: try r.optional(), date: try r.date(), source: try r.optional(),
                                place: try r.optional(), author: try r.strings(), words: try r.int(), body: body, path: try r.string())
        for _ in 0..<(try r.count()) {
            let field = try r.string()
            guard FieldEvidence.isField(field) else { throw Invalid(description: "evidence for an unknown field '\(field)'") }
            document.evidence[field] = Provenance(document: document.id, start: try r.int(), end: try r.int())
        }
        for _ in 0..<(try r.count()) { let k = try r.string(); document.rules[k] = try r.string() }
        let sentences = try r.list { r throws(Invalid) in try r.range() }
        let reference = try r.date()
        let people = try r.list { r throws(Invalid) in try r.person() }
        let personKeys = try r.strings()
        let titleKeys = try people.map { _ throws(Invalid) in try r.strings() }
        let mentions = try r.list { r throws(Invalid) in try r.mention() }
        let mentionKeys = try r.strings()
        let mentionSurfaces = try mentions.map { _ throws(Invalid) in try r.optional() }
        let topics = try r.list { r throws(Invalid) in (topic: try r.string(), sentence: try r.int(), tokens: try r.range()) }
        let events = try r.list { r throws(Invalid) in try r.event() }
        let agreements = try r.list { r throws(Invalid) in
            LocalAgreement(name: try r.string(), parties: try r.strings(), sentence: try r.int(), at: try r.int(), signedAgainIn: try r.ints())
        }
        let agreementDates = try agreements.map { _ throws(Invalid) in try r.date() }
        let figures = try r.list { r throws(Invalid) in
            LocalFigure(value: Double(bitPattern: try r.uint()), unit: try r.string(), measure: try r.optional(), year: try r.optionalInt(),
                        sentence: try r.int())
        }
        guard r.position == bytes.count, personKeys.count == people.count, mentionKeys.count == mentions.count else {
            throw Invalid(description: "a record's lists do not agree, or it has bytes after its end")
        }
        return DocumentExtraction(document: document, people: people, events: events, mentions: mentions, topics: topics,
                                  agreements: agreements, agreementDates: agreementDates, figures: figures, sentences: sentences,
                                  reference: reference, personKeys: personKeys, titleKeys: titleKeys, mentionKeys: mentionKeys,
                                  mentionSurfaces: mentionSurfaces)
    }
}

/// What the snapshot's writer and a record's writer share: numbers as LEB128 varints (signed
/// ones zigzagged), flags, dates, and lists of strings written as each writer writes a string.
protocol BinaryWriting {
    var bytes: [UInt8] { get set }
    mutating func string(_ s: String)
}

extension BinaryWriting {
    mutating func uint(_ v: UInt64) {
        var v = v
        while v >= 0x80 { bytes.append(UInt8(v & 0x7F) | 0x80); v >>= 7 }
        bytes.append(UInt8(v))
    }
    mutating func int(_ v: Int) { uint(UInt64(bitPattern: Int64((v << 1) ^ (v >> 63)))) }
    mutating func bool(_ b: Bool) { bytes.append(b ? 1 : 0) }
    mutating func optional(_ s: String?) { bool(s != nil); if let s { string(s) } }
    mutating func strings(_ xs: [String]) { uint(UInt64(xs.count)); for x in xs { string(x) } }
    mutating func date(_ d: PartialDate?) {
        guard let d else { bytes.append(0); return }
        bytes.append(1)
        int(d.year)
        bytes.append(UInt8(d.month ?? 0))
        bytes.append(UInt8(d.day ?? 0))
    }
}

/// Writes a record's values (`ExtractionRecord`), its strings in place.
struct RecordWriter: BinaryWriting {
    var bytes: [UInt8] = []

    mutating func count(_ n: Int) { uint(UInt64(n)) }
    mutating func string(_ s: String) {
        var s = s
        s.withUTF8 { count($0.count); bytes.append(contentsOf: $0) }
    }
    mutating func optionalInt(_ v: Int?) { bool(v != nil); if let v { int(v) } }
    mutating func ints(_ xs: [Int]) { count(xs.count); for x in xs { int(x) } }
    mutating func range(_ r: Range<Int>) { int(r.lowerBound); int(r.upperBound) }
    mutating func place(_ p: Lexicon.PlaceEntry) { string(p.name); string(p.kind); optional(p.region); optional(p.country) }
    mutating func event(_ e: LocalEvent) {
        string(e.name); string(e.kind); optionalInt(e.ordinal); optional(e.series); date(e.date); optional(e.dateText)
        bool(e.place != nil); if let p = e.place { place(p) }
        optional(e.country); ints(e.participants); optionalInt(e.clauseEnd); ints(e.recalledSentences); ints(e.pronounParticipants)
        strings(e.organizations); ints(e.sentences); int(e.nameSentence); optionalInt(e.dateSentence); optionalInt(e.placeSentence)
        optional(e.rule)
    }
}

/// Reads a record's values; anything out of place is `ExtractionRecord.Invalid`, never a crash.
struct RecordReader {
    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0
    typealias Invalid = ExtractionRecord.Invalid

    mutating func byte() throws(Invalid) -> UInt8 {
        guard position < bytes.count else { throw Invalid(description: "a record ends early") }
        defer { position += 1 }
        return bytes[position]
    }
    mutating func uint() throws(Invalid) -> UInt64 {
        var v: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = try byte()
            guard shift < 64 else { throw Invalid(description: "a number in a record is malformed") }
            v |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return v }
            shift += 7
        }
    }
    mutating func int() throws(Invalid) -> Int {
        let u = Int64(bitPattern: try uint())
        return Int((u >> 1) ^ -(u & 1))
    }
    /// A count of things or bytes: never more than the bytes left.
    mutating func count() throws(Invalid) -> Int {
        let n = try uint()
        guard n <= UInt64(bytes.count - position) else { throw Invalid(description: "a count in a record is impossible") }
        return Int(n)
    }
    mutating func bool() throws(Invalid) -> Bool { try byte() != 0 }
    mutating func string() throws(Invalid) -> String {
        let n = try count()
        defer { position += n }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[position..<(position + n)]), as: UTF8.self)
    }
    mutating func optional() throws(Invalid) -> String? { try bool() ? try string() : nil }
    mutating func optionalInt() throws(Invalid) -> Int? { try bool() ? try int() : nil }
    mutating func list<T>(_ element: (inout RecordReader) throws(Invalid) -> T) throws(Invalid) -> [T] {
        let n = try count()
        var xs: [T] = []
        xs.reserveCapacity(n)
        for _ in 0..<n { xs.append(try element(&self)) }
        return xs
    }
    mutating func strings() throws(Invalid) -> [String] { try list { r throws(Invalid) in try r.string() } }
    mutating func ints() throws(Invalid) -> [Int] { try list { r throws(Invalid) in try r.int() } }
    mutating func range() throws(Invalid) -> Range<Int> {
        let lo = try int(), hi = try int()
        guard lo <= hi else { throw Invalid(description: "a range in a record is reversed") }
        return lo..<hi
    }
    mutating func date() throws(Invalid) -> PartialDate? {
        guard try byte() == 1 else { return nil }
        let y = try int(), m = try byte(), d = try byte()
        guard m <= 12, d <= 31 else { throw Invalid(description: "a date in a record is malformed") }
        return PartialDate(year: y, month: m == 0 ? nil : Int(m), day: d == 0 ? nil : Int(d))
    }
    mutating func place() throws(Invalid) -> Lexicon.PlaceEntry {
        Lexicon.PlaceEntry(name: try string(), kind: try string(), region: try optional(), country: try optional())
    }
    mutating func person() throws(Invalid) -> LocalPerson {
        let name = try string(), tokens = try strings(), country = try optional(), fromText = try bool(), titles = try strings()
        let organizations = try strings(), first = try int(), surname = try string()
        let p = LocalPerson(name: name, tokens: tokens, firstSentence: first, surname: surname)
        p.country = country
        p.countryFromText = fromText
        for t in titles { p.add(title: t) }
        p.organizations = organizations
        p.mentions = try list { r throws(Invalid) in (sentence: try r.int(), tokens: try r.range()) }
        return p
    }
    mutating func mention() throws(Invalid) -> Mention {
        let tokens = try range(), sentence = try int()
        let kind: Mention.Kind = try bool()
            ? .organization(Lexicon.OrganizationEntry(name: try string(), kind: try string(), country: try optional(), aliases: try strings()))
            : .place(try place())
        return Mention(kind: kind, tokens: tokens, sentence: sentence)
    }
    mutating func event() throws(Invalid) -> LocalEvent {
        let name = try string(), kind = try string(), ordinal = try optionalInt()
        let series = try optional(), date = try date(), dateText = try optional()
        let place = try bool() ? try place() : nil
        let country = try optional(), participants = try ints(), clauseEnd = try optionalInt()
        let recalled = try ints(), pronouns = try ints(), organizations = try strings(), sentences = try ints()
        var e = LocalEvent(name: name, kind: kind, ordinal: ordinal, nameSentence: try int())
        e.series = series; e.date = date; e.dateText = dateText; e.place = place; e.country = country
        e.participants = participants; e.clauseEnd = clauseEnd; e.recalledSentences = recalled; e.pronounParticipants = pronouns
        e.organizations = organizations; e.sentences = sentences
        e.dateSentence = try optionalInt(); e.placeSentence = try optionalInt(); e.rule = try optional()
        return e
    }
}
