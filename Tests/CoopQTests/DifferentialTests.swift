import CoopQ
@preconcurrency import CSQLite
import Foundation
import Testing

/// coopq and SQLite, over the tables `export` writes, give the same rows for the same question:
/// each query runs in coopq, and its `explain sql` runs in SQLite.
let differentialQueries = [
    "events select name, date",
    "events where place = \"xian\" select name",
    "events where place = \"XI'AN\" and year >= 2023 select name, ordinal",
    "events where year >= 2023 and year < 2026 select name, year",
    "events where ordinal is not null select name, ordinal",
    "events where ordinal is null select name",
    "events where not (place = \"Moscow\") select name",
    "events where place != \"Moscow\" select name",
    "events where kind in (\"forum\", \"roundtable\", \"expo\") select name, kind",
    "events where ordinal in (6, 10, 30) select ordinal",
    "events where ordinal between 5 and 12 select name, ordinal",
    "events where date >= 2025-11 select name, date",
    "events where date = 2025-11-24 select name",
    "events where date between 2020-01-01 and 2023-12-31 select name, date",
    "events where date < 2021 select name",
    "events where \"Li Qiang\" in participants select name",
    "events where participants contains \"Mikhail Mishustin\" select name",
    "events where participants contains (people where country = \"Russia\") select name",
    "events where any participants in (people where country = \"China\" and titles is not null) select name",
    "events where participants is null select name",
    "events where topics is not null and kind = \"forum\" select name",
    "events where place in (\"Moscow\", \"St. Petersburg\", \"Harbin\") select name, place",
    "events where (kind = \"meeting\" or kind = \"talks\") and country = \"Russia\" select name",
    "events where participants.count >= 3 select name, participants.count",
    "events where year(date) = 2024 select name",
    "people where country = \"Russia\" select name",
    "people where country is null select name",
    "people where \"Prime Minister\" in titles select name",
    "documents where source = \"xinhua\" select id",
    "documents where source is null select id, title",
    "documents where year = 2016 select id",
    "places where country = \"China\" select name, kind",
    "organizations where name = \"SCO\" select name",
    "organizations where name = \"Shanghai Cooperation Organisation\" select name, kind",
    "figures where unit = \"percent\" and value < 0 select value",
    "figures where value > 100 select value, unit",
    "count events",
    // Plain counts of the shapes the column store filters in bulk (row numbers never made).
    "count events where place = \"Moscow\"",
    "count events where place != \"Moscow\"",
    "count events where ordinal != 6",
    "count events where ordinal >= 6 and kind = \"forum\"",
    "count events where \"Li Qiang\" in participants",
    "count events where participants contains \"Mikhail Mishustin\"",
    "count events where participants contains (people where country = \"Russia\")",
    "count figures where value > 100",
    "count events by year",
    "count events by kind",
    "count events by country",
    "count people by country",
    "count documents by source",
    "count events by topics",
    "count events by participants",
    "count events where year >= 2020 by kind",
    "max ordinal of events by kind",
    "min date of events",
    "avg value of figures where unit = \"enterprises\"",
    "sum value of figures by unit",
    "events where year >= 2020 select name, date order by date desc, name limit 5",
    "count events by kind order by count desc, kind limit 3",
    // A phrase inside an element or a text, at word boundaries; text in coopq's order.
    "people where titles contains \"deputy\" select name",
    "people where country = \"Russia\" and titles contains \"deputy prime minister\" select name",
    "events where participants contains \"Li\" select name",
    "events where name contains \"forum\" select name",
    "events where name contains \"china russia\" select name",
    "organizations where aliases contains \"sco\" select name",
    "documents where title contains \"Russia\" select id",
    "people select name order by name",
    "people where country is not null select name, country order by country desc, name",
    "events where place is not null select name, place order by place, name",
    "count events by kind order by kind",
    "distinct place of events",
    "distinct participants of events",
    "distinct kind of events where year >= 2020",
    "distinct ordinal of events",
    "events where len(participants) >= 2 select name, len(participants)",
    // Following a field to the records it names, and the records themselves.
    "events where participants.country contains \"Russia\" select name",
    "events where \"China\" in participants.country select name",
    "events where place.country contains \"China\" select name",
    "participants of events where kind = \"forum\" select name",
    "(participants of events where kind = \"forum\") where country = \"Russia\" select name",
    "people where events contains (events where kind = \"forum\") select name",
    // Fields followed to the records a field names: from a list, each value once in the list's order.
    "events select name, participants.country order by name",
    "events where participants is not null select name, participants.titles, participants.count",
    "events select name, place.region, place.country",
    "people select name, events.kind, events.date, documents.source",
    "people where country = \"Russia\" select name, organizations.kind",
    "agreements select name, event.date, event.place, parties.country",
    "count events by kind select kind, count",
    "events where place.country = \"china\" select name, place",
    "events where place.region != \"Moscow\" and place.kind = \"city\" select name",
    "agreements where event.date >= 2024 select name",
    "count agreements where event.place = \"Moscow\" by year",
    // Regular expressions, in a text and in a list.
    "people where name matches \"^Li \" select name",
    "events where participants matches \"ov$\" select name",
    "events where days_between(date, 2025-12-01) between 0 and 400 select name, days_between(date, 2025-12-01)",
]

/// The seeds and `articles` generated articles: a corpus with many events, series and
/// duplicates. Made once for each size: both tests read it.
private func differentialCorpus(articles: Int) throws -> Corpus {
    try DifferentialCorpora.shared.corpus(articles)
}

private final class DifferentialCorpora: @unchecked Sendable {
    static let shared = DifferentialCorpora()
    private let lock = NSLock()
    private var made: [Int: Corpus] = [:]

    func corpus(_ articles: Int) throws -> Corpus {
        lock.lock()
        defer { lock.unlock() }
        if let c = made[articles] { return c }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("coopq-diff-articles-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let c = try makeDifferentialCorpus(in: dir, articles: articles)
        made[articles] = c
        return c
    }
}

private func makeDifferentialCorpus(in dir: URL, articles: Int) throws -> Corpus {
    let generator = Fixture.binary.deletingLastPathComponent().appendingPathComponent("coopq-gen")
    let process = Process()
    process.executableURL = generator
    process.arguments = ["--articles", "\(articles)", "--seed", "3", "--out", dir.path]
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    for file in try FileManager.default.contentsOfDirectory(atPath: Fixture.root.appendingPathComponent("seeds").path) {
        try FileManager.default.copyItem(at: Fixture.root.appendingPathComponent("seeds/" + file), to: dir.appendingPathComponent(file))
    }
    return CorpusLoader.corpus(from: try CorpusLoader.articles(in: [dir.path]).articles)
}

/// Queries made for every list field of text: each operator on it (with a value its corpus holds,
/// whole and its first word) under each head (records, a count, a count by it).
private func generatedQueries(_ engine: Engine) -> [String] {
    func quoted(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\"", with: "") + "\"" }
    var queries: [String] = []
    for c in Collection.allCases {
        let table = engine.table(c)
        for (i, column) in table.columns.enumerated() where column.type.element == .string && column.name != "evidence" {
            let sample = table.rows.lazy.compactMap { row -> String? in
                if case .list(let items) = row[i], case .string(let s)? = items.first { return s }
                return nil
            }.first
            guard let sample, let word = sample.split(separator: " ").first.map(String.init) else { continue }
            let f = column.name
            let conditions = ["\(f) contains \(quoted(sample))", "\(f) contains \(quoted(word))", "\(quoted(sample)) in \(f)",
                              "\(f) is null", "\(f) is not null", "len(\(f)) >= 2", "not (\(f) contains \(quoted(word)))"]
            for condition in conditions {
                queries += ["\(c.rawValue) where \(condition) select \(c.keyField)", "count \(c.rawValue) where \(condition)",
                            "count \(c.rawValue) where \(condition) by \(f)"]
            }
        }
    }
    return queries
}

/// The queries of the grammar's examples (`(* example:` lines of grammar/coopq.ebnf).
private func grammarExampleQueries() throws -> [(text: String, query: Query)] {
    let grammar = try String(contentsOf: Fixture.root.appendingPathComponent("grammar/coopq.ebnf"), encoding: .utf8)
    var found: [(text: String, query: Query)] = []
    for line in grammar.split(separator: "\n") where line.hasPrefix("(* example: ") {
        let text = String(line.dropFirst("(* example: ".count).dropLast(" *)".count))
        for statement in (try? Parser.parse(SourceFile(name: "-e", text: text))) ?? [] {
            if case .query(let q) = statement { found.append((text, q)) }
        }
    }
    return found
}

/// The queries of the example scripts (`examples/*.coopq`), in order; their `let`s are run in
/// `engine` as they come, so that a later query's names are bound there as in the script.
private func exampleScriptQueries(_ engine: Engine) throws -> [(text: String, query: Query)] {
    let folder = Fixture.root.appendingPathComponent("examples")
    var found: [(text: String, query: Query)] = []
    for name in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() where name.hasSuffix(".coopq") {
        let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
        let file = SourceFile(name: name, text: text)
        for statement in try Parser.parse(file) {
            switch statement {
            case .query(let q): found.append((name + ": " + Printer.print(q), q))
            case .let: _ = try engine.run(statement)
            default: continue
            }
        }
    }
    return found
}

/// coopq's rows for a query as SQL shows them: with no `select`, every field coopq shows but
/// `evidence`, which is not exported. Nil when coopq turns the query away.
private func shownRows(_ engine: Engine, _ q: Query) -> [[String]]? {
    guard let result = try? engine.run(q) else { return nil }
    let shown = result.columns.indices.filter { i in
        !q.select.isEmpty || q.head != .records || (result.columns[i].shownByDefault && result.columns[i].name != "evidence")
    }
    return result.rows.map { row in shown.map { render(row[$0]) } }
}

/// Rows in the same order where the query orders them or groups them; as sets elsewhere.
private func sameRows(_ text: String, _ ours: [[String]], _ theirs: [[String]]) -> Bool {
    let ordered = text.contains("order by") || text.contains(" by ")
    return (ordered ? ours : ours.sorted { $0.lexicographicallyPrecedes($1) })
        == (ordered ? theirs : theirs.sorted { $0.lexicographicallyPrecedes($1) })
}

/// The corpora the differential tests run on: the seeds with 150 generated articles, and with 10,000.
let differentialSizes = [150, 10_000]

@Test(arguments: differentialSizes) func coopqAndSQLiteAgree(articles: Int) throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("coopq-diff-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: dir) }
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let corpus = try differentialCorpus(articles: articles)
    let database = dir.appendingPathComponent("model.sqlite").path
    try Exporter.export(corpus, to: database)
    var db: OpaquePointer?
    #expect(sqlite3_open_v2(database, &db, SQLITE_OPEN_READONLY, nil) == SQLITE_OK)
    defer { sqlite3_close(db) }
    // SQLite's REGEXP calls a function `regexp(pattern, text)` that a program registers (the
    // sqlite3 shell has one): here, Foundation's, as coopq's `matches` uses.
    sqlite3_create_function_v2(db, "regexp", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nil, { context, _, arguments in
        guard let arguments, let p = sqlite3_value_text(arguments[0]), let x = sqlite3_value_text(arguments[1]),
              let re = try? NSRegularExpression(pattern: String(cString: p)) else { sqlite3_result_int(context, 0); return }
        let text = String(cString: x)
        sqlite3_result_int(context, re.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) == nil ? 0 : 1)
    }, nil, nil, nil)
    let engine = Engine(corpus: corpus)
    let columnar = Engine(corpus: corpus)
    columnar.columnarThreshold = 0
    var compared = 0
    let generated = generatedQueries(engine)
    for text in differentialQueries + generated {
        guard case .query(let q) = try Parser.parse(SourceFile(name: "-e", text: text)).first! else { continue }
        let ours = try engine.run(q).rows.map { $0.map(render) }
        // (The columns answer as the rows do: checked on the smaller corpus, where it is quick in a debug build.)
        if articles < 1000 { #expect(try columnar.run(q).rows.map { $0.map(render) } == ours, "columnar: \(text)") }
        let sql = try engine.explainSQL(q)
        guard let theirs = sqliteRows(db, sql) else {
            Issue.record("\(text): SQLite cannot run\n\(sql)\n\(String(cString: sqlite3_errmsg(db)))")
            continue
        }
        #expect(sameRows(text, ours, theirs), "\(text)\n\(sql)")
        compared += 1
    }
    print("differential: \(compared) queries (\(generated.count) of them generated) gave the same rows in coopq and in SQLite")
    #expect(compared == differentialQueries.count + generated.count)
    #expect(generated.count > 300)
    // Every query of the grammar's examples and of the example scripts: the same rows in SQLite,
    // or a positioned error that says it has no SQL form; never other rows.
    func compare(_ cases: [(text: String, query: Query)], _ what: String) -> Int {
        var same = 0, untranslated: [String] = []
        for (text, q) in cases {
            guard let ours = shownRows(engine, q) else { continue }
            let sql: String
            do { sql = try engine.explainSQL(q) } catch { untranslated.append(text); continue }
            guard let theirs = sqliteRows(db, sql) else { Issue.record("\(text): SQLite cannot run\n\(sql)"); continue }
            #expect(sameRows(text, ours, theirs), "\(text)\n\(sql)")
            same += 1
        }
        print("differential: \(same) \(what) gave the same rows; no SQL form: \(untranslated)")
        return same
    }
    #expect(compare(try grammarExampleQueries(), "grammar examples") >= 15)
    #expect(compare(try exampleScriptQueries(engine), "queries of the example scripts") >= 8)
}

/// The same in DuckDB (through its Python package, `tools/duckdb_rows.py`), over the export folder
/// made into a database by its own `duckdb.sql`, with `--dialect duckdb`'s SQL.
@Test(arguments: differentialSizes) func coopqAndDuckDBAgree(articles: Int) throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("coopq-duck-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: dir) }
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let corpus = try differentialCorpus(articles: articles)
    try NormalizedTables(corpus).writeFiles(to: dir.appendingPathComponent("model").path)
    let engine = Engine(corpus: corpus)
    var cases: [(text: String, ours: [[String]], sql: String)] = []
    var queries = try (differentialQueries + generatedQueries(engine)).map { text -> (text: String, query: Query) in
        guard case .query(let q) = try Parser.parse(SourceFile(name: "-e", text: text)).first! else { throw CocoaError(.featureUnsupported) }
        return (text, q)
    }
    queries += try grammarExampleQueries()
    queries += try exampleScriptQueries(engine)
    for (text, q) in queries {
        guard let ours = shownRows(engine, q), let sql = try? engine.explainSQL(q, dialect: .duckdb) else { continue }
        cases.append((text, ours, sql))
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", Fixture.root.appendingPathComponent("tools/duckdb_rows.py").path, "model"]
    process.currentDirectoryURL = URL(fileURLWithPath: (dir.path as NSString).resolvingSymlinksInPath)
    let input = Pipe(), output = Pipe(), errors = Pipe()
    (process.standardInput, process.standardOutput, process.standardError) = (input, output, errors)
    try process.run()
    input.fileHandleForWriting.write(try JSONEncoder().encode(cases.map(\.sql)))
    try input.fileHandleForWriting.close()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    let complaint = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    try #require(process.terminationStatus == 0, "\(complaint)")
    let answers = try #require(try JSONSerialization.jsonObject(with: data) as? [Any])
    try #require(answers.count == cases.count)
    for (c, answer) in zip(cases, answers) {
        guard let theirs = answer as? [[String]] else { Issue.record("\(c.text): DuckDB cannot run\n\(c.sql)\n\(answer)"); continue }
        #expect(sameRows(c.text, c.ours, theirs), "\(c.text)\n\(c.sql)")
    }
    print("differential: \(cases.count) queries gave the same rows in coopq and in DuckDB")
    // The export's parquet.sql writes each table as Parquet with all its rows.
    let parquet = Process()
    parquet.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    parquet.arguments = ["python3", "-c", "import duckdb, sys; duckdb.connect().execute(open('model/parquet.sql').read())"]
    parquet.currentDirectoryURL = URL(fileURLWithPath: (dir.path as NSString).resolvingSymlinksInPath)
    try parquet.run()
    parquet.waitUntilExit()
    #expect(parquet.terminationStatus == 0)
    let model = dir.appendingPathComponent("model")
    let csvs = try FileManager.default.contentsOfDirectory(atPath: model.path).filter { $0.hasSuffix(".csv") }
    for csv in csvs {
        #expect(FileManager.default.fileExists(atPath: model.appendingPathComponent(csv.dropLast(4) + ".parquet").path), "\(csv)")
    }
    #expect(cases.count >= 400)
}

/// The rows of a statement in SQLite, each value as coopq shows it; nil when it does not run.
private func sqliteRows(_ db: OpaquePointer?, _ sql: String) -> [[String]]? {
    var statement: OpaquePointer?
    guard sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK else { return nil }
    defer { sqlite3_finalize(statement) }
    var rows: [[String]] = []
    while sqlite3_step(statement) == SQLITE_ROW {
        rows.append((0..<sqlite3_column_count(statement)).map { i in
            switch sqlite3_column_type(statement, i) {
            case SQLITE_NULL: return ""
            case SQLITE_INTEGER: return String(sqlite3_column_int64(statement, i))
            case SQLITE_FLOAT: return Value.format(number: sqlite3_column_double(statement, i))
            default: return String(cString: sqlite3_column_text(statement, i))
            }
        })
    }
    return rows
}

private func render(_ v: Value) -> String {
    if case .list = v { return v.display }
    return v.display
}

@Test func exportWritesEveryTableInEveryFormat() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("coopq-export-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: dir) }
    let run = try coopq(["--export", dir.path, "-e", "count documents", "--format", "csv"])
    #expect(run.status == 0, "\(run.stderr)")
    let files = Set(try FileManager.default.contentsOfDirectory(atPath: dir.path))
    for table in ["documents", "events", "event_participants", "people", "person_titles", "organizations", "organization_aliases", "figures"] {
        #expect(files.contains(table + ".csv") && files.contains(table + ".jsonl"), "\(table)")
    }
    let participants = try String(contentsOfFile: dir.appendingPathComponent("event_participants.csv").path, encoding: .utf8)
    #expect(participants.hasPrefix("event_id,participant,participant_key,participant_words,position\r\n"))
    #expect(participants.contains(",Mikhail Mishustin,mikhailmishustin,mikhail mishustin,2\r\n"))
    let bad = try coopq(["--export", "/nonexistent/dir/x.sqlite", "-e", "count documents"])
    #expect(bad.status == 1)
    #expect(bad.stderr.contains("cannot create"))
}

/// A text with every character CSV and JSON escape (quotes, commas, CRLF and lone line breaks,
/// a tab, a control character, a backslash, letters beyond ASCII) reads back from both files
/// exactly as it was.
@Test func exportedTextsReadBackExactly() throws {
    let texts = ["Talks in \"Kazan\", Russia\r\nA line\twith a tab, a \u{1} and a back\\slash.\nÜber — 中俄合作.\r\n",
                 "Only CRLF\r\nline breaks here\r\n"]
    let corpus = CorpusLoader.corpus(from: texts.enumerated().map {
        CorpusLoader.Article(id: "tricky\($0.offset)", path: "tricky\($0.offset).txt", bytes: Array($0.element.utf8))
    })
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("coopq-export-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: dir) }
    try Exporter.export(corpus, to: dir.path)

    let lines = try String(contentsOfFile: dir.appendingPathComponent("documents.jsonl").path, encoding: .utf8).split(separator: "\n")
    #expect(lines.count == 2)
    for (line, document) in zip(lines, corpus.documents) {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["text"] as? String == document.text)
    }

    // RFC 4180: fields quoted when they hold a comma, a quote or a line break; quotes doubled.
    let csv = Array(try Data(contentsOf: dir.appendingPathComponent("documents.csv")))
    var records: [[String]] = [[]], field: [UInt8] = [], quoted = false, i = 0
    while i < csv.count {
        let b = csv[i]
        if quoted {
            if b == 0x22, i + 1 < csv.count, csv[i + 1] == 0x22 { field.append(0x22); i += 1 } else if b == 0x22 { quoted = false } else { field.append(b) }
        } else if b == 0x22 { quoted = true } else if b == 0x2C { records[records.count - 1].append(String(decoding: field, as: UTF8.self)); field = [] }
        else if b == 0x0D, i + 1 < csv.count, csv[i + 1] == 0x0A {
            records[records.count - 1].append(String(decoding: field, as: UTF8.self)); field = []; records.append([]); i += 1
        } else { field.append(b) }
        i += 1
    }
    let header = records[0], column = try #require(header.firstIndex(of: "text"))
    #expect(records.count == 4 && records[3].isEmpty, "a header, two rows, nothing after")
    for (row, document) in zip(records[1...2], corpus.documents) {
        #expect(row.count == header.count)
        #expect(row[column] == document.text)
    }
}
