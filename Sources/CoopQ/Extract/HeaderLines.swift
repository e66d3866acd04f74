/// The short lines a saved news page puts above its article, told apart by their shapes: the
/// site's path of sections, a section's label, an outlet's name alone, a byline, a photo caption,
/// a kicker over the headline. Each is a rule `HeaderParser` tries on a header line; none reads
/// further than its line.
enum HeaderLines {
    enum Breadcrumb: Equatable { case path, headline(String) }

    /// "Home » Blog » Yangtze Pact Brings Gains", "Home > News > Significant News", "News / National":
    /// a path of the site's sections, whose last part may be the headline (four words or more,
    /// after "Home" or two separators). Nil when the line is no path.
    static func breadcrumb(_ t: String) -> Breadcrumb? {
        // Most lines have no separator: decided on their bytes (`>`, and the lead bytes of » and ›, and " / ").
        var arrow = false, slash = false
        for c in t.utf8 {
            if c == UInt8(ascii: ">") || c == 0xC2 || c == 0xE2 { arrow = true } else if c == UInt8(ascii: "/") { slash = true }
        }
        guard arrow || slash else { return nil }
        let parts: [String]
        if arrow, t.contains(where: { $0 == "»" || $0 == "›" || $0 == ">" }) {
            parts = t.split(whereSeparator: { $0 == "»" || $0 == "›" || $0 == ">" }).map { String($0).trimmed }
        } else if t.contains(" / ") {
            parts = t.components(separatedBy: " / ").map { $0.trimmed }
        } else {
            return nil
        }
        guard parts.count >= 2, !parts.contains(where: \.isEmpty) else { return nil }
        let words = parts.map(wordCount)
        let home = parts[0].lowercased() == "home"
        // Every part but a headline at the end is a section's name of a few words.
        guard words.dropLast().allSatisfy({ $0 <= 3 }) else { return nil }
        if words.last! <= 3 { return isSectionPath(parts) || home || parts.count >= 3 ? .path : nil }
        return home || parts.count >= 3 ? .headline(parts.last!) : nil
    }

    /// Two short parts with no "Home" are a path only when a part names a section ("News /
    /// National"), not when they could be a short headline ("Russia / China").
    private static func isSectionPath(_ parts: [String]) -> Bool {
        let sections = Lexicon.shared.words("site-sections")
        return parts.contains { sections.contains($0.lowercased()) } && parts.allSatisfy { wordCount($0) <= 2 }
    }

    /// "Asia China Diplomatic News", "World News": a label of the site's sections, every word a
    /// section's word or a place, at least one a section's.
    static func isSectionLabel(_ t: String) -> Bool {
        guard t.utf8.count(where: { $0 == 0x20 }) < 6 else { return false }
        let words = t.split(separator: " ").map { $0.lowercased().filter { $0 != "," && $0 != ":" } }
        guard (1...6).contains(words.count) else { return false }
        let sections = Lexicon.shared.words("site-sections")
        var section = false
        for w in words {
            if sections.contains(w) { section = true; continue }
            guard Lexicon.shared.places[Lexicon.phraseKey(w)] != nil else { return false }
        }
        return section
    }

    /// "Global Times" alone on its line: the outlet the article is from.
    static func outlet(_ t: String) -> String? {
        guard t.utf8.count <= 40, t.utf8.count(where: { $0 == 0x20 }) <= 4, let org = Lexicon.shared.organizations[Lexicon.phraseKey(t)], org.kind == "media" else { return nil }
        return org.name
    }

    /// "By Chen Qingqing in Heihe", "- By Zhang Wei and Li Na": the credited names, and the place
    /// the article was written in.
    static func byline(_ t: String) -> (authors: [String], place: String?)? {
        var rest = Substring(t)
        while let f = rest.first, f == "-" || f == "—" || f == "–" || f == " " { rest = rest.dropFirst() }
        guard rest.hasPrefix("By ") || rest.hasPrefix("by "), wordCount(String(rest)) <= 10 else { return nil }
        var names = String(rest.dropFirst(3)).trimmed
        var place: String?
        if let at = names.range(of: " in ") {
            let written = String(names[at.upperBound...]).trimmed
            if let p = Lexicon.shared.places[Lexicon.phraseKey(written)], p.kind == "city" { place = p.name }
            names = String(names[..<at.lowerBound])
        }
        if names.uppercased() == names { names = names.capitalizedWords }
        let authors = Array(names.utf8).withUnsafeBufferPointer { HeaderParser.creditedNames($0) }
        return authors.isEmpty ? nil : (authors, place)
    }

    /// A photo caption: a line that ends with a photographer's credit in brackets
    /// ("... Sept. 29, 2020. (Xinhua/Yue Yuewei)", "... on October 11 (LI XUEREN) |").
    static func isCaption(_ t: String) -> Bool {
        var line = Substring(t)
        while let l = line.last, l == "|" || l == " " { line = line.dropLast() }
        guard line.last == ")", let open = line.lastIndex(of: "(") else { return false }
        let credit = line[line.index(after: open)..<line.index(before: line.endIndex)].trimmed
        guard !credit.isEmpty, credit.count <= 60 else { return false }
        if credit.hasPrefix("Photo") { return true }
        if let slash = credit.firstIndex(of: "/") {
            let agency = Lexicon.shared.organizations[Lexicon.phraseKey(String(credit[..<slash]))]
            return agency?.kind == "media"
        }
        // A photographer's name in capitals, as news photo services print it.
        return credit.uppercased() == credit && credit.contains(" ") && HeaderParser.isNameShaped(credit)
    }

    static func wordCount(_ t: String) -> Int { t.split(separator: " ").count }
}
