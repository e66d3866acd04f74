import BundledCorpus
import CoopQ
import Foundation

/// Paths and shared fixtures for the tests.
enum Fixture {
    /// The package's root folder.
    static let root: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The bundled corpus, extracted once for all tests.
    static let corpus: Corpus = CorpusLoader.corpus(from: BundledCorpus.articles.map {
        CorpusLoader.Article(id: String($0.name.dropLast(4)), path: "seeds/" + $0.name, bytes: $0.bytes)
    })

    /// Snapshots written by the binaries the tests run go here, not to the user's cache; the
    /// folder is removed when the test process exits.
    static let cacheHome: String = {
        atexit { try? FileManager.default.removeItem(atPath: Fixture.cacheHome) }
        return FileManager.default.temporaryDirectory.appendingPathComponent("coopq-test-cache-\(getpid())").path
    }()

    /// The built `coopq` binary beside the test bundle.
    static let binary: URL = {
        var candidates: [URL] = []
        let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var dir = runner.deletingLastPathComponent()
        for _ in 0..<4 {
            candidates.append(dir.appendingPathComponent("coopq"))
            dir = dir.deletingLastPathComponent()
        }
        candidates.append(root.appendingPathComponent(".build/debug/coopq"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) && !$0.hasDirectoryPath } ?? candidates.last!
    }()

    /// Runs a statement source against the bundled corpus; returns stdout, stderr and the outcome.
    static func run(_ text: String, format: OutputFormat = .csv, parameters: [String: Value] = [:],
                    engine: Engine? = nil) -> (out: String, err: String, outcome: Runner.Outcome) {
        nonisolated(unsafe) var out = ""
        nonisolated(unsafe) var err = ""
        let runner = Runner(engine: engine ?? Engine(corpus: corpus, parameters: parameters), style: OutputStyle(format: format),
                            write: { out += $0 }, writeError: { err += $0 })
        let outcome = runner.run(SourceFile(name: "-e", text: text))
        return (out, err, outcome)
    }
}

/// The result of running the built binary.
struct Execution {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs the built `coopq` with arguments, optional standard input, environment and working directory.
func coopq(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:],
           binary: URL = Fixture.binary, directory: URL? = nil) throws -> Execution {
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    env["NO_COLOR"] = "1"
    env["XDG_CACHE_HOME"] = Fixture.cacheHome
    env.removeValue(forKey: "COOPQ_CORPUS")
    for (k, v) in environment { env[k] = v }
    process.environment = env
    if let directory { process.currentDirectoryURL = directory }
    let outPipe = Pipe(), errPipe = Pipe(), inPipe = Pipe()
    process.standardOutput = outPipe
    process.standardError = errPipe
    process.standardInput = inPipe
    try process.run()
    if let stdin { inPipe.fileHandleForWriting.write(Data(stdin.utf8)) }
    try inPipe.fileHandleForWriting.close()
    // Read both pipes to the end before waiting, so a large output cannot block the child.
    nonisolated(unsafe) var errData = Data()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async {
        errData = errPipe.fileHandleForReading.readDataToEndOfFile()
        group.leave()
    }
    let outData = outPipe.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return Execution(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                     stderr: String(decoding: errData, as: UTF8.self))
}

/// CSV output as lines without their CRLF ends.
func lines(_ csv: String) -> [String] {
    csv.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        .filter { !$0.isEmpty }
}
