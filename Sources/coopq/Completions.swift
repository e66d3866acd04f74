import CoopQ

/// `coopq --completions bash|zsh|fish`: a completion script for the shell named, made from the
/// options coopq takes, and `coopq --man`: a manual page made from the same help.
enum Completions {
    static func script(for shell: String) -> String? {
        let longs = Options.specs.map { "--" + $0.long }
        let withValue = Options.specs.filter { $0.value != nil }.map { "--" + $0.long }
        switch shell {
        case "bash":
            return """
                # coopq completion for bash: eval "$(coopq --completions bash)"
                _coopq() {
                    local cur prev
                    cur="${COMP_WORDS[COMP_CWORD]}"; prev="${COMP_WORDS[COMP_CWORD-1]}"
                    case "$prev" in
                        --corpus) COMPREPLY=($(compgen -d -- "$cur")); return ;;
                        --format) COMPREPLY=($(compgen -W "\(OutputFormat.allCases.map(\.rawValue).joined(separator: " "))" -- "$cur")); return ;;
                        --completions) COMPREPLY=($(compgen -W "bash zsh fish" -- "$cur")); return ;;
                        \(withValue.filter { $0 != "--corpus" && $0 != "--format" && $0 != "--completions" }.joined(separator: "|"))) COMPREPLY=($(compgen -f -- "$cur")); return ;;
                    esac
                    if [[ "$cur" == -* ]]; then COMPREPLY=($(compgen -W "\(longs.joined(separator: " ")) -e -h" -- "$cur"))
                    else COMPREPLY=($(compgen -f -X '!*.coopq' -- "$cur") $(compgen -d -- "$cur")); fi
                }
                complete -F _coopq coopq

                """
        case "zsh":
            let arguments = Options.specs.map { spec -> String in
                let about = spec.help.replacingOccurrences(of: "'", with: "'\\''").replacingOccurrences(of: "[", with: "(").replacingOccurrences(of: "]", with: ")")
                let value = spec.long == "corpus" ? ":folder:_files -/" : spec.long == "format" ? ":format:(\(OutputFormat.allCases.map(\.rawValue).joined(separator: " ")))"
                    : spec.value != nil ? ":\(spec.value!.lowercased()):_files" : ""
                return "    '--\(spec.long)[\(about)]\(value)'"
            }
            return "#compdef coopq\n# coopq completion for zsh: coopq --completions zsh > \"${fpath[1]}/_coopq\"\n_arguments \\\n"
                + arguments.joined(separator: " \\\n") + " \\\n    '*:script:_files -g \"*.coopq\"'\n"
        case "fish":
            return "# coopq completion for fish: coopq --completions fish > ~/.config/fish/completions/coopq.fish\n" + Options.specs.map { spec in
                var line = "complete -c coopq -l \(spec.long)"
                if let short = spec.short { line += " -s \(short)" }
                if spec.long == "corpus" { line += " -r -a '(__fish_complete_directories)'" }
                else if spec.long == "format" { line += " -x -a '\(OutputFormat.allCases.map(\.rawValue).joined(separator: " "))'" }
                else if spec.value != nil { line += " -r" }
                return line + " -d '\(spec.help.prefix(60).replacingOccurrences(of: "'", with: "\\'"))'"
            }.joined(separator: "\n") + "\n"
        default:
            return nil
        }
    }

    /// The manual page, in roff, from the help text.
    static var manPage: String {
        func roff(_ s: String) -> String { s.replacingOccurrences(of: "\\", with: "\\e").replacingOccurrences(of: "-", with: "\\-") }
        var out = ".TH COOPQ 1 \"\" \"coopq \(CoopQCommand.version)\" \"User Commands\"\n"
        out += ".SH NAME\ncoopq \\- query a corpus of news articles on China\\(enRussia cooperation\n"
        out += ".SH SYNOPSIS\n.B coopq\n[\\fIOPTIONS\\fR] [\\fISCRIPT\\fR ...]\n"
        out += ".SH DESCRIPTION\nWith no SCRIPT and no \\fB\\-e\\fR, coopq starts an interactive shell when standard input is a terminal, "
            + "and otherwise reads statements from standard input. Results go to standard output, errors to standard error.\n"
        out += ".SH OPTIONS\n"
        for spec in Options.specs {
            out += ".TP\n.B " + (spec.short.map { "\\-\($0), " } ?? "") + "\\-\\-" + roff(spec.long) + (spec.value.map { " \\fI\($0)\\fR" } ?? "") + "\n" + roff(spec.help) + "\n"
        }
        out += ".SH EXIT STATUS\n0 every statement ran; 1 a statement failed, or standard output could not be written; 2 a usage error; "
            + "4 with \\fB\\-\\-fail\\-empty\\fR, a result had no rows.\n"
        out += ".SH FILES\n.TP\n$XDG_CONFIG_HOME/coopq/init.coopq, ~/.coopqrc\nrun when the shell starts\n"
            + ".TP\n$XDG_CACHE_HOME/coopq\nsnapshots of loaded corpora (\\fBcoopq cache list\\fR, \\fBcoopq cache clear\\fR)\n"
            + ".TP\n$XDG_STATE_HOME/coopq/history\nthe shell's history\n"
        out += ".SH EXAMPLES\n.nf\ncoopq \\-e 'events where place = \"Xi'\\e''an\" and year >= 2023'\necho 'count events by year' | coopq \\-\\-format csv\n.fi\n"
        return out
    }
}
