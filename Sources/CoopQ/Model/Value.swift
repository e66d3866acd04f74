import Foundation

/// A value in a record or an expression. Lists hold scalars.
public enum Value: Hashable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case date(PartialDate)
    case list([Value])

    public var isNull: Bool {
        switch self {
        case .null: return true
        case .list(let items): return items.isEmpty
        default: return false
        }
    }

    /// The value as a user reads it: dates as `2025-11-24`, whole numbers without `.0`.
    public var display: String {
        switch self {
        case .null: return ""
        case .bool(let b): return b ? "true" : "false"
        case .number(let n): return Value.format(number: n)
        case .string(let s): return s
        case .date(let d): return d.description
        case .list(let items): return items.map(\.display).joined(separator: "; ")
        }
    }

    /// Whole numbers without a decimal point; others with up to 10 significant digits, so an
    /// average prints 4.05, not 4.050000000000001.
    public static func format(number n: Double) -> String {
        if n.isFinite, n == n.rounded(), abs(n) < 1e15 { return String(Int64(n)) }
        guard n.isFinite else { return String(n) }
        let rounded = Double(String(format: "%.10g", n)) ?? n
        return String(rounded)
    }

    /// A total order for sorting rows: nulls first, then by kind, then by value.
    /// Text's order: by its words (`wordsForm`, given as bytes), then as written, on the bytes:
    /// what SQL's `ORDER BY x_words, x` does.
    static func textPrecedes(_ x: String, _ xWords: [UInt8], _ y: String, _ yWords: [UInt8]) -> Bool {
        xWords == yWords ? Array(x.utf8).lexicographicallyPrecedes(y.utf8) : xWords.lexicographicallyPrecedes(yWords)
    }

    public static func sortOrder(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.number(let x), .number(let y)): return x < y
        case (.string(let x), .string(let y)):
            return textPrecedes(x, Array(wordsForm(x).utf8), y, Array(wordsForm(y).utf8))
        case (.date(let x), .date(let y)): return PartialDate.sortKey(x) < PartialDate.sortKey(y)
        case (.bool(let x), .bool(let y)): return !x && y
        case (.list(let x), .list(let y)):
            for (p, q) in zip(x, y) where p != q { return sortOrder(p, q) }
            return x.count < y.count
        default: return a.rank < b.rank
        }
    }

    private var rank: Int {
        switch self {
        case .null: return 0
        case .bool: return 1
        case .number: return 2
        case .date: return 3
        case .string: return 4
        case .list: return 5
        }
    }
}

/// The types the checker knows. A list holds elements of one scalar type.
public indirect enum ValueType: Hashable, Sendable, CustomStringConvertible {
    case string, number, date, bool
    case list(ValueType)
    /// The type of `null` and of values whose type is not known until run time.
    case any

    public var description: String {
        switch self {
        case .string: return "string"
        case .number: return "number"
        case .date: return "date"
        case .bool: return "boolean"
        case .list(let t): return t == .any ? "list" : "list of \(t)s"
        case .any: return "any"
        }
    }

    public var element: ValueType? {
        if case .list(let t) = self { return t }
        return nil
    }
}
