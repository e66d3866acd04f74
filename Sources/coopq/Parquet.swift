import Foundation

/// An export folder's tables written as Parquet too, by DuckDB when this machine has it: its
/// command (`duckdb`) on the PATH, else its Python package (`python3 -c 'import duckdb'`).
/// `COOPQ_PARQUET=off` writes none. Without DuckDB, a folder holds CSV and JSON Lines, and its
/// `parquet.sql` for a machine that has it.
enum Parquet {
    /// What writes the tables as Parquet, given DuckDB's SQL for it; nil when there is no DuckDB.
    static func writer(environment: [String: String]) -> ((String) -> String?)? {
        guard environment["COOPQ_PARQUET"] != "off" else { return nil }
        let path = (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":").map(String.init)
        func find(_ name: String) -> String? {
            path.map { ($0 as NSString).appendingPathComponent(name) }.first { FileManager.default.isExecutableFile(atPath: $0) }
        }
        if let duckdb = find("duckdb") { return { script in run(duckdb, [], input: script) } }
        if let python = find("python3"), run(python, ["-c", "import duckdb"], input: "") == nil {
            return { script in run(python, ["-c", program], input: script) }
        }
        return nil
    }

    /// The statements of the SQL on standard input, one at a time, in an in-memory database.
    static let program = """
        import sys, duckdb
        con = duckdb.connect()
        for statement in sys.stdin.read().split(";\\n"):
            if statement.strip():
                con.execute(statement)
        """

    /// Runs a program with `input` on its standard input: nil when it succeeded, else why not.
    static func run(_ executable: String, _ arguments: [String], input: String) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let stdin = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = FileHandle.nullDevice
        process.standardError = stderr
        do { try process.run() } catch { return "\(executable) could not be run" }
        // The SQL is written on another thread while this one reads what the program complains
        // of: neither pipe fills while the other waits.
        let writer = Thread { try? stdin.fileHandleForWriting.write(contentsOf: Data(input.utf8)); try? stdin.fileHandleForWriting.close() }
        writer.start()
        let complaint = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus != 0 else { return nil }
        let last = complaint.split(separator: "\n").last.map(String.init) ?? "exit status \(process.terminationStatus)"
        return "\((executable as NSString).lastPathComponent): \(last)"
    }
}
