import Foundation

/// Checks an expression against the columns in scope and compiles it. Every name, type and
/// regular expression is checked here, before any row is read: a type mismatch is an
/// error with a position, never an empty result.
struct Checker {
    let table: Table
    let scopeName: String
    /// Resolves a name that is not a column (a named result or a collection) to a table.
    let resolveTable: (String) -> Table?
    let runSubquery: (Query) throws(Diagnostic) -> Table
    /// The records of another collection by name, for `participants.country`.
    let related: (Collection) -> RelatedIndex
    let parameters: [String: Value]
    let canonicalKey: (String) -> String
    let regexBudget: RegexBudget
    /// Names a did-you-mean may offer besides the columns.
    let otherNames: [String]

    func compile(_ e: Expr) throws(Diagnostic) -> (Compiled, ValueType) {
        switch e {
        case .literal(let v, _):
            return (.constant(v), Checker.type(of: v))
        case .parameter(let name, let r):
            guard let v = parameters[name] else {
                throw Diagnostic("no value for parameter $\(name); pass --param \(name)=VALUE", at: r,
                                 suggestion: nearest(to: name, in: parameters.keys).map { "$" + $0 })
            }
            return (.constant(v), Checker.type(of: v))
        case .name(let name, let r):
            if let i = table.columnIndex(name) { return (.column(i), table.columns[i].type) }
            if let t = resolveTable(name) { return listConstant(t) }
            throw unknownName(name, r)
        case .path(let base, let field, let r):
            return try path(base, field, r)
        case .call(let name, let arguments, let r):
            return try call(name, arguments, r)
        case .list(let items, _):
            var values: [Value] = []
            var elementType: ValueType = .any
            for item in items {
                let (c, t) = try compile(item)
                guard case .constant(let v) = c, t.element == nil else {
                    throw Diagnostic("a list in parentheses holds values such as \"forum\" or 2025, not \(Checker.describe(item))", at: item.range)
                }
                if elementType == .any { elementType = t }
                values.append(v)
            }
            return (.list(values, keySet(values)), .list(elementType))
        case .subquery(let q, _):
            return listConstant(try runSubquery(q))
        case .not(let inner, _):
            let c = try condition(inner, "not")
            return (.not(c), .bool)
        case .negate(let inner, _):
            let (c, t) = try compile(inner)
            guard t == .number || t == .any else { throw mismatch(inner, t, expected: "a number after '-'") }
            if case .constant(.number(let n)) = c { return (.constant(.number(-n)), .number) }
            return (.negate(c), .number)
        case .binary(.and, let l, let r, _):
            return (.and(try condition(l, "and"), try condition(r, "and")), .bool)
        case .binary(.or, let l, let r, _):
            return (.or(try condition(l, "or"), try condition(r, "or")), .bool)
        case .binary(let op, let l, let r, _):
            return (try comparison(op, l, r), .bool)
        case .notBinary(let op, let l, let r, _):
            return (.not(try comparison(op, l, r)), .bool)
        case .between(let x, let lo, let hi, let negated, _):
            let (cx, tx) = try compile(x)
            let (cl, tl) = try compile(lo)
            let (ch, th) = try compile(hi)
            guard tx.element == nil else { throw listNeedsQuantifier(x, tx, "between") }
            try requireOrdered(x, tx, lo, tl)
            try requireOrdered(x, tx, hi, th)
            let c = Compiled.between(cx, cl, ch)
            return (negated ? .not(c) : c, .bool)
        case .isNull(let x, let negated, _):
            let (c, _) = try compile(x)
            return (negated ? .not(.isNull(c)) : .isNull(c), .bool)
        case .quantified(let q, let l, let op, let r, _):
            let (cl, tl) = try compile(l)
            guard let element = tl.element else {
                throw Diagnostic("'\(q.rawValue)' needs a list, but \(Checker.describe(l)) is a \(tl)", at: l.range)
            }
            let (cr, tr) = try compile(r)
            try checkComparison(op, l, element, r, tr)
            return (.quantified(q, cl, op, op == .matches ? .regex(try regex(r)) : cr), .bool)
        }
    }

    /// `participants.count`, `participants.country`, `place.region`.
    private func path(_ base: Expr, _ field: String, _ r: SourceRange) throws(Diagnostic) -> (Compiled, ValueType) {
        let (c, t) = try compile(base)
        if field == "count" {
            guard t.element != nil || t == .string || t == .any else {
                throw Diagnostic("'.count' counts the elements of a list, but \(Checker.describe(base)) is a \(t)", at: r)
            }
            return (.count(c), .number)
        }
        guard case .name(let baseName, _) = base, let collection = table.collection, let target = collection.relation(baseName) else {
            throw Diagnostic("\(Checker.describe(base)) names no records to follow to '\(field)'", at: r,
                             notes: ["fields that name records: " + relatedFields.joined(separator: ", ") + "; '.count' counts a list"])
        }
        let index = related(target)
        guard let column = index.table.columnIndex(field) else {
            let names = index.table.columns.map(\.name)
            throw Diagnostic("unknown field '\(field)' in \(target.rawValue)", at: SourceRange(r.end - field.utf8.count, r.end),
                             suggestion: nearest(to: field, in: names + ["count"]))
        }
        let fieldType = index.table.columns[column].type
        if t.element == nil { return (.follow(c, index, column: column, scalar: true), fieldType) }
        return (.follow(c, index, column: column, scalar: false), .list(fieldType.element ?? fieldType))
    }

    private var relatedFields: [String] {
        guard let c = table.collection else { return [] }
        return table.columns.map(\.name).filter { c.relation($0) != nil }
    }

    /// `lower(name)`, `len(participants)`, `year(date)`, `days_between(date, 2025-11-01)`.
    private func call(_ name: String, _ arguments: [Expr], _ r: SourceRange) throws(Diagnostic) -> (Compiled, ValueType) {
        guard let function = Function(rawValue: name.lowercased()) else {
            throw Diagnostic("unknown function '\(name)'", at: SourceRange(r.start, r.start + name.utf8.count),
                             suggestion: nearest(to: name, in: Function.allCases.map(\.rawValue)),
                             notes: ["functions: " + Function.allCases.map { $0.rawValue + "()" }.joined(separator: ", ")])
        }
        guard arguments.count == function.arity else {
            throw Diagnostic("\(function.rawValue) takes \(function.arity) argument\(function.arity == 1 ? "" : "s"), not \(arguments.count)", at: r)
        }
        var compiled: [Compiled] = []
        for a in arguments {
            let (c, t) = try compile(a)
            let want: [ValueType]
            switch function {
            case .lower, .upper: want = [.string]
            case .len: want = [.string, .list(.string), .list(.number), .list(.date)]
            case .year, .month, .days_between: want = [.date]
            }
            let ok = t == .any || want.contains(t) || (function == .len && t.element != nil)

            guard ok else {
                let expected = function == .len ? "text or a list" : (want == [.date] ? "a date" : "text")
                throw Diagnostic("\(function.rawValue) needs \(expected), but \(Checker.describe(a)) is a \(t)", at: a.range)
            }
            compiled.append(c)
        }
        let result: ValueType = function == .lower || function == .upper ? .string : .number
        return (.call(function, compiled), result)
    }

    /// Compiles an operand of `and`, `or`, `not`, or of `where` itself, which must be a condition.
    func condition(_ e: Expr, _ context: String) throws(Diagnostic) -> Compiled {
        let (c, t) = try compile(e)
        guard t == .bool || t == .any else {
            throw Diagnostic("expected a condition \(context == "where" ? "after 'where'" : "with '\(context)'"), but \(Checker.describe(e)) is a \(t)",
                             at: e.range, notes: ["a condition compares, e.g. \(Checker.plain(e)) = …, \(Checker.plain(e)) contains …, \(Checker.plain(e)) is null"])
        }
        return c
    }

    private func comparison(_ op: BinaryOperator, _ l: Expr, _ r: Expr) throws(Diagnostic) -> Compiled {
        let (cl, tl) = try compile(l)
        let (cr, tr) = try compile(r)
        try checkComparison(op, l, tl, r, tr)
        switch op {
        case .matches: return .test(.matches, cl, .regex(try regex(r)))
        // `x in "forum"` is `x = "forum"`.
        case .in where tr.element == nil: return .test(.equal, cl, cr)
        default: return .test(op, cl, cr)
        }
    }

    func checkComparison(_ op: BinaryOperator, _ l: Expr, _ tl: ValueType, _ r: Expr, _ tr: ValueType) throws(Diagnostic) {
        switch op {
        case .equal, .notEqual:
            if case .literal(.null, _) = r { throw Diagnostic("nothing equals null; write '\(Checker.plain(l)) is \(op == .equal ? "" : "not ")null'", at: r.range) }
            if tl.element != nil { throw listNeedsQuantifier(l, tl, op.rawValue) }
            if tr.element != nil { throw Diagnostic("\(Checker.describe(r)) is a \(tr); compare with 'in' instead", at: r.range) }
            try requireCompatible(l, tl, r, tr)
        case .less, .lessEqual, .greater, .greaterEqual:
            if tl.element != nil { throw listNeedsQuantifier(l, tl, op.rawValue) }
            try requireOrdered(l, tl, r, tr)
        case .contains:
            if tl.element == nil {
                guard tl == .string || tl == .any else {
                    throw Diagnostic("'contains' needs text or a list, but \(Checker.describe(l)) is a \(tl)", at: l.range,
                                     notes: tl == .number || tl == .date ? ["compare it with =, <, >= or between"] : [])
                }
                guard tr == .string || tr == .any else { throw mismatch(r, tr, expected: "text to look for in \(Checker.describe(l))") }
            } else if let element = tr.element {
                try requireCompatible(l, tl.element ?? .any, r, element)
            } else {
                try requireCompatible(l, tl.element ?? .any, r, tr)
            }
        case .in:
            if tl.element != nil {
                throw Diagnostic("\(Checker.describe(l)) is a \(tl); write 'any \(Checker.plain(l)) in …' or 'all \(Checker.plain(l)) in …'", at: l.range)
            }
            try requireCompatible(l, tl, r, tr.element ?? tr)
        case .matches:
            guard (tl.element ?? tl) == .string || tl == .any else {
                throw Diagnostic("'matches' needs text, but \(Checker.describe(l)) is a \(tl)", at: l.range)
            }
            guard tr == .string || tr == .any else { throw mismatch(r, tr, expected: "a regular expression in quotes") }
        case .and, .or:
            break
        }
    }

    /// A regular expression from a `matches` right-hand side, checked before running.
    func regex(_ r: Expr) throws(Diagnostic) -> BoundedRegex {
        let (c, _) = try compile(r)
        guard case .constant(.string(let pattern)) = c else {
            throw Diagnostic("'matches' takes a regular expression in quotes", at: r.range)
        }
        guard pattern.utf8.count <= 10_000 else { throw Diagnostic("a regular expression of over 10,000 characters is too long", at: r.range) }
        do {
            return BoundedRegex(try NSRegularExpression(pattern: pattern), pattern: pattern, range: r.range, budget: regexBudget)
        } catch {
            throw Diagnostic("invalid regular expression \(Printer.literal(.string(pattern)))", at: r.range)
        }
    }

    private func requireCompatible(_ l: Expr, _ tl: ValueType, _ r: Expr, _ tr: ValueType) throws(Diagnostic) {
        if tl == .any || tr == .any || tl == tr { return }
        if (tl == .date && tr == .number) || (tl == .number && tr == .date) { return }
        throw Diagnostic("cannot compare \(Checker.describe(l)) (a \(tl)) with \(Checker.describe(r)) (a \(tr))", at: r.range,
                         notes: tl == .number && tr == .string ? ["\(Checker.describe(l)) holds numbers, such as 2025"] :
                                tl == .date && tr == .string ? ["write a date without quotes: 2025-11-24, 2025-11 or 2025"] : [])
    }

    private func requireOrdered(_ l: Expr, _ tl: ValueType, _ r: Expr, _ tr: ValueType) throws(Diagnostic) {
        try requireCompatible(l, tl, r, tr)
        if tl == .bool || tr == .bool { throw Diagnostic("true and false have no order", at: r.range) }
        if tr.element != nil { throw Diagnostic("\(Checker.describe(r)) is a \(tr), which has no order", at: r.range) }
    }

    private func listNeedsQuantifier(_ e: Expr, _ t: ValueType, _ op: String) -> Diagnostic {
        Diagnostic("\(Checker.describe(e)) is a \(t); '\(op)' compares single values", at: e.range,
                   notes: ["write '\(Checker.plain(e)) contains …', '… in \(Checker.plain(e))' or 'any \(Checker.plain(e)) \(op) …'"])
    }

    private func mismatch(_ e: Expr, _ t: ValueType, expected: String) -> Diagnostic {
        Diagnostic("expected \(expected), but \(Checker.describe(e)) is a \(t)", at: e.range)
    }

    private func unknownName(_ name: String, _ r: SourceRange) -> Diagnostic {
        let fields = table.columns.map(\.name)
        let suggestion = nearest(to: name, in: fields) ?? nearest(to: name, in: otherNames)
        return Diagnostic("unknown field '\(name)' in \(scopeName)", at: r, suggestion: suggestion,
                          notes: suggestion == nil ? ["fields of \(scopeName): " + fields.joined(separator: ", ")] : [])
    }

    private func listConstant(_ t: Table) -> (Compiled, ValueType) {
        let keys = t.keys
        let index = t.collection.flatMap { t.columnIndex($0.keyField) } ?? t.columnIndex("name") ?? 0
        let type = index < t.columns.count ? t.columns[index].type : .string
        return (.list(keys, keySet(keys)), .list(type.element ?? type))
    }

    func keySet(_ values: [Value]) -> Set<String> {
        var keys = Set<String>()
        for v in values { if let k = Evaluator.key(v, canonicalKey) { keys.insert(k) } }
        return keys
    }

    static func type(of v: Value) -> ValueType {
        switch v {
        case .null: return .any
        case .bool: return .bool
        case .number: return .number
        case .string: return .string
        case .date: return .date
        case .list(let items): return .list(items.first.map(type(of:)) ?? .any)
        }
    }

    /// An operand as written, without quotes around names: for hints that show a statement.
    static func plain(_ e: Expr) -> String {
        if case .name(let n, _) = e { return n }
        return Printer.print(e)
    }

    static func describe(_ e: Expr) -> String {
        switch e {
        case .name(let n, _): return "'\(n)'"
        case .parameter(let n, _): return "$\(n)"
        case .literal(let v, _): return Printer.literal(v)
        default: return "'\(Printer.print(e))'"
        }
    }
}
