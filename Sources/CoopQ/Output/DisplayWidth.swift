/// How many columns of a terminal text takes: East Asian wide and fullwidth characters two
/// (西安), combining marks and zero-width characters none, everything else one — as a terminal
/// draws them, so a table with Chinese text stays aligned.
extension Unicode.Scalar {
    var displayWidth: Int {
        let v = value
        if v < 0x300 { return v < 0x20 || (v >= 0x7F && v < 0xA0) ? 0 : 1 }
        switch properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        switch v {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
             0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
             0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD:
            return 2
        default:
            return 1
        }
    }
}

extension String {
    /// The columns the text takes on a terminal.
    var displayWidth: Int {
        if utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return utf8.count }
        return unicodeScalars.reduce(0) { $0 + $1.displayWidth }
    }

    /// The longest start of the text that takes at most `width` columns.
    func prefix(displayWidth width: Int) -> String {
        var taken = 0
        var out = String.UnicodeScalarView()
        for scalar in unicodeScalars {
            let w = scalar.displayWidth
            if taken + w > width { break }
            taken += w
            out.append(scalar)
        }
        return String(out)
    }

    /// The text cut to `width` columns, an ellipsis marking the cut.
    func truncated(toDisplayWidth width: Int) -> String {
        guard displayWidth > width else { return self }
        guard width > 1 else { return width == 1 ? "…" : "" }
        return prefix(displayWidth: width - 1) + "…"
    }

    /// The text cut into lines of at most `width` columns, at spaces where it can be.
    func wrapped(toDisplayWidth width: Int) -> [String] {
        guard width > 0, displayWidth > width else { return [self] }
        var lines: [String] = []
        var rest = Substring(self)
        while !rest.isEmpty {
            let whole = String(rest)
            if whole.displayWidth <= width { lines.append(whole); break }
            let head = whole.prefix(displayWidth: width)
            // Break at the last space of the line when there is one far enough in.
            var cut = head.count
            if let space = head.lastIndex(of: " "), head.distance(from: head.startIndex, to: space) > width / 3 {
                cut = head.distance(from: head.startIndex, to: space) + 1
            }
            let line = rest.prefix(max(1, cut))
            lines.append(String(line).trimmingTrailingSpaces())
            rest = rest.dropFirst(line.count).drop { $0 == " " }
        }
        return lines
    }

    /// Padded with spaces to `width` columns.
    func padded(toDisplayWidth width: Int) -> String {
        let w = displayWidth
        return w >= width ? self : self + String(repeating: " ", count: width - w)
    }
}
