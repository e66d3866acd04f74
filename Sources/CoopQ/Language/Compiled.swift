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
