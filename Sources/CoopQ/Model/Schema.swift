/// The collections a query can name, and the fields of each: the names of the language.
public enum Collection: String, CaseIterable, Sendable {
    case documents, events, people, places, organizations, topics, agreements, figures

    public struct Field: Sendable, Equatable {
        public var name: String
        public var type: ValueType
        public var about: String
        /// Shown when a query selects nothing; bulky fields (`text`, `evidence`) only on request.
        public var shownByDefault: Bool
    }

    public var fields: [Field] {
        func f(_ name: String, _ type: ValueType, _ about: String, shown: Bool = true) -> Field {
            Field(name: name, type: type, about: about, shownByDefault: shown)
        }
        let strings = ValueType.list(.string)
        switch self {
        case .documents:
            return [f("id", .string, "file name without extension"), f("title", .string, "headline"),
                    f("date", .date, "publication date"), f("year", .number, "publication year"),
                    f("source", .string, "Xinhua, China Daily, TASS, ..."), f("place", .string, "dateline city, else the main event's city"),
                    f("author", strings, "writers and photographers"), f("words", .number, "length in words"),
                    f("text", .string, "the article's text", shown: false), f("path", .string, "the file it was read from")]
        case .events:
            return [f("id", .string, "stable identifier", shown: false), f("name", .string, "the event's name"),
                    f("kind", .string, "forum, roundtable, meeting, talks, summit, signing, ..."),
                    f("ordinal", .number, "6 for \"the 6th ...\""), f("series", .string, "the recurring mechanism it belongs to"),
                    f("date", .date, "when it took place"), f("year", .number, "the year it took place"),
                    f("place", .string, "city"), f("region", .string, "province or oblast"), f("country", .string, "country"),
                    f("participants", strings, "people who took part"), f("organizations", strings, "organizations involved"),
                    f("topics", strings, "fields of cooperation"), f("documents", strings, "ids of the articles that report it"),
                    f("evidence", strings, "the sentences it was read from", shown: false)]
        case .people:
            return [f("id", .string, "stable identifier", shown: false), f("name", .string, "full name as first introduced"),
                    f("country", .string, "country they serve"), f("titles", strings, "posts as written"),
                    f("organizations", strings, "organizations named in their posts"), f("events", strings, "events they took part in"),
                    f("documents", strings, "ids of the articles that name them"), f("mentions", .number, "how often they are named"),
                    f("evidence", strings, "the sentences they were read from", shown: false)]
        case .places:
            return [f("id", .string, "stable identifier", shown: false), f("name", .string, "canonical name"),
                    f("kind", .string, "city, province, country, ..."), f("region", .string, "province or oblast"),
                    f("country", .string, "country"), f("documents", strings, "ids of the articles that name it"),
                    f("mentions", .number, "how often it is named")]
        case .organizations:
            return [f("id", .string, "stable identifier", shown: false), f("name", .string, "canonical name"),
                    f("aliases", strings, "other names, e.g. SCO"), f("kind", .string, "party, ministry, legislature, multilateral, media, ..."),
                    f("country", .string, "country, null for multilateral bodies"), f("documents", strings, "ids of the articles that name it"),
                    f("mentions", .number, "how often it is named")]
        case .topics:
            return [f("id", .string, "stable identifier", shown: false), f("name", .string, "field of cooperation"),
                    f("documents", strings, "ids of the articles that discuss it"), f("mentions", .number, "how often it is named")]
        case .agreements:
            return [f("id", .string, "stable identifier", shown: false), f("name", .string, "what was signed"),
                    f("parties", strings, "who signed it"), f("date", .date, "when"), f("year", .number, "the year it was signed"),
                    f("place", .string, "where"), f("event", .string, "the event it was signed at"),
                    f("documents", strings, "ids of the articles that report it"),
                    f("evidence", strings, "the sentences it was read from", shown: false)]
        case .figures:
            return [f("id", .string, "stable identifier", shown: false), f("value", .number, "the number"),
                    f("unit", .string, "percent, USD, enterprises, ..."), f("measure", .string, "what it counts"),
                    f("year", .number, "the year it refers to"), f("documents", strings, "ids of the articles that give it"),
                    f("evidence", strings, "the sentences it was read from", shown: false)]
        }
    }

    /// The fields a terminal table keeps longest when the screen is too narrow for all, most
    /// needed first; fields not named go before these, from the right.
    public var tableEssentials: [String] {
        switch self {
        case .documents: return ["id", "title", "date", "source", "place"]
        case .events: return ["name", "date", "place", "participants", "kind"]
        case .people: return ["name", "country", "titles", "events"]
        case .agreements: return ["name", "parties", "date", "place"]
        case .figures: return ["value", "unit", "measure", "year"]
        case .places, .organizations, .topics: return ["name", "kind", "country"]
        }
    }

    /// The collection whose records a field names: from an event to its participants' records,
    /// from a person to their events. `participants.country`, `participants of events` follow it.
    public func relation(_ field: String) -> Collection? {
        switch (self, field) {
        case (.events, "participants"), (.documents, "author"), (.agreements, "parties"): return .people
        case (.events, "organizations"), (.people, "organizations"): return .organizations
        case (.events, "topics"): return .topics
        case (.events, "place"), (.documents, "place"), (.agreements, "place"): return .places
        case (.people, "events"), (.agreements, "event"): return .events
        case (_, "documents"): return self == .documents ? nil : .documents
        default: return nil
        }
    }

    /// The field that names a record when records are used as a list
    /// (`participants contains (people where ...)` compares participants with people's names).
    public var keyField: String { self == .documents || self == .figures ? "id" : "name" }

    /// The singular, for messages: "no event has place ...".
    public var singular: String {
        switch self {
        case .documents: return "document"
        case .events: return "event"
        case .people: return "person"
        case .places: return "place"
        case .organizations: return "organization"
        case .topics: return "topic"
        case .agreements: return "agreement"
        case .figures: return "figure"
        }
    }
}

/// A column of a table: its name and type.
public struct Column: Equatable, Sendable {
    public var name: String
    public var type: ValueType
    public var shownByDefault: Bool
    public init(name: String, type: ValueType, shownByDefault: Bool = true) {
        self.name = name
        self.type = type
        self.shownByDefault = shownByDefault
    }
}

/// Rows of values under named, typed columns: a collection, a named result or a statement's result.
public struct Table: Sendable {
    public var columns: [Column]
    public var rows: [[Value]]
    /// The collection the rows are records of, when they are (a filtered collection, a `let`).
    public var collection: Collection?
    /// How a terminal shows it; machine formats always print plain rows.
    public var presentation: Presentation = .rows
    /// Said on standard error beside the result (a search cut at its limit).
    public var notice: String?

    public enum Presentation: Equatable, Sendable {
        case rows
        /// A count by one key: a bar beside each count.
        case bars
        /// Records laid out by date: the date, label and place columns.
        case timeline(date: Int, label: Int, place: Int?)
        /// Search hits: the match between its left and right context.
        case keywordInContext
        /// Text to print as it is (the SQL of `explain sql`).
        case text
    }

    public init(columns: [Column], rows: [[Value]], collection: Collection? = nil) {
        self.columns = columns
        self.rows = rows
        self.collection = collection
    }

    public func columnIndex(_ name: String) -> Int? { columns.firstIndex { $0.name == name } }

    /// The values that name each row when the table is used as a list.
    public var keys: [Value] {
        let index = collection.flatMap { columnIndex($0.keyField) } ?? columnIndex("name") ?? 0
        guard index < columns.count else { return [] }
        return rows.map { $0[index] }
    }
}
