/// Texts of the shell's `.help` and `.schema`, with examples drawn from the loaded corpus.
public enum Help {
    public static func text(topic: String?, engine: Engine) -> String {
        if let topic, let c = Collection(rawValue: topic) { return schema(c.rawValue, engine: engine) + "\n\nFor example:\n  " + examples(engine, for: c).joined(separator: "\n  ") }
        switch topic {
        case "commands", "dot":
            return commands
        case "language", "syntax":
            return language
        case nil:
            return """
                Ask with statements; each ends at ';' or at the end of a complete line. For example:
                  \(examples(engine, for: nil).joined(separator: "\n  "))

                Collections: \(Collection.allCases.map(\.rawValue).joined(separator: ", "))
                Tab completes keywords, fields and the values that occur. An unfinished statement
                continues on the next line. Ctrl-C clears the line or stops a statement; Ctrl-D leaves.

                .help language    the statements and operators
                .help commands    the dot commands
                .help events      the fields of a collection, with examples
                """
        default:
            let suggestion = nearest(to: topic ?? "", in: Collection.allCases.map(\.rawValue) + ["commands", "language"])
            return "no help on '\(topic ?? "")'" + (suggestion.map { "; did you mean '\($0)'?" } ?? "; try .help")
        }
    }

    static let commands = """
        .help [topic]        this help; topics: language, commands, or a collection
        .format FMT          table, json, jsonl, csv, tsv or markdown
        .timing on|off       print each statement's time
        .rows N|all          how many rows of a table to show on the screen
        .width N|auto        how many columns tables fit (auto: the terminal's)
        .corpus DIR...       load another folder (or folders) of .txt articles
        .read FILE           run the statements of a script
        .output FILE|stdout  send results to a file, each in full as it comes
        .schema [name]       the fields of a collection, or of all collections
        .history             the statements of past sessions
        .export PATH         write the model as tables: a folder of CSV and JSON Lines, or PATH.sqlite
        .quit, .exit         leave (Ctrl-D does the same)
        """

    static let language = """
        [count] COLLECTION [where CONDITION] [by FIELD, ...] [select FIELD, ...]
                           [order by FIELD [asc|desc], ...] [limit N]
        let NAME = QUERY                 name a result; use NAME as a collection or a list

        conditions: = != < <= > >=   between A and B   in (A, B)   contains   matches "regex"
                    is null   is not null   and   or   not   ( )
        lists:      "Wang Hailin" in participants   topics contains "energy"   any participants in NAME
        sub-query:  participants contains (people where country = "Russia")
        values:     "text"  2025  28.1  2025-11-24  2025-11  true  false  null  $param
        text = ignores case, spacing, punctuation and diacritics, and knows aliases (SCO, St. Petersburg).
        """

    /// Statements that give an answer on this corpus, built from values that occur in it.
    static func examples(_ engine: Engine, for collection: Collection?) -> [String] {
        let corpus = engine.corpus
        let place = corpus.events.compactMap(\.place).first ?? corpus.documents.compactMap(\.place).first
        let year = corpus.documents.compactMap(\.date?.year).max()
        let person = corpus.people.first { !$0.events.isEmpty }?.name
        let country = corpus.people.compactMap(\.country).first
        let topic = corpus.topics.first?.name
        var all: [(Collection, String)] = []
        if let place, let year { all.append((.events, "events where place = \(Printer.literal(.string(place))) and year >= \(year - 1)")) }
        all.append((.events, "count events by year"))
        if let person { all.append((.events, "events where \(Printer.literal(.string(person))) in participants select name, date")) }
        if let country { all.append((.people, "people where country = \(Printer.literal(.string(country))) select name, titles")) }
        if let topic { all.append((.documents, "documents where text contains \(Printer.literal(.string(topic))) select id, title, date")) }
        all.append((.organizations, "organizations where name = \"SCO\" select name, aliases, kind"))
        all.append((.figures, "figures select value, unit, measure, year"))
        all.append((.places, "count places by country order by count desc"))
        all.append((.topics, "topics order by mentions desc limit 5"))
        all.append((.agreements, "agreements select name, parties, date, place"))
        if let collection {
            let own = all.filter { $0.0 == collection }.map(\.1)
            return own.isEmpty ? ["\(collection.rawValue) limit 5"] : own
        }
        return Array(all.prefix(4).map(\.1))
    }

    public static func schema(_ name: String?, engine: Engine) -> String {
        let collections: [Collection]
        if let name {
            if let c = Collection(rawValue: name) { collections = [c] }
            else if let t = engine.named[name] {
                return "\(name): " + t.columns.map { "\($0.name) \($0.type)" }.joined(separator: ", ")
            } else {
                let suggestion = nearest(to: name, in: engine.sourceNames)
                return "no collection '\(name)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? "")
            }
        } else { collections = Collection.allCases }
        return collections.map { c in
            let count = engine.table(c).rows.count
            let width = c.fields.map(\.name.count).max() ?? 0
            // The type column as wide as its widest type, so no type runs into its description.
            let typeWidth = c.fields.map { "\($0.type)".count }.max() ?? 0
            return "\(c.rawValue) (\(count) \(count == 1 ? c.singular : c.rawValue))\n" + c.fields.map { f in
                "  " + f.name + String(repeating: " ", count: width - f.name.count) + "  " + "\(f.type)".padding(typeWidth + 2) + f.about
            }.joined(separator: "\n")
        }.joined(separator: "\n\n")
    }
}

extension String {
    func padding(_ width: Int) -> String { count >= width ? self + " " : self + String(repeating: " ", count: width - count) }
}
