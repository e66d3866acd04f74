import CoopQ
import Testing

/// Each source parses and prints back as its canonical form.
@Test(arguments: [
    ("events", "events"),
    ("EVENTS WHERE place = 'Xi\\'an'", "EVENTS where place = \"Xi'an\""),
    ("events where place = \"Xi'an\" and year >= 2023", "events where place = \"Xi'an\" and year >= 2023"),
    ("events where a = 1 or b = 2 and c = 3", "events where a = 1 or b = 2 and c = 3"),
    ("events where (a = 1 or b = 2) and c = 3", "events where (a = 1 or b = 2) and c = 3"),
    ("events where not a = 1", "events where not a = 1"),
    ("events where not (a = 1 and b = 2)", "events where not (a = 1 and b = 2)"),
    ("events where kind in ('forum','roundtable')", "events where kind in (\"forum\", \"roundtable\")"),
    ("events where kind not in (\"forum\", \"talks\")", "events where kind not in (\"forum\", \"talks\")"),
    ("events where date between 2025-11-01 and 2025-11-30", "events where date between 2025-11-01 and 2025-11-30"),
    ("events where date not between 2025 and 2025-06", "events where date not between 2025 and 2025-06"),
    ("events where ordinal is null", "events where ordinal is null"),
    ("events where ordinal is not null", "events where ordinal is not null"),
    ("people where name matches \"^Li \"", "people where name matches \"^Li \""),
    ("events where \"Li Qiang\" in participants", "events where \"Li Qiang\" in participants"),
    ("events where participants contains (people where country = 'Russia')",
     "events where participants contains (people where country = \"Russia\")"),
    ("events where any participants in russians", "events where any participants in russians"),
    ("events where all topics in (\"trade\", \"energy\")", "events where all topics in (\"trade\", \"energy\")"),
    ("events where year = $year", "events where year = $year"),
    ("figures where value < -28", "figures where value < -28"),
    ("figures where value == 20", "figures where value = 20"),
    ("figures where value <> 20", "figures where value != 20"),
    ("count events", "count events"),
    ("count events by year", "count events by year"),
    ("count people by country order by count desc limit 2", "count people by country order by count desc limit 2"),
    ("events select name, date order by date desc, name limit 3", "events select name, date order by date desc, name limit 3"),
    ("let russians = people where country = \"Russia\"", "let russians = people where country = \"Russia\""),
    ("events -- a comment", "events"),
    ("events where\n  place = \"Moscow\"", "events where place = \"Moscow\""),
    ("events where year = 2025\n  and place = \"Moscow\"", "events where year = 2025 and place = \"Moscow\""),
    ("events where (\n place = \"Moscow\"\n)", "events where place = \"Moscow\""),
    ("events\n  order by date", "events order by date"),
    ("events select name, participants.count as n order by n desc", "events select name, participants.count as n order by n desc"),
    ("events where participants.country contains 'Russia'", "events where participants.country contains \"Russia\""),
    ("participants of events where ordinal = 30", "participants of events where ordinal = 30"),
    ("max ordinal of events by kind", "max ordinal of events by kind"),
    ("distinct place of events", "distinct place of events"),
    ("avg participants.count of events", "avg participants.count of events"),
    ("(participants of events) where country = 'Russia'", "(participants of events) where country = \"Russia\""),
    ("events where len(participants) >= 2", "events where len(participants) >= 2"),
    ("events where days_between(date, 2025-12-01) < 30", "events where days_between(date, 2025-12-01) < 30"),
    ("search 'Belt and Road'", "search \"Belt and Road\""),
    ("search matches \"Belt.*Road\" in documents where year = 2023", "search matches \"Belt.*Road\" in documents where year = 2023"),
    ("search \"x\" where year = 2023 select match limit 3", "search \"x\" where year = 2023 select match limit 3"),
    ("why events where ordinal = 30 select field, value", "why events where ordinal = 30 select field, value"),
    ("why events where ordinal = 30", "why events where ordinal = 30"),
    ("describe people", "describe people"),
    ("timeline events where country = 'China'", "timeline events where country = \"China\""),
])
func parsesToCanonicalForm(source: String, printed: String) throws {
    let statements = try Parser.parse(SourceFile(name: "-e", text: source))
    #expect(statements.count == 1)
    #expect(statements.map(Printer.print) == [printed])
}

/// Statements split at ';' and at the ends of complete lines.
@Test(arguments: [
    ("events; people", 2),
    ("events\npeople\n", 2),
    ("#!/usr/bin/env coopq\nevents\n\n-- note\ncount people;", 2),
    (";;events;;", 1),
    ("", 0),
    ("-- only a comment", 0),
    ("let r = people\nr where country = \"Russia\"", 2),
])
func splitsStatements(source: String, count: Int) throws {
    #expect(try Parser.parse(SourceFile(name: "-e", text: source)).count == count)
}

/// Syntax errors: the message, the column, and whether the REPL should ask for more input.
@Test(arguments: [
    ("events where", "unexpected end of input; expected a value or a field name", 13, true),
    ("events where (place = \"x\"", "unexpected end of input; expected ')' to close '(' at 1:14", 26, true),
    ("events where place = \"Xi'an", "unterminated string; expected \" to close it", 22, true),
    ("events where place = 1 and", "unexpected end of input; expected a value or a field name", 27, true),
    ("events where place = = 1", "unexpected '='; expected a value or a field name", 22, false),
    ("events limit x", "unexpected 'x'; expected a whole number after 'limit'", 14, false),
    ("events limit 1.5", "limit takes a whole number from 0 up, not 1.5", 14, false),
    ("events order date", "unexpected 'date'; expected 'by'", 14, false),
    ("events by year", "'by' groups a count or an aggregate; write 'count events by …'", 8, false),
    ("where place = 1", "unexpected 'where'; expected a collection such as 'events' or a statement", 1, false),
    ("events place", "unexpected 'place'; expected ';' or the end of the line after a complete statement", 8, false),
    ("events where date = 2025-13", "'2025-13' is not a date in the calendar", 21, false),
    ("events where date = 2025-02-30", "'2025-02-30' is not a date in the calendar", 21, false),
    ("events where x = $", "expected a parameter name after '$'", 18, false),
    ("events where x ! 1", "unexpected '!'; use 'not' or '!='", 16, false),
    ("events where x = 12abc", "'12abc' is neither a number nor a name", 18, false),
    ("let where = events", "'where' is a keyword and cannot name a result", 5, false),
    ("events where any place", "unexpected end of input; expected 'in', 'contains', '=' or another comparison after 'any place'", 23, true),
    ("events where x = \"a\\q\"", "unknown escape '\\q' in string; write '\\\\' for a backslash", 20, false),
    ("events where x = 1 @", "unexpected character '@'", 20, false),
    ("max ordinal events", "unexpected 'events'; expected 'of' and a collection after 'max ordinal'", 13, false),
    ("participants of", "unexpected end of input; expected a collection after 'of'", 16, true),
    ("search", "unexpected end of input; expected a phrase in quotes after 'search'", 7, true),
    ("search matches 3", "unexpected number 3; expected a regular expression in quotes", 16, false),
    ("describe", "unexpected end of input; expected a collection after 'describe'", 9, true),
    ("search \"x\" in", "unexpected end of input; expected a collection after 'in'", 14, true),
    ("events where lower(name", "unexpected end of input; expected ')' to close 'lower(' at 1:19", 24, true),
    ("events select participants.", "unexpected end of input; expected a field name after '.'", 28, true),
])
func syntaxErrors(source: String, message: String, column: Int, incomplete: Bool) {
    let file = SourceFile(name: "-e", text: source)
    do {
        _ = try Parser.parse(file)
        Issue.record("expected an error for \(source)")
    } catch {
        #expect(error.message == message)
        #expect(file.location(of: error.range.start).column == column)
        #expect(error.isIncompleteInput == incomplete)
    }
}

@Test func nestingIsBounded() {
    let deep = "events where " + String(repeating: "(", count: 100_000) + "x = 1" + String(repeating: ")", count: 100_000)
    do {
        _ = try Parser.parse(SourceFile(name: "-e", text: deep))
        Issue.record("expected a nesting error")
    } catch {
        #expect(error.message == "nesting is deeper than \(Parser.maximumDepth) levels")
    }
    let notChain = "events where " + String(repeating: "not ", count: 50_000) + "x = 1"
    #expect(throws: Diagnostic.self) { try Parser.parse(SourceFile(name: "-e", text: notChain)) }
}
