/// Turns source text into tokens in one pass over its UTF-8 bytes.
///
/// `2025-11-24`, `2025-11` are date tokens; a bare `2025` is a number that the checker
/// reads as a year where a date is expected. `--` starts a comment to the end of the line.
public struct Lexer {
    /// The longest string literal, in bytes.
    public static let maximumString = 1_000_000
    private let bytes: [UInt8]
    private var position = 0
    private var sawNewline = false

    public init(_ source: SourceFile) { self.bytes = source.bytes }

    /// All tokens up to and including `.end`, or the first lexical error.
    public static func tokenize(_ source: SourceFile) throws(Diagnostic) -> [Token] {
        var lexer = Lexer(source)
        var tokens: [Token] = []
        while true {
            let token = try lexer.next()
            tokens.append(token)
            if token.kind == .end { return tokens }
        }
    }

    public mutating func next() throws(Diagnostic) -> Token {
        skipTrivia()
        let start = position
        let startsLine = sawNewline
        sawNewline = false
        guard position < bytes.count else {
            return Token(kind: .end, text: "", range: SourceRange(start, start), startsLine: startsLine, value: "")
        }
        let b = bytes[position]
        func token(_ kind: Token.Kind, value: String? = nil) -> Token {
            let text = String(decoding: bytes[start..<position], as: UTF8.self)
            return Token(kind: kind, text: text, range: SourceRange(start, position), startsLine: startsLine, value: value ?? text)
        }
        if b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") { return try string(quote: b, start: start, startsLine: startsLine) }
        if isDigit(b) { return try numberOrDate(start: start, startsLine: startsLine) }
        if b == UInt8(ascii: "$") {
            position += 1
            let nameStart = position
            while position < bytes.count, isIdentifierByte(bytes[position]) { position += 1 }
            if position == nameStart {
                throw Diagnostic("expected a parameter name after '$'", at: SourceRange(start, position))
            }
            return token(.parameter, value: String(decoding: bytes[nameStart..<position], as: UTF8.self))
        }
        if isIdentifierStart(b) {
            while position < bytes.count, isIdentifierByte(bytes[position]) { position += 1 }
            let t = token(.identifier)
            return keywords.contains(t.text.lowercased()) ? Token(kind: .keyword, text: t.text, range: t.range, startsLine: startsLine, value: t.text.lowercased()) : t
        }
        position += 1
        let next = position < bytes.count ? bytes[position] : 0
        switch b {
        case UInt8(ascii: "!"):
            guard next == UInt8(ascii: "=") else { throw Diagnostic("unexpected '!'; use 'not' or '!='", at: SourceRange(start, position)) }
            position += 1
        case UInt8(ascii: "<"):
            if next == UInt8(ascii: "=") || next == UInt8(ascii: ">") { position += 1 }
        case UInt8(ascii: ">"):
            if next == UInt8(ascii: "=") { position += 1 }
        case UInt8(ascii: "="):
            if next == UInt8(ascii: "=") { position += 1 }
        case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: ","), UInt8(ascii: ";"),
             UInt8(ascii: "."), UInt8(ascii: "*"), UInt8(ascii: "-"):
            break
        default:
            // Step over a whole UTF-8 sequence so the message names the character.
            while position < bytes.count, bytes[position] & 0xC0 == 0x80 { position += 1 }
            let text = String(decoding: bytes[start..<position], as: UTF8.self)
            let shown = b == 0 ? "NUL byte" : (text.unicodeScalars.first.map { $0.properties.isWhitespace || $0.value < 0x20 } ?? true
                ? "character U+\(String(text.unicodeScalars.first?.value ?? UInt32(b), radix: 16, uppercase: true))" : "character '\(text)'")
            throw Diagnostic("unexpected \(shown)", at: SourceRange(start, position))
        }
        let t = token(.symbol)
        return t.text == "==" ? Token(kind: .symbol, text: "=", range: t.range, startsLine: startsLine, value: "=") : t
    }

    private mutating func skipTrivia() {
        while position < bytes.count {
            let b = bytes[position]
            if b == UInt8(ascii: "\n") { sawNewline = true; position += 1 }
            else if b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") || b == UInt8(ascii: "\r") { position += 1 }
            else if b == 0xEF, position + 2 < bytes.count, bytes[position + 1] == 0xBB, bytes[position + 2] == 0xBF { position += 3 }
            else if b == UInt8(ascii: "-"), position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "-") {
                while position < bytes.count, bytes[position] != UInt8(ascii: "\n") { position += 1 }
            } else if b == UInt8(ascii: "#"), position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "!"), position == 0 {
                // A `#!/usr/bin/env coopq` first line.
                while position < bytes.count, bytes[position] != UInt8(ascii: "\n") { position += 1 }
            } else { return }
        }
    }

    private mutating func string(quote: UInt8, start: Int, startsLine: Bool) throws(Diagnostic) -> Token {
        position += 1
        var value: [UInt8] = []
        while position < bytes.count {
            let b = bytes[position]
            if b == quote {
                position += 1
                guard value.count <= Lexer.maximumString else {
                    throw Diagnostic("a string of over \(Lexer.maximumString / 1_000_000) MB is too long", at: SourceRange(start, start + 1))
                }
                let text = String(decoding: bytes[start..<position], as: UTF8.self)
                return Token(kind: .string, text: text, range: SourceRange(start, position), startsLine: startsLine,
                             value: String(decoding: value, as: UTF8.self))
            }
            if b == UInt8(ascii: "\n") { break }
            if b == UInt8(ascii: "\\"), position + 1 < bytes.count {
                let e = bytes[position + 1]
                switch e {
                case UInt8(ascii: "n"): value.append(UInt8(ascii: "\n"))
                case UInt8(ascii: "t"): value.append(UInt8(ascii: "\t"))
                case UInt8(ascii: "\\"), UInt8(ascii: "\""), UInt8(ascii: "'"): value.append(e)
                default:
                    throw Diagnostic("unknown escape '\\\(Character(Unicode.Scalar(e)))' in string; write '\\\\' for a backslash",
                                     at: SourceRange(position, position + 2))
                }
                position += 2
                continue
            }
            value.append(b)
            position += 1
        }
        let q = quote == UInt8(ascii: "\"") ? "\"" : "'"
        throw Diagnostic("unterminated string; expected \(q) to close it", at: SourceRange(start, position),
                         incomplete: position >= bytes.count)
    }

    private mutating func numberOrDate(start: Int, startsLine: Bool) throws(Diagnostic) -> Token {
        while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        // A date: four digits, then -MM and optionally -DD, with no spaces.
        if position - start == 4, position + 2 < bytes.count, bytes[position] == UInt8(ascii: "-"),
           isDigit(bytes[position + 1]), isDigit(bytes[position + 2]) {
            position += 3
            if position + 2 < bytes.count, bytes[position] == UInt8(ascii: "-"), isDigit(bytes[position + 1]), isDigit(bytes[position + 2]) {
                position += 3
            }
            let text = String(decoding: bytes[start..<position], as: UTF8.self)
            guard PartialDate(iso: text) != nil else {
                throw Diagnostic("'\(text)' is not a date in the calendar", at: SourceRange(start, position))
            }
            return Token(kind: .date, text: text, range: SourceRange(start, position), startsLine: startsLine, value: text)
        }
        if position + 1 < bytes.count, bytes[position] == UInt8(ascii: "."), isDigit(bytes[position + 1]) {
            position += 1
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
            var p = position + 1
            if p < bytes.count, bytes[p] == UInt8(ascii: "-") || bytes[p] == UInt8(ascii: "+") { p += 1 }
            if p < bytes.count, isDigit(bytes[p]) {
                position = p
                while position < bytes.count, isDigit(bytes[position]) { position += 1 }
            }
        }
        if position < bytes.count, isIdentifierStart(bytes[position]) {
            while position < bytes.count, isIdentifierByte(bytes[position]) { position += 1 }
            throw Diagnostic("'\(String(decoding: bytes[start..<position], as: UTF8.self))' is neither a number nor a name",
                             at: SourceRange(start, position))
        }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        guard let n = Double(text), n.isFinite, position - start <= 40 else {
            throw Diagnostic("number '\(text.count > 24 ? String(text.prefix(20)) + "…" : text)' is too large", at: SourceRange(start, position))
        }
        return Token(kind: .number, text: text, range: SourceRange(start, position), startsLine: startsLine, value: text)
    }

    private func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
    private func isIdentifierStart(_ b: UInt8) -> Bool {
        (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
            || b == UInt8(ascii: "_") || b >= 0xC0
    }
    private func isIdentifierByte(_ b: UInt8) -> Bool { isIdentifierStart(b) || isDigit(b) || (b >= 0x80 && b < 0xC0) }
}
