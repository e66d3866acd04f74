import CoopQ
import Foundation
import Testing

/// Statements a person (or a cat on the keyboard) might type. Each gives its own clear error,
/// with a position and a caret, or a result: never a crash, never a hang.
let hostileStatements: [String] = {
    var all = [
        "", " ", ";", ";;;", "\n\n", "--", "-- only a comment", "(", ")", "((", "))", "(()", "\"", "'", "\"\"", "''",
        "events where", "events where (", "events where ((place = 1)", "events where place = \"", "events where place = 'x",
        "events where place = \"x\\", "events where x = \"a\\qb\"", "events where and", "events where or", "events where not",
        "events where not not", "events where = 1", "events where place =", "events where place = = 1", "events where place == == 1",
        "events where place !== 1", "events where place <=> 1", "events where place ! 1", "events select", "events select ,",
        "events select name,", "events select name,,place", "events order", "events order by", "events order by desc",
        "events limit", "events limit -1", "events limit 1.5", "events limit 99999999999999999999999", "events limit x",
        "count", "count by", "count events by", "count events by ,", "let", "let =", "let x", "let x =", "let 1 = events",
        "let where = events", "let events = people", "max", "max of", "max ordinal of", "max ordinal events", "sum name of events",
        "avg of events", "distinct", "participants of", "of events", "search", "search matches", "search 3", "search \"\"",
        "search matches \"(\"", "search matches \"[\"", "search \"x\" in", "search \"x\" in (", "why", "why 3", "describe",
        "describe 3", "describe nothing", "timeline", "timeline topics", "explain", "explain sql", "explain events",
        "explain sql search \"x\"", "events where name matches \"(\"", "events where name matches \"*\"", "events where name matches 3",
        "events where year = \"2025\"", "events where date = \"tomorrow\"", "events where date = 2025-13", "events where date = 2025-02-30",
        "events where date = 0000-00-00", "events where year between 1 and", "events where year between and 2",
        "events where participants = \"x\"", "events where year contains 2", "events where any place = 1", "events where all",
        "events where any", "events where place in", "events where place in (", "events where place in ()", "events where place in (,)",
        "events where (place, kind)", "events where $", "events where $1", "events where $nope = 1", "events where x.y = 1",
        "events where participants.nope = 1", "events where place.", "events where .place = 1", "events where lower(", "events where lower()",
        "events where lower(1, 2, 3) = 1", "events where nope(1) = 1", "events where len(len(len(name))) = 1", "events where -\"x\" = 1",
        "events where --", "evnts", "EVENTS", "Events where Place = 1", "events events", "events where place = 1 place",
        "events where place = 1 order by", "events; ; ; people", "events where place = 1 and and place = 2",
        "events where not (", "events where ()", "events where (())", "events where @", "events where #", "events where ~",
        "events where place = 'Xi'an'", "events where place = “Xi'an”", "events where place = «x»", "events\twhere\tplace\t=\t1",
        "events where place = \"x\" limit 0", "events where year = 1e999", "events where year = 1e308", "events where year = -0",
        "events where year = 0x10", "events where year = 1_000", "events where year = .5", "events where year = 5.",
        "select name from events", "SELECT * FROM events", "DROP TABLE events", "events; DROP TABLE events; --",
        "'; rm -rf / #", "$(reboot)", "`ls`", "events where name = \"$(reboot)\"", ".quit", ".output /etc/passwd",
        "events where name = \"\\u0000\"", "events where name = \"x\u{0}y\"", "events where \u{0}", "\u{FEFF}events",
        "events where name = \"\u{202E}gnp.exe\"", "événements", "事件", "events where place = \"西安\"",
        "events where year = " + String(repeating: "9", count: 400),
        "events where year = " + String(repeating: "1", count: 40),
        String(repeating: "(", count: 100_000),
        "events where " + String(repeating: "(", count: 100_000) + "x = 1" + String(repeating: ")", count: 100_000),
        "events where " + String(repeating: "not ", count: 100_000) + "x = 1",
        "events where " + String(repeating: "-", count: 100_000) + "1 = 1",
        "events where " + Array(repeating: "year = 1", count: 20_000).joined(separator: " or "),
        "events where place in (" + Array(repeating: "\"x\"", count: 50_000).joined(separator: ", ") + ")",
        "events where name = \"" + String(repeating: "a", count: 10_000_000) + "\"",
        String(repeating: "count events;", count: 2_000),
    ]
    // Every prefix of some valid statements: unclosed strings, parentheses and clauses of every kind.
    for valid in ["events where (place = \"Xi'an\" or kind in ('forum', 'talks')) and year >= 2023 select name order by date desc limit 3",
                  "count people where country = \"Russia\" by country order by count desc",
                  "max ordinal of events where ordinal is not null by kind",
                  "search matches \"Belt( and)? Road\" in documents where year = 2023 select match",
                  "let r = people where titles contains \"deputy\"",
                  "events where participants contains (people where country = \"Russia\") select participants.count as n"] {
        let chars = Array(valid)
        for cut in stride(from: 1, to: chars.count, by: 3) { all.append(String(chars[..<cut])) }
    }
    // Deterministic mutations: bytes swapped, dropped and inserted.
    var state: UInt64 = 2026
    func next() -> Int { state = state &* 6364136223846793005 &+ 1442695040888963407; return Int(state >> 33) }
    let base = Array("events where place = \"Moscow\" and year between 2020 and 2025 select name, date order by date")
    let noise: [Character] = ["(", ")", "\"", "'", ",", ";", "=", "<", ">", "!", "$", ".", "-", "\n", " ", "\u{0}", "é", "西"]
    for _ in 0..<80 {
        var s = base
        for _ in 0..<(1 + next() % 4) {
            let at = next() % s.count
            switch next() % 3 {
            case 0: s[at] = noise[next() % noise.count]
            case 1: s.remove(at: at)
            default: s.insert(noise[next() % noise.count], at: at)
            }
        }
        all.append(String(s))
    }
    return all
}()

@Test func hostileStatementsGiveClearErrorsOrResults() {
    #expect(hostileStatements.count >= 200)
    let engine = Engine(corpus: Fixture.corpus)
    var errors = 0
    for text in hostileStatements {
        let clock = ContinuousClock()
        let start = clock.now
        let (_, err, outcome) = Fixture.run(text, engine: engine)
        let elapsed = clock.now - start
        // Not a benchmark: a bound that catches a hang, also under the sanitizers.
        #expect(elapsed < .seconds(60), "took \(elapsed): \(text.prefix(80))")
        switch outcome {
        case .failed:
            errors += 1
            // WHERE:LINE:COL: error: MESSAGE, the line, a caret.
            let first = err.split(separator: "\n").first.map(String.init) ?? ""
            #expect(first.range(of: #"^-e:\d+:\d+: error: \S"#, options: .regularExpression) != nil, "no clear error for: \(text.prefix(80))\n\(err.prefix(300))")
            #expect(err.contains("^"), "no caret for: \(text.prefix(80))")
        case .ok:
            #expect(!err.contains("error:"), "\(text.prefix(80))")
        case .incomplete:
            Issue.record("incomplete outside the shell: \(text.prefix(80))")
        }
    }
    print("hostile statements: \(hostileStatements.count) run, \(errors) gave an error, \(hostileStatements.count - errors) a result")
}

/// A catastrophic regular expression on a long text stops at its budget with a clear error.
@Test func catastrophicRegularExpressionsAreBounded() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("coopq-regex-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    try ("Title\n\n" + String(repeating: "a", count: 50_000) + "!").write(to: dir.appendingPathComponent("long.txt"), atomically: true, encoding: .utf8)
    for statement in ["documents where text matches \"(a+)+$\"", "search matches \"(a+)+$\""] {
        let clock = ContinuousClock()
        let start = clock.now
        let run = try coopq(["--corpus", dir.path, "--no-cache", "-e", statement])
        #expect(clock.now - start < .seconds(30))
        #expect(run.status == 1, "\(statement): \(run.stderr)")
        #expect(run.stderr.contains("takes over 2 s on one text"), "\(run.stderr)")
        #expect(run.stderr.contains("repetition inside repetition"), "\(run.stderr)")
    }
}

/// NUL bytes and invalid UTF-8 in a script: a clear error naming the script, exit status 1.
@Test func scriptsWithNulAndInvalidBytes() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("coopq-bytes-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let nul = dir.appendingPathComponent("nul.coopq"), bad = dir.appendingPathComponent("bad.coopq")
    try Data("count events\nevents where\u{0} x\n".utf8).write(to: nul)
    try Data([0x63, 0x6F, 0x75, 0x6E, 0x74, 0x20, 0xFF, 0xFE, 0x0A]).write(to: bad)
    let a = try coopq([nul.path])
    #expect(a.status == 1)
    #expect(a.stderr.hasPrefix(nul.path + ":2:13: error: unexpected NUL byte"), "\(a.stderr)")
    let b = try coopq([bad.path])
    #expect(b.status == 1)
    #expect(b.stderr.hasPrefix(bad.path + ":1:7: error: "), "\(b.stderr)")
}
