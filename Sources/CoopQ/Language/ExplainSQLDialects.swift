/// The few places where SQLite, DuckDB and Spark SQL need other words (`--dialect`).
extension SQLTranslator {
    /// Of a group's texts, the first as coopq sorts text (by words, then as written): the least of
    /// `words`, a character below every other, and the text, cut after that character.
    func firstAsSorted(_ column: String) -> String {
        switch dialect {
        case .sqlite:
            let least = "MIN(\(column)_words || char(1) || \(column))"
            return "SUBSTR(\(least), INSTR(\(least), char(1)) + 1)"
        case .duckdb: return "split_part(MIN(\(column)_words || chr(1) || \(column)), chr(1), 2)"
        case .spark: return "substring_index(MIN(concat(\(column)_words, chr(1), \(column))), chr(1), -1)"
        }
    }

    /// A regular expression's test in the dialect's words. (Each engine has its own flavour of
    /// expression: a pattern of classes, groups and quantifiers means the same in all of them.)
    func regex(_ column: String, _ pattern: String) -> String {
        switch dialect {
        case .sqlite: return "\(column) REGEXP \(SQLTranslator.text(pattern))"
        case .duckdb: return "regexp_matches(\(column), \(SQLTranslator.text(pattern)))"
        case .spark: return "\(column) RLIKE \(SQLTranslator.text(pattern))"
        }
    }

    /// A list field shown as coopq shows it: its elements in order, between semicolons.
    mutating func listText(_ c: Collection, _ field: String, _ t: String) -> String {
        let (link, owner, value) = NormalizedTables.link(c, field)
        let l = nextAlias()
        let rows = "FROM \(link) AS \(l) WHERE \(l).\(owner) = \(t).id"
        switch dialect {
        case .sqlite:
            // (SQLite before 3.44 has no ORDER BY inside group_concat: it joins the rows in the order the sub-query gives.)
            return "(SELECT group_concat(v, '; ') FROM (SELECT \(l).\(value) AS v \(rows) ORDER BY \(l).position))"
        case .duckdb:
            return "(SELECT string_agg(\(l).\(value), '; ' ORDER BY \(l).position) \(rows))"
        case .spark:
            return "(SELECT concat_ws('; ', transform(array_sort(collect_list(struct(\(l).position, \(l).\(value)))), x -> x.\(value))) \(rows))"
        }
    }
}
