import Foundation
import Testing

/// `coopq extract` writes shards of a corpus's extraction; `--corpus-parts` assembles them into
/// the model a single load makes, byte for byte in every exported table.
@Suite struct CorpusParts {
    static func temporary(_ name: String) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("coopq-parts-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// The seeds and the test articles, in three shards given in another order.
    @Test func partsMakeTheModelOfASingleLoad() throws {
        let dir = try Self.temporary("same")
        defer { try? FileManager.default.removeItem(at: dir) }
        let corpus = dir.appendingPathComponent("articles")
        try FileManager.default.createDirectory(at: corpus, withIntermediateDirectories: true)
        for folder in ["seeds", "Tests/CoopQTests/Fixtures/articles"] {
            let from = Fixture.root.appendingPathComponent(folder)
            for name in try FileManager.default.contentsOfDirectory(atPath: from.path) where name.hasSuffix(".txt") {
                try FileManager.default.copyItem(at: from.appendingPathComponent(name), to: corpus.appendingPathComponent(name))
            }
        }
        var parts: [String] = []
        for shard in 0..<3 {
            let part = dir.appendingPathComponent("part\(shard).jsonl").path
            let run = try coopq(["extract", "--corpus", corpus.path, "--shard", "\(shard)/3", "--out", part])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stderr.contains("(shard \(shard) of 3) extracted to"))
            parts.append(part)
        }
        let single = try coopq(["--corpus", corpus.path, "--no-cache", "--export", dir.appendingPathComponent("single").path, "-e", "count documents"])
        let assembled = try coopq(["--corpus-parts", parts[2], "--corpus-parts", parts[0], "--corpus-parts", parts[1],
                                   "--export", dir.appendingPathComponent("assembled").path, "-e", "count documents"])
        #expect(single.status == 0 && assembled.status == 0, "\(single.stderr)\(assembled.stderr)")
        #expect(single.stdout == assembled.stdout)
        let tables = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("single").path).filter { $0 != "duckdb.sql" && $0 != "parquet.sql" }  // (those name the folder)
        #expect(tables.count > 30)
        for table in tables {
            let a = try Data(contentsOf: dir.appendingPathComponent("single/" + table))
            let b = try Data(contentsOf: dir.appendingPathComponent("assembled/" + table))
            #expect(a == b, "\(table) differs")
        }
    }

    /// A part given twice, a broken line, a file that is no part, a shard out of range: each a
    /// clear error, and no model.
    @Test func wrongPartsAreErrors() throws {
        let dir = try Self.temporary("wrong")
        defer { try? FileManager.default.removeItem(at: dir) }
        let part = dir.appendingPathComponent("seeds.jsonl").path
        #expect(try coopq(["extract", "--corpus", Fixture.root.appendingPathComponent("seeds").path, "--out", part]).status == 0)
        let twice = try coopq(["--corpus-parts", part, "--corpus-parts", part, "-e", "count documents"])
        #expect(twice.status == 2 && twice.stderr.contains("is in two parts"), "\(twice.stderr)")
        var lines = try String(contentsOfFile: part, encoding: .utf8).split(separator: "\n").map(String.init)
        lines[2] = String(lines[2].prefix(40))
        let broken = dir.appendingPathComponent("broken.jsonl").path
        try (lines.joined(separator: "\n") + "\n").write(toFile: broken, atomically: true, encoding: .utf8)
        let bad = try coopq(["--corpus-parts", broken, "-e", "count documents"])
        #expect(bad.status == 2 && bad.stderr.contains("broken.jsonl:3: not a line of JSON"), "\(bad.stderr)")
        let other = dir.appendingPathComponent("other.jsonl").path
        let text = try String(contentsOfFile: part, encoding: .utf8)
        try text.replacingOccurrences(of: "\"extractor\":\"coopq ", with: "\"extractor\":\"coopq 0.0.1 ").write(toFile: other, atomically: true, encoding: .utf8)
        let older = try coopq(["--corpus-parts", other, "-e", "count documents"])
        #expect(older.status == 2 && older.stderr.contains("was extracted by another build of coopq"), "\(older.stderr)")
        let notAPart = try coopq(["--corpus-parts", Fixture.root.appendingPathComponent("README.md").path, "-e", "count documents"])
        #expect(notAPart.status == 2 && notAPart.stderr.contains("is not a part written by coopq extract"), "\(notAPart.stderr)")
        let range = try coopq(["extract", "--corpus", "seeds", "--shard", "3/3", "--out", part])
        #expect(range.status == 2 && range.stderr.contains("--shard takes I/N"), "\(range.stderr)")
        let both = try coopq(["--corpus", "seeds", "--corpus-parts", part, "-e", "count documents"])
        #expect(both.status == 2 && both.stderr.contains("cannot be given together"), "\(both.stderr)")
    }
}
