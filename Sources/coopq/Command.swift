import BundledCorpus
import CoopQ
import Foundation

/// The command line (`coopq --help`). All logic is in the CoopQ library; this file decides
/// where statements come from and where results go.
struct CoopQCommand {
    static let version = "0.1.0"

    /// The commit the binary was built from, read from the git files embedded at build time
    /// (`HEAD`, the branch's ref or `packed-refs`); nil when it was not built from a checkout.
    static var commit: String? {
        let files = Dictionary(embeddedFiles.map { ($0.name, String(decoding: $0.bytes, as: UTF8.self)) }, uniquingKeysWith: { a, _ in a })
        guard let head = files["HEAD"]?.trimmingCharacters(in: .whitespacesAndNewlines) else { return nil }
        guard head.hasPrefix("ref: ") else { return head.count >= 40 ? String(head.prefix(12)) : nil }
        let ref = String(head.dropFirst(5))
        let branch = (ref as NSString).lastPathComponent
        if let hash = files[branch]?.trimmingCharacters(in: .whitespacesAndNewlines), hash.count >= 40 { return String(hash.prefix(12)) }
        for line in (files["packed-refs"] ?? "").split(separator: "\n") where line.hasSuffix(" " + ref) { return String(line.prefix(12)) }
        return nil
    }
    nonisolated(unsafe) static var retained: AnyObject?

    var options: Options
    var execute: [String] { options.execute }
    var corpus: [String] { options.corpus }
    var format: String { options.format }
    var param: [String] { options.param }
    var noColor: Bool { options.noColor }
    var timing: Bool { options.timing }
    var noCache: Bool { options.noCache }
    var export: String? { options.export }
    var scripts: [String] { options.scripts }

    func run() throws {
        let stdoutIsTerminal = isatty(STDOUT_FILENO) == 1
        let stdinIsTerminal = isatty(STDIN_FILENO) == 1
        let environment = CoopQCommand.environment()
        let colorAllowed = !noColor && (environment["NO_COLOR"] ?? "").isEmpty
        let interactive = execute.isEmpty && scripts.isEmpty && stdinIsTerminal && export == nil

        // Read every script before loading anything, so an unreadable one is a usage error.
        var sources: [SourceFile] = []
        // With several -e, an error names which: `-e#2:1:14`.
        for (i, text) in execute.enumerated() { sources.append(SourceFile(name: execute.count > 1 ? "-e#\(i + 1)" : "-e", text: text)) }
        for path in scripts {
            // `coopq -`: the script is standard input.
            if path == "-" {
                switch StandardInput.read(limit: StandardInput.limit) {
                case .success(let bytes): sources.append(SourceFile(name: "<stdin>", text: String(decoding: bytes, as: UTF8.self)))
                case .failure(let problem): throw usage(problem.message)
                }
                continue
            }
            guard let data = FileManager.default.contents(atPath: path) else {
                throw usage(FileManager.default.fileExists(atPath: path) ? "cannot read script '\(path)'" : "no such script '\(path)'")
            }
            sources.append(SourceFile(name: path, text: String(decoding: data, as: UTF8.self)))
        }

        let (corpus, pendingSnapshot) = try loadCorpus(environment)
        // A first load's snapshot is finished on another core while the first statements run;
        // the process waits for it before it ends, and says then if it could not be saved.
        defer {
            if let note = pendingSnapshot?.wait() { FileHandle.standardError.write(Data("coopq: note: \(note)\n".utf8)) }
            // Each snapshot copies a corpus's texts: the folder is kept under its cap.
            if !corpusFolders(environment).isEmpty, !noCache, environment["COOPQ_CACHE"] != "off" {
                let directory = CoopQCommand.cacheDirectory(environment)
                let used = CorpusLoader.snapshotPath(of: corpusFolders(environment), in: directory)
                SnapshotFolder.touch(used)
                SnapshotFolder.trim(directory, to: CoopQCommand.cacheLimit(environment), keeping: used)
            }
        }
        var parameters: [String: Value] = [:]
        for p in param {
            let eq = p.firstIndex(of: "=")!
            parameters[String(p[..<eq])] = Runner.parameterValue(String(p[p.index(after: eq)...]))
        }
        if let export {
            do {
                if let note = try Exporter.export(corpus, to: export, parquet: Parquet.writer(environment: environment)) {
                    FileHandle.standardError.write(Data("coopq: note: \(note)\n".utf8))
                }
            } catch {
                FileHandle.standardError.write(Data("coopq: \(error.description)\n".utf8))
                throw ExitCode(1)
            }
        }
        let engine = Engine(corpus: corpus, parameters: parameters)
        engine.sqlDialect = SQLDialect(rawValue: options.dialect) ?? .sqlite
        // Never freed: the process ends with the engine alive, so a large corpus costs no teardown.
        CoopQCommand.retained = engine
        let style = OutputStyle(format: OutputFormat(rawValue: format)!, color: stdoutIsTerminal && colorAllowed,
                                prettyJSON: stdoutIsTerminal, width: stdoutIsTerminal ? Terminal.width() : nil)
        let stderrColor = colorAllowed && isatty(STDERR_FILENO) == 1
        let output = StandardOutput()
        var runner = Runner(engine: engine, style: style, timing: timing, colorErrors: stderrColor,
                            write: output.write, writeError: output.writeError)
        let empties = EmptyResults()
        if options.failEmpty { runner.onResult = { if $0.rows.isEmpty { empties.count += 1 } } }

        if interactive {
            var repl = REPL(runner: runner, color: colorAllowed && stdoutIsTerminal, environment: environment, output: output)
            repl.initFile = try initFile(environment)
            repl.run()
            return
        }
        if sources.isEmpty, export != nil, stdinIsTerminal { return }
        if sources.isEmpty {
            // A pipeline: plain buffered reads, never libedit.
            switch StandardInput.read(limit: StandardInput.limit) {
            case .success(let bytes): sources.append(SourceFile(name: "<stdin>", text: String(decoding: bytes, as: UTF8.self)))
            case .failure(let problem): throw usage(problem.message)
            }
        }
        for source in sources where runner.run(source) != .ok {
            output.flush()
            try output.check()
            throw ExitCode(1)
        }
        output.flush()
        try output.check()
        if empties.count > 0 { throw ExitCode(4) }
    }

    /// The file the shell runs as it starts: `--init FILE` (which must exist), else the first of
    /// `$XDG_CONFIG_HOME/coopq/init.coopq` and `~/.coopqrc` that exists; none with `--no-init`.
    private func initFile(_ environment: [String: String]) throws -> String? {
        if options.noInit { return nil }
        if let given = options.initFile {
            guard FileManager.default.isReadableFile(atPath: given) else { throw usage("cannot read init file '\(given)'") }
            return given
        }
        let home = environment["HOME"] ?? NSHomeDirectory()
        let config = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.config"
        return [config + "/coopq/init.coopq", home + "/.coopqrc"].first { FileManager.default.isReadableFile(atPath: $0) }
    }

    /// The environment variables coopq reads, by `getenv`: the whole environment as a dictionary
    /// (`ProcessInfo.environment`) is a sixth of the instructions of a start-up.
    static let environmentVariables = ["NO_COLOR", "HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "COOPQ_CACHE_MAX", "COOPQ_PROGRESS_AFTER", "XDG_STATE_HOME", "COOPQ_CORPUS", "COOPQ_CACHE", "COOPQ_HISTORY", "COOPQ_PARQUET", "PATH"]

    static func environment() -> [String: String] {
        var found: [String: String] = [:]
        for name in environmentVariables { if let value = getenv(name) { found[name] = String(cString: value) } }
        return found
    }

    /// `$XDG_CACHE_HOME/coopq`, else `~/.cache/coopq`.
    static func cacheDirectory(_ environment: [String: String]) -> String {
        if let x = environment["XDG_CACHE_HOME"], !x.isEmpty { return x + "/coopq" }
        return (environment["HOME"] ?? NSHomeDirectory()) + "/.cache/coopq"
    }

    /// `--corpus`, else `COOPQ_CORPUS` (folders separated by `:`); none: the bundled seeds.
    private func corpusFolders(_ environment: [String: String]) -> [String] {
        if corpus.isEmpty, let fromEnvironment = environment["COOPQ_CORPUS"], !fromEnvironment.isEmpty {
            return fromEnvironment.split(separator: ":").map(String.init)
        }
        return corpus
    }

    /// `COOPQ_CACHE_MAX`, else `SnapshotFolder.defaultLimit`.
    static func cacheLimit(_ environment: [String: String]) -> Int {
        environment["COOPQ_CACHE_MAX"].flatMap(SnapshotFolder.limit) ?? SnapshotFolder.defaultLimit
    }

    /// `coopq cache list` and `coopq cache clear`.
    /// `coopq extract --corpus DIR ... [--shard I/N] [--follow-links] --out FILE`: the extraction of
    /// a shard of a corpus's articles, a line of JSON each (docs/scale-out.md), for `--corpus-parts`.
    static func extract(_ arguments: [String]) -> Int32 {
        func usage(_ message: String) -> Int32 {
            FileHandle.standardError.write(Data("coopq: \(message)\nUsage: coopq extract --corpus <DIR> ... [--shard <I/N>] [--follow-links] --out <FILE>\n".utf8))
            return 2
        }
        var folders: [String] = [], out: String?, shard = 0, shards = 1, followLinks = false
        var k = 0
        while k < arguments.count {
            let a = arguments[k]
            let needsValue = ["--corpus", "--shard", "--out"].contains(a)
            guard !needsValue || k + 1 < arguments.count else { return usage("\(a) needs a value") }
            switch a {
            case "--corpus": folders.append(arguments[k + 1])
            case "--out": out = arguments[k + 1]
            case "--shard":
                let parts = arguments[k + 1].split(separator: "/").compactMap { Int($0) }
                guard parts.count == 2, parts[1] > 0, (0..<parts[1]).contains(parts[0]) else {
                    return usage("--shard takes I/N with 0 <= I < N, not '\(arguments[k + 1])'")
                }
                (shard, shards) = (parts[0], parts[1])
            case "--follow-links": followLinks = true
            default: return usage("extract does not take '\(a)'")
            }
            k += needsValue ? 2 : 1
        }
        guard !folders.isEmpty else { return usage("extract needs --corpus") }
        guard let out else { return usage("extract needs --out") }
        do {
            let (articles, warnings) = try CorpusLoader.extractPart(folders, shard: shard, of: shards, followLinks: followLinks,
                                                                    extractor: partsIdentity, to: out)
            for w in warnings { FileHandle.standardError.write(Data("coopq: warning: \(w)\n".utf8)) }
            FileHandle.standardError.write(Data("coopq: \(articles) articles (shard \(shard) of \(shards)) extracted to \(out == "-" ? "standard output" : out)\n".utf8))
            return 0
        } catch {
            FileHandle.standardError.write(Data("coopq: \(error.message)\n".utf8))
            return error.message.hasPrefix("cannot write") ? 1 : 2  // (1: a failed write; 2: a corpus that cannot be read)
        }
    }

    static func cache(_ arguments: [String]) -> Int32 {
        let environment = CoopQCommand.environment()
        let directory = cacheDirectory(environment)
        func size(_ n: Int) -> String { n >= 1 << 30 ? String(format: "%.1f GB", Double(n) / Double(1 << 30)) : String(format: "%.1f MB", Double(n) / Double(1 << 20)) }
        switch arguments.first {
        case "list":
            let entries = SnapshotFolder.list(directory)
            for e in entries {
                let when = ISO8601DateFormatter.string(from: e.used, timeZone: .current, formatOptions: [.withFullDate, .withSpaceBetweenDateAndTime, .withTime, .withColonSeparatorInTime])
                print("\(size(e.bytes).padding(toLength: 9, withPad: " ", startingAt: 0))  \(when)  \(e.articles) articles  \((e.folder ?? "?").escapingControls)")
            }
            print("\(entries.count) snapshot\(entries.count == 1 ? "" : "s"), \(size(entries.reduce(0) { $0 + $1.bytes })) in \(directory) (cap \(size(cacheLimit(environment))), COOPQ_CACHE_MAX)")
            return 0
        case "clear":
            let (removed, bytes) = SnapshotFolder.clear(directory)
            print("removed \(removed) snapshot\(removed == 1 ? "" : "s"), \(size(bytes)), from \(directory)")
            return 0
        default:
            FileHandle.standardError.write(Data("coopq: cache takes list or clear\n".utf8))
            return 2
        }
    }

    /// The running binary's size and mtime: a rebuilt extractor never trusts an old snapshot.
    /// The build that extracted a part: its version and commit (a copy of the binary on another
    /// machine, with its own mtime, is the same build).
    static var partsIdentity: String { "coopq \(version)" + (commit.map { " (commit \($0))" } ?? "") }

    static func binaryIdentity() -> String {
        var info = stat()
        guard stat("/proc/self/exe", &info) == 0 else { return version }
        return "\(version)-\(info.st_size)-\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
    }

    private func usage(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data("coopq: \(message)\n".utf8))
        return ExitCode(2)
    }

    private func loadCorpus(_ environment: [String: String]) throws -> (Corpus, CorpusLoader.PendingSnapshot?) {
        if !options.corpusParts.isEmpty {
            do { return (try CorpusLoader.corpus(fromParts: options.corpusParts, extractor: CoopQCommand.partsIdentity), nil) } catch {
                throw usage(error.message)
            }
        }
        let folders = corpusFolders(environment)
        if folders.isEmpty {
            // The seeds' snapshot made by `make snapshot`; extraction only if it is stale or unreadable.
            if let corpus = try? Snapshot.decode(BundledCorpus.snapshot, manifest: CorpusLoader.bundledManifest) { return (corpus, nil) }
            return (CorpusLoader.corpus(from: BundledCorpus.articles.map {
                CorpusLoader.Article(id: String($0.name.dropLast(4)), path: "seeds/" + $0.name, bytes: $0.bytes)
            }), nil)
        }
        do {
            let cache = noCache || environment["COOPQ_CACHE"] == "off" ? nil : CorpusLoader.SnapshotCache(
                directory: CoopQCommand.cacheDirectory(environment), extractorIdentity: CoopQCommand.binaryIdentity())
            // A load that takes over a second says how far it is, on a terminal only.
            // (COOPQ_PROGRESS_AFTER, in milliseconds, lets a test see it on a small corpus.)
            let after = environment["COOPQ_PROGRESS_AFTER"].flatMap { Int($0) } ?? 1000
            let progress = isatty(STDERR_FILENO) == 1 ? LoadProgress(after: .milliseconds(after)) : nil
            let loaded = try CorpusLoader.load(folders, cache: cache, finishingInBackground: true, followLinks: options.followLinks,
                                               progress: progress.map { p in { p.report(done: $0, of: $1) } })
            progress?.finish()
            if StageClock.enabled { reportStages() }
            for w in loaded.warnings { FileHandle.standardError.write(Data("coopq: warning: \(w)\n".utf8)) }
            if let note = loaded.snapshotNote { FileHandle.standardError.write(Data("coopq: note: \(note)\n".utf8)) }
            if loaded.corpus.documents.isEmpty {
                FileHandle.standardError.write(Data("coopq: warning: no .txt articles in \(folders.joined(separator: ", "))\n".utf8))
            }
            return (loaded.corpus, loaded.pendingSnapshot)
        } catch {
            throw usage(error.message)
        }
    }
}

/// `COOPQ_STAGES`: the CPU time of each stage of the load, on standard error.
private func reportStages() {
    let stages = StageClock.report()
    let total = max(1, stages.reduce(0) { $0 + $1.nanoseconds })
    var lines = "coopq: CPU time by stage of the load (all threads)\n"
    for (stage, ns) in stages {
        let ms = String(format: "%8.1f", Double(ns) / 1e6), share = String(format: "%5.1f", Double(ns) * 100 / Double(total))
        lines += "  \(stage.name.padding(toLength: 26, withPad: " ", startingAt: 0)) \(ms) ms  \(share)%\n"
    }
    lines += "  \("total".padding(toLength: 26, withPad: " ", startingAt: 0)) \(String(format: "%8.1f", Double(total) / 1e6)) ms\n"
    FileHandle.standardError.write(Data(lines.utf8))
}

/// Standard output and error, buffered so a large result is written in few system calls.
final class StandardOutput: @unchecked Sendable {
    private var buffer: [UInt8] = []

    func write(_ s: String) {
        buffer.append(contentsOf: s.utf8)
        if buffer.count > 1 << 16 { flush() }
    }

    func writeError(_ s: String) {
        flush()
        FileHandle.standardError.write(Data(s.utf8))
    }

    /// The first write to standard output that failed (its errno): nothing more is written, and
    /// the command ends with an error instead of a result cut short.
    private(set) var failure: Int32?

    func flush() {
        guard !buffer.isEmpty else { return }
        if failure == nil {
            failure = buffer.withUnsafeBytes { AtomicFile.writeAll(STDOUT_FILENO, $0) }
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Throws exit status 1, having said why on standard error, when a write to standard output failed.
    func check() throws {
        guard let failure else { return }
        FileHandle.standardError.write(Data("coopq: cannot write standard output: \(String(cString: strerror(failure)))\n".utf8))
        throw ExitCode(1)
    }
}

/// Standard input read whole, with a limit: a statement source is small, and a device that never
/// ends ("< /dev/zero") or a folder ("< /tmp") is an error, not a hang or a crash.
enum StandardInput {
    static let limit = 64 << 20

    struct Problem: Error { var message: String }

    static func read(limit: Int) -> Result<[UInt8], Problem> {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { Foundation.read(STDIN_FILENO, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            if n < 0 { return .failure(Problem(message: "cannot read standard input: \(String(cString: strerror(errno)))")) }
            if n == 0 { return .success(bytes) }
            guard bytes.count + n <= limit else {
                return .failure(Problem(message: "standard input is over \(limit >> 20) MB; a script of statements is far smaller"))
            }
            bytes.append(contentsOf: chunk[0..<n])
        }
    }
}

/// An exit status to end with, after what was to be said has been said.
struct ExitCode: Error {
    var rawValue: Int32
    init(_ rawValue: Int32) { self.rawValue = rawValue }
}

/// How many statements gave an empty result (`--fail-empty`).
final class EmptyResults: @unchecked Sendable { var count = 0 }

/// The line a long load shows on standard error: articles done, the rate and the time left,
/// rewritten in place, and cleared when the load ends.
final class LoadProgress: @unchecked Sendable {
    private let start = ContinuousClock.now
    private let after: Duration
    init(after: Duration) { self.after = after }
    private var last: ContinuousClock.Instant?
    private var shown = false

    func report(done: Int, of total: Int) {
        let now = ContinuousClock.now
        let elapsed = now - start
        guard elapsed >= after, done > 0, total > 0, last.map({ now - $0 > .milliseconds(200) }) ?? true else { return }
        last = now
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let rate = Double(done) / seconds
        let left = Int((Double(total - done) / max(rate, 1)).rounded())
        let line = "loading: \(done) of \(total) articles (\(done * 100 / total)%), \(Int(rate)) a second, about \(left) s left"
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + line).utf8))
        shown = true
    }

    func finish() {
        if shown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
