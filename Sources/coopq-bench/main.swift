import CoopQ
import Foundation

/// coopq-bench: times queries over N synthetic events in process (no start-up, no printing),
/// and exports the same events to a SQLite file so sqlite3 and DuckDB answer the same questions.
///
///   coopq-bench --events 1000000 --sqlite /tmp/events.sqlite
///
/// Prints one line a query: `query<TAB>median milliseconds<TAB>rows`.

var count = 1_000_000
var sqlitePath: String?
var arguments = CommandLine.arguments.dropFirst()
while let a = arguments.popFirst() {
    switch a {
    case "--events": count = Int(arguments.popFirst() ?? "") ?? count
    case "--sqlite": sqlitePath = arguments.popFirst()
    default:
        FileHandle.standardError.write(Data("usage: coopq-bench [--events N] [--sqlite FILE]\n".utf8))
        exit(2)
    }
}

/// Deterministic events: kinds, places, years and participants drawn from fixed pools.
final class Random: @unchecked Sendable {
    var state: UInt64 = 42
    func next() -> Int {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Int(state >> 33)
    }
}
let random = Random()
func next() -> Int { random.next() }
let kinds = ["forum", "meeting", "talks", "roundtable", "summit", "expo", "signing", "visit"]
let places = [("Moscow", "Russia"), ("Beijing", "China"), ("Harbin", "China"), ("Xi'an", "China"), ("Kazan", "Russia"),
              ("Vladivostok", "Russia"), ("Hangzhou", "China"), ("St Petersburg", "Russia"), ("Shanghai", "China"), ("Novosibirsk", "Russia")]
let topicPool = ["trade", "energy", "agriculture", "investment", "logistics", "education", "tourism", "culture", "finance", "SMEs"]
var corpus = Corpus()
let peopleCount = 5000
for i in 0..<peopleCount {
    corpus.people.append(Person(name: "Person \(i)", country: i % 2 == 0 ? "China" : "Russia"))
}
corpus.events.reserveCapacity(count)
for i in 0..<count {
    let (place, country) = places[next() % places.count]
    var e = Event(name: "Event \(i)", kind: kinds[next() % kinds.count], ordinal: next() % 3 == 0 ? 1 + next() % 30 : nil,
                  date: PartialDate(year: 2015 + next() % 11, month: 1 + next() % 12, day: 1 + next() % 28),
                  place: place, country: country)
    e.participants = (0..<(2 + next() % 3)).map { _ in "Person \(next() % peopleCount)" }
    e.topics = (0..<(1 + next() % 3)).map { _ in topicPool[next() % topicPool.count] }
    e.documents = ["d\(i)"]
    corpus.events.append(e)
}

let clock = ContinuousClock()
var start = clock.now
let engine = Engine(corpus: corpus)
for c in Collection.allCases { _ = engine.table(c) }  // tables are made on first use: make them here, timed
func ms(_ d: Duration) -> Double { Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15 }
print("build tables\t\(String(format: "%.1f", ms(clock.now - start)))\t\(count)")

let queries = [
    ("filter", "count events where place = \"Moscow\""),
    ("filter2", "count events where year >= 2023 and kind = \"forum\""),
    ("list filter", "count events where \"Person 42\" in participants"),
    ("count by", "count events by year"),
    ("sub-query", "count events where participants contains (people where name = \"Person 7\")"),
]
for (label, text) in queries {
    guard case .query(let q) = try! Parser.parse(SourceFile(name: "-e", text: text)).first! else { continue }
    var times: [Double] = []
    var rows = 0
    for _ in 0..<5 {
        start = clock.now
        let t = try! engine.run(q)
        times.append(ms(clock.now - start))
        rows = t.rows.count
        if case .number(let n)? = t.rows.first?.last, t.rows.count == 1 { rows = Int(n) }
    }
    times.sort()
    print("\(label)\t\(String(format: "%.2f", times[2]))\t\(rows)\t\(text)\t\(try! engine.explainSQL(q).replacingOccurrences(of: "\n", with: " "))")
}
if let sqlitePath {
    try? FileManager.default.removeItem(atPath: sqlitePath)
    do { try Exporter.export(corpus, to: sqlitePath) } catch {
        FileHandle.standardError.write(Data("coopq-bench: \(error)\n".utf8))
        exit(1)
    }
}
