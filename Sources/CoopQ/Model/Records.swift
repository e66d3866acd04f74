/// Where a fact came from: a document and a byte range of its text.
public struct Provenance: Hashable, Sendable {
    public var document: String
    public var start: Int
    public var end: Int
    public init(document: String, start: Int, end: Int) {
        self.document = document
        self.start = start
        self.end = end
    }
}

/// Where single fields of a record were read (its title, date, source, place, name), kept
/// inline: a record has a handful of known fields, so it needs no dictionary of its own (a
/// hundred thousand of them were 50 MB).
public struct FieldEvidence: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral {
    /// The fields, in the order they are listed (and written to snapshots).
    public static let fields = ["date", "name", "place", "source", "title"]
    private var date, name, place, source, title: Provenance?

    public init() {}
    /// The fields given, by name: no string is matched.
    init(date: Provenance? = nil, name: Provenance? = nil, place: Provenance? = nil, source: Provenance? = nil, title: Provenance? = nil) {
        (self.date, self.name, self.place, self.source, self.title) = (date, name, place, source, title)
    }
    public init(dictionaryLiteral elements: (String, Provenance)...) {
        for (k, v) in elements { self[k] = v }
    }

    public static func isField(_ field: String) -> Bool { fields.contains(field) }

    /// The provenance of a field; nil for a field it does not have (or does not know).
    public subscript(field: String) -> Provenance? {
        get {
            switch field {
            case "date": return date
            case "name": return name
            case "place": return place
            case "source": return source
            case "title": return title
            default: return nil
            }
        }
        set {
            switch field {
            case "date": date = newValue
            case "name": name = newValue
            case "place": place = newValue
            case "source": source = newValue
            case "title": title = newValue
            default: assertionFailure("no field '\(field)' has evidence")
            }
        }
    }

    /// The fields that have evidence, with it, in the order of `fields`.
    public var entries: [(key: String, value: Provenance)] {
        [("date", date), ("name", name), ("place", place), ("source", source), ("title", title)].compactMap { k, v in v.map { (k, $0) } }
    }
    public var count: Int { (date != nil ? 1 : 0) + (name != nil ? 1 : 0) + (place != nil ? 1 : 0) + (source != nil ? 1 : 0) + (title != nil ? 1 : 0) }

    /// Each field that has evidence, with it, in the order of `fields`, with no array made.
    public func forEachEntry(_ body: (String, Provenance) -> Void) {
        if let date { body("date", date) }
        if let name { body("name", name) }
        if let place { body("place", place) }
        if let source { body("source", source) }
        if let title { body("title", title) }
    }
    public func makeIterator() -> IndexingIterator<[(key: String, value: Provenance)]> { entries.makeIterator() }
}

public struct Document: Sendable {
    public var id: String
    public var title: String?
    public var date: PartialDate?
    public var source: String?
    public var place: String?
    public var author: [String]
    public var words: Int
    /// The article's text: in memory, or in the corpus's `TextStore`.
    public var body: DocumentText
    public var path: String
    public var evidence = FieldEvidence()
    /// The rule of `header.rules` that read each field it names (`date`, `source`, ...); the
    /// fields the built-in readings gave are not in it.
    public var rules: [String: String] = [:]

    public init(id: String, title: String?, date: PartialDate?, source: String?, place: String?, author: [String],
                words: Int, text: String, path: String) {
        self.init(id: id, title: title, date: date, source: source, place: place, author: author, words: words, body: DocumentText(text), path: path)
    }

    public init(id: String, title: String?, date: PartialDate?, source: String?, place: String?, author: [String],
                words: Int, body: DocumentText, path: String) {
        self.id = id; self.title = title; self.date = date; self.source = source; self.place = place
        self.author = author; self.words = words; self.body = body; self.path = path
    }

    /// The article's text, as a new string when it is kept in a store.
    public var text: String { body.string }
}

public struct Event: Sendable {
    public var name: String
    public var kind: String
    public var ordinal: Int?
    public var series: String?
    public var date: PartialDate?
    /// The words the date was read from ("on Monday", "Nov. 3, 2025").
    public var dateText: String?
    public var place: String?
    public var region: String?
    public var country: String?
    public var participants: [String] = []
    public var organizations: [String] = []
    public var topics: [String] = []
    public var documents: [String] = []
    /// Every sentence the event was read from, in every document that reports it.
    public var evidence: [Provenance] = []
    /// The sentence each field was read from.
    public var fieldEvidence = FieldEvidence()
    /// Why reports from several documents were taken as one event.
    public var mergedOn: String?
    /// The rule that read it (its first report's): a rule of `Rules/*.rules`, or the name of
    /// one of the event finder's own readings.
    public var rule: String?

    public init(name: String, kind: String, ordinal: Int? = nil, series: String? = nil, date: PartialDate? = nil, dateText: String? = nil,
                place: String? = nil, region: String? = nil, country: String? = nil) {
        self.init(name: name, kind: kind, ordinal: ordinal, series: series, date: date, dateText: dateText, place: place, region: region,
                  country: country, participants: [], organizations: [], topics: [], documents: [], evidence: [], fieldEvidence: FieldEvidence())
    }

    /// Every field at once, as the assembler makes a report: built in one piece, not copied
    /// out of a variable that is changed a field at a time.
    init(name: String, kind: String, ordinal: Int?, series: String?, date: PartialDate?, dateText: String?, place: String?, region: String?,
         country: String?, participants: [String], organizations: [String], topics: [String], documents: [String], evidence: [Provenance],
         fieldEvidence: FieldEvidence) {
        self.name = name
        self.kind = kind
        self.ordinal = ordinal
        self.series = series
        self.date = date
        self.dateText = dateText
        self.place = place
        self.region = region
        self.country = country
        self.participants = participants
        self.organizations = organizations
        self.topics = topics
        self.documents = documents
        self.evidence = evidence
        self.fieldEvidence = fieldEvidence
    }
}

public struct Person: Sendable {
    public var name: String
    public var country: String?
    public var titles: [String] = []
    public var organizations: [String] = []
    public var events: [String] = []
    public var documents: [String] = []
    public var mentions: Int = 0
    public var evidence: [Provenance] = []
    public var fieldEvidence = FieldEvidence()
    /// A byline or photo credit: an author, never a participant.
    public var isAuthor = false

    public init(name: String, country: String?) {
        self.name = name
        self.country = country
    }
}

public struct Place: Sendable {
    public var name: String
    public var kind: String
    public var region: String?
    public var country: String?
    public var documents: [String] = []
    public var mentions: Int = 0
    public var evidence: [Provenance] = []
}

public struct Organization: Sendable {
    public var name: String
    public var aliases: [String] = []
    public var kind: String
    public var country: String?
    public var documents: [String] = []
    public var mentions: Int = 0
    public var evidence: [Provenance] = []
}

public struct Topic: Sendable {
    public var name: String
    public var documents: [String] = []
    public var mentions: Int = 0
    public var evidence: [Provenance] = []
}

public struct Agreement: Sendable {
    public var name: String
    public var parties: [String] = []
    public var date: PartialDate?
    public var place: String?
    public var event: String?
    public var documents: [String] = []
    public var evidence: [Provenance] = []
}

public struct Figure: Sendable {
    public var value: Double
    public var unit: String
    public var measure: String?
    public var year: Int?
    public var documents: [String] = []
    public var evidence: [Provenance] = []
}
