import Foundation
import Testing
import CoopQ

/// The built binary, run as users run it: stdout, stderr and exit status.
@Suite struct EndToEnd {
    @Test func xianForumAsJSON() throws {
        let run = try coopq(["-e", "events where place = \"Xi'an\" and year >= 2023 and ordinal is not null", "--format", "json"])
        #expect(run.status == 0)
        #expect(run.stderr == "")
        #expect(run.stdout.contains("\"name\":\"6th China-Russia Small and Medium-sized Enterprises Forum\""))
        #expect(run.stdout.contains("\"ordinal\":6"))
        #expect(run.stdout.hasPrefix("[{") && run.stdout.hasSuffix("}]\n"))
    }

    @Test func answersFromAnotherDirectoryAfterTheBinaryIsCopied() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("coopq-copy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let copy = dir.appendingPathComponent("coopq")
        try FileManager.default.copyItem(at: Fixture.binary, to: copy)
        let run = try coopq(["-e", "events where place = \"Xi'an\" and ordinal = 6 select ordinal", "--format", "csv"],
                            binary: copy, directory: URL(fileURLWithPath: "/"))
        #expect(run.status == 0)
        #expect(run.stdout == "ordinal\r\n6\r\n")
    }

    @Test func statementsFromStandardInput() throws {
        let run = try coopq(["--format", "csv"], stdin: "people where country = \"Russia\" select name order by name\n")
        #expect(run.status == 0)
        #expect(lines(run.stdout).contains("Mikhail Mishustin"))
        #expect(lines(run.stdout).first == "name")
    }

    @Test func parameters() throws {
        let run = try coopq(["--param", "y=2016", "-e", "events where year = $y select year", "--format", "csv"])
        #expect(run.status == 0)
        #expect(!lines(run.stdout).dropFirst().isEmpty)
        #expect(lines(run.stdout).dropFirst().allSatisfy { $0 == "2016" })
    }

    @Test func unknownFieldExitsOne() throws {
        let run = try coopq(["-e", "events where palce = 1"])
        #expect(run.status == 1)
        #expect(run.stdout == "")
        #expect(run.stderr.hasPrefix("-e:1:14: error: "))
        #expect(run.stderr.contains("did you mean 'place'"))
        #expect(run.stderr.contains("\n             ^"))
    }

    @Test func errorsNameWhichExecute() throws {
        let run = try coopq(["-e", "count events", "-e", "events where palce = 1"])
        #expect(run.status == 1)
        #expect(run.stderr.hasPrefix("-e#2:1:14: error: "), "\(run.stderr)")
    }

    @Test func errorsNameTheirSource() throws {
        let run = try coopq([], stdin: "count events\nevents where year = \"x\"\ncount people\n")
        #expect(run.status == 1)
        #expect(run.stderr.hasPrefix("<stdin>:2:21: error: "))
        // The statement before the error ran; the one after did not.
        #expect(run.stdout.contains("count"))
        #expect(!run.stdout.contains("people"))
    }

    @Test func usageErrorsExitTwo() throws {
        let bogus = try coopq(["--bogus"])
        #expect(bogus.status == 2)
        #expect(bogus.stdout == "")
        #expect(bogus.stderr.contains("--bogus"))

        let corpus = try coopq(["--corpus", "/nonexistent", "-e", "count events"])
        #expect(corpus.status == 2)
        #expect(corpus.stdout == "")
        #expect(corpus.stderr.contains("/nonexistent"))

        let format = try coopq(["--format", "xml", "-e", "count events"])
        #expect(format.status == 2)
        #expect(format.stderr.contains("unknown format 'xml'"))

        let param = try coopq(["--param", "year", "-e", "count events"])
        #expect(param.status == 2)

        let script = try coopq(["/nonexistent/script.coopq"])
        #expect(script.status == 2)
        #expect(script.stderr.contains("no such script"))

        let missingValue = try coopq(["--format"])
        #expect(missingValue.status == 2)
    }

    /// The hand-written option parser: every spelling a user may type, and the errors it gives.
    @Test(arguments: [
        (["--format=csv", "-e", "count documents"], 0, "count\r\n5\r\n", ""),
        (["--format", "csv", "-ecount documents"], 0, "count\r\n5\r\n", ""),
        (["--format", "csv", "--execute=count documents"], 0, "count\r\n5\r\n", ""),
        (["--formt", "csv"], 2, "", "unknown option '--formt'; did you mean '--format'?"),
        (["--no-cache=yes"], 2, "", "'--no-cache' takes no value"),
        (["-x"], 2, "", "unknown option '-x'"),
        (["--corpus"], 2, "", "missing value for '--corpus <DIR>'"),
        (["--format", "csv", "--", "--not-an-option.coopq"], 2, "", "no such script '--not-an-option.coopq'"),
    ] as [([String], Int32, String, String)])
    func optionSpellings(arguments: [String], status: Int32, stdout: String, stderr: String) throws {
        let run = try coopq(arguments)
        #expect(run.status == status, "\(arguments): \(run.stderr)")
        #expect(run.stdout == stdout)
        #expect(stderr.isEmpty ? run.stderr.isEmpty : run.stderr.contains(stderr), "\(run.stderr)")
    }

    @Test func helpAndVersion() throws {
        let help = try coopq(["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("--corpus"))
        let version = try coopq(["--version"])
        #expect(version.status == 0)
        #expect(version.stdout.hasPrefix("coopq 0."))
        #expect(version.stdout.contains("extractor data "), "\(version.stdout)")
        // Built from a git checkout (as the suite always is): the commit, twelve hex digits.
        if FileManager.default.fileExists(atPath: Fixture.root.appendingPathComponent(".git/HEAD").path) {
            #expect(version.stdout.range(of: #"\(commit [0-9a-f]{12}\)"#, options: .regularExpression) != nil, "\(version.stdout)")
        }
    }

    /// describe gives numbers as numbers and names without spaces; a why that finds nothing says why.
    @Test func describeAndEmptyWhy() throws {
        let run = try coopq(["--format", "jsonl", "-e", "describe people"])
        let first = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.split(separator: "\n")[0].utf8)) as? [String: Any])
        #expect(first["percent"] as? Double == 100)
        #expect(first["top_values"] is String)
        let why = try coopq(["-e", "why events where ordinal = 99"])
        #expect(why.status == 0)
        #expect(why.stderr.contains("warning: no event meets ordinal = 99"), "\(why.stderr)")
    }

    @Test func aScriptFromStandardInput() throws {
        let run = try coopq(["--format", "csv", "-"], stdin: "count documents\n")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == "count\r\n5\r\n")
    }

    /// --fail-empty: status 4 when a result has no rows, as jq -e; 0 when every result has some.
    @Test(arguments: [("count documents", Int32(0)), ("events where place = \"Nowhere\"", 4),
                      ("events where palce = 1", 1)])
    func failEmpty(statement: String, status: Int32) throws {
        let run = try coopq(["--fail-empty", "--format", "csv", "-e", statement])
        #expect(run.status == status, "\(run.stderr)")
    }

    @Test func scriptsWithShebangRunInOrder() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("coopq-script-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let a = dir.appendingPathComponent("a.coopq"), b = dir.appendingPathComponent("b.coopq")
        try "#!/usr/bin/env coopq\ncount documents\n".write(to: a, atomically: true, encoding: .utf8)
        try "count documents where year = 2016; count documents where year = 1900".write(to: b, atomically: true, encoding: .utf8)
        let run = try coopq(["--format", "csv", a.path, b.path])
        #expect(run.status == 0)
        #expect(lines(run.stdout) == ["count", "5", "count", "1", "count", "0"])
    }

    @Test func userCorpusFolder() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("coopq-corpus-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try """
            HARBIN, June 15. /TASS/. Russian Deputy Prime Minister Yury Trutnev and Chinese Vice Premier Ding Xuexiang \
            opened the 9th China-Russia Expo in Harbin on Saturday.
            """.write(to: dir.appendingPathComponent("tass-expo.txt"), atomically: true, encoding: .utf8)
        try "not an article".write(to: dir.appendingPathComponent("notes.md"), atomically: true, encoding: .utf8)
        let run = try coopq(["--corpus", dir.path, "--format", "csv", "-e", "documents select id, source, place"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(lines(run.stdout) == ["id,source,place", "tass-expo,TASS,Harbin"])
        let env = try coopq(["--format", "csv", "-e", "count documents"], environment: ["COOPQ_CORPUS": dir.path])
        #expect(lines(env.stdout) == ["count", "1"])
    }

    @Test func stagesOfALoadGoToStandardError() throws {
        let seeds = Fixture.root.appendingPathComponent("seeds").path
        let run = try coopq(["--corpus", seeds, "--no-cache", "--format", "csv", "-e", "count documents"], environment: ["COOPQ_STAGES": "1"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == "count\r\n5\r\n")
        let report = run.stderr.split(separator: "\n").map(String.init)
        #expect(report.first == "coopq: CPU time by stage of the load (all threads)")
        for stage in StageClock.Stage.allCases { #expect(report.contains { $0.hasPrefix("  " + stage.name + " ") }, "\(stage.name)") }
        #expect(report.last?.hasPrefix("  total ") == true)
        let quiet = try coopq(["--corpus", seeds, "--no-cache", "--format", "csv", "-e", "count documents"])
        #expect(quiet.stderr.isEmpty)
    }

    /// coopq reads the environment by `getenv` for a list of names, not as a whole: every name
    /// the sources look up must be in that list.
    @Test func everyEnvironmentVariableReadIsListed() throws {
        let sources = Fixture.root.appendingPathComponent("Sources")
        let command = try String(contentsOf: sources.appendingPathComponent("coopq/Command.swift"), encoding: .utf8)
        let listLine = try #require(command.split(separator: "\n").first { $0.contains("static let environmentVariables") })
        var names = Set<String>()
        for case let url as URL in FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)! where url.pathExtension == "swift" {
            let text = try String(contentsOf: url, encoding: .utf8)
            var rest = Substring(text)
            while let r = rest.range(of: "environment[\"") {
                let after = rest[r.upperBound...]
                if let end = after.firstIndex(of: "\"") { names.insert(String(after[..<end])) }
                rest = after
            }
        }
        #expect(names.count >= 7)
        for name in names { #expect(listLine.contains("\"\(name)\""), "\(name) is read but not in environmentVariables") }
    }

    @Test func timingGoesToStandardError() throws {
        let run = try coopq(["--timing", "--format", "csv", "-e", "count documents"])
        #expect(run.status == 0)
        #expect(run.stdout == "count\r\n5\r\n")
        #expect(run.stderr.hasPrefix("time: ") && run.stderr.hasSuffix(" ms\n"))
    }
}

/// `--completions bash` completes options, formats and folders; `--man` is a manual page that
/// man renders.
@Test func completionsAndManPage() throws {
    let script = try coopq(["--completions", "bash"]).stdout
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("coopq-completion-\(UUID().uuidString).bash").path
    try script.write(toFile: path, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let check = """
        source "$0"
        COMP_WORDS=(coopq --for); COMP_CWORD=1; _coopq; echo "${COMPREPLY[*]}"
        COMP_WORDS=(coopq --format c); COMP_CWORD=2; _coopq; echo "${COMPREPLY[*]}"
        """
    let run = try coopq(["-c", check, path], binary: URL(fileURLWithPath: "/bin/bash"))
    #expect(run.stdout == "--format\ncsv\n", "\(run.stdout) \(run.stderr)")
    for shell in ["zsh", "fish"] { #expect(try coopq(["--completions", shell]).stdout.contains("--corpus") || shell == "fish") }
    #expect(try coopq(["--completions", "tcsh"]).status == 2)
    let man = try coopq(["--man"])
    #expect(man.stdout.hasPrefix(".TH COOPQ 1"))
    if FileManager.default.isExecutableFile(atPath: "/usr/bin/man") {
        let page = FileManager.default.temporaryDirectory.appendingPathComponent("coopq-\(UUID().uuidString).1").path
        try man.stdout.write(toFile: page, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: page) }
        let shown = try coopq(["-l", page], environment: ["MANPAGER": "cat", "MANWIDTH": "80"], binary: URL(fileURLWithPath: "/usr/bin/man"))
        #expect(shown.stdout.contains("--fail-empty"), "\(shown.stderr)")
    }
}
