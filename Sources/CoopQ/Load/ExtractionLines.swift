import Foundation

/// One article's extraction (before documents are put together) as a line of JSON: what
/// `coopq extract` writes, a line an article, and `--corpus-parts` reads back, so that articles
/// can be extracted anywhere (a shard each, on Spark's workers) and assembled in one place into
/// the model a single load makes. The format is documented in docs/scale-out.md.
enum ExtractionLines {
    /// The first line of a part: its format and version, and the extractor that wrote it (the
    /// build of coopq, and its word lists and rules): a part of another extractor's is refused, as
    /// its keys and readings would not match.
    static func header(extractor: String) -> [String: Any] {
        ["format": "coopq-extraction", "version": 1, "extractor": extractor, "lexicons": Lexicon.fingerprint, "rules": RuleBook.shared.rules.count]
    }

    struct Invalid: Error, CustomStringConvertible {
        var description: String
    }

    // MARK: writing

    /// The JSON object of article number `n` of the corpus's listing.
    static func object(_ x: DocumentExtraction, number n: Int) -> [String: Any] {
        let d = x.document
        var evidence: [String: Any] = [:]
        d.evidence.forEachEntry { field, p in evidence[field] = [p.start, p.end] }
        return [
            "n": n, "id": d.id, "path": d.path, "title": d.title ?? NSNull(), "date": date(d.date), "source": d.source ?? NSNull(),
            "place": d.place ?? NSNull(), "author": d.author, "words": d.words, "text": d.text, "evidence": evidence, "rules": d.rules,
            "sentences": x.sentences.map { [$0.lowerBound, $0.upperBound] }, "reference": date(x.reference),
            "people": x.people.map(person), "personKeys": x.personKeys, "titleKeys": x.titleKeys,
            "mentions": x.mentions.map(mention), "mentionKeys": x.mentionKeys,
            "mentionSurfaces": x.mentionSurfaces.map { $0 ?? NSNull() as Any },
            "topics": x.topics.map { [$0.topic, $0.sentence, $0.tokens.lowerBound, $0.tokens.upperBound] as [Any] },
            "events": x.events.map(event),
            "agreements": x.agreements.map { ["name": $0.name, "parties": $0.parties, "sentence": $0.sentence, "at": $0.at,
                                              "signedAgainIn": $0.signedAgainIn] as [String: Any] },
            "agreementDates": x.agreementDates.map(date),
            "figures": x.figures.map { ["value": $0.value, "unit": $0.unit, "measure": $0.measure ?? NSNull(), "year": $0.year ?? NSNull(),
                                        "sentence": $0.sentence] as [String: Any] },
        ]
    }

    /// A line of JSON, ending in a line break.
    static func line(_ object: [String: Any]) -> Data {
        var data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        data.append(0x0A)
        return data
    }

    private static func date(_ d: PartialDate?) -> Any {
        guard let d else { return NSNull() }
        return [d.year, d.month ?? NSNull(), d.day ?? NSNull()] as [Any]
    }

    private static func place(_ p: Lexicon.PlaceEntry?) -> Any {
        guard let p else { return NSNull() }
        return ["name": p.name, "kind": p.kind, "region": p.region ?? NSNull(), "country": p.country ?? NSNull()] as [String: Any]
    }

    private static func person(_ p: LocalPerson) -> [String: Any] {
        ["name": p.name, "tokens": p.tokens, "country": p.country ?? NSNull(), "countryFromText": p.countryFromText, "titles": p.titles,
         "organizations": p.organizations, "mentions": p.mentions.map { [$0.sentence, $0.tokens.lowerBound, $0.tokens.upperBound] },
         "firstSentence": p.firstSentence, "surname": p.surname]
    }

    private static func mention(_ m: Mention) -> [String: Any] {
        var o: [String: Any] = ["tokens": [m.tokens.lowerBound, m.tokens.upperBound], "sentence": m.sentence]
        switch m.kind {
        case .place(let p): o["place"] = place(p)
        case .organization(let org):
            o["organization"] = ["name": org.name, "kind": org.kind, "country": org.country ?? NSNull(), "aliases": org.aliases] as [String: Any]
        }
        return o
    }

    private static func event(_ e: LocalEvent) -> [String: Any] {
        ["name": e.name, "kind": e.kind, "ordinal": e.ordinal ?? NSNull(), "series": e.series ?? NSNull(), "date": date(e.date),
         "dateText": e.dateText ?? NSNull(), "place": place(e.place), "country": e.country ?? NSNull(), "participants": e.participants,
         "clauseEnd": e.clauseEnd ?? NSNull(), "recalledSentences": e.recalledSentences, "pronounParticipants": e.pronounParticipants,
         "organizations": e.organizations, "sentences": e.sentences, "nameSentence": e.nameSentence,
         "dateSentence": e.dateSentence ?? NSNull(), "placeSentence": e.placeSentence ?? NSNull(), "rule": e.rule ?? NSNull()]
    }

    // MARK: reading

    /// Checks a part's first line.
    static func checkHeader(_ line: Data, file: String, extractor: String) throws(Invalid) {
        guard let o = try? JSONSerialization.jsonObject(with: line) as? [String: Any], o["format"] as? String == "coopq-extraction" else {
            throw Invalid(description: "'\(file)' is not a part written by coopq extract")
        }
        guard o["version"] as? Int == 1 else { throw Invalid(description: "'\(file)' is a part of another format version") }
        guard o["extractor"] as? String == extractor, o["lexicons"] as? String == Lexicon.fingerprint,
              o["rules"] as? Int == RuleBook.shared.rules.count else {
            let by = (o["extractor"] as? String).map { " (\($0))" } ?? ""
            throw Invalid(description: "'\(file)' was extracted by another build of coopq or other word lists\(by); extract it again with this one")
        }
    }

    /// An article's extraction and its number in the listing, from its line.
    static func extraction(_ line: Data, file: String, lineNumber: Int) throws(Invalid) -> (n: Int, extraction: DocumentExtraction) {
        func bad(_ what: String) -> Invalid { Invalid(description: "\(file):\(lineNumber): \(what)") }
        guard let o = try? JSONSerialization.jsonObject(with: line) as? [String: Any] else { throw bad("not a line of JSON") }
        let r = Reader(o)
        do throws(Reader.Missing) {
            let n = try r.int("n")
            var document = Document(id: try r.string("id"), title: r.optionalString("title"), date: try r.date("date"),
                                    source: r.optionalString("source"), place: r.optionalString("place"), author: try r.strings("author"),
                                    words: try r.int("words"), body: DocumentText(validUTF8: Array(try r.string("text").utf8)),
                                    path: try r.string("path"))
            for (field, range) in (o["evidence"] as? [String: [Int]]) ?? [:] where range.count == 2 {
                document.evidence[field] = Provenance(document: document.id, start: range[0], end: range[1])
            }
            document.rules = (o["rules"] as? [String: String]) ?? [:]
            let x = DocumentExtraction(
                document: document, people: try r.objects("people").map(person), events: try r.objects("events").map(event),
                mentions: try r.objects("mentions").map(mention),
                topics: try r.arrays("topics").map { t throws(Reader.Missing) in
                    guard t.count == 4, let topic = t[0] as? String, let s = t[1] as? Int, let lo = t[2] as? Int, let hi = t[3] as? Int, lo <= hi else {
                        throw Reader.Missing(key: "topics")
                    }
                    return (topic, s, lo..<hi)
                },
                agreements: try r.objects("agreements").map { a throws(Reader.Missing) in
                    let ar = Reader(a)
                    return LocalAgreement(name: try ar.string("name"), parties: try ar.strings("parties"), sentence: try ar.int("sentence"),
                                          at: try ar.int("at"), signedAgainIn: try ar.ints("signedAgainIn"))
                },
                agreementDates: try r.arrays("agreementDates", allowingNull: true).map { a throws(Reader.Missing) in try Reader.date(a) },
                figures: try r.objects("figures").map { f throws(Reader.Missing) in
                    let fr = Reader(f)
                    return LocalFigure(value: try fr.double("value"), unit: try fr.string("unit"), measure: fr.optionalString("measure"),
                                       year: fr.optionalInt("year"), sentence: try fr.int("sentence"))
                },
                sentences: try r.ranges("sentences"), reference: try r.date("reference"),
                personKeys: try r.strings("personKeys"), titleKeys: try r.arrays("titleKeys").map { $0.compactMap { $0 as? String } },
                mentionKeys: try r.strings("mentionKeys"),
                mentionSurfaces: ((o["mentionSurfaces"] as? [Any]) ?? []).map { $0 as? String })
            guard x.personKeys.count == x.people.count, x.titleKeys.count == x.people.count, x.mentionKeys.count == x.mentions.count,
                  x.mentionSurfaces.count == x.mentions.count, x.agreementDates.count == x.agreements.count else {
                throw Reader.Missing(key: "people")
            }
            return (n, x)
        } catch {
            throw bad("'\(error.key)' is missing or malformed, or its lists do not agree in length")
        }
    }

    private static func place(_ o: [String: Any]) throws(Reader.Missing) -> Lexicon.PlaceEntry {
        let r = Reader(o)
        return Lexicon.PlaceEntry(name: try r.string("name"), kind: try r.string("kind"), region: r.optionalString("region"),
                                  country: r.optionalString("country"))
    }

    private static func person(_ o: [String: Any]) throws(Reader.Missing) -> LocalPerson {
        let r = Reader(o)
        let p = LocalPerson(name: try r.string("name"), tokens: try r.strings("tokens"), firstSentence: try r.int("firstSentence"),
                            surname: try r.string("surname"))
        p.country = r.optionalString("country")
        p.countryFromText = (o["countryFromText"] as? Bool) ?? false
        for t in try r.strings("titles") { p.add(title: t) }
        p.organizations = try r.strings("organizations")
        p.mentions = try r.arrays("mentions").map { m throws(Reader.Missing) in
            guard m.count == 3, let s = m[0] as? Int, let lo = m[1] as? Int, let hi = m[2] as? Int, lo <= hi else { throw Reader.Missing(key: "mentions") }
            return (s, lo..<hi)
        }
        return p
    }

    private static func mention(_ o: [String: Any]) throws(Reader.Missing) -> Mention {
        let r = Reader(o)
        let range = try r.range("tokens")
        let kind: Mention.Kind
        if let p = o["place"] as? [String: Any] {
            kind = .place(try place(p))
        } else if let org = o["organization"] as? [String: Any] {
            let orgReader = Reader(org)
            kind = .organization(Lexicon.OrganizationEntry(name: try orgReader.string("name"), kind: try orgReader.string("kind"),
                                                           country: orgReader.optionalString("country"), aliases: try orgReader.strings("aliases")))
        } else {
            throw Reader.Missing(key: "place")
        }
        return Mention(kind: kind, tokens: range, sentence: try r.int("sentence"))
    }

    private static func event(_ o: [String: Any]) throws(Reader.Missing) -> LocalEvent {
        let r = Reader(o)
        var e = LocalEvent(name: try r.string("name"), kind: try r.string("kind"), ordinal: r.optionalInt("ordinal"), nameSentence: try r.int("nameSentence"))
        e.series = r.optionalString("series")
        e.date = try r.date("date")
        e.dateText = r.optionalString("dateText")
        if let p = o["place"] as? [String: Any] { e.place = try place(p) }
        e.country = r.optionalString("country")
        e.participants = try r.ints("participants")
        e.clauseEnd = r.optionalInt("clauseEnd")
        e.recalledSentences = try r.ints("recalledSentences")
        e.pronounParticipants = try r.ints("pronounParticipants")
        e.organizations = try r.strings("organizations")
        e.sentences = try r.ints("sentences")
        e.dateSentence = r.optionalInt("dateSentence")
        e.placeSentence = r.optionalInt("placeSentence")
        e.rule = r.optionalString("rule")
        return e
    }

    /// Typed reads of a JSON object's keys.
    private struct Reader {
        struct Missing: Error { var key: String }
        let o: [String: Any]
        init(_ o: [String: Any]) { self.o = o }

        func string(_ k: String) throws(Missing) -> String { guard let s = o[k] as? String else { throw Missing(key: k) }; return s }
        func optionalString(_ k: String) -> String? { o[k] as? String }
        func int(_ k: String) throws(Missing) -> Int { guard let n = o[k] as? Int else { throw Missing(key: k) }; return n }
        func optionalInt(_ k: String) -> Int? { o[k] as? Int }
        func double(_ k: String) throws(Missing) -> Double { guard let n = o[k] as? Double else { throw Missing(key: k) }; return n }
        func strings(_ k: String) throws(Missing) -> [String] { guard let a = o[k] as? [String] else { throw Missing(key: k) }; return a }
        func ints(_ k: String) throws(Missing) -> [Int] { guard let a = o[k] as? [Int] else { throw Missing(key: k) }; return a }
        func objects(_ k: String) throws(Missing) -> [[String: Any]] { guard let a = o[k] as? [[String: Any]] else { throw Missing(key: k) }; return a }
        func arrays(_ k: String, allowingNull: Bool = false) throws(Missing) -> [[Any]] {
            guard let a = o[k] as? [Any] else { throw Missing(key: k) }
            return try a.map { v throws(Missing) in
                if let inner = v as? [Any] { return inner }
                if allowingNull, v is NSNull { return [] }
                throw Missing(key: k)
            }
        }
        func range(_ k: String) throws(Missing) -> Range<Int> {
            guard let a = o[k] as? [Int], a.count == 2, a[0] <= a[1] else { throw Missing(key: k) }
            return a[0]..<a[1]
        }
        func ranges(_ k: String) throws(Missing) -> [Range<Int>] {
            try arrays(k).map { a throws(Missing) in
                guard a.count == 2, let lo = a[0] as? Int, let hi = a[1] as? Int, lo <= hi else { throw Missing(key: k) }
                return lo..<hi
            }
        }
        func date(_ k: String) throws(Missing) -> PartialDate? {
            if o[k] == nil || o[k] is NSNull { return nil }
            guard let a = o[k] as? [Any] else { throw Missing(key: k) }
            return try Reader.date(a)
        }
        /// `[2025, 11, 24]`, `[2025, 11, null]`; `[]` (a null in a list of dates) is none.
        static func date(_ a: [Any]) throws(Missing) -> PartialDate? {
            if a.isEmpty { return nil }
            guard a.count == 3, let y = a[0] as? Int else { throw Missing(key: "date") }
            return PartialDate(year: y, month: a[1] as? Int, day: a[2] as? Int)
        }
    }
}
