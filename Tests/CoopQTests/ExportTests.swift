import BundledCorpus
@testable import CoopQ
import Foundation
import Testing

/// A folder export is one set: a reader sees one corpus's tables or the other's, never a mix, and a
/// failed or interrupted export leaves the folder as it was and nothing beside it.
@Suite struct FolderExports {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("coopq-export-set-\(UUID().uuidString)").path
    var folder: String { dir + "/tables" }

    init() throws { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }

    func contents(_ path: String) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: path) {
            files[name] = try Data(contentsOf: URL(fileURLWithPath: path + "/" + name))
        }
        return files
    }

    var oneArticle: Corpus {
        CorpusLoader.corpus(from: [CorpusLoader.Article(id: "one", path: "one.txt", bytes: Array("Talks held in Kazan\n\nMOSCOW, May 5 -- Talks were held.\n".utf8))])
    }

    /// Interrupted after the first, the fifth and the twentieth table (a Ctrl-C, as the shell asks
    /// it): every file is the first export's, and no draft is left.
    @Test(arguments: [1, 5, 20])
    func anInterruptedExportChangesNothing(after tables: Int) throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Exporter.export(Fixture.corpus, to: folder)
        let before = try contents(folder)
        var asked = 0
        do {
            try Exporter.export(oneArticle, to: folder, isCancelled: { asked += 1; return asked > tables })
            Issue.record("the export was not interrupted")
        } catch {
            #expect(error.description.contains("interrupted"), "\(error)")
            #expect(error.description.contains("the folder is unchanged"), "\(error)")
        }
        #expect(try contents(folder) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["tables"])
    }

    @Test func aCompleteExportReplacesEveryTable() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Exporter.export(Fixture.corpus, to: folder)
        try Exporter.export(oneArticle, to: folder + "/")
        let documents = try String(contentsOfFile: folder + "/documents.csv", encoding: .utf8)
        #expect(documents.split(separator: "\r\n").count == 2)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["tables"])
    }

    /// A folder that holds other files is not replaced: they would be lost with it.
    @Test func aFolderWithOtherFilesIsRefused() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Data("mine".utf8).write(to: URL(fileURLWithPath: folder + "/notes.txt"))
        #expect { try Exporter.export(oneArticle, to: folder) } throws: { error in
            "\(error)".contains("it holds 'notes.txt', which no export wrote")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["notes.txt"])
    }

    /// What an export killed half-way left (a draft folder named for a process that is gone) is
    /// removed by the next export; a live process's is left alone.
    @Test func draftsOfKilledExportsAreRemoved() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let gone = Process()
        gone.executableURL = URL(fileURLWithPath: "/bin/true")
        try gone.run()
        gone.waitUntilExit()
        let dead = dir + "/.tables.tmp-\(gone.processIdentifier)-12345"
        let live = dir + "/.tables.tmp-\(getppid())-12345"
        for draft in [dead, live] {
            try FileManager.default.createDirectory(atPath: draft, withIntermediateDirectories: true)
            try Data("half".utf8).write(to: URL(fileURLWithPath: draft + "/events.csv"))
        }
        try Exporter.export(oneArticle, to: folder)
        #expect(!FileManager.default.fileExists(atPath: dead))
        #expect(FileManager.default.fileExists(atPath: live))
    }
}

/// A load asked to stop (Ctrl-C during the shell's `.corpus`) stops between batches and gives no
/// corpus, so the shell keeps the one it had.
@Test func anInterruptedLoadGivesNoCorpus() {
    let articles = BundledCorpus.articles.map { CorpusLoader.Article(id: String($0.name.dropLast(4)), path: "seeds/" + $0.name, bytes: $0.bytes) }
    var asked = 0
    let run = CorpusLoader.extractAll(count: articles.count, batchSize: 2, isCancelled: { asked += 1; return asked > 1 }) { .success(articles[$0]) }
    #expect(run.cancelled)
    #expect(run.corpus.documents.count == 2)
    #expect(CorpusLoader.corpus(from: articles, isCancelled: { true }) == nil)
    #expect(CorpusLoader.corpus(from: articles, isCancelled: { false })?.documents.count == articles.count)
}

/// A folder export is written as Parquet too when the writer given can: its files are in the
/// folder when it takes its place. One that fails leaves the CSV and JSON Lines export whole,
/// with no Parquet file, and says why.
@Test func parquetIsWrittenOrLeftOutWhole() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("coopq-parquet-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: dir) }
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    var scripts: [String] = []
    let failing = try Exporter.export(Fixture.corpus, to: dir.appendingPathComponent("failing").path, parquet: { script in
        scripts.append(script)
        // Half written, then a failure: what was written goes with it.
        let draft = script.components(separatedBy: "TO '").dropFirst().first!.components(separatedBy: "/").dropLast().joined(separator: "/")
        _ = FileManager.default.createFile(atPath: draft + "/events.parquet", contents: Data("PAR1".utf8))
        return "duckdb: disk full"
    })
    #expect(failing == "the tables were not written as Parquet (duckdb: disk full)")
    let files = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("failing").path)
    #expect(!files.contains { $0.hasSuffix(".parquet") })
    #expect(files.filter { $0.hasSuffix(".csv") }.count == 24)
    // The SQL reads each table's CSV file in the draft and writes its Parquet file beside it.
    #expect(scripts.count == 1 && scripts[0].components(separatedBy: "(FORMAT PARQUET);").count == 25)
    #expect(scripts[0].contains("CREATE TABLE \"events\""))
    #expect(try Exporter.export(Fixture.corpus, to: dir.appendingPathComponent("fine").path, parquet: { _ in nil }) == nil)
}

/// Through the binary: with DuckDB on this machine (`make test` installs its Python package),
/// every table's Parquet file holds its CSV file's rows; `COOPQ_PARQUET=off` writes none.
@Test func theBinaryWritesParquetWithDuckDB() throws {
    let python = Process()
    python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    python.arguments = ["python3", "-c", "import duckdb"]
    python.standardError = FileHandle.nullDevice
    try python.run()
    python.waitUntilExit()
    guard python.terminationStatus == 0 else { return }  // (no DuckDB here: nothing to check)
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("coopq-parquet-bin-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: dir) }
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let model = dir.appendingPathComponent("model").path
    let run = try coopq(["--export", model, "-e", "count documents"])
    #expect(run.status == 0 && run.stderr == "", "\(run.stderr)")
    let files = try FileManager.default.contentsOfDirectory(atPath: model)
    let tables = files.filter { $0.hasSuffix(".csv") }.map { String($0.dropLast(4)) }.sorted()
    #expect(tables.count == 24)
    #expect(files.filter { $0.hasSuffix(".parquet") }.map { String($0.dropLast(8)) }.sorted() == tables)
    let check = Process()
    check.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    check.arguments = ["python3", "-c", """
        import duckdb, sys
        for t in sys.argv[2:]:
            a = duckdb.sql(f"select * from read_parquet('{sys.argv[1]}/{t}.parquet') order by all").fetchall()
            b = duckdb.sql(f"select * from read_csv('{sys.argv[1]}/{t}.csv', header=true, all_varchar=true) order by all").fetchall()
            if len(a) != len(b): print(t, len(a), len(b)); sys.exit(1)
        """, model] + tables
    let out = Pipe()
    check.standardOutput = out
    try check.run()
    check.waitUntilExit()
    #expect(check.terminationStatus == 0, "\(String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))")
    let off = dir.appendingPathComponent("off").path
    #expect(try coopq(["--export", off, "-e", "count documents"], environment: ["COOPQ_PARQUET": "off"]).status == 0)
    #expect(try !FileManager.default.contentsOfDirectory(atPath: off).contains { $0.hasSuffix(".parquet") })
}
