import CoopQ

/// The command line (`coopq --help`, the README), parsed by hand: a dozen options need no reflection, and
/// start-up (the first answer in a pipeline) is most of what a one-shot `coopq -e` costs.
struct Options {
    var execute: [String] = []
    var corpus: [String] = []
    var format = "table"
    var param: [String] = []
    var noColor = false
    var timing = false
    var noCache = false
    var followLinks = false
    var initFile: String?
    var noInit = false
    var failEmpty = false
    var dialect = "sqlite"
    var corpusParts: [String] = []
    var export: String?
    var scripts: [String] = []

    /// What the command line asks for: to run, or to print help or the version and stop.
    enum Request { case run(Options), help, version, completions(String), man }

    /// A usage error: said on standard error, exit status 2.
    struct UsageError: Error { var message: String }

    struct Spec { var long: String; var short: Character?; var value: String?; var help: String }

    static let specs: [Spec] = [
        Spec(long: "execute", short: "e", value: "STATEMENT", help: "Run STATEMENT, then exit (may repeat)."),
        Spec(long: "corpus", short: nil, value: "DIR",
             help: "A folder of .txt articles to load instead of the bundled seeds (may repeat; also COOPQ_CORPUS)."),
        Spec(long: "corpus-parts", short: nil, value: "FILE",
             help: "Assemble the model from parts written by coopq extract, instead of loading a folder (may repeat)."),
        Spec(long: "format", short: nil, value: "FORMAT", help: "Output format: table, json, jsonl, csv, tsv or markdown. (default: table)"),
        Spec(long: "param", short: nil, value: "NAME=VALUE",
             help: "Bind $NAME for the statements (may repeat). 2016 is a number, 2025-11 a date, anything else a string."),
        Spec(long: "no-color", short: nil, value: nil, help: "Never colour (NO_COLOR in the environment does the same)."),
        Spec(long: "timing", short: nil, value: nil, help: "Print each statement's time on standard error."),
        Spec(long: "no-cache", short: nil, value: nil,
             help: "Extract the corpus anew instead of using (and writing) its snapshot in $XDG_CACHE_HOME/coopq."),
        Spec(long: "follow-links", short: nil, value: nil,
             help: "Read .txt links to files outside the corpus folder, which are otherwise skipped with a warning."),
        Spec(long: "init", short: nil, value: "FILE",
             help: "Run FILE's statements and dot commands when the shell starts, instead of $XDG_CONFIG_HOME/coopq/init.coopq or ~/.coopqrc."),
        Spec(long: "no-init", short: nil, value: nil, help: "Start the shell without an init file."),
        Spec(long: "fail-empty", short: nil, value: nil, help: "Exit with status 4 when a statement's result has no rows (as jq -e)."),
        Spec(long: "dialect", short: nil, value: "SQL", help: "The SQL explain sql writes: sqlite, duckdb or spark. (default: sqlite)"),
        Spec(long: "export", short: nil, value: "PATH",
             help: "Write the model as normalised tables, then run the statements: PATH.sqlite (or .db) is a SQLite database, any other PATH a folder of CSV and JSON Lines files."),
        Spec(long: "completions", short: nil, value: "SHELL", help: "Print a completion script for bash, zsh or fish."),
        Spec(long: "man", short: nil, value: nil, help: "Print the manual page (roff)."),
        Spec(long: "version", short: nil, value: nil, help: "Show the version."),
        Spec(long: "help", short: "h", value: nil, help: "Show help information."),
    ]

    static let help = """
        OVERVIEW: Query a corpus of news articles on China–Russia cooperation.

        With no SCRIPT and no -e, coopq starts an interactive shell when standard input
        is a terminal, and otherwise reads statements from standard input. Results go
        to standard output, errors to standard error. Exit status: 0 all statements
        ran, 1 a statement failed, 2 usage error, 4 a result was empty (--fail-empty).

        Examples:
          coopq -e 'events where place = "Xi'\\''an" and year >= 2023'
          echo 'count events by year' | coopq --format csv
          coopq --param year=2025 report.coopq

        USAGE: coopq [--execute <STATEMENT> ...] [--corpus <DIR> ...] [--corpus-parts <FILE> ...] [--format <FORMAT>] [--param <NAME=VALUE> ...] [--no-color] [--timing] [--no-cache] [--follow-links] [--init <FILE>] [--no-init] [--fail-empty] [--dialect <SQL>] [--export <PATH>] [<SCRIPT> ...]

        ARGUMENTS:
          <SCRIPT>                Saved scripts to run in order.

        COMMANDS:
          coopq cache list|clear  The snapshots of loaded corpora.
          coopq extract --corpus <DIR> ... [--shard <I/N>] --out <FILE|->
                                  One shard of a corpus's extraction, for --corpus-parts.

        OPTIONS:

        """ + specs.map { spec in
            let name = (spec.short.map { "-\($0), " } ?? "") + "--\(spec.long)" + (spec.value.map { " <\($0)>" } ?? "")
            let padded = name.count < 22 ? name + String(repeating: " ", count: 22 - name.count) : name + "\n" + String(repeating: " ", count: 24)
            return "  " + padded + "  " + wrap(spec.help, width: 54).joined(separator: "\n" + String(repeating: " ", count: 26))
        }.joined(separator: "\n") + "\n"

    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty, line.count + 1 + word.count > width { lines.append(line); line = "" }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }

    static func parse(_ arguments: [String]) throws(UsageError) -> Request {
        var o = Options()
        var i = 0
        var optionsEnded = false
        func value(for spec: Spec, inline: String?) throws(UsageError) -> String {
            if let inline { return inline }
            i += 1
            guard i < arguments.count else { throw UsageError(message: "missing value for '--\(spec.long) <\(spec.value!)>'") }
            return arguments[i]
        }
        while i < arguments.count {
            let a = arguments[i]
            defer { i += 1 }
            if optionsEnded || a == "-" || !a.hasPrefix("-") { o.scripts.append(a); continue }
            if a == "--" { optionsEnded = true; continue }
            let spec: Spec
            var inline: String?
            if a.hasPrefix("--") {
                var name = String(a.dropFirst(2))
                if let eq = name.firstIndex(of: "=") { inline = String(name[name.index(after: eq)...]); name = String(name[..<eq]) }
                guard let s = specs.first(where: { $0.long == name }) else {
                    let hint = nearest(to: name, in: specs.map(\.long)).map { "; did you mean '--\($0)'?" } ?? ""
                    throw UsageError(message: "unknown option '--\(name)'" + hint)
                }
                spec = s
                if spec.value == nil, inline != nil { throw UsageError(message: "'--\(name)' takes no value") }
            } else {
                let letter = a.dropFirst().first!
                guard let s = specs.first(where: { $0.short == letter }) else { throw UsageError(message: "unknown option '\(a)'") }
                spec = s
                let rest = String(a.dropFirst(2))
                if !rest.isEmpty {
                    guard spec.value != nil else { throw UsageError(message: "unknown option '\(a)'") }
                    inline = rest
                }
            }
            switch spec.long {
            case "execute": o.execute.append(try value(for: spec, inline: inline))
            case "corpus": o.corpus.append(try value(for: spec, inline: inline))
            case "corpus-parts": o.corpusParts.append(try value(for: spec, inline: inline))
            case "format": o.format = try value(for: spec, inline: inline)
            case "param": o.param.append(try value(for: spec, inline: inline))
            case "export": o.export = try value(for: spec, inline: inline)
            case "no-color": o.noColor = true
            case "timing": o.timing = true
            case "no-cache": o.noCache = true
            case "follow-links": o.followLinks = true
            case "init": o.initFile = try value(for: spec, inline: inline)
            case "no-init": o.noInit = true
            case "fail-empty": o.failEmpty = true
            case "dialect": o.dialect = try value(for: spec, inline: inline)
            case "version": return .version
            case "man": return .man
            case "completions":
                let shell = try value(for: spec, inline: inline)
                guard Completions.script(for: shell) != nil else { throw UsageError(message: "--completions takes bash, zsh or fish, not '\(shell)'") }
                return .completions(shell)
            default: return .help
            }
        }
        try o.validate()
        return .run(o)
    }

    func validate() throws(UsageError) {
        guard corpus.isEmpty || corpusParts.isEmpty else { throw UsageError(message: "--corpus and --corpus-parts cannot be given together") }
        guard SQLDialect(rawValue: dialect) != nil else {
            throw UsageError(message: "--dialect takes " + SQLDialect.allCases.map(\.rawValue).joined(separator: ", ") + ", not '\(dialect)'")
        }
        guard OutputFormat(rawValue: format) != nil else {
            throw UsageError(message: "unknown format '\(format)'; use one of " + OutputFormat.allCases.map(\.rawValue).joined(separator: ", "))
        }
        for p in param {
            guard let eq = p.firstIndex(of: "="), eq != p.startIndex else {
                throw UsageError(message: "--param takes NAME=VALUE, not '\(p)'")
            }
            let name = p[..<eq]
            guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }), !(name.first?.isNumber ?? true) else {
                throw UsageError(message: "--param name '\(name)' must be letters, digits and '_'")
            }
        }
    }
}
