@preconcurrency import CLibEdit
import CoopQ
import Foundation
import Synchronization

/// Set by SIGINT (Ctrl-C): at the prompt it clears the line, during a statement it stops it.
enum Interrupt {
    static let requested = Atomic<Bool>(false)

    static func install() {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in Interrupt.requested.store(true, ordering: .relaxed) }
        sigemptyset(&action.sa_mask)
        // No SA_RESTART: libedit's read returns, and readline gives back control.
        action.sa_flags = 0
        sigaction(SIGINT, &action, nil)
        // A parent may have left SIGINT blocked; the shell needs it.
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    /// Reads and clears the flag.
    static func take() -> Bool { requested.exchange(false, ordering: .relaxed) }
}

/// What the completion callback needs; libedit calls a C function, which cannot capture.
nonisolated(unsafe) private var completionEngine: Engine?
nonisolated(unsafe) private var completionPending = ""

/// libedit's attempted-completion hook: candidates from the library's Completer.
private func completeHook(_ text: UnsafePointer<CChar>?, _ start: Int32, _ end: Int32) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
    guard let engine = completionEngine, let buffer = rl_line_buffer else { return nil }
    let line = String(cString: buffer)
    let point = Int(rl_point)
    let word = text.map { String(cString: $0) } ?? ""
    if line.hasPrefix(".") {
        // Dot commands, and file names after .read and .corpus.
        if line.hasPrefix(".read ") || line.hasPrefix(".corpus ") || line.hasPrefix(".output ") || line.hasPrefix(".export ") {
            return rl_completion_matches(text, rl_filename_completion_function)
        }
        return matches(DotCommand.names.filter { $0.hasPrefix(word) })
    }
    let prefix = completionPending.isEmpty ? "" : completionPending + "\n"
    let result = Completer(engine: engine).complete(prefix + line, cursor: prefix.utf8.count + point)
    // libedit replaces only its own word: drop what our word holds before it ("St Pe" → "Pe").
    let ourWordStart = result.start - prefix.utf8.count
    let libeditWordStart = point - word.utf8.count
    let extra = ourWordStart < libeditWordStart ? String(decoding: Array(line.utf8)[max(0, ourWordStart)..<libeditWordStart], as: UTF8.self) : ""
    let candidates = result.candidates.compactMap { c -> String? in
        extra.isEmpty ? c : (c.hasPrefix(extra) ? String(c.dropFirst(extra.count)) : nil)
    }
    return matches(candidates)
}

/// No fallback to file names for statements.
private func noEntries(_ text: UnsafePointer<CChar>?, _ state: Int32) -> UnsafeMutablePointer<CChar>? { nil }

/// A NULL-terminated malloc'ed list for libedit: the common prefix first when there are several.
private func matches(_ candidates: [String]) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
    guard !candidates.isEmpty else { return nil }
    var list = candidates.count == 1 ? candidates : [commonPrefix(candidates)] + candidates
    rl_completion_append_character = candidates.count == 1 && candidates[0].hasSuffix("/") ? 0 : 32
    let array = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: list.count + 1)
    for (i, s) in list.enumerated() { array[i] = strdup(s) }
    array[list.count] = nil
    list.removeAll()
    return array
}

private func commonPrefix(_ strings: [String]) -> String {
    guard var prefix = strings.first.map({ Array($0) }) else { return "" }
    for s in strings.dropFirst() {
        let chars = Array(s)
        var n = 0
        while n < prefix.count, n < chars.count, prefix[n] == chars[n] { n += 1 }
        prefix = Array(prefix.prefix(n))
    }
    return String(prefix)
}

/// The interactive shell: libedit for editing, history and completion; an unfinished
/// statement continues on a second prompt; dot commands; Ctrl-C and Ctrl-D.
struct REPL {
    var runner: Runner
    var color: Bool
    var environment: [String: String]
    var history: HistoryStore
    var output: StandardOutput
    /// Where results go after `.output FILE`, each written as it comes.
    var outputFile: OutputFile?
    var rowsShown: Int?
    /// Run before the first prompt: its statements and dot commands, as if typed (`--init`).
    var initFile: String?

    init(runner: Runner, color: Bool, environment: [String: String], output: StandardOutput) {
        self.runner = runner
        self.color = color
        self.environment = environment
        self.output = output
        history = HistoryStore(path: HistoryStore.defaultPath(environment: environment))
        rowsShown = max(10, Terminal.height() - 6)
    }

    private func paint(_ code: String, _ s: String) -> String { color ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }
    /// Prompt escapes wrapped in \001 \002 so libedit does not count them as columns.
    private func promptPaint(_ code: String, _ s: String) -> String { color ? "\u{1}\u{1B}[\(code)m\u{2}\(s)\u{1}\u{1B}[0m\u{2}" : s }

    mutating func run() {
        if setlocale(LC_CTYPE, "") == nil { setlocale(LC_CTYPE, "C.UTF-8") }
        Interrupt.install()
        rl_catch_signals = 0
        rl_readline_name = UnsafePointer(strdup("coopq"))
        rl_completer_word_break_characters = strdup(" \t\n(),=<>!;")
        rl_attempted_completion_function = completeHook
        rl_completion_entry_function = noEntries
        stifle_history(Int32(HistoryStore.capacity))
        for entry in history.entries { add_history(entry) }
        completionEngine = runner.engine
        // ^C during a statement is echoed where the cursor is: its error starts a line of its own.
        let errors = output
        runner.writeError = { text in
            if Interrupt.requested.load(ordering: .relaxed) { errors.writeError("\n") }
            errors.writeError(text)
        }
        runner.engine.isCancelled = { Interrupt.requested.load(ordering: .relaxed) }
        runner.explainEmptyResults = true
        routeOutput()

        print("coopq \(CoopQCommand.version) — \(runner.engine.corpus.summary). Type .help for help.")
        if let initFile, !runInitFile(initFile) { finish(); return }
        let prompt = promptPaint("1;36", "coopq>") + " "
        let continuation = promptPaint("36", "   ...>") + " "
        var pending = ""
        // Lines are numbered over the session, so an error names the line as typed: `<shell>:3:14`.
        var lineNumber = 0
        var pendingFirstLine = 1
        // The last statement that ran: a line that starts with what continues a statement (`where`,
        // `select`, `and`, ...) goes on from it, as it would in a script.
        var last: (text: String, firstLine: Int)?
        while true {
            completionPending = pending
            _ = Interrupt.take()
            guard let raw = readline(pending.isEmpty ? prompt : continuation) else {
                if Interrupt.take() {
                    // Ctrl-C at the prompt: drop the line (and any unfinished statement), stay.
                    print("^C")
                    pending = ""
                    continue
                }
                // Ctrl-D on an empty line: save and leave.
                print("")
                finish()
                return
            }
            let line = String(cString: raw)
            free(raw)
            lineNumber += 1
            if pending.isEmpty {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if trimmed.isEmpty { continue }
                if trimmed.hasPrefix(".") {
                    remember(trimmed)
                    if !dotCommand(trimmed) { finish(); return }
                    continue
                }
                pendingFirstLine = lineNumber
                if let last, Parser.continuesPrevious(line) {
                    pending = last.text
                    pendingFirstLine = last.firstLine
                }
            }
            pending += (pending.isEmpty ? "" : "\n") + line
            _ = Interrupt.take()
            let outcome = runner.run(SourceFile(name: "<shell>", text: pending, firstLine: pendingFirstLine), reportIncomplete: false)
            output.flush()
            checkOutputFile()
            if outcome == .incomplete { continue }
            remember(pending)
            last = outcome == .ok ? (pending, pendingFirstLine) : nil
            pending = ""
        }
    }

    /// Runs the init file: each dot command as typed, each run of other lines as a script (its
    /// errors named by the file's lines). False when it asked to quit.
    private mutating func runInitFile(_ path: String) -> Bool {
        guard let data = FileManager.default.contents(atPath: path) else { complain("cannot read init file '\(path)'"); return true }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var chunk: [String] = []
        var chunkStart = 1
        func runChunk() {
            if !chunk.joined().trimmingCharacters(in: .whitespaces).isEmpty {
                runner.run(SourceFile(name: path, text: chunk.joined(separator: "\n"), firstLine: chunkStart))
                output.flush()
            }
            chunk = []
        }
        for (n, line) in lines.enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix(".") {
                runChunk()
                if !dotCommand(trimmed) { return false }
                continue
            }
            if chunk.isEmpty { chunkStart = n + 1 }
            chunk.append(line)
        }
        runChunk()
        return true
    }

    private mutating func remember(_ entry: String) {
        add_history(entry)
        do { try history.add(entry) } catch { warn("history not saved: \(error)") }
    }

    private func warn(_ message: String) {
        FileHandle.standardError.write(Data((paint("33", "warning:") + " " + message + "\n").utf8))
    }

    private func complain(_ message: String) {
        FileHandle.standardError.write(Data((paint("1;31", "error:") + " " + message + "\n").utf8))
    }

    /// Results go to standard output, cut to the screen's rows, or whole into the `.output` file.
    private mutating func routeOutput() {
        if let file = outputFile {
            runner.write = file.write
            runner.style.maxRows = nil
        } else {
            runner.write = output.write
            runner.style.maxRows = rowsShown
        }
    }

    /// After a failed write to the `.output` file, says why and sends results to the screen again.
    private mutating func checkOutputFile() {
        guard let file = outputFile, let failure = file.failure else { return }
        complain("cannot write to '\(file.path)': \(failure); results go to the screen again")
        _ = file.close()
        outputFile = nil
        routeOutput()
    }

    private mutating func closeOutputFile() {
        guard let file = outputFile else { return }
        if let failure = file.close() { complain("cannot write to '\(file.path)': \(failure)") }
        outputFile = nil
        routeOutput()
    }

    private mutating func finish() {
        closeOutputFile()
        output.flush()
        do { try history.save() } catch { warn("history not saved: \(error)") }
    }

    /// Runs a dot command; false means quit.
    private mutating func dotCommand(_ line: String) -> Bool {
        let command: DotCommand
        do { command = try DotCommand.parse(line) } catch {
            complain(error.message)
            return true
        }
        switch command {
        case .quit: return false
        case .help(let topic): print(Help.text(topic: topic, engine: runner.engine))
        case .format(let f):
            if let f { runner.style.format = f } else { print("format: \(runner.style.format.rawValue)") }
        case .timing(let on):
            if let on { runner.timing = on } else { print("timing: \(runner.timing ? "on" : "off")") }
        case .rows(let n):
            if let n { rowsShown = n == 0 ? nil : n; routeOutput() }
            else { print("rows: \(rowsShown.map(String.init) ?? "all")") }
        case .width(let n):
            if let n { runner.style.width = n == 0 ? Terminal.width() : n }
            else { print("width: \(runner.style.width.map(String.init) ?? "none")") }
        case .schema(let name): print(Help.schema(name, engine: runner.engine))
        case .export(let path):
            do {
                _ = Interrupt.take()
                let note = try Exporter.export(runner.engine.corpus, to: ShellPath.expandingHome(path, environment: environment),
                                               isCancelled: { Interrupt.requested.load(ordering: .relaxed) },
                                               parquet: Parquet.writer(environment: environment))
                print("exported the model to \(path)")
                if let note { complain(note) }
            } catch {
                complain(error.description)
            }
        case .history:
            for (i, e) in history.entries.enumerated() { print(String(format: "%5d  ", i + 1) + e.replacingOccurrences(of: "\n", with: "\n       ")) }
        case .read(let path):
            let file = ShellPath.expandingHome(path, environment: environment)
            guard let data = FileManager.default.contents(atPath: file) else { complain("cannot read '\(path)'"); return true }
            let script = SourceFile(name: path, text: String(decoding: data, as: UTF8.self))
            if let reason = Runner.notAScript(script) { complain(reason); return true }
            runner.run(script)
            output.flush()
            checkOutputFile()
        case .output(let path):
            closeOutputFile()
            if path == nil { print("results go to the screen") }
            if let path {
                do {
                    outputFile = try OutputFile(path: path, environment: environment)
                    routeOutput()
                    print("results now go to \(path) (.output stdout to see them here again)")
                } catch {
                    complain(error.description)
                }
            }
        case .corpus(let folders):
            do {
                let (articles, warnings) = try CorpusLoader.articles(in: folders.map { ShellPath.expandingHome($0, environment: environment) })
                for w in warnings { warn("\(w)") }
                _ = Interrupt.take()
                guard let corpus = CorpusLoader.corpus(from: articles, isCancelled: { Interrupt.requested.load(ordering: .relaxed) }) else {
                    complain("interrupted; the corpus loaded before is kept")
                    return true
                }
                runner.engine.load(corpus)
                print("loaded \(corpus.summary)")
            } catch {
                complain(error.message + "; the corpus loaded before is kept")
            }
        }
        return true
    }
}
