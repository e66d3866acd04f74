import Dispatch

/// Everything extracted from one article, before documents are put together.
struct DocumentExtraction {
    var document: Document
    var people: [LocalPerson]
    var events: [LocalEvent]
    var mentions: [Mention]
    var topics: [(topic: String, sentence: Int, tokens: Range<Int>)]
    var agreements: [LocalAgreement]
    /// The date each agreement's sentence names, if any, in the agreements' order.
    var agreementDates: [PartialDate?]
    var figures: [LocalFigure]
    /// Each sentence's byte range: all that provenance needs (the tokens are not kept).
    var sentences: [Range<Int>]
    var reference: PartialDate?
    /// Match keys, made here on the worker's core rather than in the (serial) assembly:
    /// of each person's name and titles, and of each mention's name.
    var personKeys: [String] = []
    var titleKeys: [[String]] = []
    var mentionKeys: [String] = []
    /// For a Russian federal subject, its name as the article writes it ("Khabarovsk Territory",
    /// "Khabarovsk Krai", "Sverdlovsk Region"): outlets name them each their own way, and a record
    /// takes the way it was first written. Nil for every other mention.
    var mentionSurfaces: [String?] = []
}

/// The extractor: the pipeline over each article (`Pipeline`), then assembly across articles.
public enum Extractor {
    static func extract(id: String, path: String, bytes: [UInt8]) -> DocumentExtraction {
        Pipeline.run(id: id, path: path, bytes: bytes)
    }

    /// Puts the documents together: people, places, organizations and topics are joined by
    /// name across documents; events reported by several documents are merged on evidence.
    static func assemble(_ extractions: [DocumentExtraction]) -> Corpus {
        var assembler = Assembler()
        for x in extractions { assembler.add(x) }
        return assembler.finish()
    }
}

extension DocumentExtraction {
    /// The kinds of place named as the article writes them (`mentionSurfaces`).
    static let asWritten = Lexicon.shared.words("region-as-written")

    /// What assembly keeps of an annotated article: its layers, with the document's record made,
    /// and the match keys made here on the worker's core rather than in the (serial) assembly.
    init(_ d: AnnotatedDocument) {
        let header = d.header
        var document = Document(id: d.id, title: header.title, date: header.date ?? header.datelineDate, source: header.source,
                                place: d.written ?? d.home?.name, author: header.authors, words: d.tokens.words,
                                body: DocumentText(validUTF8: d.bytes), path: d.path)
        let fields = [("title", header.titleEvidence), ("date", header.dateEvidence), ("source", header.sourceEvidence), ("place", header.placeEvidence)]
        for (field, range) in fields {
            if let range { document.evidence[field] = Provenance(document: d.id, start: range.lowerBound, end: range.upperBound) }
        }
        document.rules = header.fieldRules
        let tokens = d.tokens
        self.init(document: document, people: d.people, events: d.events, mentions: d.mentions, topics: d.topics,
                  agreements: d.agreements, agreementDates: d.agreementDates, figures: d.figures,
                  sentences: d.sentences.map { $0.start..<$0.end }, reference: d.reference,
                  personKeys: d.people.map { matchKey($0.name) }, titleKeys: d.people.map { $0.titles.map(matchKey) },
                  mentionKeys: d.mentions.map(\.key),
                  mentionSurfaces: d.mentions.map { m in
                      guard case .place(let p) = m.kind, DocumentExtraction.asWritten.contains(p.kind) else { return nil }
                      let raw = DateResolver.raw(tokens, m.tokens.lowerBound, m.tokens.upperBound)
                      return raw.hasSuffix("'s") || raw.hasSuffix("’s") ? String(raw.dropLast(2)) : raw
                  })
    }
}

extension String {
    /// A phrase key as a match key: the words run together.
    var replacingSpaces: String { split(separator: " ").joined() }
}
