import Foundation

/// A checked expression, with names resolved to column indexes and constants prepared
/// (match keys computed, regular expressions compiled), ready to run on every row.
indirect enum Compiled: @unchecked Sendable {
    case constant(Value)
    case column(Int)
    /// A fixed list, as values and as the set of their canonical keys.
    case list([Value], Set<String>)
    /// The right-hand side of `matches`, compiled once.
    case regex(NSRegularExpression)
    case and(Compiled, Compiled)
    case or(Compiled, Compiled)
    case not(Compiled)
    case negate(Compiled)
    /// `=`, `!=`, `<`, `<=`, `>`, `>=`, `contains`, `matches`, `in`
    case test(BinaryOperator, Compiled, Compiled)
    case between(Compiled, Compiled, Compiled)
    case isNull(Compiled)
    case quantified(Quantifier, Compiled, BinaryOperator, Compiled)
    /// The number of elements of a list (or characters of a text): `participants.count`.
    case count(Compiled)
    /// A field of the records that a value names: `participants.country`.
    case follow(Compiled, RelatedIndex, column: Int, scalar: Bool)
    case call(Function, [Compiled])
}

/// The functions the language knows.
public enum Function: String, CaseIterable, Sendable {
    case lower, upper, len, year, month, days_between

    var arity: Int { self == .days_between ? 2 : 1 }
}

/// The records of a collection by the canonical key of their names, for following relations.
final class RelatedIndex: @unchecked Sendable {
    let table: Table
    let rows: [String: Int]

    init(_ table: Table, canonicalKey: (String) -> String) {
        self.table = table
        let key = table.collection.flatMap { table.columnIndex($0.keyField) } ?? 0
        var rows: [String: Int] = [:]
        for (i, row) in table.rows.enumerated() {
            if case .string(let s) = row[key] { rows[canonicalKey(s)] = rows[canonicalKey(s)] ?? i }
        }
        self.rows = rows
    }
}
/// Three-valued truth: a comparison with a missing value is unknown, as in SQL, and
/// `where` keeps only rows whose condition is true.
enum Truth {
    case yes, no, unknown
    init(_ b: Bool) { self = b ? .yes : .no }
    var value: Value { self == .unknown ? .null : .bool(self == .yes) }
    init(_ v: Value) {
        if case .bool(let b) = v { self = b ? .yes : .no } else { self = .unknown }
    }
}
