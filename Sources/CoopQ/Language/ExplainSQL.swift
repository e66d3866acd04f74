/// `explain sql QUERY`: the standard SQL that answers the same question over the tables that
/// `export` writes, to run where the data has outgrown one machine (DuckDB, PostgreSQL, Spark
/// SQL, BigQuery). Text compares through the `_key` columns, so `=` means what it means in
/// coopq; dates compare on the precision both sides know; missing values sort last.
struct SQLTranslator {
    let engine: Engine
    let dialect: SQLDialect
    private var aliasCount = 0

    init(engine: Engine, dialect: SQLDialect = .sqlite) {
        self.engine = engine
        self.dialect = dialect
    }

    /// The parts of one SELECT, as a query's head and clauses fill them in.
    private struct Statement {
        var comment = ""
        var select: [String] = []
        var from: String
        var groupBy: [String] = []
        /// How coopq orders groups: by each key (text by its words, then as written), missing last.
        var groupOrder: [String] = []
        /// What each result column's name stands for, for `order by`.
        var resultColumns: [String: String] = [:]
    }

    mutating func translate(_ q: Query) throws(Diagnostic) -> String {
        let t = nextAlias()
        let (c, wheres) = try recordSet(q, t)
        let table = engine.table(c)
        var st = Statement(from: "\(c.rawValue) AS \(t)")
        switch q.head {
        case .records, .related:
            try selectRecords(q, c, t, table, into: &st)
        case .count, .aggregate:
            try group(q, c, t, table, into: &st)
            if case .aggregate(.distinct, let e) = q.head {
                guard q.groupBy.isEmpty else { throw Diagnostic("explain sql translates 'distinct … of' without 'by'; use 'count … by'", at: q.range) }
                return try distinct(e, q, c, t, table, from: st.from, wheres: wheres)
            }
            if case .aggregate(let a, let e) = q.head {
                let inner = try scalar(e, c, t, table, selecting: false)
                let word = a.rawValue + "_" + Engine.columnWord(Printer.print(e))
                st.select.append("\(a.rawValue.uppercased())(\(inner)) AS \(word)")
                st.resultColumns[word] = "\(a.rawValue.uppercased())(\(inner))"
            } else {
                st.select.append("COUNT(*) AS count")
                st.resultColumns["count"] = "COUNT(*)"
            }
        default:
            throw Diagnostic("explain sql translates records, counts and aggregates, not \(Printer.print(q).split(separator: " ").first ?? "")", at: q.range)
        }
        var sql = st.comment + "SELECT " + st.select.joined(separator: ", ") + "\nFROM " + st.from
        if !wheres.isEmpty { sql += "\nWHERE " + wheres.joined(separator: " AND ") }
        if !st.groupBy.isEmpty { sql += "\nGROUP BY " + st.groupBy.joined(separator: ", ") }
        let order = try orderBy(q, c, t, table, st)
        if !order.isEmpty { sql += "\nORDER BY " + order.joined(separator: ", ") }
        if let limit = q.limit { sql += "\nLIMIT \(limit)" }
        return sql
    }

    /// The selected fields; with no `select`, the fields coopq shows, but `evidence`: the export
    /// keeps its sentences only in the documents' texts (said in a comment above the statement).
    private mutating func selectRecords(_ q: Query, _ c: Collection, _ t: String, _ table: Table, into st: inout Statement) throws(Diagnostic) {
        let items = q.select.isEmpty
            ? table.columns.filter { $0.shownByDefault && !NormalizedTables.skipped.contains($0.name) }.map { SelectItem(expr: .name($0.name, q.range), alias: nil, range: q.range) }
            : q.select
        if q.select.isEmpty, table.columns.contains(where: { $0.shownByDefault && NormalizedTables.skipped.contains($0.name) }) {
            st.comment = "-- evidence is not exported: each fact's sentence is in documents.text\n"
        }
        for item in items {
            let sql = try scalar(item.expr, c, t, table, selecting: true)
            st.resultColumns[item.name] = sql
            st.select.append("\(sql) AS \(SQLTranslator.name(item.name))")
        }
    }

    /// The keys of `by`: a list field joined to its link table, a text keyed by its match key and
    /// shown the first way it is written as text sorts.
    private mutating func group(_ q: Query, _ c: Collection, _ t: String, _ table: Table, into st: inout Statement) throws(Diagnostic) {
        for key in q.groupBy {
            guard case .name(let f, _) = key.expr, let i = table.columnIndex(f) else {
                throw Diagnostic("explain sql groups by fields only", at: key.range)
            }
            let column: String, keyed: Bool
            if table.columns[i].type.element != nil {
                let (link, owner, value) = NormalizedTables.link(c, f)
                let l = nextAlias()
                st.from += " LEFT JOIN \(link) AS \(l) ON \(l).\(owner) = \(t).id"
                (column, keyed) = ("\(l).\(value)", table.columns[i].type.element == .string)
            } else {
                (column, keyed) = ("\(t).\(f)", table.columns[i].type == .string && f != "id")
            }
            let label = keyed ? firstAsSorted(column) : "MIN(\(column))"
            st.select.append("\(label) AS \(SQLTranslator.name(key.name))")
            st.groupBy.append(keyed ? "\(column)_key" : column)
            if keyed { st.groupOrder.append("MIN(\(column)_words) ASC NULLS LAST") }
            st.groupOrder.append("\(label) ASC NULLS LAST")
            st.resultColumns[key.name] = label
        }
    }

    /// `order by`, then what keeps ties in coopq's order: groups by their keys, records in their
    /// collection's order (the number of their id: e1, e2, ...).
    private mutating func orderBy(_ q: Query, _ c: Collection, _ t: String, _ table: Table, _ st: Statement) throws(Diagnostic) -> [String] {
        var order: [String] = []
        for item in q.order {
            let direction = item.descending ? " DESC" : " ASC"
            var column: String
            if case .name(let n, let r) = item.expr, let known = st.resultColumns[n], q.head != .records || table.columnIndex(n) == nil {
                // coopq orders text by its words: a followed field's values have no such column.
                if let selected = q.select.first(where: { $0.name == n }), case .path(_, let f, _) = selected.expr, f != "count" {
                    throw Diagnostic("explain sql does not order by a field followed to other records ('\(Printer.print(selected.expr))')", at: r)
                }
                column = known
            } else {
                column = try scalar(item.expr, c, t, table, selecting: false)
            }
            // Text sorts by its words, then as written (`Value.sortOrder`): a text column by its
            // `_words` column, a group's by the least of them.
            if let words = wordsColumn(item.expr, t, table, grouped: !st.groupBy.isEmpty) {
                order.append(words + direction + " NULLS LAST")
            }
            order.append(column + direction + " NULLS LAST")
        }
        if !st.groupBy.isEmpty {
            order += st.groupOrder
        } else if !order.isEmpty, let prefix = SQLTranslator.idPrefix[c] {
            order.append("CAST(SUBSTR(\(t).id, \(prefix.count + 1)) AS INTEGER) ASC")
        }
        return order
    }

    /// The letters before the number of a collection's ids (documents are named by their files).
    static let idPrefix: [Collection: String] = [.events: "e", .people: "p", .places: "pl", .organizations: "o", .topics: "t",
                                                 .agreements: "a", .figures: "f"]

    mutating func nextAlias() -> String {
        aliasCount += 1
        return "t\(aliasCount)"
    }

    /// The `_words` column an ordering by a text field sorts on first (nil for other fields); in a
    /// grouped query, the least of the group's.
    private func wordsColumn(_ e: Expr, _ t: String, _ table: Table, grouped: Bool) -> String? {
        guard case .name(let n, _) = e, let i = table.columnIndex(n), table.columns[i].type == .string, n != "id", n != "text" else { return nil }
        return grouped ? "MIN(\(t).\(n)_words)" : "\(t).\(n)_words"
    }

    /// `distinct e of T`: one row for each value, as coopq keeps it (the least written form of those
    /// with one match key), sorted as coopq sorts.
    private mutating func distinct(_ e: Expr, _ q: Query, _ c: Collection, _ t: String, _ table: Table,
                                   from: String, wheres: [String]) throws(Diagnostic) -> String {
        guard case .name(let n, _) = e, let i = table.columnIndex(n) else {
            throw Diagnostic("explain sql translates 'distinct … of' a field", at: e.range)
        }
        let word = "distinct_" + Engine.columnWord(Printer.print(e))
        let column = table.columns[i]
        var from = from
        var value = "\(t).\(n)", key = "\(t).\(n)_key", words = "\(t).\(n)_words"
        if column.type.element != nil {
            let (link, owner, v) = NormalizedTables.link(c, n)
            let l = nextAlias()
            from += " JOIN \(link) AS \(l) ON \(l).\(owner) = \(t).id"
            (value, key, words) = ("\(l).\(v)", "\(l).\(v)_key", "\(l).\(v)_words")
        }
        let where_ = (wheres + ["\(value) IS NOT NULL"]).joined(separator: " AND ")
        guard (column.type.element ?? column.type) == .string, n != "id", n != "text" else {
            var sql = "SELECT DISTINCT \(value) AS \(word)\nFROM \(from)\nWHERE \(where_)\nORDER BY \(word) ASC"
            if let limit = q.limit { sql += "\nLIMIT \(limit)" }
            return sql
        }
        var sql = "SELECT \(word) FROM (SELECT \(value) AS \(word), \(words) AS w, "
            + "ROW_NUMBER() OVER (PARTITION BY \(key) ORDER BY \(words), \(value)) AS r\nFROM \(from)\nWHERE \(where_)) AS d"
            + "\nWHERE r = 1\nORDER BY w ASC, \(word) ASC"
        if let limit = q.limit { sql += "\nLIMIT \(limit)" }
        return sql
    }

    /// `' ' || words || ' ' LIKE '% deputy chairman %'`: the phrase's words among the text's, as
    /// `contains` finds them (a phrase of no words is in every text).
    func containsWords(_ wordsColumn: String, _ phrase: String) -> String {
        let words = wordsForm(phrase)
        guard !words.isEmpty else { return "\(wordsColumn) IS NOT NULL" }
        return "(' ' || \(wordsColumn) || ' ') LIKE \(SQLTranslator.text("% " + words + " %"))"
    }

    static func name(_ s: String) -> String {
        s.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } && !(s.first?.isNumber ?? true) ? s : "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func text(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "''") + "'" }

    /// A single-valued expression.
    mutating func scalar(_ e: Expr, _ c: Collection, _ t: String, _ table: Table, selecting: Bool) throws(Diagnostic) -> String {
        switch e {
        case .name(let n, let r):
            guard let i = table.columnIndex(n) else { throw Diagnostic("unknown field '\(n)' in \(c.rawValue)", at: r) }
            if table.columns[i].type.element != nil {
                guard selecting else {
                    throw Diagnostic("explain sql cannot use the list '\(n)' as one value here; its rows are in \(NormalizedTables.link(c, n).table)", at: r)
                }
                return listText(c, n, t)
            }
            return "\(t).\(n)"
        case .literal(let v, let r): return try literal(v, r)
        case .path(.name(let n, _), "count", _):
            let (link, owner, _) = NormalizedTables.link(c, n)
            return "(SELECT COUNT(*) FROM \(link) WHERE \(link).\(owner) = \(t).id)"
        case .path(.name(let n, _), let field, let r) where selecting:
            return try followed(n, field, c, t, table, at: r)
        case .call(let f, let args, _) where f.lowercased() == "len" && args.count == 1:
            // The length of a list is its link table's rows; of text, its characters.
            if case .name(let n, _) = args[0], let i = table.columnIndex(n), table.columns[i].type.element != nil {
                let (link, owner, _) = NormalizedTables.link(c, n)
                return "(SELECT COUNT(*) FROM \(link) WHERE \(link).\(owner) = \(t).id)"
            }
            return "LENGTH(\(try scalar(args[0], c, t, table, selecting: false)))"
        case .call(let f, let args, let r):
            guard let function = Function(rawValue: f.lowercased()), args.count == function.arity else {
                throw Diagnostic("explain sql does not know '\(f)' with \(args.count) arguments", at: r)
            }
            let a = try args.map { arg throws(Diagnostic) -> String in try scalar(arg, c, t, table, selecting: false) }
            switch function {
            case .lower: return "LOWER(\(a[0]))"
            case .upper: return "UPPER(\(a[0]))"
            case .len: return "LENGTH(\(a[0]))"
            case .year: return "CAST(SUBSTR(\(a[0]), 1, 4) AS INTEGER)"
            case .month: return "CAST(SUBSTR(\(a[0]), 6, 2) AS INTEGER)"
            case .days_between:
                // Days from the first date to the second; none unless both give their day.
                let whole = "LENGTH(\(a[0])) = 10 AND LENGTH(\(a[1])) = 10"
                switch dialect {
                case .sqlite: return "(CASE WHEN \(whole) THEN CAST(julianday(\(a[1])) - julianday(\(a[0])) AS INTEGER) END)"
                case .duckdb: return "(CASE WHEN \(whole) THEN date_diff('day', TRY_CAST(\(a[0]) AS DATE), TRY_CAST(\(a[1]) AS DATE)) END)"
                case .spark: return "(CASE WHEN \(whole) THEN datediff(to_date(\(a[1])), to_date(\(a[0]))) END)"
                }
            }
        default:
            throw Diagnostic("explain sql does not translate \(Printer.print(e)) yet", at: e.range)
        }
    }

    func literal(_ v: Value, _ r: SourceRange) throws(Diagnostic) -> String {
        switch v {
        case .null: return "NULL"
        case .bool(let b): return b ? "TRUE" : "FALSE"
        case .number(let n): return Value.format(number: n)
        case .string(let s): return SQLTranslator.text(s)
        case .date(let d): return SQLTranslator.text(d.description)
        case .list: throw Diagnostic("a list cannot stand here in SQL", at: r)
        }
    }

    func value(_ e: Expr) -> Value? {
        switch e {
        case .literal(let v, _): return v
        case .parameter(let n, _): return engine.parameters[n]
        case .negate(.literal(.number(let n), _), _): return .number(-n)
        default: return nil
        }
    }

    /// A condition of `where`.
    mutating func condition(_ e: Expr, _ c: Collection, _ t: String, _ table: Table) throws(Diagnostic) -> String {
        switch e {
        case .binary(.and, let l, let r, _): return "(\(try condition(l, c, t, table)) AND \(try condition(r, c, t, table)))"
        case .binary(.or, let l, let r, _): return "(\(try condition(l, c, t, table)) OR \(try condition(r, c, t, table)))"
        case .not(let inner, _): return "NOT (\(try condition(inner, c, t, table)))"
        case .isNull(.name(let n, let r), let negated, _):
            guard let i = table.columnIndex(n) else { throw Diagnostic("unknown field '\(n)' in \(c.rawValue)", at: r) }
            if table.columns[i].type.element != nil {
                let (link, owner, _) = NormalizedTables.link(c, n)
                return (negated ? "" : "NOT ") + "EXISTS (SELECT 1 FROM \(link) WHERE \(link).\(owner) = \(t).id)"
            }
            return "\(t).\(n) IS " + (negated ? "NOT NULL" : "NULL")
        case .between(let x, let lo, let hi, let negated, _):
            let a = try compare(.greaterEqual, x, lo, c, t, table), b = try compare(.lessEqual, x, hi, c, t, table)
            return (negated ? "NOT " : "") + "(\(a) AND \(b))"
        case .binary(.in, let l, .name(let n, let nr), _) where table.columnIndex(n).map({ table.columns[$0].type.element != nil }) ?? false:
            // "Wang Hailin" in participants
            guard let v = value(l) else { throw Diagnostic("explain sql needs a value before 'in \(n)'", at: l.range) }
            _ = nr
            return membership(c, n, t, [v])
        case .binary(.contains, .name(let n, let nr), let r, _) where table.columnIndex(n).map({ table.columns[$0].type.element != nil }) ?? false:
            _ = nr
            if case .subquery(let q, _) = r { return try membership(c, n, t, subquery: q) }
            guard let v = value(r) else { throw Diagnostic("explain sql needs a value after 'contains'", at: r.range) }
            // An element that is the text, or holds its words.
            if case .string(let s) = v {
                let (link, owner, value) = NormalizedTables.link(c, n)
                return "EXISTS (SELECT 1 FROM \(link) WHERE \(link).\(owner) = \(t).id AND (\(link).\(value)_key = "
                    + "\(SQLTranslator.text(engine.corpus.canonicalKey(s))) OR \(containsWords("\(link).\(value)_words", s))))"
            }
            return membership(c, n, t, [v])
        case .binary(.contains, .name(let n, let nr), let r, _) where table.columnIndex(n).map({ table.columns[$0].type == .string }) ?? false:
            guard case .string(let s)? = value(r) else { throw Diagnostic("explain sql needs text after 'contains'", at: r.range) }
            guard n != "id", n != "text" else {
                throw Diagnostic("explain sql cannot look inside '\(n)': the export has no words of it (search the documents in coopq)", at: nr)
            }
            return containsWords("\(t).\(n)_words", s)
        case .binary(.contains, .path(.name(let n, _), let field, let pr), let r, _) where field != "count" && c.relation(n) != nil:
            // "participants.country contains "Russia"": some participant's country is it or holds its words.
            guard case .string(let s)? = value(r) else { throw Diagnostic("explain sql needs text after 'contains'", at: r.range) }
            let target = c.relation(n)!
            return try followed(c, n, t, pr) { (me: inout SQLTranslator, alias: String, targetTable: Table) throws(Diagnostic) -> String in
                try me.holds(target, targetTable, field, alias, s, phrase: true, at: pr)
            }
        case .binary(.in, let l, .path(.name(let n, _), let field, let pr), _) where field != "count" && c.relation(n) != nil:
            guard case .string(let s)? = value(l) else { throw Diagnostic("explain sql needs text before 'in'", at: l.range) }
            let target = c.relation(n)!
            return try followed(c, n, t, pr) { (me: inout SQLTranslator, alias: String, targetTable: Table) throws(Diagnostic) -> String in
                try me.holds(target, targetTable, field, alias, s, phrase: false, at: pr)
            }
        case .binary(.matches, .name(let n, let nr), let r, _):
            // A regular expression found anywhere in the text, or in an element of a list.
            guard case .string(let pattern)? = value(r), let i = table.columnIndex(n),
                  (table.columns[i].type.element ?? table.columns[i].type) == .string else {
                throw Diagnostic("explain sql needs a text field before 'matches' and a pattern after it", at: nr)
            }
            if table.columns[i].type.element != nil {
                let (link, owner, value) = NormalizedTables.link(c, n)
                return "EXISTS (SELECT 1 FROM \(link) WHERE \(link).\(owner) = \(t).id AND \(regex("\(link).\(value)", pattern)))"
            }
            return regex("\(t).\(n)", pattern)
        case .binary(.in, let l, .list(let items, _), _):
            let column = try scalar(l, c, t, table, selecting: false)
            let values = items.compactMap(value)
            guard values.count == items.count else { throw Diagnostic("explain sql needs values in the list", at: e.range) }
            if values.allSatisfy({ if case .string = $0 { return true } else { return false } }) {
                return "\(column)_key IN (" + values.map { SQLTranslator.text(engine.corpus.canonicalKey($0.display)) }.joined(separator: ", ") + ")"
            }
            return "\(column) IN (" + values.map { (try? literal($0, e.range)) ?? "NULL" }.joined(separator: ", ") + ")"
        case .binary(.in, let l, .subquery(let q, _), _):
            let column = try scalar(l, c, t, table, selecting: false)
            let keyColumn = try keyOf(q)
            return "\(column)_key IN (\(keyColumn))"
        case .binary(let op, let l, let r, _) where op.isComparison && op != .in && op != .contains && op != .matches:
            return try compare(op, l, r, c, t, table)
        case .quantified(.any, .name(let n, _), .in, .subquery(let q, _), _):
            return try membership(c, n, t, subquery: q)
        default:
            throw Diagnostic("explain sql does not translate '\(Printer.print(e))' yet", at: e.range)
        }
    }

    /// `field op value`: text by match key, dates on their common precision, numbers as they are.
    private mutating func compare(_ op: BinaryOperator, _ l: Expr, _ r: Expr, _ c: Collection, _ t: String, _ table: Table) throws(Diagnostic) -> String {
        var type: ValueType = .any
        let column: String, key: String
        if case .path(.name(let n, _), let field, let range) = l, field != "count", value(r) != nil {
            // `place.country = "China"`: the field of the one record a field names.
            (column, key, type) = try followedColumn(n, field, c, t, table, at: range)
        } else {
            column = try scalar(l, c, t, table, selecting: false)
            key = column + "_key"
        }
        guard let v = value(r) else {
            return "\(column) \(op.rawValue == "!=" ? "<>" : op.rawValue) \(try scalar(r, c, t, table, selecting: false))"
        }
        let sqlOp = op == .notEqual ? "<>" : op.rawValue
        if case .name(let n, _) = l, let i = table.columnIndex(n) { type = table.columns[i].type }
        switch (type, v) {
        case (.string, .string(let s)) where op == .equal || op == .notEqual:
            return "\(key) \(sqlOp) \(SQLTranslator.text(engine.corpus.canonicalKey(s)))"
        case (.date, .date(let d)):
            return SQLTranslator.dateCompare(column, sqlOp, d)
        case (.date, .number(let n)):
            return SQLTranslator.dateCompare(column, sqlOp, PartialDate(year: Int(n)))
        default:
            return "\(column) \(sqlOp) \(try literal(v, r.range))"
        }
    }

    /// Dates are text (2025-11-24, 2025-11, 2025) and compare on the precision both know.
    static func dateCompare(_ column: String, _ op: String, _ d: PartialDate) -> String {
        let year = String(format4: d.year)
        let month = d.month.map { year + "-" + String(pad2: $0) }
        let full = d.description
        var cases = "CASE LENGTH(\(column)) WHEN 4 THEN \(column) \(op) \(text(year))"
        if let month { cases += " WHEN 7 THEN \(column) \(op) \(text(month))" }
        let width = d.precision == 3 ? 10 : (d.precision == 2 ? 7 : 4)
        cases += " ELSE SUBSTR(\(column), 1, \(width)) \(op) \(text(full)) END"
        return cases
    }

    private func membership(_ c: Collection, _ field: String, _ t: String, _ values: [Value]) -> String {
        let (link, owner, value) = NormalizedTables.link(c, field)
        let keys = values.map { v -> String in
            if case .string(let s) = v { return SQLTranslator.text(engine.corpus.canonicalKey(s)) }
            return (try? literal(v, SourceRange(0, 0))) ?? "NULL"
        }
        return "EXISTS (SELECT 1 FROM \(link) WHERE \(link).\(owner) = \(t).id AND \(link).\(value)_key IN (\(keys.joined(separator: ", "))))"
    }

    private mutating func membership(_ c: Collection, _ field: String, _ t: String, subquery q: Query) throws(Diagnostic) -> String {
        let (link, owner, value) = NormalizedTables.link(c, field)
        return "EXISTS (SELECT 1 FROM \(link) WHERE \(link).\(owner) = \(t).id AND \(link).\(value)_key IN (\(try keyOf(q))))"
    }

}

/// Where the SQL of `explain sql` runs: the few places the engines differ (a list joined in
/// order, regular expressions).
public enum SQLDialect: String, CaseIterable, Sendable {
    case sqlite, duckdb, spark
}

extension Engine {
    /// The SQL of a query over the exported tables.
    public func explainSQL(_ q: Query, dialect: SQLDialect? = nil) throws(Diagnostic) -> String {
        _ = try run(q)  // check it in coopq's terms first: the same errors, with positions
        var translator = SQLTranslator(engine: self, dialect: dialect ?? sqlDialect)
        return try translator.translate(q) + ";"
    }
}
