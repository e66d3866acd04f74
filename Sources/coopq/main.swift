import CoopQ
import Foundation

// Usage errors exit 2 (the command-line contract); a failed statement 1.
// `coopq cache list|clear`: the snapshot cache, not a script named "cache".
let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == "cache", arguments.count == 2, ["list", "clear"].contains(arguments[1]), !FileManager.default.fileExists(atPath: "cache") {
    exit(CoopQCommand.cache(Array(arguments.dropFirst())))
}
// `coopq extract --corpus DIR [--shard I/N] --out FILE`: one part of a corpus's extraction.
if arguments.first == "extract", !FileManager.default.fileExists(atPath: "extract") {
    exit(CoopQCommand.extract(Array(arguments.dropFirst())))
}
do {
    switch try Options.parse(arguments) {
    case .help: print(Options.help, terminator: "")
    case .completions(let shell): print(Completions.script(for: shell)!, terminator: "")
    case .man: print(Completions.manPage, terminator: "")
    case .version: print("coopq \(CoopQCommand.version)" + (CoopQCommand.commit.map { " (commit \($0))" } ?? "") + "\nextractor data \(CorpusLoader.dataFingerprint) (\(CorpusLoader.ruleCount) rules)")
    case .run(let options): try CoopQCommand(options: options).run()
    }
} catch let error as Options.UsageError {
    FileHandle.standardError.write(Data("coopq: \(error.message)\nUsage: coopq [--execute <STATEMENT> ...] [--corpus <DIR> ...] [--format <FORMAT>] [OPTIONS] [<SCRIPT> ...]\n  See 'coopq --help'.\n".utf8))
    exit(2)
} catch let status as ExitCode {
    exit(status.rawValue)
} catch {
    FileHandle.standardError.write(Data("coopq: \(error)\n".utf8))
    exit(2)
}
