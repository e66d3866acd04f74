import CoopQ
import Foundation
import Testing

/// Errors found when checking a statement, rendered exactly as users see them. The expected
/// renderings live in Golden/errors.txt; run with COOPQ_RECORD=1 to write them anew.
let checkErrorCases = [
    "events where palce = 1",
    "evnets where year = 2025",
    "foo",
    "events where year >= \"soon\"",
    "events where date = \"2025\"",
    "events where place",
    "events where place > 3 and year = 2025",
    "events where participants = \"Li Qiang\"",
    "events where participants in (\"Li Qiang\")",
    "events where year contains \"20\"",
    "events where place = null",
    "events where name matches \"(unclosed\"",
    "events where year = $nope",
    "events select name, plcae",
    "events order by dat",
    "count events by yeer",
    "count events by year order by cnt",
    "events where any place in (\"Moscow\")",
    "events where year between \"a\" and \"b\"",
    "let events = people",
    "events where not year",
    "events where (kind, place) = 1",
    "events where -place = 1",
    "events where\n  kind = \"forum\"\n  and plase = \"Xi'an\"",
    "events where lowr(name) = \"x\"",
    "events where lower(name, kind) = \"x\"",
    "events where year(name) = 2025",
    "events where participants.contry contains \"Russia\"",
    "events where kind.country = \"China\"",
    "events where year.count = 1",
    "avg name of events",
    "kind of events",
    "search matches \"(\" ",
    "search \"\"",
    "timeline topics",
    "why (count events by year)",
    "describe evnts",
    "explain sql events select name, participants.country as countries order by countries",
    "explain sql events where place.country is null",
    "let recent = events limit 2\nexplain sql count recent",
]

@Test func checkErrorsMatchGoldenFile() throws {
    let golden = Fixture.root.appendingPathComponent("Tests/CoopQTests/Golden/errors.txt")
    var rendered = ""
    let columnar = Engine(corpus: Fixture.corpus)
    columnar.columnarThreshold = 0
    for source in checkErrorCases {
        // The same errors through the columns.
        #expect(Fixture.run(source, engine: columnar).err == Fixture.run(source).err, "columnar: \(source)")
        let (out, err, outcome) = Fixture.run(source)
        #expect(out == "", "\(source) printed a result")
        #expect(outcome == .failed, "\(source) did not fail")
        rendered += "=== " + source.replacingOccurrences(of: "\n", with: "\\n") + "\n" + err
    }
    if ProcessInfo.processInfo.environment["COOPQ_RECORD"] != nil {
        try rendered.write(to: golden, atomically: true, encoding: .utf8)
        return
    }
    let expected = try String(contentsOf: golden, encoding: .utf8)
    let expectedCases = expected.components(separatedBy: "=== ").filter { !$0.isEmpty }
    let renderedCases = rendered.components(separatedBy: "=== ").filter { !$0.isEmpty }
    #expect(renderedCases.count == expectedCases.count)
    for (got, want) in zip(renderedCases, expectedCases) { #expect(got == want) }
}

@Test func renderingPointsAtTheCulprit() {
    let (_, err, _) = Fixture.run("events where palce = 1")
    #expect(err == """
        -e:1:14: error: unknown field 'palce' in events; did you mean 'place'?
        events where palce = 1
                     ^~~~~

        """)
}
