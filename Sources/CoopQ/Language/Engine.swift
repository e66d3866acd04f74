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
    /// Asked between rows of a long statement; true stops it with an "interrupted" error (Ctrl-C in the shell).
    public var isCancelled: @Sendable () -> Bool = { false }

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
            var kept: [[Value]] = []
            for (i, row) in table.rows.enumerated() {
                if i & 4095 == 4095, isCancelled() { throw Diagnostic("interrupted", at: filter.range) }
                if Truth(evaluator.value(compiled, row)) == .yes { kept.append(row) }
            }
            table.rows = kept
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

    /// Why a query found nothing, when it can tell: a condition that no record meets on its
    /// own, with the nearest values that do occur (`no event has place "Harbn"; nearest values
    /// that occur: "Harbin"`).
    public func explainEmpty(_ statement: Statement) -> [String] {
        guard case .query(let q) = statement, let filter = q.filter, let table = try? source(q) else { return [] }
        let singular = table.collection?.singular ?? "row"
        var notes: [String] = []
        var conditions: [Expr] = []
        func conjuncts(_ e: Expr) {
            if case .binary(.and, let l, let r, _) = e { conjuncts(l); conjuncts(r) } else { conditions.append(e) }
        }
        conjuncts(filter)
        let evaluator = Evaluator(canonicalKey: corpus.canonicalKey)
        for condition in conditions {
            guard let compiled = try? makeChecker(table, q.source).condition(condition, "where") else { continue }
            if table.rows.contains(where: { Truth(evaluator.value(compiled, $0)) == .yes }) { continue }
            var field: String?
            var literal: String?
            switch condition {
            case .binary(.equal, .name(let f, _), .literal(.string(let v), _), _),
                 .binary(.contains, .name(let f, _), .literal(.string(let v), _), _),
                 .binary(.in, .literal(.string(let v), _), .name(let f, _), _):
                field = f
                literal = v
            default: break
            }
            guard let field, let literal, let i = table.columnIndex(field) else {
                notes.append("no \(singular) meets \(Printer.print(condition))")
                continue
            }
            var values = Set<String>()
            for row in table.rows {
                switch row[i] {
                case .string(let v): values.insert(v)
                case .list(let items): for case .string(let v) in items { values.insert(v) }
                default: break
                }
            }
            let key = matchKey(literal)
            let limit = max(2, key.count / 3)
            var scored: [(value: String, distance: Int)] = []
            for v in values {
                let d = editDistance(matchKey(v), key)
                if d <= limit { scored.append((v, d)) }
            }
            scored.sort { a, b in a.distance == b.distance ? a.value < b.value : a.distance < b.distance }
            let near: [String] = scored.prefix(3).map { Printer.literal(.string($0.value)) }
            notes.append("no \(singular) has \(field) \(Printer.literal(.string(literal)))"
                         + (near.isEmpty ? "" : "; nearest values that occur: " + near.joined(separator: ", ")))
        }
        if notes.isEmpty, conditions.count > 1 {
            notes.append("each condition holds for some \(table.collection?.rawValue ?? "rows"), but none holds for all of them together")
        }
        return notes
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
