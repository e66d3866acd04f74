@preconcurrency import CSQLite
import Foundation

/// The model as normalised tables, for tools beyond coopq (SQLite, DuckDB, PostgreSQL, Spark):
/// one table per collection with its single-valued fields, and one link table per list field
/// (`event_participants(event_id, participant, participant_key)`). Every text column has a
/// `_key` column beside it holding coopq's match key, so SQL can compare text as `=` does here.
public struct NormalizedTables {
    public struct TableData {
        public var name: String
        public var columns: [(name: String, type: ValueType)]
        public var rows: [[Value]]
    }

    public var tables: [TableData] = []

    /// The link table of a list field, and its columns' names.
    public static func link(_ c: Collection, _ field: String) -> (table: String, owner: String, value: String) {
        (c.singular + "_" + field, c.singular + "_id", singular(field))
    }

    static func singular(_ field: String) -> String {
        switch field {
        case "aliases": return "alias"
        case "parties": return "party"
        case "author": return "author"
        default: return field.hasSuffix("s") ? String(field.dropLast()) : field
        }
    }

    /// Fields left out of the export: derived text that the sentences of the documents hold.
    static let skipped: Set<String> = ["evidence"]

    public init(_ corpus: Corpus) {
        for c in Collection.allCases {
            let table = corpus.table(c, evidence: false)  // the evidence column is left out; the texts are in
            var mainColumns: [(String, ValueType)] = []
            var mainIndexes: [Int] = []
            var lists: [(Int, String)] = []
            for (i, column) in table.columns.enumerated() where !NormalizedTables.skipped.contains(column.name) {
                if let element = column.type.element {
                    _ = element
                    lists.append((i, column.name))
                } else {
                    mainColumns.append((column.name, column.type))
                    mainIndexes.append(i)
                    if column.type == .string && column.name != "text" && column.name != "id" { mainColumns.append((column.name + "_key", .string)) }
                }
            }
            var rows: [[Value]] = []
            for row in table.rows {
                var out: [Value] = []
                for i in mainIndexes {
                    out.append(row[i])
                    let name = table.columns[i].name
                    if table.columns[i].type == .string && name != "text" && name != "id" { out.append(NormalizedTables.key(row[i], corpus)) }
                }
                rows.append(out)
            }
            tables.append(TableData(name: c.rawValue, columns: mainColumns, rows: rows))
            let idIndex = table.columnIndex("id")!
            for (i, field) in lists {
                let (name, owner, value) = NormalizedTables.link(c, field)
                let element = table.columns[i].type.element ?? .string
                var linkRows: [[Value]] = []
                for row in table.rows {
                    guard case .list(let items) = row[i] else { continue }
                    for item in items {
                        linkRows.append(element == .string ? [row[idIndex], item, NormalizedTables.key(item, corpus)] : [row[idIndex], item])
                    }
                }
                var columns: [(String, ValueType)] = [(owner, .string), (value, element)]
                if element == .string { columns.append((value + "_key", .string)) }
                tables.append(TableData(name: name, columns: columns, rows: linkRows))
            }
        }
    }

    static func key(_ v: Value, _ corpus: Corpus) -> Value {
        if case .string(let s) = v { return .string(corpus.canonicalKey(s)) }
        return .null
    }

    // MARK: writers

    public struct ExportError: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// One CSV file a table in `directory`, each written atomically.
    public func writeCSV(to directory: String) throws(ExportError) {
        try prepare(directory)
        for t in tables {
            var text = t.columns.map { Formatter.csvField($0.name) }.joined(separator: ",") + "\r\n"
            for row in t.rows { text += row.map { Formatter.csvField(Self.plain($0)) }.joined(separator: ",") + "\r\n" }
            try write(text, to: (directory as NSString).appendingPathComponent(t.name + ".csv"))
        }
    }

    /// One JSON Lines file a table in `directory`.
    public func writeJSONLines(to directory: String) throws(ExportError) {
        try prepare(directory)
        for t in tables {
            let names = t.columns.map(\.name)
            let text = t.rows.map { Formatter.object(names, $0) + "\n" }.joined()
            try write(text, to: (directory as NSString).appendingPathComponent(t.name + ".jsonl"))
        }
    }

    /// A SQLite database file, built beside the target and renamed into place.
    public func writeSQLite(to path: String) throws(ExportError) {
        let temporary = path + ".tmp-\(getpid())"
        unlink(temporary)
        var db: OpaquePointer?
        guard sqlite3_open_v2(temporary, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil) == SQLITE_OK, let db else {
            throw ExportError(description: "cannot create '\(path)'")
        }
        func fail(_ what: String) -> ExportError {
            let message = String(cString: sqlite3_errmsg(db))
            sqlite3_close(db)
            unlink(temporary)
            return ExportError(description: "cannot write '\(path)': \(what): \(message)")
        }
        guard sqlite3_exec(db, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; BEGIN", nil, nil, nil) == SQLITE_OK else { throw fail("begin") }
        for t in tables {
            let columns = t.columns.map { "\(Self.quote($0.name)) \(Self.sqlType($0.type))" }.joined(separator: ", ")
            guard sqlite3_exec(db, "CREATE TABLE \(Self.quote(t.name)) (\(columns))", nil, nil, nil) == SQLITE_OK else { throw fail("create \(t.name)") }
            let marks = Array(repeating: "?", count: t.columns.count).joined(separator: ", ")
            var statement: OpaquePointer?
            guard sqlite3_prepare_v2(db, "INSERT INTO \(Self.quote(t.name)) VALUES (\(marks))", -1, &statement, nil) == SQLITE_OK else {
                throw fail("insert into \(t.name)")
            }
            for row in t.rows {
                for (i, v) in row.enumerated() {
                    let n = Int32(i + 1)
                    switch v {
                    case .null, .list: sqlite3_bind_null(statement, n)
                    case .number(let x):
                        if x == x.rounded(), abs(x) < 9e15 { sqlite3_bind_int64(statement, n, Int64(x)) } else { sqlite3_bind_double(statement, n, x) }
                    case .bool(let b): sqlite3_bind_int64(statement, n, b ? 1 : 0)
                    case .string(let s): sqlite3_bind_text(statement, n, s, -1, Self.transient)
                    case .date(let d): sqlite3_bind_text(statement, n, d.description, -1, Self.transient)
                    }
                }
                guard sqlite3_step(statement) == SQLITE_DONE else { sqlite3_finalize(statement); throw fail("insert into \(t.name)") }
                sqlite3_reset(statement)
            }
            sqlite3_finalize(statement)
            // Indexes for the joins a query makes: link tables by owner and by key, tables by id.
            for column in t.columns.map(\.name) where column == "id" || column.hasSuffix("_id") || column.hasSuffix("_key") {
                let index = "CREATE INDEX \(Self.quote(t.name + "_" + column)) ON \(Self.quote(t.name)) (\(Self.quote(column)))"
                guard sqlite3_exec(db, index, nil, nil, nil) == SQLITE_OK else { throw fail("index \(t.name)") }
            }
        }
        guard sqlite3_exec(db, "COMMIT", nil, nil, nil) == SQLITE_OK else { throw fail("commit") }
        // Statistics for the query planner: without them SQLite walks a link table by the
        // searched key for every outer row of an EXISTS (over 1M events, a minute instead of a second).
        guard sqlite3_exec(db, "ANALYZE", nil, nil, nil) == SQLITE_OK else { throw fail("analyze") }
        guard sqlite3_close(db) == SQLITE_OK else { throw ExportError(description: "cannot close '\(path)'") }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw ExportError(description: "cannot write '\(path)': \(reason)")
        }
    }

    static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    static func quote(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    static func sqlType(_ t: ValueType) -> String {
        switch t {
        case .number: return "NUMERIC"
        case .bool: return "INTEGER"
        default: return "TEXT"
        }
    }

    static func plain(_ v: Value) -> String { v.display }

    private func prepare(_ directory: String) throws(ExportError) {
        do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
            throw ExportError(description: "cannot create folder '\(directory)'")
        }
    }

    private func write(_ text: String, to path: String) throws(ExportError) {
        do { try AtomicFile.write(Array(text.utf8), to: path) } catch { throw ExportError(description: error.description) }
    }
}

/// `--export PATH` and the shell's `.export PATH`: a `.sqlite` or `.db` path is a SQLite
/// database; any other path a folder with a CSV and a JSON Lines file a table.
public enum Exporter {
    public static func export(_ corpus: Corpus, to path: String) throws(NormalizedTables.ExportError) {
        let tables = NormalizedTables(corpus)
        let lower = path.lowercased()
        if lower.hasSuffix(".sqlite") || lower.hasSuffix(".db") || lower.hasSuffix(".sqlite3") {
            try tables.writeSQLite(to: path)
        } else {
            try tables.writeCSV(to: path)
            try tables.writeJSONLines(to: path)
        }
    }
}
