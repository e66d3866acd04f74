@preconcurrency import CLibEdit
import CoopQ
import Foundation

/// The interactive shell: libedit for line editing and history; an unfinished statement
/// continues on a second prompt.
struct REPL {
    var runner: Runner
    var color: Bool
    var corpusSummary: String

    mutating func run() {
        if setlocale(LC_CTYPE, "") == nil { setlocale(LC_CTYPE, "C.UTF-8") }
        let version = CoopQCommand.version
        print("coopq \(version) — \(corpusSummary). Type .help for help.")
        let prompt = color ? "\u{1}\u{1B}[1;36m\u{2}coopq>\u{1}\u{1B}[0m\u{2} " : "coopq> "
        let continuation = color ? "\u{1}\u{1B}[36m\u{2}   ...>\u{1}\u{1B}[0m\u{2} " : "   ...> "
        var pending = ""
        while true {
            guard let raw = readline(pending.isEmpty ? prompt : continuation) else {
                print("")
                return
            }
            let line = String(cString: raw)
            free(raw)
            if pending.isEmpty {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if trimmed.isEmpty { continue }
                if trimmed.hasPrefix(".") {
                    add_history(line)
                    if !dotCommand(trimmed) { return }
                    continue
                }
            }
            pending += (pending.isEmpty ? "" : "\n") + line
            let outcome = runner.run(SourceFile(name: "<stdin>", text: pending), reportIncomplete: false)
            if outcome == .incomplete { continue }
            add_history(pending)
            pending = ""
        }
    }

    /// Runs a dot command; false means quit.
    private func dotCommand(_ line: String) -> Bool {
        let word = line.split(separator: " ").first.map(String.init) ?? line
        switch word {
        case ".quit", ".exit": return false
        case ".help":
            print("""
                Statements end at ';' or at the end of a complete line. For example:
                  events where place = "Xi'an" and year >= 2023
                  count events by year
                  people where country = "Russia" select name, titles
                Collections: \(Collection.allCases.map(\.rawValue).joined(separator: ", "))
                Dot commands: .help  .quit  .exit
                """)
        default:
            let suggestion = nearest(to: word, in: [".help", ".quit", ".exit"])
            FileHandle.standardError.write(Data("unknown command '\(word)'\(suggestion.map { "; did you mean '\($0)'?" } ?? "")\n".utf8))
        }
        return true
    }
}
