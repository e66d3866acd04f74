import CoopQ
import Foundation
import Testing

/// What Tab offers at the end of each line (the cursor at the end).
@Test(arguments: [
    ("ev", ["events"]),
    ("", ["documents", "events", "people", "places", "organizations", "topics", "agreements", "figures", "count", "let",
          "search", "why", "describe", "timeline", "min", "max", "sum", "avg", "distinct"]),
    ("participants of ev", ["events"]),
    ("why eve", ["events"]),
    ("participants of events where ord", ["ordinal"]),
    ("count p", ["people", "places"]),
    ("events where pl", ["place"]),
    ("events where pa", ["participants"]),
    ("people where co", ["country"]),
    ("events wh", ["where"]),
    ("events o", ["order by", "or"]),
    ("events where place = \"Xi", ["\"Xi'an\""]),
    ("events where place = 'Xi", ["\"Xi'an\""]),
    ("events where place = \"St", ["\"St Petersburg\""]),
    ("events where place = \"St Pe", ["\"St Petersburg\""]),
    ("people where country = \"R", ["\"Russia\""]),
    ("events where kind in (\"fo", ["\"forum\""]),
    ("events where kind in (\"forum\", \"ro", ["\"roundtable\""]),
    ("events where \"Li Qiang\" in pa", ["participants"]),
    ("events where participants contains \"Mikhail", ["\"Mikhail Mishustin\""]),
    ("events select na", ["name"]),
    ("count events by ye", ["year"]),
    ("events where place ma", ["matches"]),
    ("people where name = \"Zzz", []),
    ("events where (people where co", ["country"]),
    ("events where year = 2025\n  and pl", ["place"]),
])
func completes(line: String, expected: [String]) {
    let engine = Engine(corpus: Fixture.corpus)
    let result = Completer(engine: engine).complete(line, cursor: line.utf8.count)
    #expect(result.candidates == expected, "\(line)")
}

@Test func completionKnowsNamedResults() throws {
    let engine = Engine(corpus: Fixture.corpus)
    _ = try engine.run(try #require(try Parser.parse(SourceFile(name: "-e", text: "let russians = people where country = \"Russia\"")).first))
    #expect(Completer(engine: engine).complete("rus", cursor: 3).candidates == ["russians"])
    #expect(Completer(engine: engine).complete("russians where ti", cursor: 17).candidates == ["titles"])
}

@Test func historyIsCappedAtomicAndMerged() throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("coopq-history-unit-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    var first = HistoryStore(path: path)
    var second = HistoryStore(path: path)
    try first.add("events where place = \"Xi'an 西安\"")
    try second.add("count events\nby year")
    try first.add("people")
    let reread = HistoryStore(path: path)
    #expect(reread.entries == ["events where place = \"Xi'an 西安\"", "count events\nby year", "people"])
    for i in 0..<(HistoryStore.capacity + 10) { try first.add("count events where year = \(i)") }
    #expect(HistoryStore(path: path).entries.count == HistoryStore.capacity)
    #expect(HistoryStore.defaultPath(environment: ["COOPQ_HISTORY": "/x/h"]) == "/x/h")
    #expect(HistoryStore.defaultPath(environment: ["XDG_STATE_HOME": "/s", "HOME": "/h"]) == "/s/coopq/history")
    #expect(HistoryStore.defaultPath(environment: ["HOME": "/h"]) == "/h/.coopq_history")
}

@Test(arguments: [
    (".help", DotCommand.help(topic: nil)),
    (".help events", DotCommand.help(topic: "events")),
    (".format json", DotCommand.format(.json)),
    (".timing on", DotCommand.timing(true)),
    (".corpus a \"b c\"", DotCommand.corpus(["a", "b c"])),
    (".read x.coopq", DotCommand.read("x.coopq")),
    (".output out.csv", DotCommand.output("out.csv")),
    (".output stdout", DotCommand.output(nil)),
    (".schema", DotCommand.schema(nil)),
    (".rows all", DotCommand.rows(0)),
    (".rows 20", DotCommand.rows(20)),
    (".history", DotCommand.history),
    (".exit", DotCommand.quit),
])
func dotCommandsParse(line: String, command: DotCommand) throws {
    #expect(try DotCommand.parse(line) == command)
}

@Test(arguments: [
    (".hlep", "unknown command '.hlep'; did you mean '.help'?"),
    (".fromat csv", "unknown command '.fromat'; did you mean '.format'?"),
    (".format xml", "unknown format 'xml'; use one of table, json, jsonl, csv, tsv, markdown"),
    (".timing maybe", ".timing takes on or off, not 'maybe'"),
    (".rows -1", ".rows takes a number of rows or 'all', not '-1'"),
    (".corpus", ".corpus takes one or more folders of .txt articles"),
])
func dotCommandErrors(line: String, message: String) {
    #expect(throws: DotCommand.Problem(message: message)) { try DotCommand.parse(line) }
}

@Test func emptyResultsSayWhy() throws {
    let engine = Engine(corpus: Fixture.corpus)
    let statement = try #require(try Parser.parse(SourceFile(name: "-e", text: "events where place = \"Moscw\" and year = 2025")).first)
    let warnings = engine.explainEmpty(statement)
    #expect(warnings.map(\.message) == ["no event has place \"Moscw\""])
    #expect(warnings.first?.suggestion == "\"Moscow\"")
    #expect(warnings.first?.severity == .warning)
    let both = try #require(try Parser.parse(SourceFile(name: "-e", text: "events where place = \"Moscow\" and year = 2016")).first)
    #expect(engine.explainEmpty(both).map(\.message) == ["each condition holds for some events, but none holds for all of them together"])
}

/// `.schema` lines up its columns: no type runs into its description.
@Test func schemaColumnsLineUp() {
    let text = Help.schema("events", engine: Engine(corpus: Fixture.corpus))
    let lines = text.split(separator: "\n").dropFirst()
    let aboutColumn = lines.compactMap { line -> Int? in
        guard let r = line.range(of: "  ", options: .backwards) else { return nil }
        return line.distance(from: line.startIndex, to: r.upperBound)
    }
    #expect(Set(aboutColumn).count == 1, "\(text)")
}
