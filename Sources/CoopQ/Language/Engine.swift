/// Runs statements over a corpus: holds the named results of `let` and the parameters.
///
/// A query runs in stages: the source, `where`, the head (`count ... by`, an aggregate, or
/// the records a field names), `order by`, `limit`, `select`. Each statement is checked in
/// full before any row is read.
public final class Engine: @unchecked Sendable {
    public private(set) var corpus: Corpus
    public var parameters: [String: Value]
    /// Results named by `let`, by name.
    public private(set) var named: [String: Table] = [:]
    /// The query each `let` named, by name: what `explain sql` translates for the name.
    private(set) var definitions: [String: Query] = [:]
    private var tables: [Collection: Table] = [:]
    private var indexes: [Collection: RelatedIndex] = [:]
    /// Whether the statement being run may read a bulky hidden column: `evidence`, or the
    /// documents' `text`. One that cannot is run over lean tables, whose evidence is left empty
    /// and whose texts are left null: looking up the sentences of every record was most of the
    /// cost of a first query over a large collection, and texts kept in a store stay there.
    var mayReadBulky = true
    private var leanTables: [Collection: Table] = [:]
    private var leanIndexes: [Collection: RelatedIndex] = [:]
    /// Asked between rows of a long statement; true stops it with an "interrupted" error (Ctrl-C in the shell).
    public var isCancelled: @Sendable () -> Bool = { false }
    /// At most this many search hits are kept; the rest are counted in a notice.
    public var searchLimit = 10_000
    /// Collections with at least this many records are filtered and counted through their columns.
    public var columnarThreshold = 4096
    /// The SQL `explain sql` writes (`--dialect`).
    public var sqlDialect: SQLDialect = .sqlite
    private var stores: [Collection: ColumnStore] = [:]
    /// The time the current statement may spend in regular expressions.
    let regexBudget = RegexBudget()

    private var queriesOver: [Collection: Int] = [:]

    /// Building a collection's columns costs about one pass over its rows: worth it from the
    /// second query over it (a shell, a script), or at once for a very large collection.
    private func usesColumns(_ c: Collection, _ rows: Int) -> Bool {
        if stores[c] != nil || columnarThreshold == 0 { return true }
        queriesOver[c, default: 0] += 1
        return queriesOver[c]! >= 2 || rows >= 250_000
    }

    func columnStore(_ c: Collection) -> ColumnStore {
        if let s = stores[c] { return s }
        let s = ColumnStore(table(c), canonicalKey: corpus.canonicalKey)
        stores[c] = s
        return s
    }

    public init(corpus: Corpus, parameters: [String: Value] = [:]) {
        self.corpus = corpus
        self.parameters = parameters
    }

    /// Replaces the corpus (the REPL's `.corpus`); named results are dropped with the old one.
    public func load(_ corpus: Corpus) {
        self.corpus = corpus
        named = [:]
        indexes = [:]
        stores = [:]
        tables = [:]
        leanTables = [:]
        leanIndexes = [:]
        queriesOver = [:]
    }

    /// A collection's rows, made from the corpus the first time a statement reads them: a
    /// query over events never pays for the documents' table.
    public func table(_ collection: Collection) -> Table {
        if let t = tables[collection] { return t }
        if !mayReadBulky {
            if let t = leanTables[collection] { return t }
            let t = corpus.table(collection, evidence: false, text: false)
            leanTables[collection] = t
            return t
        }
        let t = corpus.table(collection)
        tables[collection] = t
        return t
    }

    /// A collection's rows, lean unless the full table is already made: for completion, which
    /// reads field names and short values, never a text or a sentence of evidence.
    public func leanTable(_ collection: Collection) -> Table {
        let was = mayReadBulky
        mayReadBulky = false
        defer { mayReadBulky = was }
        return table(collection)
    }

    func related(_ collection: Collection) -> RelatedIndex {
        if let index = indexes[collection] { return index }
        if !mayReadBulky, let index = leanIndexes[collection] { return index }
        let index = RelatedIndex(table(collection), canonicalKey: corpus.canonicalKey)
        if mayReadBulky { indexes[collection] = index } else { leanIndexes[collection] = index }
        return index
    }

    /// Whether a statement may read a record's evidence or a document's text: a `let` may (its
    /// result is read by later statements), a query only when it names either field or
    /// describes every field (any of these words anywhere in its text).
    static func mayReadBulky(_ statement: Statement) -> Bool {
        guard case .query(let q) = statement else { return true }
        let text = Printer.print(q).lowercased()
        return text.contains("evidence") || text.contains("text") || text.contains("describe")
    }

    /// The names a query may start from: the collections and the named results.
    public var sourceNames: [String] { Collection.allCases.map(\.rawValue) + named.keys.sorted() }

    /// Runs one statement. A query gives its result; `let` gives nil.
    public func run(_ statement: Statement) throws(Diagnostic) -> Table? {
        mayReadBulky = Engine.mayReadBulky(statement)
        defer { mayReadBulky = true }
        regexBudget.reset()
        let result = try runUnbounded(statement)
        if let error = regexBudget.diagnostic { throw error }
        return result
    }

    private func runUnbounded(_ statement: Statement) throws(Diagnostic) -> Table? {
        switch statement {
        case .query(let q):
            return try run(q)
        case .let(let name, let nameRange, let q, _):
            if Collection(rawValue: name) != nil {
                throw Diagnostic("'\(name)' is a collection and cannot be redefined", at: nameRange)
            }
            named[name] = try run(q, keepRecords: true)
            definitions[name] = q
            return nil
        case .explainSQL(let q, _):
            var table = Table(columns: [Column(name: "sql", type: .string)], rows: [[.string(try explainSQL(q))]])
            table.presentation = .text
            return table
        }
    }

    /// Runs a query; `keepRecords` keeps all columns of the records (for `let` and sub-queries).
    public func run(_ q: Query, keepRecords: Bool = false) throws(Diagnostic) -> Table {
        var table = try source(q.source)
        let scopeName = q.sourceName
        var headDone = false
        if case .name(let name, _) = q.source, let c = Collection(rawValue: name), table.rows.count >= columnarThreshold,
           usesColumns(c, table.rows.count), let result = try columnar(q, c, table) {
            switch result {
            case .answer(let t): return t
            case .grouped(let t): table = t; headDone = true
            case .filtered(let t): table = t
            }
        } else if let filter = q.filter {
            let compiled = try checker(table, scopeName).condition(filter, "where")
            let evaluator = Evaluator(memoizing: corpus.canonicalKey)
            var kept: [[Value]] = []
            for (i, row) in table.rows.enumerated() {
                if i & 4095 == 4095, isCancelled() { throw Diagnostic("interrupted", at: filter.range) }
                if Truth(evaluator.value(compiled, row)) == .yes { kept.append(row) }
            }
            table.rows = kept
        }
        switch q.head {
        case _ where headDone:
            break
        case .records:
            if !q.groupBy.isEmpty, let first = q.groupBy.first {
                throw Diagnostic("'by' groups a count or an aggregate; write 'count \(scopeName) by …'", at: first.range)
            }
        case .count:
            table = try group(table, by: q.groupBy, scopeName: scopeName, aggregate: nil)
        case .aggregate(let a, let e):
            table = try group(table, by: q.groupBy, scopeName: scopeName, aggregate: (a, e))
        case .related(let field, let range):
            table = try follow(table, field: field, range: range, scopeName: scopeName)
        case .search(let pattern, let isRegex, let patternRange):
            table = try search(pattern, isRegex: isRegex, patternRange: patternRange, in: table, scopeName: scopeName, range: q.source.range)
        case .why:
            table = try why(table, scopeName: scopeName, range: q.source.range)
        case .describe:
            table = describe(table)
        case .timeline:
            table = try timeline(table, scopeName: scopeName, range: q.source.range)
        }
        let resultName = q.resultName
        if !q.order.isEmpty {
            let c = checker(table, resultName)
            var keys: [(Compiled, Bool)] = []
            for item in q.order {
                // `select len(participants) as n order by n`: an alias names its expression.
                var expr = item.expr
                if case .name(let n, _) = expr, table.columnIndex(n) == nil, let aliased = q.select.first(where: { $0.name == n }) {
                    expr = aliased.expr
                }
                keys.append((try c.compile(expr).0, item.descending))
            }
            let evaluator = Evaluator(memoizing: corpus.canonicalKey)
            let values = table.rows.map { row in keys.map { evaluator.value($0.0, row) } }
            // Text's words, made once a value rather than at each comparison of the sort.
            let words = values.map { row in row.map { v -> [UInt8]? in if case .string(let s) = v { Array(wordsForm(s).utf8) } else { nil } } }
            let order = Array(table.rows.indices).sorted { a, b in
                for (k, key) in keys.enumerated() {
                    let (x, y) = (values[a][k], values[b][k])
                    if x == y { continue }
                    // Missing values sort last either way.
                    if x.isNull != y.isNull { return y.isNull }
                    if case .string(let sx) = x, case .string(let sy) = y, let wx = words[a][k], let wy = words[b][k] {
                        return key.1 ? Value.textPrecedes(sy, wy, sx, wx) : Value.textPrecedes(sx, wx, sy, wy)
                    }
                    return key.1 ? Value.sortOrder(y, x) : Value.sortOrder(x, y)
                }
                return a < b
            }
            table.rows = order.map { table.rows[$0] }
        }
        if let limit = q.limit, table.rows.count > limit { table.rows.removeLast(table.rows.count - limit) }
        if !q.select.isEmpty {
            table = try project(table, q.select, scopeName: resultName, keepRecords: keepRecords)
        }
        return table
    }

    /// A query over a base collection through its columns: the filter as loops over arrays, and
    /// `count` or `count … by` one field answered from them. Returns the filtered table, and
    /// whether it is already the final answer.
    private enum ColumnarResult { case answer(Table), grouped(Table), filtered(Table) }

    /// The rows a bulk filter keeps (or only how many), a block of rows at a time, stoppable between blocks.
    private func select(_ bulk: FastFilter.Bulk, rowCount: Int, counting: Bool, range: SourceRange) throws(Diagnostic) -> ([Int], Int) {
        var kept: [Int] = []
        var count = 0
        var start = 0
        while start < rowCount {
            if start > 0, isCancelled() { throw Diagnostic("interrupted", at: range) }
            let end = min(rowCount, start + 65536)
            if counting { bulk(start..<end) { _ in count += 1 } } else { bulk(start..<end) { kept.append($0) } }
            start = end
        }
        return (kept, counting ? count : kept.count)
    }

    private func columnar(_ q: Query, _ c: Collection, _ table: Table) throws(Diagnostic) -> ColumnarResult? {
        let store = columnStore(c)
        let evaluator = Evaluator(memoizing: corpus.canonicalKey)
        var selected: [Int]?
        let plain = q.order.isEmpty && q.limit == nil && q.select.isEmpty
        if let filter = q.filter {
            let fast = FastFilter(store: store, table: table, checker: checker(table, q.sourceName), evaluator: evaluator,
                                  canonicalKey: corpus.canonicalKey)
            var kept: [Int] = []
            if let bulk = try fast.bulk(filter) {
                // A plain count needs no row numbers, only how many.
                let counting = q.head == .count && q.groupBy.isEmpty && plain
                let (rows, count) = try select(bulk, rowCount: store.rowCount, counting: counting, range: filter.range)
                if counting {
                    return .answer(Table(columns: [Column(name: "count", type: .number)], rows: [[.number(Double(count))]]))
                }
                kept = rows
            } else {
                let test = try fast.compile(filter)
                for i in 0..<store.rowCount {
                    if i & 65535 == 65535, isCancelled() { throw Diagnostic("interrupted", at: filter.range) }
                    if test(i) == .yes { kept.append(i) }
                }
            }
            selected = kept
        }
        if q.head == .count, q.groupBy.isEmpty, plain {
            let n = selected?.count ?? store.rowCount
            return .answer(Table(columns: [Column(name: "count", type: .number)], rows: [[.number(Double(n))]]))
        }
        if q.head == .count, q.groupBy.count == 1, case .name(let key, _) = q.groupBy[0].expr, q.groupBy[0].alias == nil,
           let k = table.columnIndex(key) {
            switch store.column(k) {
            case .text(let ids):
                var counts: [Int32: (first: Int, count: Int)] = [:]
                var order: [Int32] = []
                // A key written several ways is shown by the first of its ways as text sorts (as `group` does).
                let written = store.formsDiffer
                func add(_ i: Int) {
                    let id = ids[i]
                    if let e = counts[id] {
                        let (v, shown) = (table.rows[i][k], table.rows[e.first][k])
                        let first = written && v != shown && Value.sortOrder(v, shown) ? i : e.first
                        counts[id] = (first, e.count + 1)
                    } else {
                        counts[id] = (i, 1)
                        order.append(id)
                    }
                }
                if let selected { for i in selected { add(i) } } else { for i in 0..<store.rowCount { add(i) } }
                let rows = order.map { id -> [Value] in
                    let e = counts[id]!
                    return [id < 0 ? .null : table.rows[e.first][k], .number(Double(e.count))]
                }
                return plain ? .answer(finishCount(rows, table.columns[k], q)) : .grouped(finishCount(rows, table.columns[k], q))
            case .numbers(let xs):
                var counts: [Double: Int] = [:]
                var nulls = 0
                // Small whole numbers (years, ordinals) are counted in an array; others in a dictionary.
                var small = [Int](repeating: 0, count: 4096)
                func add(_ i: Int) {
                    let x = xs[i]
                    if x.isNaN { nulls += 1 } else if x >= 0, x < 4096, x == x.rounded(.towardZero) { small[Int(x)] += 1 } else { counts[x, default: 0] += 1 }
                }
                if let selected { for i in selected { add(i) } } else { for i in 0..<store.rowCount { add(i) } }
                for (v, n) in small.enumerated() where n > 0 { counts[Double(v)] = n }
                var rows = counts.map { [Value.number($0.key), Value.number(Double($0.value))] }
                if nulls > 0 { rows.append([.null, .number(Double(nulls))]) }
                return plain ? .answer(finishCount(rows, table.columns[k], q)) : .grouped(finishCount(rows, table.columns[k], q))
            default: break
            }
        }
        guard let selected else { return nil }
        var filtered = table
        filtered.rows = selected.map { table.rows[$0] }
        return .filtered(filtered)
    }

    /// A count by one key, sorted by the key with missing values last, as `group` gives it.
    private func finishCount(_ rows: [[Value]], _ key: Column, _ q: Query) -> Table {
        let sorted = rows.sorted { a, b in
            if a[0].isNull != b[0].isNull { return b[0].isNull }
            return Value.sortOrder(a[0], b[0])
        }
        var t = Table(columns: [Column(name: q.groupBy[0].name, type: key.type), Column(name: "count", type: .number)], rows: sorted)
        t.presentation = .bars
        return t
    }

    /// `select` items: plain fields are taken as they are; expressions are computed.
    private func project(_ table: Table, _ items: [SelectItem], scopeName: String, keepRecords: Bool) throws(Diagnostic) -> Table {
        let c = checker(table, scopeName)
        var compiled: [(Compiled, ValueType)] = []
        for item in items { compiled.append(try c.compile(item.expr)) }
        let evaluator = Evaluator(memoizing: corpus.canonicalKey)
        let columns = zip(items, compiled).map { Column(name: $0.name, type: $1.1) }
        let rows = table.rows.map { row in compiled.map { evaluator.value($0.0, row) } }
        let keyIndex = table.collection.flatMap { table.columnIndex($0.keyField) }
        let keepsKey = items.contains { if case .name(let n, _) = $0.expr, let k = keyIndex { return table.columns[k].name == n } else { return false } }
        return Table(columns: columns, rows: rows, collection: keepRecords && keepsKey ? table.collection : nil)
    }

    private func source(_ source: Source) throws(Diagnostic) -> Table {
        switch source {
        case .query(let q, _):
            return try run(q, keepRecords: true)
        case .name(let name, let range):
            if let c = Collection(rawValue: name) { return table(c) }
            if let t = named[name] { return t }
            if let c = Collection(rawValue: name.lowercased()) { return table(c) }
            let suggestion = nearest(to: name, in: sourceNames)
            throw Diagnostic("unknown collection '\(name)'", at: range, suggestion: suggestion,
                             notes: suggestion == nil ? ["collections: " + Collection.allCases.map(\.rawValue).joined(separator: ", ")] : [])
        }
    }

    func checker(_ table: Table, _ scopeName: String) -> Checker {
        Checker(table: table, scopeName: scopeName,
                resolveTable: { [unowned self] name in
                    if let t = self.named[name] { return t }
                    return Collection(rawValue: name).map { self.table($0) }
                },
                runSubquery: { [unowned self] (q: Query) throws(Diagnostic) -> Table in try self.run(q, keepRecords: true) },
                related: { [unowned self] c in self.related(c) },
                parameters: parameters, canonicalKey: corpus.canonicalKey, regexBudget: regexBudget, otherNames: sourceNames)
    }

    /// `participants of events`: the records the field names, in order of first mention.
    private func follow(_ table: Table, field: String, range: SourceRange, scopeName: String) throws(Diagnostic) -> Table {
        guard let i = table.columnIndex(field) else {
            throw Diagnostic("unknown field '\(field)' in \(scopeName)", at: range, suggestion: nearest(to: field, in: table.columns.map(\.name)))
        }
        guard let collection = table.collection, let target = collection.relation(field) else {
            let fields = table.collection.map { c in table.columns.map(\.name).filter { c.relation($0) != nil } } ?? []
            throw Diagnostic("'\(field)' does not name records of another collection", at: range,
                             notes: fields.isEmpty ? [] : ["fields of \(scopeName) that do: " + fields.joined(separator: ", ")])
        }
        let index = related(target)
        var seen = Set<Int>()
        var rows: [[Value]] = []
        for row in table.rows {
            let names: [Value]
            if case .list(let items) = row[i] { names = items } else { names = [row[i]] }
            for case .string(let name) in names {
                if let r = index.rows[corpus.canonicalKey(name)], seen.insert(r).inserted { rows.append(index.table.rows[r]) }
            }
        }
        return Table(columns: index.table.columns, rows: rows, collection: target)
    }

    /// `count T [by k, ...]` and `min|max|sum|avg|distinct e of T [by k, ...]`: one row per
    /// combination of keys; a list key counts each of its elements (`count events by topics`).
    private func group(_ table: Table, by keys: [SelectItem], scopeName: String, aggregate: (Aggregate, Expr)?) throws(Diagnostic) -> Table {
        let c = checker(table, scopeName)
        var keyExprs: [(Compiled, ValueType)] = []
        for key in keys { keyExprs.append(try c.compile(key.expr)) }
        var measure: (Compiled, ValueType)?
        var measureName = "count"
        if let (a, e) = aggregate {
            let (compiled, type) = try c.compile(e)
            let scalar = type.element ?? type
            switch a {
            case .sum, .avg:
                guard scalar == .number || scalar == .any else {
                    throw Diagnostic("\(a.rawValue) needs numbers, but \(Checker.describe(e)) is a \(type)", at: e.range)
                }
            case .min, .max:
                guard scalar != .bool else { throw Diagnostic("\(a.rawValue) needs values with an order, but \(Checker.describe(e)) is a \(type)", at: e.range) }
            case .distinct: break
            }
            measure = (compiled, type)
            measureName = a == .distinct ? Printer.print(e) : a.rawValue + "_" + Engine.columnWord(Printer.print(e))
        }
        let evaluator = Evaluator(memoizing: corpus.canonicalKey)
        var order: [String] = []
        var groups: [String: (values: [Value], members: [Value], count: Int)] = [:]
        for (n, row) in table.rows.enumerated() {
            if n & 4095 == 4095, isCancelled() { throw Diagnostic("interrupted", at: keys.first?.range ?? SourceRange(0, 0)) }
            var combos: [[Value]] = [[]]
            for (k, _) in keyExprs {
                let v = evaluator.value(k, row)
                let elements: [Value]
                if case .list(let items) = v { elements = items.isEmpty ? [.null] : items } else { elements = [v] }
                combos = combos.flatMap { prefix in elements.map { prefix + [$0] } }
            }
            var members: [Value] = []
            if let (m, _) = measure {
                let v = evaluator.value(m, row)
                if case .list(let items) = v { members = items } else if !v.isNull { members = [v] }
            }
            for combo in combos {
                let id = combo.map { Evaluator.key($0, corpus.canonicalKey) ?? "\u{0}" }.joined(separator: "\u{1}")
                if groups[id] == nil { order.append(id); groups[id] = (combo, [], 0) } else {
                    // A group is shown by the first of its values as text sorts ("Politburo" and "Political
                    // Bureau of the CPC Central Committee" are one key): what SQL's group labels give too.
                    // (Nearly every row writes its key as the group's label does: compared first, cheaply.)
                    for (k, v) in combo.enumerated() where v != groups[id]!.values[k] && !v.isNull && Value.sortOrder(v, groups[id]!.values[k]) {
                        groups[id]!.values[k] = v
                    }
                }
                groups[id]!.count += 1
                groups[id]!.members += members
            }
        }
        if keys.isEmpty, groups.isEmpty { order = [""]; groups[""] = ([], [], 0) }
        var columns = zip(keys, keyExprs).map { Column(name: $0.name, type: $1.1.element ?? $1.1) }
        var rows: [[Value]]
        if let (a, _) = aggregate, let (_, type) = measure {
            let scalar = type.element ?? type
            if a == .distinct {
                columns.append(Column(name: measureName, type: keys.isEmpty ? scalar : .list(scalar)))
                rows = []
                for id in order {
                    // One value for each match key: of the ways it is written, the first as text sorts.
                    var distinct: [Value] = []
                    var seen: [String: Int] = [:]
                    for v in groups[id]!.members {
                        let key = Evaluator.key(v, corpus.canonicalKey) ?? ""
                        if let k = seen[key] {
                            if v != distinct[k], Value.sortOrder(v, distinct[k]) { distinct[k] = v }
                        } else {
                            seen[key] = distinct.count
                            distinct.append(v)
                        }
                    }
                    distinct.sort(by: Value.sortOrder)
                    if keys.isEmpty { rows = distinct.map { [$0] } } else { rows.append(groups[id]!.values + [.list(distinct)]) }
                }
                return Table(columns: columns, rows: rows)
            }
            columns.append(Column(name: measureName, type: a == .avg || a == .sum ? .number : scalar))
            rows = order.map { id in
                let g = groups[id]!
                return g.values + [Engine.reduce(a, g.members)]
            }
        } else {
            columns.append(Column(name: "count", type: .number))
            rows = order.map { groups[$0]!.values + [.number(Double(groups[$0]!.count))] }
        }
        let sorted = rows.enumerated().sorted { a, b in
            for i in keys.indices where a.element[i] != b.element[i] {
                if a.element[i].isNull != b.element[i].isNull { return b.element[i].isNull }
                return Value.sortOrder(a.element[i], b.element[i])
            }
            return a.offset < b.offset
        }.map(\.element)
        var result = Table(columns: columns, rows: sorted)
        if keys.count == 1, aggregate == nil { result.presentation = .bars }
        return result
    }

    static func reduce(_ a: Aggregate, _ values: [Value]) -> Value {
        switch a {
        case .min: return values.min(by: Value.sortOrder) ?? .null
        case .max: return values.max(by: Value.sortOrder) ?? .null
        case .sum, .avg:
            let numbers = values.compactMap { if case .number(let n) = $0 { return n } else { return nil } }
            guard !numbers.isEmpty else { return a == .sum ? .number(0) : .null }
            let total = numbers.reduce(0, +)
            return .number(a == .sum ? total : total / Double(numbers.count))
        case .distinct: return .list(values)
        }
    }

    /// A printed expression as a column word: `participants.count` → `participants_count`.
    static func columnWord(_ s: String) -> String {
        String(s.map { $0.isLetter || $0.isNumber ? $0 : "_" }).split(separator: "_").joined(separator: "_")
    }
}
