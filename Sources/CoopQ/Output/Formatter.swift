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
            return textTable(columns, rows.map { $0.map(cell) }, style, numeric: shown.map { table.columns[$0].type == .number })
        }
    }

    /// A count by one key: the key, the count, and a bar in proportion.
    static func bars(_ table: Table, _ style: OutputStyle) -> String {
        let keys = table.rows.map { $0[0].isNull ? "(none)" : cell($0[0]) }
        let counts = table.rows.map { if case .number(let n) = $0[1] { return n } else { return 0 } }
        let keyWidth = min(40, max(table.columns[0].name.count, keys.map(\.count).max() ?? 0))
        let countWidth = max(5, counts.map { Value.format(number: $0).count }.max() ?? 0)
        let barSpace = max(10, (style.width ?? 80) - keyWidth - countWidth - 4)
        let top = max(1, counts.max() ?? 1)
        let (bold, reset) = style.color ? ("\u{1B}[1m", "\u{1B}[0m") : ("", "")
        var out = bold + table.columns[0].name.padded(keyWidth) + " " + String(repeating: " ", count: countWidth - 5) + "count" + reset + "\n"
        for (key, n) in zip(keys, counts) {
            let shownKey = key.count > keyWidth ? String(key.prefix(keyWidth - 1)) + "…" : key
            let eighths = Int((n / top * Double(barSpace * 8)).rounded())
            let partial = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"][eighths % 8]
            let bar = String(repeating: "█", count: eighths / 8) + partial
            let number = Value.format(number: n)
            out += shownKey.padded(keyWidth) + " " + String(repeating: " ", count: countWidth - number.count) + number + "  "
                + (style.color ? "\u{1B}[36m" + bar + reset : bar) + "\n"
        }
        return out + "(\(table.rows.count) row\(table.rows.count == 1 ? "" : "s"))\n"
    }

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
        return out + "(\(table.rows.count) event\(table.rows.count == 1 ? "" : "s") on the timeline)\n"
    }

    /// Search hits: the match aligned in a column between its context.
    static func keywordInContext(_ table: Table, _ style: OutputStyle) -> String {
        let width = style.width ?? 100
        let idWidth = min(24, table.rows.map { cell($0[0]).count }.max() ?? 8)
        let side = max(15, (width - idWidth - 14 - 20) / 2)
        let (mark, reset) = style.color ? ("\u{1B}[1;33m", "\u{1B}[0m") : ("[", "]")
        var out = ""
        for row in table.rows {
            let before = cell(row[3]), match = cell(row[4]), after = cell(row[5])
            let left = before.count > side ? "…" + String(before.suffix(side - 1)) : String(repeating: " ", count: side - before.count) + before
            let right = after.count > side ? String(after.prefix(side - 1)) + "…" : after
            let id = cell(row[0])
            out += (id.count > idWidth ? String(id.prefix(idWidth - 1)) + "…" : id.padded(idWidth)) + " "
                + cell(row[1]).padded(10) + " " + left + mark + match + reset + right + "\n"
        }
        return out + "(\(table.rows.count) hit\(table.rows.count == 1 ? "" : "s"))\n"
    }

    /// A value in a table cell: lists joined with ", ".
    static func cell(_ v: Value) -> String {
        if case .list(let items) = v { return items.map(\.display).joined(separator: ", ") }
        return v.display.replacingLineBreaks
    }

    private static func textTable(_ columns: [String], _ rows: [[String]], _ style: OutputStyle, numeric: [Bool]) -> String {
        let maxCell = style.width.map { max(12, min(60, $0 / max(1, columns.count))) } ?? Int.max
        var hidden = 0
        var shownRows = rows[...]
        if let maxRows = style.maxRows, rows.count > maxRows {
            shownRows = rows.prefix(maxRows)
            hidden = rows.count - maxRows
        }
        let cells = shownRows.map { $0.map { $0.count > maxCell ? String($0.prefix(maxCell - 1)) + "…" : $0 } }
        let more = hidden > 0 ? "... \(hidden) more row\(hidden == 1 ? "" : "s") (.rows all shows every row)\n" : ""
        var widths = columns.map(\.count)
        for row in cells { for (i, c) in row.enumerated() { widths[i] = max(widths[i], c.count) } }
        func pad(_ s: String, _ i: Int) -> String {
            let gap = String(repeating: " ", count: widths[i] - s.count)
            return numeric[i] ? gap + s : s + gap
        }
        let noun = rows.count == 1 ? "row" : "rows"
        if style.color {
            let bold = "\u{1B}[1m", reset = "\u{1B}[0m"
            func rule(_ l: String, _ m: String, _ r: String) -> String {
                l + widths.map { String(repeating: "─", count: $0 + 2) }.joined(separator: m) + r + "\n"
            }
            var out = rule("┌", "┬", "┐")
            out += "│" + columns.enumerated().map { " " + bold + pad($1, $0) + reset + " " }.joined(separator: "│") + "│\n"
            out += rule("├", "┼", "┤")
            for row in cells { out += "│" + row.enumerated().map { " " + pad($1, $0) + " " }.joined(separator: "│") + "│\n" }
            out += rule("└", "┴", "┘")
            return out + more + "\(rows.count) \(noun)\n"
        }
        var out = columns.enumerated().map { pad($1, $0) }.joined(separator: "  ").trimmingTrailingSpaces() + "\n"
        out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n"
        for row in cells { out += row.enumerated().map { pad($1, $0) }.joined(separator: "  ").trimmingTrailingSpaces() + "\n" }
        return out + more + "(\(rows.count) \(noun))\n"
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
