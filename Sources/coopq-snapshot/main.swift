import BundledCorpus
import CoopQ
import Foundation

/// Writes Sources/BundledCorpus/SeedSnapshot.swift: the bundled seeds extracted now, as a
/// snapshot compiled into the binary so start-up extracts nothing (`make snapshot`). A test
/// fails when the committed file differs from what the current extractor and lexicons make.
let corpus = CorpusLoader.corpus(from: BundledCorpus.articles.map {
    CorpusLoader.Article(id: String($0.name.dropLast(4)), path: "seeds/" + $0.name, bytes: $0.bytes)
})
print(BundledCorpus.snapshotSource(Snapshot.encode(corpus, manifest: CorpusLoader.bundledManifest)), terminator: "")
