/// An error found in a statement, as a value: what is wrong, where, and what may help.
/// Rendering is separate (`render(in:)`), so tests and the REPL can inspect it.
public struct Diagnostic: Error, Equatable, Sendable {
    public var message: String
    public var range: SourceRange
    /// A near name that exists: rendered as `; did you mean 'place'?`.
    public var suggestion: String?
    /// Further lines shown under the caret, such as the values that do occur.
    public var notes: [String]
    /// True when the input simply stopped before the statement was complete (an open
    /// parenthesis or quote, a trailing `and`): the REPL asks for another line.
    public var isIncompleteInput: Bool
    /// An error stops the statement; a warning explains a result (an empty one) and does not.
    public var severity: Severity = .error

    public enum Severity: String, Sendable { case error, warning }

    public init(_ message: String, at range: SourceRange, suggestion: String? = nil,
                notes: [String] = [], incomplete: Bool = false, severity: Severity = .error) {
        self.message = message
        self.range = range
        self.suggestion = suggestion
        self.notes = notes
        self.isIncompleteInput = incomplete
        self.severity = severity
    }

    /// `WHERE:LINE:COL: error: MESSAGE`, the source line, and a caret under the culprit.
    public func render(in source: SourceFile, color: Bool = false) -> String {
        let (line, column) = source.location(of: range.start)
        let text = source.line(line)
        let label = severity.rawValue
        var said = message
        if let suggestion { said += "; did you mean " + (suggestion.hasPrefix("\"") ? suggestion : "'\(suggestion)'") + "?" }
        let place = source.position(of: range.start) + ":"
        var out = color
            ? "\u{1B}[1m\(place) \u{1B}[\(severity == .error ? "31" : "35")m\(label):\u{1B}[0;1m \(said)\u{1B}[0m"
            : "\(place) \(label): \(said)"
        out += "\n" + text + "\n"
        let prefix = text.prefix(column - 1).map { $0 == "\t" ? "\t" : " " }.joined()
        let endLocation = source.location(of: range.end)
        let width = endLocation.line == line ? max(1, endLocation.column - column) : max(1, text.count - column + 1)
        let caret = "^" + String(repeating: "~", count: width - 1)
        out += prefix + (color ? "\u{1B}[32m\(caret)\u{1B}[0m" : caret)
        for note in notes { out += "\n" + note }
        return out
    }
}
