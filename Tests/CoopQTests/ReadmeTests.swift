import Foundation
import Testing

/// The README's `console` blocks, run as a reader would paste them: each `$ ` line through bash
/// with the built binary first on the PATH, its output (standard error too, CSV's CR LF as LF)
/// compared with the lines shown under it.
@Suite struct ReadmeExamples {
    struct Example: CustomStringConvertible {
        var command: String
        var output: String
        var line: Int
        var description: String { "README.md:\(line): \(command)" }
    }

    /// Every command of every ```console block, with the lines up to the next command or the
    /// block's end as its output.
    static let examples: [Example] = {
        guard let text = try? String(contentsOf: Fixture.root.appendingPathComponent("README.md"), encoding: .utf8) else { return [] }
        var examples: [Example] = []
        var inConsole = false
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.hasPrefix("```") {
                inConsole = line == "```console"
            } else if inConsole, line.hasPrefix("$ ") {
                examples.append(Example(command: String(line.dropFirst(2)), output: "", line: number + 1))
            } else if inConsole, !examples.isEmpty {
                examples[examples.count - 1].output += line + "\n"
            }
        }
        return examples
    }()

    @Test func theReadmeHasATour() {
        #expect(Self.examples.count >= 5)
    }

    @Test(arguments: examples)
    func printsWhatTheReadmeShows(_ example: Example) throws {
        let path = Fixture.binary.deletingLastPathComponent().path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let run = try coopq(["-c", example.command + " 2>&1"], environment: ["PATH": path],
                            binary: URL(fileURLWithPath: "/bin/bash"), directory: Fixture.root)
        #expect(run.stdout.replacingOccurrences(of: "\r\n", with: "\n") == example.output, "\(example)")
    }
}
