/// Runs the statements of one source (a script, `-e`, standard input, a REPL entry) one
/// after another, writing results and errors through the given sinks. Stops at the first
/// failing statement, as the command line promises. Holds no terminal code.
public struct Runner {
    public var engine: Engine
    public var style: OutputStyle
    public var timing: Bool
    public var colorErrors: Bool
    public var write: (String) -> Void
    public var writeError: (String) -> Void
    /// Say why an empty result is empty, as warnings on standard error, when it can be told.
    public var explainEmptyResults = true
    /// Told of every result (`--fail-empty` counts the empty ones).
    public var onResult: ((Table) -> Void)?

    public init(engine: Engine, style: OutputStyle, timing: Bool = false, colorErrors: Bool = false,
                write: @escaping (String) -> Void, writeError: @escaping (String) -> Void) {
        self.engine = engine
        self.style = style
        self.timing = timing
        self.colorErrors = colorErrors
        self.write = write
        self.writeError = writeError
    }

    public enum Outcome: Equatable { case ok, failed, incomplete }

    /// Runs every statement of `source`; `.incomplete` when the text stopped mid-statement
    /// (and `reportIncomplete` is false, so the REPL can ask for more).
    @discardableResult
    public func run(_ source: SourceFile, reportIncomplete: Bool = true) -> Outcome {
        var parser: Parser
        do { parser = try Parser(source) } catch {
            if error.isIncompleteInput && !reportIncomplete { return .incomplete }
            writeError(error.render(in: source, color: colorErrors) + "\n")
            return .failed
        }
        if !reportIncomplete {
            // Check the whole entry first: an unfinished last statement asks for another line.
            var probe = parser
            do { while try probe.nextStatement() != nil {} } catch {
                if error.isIncompleteInput { return .incomplete }
            }
        }
        while true {
            let statement: Statement
            do {
                guard let s = try parser.nextStatement() else { return .ok }
                statement = s
            } catch {
                writeError(error.render(in: source, color: colorErrors) + "\n")
                return .failed
            }
            let clock = ContinuousClock()
            let start = clock.now
            do {
                _ = MappedFaults.take()
                if let table = try engine.run(statement) {
                    // A failed read of a mapped snapshot gave zeros for text: no result, an error.
                    if MappedFaults.take() {
                        writeError((colorErrors ? "\u{1B}[1;31merror:\u{1B}[0m " : "error: ") + MappedFaults.message + "\n")
                        return .failed
                    }
                    write(Formatter.render(table, style))
                    onResult?(table)
                    if let notice = table.notice { writeError("note: \(notice)\n") }
                    if explainEmptyResults, table.rows.isEmpty {
                        for warning in engine.explainEmpty(statement) { writeError(warning.render(in: source, color: colorErrors) + "\n") }
                    }
                }
            } catch {
                writeError(error.render(in: source, color: colorErrors) + "\n")
                return .failed
            }
            if timing {
                let elapsed = clock.now - start
                let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
                writeError("time: \(ms < 10 ? String(Int((ms * 100).rounded())).paddedMs : String(Int(ms.rounded()))) ms\n")
            }
        }
    }

    /// Why `source` is not a coopq script, said without quoting it (a `.read` of a private file
    /// must not print its lines): nil when it is text whose first statement parses.
    public static func notAScript(_ source: SourceFile) -> String? {
        if source.text.unicodeScalars.contains(where: { $0 == "\0" || $0 == "\u{FFFD}" }) {
            return "'\(source.name)' is not a coopq script: it is not text"
        }
        do {
            var parser = try Parser(source)
            _ = try parser.nextStatement()
        } catch {
            let (line, column) = source.location(of: error.range.start)
            return "'\(source.name)' is not a coopq script: its first statement does not parse (line \(line), column \(column))"
        }
        return nil
    }

    /// A `--param` value read as a literal: `2016` a number, `2025-11` a date, anything else a string.
    public static func parameterValue(_ text: String) -> Value {
        if let d = PartialDate(iso: text), text.count > 4 { return .date(d) }
        if let n = Double(text), n.isFinite, text.first.map({ $0.isNumber || $0 == "-" || $0 == "." }) == true { return .number(n) }
        return .string(text)
    }
}

extension String {
    /// "123" (hundredths of a millisecond) → "1.23".
    var paddedMs: String {
        let padded = String(repeating: "0", count: max(0, 3 - count)) + self
        return String(padded.dropLast(2)) + "." + String(padded.suffix(2))
    }
}
