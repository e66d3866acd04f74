import CoopQ
import Foundation
import Testing

/// Every example in grammar/coopq.ebnf parses: the grammar is the authority.
@Test func grammarExamplesParse() throws {
    let grammar = try String(contentsOf: Fixture.root.appendingPathComponent("grammar/coopq.ebnf"), encoding: .utf8)
    let examples = grammar.split(separator: "\n").compactMap { line -> String? in
        guard line.hasPrefix("(* example: "), line.hasSuffix(" *)") else { return nil }
        return String(line.dropFirst("(* example: ".count).dropLast(3))
    }
    #expect(examples.count >= 15)
    for example in examples {
        #expect(throws: Never.self, "\(example)") { try Parser.parse(SourceFile(name: "grammar", text: example)) }
    }
}

/// Every keyword the lexer knows is listed in the grammar.
@Test func grammarListsEveryKeyword() throws {
    let grammar = try String(contentsOf: Fixture.root.appendingPathComponent("grammar/coopq.ebnf"), encoding: .utf8)
    let line = grammar.components(separatedBy: "(* Keywords:").last?.components(separatedBy: "*)").first ?? ""
    let listed = Set(line.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init))
    #expect(listed == keywords)
}

/// The saved scripts of examples/, and what their `-- expect:` lines say.
func exampleScripts() throws -> [URL] {
    try FileManager.default.contentsOfDirectory(at: Fixture.root.appendingPathComponent("examples"), includingPropertiesForKeys: nil)
        .filter { $0.pathExtension == "coopq" }.sorted { $0.path < $1.path }
}

@Test func exampleScriptsParse() throws {
    let scripts = try exampleScripts()
    #expect(scripts.count >= 3)
    for url in scripts {
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(throws: Never.self, "\(url.lastPathComponent)") { try Parser.parse(SourceFile(name: url.path, text: text)) }
    }
}

/// Each example runs with the built binary (CSV output) and prints every `-- expect:` line,
/// in order.
@Test func exampleScriptsKeepTheirPromises() throws {
    for url in try exampleScripts() {
        let text = try String(contentsOf: url, encoding: .utf8)
        let expected = text.split(separator: "\n").compactMap { line -> String? in
            let t = line.drop { $0 == " " }
            return t.hasPrefix("-- expect: ") ? String(t.dropFirst("-- expect: ".count)) : nil
        }
        #expect(!expected.isEmpty, "\(url.lastPathComponent) has no -- expect: lines")
        let run = try coopq(["--format", "csv", url.path])
        #expect(run.status == 0, "\(url.lastPathComponent): \(run.stderr)")
        #expect(run.stderr == "")
        var remaining = lines(run.stdout)[...]
        for line in expected {
            guard let i = remaining.firstIndex(of: line) else {
                Issue.record("\(url.lastPathComponent): expected line not printed (in order): \(line)\n--- output:\n\(run.stdout)")
                break
            }
            remaining = remaining[(i + 1)...]
        }
    }
}
