import Foundation

/// libFuzzer target: lexer, parser, checker and evaluator over the seeds. Any input must end in
/// a result or a diagnostic, never a crash. Compiled into one module with the library's sources
/// by Fuzz/build.sh.
let fuzzEngine: Engine = {
    let folder = ProcessInfo.processInfo.environment["COOPQ_SEEDS"] ?? "seeds"
    let articles = (try? CorpusLoader.articles(in: [folder]).articles) ?? []
    return Engine(corpus: CorpusLoader.corpus(from: articles))
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzQuery(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let runner = Runner(engine: fuzzEngine, style: OutputStyle(format: .json), write: { _ in }, writeError: { _ in })
    runner.run(SourceFile(name: "fuzz", text: text))
    return 0
}
