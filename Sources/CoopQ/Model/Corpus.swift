import Foundation

/// Everything extracted from a folder of articles: the records of each collection, and the
/// tables the language queries.
public struct Corpus: Sendable {
    public var documents: [Document] = []
    public var events: [Event] = []
    public var people: [Person] = []
    public var places: [Place] = []
    public var organizations: [Organization] = []
    public var topics: [Topic] = []
    public var agreements: [Agreement] = []
    public var figures: [Figure] = []
    /// Match keys of alternative names to the match key of the canonical name
    /// (`sco` → `shanghaicooperationorganization`), so `=` knows aliases.
    public var aliases: [String: String] = [:]

    public init() {}

    public var summary: String {
        func n(_ count: Int, _ word: String, _ plural: String) -> String { "\(count) \(count == 1 ? word : plural)" }
        return [n(documents.count, "document", "documents"), n(events.count, "event", "events"),
                n(people.count, "person", "people"), n(places.count, "place", "places"),
                n(organizations.count, "organization", "organizations"), n(topics.count, "topic", "topics"),
                n(agreements.count, "agreement", "agreements"), n(figures.count, "figure", "figures")].joined(separator: ", ")
    }

    /// The canonical match key of a string: its own key, or the canonical name's key for an alias.
    public func canonicalKey(_ s: String) -> String {
        let key = matchKey(s)
        return aliases[key] ?? key
    }

    /// "id: sentence", written from the bytes of the id and of the document's text into one new
    /// string (a table of a hundred thousand events makes hundreds of thousands of them).
    private func evidenceText(_ p: Provenance) -> Value {
        guard let i = documentIndex[p.document] ?? documents.firstIndex(where: { $0.id == p.document }) else { return .string(p.document + ": ") }
        var id = p.document
        let made: String = id.withUTF8 { idBytes in
            documents[i].body.withUTF8 { textBytes in
                let s = min(max(0, p.start), textBytes.count), e = min(max(s, p.end), textBytes.count)
                let sentence = UnsafeBufferPointer(rebasing: textBytes[s..<e])
                return String(unsafeUninitializedCapacity: idBytes.count + 2 + sentence.count) { out in
                    _ = UnsafeMutableBufferPointer(rebasing: out[0..<idBytes.count]).initialize(from: idBytes)
                    out[idBytes.count] = UInt8(ascii: ":")
                    out[idBytes.count + 1] = UInt8(ascii: " ")
                    _ = UnsafeMutableBufferPointer(rebasing: out[(idBytes.count + 2)...]).initialize(from: sentence)
                    return idBytes.count + 2 + sentence.count
                }
            }
        }
        return .string(made)
    }

    /// Documents by id, for provenance.
    public var documentIndex: [String: Int] = [:]

    /// The text a provenance range points at.
    public func sentence(at p: Provenance) -> String {
        guard let i = documentIndex[p.document] ?? documents.firstIndex(where: { $0.id == p.document }) else { return "" }
        return documents[i].body.withUTF8 { utf8 in
            let s = min(max(0, p.start), utf8.count), e = min(max(s, p.end), utf8.count)
            return String(decoding: UnsafeBufferPointer(rebasing: utf8[s..<e]), as: UTF8.self)
        }
    }

    /// The records of a collection as a table with the collection's fields as columns.
    /// `evidence: false` leaves the hidden evidence column empty (for a statement that does not
    /// read it, and for the export, which leaves it out): its sentences are not looked up.
    /// `text: false` leaves the documents' hidden text column null (for a statement that does
    /// not read it): texts kept in a store stay there rather than being copied into the table.
    public func table(_ collection: Collection, evidence: Bool = true, text: Bool = true) -> Table {
        let columns = collection.fields.map { Column(name: $0.name, type: $0.type, shownByDefault: $0.shownByDefault) }
        @Sendable func s(_ x: String?) -> Value { x.map(Value.string) ?? .null }
        @Sendable func l(_ xs: [String]) -> Value { .list(xs.map(Value.string)) }
        @Sendable func d(_ x: PartialDate?) -> Value { x.map(Value.date) ?? .null }
        @Sendable func n(_ x: Int?) -> Value { x.map { .number(Double($0)) } ?? .null }
        @Sendable func ev(_ ps: [Provenance]) -> Value { evidence ? .list(ps.map(evidenceText)) : .list([]) }
        let rows: [[Value]]
        switch collection {
        case .documents:
            rows = parallelRows(documents) { _, doc in [.string(doc.id), s(doc.title), d(doc.date), n(doc.date?.year), s(doc.source), s(doc.place),
                                    l(doc.author), n(doc.words), text ? .string(doc.text) : .null, .string(doc.path)] }
        case .events:
            rows = parallelRows(events) { i, e in
                [.string("e\(i + 1)"), .string(e.name), .string(e.kind), n(e.ordinal), s(e.series), d(e.date), n(e.date?.year),
                 s(e.place), s(e.region), s(e.country), l(e.participants), l(e.organizations), l(e.topics), l(e.documents), ev(e.evidence)]
            }
        case .people:
            rows = parallelRows(people) { i, p in
                [.string("p\(i + 1)"), .string(p.name), s(p.country), l(p.titles), l(p.organizations), l(p.events),
                 l(p.documents), n(p.mentions), ev(p.evidence)]
            }
        case .places:
            rows = parallelRows(places) { i, p in
                [.string("pl\(i + 1)"), .string(p.name), .string(p.kind), s(p.region), s(p.country), l(p.documents), n(p.mentions)]
            }
        case .organizations:
            rows = parallelRows(organizations) { i, o in
                [.string("o\(i + 1)"), .string(o.name), l(o.aliases), .string(o.kind), s(o.country), l(o.documents), n(o.mentions)]
            }
        case .topics:
            rows = parallelRows(topics) { i, t in [.string("t\(i + 1)"), .string(t.name), l(t.documents), n(t.mentions)] }
        case .agreements:
            rows = parallelRows(agreements) { i, a in
                [.string("a\(i + 1)"), .string(a.name), l(a.parties), d(a.date), n(a.date?.year), s(a.place), s(a.event),
                 l(a.documents), ev(a.evidence)]
            }
        case .figures:
            rows = parallelRows(figures) { i, f in
                [.string("f\(i + 1)"), .number(f.value), .string(f.unit), s(f.measure), n(f.year), l(f.documents), ev(f.evidence)]
            }
        }
        return Table(columns: columns, rows: rows, collection: collection)
    }
}

/// The rows of a large collection, made on every core (a table of a hundred thousand events,
/// each with its evidence sentences, is made in half the time on two); small ones in order.
func parallelRows<T: Sendable>(_ records: [T], _ row: @Sendable (Int, T) -> [Value]) -> [[Value]] {
    parallelMap(records.count, from: 8192, placeholder: []) { row($0, records[$0]) }
}

/// `transform` of `0..<count`, in chunks on every core when there are at least `threshold`
/// of them (each chunk writes only its own slots), else in order on this thread.
func parallelMap<R>(_ count: Int, from threshold: Int, placeholder: R, _ transform: @Sendable (Int) -> R) -> [R] {
    guard count >= threshold else { return (0..<count).map(transform) }
    let chunks = ProcessInfo.processInfo.activeProcessorCount * 4
    var results = [R](repeating: placeholder, count: count)
    results.withUnsafeMutableBufferPointer { buffer in
        nonisolated(unsafe) let slots = buffer
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            for i in (count * chunk / chunks)..<(count * (chunk + 1) / chunks) { slots[i] = transform(i) }
        }
    }
    return results
}
