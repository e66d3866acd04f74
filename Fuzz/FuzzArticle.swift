/// libFuzzer target: the whole extractor on one article of arbitrary bytes, then every
/// collection's table. Compiled into one module with the library's sources by Fuzz/build.sh.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzArticle(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let corpus = CorpusLoader.corpus(from: [CorpusLoader.Article(id: "fuzz", path: "fuzz.txt", bytes: bytes)])
    for c in Collection.allCases { _ = corpus.table(c) }
    return 0
}
