/// The shell's dot commands, kept outside the language: `.help`, `.format json`, ...
public enum DotCommand: Equatable, Sendable {
    case help(topic: String?)
    case format(OutputFormat?)
    case timing(Bool?)
    case corpus([String])
    case read(String)
    case output(String?)
    case schema(String?)
    case rows(Int?)
    /// `.width N`: tables fit N columns; `.width auto` (0): the terminal's; nil: say which.
    case width(Int?)
    case history
    case export(String)
    case quit

    public static let names = [".help", ".format", ".timing", ".corpus", ".read", ".output", ".schema", ".rows", ".width", ".history", ".export", ".quit", ".exit"]

    public struct Problem: Error, Equatable, Sendable {
        public var message: String
        public init(message: String) { self.message = message }
    }

    /// Parses a line that starts with `.`; arguments are split on spaces, with quotes kept together.
    public static func parse(_ line: String) throws(Problem) -> DotCommand {
        let words = split(line)
        guard let name = words.first else { throw Problem(message: "empty command") }
        let args = Array(words.dropFirst())
        switch name {
        case ".help": return .help(topic: args.first)
        // sqlite3's names for two of them.
        case ".mode": return try parse(".format " + args.joined(separator: " "))
        case ".timer": return try parse(".timing " + args.joined(separator: " "))
        case ".quit", ".exit": return .quit
        case ".history": return .history
        case ".format":
            guard let a = args.first else { return .format(nil) }
            guard let f = OutputFormat(rawValue: a) else {
                throw Problem(message: "unknown format '\(a)'; use one of " + OutputFormat.allCases.map(\.rawValue).joined(separator: ", "))
            }
            return .format(f)
        case ".timing":
            guard let a = args.first else { return .timing(nil) }
            guard a == "on" || a == "off" else { throw Problem(message: ".timing takes on or off, not '\(a)'") }
            return .timing(a == "on")
        case ".corpus":
            guard !args.isEmpty else { throw Problem(message: ".corpus takes one or more folders of .txt articles") }
            return .corpus(args)
        case ".read":
            guard args.count == 1 else { throw Problem(message: ".read takes one script file") }
            return .read(args[0])
        case ".output":
            guard let a = args.first, a != "stdout" else { return .output(nil) }
            return .output(a)
        case ".schema": return .schema(args.first)
        case ".export":
            guard args.count == 1 else { throw Problem(message: ".export takes a folder (CSV and JSON Lines) or a FILE.sqlite") }
            return .export(args[0])
        case ".rows":
            guard let a = args.first else { return .rows(nil) }
            if a == "all" { return .rows(0) }
            guard let n = Int(a), n > 0 else { throw Problem(message: ".rows takes a number of rows or 'all', not '\(a)'") }
            return .rows(n)
        case ".width":
            guard let a = args.first else { return .width(nil) }
            if a == "auto" { return .width(0) }
            guard let n = Int(a), n >= 20 else { throw Problem(message: ".width takes a number of columns (20 or more) or 'auto', not '\(a)'") }
            return .width(n)
        default:
            let suggestion = nearest(to: name, in: names)
            throw Problem(message: "unknown command '\(name)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? "; .help lists the commands"))
        }
    }

    static func split(_ line: String) -> [String] {
        var words: [String] = []
        var current = ""
        var quote: Character?
        for c in line {
            if let q = quote { if c == q { quote = nil } else { current.append(c) } }
            else if c == "\"" || c == "'" { quote = c }
            else if c == " " || c == "\t" { if !current.isEmpty { words.append(current); current = "" } }
            else { current.append(c) }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }
}
