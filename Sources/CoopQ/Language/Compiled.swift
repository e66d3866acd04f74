import Foundation

/// A checked expression, with names resolved to column indexes and constants prepared
/// (match keys computed, regular expressions compiled), ready to run on every row.
indirect enum Compiled: @unchecked Sendable {
    case constant(Value)
    case column(Int)
    /// A fixed list, as values and as the set of their canonical keys.
    case list([Value], Set<String>)
    /// The right-hand side of `matches`, compiled once, with its budget.
    case regex(BoundedRegex)
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

/// A regular expression whose work is bounded: the match in one value (one document's text)
/// may take `RegexBudget.seconds`, and a pattern that backtracks past it (`(a+)+$` on a long
/// text) stops, so the statement ends with a clear error instead of hanging. The budget is a
/// value's, not the statement's: a search of a large corpus takes the time the corpus needs.
public final class BoundedRegex: @unchecked Sendable {
    let regex: NSRegularExpression
    let pattern: String
    let range: SourceRange
    let budget: RegexBudget

    init(_ regex: NSRegularExpression, pattern: String, range: SourceRange, budget: RegexBudget) {
        self.regex = regex
        self.pattern = pattern
        self.range = range
        self.budget = budget
    }

    /// Whether the pattern occurs in `s`; false once the budget is spent.
    func matches(_ s: String) -> Bool { firstMatch(s) != nil }

    func firstMatch(_ s: String) -> NSRange? {
        guard !budget.exceeded else { return nil }
        var found: NSRange?
        let deadline = budget.deadline()
        regex.enumerateMatches(in: s, options: [.reportProgress], range: NSRange(s.startIndex..., in: s)) { m, _, stop in
            if let m { found = m.range; stop.pointee = true; return }
            if ContinuousClock.now > deadline { self.budget.exceed(self); stop.pointee = true }
        }
        return found
    }

    /// Every match in `s`, until the budget is spent.
    func allMatches(_ s: String) -> [NSRange] {
        var found: [NSRange] = []
        guard !budget.exceeded else { return found }
        let deadline = budget.deadline()
        regex.enumerateMatches(in: s, options: [.reportProgress], range: NSRange(s.startIndex..., in: s)) { m, _, stop in
            if let m { found.append(m.range) }
            if ContinuousClock.now > deadline { self.budget.exceed(self); stop.pointee = true }
        }
        return found
    }
}

/// The time a regular expression may spend on one value, and whether one of a statement's ran out.
public final class RegexBudget: @unchecked Sendable {
    public static let seconds = 2
    private(set) var exceeded = false
    private(set) var culprit: BoundedRegex?

    init() {}

    /// When a match that starts now must stop.
    func deadline() -> ContinuousClock.Instant { .now + .seconds(RegexBudget.seconds) }

    func reset() {
        exceeded = false
        culprit = nil
    }

    func exceed(_ r: BoundedRegex) {
        if !exceeded { culprit = r }
        exceeded = true
    }

    /// The error for a statement whose regular expression ran out of time: with a hint only when
    /// the pattern has what makes a regular expression slow, repetition inside repetition.
    var diagnostic: Diagnostic? {
        guard exceeded, let r = culprit else { return nil }
        let nested = r.pattern.range(of: #"\([^()]*[+*}][^()]*\)[+*{]"#, options: .regularExpression) != nil
        return Diagnostic("the regular expression \(Printer.literal(.string(r.pattern))) takes over \(RegexBudget.seconds) s on one text",
                          at: r.range, notes: nested ? ["repetition inside repetition, as in (a+)+, backtracks without end; write it without the nesting"] : [])
    }
}
