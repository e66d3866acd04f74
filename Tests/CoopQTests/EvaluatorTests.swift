@testable import CoopQ
import Testing

/// Queries over the bundled corpus and the rows they must give (CSV lines, header first).
@Test(arguments: [
    ("count documents", ["count", "5"]),
    ("documents where year = 2016 select id", ["id", "004_d3749875af8c09c3"]),
    ("documents where place = \"xian\" select id", ["id", "000_964d059a952dc952"]),
    ("documents where place = \"XI'AN\" select id", ["id", "000_964d059a952dc952"]),
    ("documents where place = \"St. Petersburg\" select place", ["place", "St Petersburg"]),
    ("documents where source is null select id", ["id", "002_76622d5c096e0f0c", "004_d3749875af8c09c3"]),
    ("documents where date >= 2025-11-19 select id order by date", ["id", "001_bea99e124d130d57", "000_964d059a952dc952"]),
    ("documents where date = 2025-11 select id order by id",
     ["id", "000_964d059a952dc952", "001_bea99e124d130d57", "003_43b137276f00a399"]),
    ("documents where date between 2016 and 2023 select id order by id", ["id", "002_76622d5c096e0f0c", "004_d3749875af8c09c3"]),
    ("documents where text contains \"Belt and Road\" select id", ["id", "002_76622d5c096e0f0c"]),
    ("documents where text contains \"belt AND road\" select id", ["id", "002_76622d5c096e0f0c"]),
    ("documents where author contains \"Gao Jie\" select id", ["id", "003_43b137276f00a399"]),
    ("people where name matches \"^Li \" select name order by name",
     ["name", "Li Hongzhong", "Li Keqiang", "Li Qiang"]),
    ("people where name = \"li qiang\" select documents", ["documents", "001_bea99e124d130d57; 003_43b137276f00a399"]),
    ("people where country = \"Russia\" and titles contains \"deputy\" select name order by name",
     ["name", "Alexey Chepa", "Nikolai Zhuravlev"]),
    ("people where \"Prime Minister\" in titles select name order by name", ["name", "Dmitry Medvedev", "Mikhail Mishustin"]),
    ("people where name = \"Li\" select name", ["name"]),
    ("people where titles contains \"Li\" select name", ["name"]),
    ("events where ordinal = 30 select name, documents",
     ["name,documents", "30th regular meeting of the Chinese and Russian heads of government,001_bea99e124d130d57; 003_43b137276f00a399"]),
    ("events where place = \"Xi'an\" and year >= 2023 and ordinal is not null select ordinal", ["ordinal", "6"]),
    ("events where ordinal between 24 and 30 select ordinal order by ordinal desc", ["ordinal", "30", "24"]),
    ("events where ordinal in (6, 10) select ordinal order by ordinal", ["ordinal", "6", "10"]),
    ("events where \"Li Qiang\" in participants and ordinal is not null select ordinal order by ordinal", ["ordinal", "24", "30"]),
    ("organizations where name = \"SCO\" select name", ["name", "Shanghai Cooperation Organization"]),
    ("organizations where name = \"EAEU\" select name", ["name", "Eurasian Economic Union"]),
    ("count people by country order by count desc limit 2", ["country,count", "China,7", "Russia,6"]),
    ("count documents by source", ["source,count", "China Daily,1", "Xinhua,2", ",2"]),
    ("people where country = \"Russia\" select name order by name limit 1", ["name", "Alexey Chepa"]),
    ("people where not country = \"Russia\" and country is not null select name order by name limit 1", ["name", "Li Hongzhong"]),
    ("people where country != \"China\" select name order by name limit 1", ["name", "Alexey Chepa"]),
    ("figures where unit = \"percent\" and value < 0 select value", ["value", "-28.1"]),
    ("let russians = people where country = \"Russia\"\ncount russians", ["count", "6"]),
    ("let russians = people where country = \"Russia\"\nrussians where titles contains \"Prime Minister\" select name order by name",
     ["name", "Dmitry Medvedev", "Mikhail Mishustin"]),
    ("let russians = people where country = \"Russia\"\nevents where any participants in russians and ordinal = 30 select ordinal",
     ["ordinal", "30"]),
    ("events where participants contains (people where name = \"Dmitry Medvedev\") select kind", ["kind", "press conference"]),
    ("events where all participants in (people where country = \"Russia\") and participants is not null select name", ["name"]),
    ("events where ordinal = 30 select participants.count, participants.country",
     ["participants.count,participants.country", "2,China; Russia"]),
    ("events where participants.country contains \"Russia\" and ordinal is not null select ordinal order by ordinal",
     ["ordinal", "6", "10", "30"]),
    ("events where ordinal is not null select ordinal, len(participants) as n order by n desc, ordinal limit 2", ["ordinal,n", "10,5", "6,3"]),
    ("participants of events where ordinal = 30 select name, country order by name",
     ["name,country", "Li Qiang,China", "Mikhail Mishustin,Russia"]),
    ("(participants of events where ordinal = 10) where country = \"Russia\" select name order by name",
     ["name", "Alexey Chepa", "Sergei Mironov"]),
    ("people where events contains (events where kind = \"forum\") select name", ["name", "Li Hongzhong", "Nikolai Zhuravlev", "Boris Titov"]),
    ("events where participants contains (people where country = \"Russia\") and ordinal = 30 select name",
     ["name", "30th regular meeting of the Chinese and Russian heads of government"]),
    ("max ordinal of events where ordinal is not null by kind order by max_ordinal desc limit 2", ["kind,max_ordinal", "meeting,30", "roundtable,10"]),
    ("min date of events", ["min_date", "2016-11-07"]),
    ("sum value of figures where unit = \"percent\"", ["sum_value", "-8.1"]),
    ("avg ordinal of events where ordinal is not null", ["avg_ordinal", "14.8"]),
    ("distinct country of people", ["country", "China", "Russia"]),
    ("count events where year = 2016 by year, kind", ["year,kind,count", "2016,press conference,1"]),
    ("count documents by year order by count desc, year limit 1", ["year,count", "2025,3"]),
    ("events where ordinal = 6 select lower(kind), upper(place), year(date), month(date), days_between(date, 2025-12-01)",
     ["lower(kind),upper(place),year(date),month(date),\"days_between(date, 2025-12-01)\"", "forum,XI'AN,2025,11,7"]),
    ("events where ordinal = 30 select place.region, documents.count", ["place.region,documents.count", "Zhejiang,2"]),
    ("search \"Eurasian Economic Union\"", ["document,date,offset,before,match,after",
      "002_76622d5c096e0f0c,2023-07-20,1503,The Russian side will use the opportunities provided by the ,Eurasian Economic Union, and the Belt and Road Initiative to fully utilize the excha",
      "002_76622d5c096e0f0c,2023-07-20,4717,f the Docking Cooperation between the Belt and Road and the ,Eurasian Economic Union,\",” attracted over 100 enterprises from both China and Russia\""]),
    ("search matches \"belt and road( initiative)?\" in documents where year = 2023 select match",
     ["match", "Belt and Road Initiative", "Belt and Road Initiative", "Belt and Road Initiative", "Belt and Road", "Belt and Road"]),
    ("search \"Mishustin\" in events where ordinal = 30 select document", ["document", "001_bea99e124d130d57", "001_bea99e124d130d57",
      "001_bea99e124d130d57", "001_bea99e124d130d57", "001_bea99e124d130d57", "003_43b137276f00a399",
      "003_43b137276f00a399", "003_43b137276f00a399", "003_43b137276f00a399", "003_43b137276f00a399", "003_43b137276f00a399"]),
    ("why events where ordinal = 6 select field, value", ["field,value", "name,6th China-Russia Small and Medium-sized Enterprises Forum",
      "date,\"Nov. 24, 2025\"", "place,Xi'an", "participants,Li Hongzhong", "participants,Nikolai Zhuravlev", "participants,Boris Titov"]),
    ("describe figures select field, records", ["field,records", "id,4", "value,4", "unit,4", "measure,4", "year,4", "documents,4", "evidence,4"]),
    ("timeline events where year = 2016 select date, name", ["date,name", "2016-11-07,Li Keqiang and Dmitry Medvedev meet the press"]),
])
func queryGivesRows(query: String, expected: [String]) {
    let (out, err, outcome) = Fixture.run(query)
    #expect(!err.contains("error:"), "\(err)")
    #expect(outcome == .ok)
    #expect(lines(out) == expected, "\(query)")
    // The same through the columns, as a big corpus would run it.
    let columnar = Engine(corpus: Fixture.corpus)
    columnar.columnarThreshold = 0
    let (again, _, _) = Fixture.run(query, engine: columnar)
    #expect(lines(again) == expected, "columnar: \(query)")
}

@Test func parametersBindValues() {
    let (out, _, outcome) = Fixture.run("documents where year = $y select id", parameters: ["y": Runner.parameterValue("2016")])
    #expect(outcome == .ok)
    #expect(lines(out) == ["id", "004_d3749875af8c09c3"])
    #expect(Runner.parameterValue("2016") == .number(2016))
    #expect(Runner.parameterValue("2025-11") == .date(PartialDate(year: 2025, month: 11)))
    #expect(Runner.parameterValue("Xi'an") == .string("Xi'an"))
}

@Test func nullNeverEquals() {
    #expect(lines(Fixture.run("documents where source = \"\" select id").out) == ["id"])
    #expect(lines(Fixture.run("count documents where not source = \"Xinhua\"").out) == ["count", "1"])
}

/// Every output format prints the same rows.
@Test func outputFormats() {
    let q = "people where name = \"Li Qiang\" select name, titles, documents"
    #expect(Fixture.run(q, format: .json).out
            == "[{\"name\":\"Li Qiang\",\"titles\":[\"Premier\"],\"documents\":[\"001_bea99e124d130d57\",\"003_43b137276f00a399\"]}]\n")
    #expect(Fixture.run(q, format: .jsonl).out
            == "{\"name\":\"Li Qiang\",\"titles\":[\"Premier\"],\"documents\":[\"001_bea99e124d130d57\",\"003_43b137276f00a399\"]}\n")
    #expect(Fixture.run(q, format: .csv).out == "name,titles,documents\r\nLi Qiang,Premier,001_bea99e124d130d57; 003_43b137276f00a399\r\n")
    #expect(Fixture.run(q, format: .tsv).out == "name\ttitles\tdocuments\nLi Qiang\tPremier\t001_bea99e124d130d57; 003_43b137276f00a399\n")
    #expect(Fixture.run(q, format: .markdown).out
            == "| name | titles | documents |\n| --- | --- | --- |\n| Li Qiang | Premier | 001_bea99e124d130d57, 003_43b137276f00a399 |\n")
    #expect(Fixture.run(q, format: .table).out == """
        name      titles   documents
        --------  -------  ------------------------------------------
        Li Qiang  Premier  001_bea99e124d130d57, 003_43b137276f00a399
        (1 row)

        """)
    #expect(Fixture.run("documents where year = 1900", format: .json).out == "[]\n")
    #expect(Fixture.run("documents where year = 1900 select id", format: .csv).out == "id\r\n")
}

@Test func csvQuotesWhatNeedsIt() {
    let out = Fixture.run("people where name = \"Boris Titov\" select titles").out
    #expect(out == "titles\r\n\"chairman of the Russian side of the China-Russia Committee for Friendship, Peace and Development\"\r\n")
}

/// Each output format escapes what it must, on bytes: a CRLF (one character, two bytes) is a
/// line break to CSV and two escapes to JSON and TSV.
@Test(arguments: [
    ("plain", "plain", #""plain""#, "plain"),
    ("a,b", #""a,b""#, #""a,b""#, "a,b"),
    (#"say "hi""#, #""say ""hi""""#, #""say \"hi\"""#, #"say "hi""#),
    ("one\r\ntwo", "\"one\r\ntwo\"", #""one\r\ntwo""#, #"one\r\ntwo"#),
    ("tab\there", "tab\there", #""tab\there""#, #"tab\there"#),
    ("bell\u{7}", "bell\u{7}", #""bell\u0007""#, "bell\u{7}"),
    (#"back\slash"#, #"back\slash"#, #""back\\slash""#, #"back\\slash"#),
    ("中俄 — Über", "中俄 — Über", #""中俄 — Über""#, "中俄 — Über"),
])
func fieldsAreEscapedForEachFormat(raw: String, csv: String, json: String, tsv: String) {
    #expect(Formatter.csvField(raw) == csv)
    #expect(Formatter.jsonString(raw) == json)
    #expect(Formatter.tsvField(raw) == tsv)
}

/// A statement that does not name `evidence` runs over lean tables (their evidence left empty);
/// one that does, run after it in the same engine, still reads every sentence: through a
/// collection, a named result, and the records a field names.
@Test(arguments: [
    ("events where ordinal = 30", "events where ordinal = 30 select evidence"),
    ("let thirtieth = events where ordinal = 30; count thirtieth", "thirtieth select evidence"),
    ("participants of (events where ordinal = 30)", "participants of (events where ordinal = 30) select evidence limit 1"),
    ("count people where country = \"Russia\"", "people where name = \"Li Qiang\" select evidence"),
])
func evidenceIsReadAfterLeanStatements(lean: String, withEvidence: String) {
    let engine = Engine(corpus: Fixture.corpus)
    #expect(Fixture.run(lean, engine: engine).outcome == .ok)
    let (out, err, outcome) = Fixture.run(withEvidence, engine: engine)
    #expect(outcome == .ok, "\(err)")
    let rows = lines(out).dropFirst()
    #expect(!rows.isEmpty)
    for row in rows { #expect(row.contains(": "), "an evidence cell names its document and sentence: \(row)") }
}

/// The column store's bulk list filters (a flat scan of every element, sixteen at a time for one
/// id, a row found by galloping) keep exactly the rows that its row-by-row test keeps (`not (not
/// …)` has no bulk form, so it answers the same question row by row) and that the records'
/// evaluator keeps. Thousands of events, so
/// that scans cross blocks of 16 and blocks of rows; lists that are empty, long, or name one
/// person twice; people met in one event, in a few, and in most.
@Test(arguments: [
    "\"Person 3\" in participants",
    "\"Person 0\" in participants",
    "\"Nobody\" in participants",
    "participants contains \"Person 17\"",
    "participants contains \"Person 21\"",
    "participants contains (people where name = \"Person 25\")",
    "participants contains (people where country = \"Russia\")",
    "participants contains (people where name = \"Nobody\")",
    "\"Person 19\" in participants and kind = \"forum\"",
])
func bulkListFiltersAgreeWithRowByRow(filter: String) throws {
    var corpus = Corpus()
    for i in 0..<40 { corpus.people.append(Person(name: "Person \(i)", country: i % 2 == 0 ? "China" : "Russia")) }
    var state: UInt64 = 7
    func next(_ n: Int) -> Int {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Int(state >> 33) % n
    }
    for i in 0..<6000 {
        var e = Event(name: "Event \(i)", kind: i % 3 == 0 ? "forum" : "talks")
        // Person 0 is in most events; Person 3 in every 997th; others at random, some twice in a row.
        let length = [0, 1, 2, 3, 5, 9, 40][next(7)]
        e.participants = (0..<length).map { _ in "Person \(10 + next(30))" }
        if i % 4 != 0 { e.participants.append("Person 0") }
        if i % 997 == 0 { e.participants.insert("Person 3", at: 0) }
        if i % 5 == 0, let first = e.participants.first { e.participants.append(first) }
        corpus.events.append(e)
    }
    // Columns from the first query (not the second, as by default), and never.
    let columns = Engine(corpus: corpus)
    columns.columnarThreshold = 0
    let records = Engine(corpus: corpus)
    records.columnarThreshold = .max
    for statement in ["count events where \(filter)", "events where \(filter) select name"] {
        let bulk = Fixture.run(statement, engine: columns)
        let rowByRow = Fixture.run(statement.replacingOccurrences(of: "where \(filter)", with: "where not (not (\(filter)))"), engine: columns)
        let evaluated = Fixture.run(statement, engine: records)
        // Nothing is an error; a name no record has gets the same note every way.
        #expect(bulk.outcome == .ok && bulk.err == evaluated.err)
        #expect(bulk.out == rowByRow.out, "\(statement): bulk and row by row")
        #expect(bulk.out == evaluated.out, "\(statement): bulk and the records' evaluator")
    }
    let rows = Fixture.run("events where \(filter) select name", engine: records)
    #expect(rows.out.count > 5 || filter.contains("Nobody"), "the filter keeps some rows")
}

/// A phrase searched for on bytes (sixteen places at a time, then eight, then one) finds what
/// a plain place-by-place comparison finds, ignoring ASCII case, not overlapping: phrases of
/// one to twenty bytes, at the start, at the end and across every step's edge, in texts whose
/// lengths cross those edges, with the phrase's capitals, near misses and runs that overlap.
@Test(arguments: ["e", "en", "energy", "SME", "aa", "a a", "-", "xi'an", "{", "@", "`z", "forum in harbin", "abcdefghijklmnopqrst"])
func asciiSearchFindsWhatAPlainComparisonFinds(phrase: String) throws {
    let matcher = try TextMatcher(phrase, isRegex: false, range: SourceRange(0, 0), budget: RegexBudget())
    #expect(matcher.isASCIIPhrase)
    let needle = Array(phrase.lowercased().utf8)
    func plain(_ h: [UInt8]) -> [Range<Int>] {
        var found: [Range<Int>] = [], i = 0
        while i + needle.count <= h.count {
            if (0..<needle.count).allSatisfy({ k in (h[i + k] >= 65 && h[i + k] <= 90 ? h[i + k] + 32 : h[i + k]) == needle[k] }) {
                found.append(i..<(i + needle.count)); i += needle.count
            } else { i += 1 }
        }
        return found
    }
    var state: UInt64 = 7
    func next(_ n: Int) -> Int {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Int(state >> 33) % n
    }
    // Bytes the phrase is made of, in both cases, and a few others.
    let alphabet = Array(Set(Array(phrase.lowercased().utf8) + Array(phrase.uppercased().utf8) + Array(" .x\n".utf8)))
    var texts: [[UInt8]] = []
    for length in [0, 1, 7, 8, 9, 15, 16, 17, 18, 24, 31, 32, 33, 40, 100, 257] {
        for _ in 0..<12 { texts.append((0..<length).map { _ in alphabet[next(alphabet.count)] }) }
        // The phrase at every place of a blank text of this length.
        for at in stride(from: 0, through: max(0, length - needle.count), by: 1) where length >= needle.count {
            var t = [UInt8](repeating: 0x20, count: length)
            let cased = next(2) == 0 ? Array(phrase.uppercased().utf8) : needle
            t.replaceSubrange(at..<(at + needle.count), with: cased)
            texts.append(t)
        }
    }
    for t in texts {
        let found = t.withUnsafeBufferPointer { matcher.asciiMatches(in: $0) }
        #expect(found == plain(t), "\(String(decoding: t, as: UTF8.self).debugDescription)")
    }
}

/// A snippet put on one line on its bytes reads as one put on one line character by character.
@Test(arguments: ["plain", "a\r\nb", "a\nb", "a\tb", "a\rb", "\r\r\n", "\n\n", "\r\n\r\n", "é\n\u{301}x", "x\u{301}\ty", "Харбин\r\nМосква", "\t", ""])
func oneLineIsCharacterWise(text: String) {
    let characterWise = String(text.map { $0 == "\n" || $0 == "\r\n" || $0 == "\t" ? " " : $0 })
    #expect(Engine.oneLine(Substring(text)) == characterWise)
    #expect(Engine.oneLine(Substring(text)).utf8.elementsEqual(characterWise.utf8))
}

/// The keys a statement's evaluator remembers are each string's own: strings of one length,
/// shared and copied, short and long, that differ only at their start or only at their end,
/// met again and again in a 256-slot memo.
@Test func keyMemoGivesEachStringItsOwnKey() {
    let memo = KeyMemo(matchKey)
    let formats = ["Place %04d", "%04d-place", "A Place With A Long Name %04d", "%04d, a place with a long name"]
    let strings = (0..<3000).map { String(format: formats[$0 % formats.count], $0) }
    var wrong = 0
    for round in 0..<3 {
        for (i, s) in strings.enumerated() {
            let copy = String(decoding: Array(s.utf8), as: UTF8.self)
            for t in [s, copy, strings[(i * 7 + round) % strings.count]] where memo(t) != matchKey(t) { wrong += 1 }
        }
    }
    #expect(wrong == 0)
}
