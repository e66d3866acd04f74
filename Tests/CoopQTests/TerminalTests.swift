import Foundation
import Glibc
import Testing

/// A small model of a terminal screen: what a person would see after the program's output
/// with its cursor moves and erasures applied (carriage return, line feed, backspace, and the
/// CSI sequences libedit uses: cursor left, right, up, down and to a column, erase in line).
struct ScreenModel {
    var lines: [[Character]] = [[]]
    var row = 0, column = 0
    private var pending: [UInt8] = []

    var text: String { lines.map { String($0) }.joined(separator: "\n") }

    mutating func feed(_ bytes: [UInt8]) {
        pending += bytes
        let scalars = String(decoding: pending, as: UTF8.self)
        // Keep an incomplete UTF-8 sequence for the next read.
        var keep = 0
        if let last = pending.last, last >= 0x80 {
            var i = pending.count - 1
            while i > 0, pending[i] & 0xC0 == 0x80 { i -= 1 }
            let need = pending[i] >= 0xF0 ? 4 : pending[i] >= 0xE0 ? 3 : pending[i] >= 0xC0 ? 2 : 1
            if pending.count - i < need { keep = pending.count - i }
        }
        let text = keep > 0 ? String(decoding: pending.dropLast(keep), as: UTF8.self) : scalars
        pending = keep > 0 ? Array(pending.suffix(keep)) : []
        var chars = Array(text)[...]
        while let c = chars.first {
            chars = chars.dropFirst()
            switch c {
            case "\r": column = 0
            case "\n", "\r\n": row += 1; column = c == "\r\n" ? 0 : column; if row >= lines.count { lines.append([]) }
            case "\u{8}": column = max(0, column - 1)
            case "\u{7}": break
            case "\u{1B}":
                guard chars.first == "[" else { chars = chars.dropFirst(); continue }
                chars = chars.dropFirst()
                var parameter = ""
                while let d = chars.first, d.isNumber || d == ";" || d == "?" { parameter.append(d); chars = chars.dropFirst() }
                guard let command = chars.first else { break }
                chars = chars.dropFirst()
                let n = Int(parameter.split(separator: ";").first ?? "") ?? 1
                switch command {
                case "G": column = max(0, n - 1)
                case "C": column += n
                case "D": column = max(0, column - n)
                case "A": row = max(0, row - n)
                case "B": row += n; while row >= lines.count { lines.append([]) }
                case "K": if column < lines[row].count { lines[row].removeLast(lines[row].count - column) }
                default: break
                }
            default:
                while lines[row].count < column { lines[row].append(" ") }
                if column < lines[row].count { lines[row][column] = c } else { lines[row].append(c) }
                column += 1
            }
        }
    }
}

/// The built binary under a real pseudo-terminal: keys typed, the screen read back.
final class PseudoTerminal {
    let pid: pid_t
    let master: Int32
    private(set) var model = ScreenModel()
    /// Every byte the program wrote, escapes and all.
    private(set) var raw: [UInt8] = []
    /// The screen as a person sees it.
    var screen: String { model.text }

    init(_ binary: URL, environment: [String: String], columns: UInt16 = 160, arguments: [String] = []) throws {
        var env = ProcessInfo.processInfo.environment
        env["TERM"] = "xterm"
        env["NO_COLOR"] = "1"
        env.removeValue(forKey: "COOPQ_CORPUS")
        for (k, v) in environment { env[k] = v }
        // Everything the child needs is prepared before fork: it only calls execve.
        let path = strdup(binary.path)!
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup(binary.path)] + arguments.map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        var size = winsize(ws_row: 40, ws_col: columns, ws_xpixel: 0, ws_ypixel: 0)
        var fd: Int32 = -1
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        let child = forkpty(&fd, nil, nil, &size)
        if child == 0 {
            // The test runner's threads may block signals; the shell starts as from a login shell.
            sigprocmask(SIG_SETMASK, &noSignals, nil)
            execve(path, argv, envp)
            _exit(127)
        }
        // The parent's copies of the child's arguments are no longer needed.
        free(path)
        for p in argv { free(p) }
        for p in envp { free(p) }
        guard child > 0 else { throw POSIXError(.EAGAIN) }
        pid = child
        master = fd
    }

    func type(_ keys: String) {
        let bytes = Array(keys.utf8)
        _ = bytes.withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
        usleep(150_000)
    }

    /// Reads until `text` appears in what the program printed since `from`, or the timeout passes.
    @discardableResult
    func waitFor(_ text: String, timeout: Double = 10) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if screen.contains(text) { return true }
            var pfd = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            if poll(&pfd, 1, 100) > 0 {
                var buffer = [UInt8](repeating: 0, count: 4096)
                let n = read(master, &buffer, buffer.count)
                if n <= 0 { break }
                model.feed(Array(buffer[0..<n]))
                raw += buffer[0..<n]
            }
        }
        return screen.contains(text)
    }

    /// Forgets what is on the screen but the cursor's line, so the next wait sees only new output.
    func clear() {
        let line = model.lines[model.row]
        model.lines = [line]
        model.row = 0
    }

    /// Waits for the program to end and gives its exit status.
    func exitStatus(timeout: Double = 10) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        var status: Int32 = 0
        while Date() < deadline {
            _ = waitFor("\u{1}", timeout: 0.1)  // keep draining output
            if waitpid(pid, &status, WNOHANG) == pid {
                return (status & 0x7f) == 0 ? (status >> 8) & 0xff : nil
            }
        }
        kill(pid, SIGKILL)
        return nil
    }

    deinit {
        close(master)
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == 0 { kill(pid, SIGKILL); waitpid(pid, &status, 0) }
    }
}

@Suite(.serialized) struct Shell {
    let history = FileManager.default.temporaryDirectory.appendingPathComponent("coopq-history-\(UUID().uuidString)").path

    @Test func editingCompletionHistoryAndSignals() throws {
        defer { try? FileManager.default.removeItem(atPath: history) }
        let shell = try PseudoTerminal(Fixture.binary, environment: ["COOPQ_HISTORY": history])
        #expect(shell.waitFor("coopq> "), "no prompt: \(shell.screen)")
        #expect(shell.screen.contains("5 documents"))

        // Tab completes a collection, a field, and a value with an apostrophe in it.
        shell.clear()
        shell.type("ev\t")
        #expect(shell.waitFor("events"), "\(shell.screen.debugDescription)")
        shell.type(" where pl\t")
        #expect(shell.waitFor("place"))
        shell.type(" = \"Xi\t")
        #expect(shell.waitFor("\"Xi'an\""))
        shell.type(" and ordinal = 6 select ordinal\r")
        #expect(shell.waitFor("(1 row)"), "\(shell.screen)")

        // An unfinished statement continues on a second line, then runs.
        shell.clear()
        shell.type("events where (\r")
        #expect(shell.waitFor("...> "))
        shell.type("place = \"Moscow\") select place limit 1\r")
        #expect(shell.waitFor("(1 row)"), "\(shell.screen)")

        // Non-ASCII survives editing and history.
        shell.clear()
        shell.type("documents where title = \"Xi'an 西安\"\r")
        #expect(shell.waitFor("(0 rows)"), "\(shell.screen)")

        // Ctrl-C while typing clears the line; the shell lives on.
        shell.clear()
        shell.type("count peop")
        shell.type("\u{3}")
        #expect(shell.waitFor("coopq> "))
        shell.clear()
        shell.type("count documents\r")
        #expect(shell.waitFor("(1 row)"), "\(shell.screen)")
        #expect(shell.waitFor("coopq> "))

        // Ctrl-D on an empty line leaves with status 0.
        shell.type("\u{4}")
        #expect(shell.exitStatus() == 0)

        // libedit may or may not append a space after a completion (it depends on timing): compare single-spaced.
        let saved = try String(contentsOfFile: history, encoding: .utf8)
            .replacingOccurrences(of: " +", with: " ", options: .regularExpression)
        #expect(saved.contains("events where place = \"Xi'an\" and ordinal = 6 select ordinal"))
        #expect(saved.contains("events where (\\nplace = \"Moscow\") select place limit 1"))
        #expect(saved.contains("documents where title = \"Xi'an 西安\""))
        #expect(saved.contains("count documents"))
        #expect(!saved.contains("count peop\n"))

        // After a restart, Up recalls the last statement.
        let again = try PseudoTerminal(Fixture.binary, environment: ["COOPQ_HISTORY": history])
        #expect(again.waitFor("coopq> "))
        again.clear()
        again.type("\u{1B}[A")
        again.type("\r")
        #expect(again.waitFor("(1 row)"), "\(again.screen)")
        #expect(again.screen.contains("count"))
        again.type(".quit\r")
        #expect(again.exitStatus() == 0)
    }

    @Test func dotCommandsAndEmptyResults() throws {
        defer { try? FileManager.default.removeItem(atPath: history) }
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("coopq-output-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        let shell = try PseudoTerminal(Fixture.binary, environment: ["COOPQ_HISTORY": history])
        #expect(shell.waitFor("coopq> "))
        shell.type(".hlep\r")
        #expect(shell.waitFor("did you mean '.help'?"))
        shell.type(".schema people\r")
        #expect(shell.waitFor("titles"))
        shell.clear()
        shell.type("events where place = \"Moscw\"\r")
        #expect(shell.waitFor("did you mean \"Moscow\"?"), "\(shell.screen)")
        shell.clear()
        shell.type(".format csv\r")
        shell.type(".output \(out)\r")
        shell.type("count documents\r")
        shell.type(".output stdout\r")
        #expect(shell.waitFor("coopq> "))
        shell.type(".exit\r")
        #expect(shell.exitStatus() == 0)
        #expect((try? String(contentsOfFile: out, encoding: .utf8)) == "count\r\n5\r\n")
    }

    /// `.output FILE` writes each result whole as it comes (a hang-up loses nothing shown), says
    /// at once when the path cannot be written, and knows `~`.
    @Test func outputFileIsWrittenAsResultsCome() throws {
        defer { try? FileManager.default.removeItem(atPath: history) }
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("coopq-home-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: home) }
        let shell = try PseudoTerminal(Fixture.binary, environment: ["COOPQ_HISTORY": history, "HOME": home])
        #expect(shell.waitFor("coopq> "))
        shell.type(".output /no/such/folder/out.txt\r")
        #expect(shell.waitFor("cannot write to '/no/such/folder/out.txt': no folder '/no/such/folder'"), "\(shell.screen)")
        shell.type(".output \(home)\r")
        #expect(shell.waitFor("it is a folder"), "\(shell.screen)")
        shell.type(".rows 5\r")
        shell.type(".format csv\r")
        shell.type(".output ~/out.csv\r")
        #expect(shell.waitFor("results now go to ~/out.csv"), "\(shell.screen)")
        shell.type("organizations select name\r")
        #expect(shell.waitFor("coopq> "))
        // Rows sent to a file are not cut to the screen, and are there before the shell ends.
        let lines = (try? String(contentsOfFile: home + "/out.csv", encoding: .utf8))?.split(separator: "\r\n") ?? []
        #expect(lines.count == 23, "\(lines)")
        #expect(!lines.contains { $0.contains("more rows") })
        shell.type(".output stdout\r")
        #expect(shell.waitFor("results go to the screen"), "\(shell.screen)")
        shell.type(".timer on\r")
        shell.type("count documents\r")
        #expect(shell.waitFor("time: "), "\(shell.screen)")
        shell.type(".output ~/again.csv\r")
        shell.type("organizations select name\r")
        #expect(shell.waitFor("coopq> "))
        kill(shell.pid, SIGHUP)
        _ = shell.exitStatus()
        #expect(((try? String(contentsOfFile: home + "/again.csv", encoding: .utf8))?.split(separator: "\r\n").count) == 23)
    }

    /// The init file runs as the shell starts: its dot commands and statements, as if typed.
    @Test func anInitFileRunsFirst() throws {
        defer { try? FileManager.default.removeItem(atPath: history) }
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("coopq-init-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: home) }
        try ".format csv\nlet russians = people\n  where country = \"Russia\"\n".write(toFile: home + "/.coopqrc", atomically: true, encoding: .utf8)
        let shell = try PseudoTerminal(Fixture.binary, environment: ["COOPQ_HISTORY": history, "HOME": home, "XDG_CONFIG_HOME": home + "/none"])
        #expect(shell.waitFor("coopq> "))
        shell.type("count russians\r")
        #expect(shell.waitFor("count\r\n") || shell.waitFor("count\n"), "\(shell.screen)")
        #expect(!shell.screen.contains("error"), "\(shell.screen)")
        shell.type(".exit\r")
        #expect(shell.exitStatus() == 0)
        // --no-init starts without it.
        let bare = try PseudoTerminal(Fixture.binary, environment: ["COOPQ_HISTORY": history, "HOME": home, "XDG_CONFIG_HOME": home + "/none"],
                                      arguments: ["--no-init"])
        #expect(bare.waitFor("coopq> "))
        bare.type("count russians\r")
        #expect(bare.waitFor("unknown"), "\(bare.screen)")
        bare.type(".exit\r")
        #expect(bare.exitStatus() == 0)
    }

    /// A load of many articles says how far it is on a terminal (here shown from the start rather
    /// than after a second), and clears the line when done; in a pipe it says nothing.
    @Test func aLongLoadShowsItsProgress() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("coopq-progress-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let gen = Fixture.binary.deletingLastPathComponent().appendingPathComponent("coopq-gen")
        #expect(try coopq(["--articles", "1600", "--seed", "2", "--out", dir], binary: gen).status == 0)
        let shell = try PseudoTerminal(Fixture.binary, environment: ["COOPQ_PROGRESS_AFTER": "0"],
                                       arguments: ["--no-cache", "--corpus", dir, "-e", "count documents"])
        #expect(shell.exitStatus(timeout: 120) == 0)
        let text = String(decoding: shell.raw, as: UTF8.self)
        #expect(text.contains("loading: "), "\(text)")
        #expect(text.contains("of 1600 articles"), "\(text)")
        #expect(text.contains("\r\u{1B}[K"))
        let piped = try coopq(["--no-cache", "--corpus", dir, "-e", "count documents"], environment: ["COOPQ_PROGRESS_AFTER": "0"])
        #expect(!piped.stderr.contains("loading"))
    }

    /// ^C during a running statement stops it, and its error starts a line of its own rather than
    /// running on after the echoed ^C. (The statement is a search whose first text alone takes
    /// its regular expression's whole 2 s budget, so it is surely running when ^C comes.)
    @Test func interruptedStatementsSayItOnALineOfTheirOwn() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("coopq-ctrlc-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for name in ["a", "b", "c"] {
            try ("Title\n\n" + String(repeating: "a", count: 50_000) + "!").write(toFile: dir + "/\(name).txt", atomically: true, encoding: .utf8)
        }
        let shell = try PseudoTerminal(Fixture.binary, environment: ["COOPQ_HISTORY": history], arguments: ["--no-cache", "--corpus", dir])
        #expect(shell.waitFor("coopq> "))
        shell.type("search matches \"(a+)+$\"\r")
        usleep(500_000)
        shell.type("\u{3}")
        #expect(shell.waitFor("interrupted", timeout: 20), "\(shell.screen)")
        let lines = shell.screen.split(separator: "\n")
        #expect(!lines.contains { $0.contains("^C") && $0.contains("error") }, "\(shell.screen)")
        shell.type(".exit\r")
        #expect(shell.exitStatus() == 0)
    }

    /// On an 80-column terminal the card's query fits: no line is wider than the screen, and the
    /// columns left out are named. `.width` changes the width tables fit.
    @Test func tablesFitAnEightyColumnTerminal() throws {
        defer { try? FileManager.default.removeItem(atPath: history) }
        let shell = try PseudoTerminal(Fixture.binary, environment: ["COOPQ_HISTORY": history], columns: 80)
        #expect(shell.waitFor("coopq> "))
        shell.clear()
        shell.type("events where place = \"Xi'an\" and year >= 2023\r")
        #expect(shell.waitFor("not shown: "), "\(shell.screen)")
        let lines = shell.screen.split(separator: "\n")
        #expect(lines.allSatisfy { $0.count <= 80 }, "\(lines.filter { $0.count > 80 })")
        #expect(shell.screen.contains("6th China-Russia"), "\(shell.screen)")
        #expect(shell.screen.contains("2025-11-24"), "\(shell.screen)")
        shell.clear()
        shell.type(".mode csv\r")
        shell.type("count documents\r")
        #expect(shell.waitFor("count\r\n5") || shell.screen.contains("count\n5"), "\(shell.screen)")
        shell.type(".exit\r")
        #expect(shell.exitStatus() == 0)
    }

    /// A statement over three lines reads in the shell as in a script: a line that starts with
    /// what continues a statement goes on from the one before; errors name the session's line.
    @Test func statementsGoOnAsInScripts() throws {
        defer { try? FileManager.default.removeItem(atPath: history) }
        let shell = try PseudoTerminal(Fixture.binary, environment: ["COOPQ_HISTORY": history])
        #expect(shell.waitFor("coopq> "))
        shell.type("people where\r")
        shell.type("country = \"Russia\"\r")
        #expect(shell.waitFor("rows"), "\(shell.screen)")
        shell.clear()
        shell.type("select name, titles\r")
        #expect(shell.waitFor("Mikhail Mishustin"), "\(shell.screen)")
        #expect(!shell.screen.contains("error"), "\(shell.screen)")
        #expect(!shell.screen.contains("Li Qiang"), "\(shell.screen)")
        shell.clear()
        shell.type("events where palce = 1\r")
        #expect(shell.waitFor("<shell>:4:14: error: unknown field 'palce'"), "\(shell.screen)")
        shell.type(".exit\r")
        #expect(shell.exitStatus() == 0)
    }

    /// `.read` of a file that is not a script says so without printing its lines.
    @Test func readOfANonScriptShowsNoneOfIt() throws {
        defer { try? FileManager.default.removeItem(atPath: history) }
        let secret = FileManager.default.temporaryDirectory.appendingPathComponent("coopq-secret-\(UUID().uuidString)").path
        try "root:$6$hidden-hash:19000:0:99999:7:::\n".write(toFile: secret, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: secret) }
        let shell = try PseudoTerminal(Fixture.binary, environment: ["COOPQ_HISTORY": history])
        #expect(shell.waitFor("coopq> "))
        shell.type(".read \(secret)\r")
        #expect(shell.waitFor("is not a coopq script"), "\(shell.screen)")
        #expect(!shell.screen.contains("hidden-hash"), "\(shell.screen)")
        shell.type(".exit\r")
        #expect(shell.exitStatus() == 0)
    }
}

/// A snapshot cut short by another program while the shell has it mapped: the statement that
/// reads a lost page fails with an I/O error, and the shell lives on (no SIGBUS).
@Test func aSnapshotCutShortUnderTheShellIsAnError() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("coopq-cut-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let corpus = dir + "/articles", cache = dir + "/cache"
    try FileManager.default.createDirectory(atPath: corpus, withIntermediateDirectories: true)
    for name in try FileManager.default.contentsOfDirectory(atPath: Fixture.root.path + "/seeds") where name.hasSuffix(".txt") {
        try FileManager.default.copyItem(atPath: Fixture.root.path + "/seeds/" + name, toPath: corpus + "/" + name)
    }
    let first = try coopq(["--corpus", corpus, "-e", "count documents"], environment: ["XDG_CACHE_HOME": cache])
    #expect(first.status == 0, "\(first.stderr)")
    let environment = ["COOPQ_CORPUS": corpus, "XDG_CACHE_HOME": cache, "COOPQ_HISTORY": dir + "/history"]
    let shell = try PseudoTerminal(Fixture.binary, environment: environment)
    #expect(shell.waitFor("coopq> "), "\(shell.screen)")
    let snapshots = try FileManager.default.subpathsOfDirectory(atPath: cache).filter { !$0.hasSuffix("coopq") && !$0.hasSuffix(".lock") }
    #expect(!snapshots.isEmpty)
    for s in snapshots { truncate(cache + "/" + s, 0) }
    shell.type("search \"Moscow\"\r")
    #expect(shell.waitFor("cut short on disk"), "\(shell.screen)")
    shell.type(".exit\r")
    #expect(shell.exitStatus() == 0)
}
