@testable import CoopQ
import Foundation
import Testing

/// Tables on a terminal fit its width and align by screen columns: a Chinese character takes two.
@Suite struct TableWidths {
    static func strip(_ s: Substring) -> String { s.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression) }

    @Test(arguments: [60, 80, 120])
    func aCollectionFitsTheScreen(width: Int) {
        let engine = Engine(corpus: Fixture.corpus)
        for statement in ["events", "people", "documents", "why events where ordinal = 6"] {
            guard case .query(let q)? = try? Parser.parse(SourceFile(name: "-e", text: statement)).first,
                  let table = try? engine.run(.query(q)) else { Issue.record("\(statement) did not run"); continue }
            let text = Formatter.render(table, OutputStyle(format: .table, color: true, width: width))
            let wide = text.split(separator: "\n").map(TableWidths.strip).filter { $0.displayWidth > width }
            #expect(wide.isEmpty, "\(statement) at \(width): \(wide)")
        }
    }

    @Test func chineseTextStaysAligned() {
        let table = Table(columns: [Column(name: "title", type: .string), Column(name: "source", type: .string)],
                          rows: [[.string("中俄中小企业论坛在西安举行"), .string("新华社")], [.string("Forum in Xi'an"), .string("Xinhua")],
                                 [.string("Ürümqi fair opens"), .string("TASS")]])
        for width in [30, 80] {
            let text = Formatter.render(table, OutputStyle(format: .table, color: true, width: width))
            let rows = text.split(separator: "\n").map(TableWidths.strip).filter { $0.hasPrefix("│") || $0.hasPrefix("┌") }
            #expect(Set(rows.map(\.displayWidth)).count == 1, "\(width): \(rows)")
            #expect(rows.allSatisfy { $0.displayWidth <= width }, "\(rows)")
        }
    }

    @Test func aLongTextWrapsInTheLastColumn() {
        let sentence = String(repeating: "The two sides signed documents on cooperation. ", count: 6)
        let table = Table(columns: [Column(name: "field", type: .string), Column(name: "sentence", type: .string)],
                          rows: [[.string("name"), .string(sentence)]])
        let text = Formatter.render(table, OutputStyle(format: .table, width: 60))
        let lines = text.split(separator: "\n")
        #expect(lines.allSatisfy { $0.count <= 60 })
        #expect(lines.count > 5)
        #expect(!text.contains("…"))
        // Every word of the sentence is there, in order.
        let words = lines.dropFirst(2).dropLast().map { $0.dropFirst(7) }.joined(separator: " ").split(separator: " ")
        #expect(words == sentence.split(separator: " "))
    }

    /// Charts and search hits align by screen columns too, every picture ends with one footer,
    /// and a missing value is blank in a chart as in a table.
    @Test func chartsAndHitsAlignAndShareOneFooter() {
        var bars = Table(columns: [Column(name: "place", type: .string), Column(name: "count", type: .number)],
                         rows: [[.string("西安"), .number(3)], [.string("Kazan"), .number(2)], [.null, .number(1)]])
        bars.presentation = .bars
        let chart = Formatter.render(bars, OutputStyle(format: .table, width: 60)).split(separator: "\n")
        // The counts end in the same screen column on every line.
        let ends = chart.dropLast().map { line -> Int in
            let upToCount = line.prefix { $0 != "█" && $0 != "▏" && $0 != "▎" && $0 != "▍" && $0 != "▌" && $0 != "▋" && $0 != "▊" && $0 != "▉" }
            return String(upToCount).trimmingTrailingSpaces().displayWidth
        }
        #expect(Set(ends).count == 1, "\(chart)")
        #expect(!chart.joined().contains("(none)"))
        #expect(chart.last == "(3 rows)")

        var hits = Table(columns: ["document", "date", "offset", "before", "match", "after"].map { Column(name: $0, type: $0 == "offset" ? .number : .string) },
                         rows: [[.string("d1"), .null, .number(0), .string("中俄论坛在"), .string("西安"), .string("举行")],
                                [.string("d2"), .null, .number(0), .string("the forum in"), .string("Xi'an"), .string("opened")]])
        hits.presentation = .keywordInContext
        let shown = Formatter.render(hits, OutputStyle(format: .table, width: 80)).split(separator: "\n")
        let starts = shown.dropLast().map { line in String(line.prefix { $0 != "[" }).displayWidth }
        #expect(Set(starts).count == 1, "\(shown)")
        #expect(shown.last == "(2 rows)")
    }

    @Test(arguments: [("西安", 4), ("Xi'an", 5), ("Ürümqi", 6), ("e\u{301}", 1), ("", 0)])
    func displayWidths(text: String, width: Int) {
        #expect(text.displayWidth == width)
    }
}
