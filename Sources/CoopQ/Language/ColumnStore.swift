/// A base collection's columns as arrays, built once per engine on first use, so a filter or a
/// count over a million records runs as tight loops over integers instead of over rows of values.
///
/// Text is interned as the ids of its canonical match keys; a predicate on one text column is
/// evaluated once per distinct value (equality, phrase containment, a regular expression), then
/// each row only looks its id up. Anything else falls back to the row evaluator, row by row.
final class ColumnStore: @unchecked Sendable {
    enum Column {
        /// Interned canonical keys (-1: missing) and the id → original text of the first value seen.
        case text(ids: [Int32])
        case numbers([Double])  // NaN: missing
        case dates(keys: [Int32], precision: [UInt8])  // precision 0: missing
        /// Lists of text: element ids of row r are ids[offsets[r]..<offsets[r + 1]].
        case textLists(offsets: [Int32], ids: [Int32])
        case other
    }

    let rowCount: Int
    private let table: Table
    private let canonicalKey: (String) -> String
    /// Each column is built the first time a query reads it: a filter on `place` never pays
    /// for interning eighty thousand event names.
    private var built: [Column?]
    /// Canonical key → id, and id → a text with that key, shared by every column of the store
    /// (they grow as columns are built; an id is never changed).
    private(set) var ids: [String: Int32] = [:]
    private(set) var texts: [String] = []
    /// Whether some id stands for texts written differently ("SCO" and "Shanghai Cooperation
    /// Organization"), and whether their words differ: a test of the words (`contains`) or of the
    /// text (`matches`) is then not one answer per id, and the rows are read one by one.
    private(set) var formsDiffer = false
    private(set) var wordsDiffer = false
    private var keyCache: [String: Int32] = [:]

    init(_ table: Table, canonicalKey: @escaping (String) -> String) {
        rowCount = table.rows.count
        self.table = table
        self.canonicalKey = canonicalKey
        built = Array(repeating: nil, count: table.columns.count)
    }

    private func intern(_ s: String) -> Int32 {
        if let id = keyCache[s] { return id }
        let key = canonicalKey(s)
        let id: Int32
        if let existing = ids[key] {
            id = existing
            if s != texts[Int(id)] {
                formsDiffer = true
                if !wordsDiffer, wordsForm(s) != wordsForm(texts[Int(id)]) { wordsDiffer = true }
            }
        } else {
            id = Int32(texts.count)
            ids[key] = id
            texts.append(s)
        }
        keyCache[s] = id
        return id
    }

    /// Column `c`, built now if no query has read it yet.
    func column(_ c: Int) -> Column {
        if let done = built[c] { return done }
        let column = table.columns[c]
        let made: Column
        switch column.type {
        case .string where column.name != "text":
            made = .text(ids: table.rows.map { if case .string(let s) = $0[c] { return intern(s) } else { return -1 } })
        case .number:
            made = .numbers(table.rows.map { if case .number(let n) = $0[c] { return n } else { return .nan } })
        case .date:
            var keys: [Int32] = [], precision: [UInt8] = []
            keys.reserveCapacity(rowCount)
            precision.reserveCapacity(rowCount)
            for row in table.rows {
                if case .date(let d) = row[c] { keys.append(Int32(PartialDate.sortKey(d))); precision.append(UInt8(d.precision)) }
                else { keys.append(0); precision.append(0) }
            }
            made = .dates(keys: keys, precision: precision)
        case .list(.string) where column.name != "evidence":
            var offsets: [Int32] = [0], elements: [Int32] = []
            offsets.reserveCapacity(rowCount + 1)
            for row in table.rows {
                if case .list(let items) = row[c] { for case .string(let s) in items { elements.append(intern(s)) } }
                offsets.append(Int32(elements.count))
            }
            made = .textLists(offsets: offsets, ids: elements)
        default:
            made = .other
        }
        built[c] = made
        return made
    }
}

/// A filter compiled against a column store: for each row index, yes, no or unknown.
struct FastFilter {
    let store: ColumnStore
    let table: Table
    let checker: Checker
    let evaluator: Evaluator
    let canonicalKey: (String) -> String

    typealias Test = (Int) -> Truth
    /// Visits the rows of a range that the filter keeps: one loop over an array, a call per kept row only.
    typealias Bulk = (Range<Int>, (Int) -> Void) -> Void

    /// The filter as a bulk selection, for its commonest shapes: a text field equal (or not) to a
    /// constant, a number compared with one, and `and` with such a comparison on its left.
    /// Nil for anything else (then `compile` answers row by row). Rows are kept exactly when
    /// `compile`'s test says yes.
    func bulk(_ e: Expr) throws(Diagnostic) -> Bulk? {
        switch e {
        case .binary(.and, let l, let r, _):
            guard let left = try bulk(l) else { return nil }
            let right = try compile(r, context: "and")
            return { range, visit in left(range) { i in if right(i) == .yes { visit(i) } } }
        case .binary(.in, let left, .name(let n, _), _):
            // "Wang Hailin" in participants, as `compile` reads it.
            guard let c = table.columnIndex(n), case .textLists(let offsets, let ids) = store.column(c), let v = constant(left),
                  case .string(let s) = v else { return nil }
            return bulkList(offsets, ids, one: store.ids[canonicalKey(s)] ?? -1)
        case .binary(let op, .name(let n, _), let right, _) where op.isComparison:
            _ = try checker.compile(e)
            guard let c = table.columnIndex(n) else { return nil }
            switch store.column(c) {
            case .textLists(let offsets, let ids) where op == .contains || op == .matches:
                guard let holds = try listHolds(c, op, right) else { return nil }
                return bulkList(offsets, ids, holds)
            case .text(let ids) where op == .equal || op == .notEqual:
                guard let v = constant(right), case .string(let s) = v else { return nil }
                let id = store.ids[canonicalKey(s)] ?? -2
                if op == .equal {
                    return { range, visit in ids.withUnsafeBufferPointer { p in for i in range where p[i] == id { visit(i) } } }
                }
                return { range, visit in ids.withUnsafeBufferPointer { p in for i in range where p[i] >= 0 && p[i] != id { visit(i) } } }
            case .numbers(let xs):
                guard let v = constant(right), case .number(let x) = v else { return nil }
                let holds: (Double) -> Bool
                switch op {
                case .equal: holds = { $0 == x }
                case .notEqual: holds = { !$0.isNaN && $0 != x }
                case .less: holds = { $0 < x }
                case .lessEqual: holds = { $0 <= x }
                case .greater: holds = { $0 > x }
                case .greaterEqual: holds = { $0 >= x }
                default: return nil
                }
                return { range, visit in xs.withUnsafeBufferPointer { p in for i in range where holds(p[i]) { visit(i) } } }
            default:
                return nil
            }
        default:
            return nil
        }
    }

    func compile(_ e: Expr, context: String = "where") throws(Diagnostic) -> Test {
        switch e {
        case .binary(.and, let l, let r, _):
            let a = try compile(l, context: "and"), b = try compile(r, context: "and")
            return { i in
                let x = a(i)
                if x == .no { return .no }
                let y = b(i)
                if y == .no { return .no }
                return x == .yes && y == .yes ? .yes : .unknown
            }
        case .binary(.or, let l, let r, _):
            let a = try compile(l, context: "or"), b = try compile(r, context: "or")
            return { i in
                let x = a(i)
                if x == .yes { return .yes }
                let y = b(i)
                if y == .yes { return .yes }
                return x == .no && y == .no ? .no : .unknown
            }
        case .not(let inner, _):
            let a = try compile(inner, context: "not")
            return { i in switch a(i) { case .yes: return .no; case .no: return .yes; case .unknown: return .unknown } }
        case .isNull(.name(let n, _), let negated, _):
            if let c = table.columnIndex(n), let test = nullTest(c) { return negated ? { test($0) == .yes ? .no : .yes } : test }
        case .binary(let op, .name(let n, _), let right, _) where op.isComparison:
            // The checker's verdict on the expression as written comes first: the same errors as ever.
            _ = try checker.compile(e)
            if let c = table.columnIndex(n), let test = try columnTest(c, op, right) { return test }
        case .binary(.in, let left, .name(let n, _), _):
            // "Wang Hailin" in participants: the same as participants containing exactly it.
            if let c = table.columnIndex(n), case .textLists = store.column(c), let v = constant(left), case .string(let s) = v {
                return listTest(c, only(store.ids[canonicalKey(s)] ?? -1))
            }
        case .between(.name(let n, _), let lo, let hi, let negated, _):
            _ = try checker.compile(e)
            if let c = table.columnIndex(n), let a = try columnTest(c, .greaterEqual, lo), let b = try columnTest(c, .lessEqual, hi) {
                return { i in
                    let x = a(i), y = b(i)
                    let both: Truth = x == .no || y == .no ? .no : (x == .yes && y == .yes ? .yes : .unknown)
                    return negated ? (both == .yes ? .no : both == .no ? .yes : .unknown) : both
                }
            }
        default: break
        }
        // Anything else: the row evaluator, row by row.
        let compiled = try checker.condition(e, context)
        let rows = table.rows
        let evaluator = self.evaluator
        return { i in Truth(evaluator.value(compiled, rows[i])) }
    }

    private func constant(_ e: Expr) -> Value? {
        guard let (c, _) = try? checker.compile(e), case .constant(let v) = c else { return nil }
        return v
    }

    private func nullTest(_ c: Int) -> Test? {
        switch store.column(c) {
        case .text(let ids): return { ids[$0] < 0 ? .yes : .no }
        case .numbers(let xs): return { xs[$0].isNaN ? .yes : .no }
        case .dates(_, let precision): return { precision[$0] == 0 ? .yes : .no }
        case .textLists(let offsets, _): return { offsets[$0] == offsets[$0 + 1] ? .yes : .no }
        case .other: return nil
        }
    }

    /// Elements of a text list, tested by id: `holds[id]` says whether an element with that id matches.
    private func listTest(_ c: Int, _ holds: [Bool]) -> Test {
        guard case .textLists(let offsets, let ids) = store.column(c) else { return { _ in .unknown } }
        return { i in
            var k = Int(offsets[i])
            let end = Int(offsets[i + 1])
            while k < end { if holds[Int(ids[k])] { return .yes }; k += 1 }
            return .no
        }
    }

    private func only(_ id: Int32) -> [Bool] {
        var holds = [Bool](repeating: false, count: store.texts.count)
        if id >= 0 { holds[Int(id)] = true }
        return holds
    }

    /// The ids of the distinct texts for which a test on the text holds.
    private func idsWhere(_ holds: (String) -> Bool) -> [Bool] {
        store.texts.map(holds)
    }

    private func columnTest(_ c: Int, _ op: BinaryOperator, _ right: Expr) throws(Diagnostic) -> Test? {
        switch (store.column(c), op) {
        case (.text(let ids), .equal), (.text(let ids), .notEqual):
            guard let v = constant(right), case .string(let s) = v else { return nil }
            let id = store.ids[canonicalKey(s)] ?? -2
            let equal = op == .equal
            return { i in ids[i] < 0 ? .unknown : ((ids[i] == id) == equal ? .yes : .no) }
        case (.text(let ids), .contains), (.text(let ids), .matches):
            // (Built first: interning the column says whether its ids stand for one text each.)
            guard !(op == .matches ? store.formsDiffer : store.wordsDiffer) else { return nil }
            let holds: [Bool]
            if op == .matches {
                guard case .test(_, _, .regex(let re)) = try checker.compile(.binary(.matches, .name(table.columns[c].name, right.range), right, right.range)).0 else { return nil }
                holds = idsWhere { re.matches($0) }
            } else {
                guard let v = constant(right), case .string(let phrase) = v else { return nil }
                holds = idsWhere { Evaluator.containsPhrase($0, phrase) }
            }
            return { i in ids[i] < 0 ? .unknown : (holds[Int(ids[i])] ? .yes : .no) }
        case (.textLists, .contains), (.textLists, .matches):
            guard let holds = try listHolds(c, op, right) else { return nil }
            return listTest(c, holds)
        case (.numbers(let xs), _):
            guard let v = constant(right), case .number(let n) = v else { return nil }
            return { i in
                let x = xs[i]
                if x.isNaN { return .unknown }
                switch op {
                case .equal: return x == n ? .yes : .no
                case .notEqual: return x != n ? .yes : .no
                case .less: return x < n ? .yes : .no
                case .lessEqual: return x <= n ? .yes : .no
                case .greater: return x > n ? .yes : .no
                case .greaterEqual: return x >= n ? .yes : .no
                default: return .unknown
                }
            }
        case (.dates(let keys, let precision), _):
            guard let v = constant(right) else { return nil }
            let d: PartialDate
            switch v {
            case .date(let x): d = x
            case .number(let n): d = PartialDate(year: Int(n))
            default: return nil
            }
            let literal = Int32(PartialDate.sortKey(d)), literalPrecision = UInt8(d.precision)
            let divisors: [Int32] = [1, 10000, 100, 1]
            return { i in
                let p = precision[i]
                if p == 0 { return .unknown }
                // Compare on the precision both know: truncate both keys to it.
                let common = Int(min(p, literalPrecision))
                let a = keys[i] / divisors[common], b = literal / divisors[common]
                let c = a == b ? 0 : (a < b ? -1 : 1)
                switch op {
                case .equal: return c == 0 ? .yes : .no
                case .notEqual: return c != 0 ? .yes : .no
                case .less: return c < 0 ? .yes : .no
                case .lessEqual: return c <= 0 ? .yes : .no
                case .greater: return c > 0 ? .yes : .no
                case .greaterEqual: return c >= 0 ? .yes : .no
                default: return .unknown
                }
            }
        default:
            return nil
        }
    }

    /// `participants contains (people where …)`: elements whose keys the sub-query's records have.
    /// Which element ids a test on list `c` holds for (`contains` a phrase, a sub-query's keys or
    /// another field's; `matches`), by id; nil when the test has another shape. The column is built first.
    private func listHolds(_ c: Int, _ op: BinaryOperator, _ right: Expr) throws(Diagnostic) -> [Bool]? {
        guard case .textLists = store.column(c) else { return nil }
        switch (op, right) {
        case (.contains, .subquery), (.contains, .name):
            guard case .list(_, let keys) = try checker.compile(right).0 else { return nil }
            var wanted = [Bool](repeating: false, count: store.texts.count)
            for k in keys where k.hasPrefix("s") { if let id = store.ids[String(k.dropFirst())] { wanted[Int(id)] = true } }
            return wanted
        case (.contains, _):
            guard !store.wordsDiffer, let v = constant(right), case .string(let phrase) = v else { return nil }
            let key = canonicalKey(phrase)
            return idsWhere { canonicalKey($0) == key || Evaluator.containsPhrase($0, phrase) }
        case (.matches, _):
            guard !store.formsDiffer, case .test(_, _, .regex(let re)) = try checker.compile(.binary(.matches, .name(table.columns[c].name, right.range), right, right.range)).0 else { return nil }
            return idsWhere { re.matches($0) }
        default:
            return nil
        }
    }

    /// The rows whose list has an element that `holds`, as a bulk selection; when one id holds
    /// (a sub-query that keeps one record), as `bulkList(_:_:one:)`.
    ///
    /// The elements are scanned flat, not row by row: a row is looked for only where an element
    /// holds (by galloping from the last such row, so a dense answer costs no more than a sparse
    /// one), and the rest of that row is skipped.
    private func bulkList(_ offsets: [Int32], _ ids: [Int32], _ holds: [Bool]) -> Bulk {
        let held = holds.indices.lazy.filter { holds[$0] }.prefix(2)
        if held.count == 1 { return bulkList(offsets, ids, one: Int32(held.first!)) }
        if held.isEmpty { return { _, _ in } }
        return Self.scan(offsets, ids) { e, k, end in
            holds.withUnsafeBufferPointer { h in Self.next(h, in: e, from: k, to: end) }
        }
    }

    /// The rows whose list has the element `id` (`"Person 42" in participants`; none for -1):
    /// elements are compared with it sixteen at a time.
    private func bulkList(_ offsets: [Int32], _ ids: [Int32], one id: Int32) -> Bulk {
        if id < 0 { return { _, _ in } }
        return Self.scan(offsets, ids) { e, k, end in Self.next(id, in: e, from: k, to: end) }
    }

    /// The rows of a range with an element that `next` finds (the first from `k` on, before `end`,
    /// or `end`), each once and in order.
    private static func scan(_ offsets: [Int32], _ ids: [Int32],
                             _ next: @escaping (UnsafeBufferPointer<Int32>, Int, Int) -> Int) -> Bulk {
        { range, visit in
            offsets.withUnsafeBufferPointer { o in
                ids.withUnsafeBufferPointer { e in
                    let last = Int(o[range.upperBound])
                    var row = range.lowerBound
                    var k = Int(o[row])
                    while true {
                        k = next(e, k, last)
                        if k == last { return }
                        row = Self.row(of: k, in: o, from: row, before: range.upperBound)
                        visit(row)
                        k = Int(o[row + 1])
                    }
                }
            }
        }
    }

    /// The first element from `k` on, before `end`, that is `id`; `end` if none.
    private static func next(_ id: Int32, in e: UnsafeBufferPointer<Int32>, from k: Int, to end: Int) -> Int {
        var k = k
        let wanted = SIMD16<Int32>(repeating: id)
        let raw = UnsafeRawPointer(e.baseAddress!)
        while k + 16 <= end {
            let block = raw.loadUnaligned(fromByteOffset: k * 4, as: SIMD16<Int32>.self)
            if any(block .== wanted) { break }
            k += 16
        }
        while k < end, e[k] != id { k += 1 }
        return k
    }

    /// The first element from `k` on, before `end`, whose id holds; `end` if none.
    private static func next(_ h: UnsafeBufferPointer<Bool>, in e: UnsafeBufferPointer<Int32>, from k: Int, to end: Int) -> Int {
        var k = k
        while k < end, !h[Int(e[k])] { k += 1 }
        return k
    }

    /// The row that element `k` lies in: the last row from `row` on (before `end`) that starts at or
    /// before it. Rows before `row` are known to end at or before it.
    private static func row(of k: Int, in o: UnsafeBufferPointer<Int32>, from row: Int, before end: Int) -> Int {
        // Gallop: o[lo] <= k, and o[hi] > k (o[end] is past every element scanned).
        var lo = row, step = 1, hi = min(row + 1, end)
        while hi < end, Int(o[hi]) <= k { lo = hi; step <<= 1; hi = min(lo + step, end) }
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if Int(o[mid]) <= k { lo = mid } else { hi = mid }
        }
        return lo
    }
}
