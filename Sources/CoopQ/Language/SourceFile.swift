/// A byte range in a source text. Positions are UTF-8 offsets; line and column are
/// computed only when a diagnostic is rendered.
public struct SourceRange: Hashable, Sendable {
    public var start: Int
    public var end: Int
    public init(_ start: Int, _ end: Int) { self.start = start; self.end = max(start, end) }
    public func union(_ other: SourceRange) -> SourceRange {
        SourceRange(min(start, other.start), max(end, other.end))
    }
}

/// The text of one script, `-e` statement or standard input, with its line starts.
public struct SourceFile: Sendable {
    /// How errors name it: the script's path, `-e`, or `<stdin>`.
    public let name: String
    public let text: String
    public let bytes: [UInt8]
    private let lineStarts: [Int]
    /// The number its first line has where it was typed: the shell numbers the lines of a session,
    /// so an error names the line as the user counts it (`<shell>:3:14`).
    public let firstLine: Int

    public init(name: String, text: String, firstLine: Int = 1) {
        self.name = name
        self.text = text
        self.firstLine = firstLine
        self.bytes = Array(text.utf8)
        var starts = [0]
        for (i, b) in bytes.enumerated() where b == UInt8(ascii: "\n") { starts.append(i + 1) }
        self.lineStarts = starts
    }

    /// 1-based line and column of a byte offset; the column counts characters, not bytes.
    public func location(of offset: Int) -> (line: Int, column: Int) {
        let offset = min(max(0, offset), bytes.count)
        // The last line starting at or before the offset (the first starts at 0).
        let lo = lineStarts.partitionIndex { $0 <= offset } - 1
        let column = String(decoding: bytes[lineStarts[lo]..<offset], as: UTF8.self).count + 1
        return (lo + 1, column)
    }

    /// The text of a 1-based line, without its line end.
    public func line(_ number: Int) -> String {
        guard number >= 1, number <= lineStarts.count else { return "" }
        let start = lineStarts[number - 1]
        var end = number < lineStarts.count ? lineStarts[number] - 1 : bytes.count
        if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        return String(decoding: bytes[start..<max(start, end)], as: UTF8.self)
    }

    /// `NAME:LINE:COLUMN` of a byte offset, as errors name it.
    public func position(of offset: Int) -> String {
        let (line, column) = location(of: offset)
        return "\(name):\(line + firstLine - 1):\(column)"
    }

    public func slice(_ range: SourceRange) -> String {
        let s = min(max(0, range.start), bytes.count), e = min(max(s, range.end), bytes.count)
        return String(decoding: bytes[s..<e], as: UTF8.self)
    }
}
