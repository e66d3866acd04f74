import ArgumentParser
import Foundation

// Usage errors exit 2 (the command-line contract), not argument-parser's 64.
do {
    var command = try CoopQCommand.parseAsRoot()
    try command.run()
} catch {
    let code = CoopQCommand.exitCode(for: error)
    let message = CoopQCommand.fullMessage(for: error)
    if code == .success {
        if !message.isEmpty { print(message) }
        exit(0)
    }
    if let exitStatus = error as? ExitCode { exit(exitStatus.rawValue) }
    let text = message.hasPrefix("Error: ") ? String(message.dropFirst(7)) : message
    if !text.isEmpty { FileHandle.standardError.write(Data(("coopq: " + text + "\n").utf8)) }
    exit(2)
}
