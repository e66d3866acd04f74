import Foundation
import Testing

/// Standard input and output that cannot be read or written: a clear error and a failing status,
/// never a crash and never a result cut short in silence.
@Suite struct StandardStreams {
    /// Runs `coopq ARGS` through bash with the built binary first on the PATH.
    func shell(_ command: String) throws -> Execution {
        let path = Fixture.binary.deletingLastPathComponent().path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        return try coopq(["-c", command], environment: ["PATH": path], binary: URL(fileURLWithPath: "/bin/bash"), directory: Fixture.root)
    }

    @Test(arguments: [
        ("coopq < /tmp", "coopq: cannot read standard input: Is a directory\n"),
        ("coopq 0<&-", "coopq: cannot read standard input: Bad file descriptor\n"),
        ("coopq < /dev/zero", "coopq: standard input is over 64 MB; a script of statements is far smaller\n"),
    ])
    func unreadableStandardInput(command: String, message: String) throws {
        let run = try shell(command)
        #expect(run.status == 2)
        #expect(run.stderr == message)
        #expect(run.stdout.isEmpty)
    }

    @Test func aFullDiskIsAnErrorNotACutResult() throws {
        let run = try shell("coopq -e 'documents' --format csv > /dev/full")
        #expect(run.status == 1)
        #expect(run.stderr == "coopq: cannot write standard output: No space left on device\n")
    }

    @Test func aStatementThatFailsAfterAFailedWriteStillSaysSo() throws {
        let run = try shell("coopq -e 'documents' -e 'events where palce = 1' > /dev/full")
        #expect(run.status == 1)
        #expect(run.stderr.contains("cannot write standard output"))
    }
}
