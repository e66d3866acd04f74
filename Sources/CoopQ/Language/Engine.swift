/// Runs statements over a corpus: holds the named results of `let` and the parameters.
///
/// A query runs in stages: the source table, `where`, `count ... by`, `order by`, `limit`,
/// `select`. Each statement is checked in full before any row is read.
public final class Engine: @unchecked Sendable {
    public private(set) var corpus: Corpus
    public var parameters: [String: Value]
    /// Results named by `let`, by name.
    public private(set) var named: [String: Table] = [:]
    private var tables: [Collection: Table] = [:]

    public init(corpus: Corpus, parameters: [String: Value] = [:]) {
        self.corpus = corpus
        self.parameters = parameters
        for c in Collection.allCases { tables[c] = corpus.table(c) }
    }

    /// Replaces the corpus (the REPL's `.corpus`); named results are dropped with the old one.
    public func load(_ corpus: Corpus) {
        self.corpus = corpus
        named = [:]
        for c in Collection.allCases { tables[c] = corpus.table(c) }
    }

    public func table(_ collection: Collection) -> Table { tables[collection]! }

    /// The names a query may start from: the collections and the named results.
    public var sourceNames: [String] { Collection.allCases.map(\.rawValue) + named.keys.sorted() }

    /// Runs one statement. A query gives its result; `let` gives nil.
    public func run(_ statement: Statement) throws(Diagnostic) -> Table? {
        switch statement {
        case .query(let q):
            return try run(q)
        case .let(let name, let nameRange, let q, _):
            if Collection(rawValue: name) != nil {
                throw Diagnostic("'\(name)' is a collection and cannot be redefined", at: nameRange)
            }
            named[name] = try run(q, projectForLet: true)
            return nil
        }
    }

    /// Runs a query; `let` keeps all columns of the records so the result can be queried again.
    public func run(_ q: Query, projectForLet: Bool = false) throws(Diagnostic) -> Table {
        var table = try source(q)
        let scopeName = q.source
        if let filter = q.filter {
            let checker = makeChecker(table, scopeName)
            let compiled = try checker.condition(filter, "where")
            let evaluator = Evaluator(canonicalKey: corpus.canonicalKey)
            table.rows = table.rows.filter { Truth(evaluator.value(compiled, $0)) == .yes }
        }
        if q.isCount {
            table = try count(table, by: q.groupBy, scopeName: scopeName)
        }
        if !q.order.isEmpty {
            var keys: [(Int, Bool)] = []
            for item in q.order {
                guard let i = table.columnIndex(item.field.name) else {
                    throw unknownColumn(item.field, table, scopeName, clause: "order by")
                }
                keys.append((i, item.descending))
            }
            table.rows = stableSorted(table.rows, keys)
        }
        if let limit = q.limit, table.rows.count > limit { table.rows.removeLast(table.rows.count - limit) }
        if !q.select.isEmpty {
            var indexes: [Int] = []
            for field in q.select {
                guard let i = table.columnIndex(field.name) else { throw unknownColumn(field, table, scopeName, clause: "select") }
                indexes.append(i)
            }
            table = Table(columns: indexes.map { table.columns[$0] }, rows: table.rows.map { row in indexes.map { row[$0] } },
                          collection: projectForLet && indexes.contains(table.collection.flatMap { table.columnIndex($0.keyField) } ?? -1) ? table.collection : nil)
            for i in table.columns.indices { table.columns[i].shownByDefault = true }
        }
        return table
    }

    private func source(_ q: Query) throws(Diagnostic) -> Table {
        if let c = Collection(rawValue: q.source) { return tables[c]! }
        if let t = named[q.source] { return t }
        if let c = Collection(rawValue: q.source.lowercased()) { return tables[c]! }
        let suggestion = nearest(to: q.source, in: sourceNames)
        throw Diagnostic("unknown collection '\(q.source)'", at: q.sourceRange, suggestion: suggestion,
                         notes: suggestion == nil ? ["collections: " + Collection.allCases.map(\.rawValue).joined(separator: ", ")] : [])
    }

    private func makeChecker(_ table: Table, _ scopeName: String) -> Checker {
        Checker(table: table, scopeName: scopeName,
                resolveTable: { [unowned self] name in
                    if let t = self.named[name] { return t }
                    return Collection(rawValue: name).map { self.tables[$0]! }
                },
                runSubquery: { [unowned self] (q: Query) throws(Diagnostic) -> Table in try self.run(q, projectForLet: true) },
                parameters: parameters, canonicalKey: corpus.canonicalKey, otherNames: sourceNames)
    }

    private func unknownColumn(_ field: FieldRef, _ table: Table, _ scopeName: String, clause: String) -> Diagnostic {
        let names = table.columns.map(\.name)
        let suggestion = nearest(to: field.name, in: names)
        return Diagnostic("unknown field '\(field.name)' in \(clause == "order by" && names.contains("count") ? "the count" : scopeName)",
                          at: field.range, suggestion: suggestion,
                          notes: suggestion == nil ? ["fields: " + names.joined(separator: ", ")] : [])
    }

    /// `count T` is one row; `count T by k1, k2` one row per combination of keys, a list
    /// key counting each of its elements (`count events by topics`).
    private func count(_ table: Table, by keys: [FieldRef], scopeName: String) throws(Diagnostic) -> Table {
        guard !keys.isEmpty else {
            return Table(columns: [Column(name: "count", type: .number)], rows: [[.number(Double(table.rows.count))]])
        }
        var indexes: [Int] = []
        for key in keys {
            guard let i = table.columnIndex(key.name) else { throw unknownColumn(key, table, scopeName, clause: "by") }
            indexes.append(i)
        }
        var order: [String] = []
        var groups: [String: (values: [Value], count: Int)] = [:]
        for row in table.rows {
            var combos: [[Value]] = [[]]
            for i in indexes {
                let elements: [Value]
                if case .list(let items) = row[i] { elements = items.isEmpty ? [.null] : items } else { elements = [row[i]] }
                combos = combos.flatMap { prefix in elements.map { prefix + [$0] } }
            }
            for combo in combos {
                let id = combo.map { Evaluator.key($0, corpus.canonicalKey) ?? "\u{0}" }.joined(separator: "\u{1}")
                if groups[id] == nil { order.append(id); groups[id] = (combo, 0) }
                groups[id]!.count += 1
            }
        }
        let columns = indexes.map { Column(name: table.columns[$0].name, type: table.columns[$0].type.element ?? table.columns[$0].type) }
            + [Column(name: "count", type: .number)]
        let rows = order.map { groups[$0]!.values + [.number(Double(groups[$0]!.count))] }
        return Table(columns: columns, rows: stableSorted(rows, Array(indexes.indices).map { ($0, false) }))
    }

    private func stableSorted(_ rows: [[Value]], _ keys: [(Int, Bool)]) -> [[Value]] {
        rows.enumerated().sorted { a, b in
            for (i, descending) in keys {
                let (x, y) = (a.element[i], b.element[i])
                if x == y { continue }
                // Missing values sort last either way.
                if x.isNull != y.isNull { return y.isNull }
                return descending ? Value.sortOrder(y, x) : Value.sortOrder(x, y)
            }
            return a.offset < b.offset
        }.map(\.element)
    }
}
