import Foundation

/// A problem with one file of a corpus: it is skipped, and the rest loads.
public struct LoadWarning: Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { "\(path): \(reason)" }
}

/// A corpus folder that cannot be read at all: a usage error (exit status 2).
public struct CorpusError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// Reads articles into a corpus: every `.txt` file in the given folders (and their
/// sub-folders), or articles given as bytes (the bundled seeds).
public enum CorpusLoader {
    public struct Article: Sendable {
        public var id: String
        public var path: String
        public var bytes: [UInt8]
        public init(id: String, path: String, bytes: [UInt8]) { self.id = id; self.path = path; self.bytes = bytes }
    }

    /// Extracts and assembles a corpus from articles, in the order given.
    /// Extraction of each article is independent, so it runs on every core; assembly, which
    /// joins what the articles share, runs once after, in the articles' order.
    public static func corpus(from articles: [Article]) -> Corpus {
        let count = articles.count
        guard count > 8 else { return Extractor.assemble(articles.map { Extractor.extract(id: $0.id, path: $0.path, bytes: $0.bytes) }) }
        let results = UnsafeMutableBufferPointer<DocumentExtraction?>.allocate(capacity: count)
        results.initialize(repeating: nil)
        defer { results.deallocate() }
        let chunks = min(count, ProcessInfo.processInfo.activeProcessorCount * 8)
        nonisolated(unsafe) let slots = results
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            // Each chunk writes only its own slots.
            var i = chunk
            while i < count {
                let a = articles[i]
                slots[i] = Extractor.extract(id: a.id, path: a.path, bytes: a.bytes)
                i += chunks
            }
        }
        return Extractor.assemble(results.map { $0! })
    }

    /// Lists and reads the `.txt` files of the folders. A folder that does not exist or cannot
    /// be read is an error; a file that cannot be read is a warning, and the rest loads.
    public static func articles(in folders: [String]) throws(CorpusError) -> (articles: [Article], warnings: [LoadWarning]) {
        var articles: [Article] = []
        var warnings: [LoadWarning] = []
        var seenIDs: [String: Int] = [:]
        let fm = FileManager.default
        for folder in folders {
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: folder, isDirectory: &isDirectory) else {
                throw CorpusError(message: "cannot read corpus folder '\(folder)': no such folder")
            }
            guard isDirectory.boolValue else { throw CorpusError(message: "corpus '\(folder)' is a file, not a folder of .txt articles") }
            guard fm.isReadableFile(atPath: folder), let enumerator = fm.enumerator(atPath: folder) else {
                throw CorpusError(message: "cannot read corpus folder '\(folder)': permission denied")
            }
            var paths: [String] = []
            while let relative = enumerator.nextObject() as? String {
                if relative.split(separator: "/").contains(where: { $0.hasPrefix(".") }) { continue }
                if relative.lowercased().hasSuffix(".txt") { paths.append(relative) }
            }
            for relative in paths.sorted() {
                let path = (folder as NSString).appendingPathComponent(relative)
                guard let data = fm.contents(atPath: path) else {
                    warnings.append(LoadWarning(path: path, reason: "cannot be read; skipped"))
                    continue
                }
                var id = ((relative as NSString).lastPathComponent as NSString).deletingPathExtension
                if let n = seenIDs[id] {
                    seenIDs[id] = n + 1
                    warnings.append(LoadWarning(path: path, reason: "another article is also named '\(id)'; this one is '\(id)~\(n + 1)'"))
                    id += "~\(n + 1)"
                } else { seenIDs[id] = 1 }
                articles.append(Article(id: id, path: path, bytes: [UInt8](data)))
            }
        }
        return (articles, warnings)
    }
}
