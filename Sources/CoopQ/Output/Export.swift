@preconcurrency import CSQLite
import CLinux
import Foundation

/// The model as normalised tables, for tools beyond coopq (SQLite, DuckDB, PostgreSQL, Spark):
/// one table per collection with its single-valued fields, and one link table per list field
/// (`event_participants(event_id, participant, participant_key, participant_words, position)`,
/// `position` counting the list's elements from 1 in coopq's order). Every text
/// column has a `_key` column beside it holding coopq's match key, so SQL can compare text as `=`
/// does here, and a `_words` column holding its words (`wordsForm`), so SQL can find a phrase in
/// it as `contains` does and sort it as coopq does.
public struct NormalizedTables {
    public struct TableData {
        public var name: String
        public var columns: [(name: String, type: ValueType)]
        public var rows: [[Value]]
    }

    let corpus: Corpus

    public init(_ corpus: Corpus) { self.corpus = corpus }

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

    /// Each table in turn, made one collection at a time: a large corpus's tables (its
    /// documents' texts among them) are never all in memory at once.
    public func forEachTable<E: Error>(_ body: (TableData) throws(E) -> Void) throws(E) {
        var keys: [String: (key: String, words: String)] = [:]
        func keyed(_ v: Value) -> (Value, Value) {
            guard case .string(let s) = v else { return (.null, .null) }
            if let k = keys[s] { return (.string(k.key), .string(k.words)) }
            let k = (key: corpus.canonicalKey(s), words: wordsForm(s))
            keys[s] = k
            return (.string(k.key), .string(k.words))
        }
        for c in Collection.allCases {
            let table = corpus.table(c, evidence: false)  // the evidence column is left out; the texts are in
            var mainColumns: [(String, ValueType)] = []
            var mainIndexes: [Int] = []
            var lists: [(Int, String)] = []
            var hasKey: [Bool] = []  // by main column: whether `_key` and `_words` columns follow it
            for (i, column) in table.columns.enumerated() where !NormalizedTables.skipped.contains(column.name) {
                if column.type.element != nil {
                    lists.append((i, column.name))
                } else {
                    mainColumns.append((column.name, column.type))
                    mainIndexes.append(i)
                    hasKey.append(column.type == .string && column.name != "text" && column.name != "id")
                    if hasKey.last! { mainColumns += [(column.name + "_key", .string), (column.name + "_words", .string)] }
                }
            }
            var rows: [[Value]] = []
            rows.reserveCapacity(table.rows.count)
            for row in table.rows {
                var out: [Value] = []
                out.reserveCapacity(mainColumns.count)
                for (n, i) in mainIndexes.enumerated() {
                    out.append(row[i])
                    if hasKey[n] {
                        let (k, w) = keyed(row[i])
                        out.append(k)
                        out.append(w)
                    }
                }
                rows.append(out)
            }
            try body(TableData(name: c.rawValue, columns: mainColumns, rows: rows))
            rows = []
            let idIndex = table.columnIndex("id")!
            for (i, field) in lists {
                let (name, owner, value) = NormalizedTables.link(c, field)
                let element = table.columns[i].type.element ?? .string
                var linkRows: [[Value]] = []
                for row in table.rows {
                    guard case .list(let items) = row[i] else { continue }
                    for (n, item) in items.enumerated() {
                        let position = Value.number(Double(n + 1))
                        if element == .string {
                            let (k, w) = keyed(item)
                            linkRows.append([row[idIndex], item, k, w, position])
                        } else {
                            linkRows.append([row[idIndex], item, position])
                        }
                    }
                }
                var columns: [(String, ValueType)] = [(owner, .string), (value, element)]
                if element == .string { columns += [(value + "_key", .string), (value + "_words", .string)] }
                columns.append(("position", .number))
                try body(TableData(name: name, columns: columns, rows: linkRows))
            }
        }
    }

    // MARK: writers

    public struct ExportError: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// A CSV file and a JSON Lines file a table in `directory`, as one set: the files are written
    /// into a draft folder beside it, which then takes the folder's place in one step, so a
    /// reader never sees two corpora's tables mixed, and a failed or interrupted export leaves
    /// the old folder as it was. A folder holding anything but an export's files is refused.
    ///
    /// With `parquet`, each table is also written as Parquet in the draft, before it takes the
    /// folder's place: `parquet` is given the SQL that does so (DuckDB's, over the draft's CSV
    /// files) and runs it, giving why not when it could not; the export is then kept without
    /// Parquet, and why is returned.
    @discardableResult
    public func writeFiles(to directory: String, isCancelled: () -> Bool = { false },
                           parquet: ((String) -> String?)? = nil) throws(ExportError) -> String? {
        var target = directory
        while target.count > 1, target.hasSuffix("/") { target.removeLast() }
        target = AtomicFile.resolvingLinks(target)
        AtomicFile.removeLeftovers(of: target)
        var info = stat()
        let exists = stat(target, &info) == 0
        if exists {
            guard (info.st_mode & S_IFMT) == S_IFDIR else { throw ExportError(description: "cannot export to '\(directory)': it is a file, not a folder") }
            let names = (try? FileManager.default.contentsOfDirectory(atPath: target)) ?? []
            // (Parquet files are what the export's parquet.sql makes of its tables.)
            if let foreign = names.sorted().first(where: { !($0.hasSuffix(".csv") || $0.hasSuffix(".jsonl") || $0.hasSuffix(".parquet")
                                                              || NormalizedTables.scripts.contains($0)) }) {
                throw ExportError(description: "cannot export to '\(directory)': it holds '\(foreign.escapingControls)', which no export wrote; name a new or empty folder")
            }
        }
        let draft = AtomicFile.temporaryPath(for: target)
        guard mkdir(draft, 0o777) == 0 else {
            throw ExportError(description: "cannot export to '\(directory)': \(String(cString: strerror(errno)))")
        }
        func abandon(_ reason: String) -> ExportError {
            try? FileManager.default.removeItem(atPath: draft)
            return ExportError(description: "cannot export to '\(directory)': \(reason); \(exists ? "the folder is unchanged" : "nothing was written")")
        }
        var schema: [TableData] = []
        do throws(ExportError) {
            try forEachTable { (t: TableData) throws(ExportError) in
                guard !isCancelled() else { throw ExportError(description: "interrupted") }
                try writeTable(t, into: draft, isCancelled: isCancelled)
                schema.append(TableData(name: t.name, columns: t.columns, rows: []))
            }
            // (duckdb.sql names the folder as the export was asked for it, without a trailing slash.)
            var name = directory
            while name.count > 1, name.hasSuffix("/") { name.removeLast() }
            try writeScripts(schema, into: draft, named: name)
        } catch {
            throw abandon(isCancelled() ? "interrupted" : error.description)
        }
        var note: String?
        if let parquet, let why = parquet(Self.parquetScript(schema, folder: draft)) {
            for file in (try? FileManager.default.contentsOfDirectory(atPath: draft)) ?? [] where file.hasSuffix(".parquet") {
                unlink((draft as NSString).appendingPathComponent(file))
            }
            note = "the tables were not written as Parquet (\(why))"
        }
        if let folder = opendir(draft) { _ = fsync(dirfd(folder)); closedir(folder) }
        if exists {
            // Swapped in one step; the old tables, now at the draft's name, are then removed.
            if coopq_exchange(draft, target) == 0 {
                try? FileManager.default.removeItem(atPath: draft)
                return note
            }
            // A file system that cannot swap: the old folder is moved aside, then replaced.
            let aside = AtomicFile.temporaryPath(for: target)
            guard rename(target, aside) == 0 else { throw abandon(String(cString: strerror(errno))) }
            guard rename(draft, target) == 0 else {
                let reason = String(cString: strerror(errno))
                _ = rename(aside, target)
                throw abandon(reason)
            }
            try? FileManager.default.removeItem(atPath: aside)
        } else if rename(draft, target) != 0 {
            throw abandon(String(cString: strerror(errno)))
        }
        return note
    }

    /// The scripts an export folder holds beside its tables.
    static let scripts: Set<String> = ["schema.sql", "duckdb.sql", "parquet.sql"]

    /// `schema.sql`: each table's columns, types and keys, in standard SQL. `duckdb.sql`: the same
    /// tables, each then filled from its CSV file, so that `duckdb model.duckdb < model/duckdb.sql`
    /// (run where the folder is named so) makes a database of the export in one command.
    /// `parquet.sql`: the same, then each table written as Parquet beside its CSV (`duckdb <
    /// model/parquet.sql`), for engines that read Parquet (Spark, BigQuery, pandas).
    private func writeScripts(_ tables: [TableData], into folder: String, named name: String) throws(ExportError) {
        let creates = tables.map(Self.createStatement)
        let schema = "-- The tables of a coopq export: one for each collection and one for each list field.\n"
            + "-- Each text has its match key (_key) and its words (_words) beside it; see README.md.\n\n"
            + creates.joined(separator: "\n\n") + "\n"
        let copies = tables.map { t in "COPY \(Self.quote(t.name)) FROM \(SQLTranslator.text(name + "/" + t.name + ".csv")) (HEADER);" }
        let duckdb = "-- duckdb model.duckdb < \(name)/duckdb.sql, where the export's folder is '\(name)'.\n\n"
            + creates.joined(separator: "\n\n") + "\n\n" + copies.joined(separator: "\n") + "\n"
        let parquet = "-- duckdb < \(name)/parquet.sql, where the export's folder is '\(name)': each table as Parquet beside its CSV.\n\n"
            + Self.parquetStatements(tables, creates: creates, folder: name)
        for (file, text) in [("schema.sql", schema), ("duckdb.sql", duckdb), ("parquet.sql", parquet)] {
            try write(to: (folder as NSString).appendingPathComponent(file)) { out in for b in text.utf8 { out.byte(b) } }
        }
    }

    /// A table's `CREATE TABLE`, its keys with it.
    static func createStatement(_ t: TableData) -> String {
        var columns = t.columns.map { c in
            "  \(Self.quote(c.name)) \(c.name == "position" ? "INTEGER" : Self.standardType(c.type))" + (c.name == "id" ? " PRIMARY KEY" : "")
        }
        // A link table's owner is a record of its collection (`event_id` → events).
        if let owner = t.columns.first?.name, owner.hasSuffix("_id"), let c = Collection.allCases.first(where: { $0.singular + "_id" == owner }) {
            columns[0] += " REFERENCES \(Self.quote(c.rawValue)) (id)"
        }
        return "CREATE TABLE \(Self.quote(t.name)) (\n" + columns.joined(separator: ",\n") + "\n);"
    }

    /// DuckDB's SQL that reads each table from its CSV file in `folder` and writes it as Parquet there.
    static func parquetStatements(_ tables: [TableData], creates: [String], folder: String) -> String {
        let copies = tables.map { t in "COPY \(Self.quote(t.name)) FROM \(SQLTranslator.text(folder + "/" + t.name + ".csv")) (HEADER);" }
        let parquets = tables.map { t in "COPY \(Self.quote(t.name)) TO \(SQLTranslator.text(folder + "/" + t.name + ".parquet")) (FORMAT PARQUET);" }
        return creates.joined(separator: "\n\n") + "\n\n" + copies.joined(separator: "\n") + "\n\n" + parquets.joined(separator: "\n") + "\n"
    }

    /// The same over a folder named by its own path (an export's draft).
    static func parquetScript(_ tables: [TableData], folder: String) -> String {
        parquetStatements(tables, creates: tables.map(createStatement), folder: folder)
    }

    /// Standard SQL's type for a column (DuckDB, PostgreSQL and Spark read it as written).
    static func standardType(_ t: ValueType) -> String {
        switch t {
        case .number: return "DOUBLE"
        case .bool: return "BOOLEAN"
        default: return "VARCHAR"
        }
    }

    /// One table's CSV and JSON Lines files in `folder`.
    private func writeTable(_ t: TableData, into folder: String, isCancelled: () -> Bool) throws(ExportError) {
        try write(to: (folder as NSString).appendingPathComponent(t.name + ".csv")) { out in
            for (i, c) in t.columns.enumerated() { if i > 0 { out.byte(0x2C) }; out.csv(c.name) }
            out.byte(0x0D); out.byte(0x0A)
            for row in t.rows {
                for (i, v) in row.enumerated() {
                    if i > 0 { out.byte(0x2C) }
                    if case .string(let s) = v { out.csv(s) } else { out.csv(v.display) }
                }
                out.byte(0x0D); out.byte(0x0A)
                if out.isFull, isCancelled() || !out.flush() { return }
            }
        }
        try write(to: (folder as NSString).appendingPathComponent(t.name + ".jsonl")) { out in
            for row in t.rows {
                out.byte(0x7B)
                for (i, (c, v)) in zip(t.columns, row).enumerated() {
                    if i > 0 { out.byte(0x2C) }
                    out.json(c.name)
                    out.byte(0x3A)
                    out.json(v)
                }
                out.byte(0x7D); out.byte(0x0A)
                if out.isFull, isCancelled() || !out.flush() { return }
            }
        }
        guard !isCancelled() else { throw ExportError(description: "interrupted") }
    }

    /// A SQLite database file, built beside the target and renamed into place.
    public func writeSQLite(to path: String, isCancelled: () -> Bool = { false }) throws(ExportError) {
        let temporary = path + ".tmp-\(getpid())"
        AtomicFile.removeLeftovers(of: path)
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
        try forEachTable { (t: TableData) throws(ExportError) in
            let columns = t.columns.map { "\(Self.quote($0.name)) \(Self.sqlType($0.type))" }.joined(separator: ", ")
            guard sqlite3_exec(db, "CREATE TABLE \(Self.quote(t.name)) (\(columns))", nil, nil, nil) == SQLITE_OK else { throw fail("create \(t.name)") }
            let marks = Array(repeating: "?", count: t.columns.count).joined(separator: ", ")
            var statement: OpaquePointer?
            guard sqlite3_prepare_v2(db, "INSERT INTO \(Self.quote(t.name)) VALUES (\(marks))", -1, &statement, nil) == SQLITE_OK else {
                throw fail("insert into \(t.name)")
            }
            for (r, row) in t.rows.enumerated() {
                if r % 4096 == 0, isCancelled() { sqlite3_finalize(statement); throw fail("interrupted") }
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

    /// A file written atomically from bytes made a megabyte at a time.
    private func write(to path: String, _ make: (inout ExportBytes) -> Void) throws(ExportError) {
        do throws(AtomicFile.WriteError) {
            try AtomicFile.write(to: path) { sink in
                withoutActuallyEscaping(sink) { sink in
                    var out = ExportBytes(sink: sink)
                    make(&out)
                    return out.flush()
                }
            }
        } catch { throw ExportError(description: "cannot write '\((path as NSString).lastPathComponent)': \(error.reason)") }
    }
}

/// `--export PATH` and the shell's `.export PATH`: a `.sqlite` or `.db` path is a SQLite
/// database; any other path a folder with a CSV and a JSON Lines file a table.
public enum Exporter {
    /// `isCancelled` is asked as the export goes (Ctrl-C in the shell): an interrupted export
    /// leaves the old file or folder as it was.
    /// A folder's tables are also written as Parquet by `parquet` when it is given
    /// (`NormalizedTables.writeFiles`); why not, when it could not, is returned.
    @discardableResult
    public static func export(_ corpus: Corpus, to path: String, isCancelled: () -> Bool = { false },
                              parquet: ((String) -> String?)? = nil) throws(NormalizedTables.ExportError) -> String? {
        let tables = NormalizedTables(corpus)
        let lower = path.lowercased()
        if lower.hasSuffix(".sqlite") || lower.hasSuffix(".db") || lower.hasSuffix(".sqlite3") {
            try tables.writeSQLite(to: path, isCancelled: isCancelled)
            return nil
        }
        return try tables.writeFiles(to: path, isCancelled: isCancelled, parquet: parquet)
    }
}

/// The bytes of an exported file, handed to the file a megabyte at a time, with CSV and JSON
/// escaping done on the UTF-8 bytes (an export writes every article's text).
struct ExportBytes {
    var bytes: [UInt8] = []
    let sink: (UnsafeBufferPointer<UInt8>) -> Bool
    var failed = false

    init(sink: @escaping (UnsafeBufferPointer<UInt8>) -> Bool) {
        self.sink = sink
        bytes.reserveCapacity(1 << 20 + 4096)
    }

    var isFull: Bool { bytes.count >= 1 << 20 }

    /// Hands the bytes so far to the file; false once a write failed.
    mutating func flush() -> Bool {
        if !failed, !bytes.isEmpty { failed = !bytes.withUnsafeBufferPointer(sink) }
        bytes.removeAll(keepingCapacity: true)
        return !failed
    }

    mutating func byte(_ b: UInt8) { bytes.append(b) }

    /// A CSV field (see `Escape.csv`).
    mutating func csv(_ s: String) { Escape.csv(s, into: &bytes) }

    /// A JSON string (see `Escape.json`).
    mutating func json(_ s: String) { Escape.json(s, into: &bytes) }

    /// A JSON value, as `Formatter.json` writes it.
    mutating func json(_ v: Value) {
        switch v {
        case .string(let s): json(s)
        case .date(let d): json(d.description)
        case .list(let items):
            bytes.append(0x5B)
            for (i, item) in items.enumerated() { if i > 0 { bytes.append(0x2C) }; json(item) }
            bytes.append(0x5D)
        default: bytes.append(contentsOf: Formatter.json(v).utf8)
        }
    }
}

/// CSV and JSON escaping on a string's UTF-8 bytes: for the shell's output and for exports,
/// where a field may be a whole article.
enum Escape {
    /// A CSV field: quoted, with its quotes doubled, when it holds a comma, a quote or a line
    /// break (a `\r\n` too: tested on bytes, not on characters, where it is one).
    static func csv(_ s: String, into bytes: inout [UInt8]) {
        var s = s
        s.withUTF8 { u in
            guard u.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else { bytes.append(contentsOf: u); return }
            bytes.append(0x22)
            var start = 0
            for i in 0..<u.count where u[i] == 0x22 {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: u[start...i]))
                bytes.append(0x22)
                start = i + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: u[start...]))
            bytes.append(0x22)
        }
    }

    /// A JSON string: quotes, backslashes and control characters escaped (`\n`, `\r`, `\t`,
    /// else `\u00XX`); everything else as it is, UTF-8.
    static func json(_ s: String, into bytes: inout [UInt8]) {
        var s = s
        bytes.append(0x22)
        s.withUTF8 { u in
            var start = 0
            for i in 0..<u.count {
                let b = u[i]
                guard b < 0x20 || b == 0x22 || b == 0x5C else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: u[start..<i]))
                start = i + 1
                bytes.append(0x5C)
                switch b {
                case 0x22, 0x5C: bytes.append(b)
                case 0x0A: bytes.append(UInt8(ascii: "n"))
                case 0x0D: bytes.append(UInt8(ascii: "r"))
                case 0x09: bytes.append(UInt8(ascii: "t"))
                default:
                    let hex: StaticString = "0123456789abcdef"
                    bytes.append(contentsOf: [UInt8(ascii: "u"), 0x30, 0x30, hex.utf8Start[Int(b >> 4)], hex.utf8Start[Int(b & 15)]])
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: u[start...]))
        }
        bytes.append(0x22)
    }

    static func string(_ escape: (String, inout [UInt8]) -> Void, _ s: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(s.utf8.count + 2)
        escape(s, &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}
