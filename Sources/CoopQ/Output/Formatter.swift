import Foundation

/// The output formats of `--format`.
public enum OutputFormat: String, CaseIterable, Sendable {
    case table, json, jsonl, csv, tsv, markdown
}

/// How a result is printed: the format, and what the terminal allows.
public struct OutputStyle: Sendable {
    public var format: OutputFormat
    /// Box drawing and colour for table headers; only for a terminal with colour on.
    public var color: Bool
    /// Pretty-printed JSON (on a terminal) instead of one line per statement.
    public var prettyJSON: Bool
    /// The terminal's width, for cutting wide cells; nil when not a terminal.
    public var width: Int?
    /// At most this many rows of a table are printed, then a `... N more rows` line (the shell's `.rows`).
    public var maxRows: Int?

    public init(format: OutputFormat = .table, color: Bool = false, prettyJSON: Bool = false, width: Int? = nil, maxRows: Int? = nil) {
        self.format = format
        self.color = color
        self.prettyJSON = prettyJSON
        self.width = width
        self.maxRows = maxRows
    }
}

/// Renders a result table as text in one of the output formats.
public enum Formatter {
    public static func render(_ table: Table, _ style: OutputStyle) -> String {
        let shown = table.columns.indices.filter { table.columns[$0].shownByDefault }
        let columns = shown.map { table.columns[$0].name }
        let rows = table.rows.map { row in shown.map { row[$0] } }
        switch style.format {
        case .json:
            let objects = rows.map { object(columns, $0) }
            if style.prettyJSON {
                return objects.isEmpty ? "[]\n" : "[\n" + objects.map { "  " + $0 }.joined(separator: ",\n") + "\n]\n"
            }
            return "[" + objects.joined(separator: ",") + "]\n"
        case .jsonl:
            return rows.map { object(columns, $0) + "\n" }.joined()
        case .csv:
            return ([columns.map(csvField)] + rows.map { $0.map { csvField($0.display) } })
                .map { $0.joined(separator: ",") + "\r\n" }.joined()
        case .tsv:
            return ([columns.map(tsvField)] + rows.map { $0.map { tsvField($0.display) } })
                .map { $0.joined(separator: "\t") + "\n" }.joined()
        case .markdown:
            var out = "| " + columns.map(markdownField).joined(separator: " | ") + " |\n"
            out += "|" + columns.map { _ in " --- |" }.joined() + "\n"
            for row in rows { out += "| " + row.map { markdownField(cell($0)) }.joined(separator: " | ") + " |\n" }
            return out
        case .table:
            if table.presentation == .text { return table.rows.map { $0.map(\.display).joined(separator: "\n") + "\n" }.joined() }
            // Pictures only on a terminal; a table in a pipe stays plain rows.
            if style.width != nil {
                switch table.presentation {
                case .bars: return bars(table, style)
                case .timeline(let date, let label, let place): return timeline(table, date: date, label: label, place: place, style)
                case .keywordInContext: return keywordInContext(table, style)
                case .rows, .text: break
                }
            }
            // Columns leave a narrow screen least needed first: a collection's own order of need,
            // else from the right.
            let essentials = table.collection?.tableEssentials ?? []
            let leaving = columns.indices.sorted { a, b in
                let ra = essentials.firstIndex(of: columns[a]) ?? -1, rb = essentials.firstIndex(of: columns[b]) ?? -1
                return ra != rb ? ra > rb : a < b
            }
            return textTable(columns, rows.map { $0.map(cell) }, style, numeric: shown.map { table.columns[$0].type == .number },
                             leaving: Array(leaving.reversed()))
        }
    }

    /// A count by one key: the key, the count, and a bar in proportion.
    static func bars(_ table: Table, _ style: OutputStyle) -> String {
        let keys = table.rows.map { cell($0[0]) }
        let counts = table.rows.map { if case .number(let n) = $0[1] { return n } else { return 0 } }
        let keyWidth = min(40, max(table.columns[0].name.displayWidth, keys.map(\.displayWidth).max() ?? 0))
        let countWidth = max(5, counts.map { Value.format(number: $0).count }.max() ?? 0)
        let barSpace = max(10, (style.width ?? 80) - keyWidth - countWidth - 4)
        let top = max(1, counts.max() ?? 1)
        let (bold, reset) = style.color ? ("\u{1B}[1m", "\u{1B}[0m") : ("", "")
        var out = bold + table.columns[0].name.padded(toDisplayWidth: keyWidth) + " " + String(repeating: " ", count: countWidth - 5) + "count" + reset + "\n"
        for (key, n) in zip(keys, counts) {
            let shownKey = key.truncated(toDisplayWidth: keyWidth)
            let eighths = Int((n / top * Double(barSpace * 8)).rounded())
            let partial = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"][eighths % 8]
            let bar = String(repeating: "█", count: eighths / 8) + partial
            let number = Value.format(number: n)
            out += shownKey.padded(toDisplayWidth: keyWidth) + " " + String(repeating: " ", count: countWidth - number.count) + number + "  "
                + (style.color ? "\u{1B}[36m" + bar + reset : bar) + "\n"
        }
        return out + rowCount(table.rows.count)
    }

    /// The footer of every table: `(3 rows)`.
    static func rowCount(_ n: Int) -> String { "(\(n) row\(n == 1 ? "" : "s"))\n" }

    /// Records by date, a year heading before each year.
    static func timeline(_ table: Table, date: Int, label: Int, place: Int?, _ style: OutputStyle) -> String {
        let (bold, dim, reset) = style.color ? ("\u{1B}[1m", "\u{1B}[2m", "\u{1B}[0m") : ("", "", "")
        var out = ""
        var year: Int?
        for row in table.rows {
            guard case .date(let d) = row[date] else { continue }
            if d.year != year {
                out += (year == nil ? "" : "\n") + bold + String(d.year) + reset + "\n"
                year = d.year
            }
            let when = d.month.map { m in DateNames.month(m) + (d.day.map { " " + String($0) } ?? "") } ?? "—"
            let at = place.flatMap { row[$0].isNull ? nil : " " + dim + "(" + cell(row[$0]) + ")" + reset } ?? ""
            out += "  " + when.padded(7) + "┃ " + cell(row[label]) + at + "\n"
        }
        return out + rowCount(table.rows.count)
    }

    /// Search hits: the match aligned in a column between its context.
    static func keywordInContext(_ table: Table, _ style: OutputStyle) -> String {
        let width = style.width ?? 100
        let idWidth = min(24, table.rows.map { cell($0[0]).displayWidth }.max() ?? 8)
        let side = max(15, (width - idWidth - 14 - 20) / 2)
        let (mark, reset) = style.color ? ("\u{1B}[1;33m", "\u{1B}[0m") : ("[", "]")
        var out = ""
        for row in table.rows {
            let before = cell(row[3]), match = cell(row[4]), after = cell(row[5])
            let left = before.displayWidth > side ? "…" + String(String(String(before.reversed()).prefix(displayWidth: side - 1)).reversed())
                : String(repeating: " ", count: side - before.displayWidth) + before
            let right = after.truncated(toDisplayWidth: side)
            let id = cell(row[0])
            out += id.truncated(toDisplayWidth: idWidth).padded(toDisplayWidth: idWidth) + " "
                + cell(row[1]).padded(10) + " " + left + mark + match + reset + right + "\n"
        }
        return out + rowCount(table.rows.count)
    }

    /// A value in a table cell: lists joined with ", ".
    static func cell(_ v: Value) -> String {
        if case .list(let items) = v { return items.map(\.display).joined(separator: ", ") }
        return v.display.replacingLineBreaks
    }

    /// Rows in aligned columns. On a terminal the table fits its width: the widest columns are
    /// narrowed first (never below their header or eight columns), the last one shown wraps
    /// rather than being cut, and columns that still do not fit are left out from the right, the
    /// footer naming them.
    /// `leaving`: the columns in the order they leave a screen too narrow for all (default: from the right).
    private static func textTable(_ columns: [String], _ rows: [[String]], _ style: OutputStyle, numeric: [Bool], leaving: [Int]? = nil) -> String {
        var hiddenRows = 0
        var shownRows = rows[...]
        if let maxRows = style.maxRows, rows.count > maxRows {
            shownRows = rows.prefix(maxRows)
            hiddenRows = rows.count - maxRows
        }
        // No cell is wider than the screen; a cell that may wrap keeps a few screens of text.
        var cells = shownRows.map { row in row.map { c in style.width.map { c.count > $0 * 8 ? String(c.prefix($0 * 8)) : c } ?? c } }
        let natural = columns.indices.map { i in max(columns[i].displayWidth, cells.map { $0[i].displayWidth }.max() ?? 0) }
        var widths = natural
        var kept = Array(columns.indices)
        var wrapping: Int?
        if let screen = style.width {
            func total(_ w: [Int]) -> Int { style.color ? kept.reduce(1) { $0 + w[$1] + 3 } : kept.reduce(0) { $0 + w[$1] } + 2 * (kept.count - 1) }
            // A column reads well at 24 columns of text (or its whole value, when shorter); columns
            // leave until the rest read well, and only then are narrowed, each to its header and
            // ten columns (a whole date) at least.
            let comfortable = columns.indices.map { min(natural[$0], max(columns[$0].displayWidth, 24)) }
            let least = columns.indices.map { min(natural[$0], max(columns[$0].displayWidth, 10)) }
            widths = comfortable
            var order = (leaving ?? Array(columns.indices.reversed()))[...]
            while total(widths) > screen, kept.count > 1, let next = order.popFirst() { kept.removeAll { $0 == next } }
            if total(widths) > screen { widths = least }
            // The room left goes first to the columns that need least more to be whole (dates,
            // numbers, short names), then in equal shares to the rest.
            var spare = screen - total(widths)
            var wanting = kept.filter { natural[$0] > widths[$0] }.sorted { natural[$0] - widths[$0] < natural[$1] - widths[$1] }
            while spare > 0, !wanting.isEmpty {
                let share = max(1, spare / wanting.count)
                let i = wanting.removeFirst()
                let given = min(natural[i] - widths[i], share)
                widths[i] += given
                spare -= given
            }
            if let last = kept.last, widths[last] < natural[last] { wrapping = last }
            cells = cells.map { row in row.enumerated().map { i, c in i == wrapping ? c : c.truncated(toDisplayWidth: widths[i]) } }
        }
        func pad(_ s: String, _ i: Int) -> String {
            let gap = String(repeating: " ", count: max(0, widths[i] - s.displayWidth))
            return numeric[i] ? gap + s : s + gap
        }
        // A row's lines: one, or as many as its wrapping cell needs.
        func lines(_ row: [String]) -> [[String]] {
            guard let w = wrapping else { return [kept.map { row[$0] }] }
            let parts = row[w].wrapped(toDisplayWidth: widths[w])
            return parts.enumerated().map { n, part in kept.map { $0 == w ? part : (n == 0 ? row[$0] : "") } }
        }
        var footer = "(\(rows.count) row\(rows.count == 1 ? "" : "s")"
        if kept.count < columns.count {
            let left = columns.indices.filter { !kept.contains($0) }.map { columns[$0] }
            footer += "; \(left.count) not shown: " + left.joined(separator: ", ")
            if let screen = style.width { footer = footer.truncated(toDisplayWidth: screen - 1) }
        }
        footer += ")\n"
        let more = hiddenRows > 0 ? "... \(hiddenRows) more row\(hiddenRows == 1 ? "" : "s") (.rows all shows every row)\n" : ""
        if style.color {
            let bold = "\u{1B}[1m", reset = "\u{1B}[0m"
            func rule(_ l: String, _ m: String, _ r: String) -> String {
                l + kept.map { String(repeating: "─", count: widths[$0] + 2) }.joined(separator: m) + r + "\n"
            }
            var out = rule("┌", "┬", "┐")
            out += "│" + kept.map { " " + bold + pad(columns[$0], $0) + reset + " " }.joined(separator: "│") + "│\n"
            out += rule("├", "┼", "┤")
            for row in cells { for line in lines(row) { out += "│" + zip(kept, line).map { " " + pad($1, $0) + " " }.joined(separator: "│") + "│\n" } }
            out += rule("└", "┴", "┘")
            return out + more + footer
        }
        var out = kept.map { pad(columns[$0], $0) }.joined(separator: "  ").trimmingTrailingSpaces() + "\n"
        out += kept.map { String(repeating: "-", count: widths[$0]) }.joined(separator: "  ") + "\n"
        for row in cells { for line in lines(row) { out += zip(kept, line).map { pad($1, $0) }.joined(separator: "  ").trimmingTrailingSpaces() + "\n" } }
        return out + more + footer
    }

    static func object(_ columns: [String], _ row: [Value]) -> String {
        "{" + zip(columns, row).map { jsonString($0) + ":" + json($1) }.joined(separator: ",") + "}"
    }

    public static func json(_ v: Value) -> String {
        switch v {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(let n): return n.isFinite ? Value.format(number: n) : "null"
        case .string(let s): return jsonString(s)
        case .date(let d): return jsonString(d.description)
        case .list(let items): return "[" + items.map(json).joined(separator: ",") + "]"
        }
    }

    public static func jsonString(_ s: String) -> String { Escape.string(Escape.json, s) }

    static func csvField(_ s: String) -> String { Escape.string(Escape.csv, s) }

    /// Tabs, line breaks and backslashes escaped, scalar by scalar (`\r\n` is one character, two escapes).
    static func tsvField(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        for c in s.unicodeScalars {
            switch c {
            case "\t": out.append(contentsOf: "\\t".unicodeScalars)
            case "\n": out.append(contentsOf: "\\n".unicodeScalars)
            case "\r": out.append(contentsOf: "\\r".unicodeScalars)
            case "\\": out.append(contentsOf: "\\\\".unicodeScalars)
            default: out.append(c)
            }
        }
        return String(out)
    }

    static func markdownField(_ s: String) -> String {
        s.replacingOccurrences(of: "|", with: "\\|").replacingLineBreaks
    }
}

extension String {
    /// Each line feed made a space, on the bytes: a cell of a table is one line. (Foundation's
    /// `replacingOccurrences` bridges to NSString, whose first use costs a tenth of start-up.)
    var replacingLineBreaks: String {
        guard utf8.contains(0x0A) else { return self.escapingControls }
        return String(decoding: utf8.map { $0 == 0x0A ? 0x20 : $0 }, as: UTF8.self).escapingControls
    }

    /// Control characters written out as escapes (`\e`, `\t`, `\x07`, `\u{9B}`), as `ls -b` and jq
    /// show them: an article's text or a file's name can never move the cursor, clear the screen,
    /// set a terminal's title or its clipboard. Text with none (nearly all) is returned as it is.
    public var escapingControls: String {
        guard utf8.contains(where: { $0 < 0x20 || $0 == 0x7F || $0 == 0xC2 || $0 == 0xF4 }) else { return self }
        var out = ""
        for scalar in unicodeScalars {
            switch scalar.value {
            case 0x1B: out += "\\e"
            case 0x09: out += "\\t"
            case 0x0D: out += "\\r"
            case 0x0A: out += "\\n"
            case 0..<0x20, 0x7F: out += "\\x" + String(scalar.value, radix: 16, uppercase: true).leftPadded(2)
            case 0x80..<0xA0: out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            // A file name's byte that is not UTF-8 (`FileName`).
            case 0x10FF80...0x10FFFF: out += "\\x" + String(scalar.value - 0x10FF00, radix: 16, uppercase: true)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    fileprivate func leftPadded(_ n: Int) -> String { count >= n ? self : String(repeating: "0", count: n - count) + self }

    func trimmingTrailingSpaces() -> String {
        var s = Substring(self)
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}

enum DateNames {
    static func month(_ m: Int) -> String {
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][max(0, min(11, m - 1))]
    }
}

extension String {
    /// The string with spaces after it up to `width` characters.
    func padded(_ width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
}
