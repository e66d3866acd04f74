import Dispatch
import Foundation

/// Articles extracted in parts and assembled in one place: `coopq extract` writes one part (a
/// shard of a corpus's articles, as `ExtractionLines`), and a load from parts puts them
/// together into the model a single load of the corpus makes.
extension CorpusLoader {
    /// Extracts shard `shard` of `shards` of the folders' articles (every `shards`-th file of the
    /// listing, from the `shard`-th) into the part at `out`, written whole or not at all (`-`:
    /// standard output, as Spark's `RDD.pipe` reads it). Returns the articles written and the
    /// files skipped.
    public static func extractPart(_ folders: [String], shard: Int, of shards: Int, followLinks: Bool = false,
                                   extractor: String, to out: String) throws(CorpusError) -> (articles: Int, warnings: [LoadWarning]) {
        let (files, listWarnings) = try list(folders, followLinks: followLinks)
        let mine = files.indices.filter { $0 % shards == shard }
        var lines: [[UInt8]] = [Array(ExtractionLines.line(ExtractionLines.header(extractor: extractor)))]
        var warnings = listWarnings
        let slots = Slots<Result<[UInt8], LoadWarning>>(count: batchSize)
        var start = 0
        while start < mine.count {
            let batch = Array(mine[start..<min(mine.count, start + batchSize)])
            DispatchQueue.concurrentPerform(iterations: batch.count) { k in
                let n = batch[k]
                slots.set(k, read(files[n]).map { article in
                    let x = Extractor.extract(id: article.id, path: article.path, bytes: article.bytes)
                    return Array(ExtractionLines.line(ExtractionLines.object(x, number: n)))
                })
            }
            for k in batch.indices {
                switch slots.take(k) {
                case .success(let line): lines.append(line)
                case .failure(let warning): warnings.append(warning)
                case nil: break
                }
            }
            start += batchSize
        }
        if out == "-" {
            for line in lines {
                if let code = line.withUnsafeBytes({ AtomicFile.writeAll(STDOUT_FILENO, $0) }) {
                    throw CorpusError(message: "cannot write standard output: \(String(cString: strerror(code)))")
                }
            }
        } else {
            do { try AtomicFile.write(parts: lines, to: out) } catch {
                throw CorpusError(message: "cannot write '\(out)': \(error)")
            }
        }
        return (lines.count - 1, warnings)
    }

    /// The corpus of the articles in the parts at `paths`, in the order of the listing they were
    /// extracted from: the model a single load of that corpus makes.
    public static func corpus(fromParts paths: [String], extractor: String) throws(CorpusError) -> Corpus {
        var numbered: [(n: Int, extraction: DocumentExtraction)] = []
        for path in paths {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw CorpusError(message: "cannot read the part '\(path)'")
            }
            let all = data.split(separator: 0x0A, omittingEmptySubsequences: true)
            guard let header = all.first else { throw CorpusError(message: "'\(path)' is empty: it is no part written by coopq extract") }
            let lines = Array(all.dropFirst())
            do throws(ExtractionLines.Invalid) {
                try ExtractionLines.checkHeader(Data(header), file: path, extractor: extractor)
            } catch {
                throw CorpusError(message: error.description)
            }
            // The lines are read on every core (JSON costs more to read than the article did to extract).
            let decoded = Slots<Result<(n: Int, extraction: DocumentExtraction), ExtractionLines.Invalid>>(count: lines.count)
            let chunks = min(lines.count, max(1, ProcessInfo.processInfo.activeProcessorCount) * 8)
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                var i = chunk
                while i < lines.count {
                    decoded.set(i, Result { () throws(ExtractionLines.Invalid) in
                        try ExtractionLines.extraction(Data(lines[i]), file: path, lineNumber: i + 2)
                    })
                    i += chunks
                }
            }
            numbered.reserveCapacity(numbered.count + lines.count)
            for i in 0..<lines.count {
                switch decoded.take(i) {
                case .success(let x): numbered.append(x)
                case .failure(let error): throw CorpusError(message: error.description)
                case nil: break
                }
            }
        }
        numbered.sort { $0.n < $1.n }
        for (a, b) in zip(numbered, numbered.dropFirst()) where a.n == b.n {
            throw CorpusError(message: "article \(a.n) ('\(a.extraction.document.path)') is in two parts: give each shard once")
        }
        var assembler = Assembler()
        assembler.reserve(documents: numbered.count)
        for (_, x) in numbered { assembler.add(x) }
        return assembler.finish()
    }
}

/// Results made on several cores, each slot written by the one worker that made it, and taken
/// in order after.
private final class Slots<Value>: @unchecked Sendable {
    private let slots: UnsafeMutableBufferPointer<Value?>

    init(count: Int) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil)
    }

    deinit {
        _ = slots.deinitialize()
        slots.deallocate()
    }

    func set(_ i: Int, _ value: Value) { slots[i] = value }

    func take(_ i: Int) -> Value? {
        defer { slots[i] = nil }
        return slots[i]
    }
}
