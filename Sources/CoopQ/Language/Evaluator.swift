import Foundation

/// Runs compiled expressions on rows. Strings compare by their canonical match keys, so
/// `=` ignores case, spacing, punctuation and diacritics and knows aliases.
struct Evaluator {
    let canonicalKey: (String) -> String

    init(canonicalKey: @escaping (String) -> String) { self.canonicalKey = canonicalKey }

    /// An evaluator for one statement, which remembers the keys it makes (`KeyMemo`).
    init(memoizing canonicalKey: @escaping (String) -> String) {
        let memo = KeyMemo(canonicalKey)
        self.canonicalKey = { memo($0) }
    }

    func value(_ c: Compiled, _ row: [Value]) -> Value {
        switch c {
        case .constant(let v): return v
        case .column(let i): return row[i]
        case .list(let values, _): return .list(values)
        case .regex: return .null
        case .and(let a, let b):
            let x = Truth(value(a, row))
            if x == .no { return .bool(false) }
            let y = Truth(value(b, row))
            if y == .no { return .bool(false) }
            return x == .yes && y == .yes ? .bool(true) : .null
        case .or(let a, let b):
            let x = Truth(value(a, row))
            if x == .yes { return .bool(true) }
            let y = Truth(value(b, row))
            if y == .yes { return .bool(true) }
            return x == .no && y == .no ? .bool(false) : .null
        case .not(let a):
            switch Truth(value(a, row)) {
            case .yes: return .bool(false)
            case .no: return .bool(true)
            case .unknown: return .null
            }
        case .negate(let a):
            if case .number(let n) = value(a, row) { return .number(-n) }
            return .null
        case .test(let op, let l, let r):
            return test(op, value(l, row), r, row).value
        case .between(let x, let lo, let hi):
            let v = value(x, row)
            guard let a = compare(v, value(lo, row)), let b = compare(v, value(hi, row)) else { return .null }
            return .bool(a >= 0 && b <= 0)
        case .isNull(let x):
            return .bool(value(x, row).isNull)
        case .count(let inner):
            switch value(inner, row) {
            case .list(let items): return .number(Double(items.count))
            case .string(let s): return .number(Double(s.count))
            default: return .null
            }
        case .follow(let inner, let index, let column, let scalar):
            func lookup(_ v: Value) -> [Value] {
                guard case .string(let s) = v, let i = index.rows[canonicalKey(s)] else { return [] }
                let target = index.table.rows[i][column]
                if case .list(let items) = target { return items }
                return target.isNull ? [] : [target]
            }
            switch value(inner, row) {
            case .list(let items):
                var out: [Value] = []
                for item in items { for v in lookup(item) where !out.contains(v) { out.append(v) } }
                return .list(out)
            case let v:
                let found = lookup(v)
                return scalar ? (found.first ?? .null) : .list(found)
            }
        case .call(let function, let arguments):
            let values = arguments.map { value($0, row) }
            return Evaluator.apply(function, values)
        case .quantified(let q, let l, let op, let r):
            guard case .list(let items) = value(l, row) else { return .null }
            for item in items {
                let t = test(op, item, r, row)
                if q == .any && t == .yes { return .bool(true) }
                if q == .all && t != .yes { return .bool(false) }
            }
            return .bool(q == .all)
        }
    }

    static func apply(_ function: Function, _ values: [Value]) -> Value {
        switch (function, values.first ?? .null) {
        case (.lower, .string(let s)): return .string(s.lowercased())
        case (.upper, .string(let s)): return .string(s.uppercased())
        case (.len, .string(let s)): return .number(Double(s.count))
        case (.len, .list(let items)): return .number(Double(items.count))
        case (.year, .date(let d)): return .number(Double(d.year))
        case (.month, .date(let d)): return d.month.map { .number(Double($0)) } ?? .null
        case (.days_between, .date(let a)):
            guard values.count == 2, case .date(let b) = values[1], let x = a.dayNumber, let y = b.dayNumber else { return .null }
            return .number(Double(y - x))
        default: return .null
        }
    }

    /// Applies a binary test; the right side stays compiled so lists keep their key sets.
    func test(_ op: BinaryOperator, _ left: Value, _ right: Compiled, _ row: [Value]) -> Truth {
        switch op {
        case .matches:
            guard case .regex(let re) = right else { return .unknown }
            switch left {
            case .string(let s): return Truth(re.matches(s))
            case .list(let items):
                return Truth(items.contains { if case .string(let s) = $0 { return re.matches(s) } else { return false } })
            default: return .unknown
            }
        case .in:
            if left.isNull { return .unknown }
            if case .list(_, let keys) = right {
                guard let k = Evaluator.key(left, canonicalKey) else { return .unknown }
                return Truth(keys.contains(k))
            }
            // A string is in a list when an element is a string of its canonical key (`key`'s
            // "s" and the key), found with no key string made for each element.
            if case .string(let x) = left {
                guard case .list(let items) = value(right, row) else { return .unknown }
                let kx = canonicalKey(x)
                return Truth(items.contains { if case .string(let y) = $0 { return canonicalKey(y) == kx } else { return false } })
            }
            guard let k = Evaluator.key(left, canonicalKey), case .list(let items) = value(right, row) else { return .unknown }
            return Truth(items.contains { Evaluator.key($0, canonicalKey) == k })
        case .contains:
            let r = value(right, row)
            switch left {
            case .null: return .unknown
            case .string(let s):
                guard case .string(let phrase) = r else { return .unknown }
                return Truth(Evaluator.containsPhrase(s, phrase))
            case .list(let items):
                if case .list(let wanted) = r {
                    let keys: Set<String>
                    if case .list(_, let k) = right { keys = k } else { keys = Set(wanted.compactMap { Evaluator.key($0, canonicalKey) }) }
                    return Truth(items.contains { Evaluator.key($0, canonicalKey).map(keys.contains) ?? false })
                }
                if case .string(let phrase) = r {
                    let k = canonicalKey(phrase)
                    return Truth(items.contains {
                        guard case .string(let s) = $0 else { return false }
                        return canonicalKey(s) == k || Evaluator.containsPhrase(s, phrase)
                    })
                }
                return Truth(items.contains { compare($0, r) == 0 })
            default: return .unknown
            }
        case .equal, .notEqual:
            let r = value(right, row)
            // Two strings are equal when their canonical keys are (`compare`): no order is needed.
            if case .string(let x) = left, case .string(let y) = r { return Truth((canonicalKey(x) == canonicalKey(y)) == (op == .equal)) }
            guard let c = compare(left, r) else { return .unknown }
            return Truth((c == 0) == (op == .equal))
        case .less, .lessEqual, .greater, .greaterEqual:
            guard let c = compare(left, value(right, row)) else { return .unknown }
            switch op {
            case .less: return Truth(c < 0)
            case .lessEqual: return Truth(c <= 0)
            case .greater: return Truth(c > 0)
            default: return Truth(c >= 0)
            }
        case .and, .or:
            return .unknown
        }
    }

    /// -1, 0, 1; nil when either side is missing or the two cannot be compared.
    /// Strings compare equal by canonical key and order case-insensitively; a number
    /// compared with a date is a year.
    func compare(_ a: Value, _ b: Value) -> Int? {
        switch (a, b) {
        case (.number(let x), .number(let y)): return x == y ? 0 : (x < y ? -1 : 1)
        case (.date(let x), .date(let y)): return PartialDate.compare(x, y)
        case (.date(let x), .number(let y)): return PartialDate.compare(x, PartialDate(year: Int(y)))
        case (.number(let x), .date(let y)): return PartialDate.compare(PartialDate(year: Int(x)), y)
        case (.string(let x), .string(let y)):
            if canonicalKey(x) == canonicalKey(y) { return 0 }
            let (lx, ly) = (searchForm(x), searchForm(y))
            return lx == ly ? (x < y ? -1 : 1) : (lx < ly ? -1 : 1)
        case (.bool(let x), .bool(let y)): return x == y ? 0 : (!x ? -1 : 1)
        default: return nil
        }
    }

    /// The key a value is known by in sets: strings by canonical match key.
    static func key(_ v: Value, _ canonicalKey: (String) -> String) -> String? {
        switch v {
        case .null, .list: return nil
        case .string(let s): return "s" + canonicalKey(s)
        case .number(let n): return "n" + Value.format(number: n)
        case .date(let d): return "d" + d.description
        case .bool(let b): return b ? "t" : "f"
        }
    }


    /// A phrase's words among a text's, in order and next to each other, ignoring case, diacritics
    /// and the punctuation between words (`wordsForm`): "deputy" is in "first deputy chairman",
    /// "Belt and Road" in "the Belt-and-Road Initiative"; "Li" is not in "Liu Wei". A phrase of no
    /// words is in every text.
    static func containsPhrase(_ text: String, _ phrase: String) -> Bool {
        let n = wordsForm(phrase)
        guard !n.isEmpty else { return true }
        let h = Array((" " + wordsForm(text) + " ").utf8), needle = Array((" " + n + " ").utf8)
        guard h.count >= needle.count else { return false }
        return h.withUnsafeBufferPointer { hb in needle.withUnsafeBufferPointer { indexOfBytes(hb, $0) != nil } }
    }
}
