@testable import CoopQ
import Foundation
import Testing

/// The rule files' cases (`Fixtures/rules/*.txt`): each paragraph of sentences is read as an
/// article, and the events it yields must be its `-- expect:` lines, no more and no fewer. In
/// `header.txt` a case is one line of a page's header, and what it yields is the header read.
@Suite struct RuleFiles {
    struct Case: CustomStringConvertible {
        var file: String
        var line: Int
        var text: String
        var expected: [String]
        var description: String { "\(file):\(line)" }
    }

    static func cases() -> [Case] {
        let folder = Fixture.root.appendingPathComponent("Tests/CoopQTests/Fixtures/rules")
        var found: [Case] = []
        for name in ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted() where name.hasSuffix(".txt") {
            let text = (try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)) ?? ""
            var current: Case?
            for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                if line.hasPrefix("#") { continue }
                if line.trimmingCharacters(in: .whitespaces).isEmpty {
                    if let c = current { found.append(c); current = nil }
                    continue
                }
                if line.hasPrefix("-- expect: ") {
                    let said = String(line.dropFirst("-- expect: ".count))
                    if said != "nothing" { current?.expected.append(said) }
                } else if current == nil {
                    current = Case(file: name, line: n + 1, text: String(line), expected: [])
                } else {
                    current!.text += " " + line
                }
            }
            if let c = current { found.append(c) }
        }
        return found
    }

    static func yields(_ c: Case) -> [String] {
        c.file == "header.txt" ? headerYields(c.text) : yields(c.text)
    }

    /// A header line, under a title and over a paragraph: the date, source and authors read, and
    /// the rules that read them.
    static func headerYields(_ line: String) -> [String] {
        let article = "Rule case\n" + line + "\n\nRepresentatives of small businesses met in the city.\n"
        let header = HeaderParser.parse(Array(article.utf8))
        var said: [String] = []
        if let d = header.date { said.append("date \(d)") }
        if let s = header.source { said.append("source " + s) }
        for a in header.authors { said.append("author " + a) }
        said += header.rules.map { "rule " + $0 }
        return said.isEmpty ? [] : [said.joined(separator: " | ")]
    }

    static func yields(_ text: String) -> [String] {
        let article = "Rule case\n\nMOSCOW, May 17, 2024 (Xinhua) -- " + text + "\n"
        let corpus = CorpusLoader.corpus(from: [CorpusLoader.Article(id: "case", path: "case.txt", bytes: Array(article.utf8))])
        return corpus.events.map { e in
            [e.name, e.kind, e.date?.description ?? "", e.participants.joined(separator: "; "), "rule " + (e.rule ?? "")].joined(separator: " | ")
        }
    }

    @Test(arguments: cases())
    func yieldsWhatItExpects(_ c: Case) {
        #expect(RuleFiles.yields(c) == c.expected, "\(c.file):\(c.line)")
    }

    @Test func everyRuleHasACase() {
        let cases = RuleFiles.cases().flatMap(\.expected)
        for rule in RuleBook.shared.rules {
            #expect(cases.contains { $0.hasSuffix("| rule " + rule.name) }, "rule '\(rule.name)' (\(rule.file):\(rule.line)) has no case")
        }
    }

    /// `why documents` names the header rule that read a field; the built-in readings name none.
    @Test func whyNamesTheHeaderRule() {
        let article = "Report\nSource: TASS | 17 May 2024, 10:32\n\nRepresentatives of small businesses met in Kazan.\n"
        let corpus = CorpusLoader.corpus(from: [CorpusLoader.Article(id: "a", path: "a.txt", bytes: Array(article.utf8))])
        nonisolated(unsafe) var out = ""
        let runner = Runner(engine: Engine(corpus: corpus), style: OutputStyle(format: .csv), write: { out += $0 }, writeError: { _ in })
        _ = runner.run(SourceFile(name: "-e", text: "why documents select field, rule"))
        #expect(out == "field,rule\r\ntitle,\r\ndate,source-then-date\r\nsource,source-then-date\r\nplace,\r\n")
    }

    /// A rule file that is wrong says where and what.
    @Test(arguments: [
        ("rule a\n  match x:PERSON met\n", "t.rules:1: rule 'a' produces nothing"),
        ("rule a\n  event kind \"k\" name \"n\"\n", "t.rules:1: rule 'a' has no match line"),
        ("rule a\n  match (met\n  event kind \"k\" name \"n\"\n", "t.rules:1: rule 'a': a '(' is not closed at column 5"),
        ("rule a\n  match x:PERSON met\n  event kind \"k\" name \"{y}\"\n", "t.rules:1: rule 'a' names 'y', which its pattern does not capture"),
        ("rule a\n  match Met\n  event kind \"k\" name \"n\"\n", "t.rules:1: rule 'a': 'Met' is neither a word (written in lower case) nor a class at column 4"),
        ("rule a\n  match x:DATE\n  header day x\n", "t.rules:3: 'day' is no header field (date, source, author, title, place)"),
        ("rule a\n  match x:DATE\n  header date\n", "t.rules:3: a header production is pairs of a field and a capture"),
        ("match met\n", "t.rules:1: expected 'rule NAME', 'match PATTERN', 'event ...' or 'header ...', not 'match'"),
        ("rule a\n  match met\n  event kind \"k\" name \"n\"\nrule a\n  match meet\n  event kind \"k\" name \"n\"\n", "t.rules:4: a second rule named 'a'"),
    ])
    func wrongRuleFiles(text: String, message: String) {
        var book = RuleBook()
        #expect { try book.read(text, file: "t.rules") } throws: { "\($0)" == message }
    }

    /// The trigger of a pattern: words one of which every match holds.
    @Test(arguments: [
        ("x:PERSON (held | had) (a | an)? (call | conversation) with y:PERSON", ["call", "conversation"]),
        ("x:PERSON met", ["met"]),
        ("x:PERSON CAP+", nil),
        ("(signed | inked) ORD?", ["signed", "inked"]),
    ] as [(String, Set<String>?)])
    func triggers(pattern: String, words: Set<String>?) throws {
        #expect(try TokenPattern(pattern).triggerWords == words)
    }
}
