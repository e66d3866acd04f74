import CoopQ
import Foundation
import Testing

/// The inputs the fuzzers found interesting (Fuzz/corpus, grown by `make fuzz`), replayed:
/// every statement ends in a result or a diagnostic, every article is extracted.
@Test func fuzzCorpusOfStatementsReplays() throws {
    let folder = Fixture.root.appendingPathComponent("Fuzz/corpus/query")
    let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
    #expect(files.count >= 40)
    let engine = Engine(corpus: Fixture.corpus)
    for name in files {
        let data = try Data(contentsOf: folder.appendingPathComponent(name))
        let (_, err, outcome) = Fixture.run(String(decoding: data, as: UTF8.self), engine: engine)
        if outcome == .failed { #expect(err.contains("error:"), "\(name)") }
    }
    print("fuzz replay: \(files.count) statements")
}

@Test func fuzzCorpusOfArticlesReplays() throws {
    let folder = Fixture.root.appendingPathComponent("Fuzz/corpus/article")
    let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
    #expect(files.count >= 9)
    var articles: [CorpusLoader.Article] = []
    for name in files {
        articles.append(CorpusLoader.Article(id: name, path: name, bytes: [UInt8](try Data(contentsOf: folder.appendingPathComponent(name)))))
    }
    let corpus = CorpusLoader.corpus(from: articles)
    #expect(corpus.documents.count == files.count)
    for c in Collection.allCases { _ = corpus.table(c) }
    print("fuzz replay: \(files.count) articles")
}
