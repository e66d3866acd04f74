/// The records a statement reads in SQL: a collection, a query's records as a source, `F of T`,
/// and fields followed to the records they name.
extension SQLTranslator {
    /// The keys of a sub-query's records: `SELECT name_key FROM people WHERE …`.
    mutating func keyOf(_ q: Query) throws(Diagnostic) -> String {
        guard q.head == .records || SQLTranslator.isRelated(q.head), q.limit == nil else {
            throw Diagnostic("explain sql translates sub-queries of records with no limit", at: q.range)
        }
        let t = nextAlias()
        let (c, wheres) = try recordSet(q, t)
        let keyField = SQLTranslator.keyColumn(c)
        return "SELECT \(t).\(keyField) FROM \(c.rawValue) AS \(t)" + (wheres.isEmpty ? "" : " WHERE " + wheres.joined(separator: " AND "))
    }

    static func isRelated(_ h: Head) -> Bool { if case .related = h { return true } else { return false } }

    /// The records a query's head reads, over alias `t`: their collection, and the conditions that
    /// pick them. A source may be a query's records; `F of T` reads the records T's field F names.
    mutating func recordSet(_ q: Query, _ t: String) throws(Diagnostic) -> (Collection, [String]) {
        var related: (field: String, range: SourceRange)?
        if case .related(let f, let r) = q.head { related = (f, r) }
        let s = related == nil ? t : nextAlias()  // the source's records
        let base: Collection
        var wheres: [String] = []
        /// The records of a query as the source, over a new alias.
        func sourceQuery(_ inner: Query) throws(Diagnostic) -> Collection {
            let i = nextAlias()
            let (c, innerWheres) = try recordSet(inner, i)
            guard inner.head == .records || SQLTranslator.isRelated(inner.head), inner.limit == nil else {
                throw Diagnostic("explain sql translates a query as a source when it gives records, with no limit", at: inner.range)
            }
            wheres.append("\(s).id IN (SELECT \(i).id FROM \(c.rawValue) AS \(i)"
                          + (innerWheres.isEmpty ? "" : " WHERE " + innerWheres.joined(separator: " AND ")) + ")")
            return c
        }
        switch q.source {
        case .name(let name, let r):
            if let c = Collection(rawValue: name) {
                base = c
            } else if let bound = engine.definitions[name] {
                // A name bound by `let` is the query it was bound to (the corpus does not change
                // between them); what cannot be translated there is said here, at the name.
                do throws(Diagnostic) { base = try sourceQuery(bound) } catch {
                    throw Diagnostic("explain sql cannot translate '\(name)': \(error.message)", at: r)
                }
            } else {
                throw Diagnostic("explain sql translates queries over a collection or a query of one; '\(name)' is neither", at: r)
            }
        case .query(let inner, _):
            base = try sourceQuery(inner)
        }
        if let filter = q.filter { wheres.append(try condition(filter, base, s, engine.table(base))) }
        guard let related else { return (base, wheres) }
        guard let target = base.relation(related.field) else {
            throw Diagnostic("'\(related.field)' of \(base.rawValue) names no records", at: related.range)
        }
        let keyColumn = "\(t).\(SQLTranslator.keyColumn(target))"
        let filter = wheres.isEmpty ? "" : " WHERE " + wheres.joined(separator: " AND ")
        let baseTable = engine.table(base)
        guard let fi = baseTable.columnIndex(related.field) else { throw Diagnostic("unknown field '\(related.field)'", at: related.range) }
        if baseTable.columns[fi].type.element != nil {
            let (link, owner, value) = NormalizedTables.link(base, related.field)
            let l = nextAlias()
            let referenced = SQLTranslator.reference("\(l).\(value)", to: target)
            return (target, ["\(keyColumn) IN (SELECT \(referenced) FROM \(link) AS \(l) JOIN \(base.rawValue) AS \(s) ON \(l).\(owner) = \(s).id\(filter))"])
        }
        let referenced = SQLTranslator.reference("\(s).\(related.field)", to: target)
        return (target, ["\(keyColumn) IN (SELECT \(referenced) FROM \(base.rawValue) AS \(s)\(filter))"])
    }

    /// A test on the records a field names (`participants.country contains "Russia"`): some record
    /// that the field of a record at `t` names passes `test`, given its alias.
    mutating func followed(_ c: Collection, _ field: String, _ t: String, _ range: SourceRange,
                                   _ test: (inout SQLTranslator, String, Table) throws(Diagnostic) -> String) throws(Diagnostic) -> String {
        let table = engine.table(c)
        guard let target = c.relation(field), let fi = table.columnIndex(field) else {
            throw Diagnostic("'\(field)' of \(c.rawValue) names no records", at: range)
        }
        let r = nextAlias()
        let key = "\(r).\(SQLTranslator.keyColumn(target))"
        let passes = try test(&self, r, engine.table(target))
        if table.columns[fi].type.element != nil {
            let (link, owner, value) = NormalizedTables.link(c, field)
            let l = nextAlias()
            let named = SQLTranslator.reference("\(l).\(value)", to: target)
            return "EXISTS (SELECT 1 FROM \(link) AS \(l) JOIN \(target.rawValue) AS \(r) ON \(key) = \(named) WHERE \(l).\(owner) = \(t).id AND \(passes))"
        }
        let named = SQLTranslator.reference("\(t).\(field)", to: target)
        return "EXISTS (SELECT 1 FROM \(target.rawValue) AS \(r) WHERE \(key) = \(named) AND \(passes))"
    }

    /// Whether a text field of the record at `r` (or an element of a list field) is `s` or, with
    /// `phrase`, holds its words.
    func holds(_ target: Collection, _ table: Table, _ field: String, _ r: String, _ s: String, phrase: Bool,
                       at range: SourceRange) throws(Diagnostic) -> String {
        guard let i = table.columnIndex(field), (table.columns[i].type.element ?? table.columns[i].type) == .string, field != "id", field != "text" else {
            throw Diagnostic("explain sql follows to a text field here; '\(field)' is not one", at: range)
        }
        let key = SQLTranslator.text(engine.corpus.canonicalKey(s))
        if table.columns[i].type.element != nil {
            let (link, owner, value) = NormalizedTables.link(target, field)
            let test = "\(link).\(value)_key = \(key)" + (phrase ? " OR " + containsWords("\(link).\(value)_words", s) : "")
            return "EXISTS (SELECT 1 FROM \(link) WHERE \(link).\(owner) = \(r).id AND (\(test)))"
        }
        return "(\(r).\(field)_key = \(key)" + (phrase ? " OR " + containsWords("\(r).\(field)_words", s) : "") + ")"
    }

    /// The column a collection's records are referred to by: `id`, or its key field's match key (`name_key`).
    static func keyColumn(_ c: Collection) -> String { c.keyField == "id" ? "id" : c.keyField + "_key" }

    /// A column that names records of `c`, as compared with `keyColumn(c)`: as it is for ids, else its match key.
    static func reference(_ column: String, to c: Collection) -> String { c.keyField == "id" ? column : column + "_key" }

    /// `place.region`, `participants.country`, `participants.titles` in `select`: the field of the
    /// records a field names. From a list, the values in the list's order, each once, none null,
    /// joined by "; " as a list is (`listText`); from one value, that record's field (`followedColumn`).
    mutating func followed(_ n: String, _ field: String, _ c: Collection, _ t: String, _ table: Table,
                           at r: SourceRange) throws(Diagnostic) -> String {
        guard let target = c.relation(n), let bi = table.columnIndex(n) else {
            throw Diagnostic("'\(n)' of \(c.rawValue) names no records to follow to '\(field)'", at: r)
        }
        let targetTable = engine.table(target)
        guard let fi = targetTable.columnIndex(field), !NormalizedTables.skipped.contains(field) else {
            throw Diagnostic("explain sql does not translate '\(n).\(field)': \(target.rawValue) export no '\(field)'", at: r)
        }
        guard table.columns[bi].type.element != nil else { return try followedColumn(n, field, c, t, table, at: r).column }
        let (link, owner, value) = NormalizedTables.link(c, n)
        let m = nextAlias(), l = nextAlias()
        var from = "FROM \(link) AS \(l) JOIN \(target.rawValue) AS \(m) ON \(m).\(SQLTranslator.keyColumn(target)) = "
            + SQLTranslator.reference("\(l).\(value)", to: target)
        var shown = "\(m).\(field)", order = "\(l).position"
        if targetTable.columns[fi].type.element != nil {
            // Each record's list in its order, the records in the first list's: one number orders both.
            let (inner, innerOwner, innerValue) = NormalizedTables.link(target, field)
            let e = nextAlias()
            from += " JOIN \(inner) AS \(e) ON \(e).\(innerOwner) = \(m).id"
            shown = "\(e).\(innerValue)"
            order = "\(l).position * 1000000 + \(e).position"
        }
        let values = "SELECT \(shown) AS v, MIN(\(order)) AS o \(from) WHERE \(l).\(owner) = \(t).id AND \(shown) IS NOT NULL GROUP BY \(shown)"
        switch dialect {
        case .sqlite: return "(SELECT group_concat(v, '; ') FROM (\(values) ORDER BY o))"
        case .duckdb: return "(SELECT string_agg(v, '; ' ORDER BY o) FROM (\(values)))"
        case .spark: return "(SELECT concat_ws('; ', transform(array_sort(collect_list(struct(o, v))), x -> x.v)) FROM (\(values)))"
        }
    }

    /// The field of the one record a single-valued field names (`place.country`): the value, its
    /// match key (for a comparison of text), and its type.
    mutating func followedColumn(_ n: String, _ field: String, _ c: Collection, _ t: String, _ table: Table,
                                 at r: SourceRange) throws(Diagnostic) -> (column: String, key: String, type: ValueType) {
        guard let target = c.relation(n), let bi = table.columnIndex(n), table.columns[bi].type.element == nil else {
            throw Diagnostic("explain sql does not translate '\(n).\(field)' in a condition yet", at: r)
        }
        let targetTable = engine.table(target)
        guard let fi = targetTable.columnIndex(field), !NormalizedTables.skipped.contains(field) else {
            throw Diagnostic("explain sql does not translate '\(n).\(field)' yet", at: r)
        }
        guard targetTable.columns[fi].type.element == nil else {
            throw Diagnostic("explain sql does not translate the list '\(n).\(field)' of one record yet", at: r)
        }
        let m = nextAlias()
        let type = targetTable.columns[fi].type
        func of(_ column: String) -> String {
            "(SELECT \(m).\(column) FROM \(target.rawValue) AS \(m) WHERE \(m).\(SQLTranslator.keyColumn(target)) = "
                + SQLTranslator.reference("\(t).\(n)", to: target) + ")"
        }
        return (of(field), type == .string && field != "id" ? of(field + "_key") : of(field), type)
    }
}
