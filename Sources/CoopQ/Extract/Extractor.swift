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

/// Runs the stages over one article: header and dateline, sentences, mentions, people,
/// events, agreements, figures, topics. Pure: the same bytes give the same result.
public enum Extractor {
    static func extract(id: String, path: String, bytes raw: [UInt8]) -> DocumentExtraction {
        // Invalid UTF-8 is repaired once (each bad byte becomes U+FFFD), so every stage reads
        // the same valid text as the document's `text`, and offsets agree. Valid bytes, as
        // nearly all are, are checked in place and are the document's text, with no copy.
        var clock = StageClock()
        defer { clock.commit() }
        let bytes = raw.withUnsafeBufferPointer(UTF8Check.isValid) ? raw : Array(String(decoding: raw, as: UTF8.self).utf8)
        let text = DocumentText(validUTF8: bytes)
        clock.lap(.text)
        let header = HeaderParser.parse(bytes)
        clock.lap(.header)
        // Chrome, header lines and credits, sorted and merged: the tokenizer makes no token that starts in them,
        // so no finder sees one.
        var merged: [Range<Int>] = []
        for r in header.excluded.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = merged.last, r.lowerBound <= last.upperBound { merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, r.upperBound) }
            else { merged.append(r) }
        }
        let excludedRanges = merged
        // The tokens point into `bytes`, which outlives them: they are read inside this closure.
        return bytes.withUnsafeBufferPointer { b in
            TextTokenizer.withTokens(b, excluding: excludedRanges) { tokens in
                clock.lap(.tokens)
                let sentences = TextTokenizer.sentences(tokens)
                clock.lap(.sentences)
                let reference = header.datelineDate ?? header.date
                let mentions = OrganizationPatterns.add(to: MentionFinder.find(tokens, sentences), tokens, sentences)
                // Mentions and people by sentence, made once for every finder that looks them up.
                let mentionsBySentence = MentionsBySentence(mentions, sentences: sentences.count)
                clock.lap(.mentions)
                var personFinder = PersonFinder(tokens: tokens, sentences: sentences, mentions: mentions, bySentence: mentionsBySentence)
                let people = personFinder.find()
                let peopleBySentence = PeopleBySentence(people, sentences: sentences.count)
                clock.lap(.people)
                let authors = Set(header.authors)
                // Where the article was written: its dateline or byline; with neither, the city its title
                // names, else the first city of its lead (its first two paragraphs): a city named further
                // on is where something else happened.
                let written = header.datelinePlace ?? header.writtenIn
                let home = written.map { Lexicon.shared.places[Lexicon.phraseKey($0)] }
                    ?? header.title.flatMap(DocumentPlace.city)
                    ?? DocumentPlace.leadCity(mentions, tokens, leadEnd: DocumentPlace.leadEnd(bytes, excluding: excludedRanges))
                let eventFinder = EventFinder(tokens: tokens, sentences: sentences, mentions: mentionsBySentence, people: people,
                                              peopleBySentence: peopleBySentence, reference: reference, home: home, authors: authors)
                var events = eventFinder.find()
                clock.lap(.events)
                // An agreement recalled from months before the article ("in March of this year, the leaders
                // signed a statement") is history the article tells, not an agreement it reports.
                let dated = AgreementFinder.find(tokens, sentences, mentionsBySentence, people, peopleBySentence, authors: authors)
                    .map { a in (a, DateResolver.dates(in: tokens, sentences[a.sentence].tokens, reference: reference).first?.date) }
                    .filter { _, d in
                        guard let reference, let d else { return true }
                        return !EventFinder.recalled(d, reference)
                    }
                let agreements = dated.map(\.0)
                events += eventFinder.signings(agreements, besides: events)
                clock.lap(.agreements)
                let figures = FigureFinder.find(tokens, sentences, documentYear: reference?.year)
                clock.lap(.figures)
                // Words of posts and organizations' names ("Minister of Agriculture", "Ministry of Commerce") are not topics.
                var notTopics = personFinder.titleSpans
                for m in mentions { if case .organization = m.kind { notTopics.append(m.tokens) } }
                let topics = TopicFinder.find(tokens, sentences, skipping: notTopics)

                clock.lap(.topics)
                var document = Document(id: id, title: header.title, date: header.date ?? header.datelineDate, source: header.source,
                                        place: written ?? home?.name, author: header.authors,
                                        words: tokens.words,
                                        body: text, path: path)
                func evidence(_ range: Range<Int>?) -> Provenance? {
                    range.map { Provenance(document: id, start: $0.lowerBound, end: $0.upperBound) }
                }
                if let p = evidence(header.titleEvidence) { document.evidence["title"] = p }
                if let p = evidence(header.dateEvidence) { document.evidence["date"] = p }
                if let p = evidence(header.sourceEvidence) { document.evidence["source"] = p }
                if let p = evidence(header.placeEvidence) { document.evidence["place"] = p }
                clock.lap(.document)
                defer { clock.lap(.keys) }
                return DocumentExtraction(document: document, people: people, events: events, mentions: mentions, topics: topics,
                                          agreements: agreements,
                                          agreementDates: dated.map(\.1),
                                          figures: figures, sentences: sentences.map { $0.start..<$0.end }, reference: reference,
                                          personKeys: people.map { matchKey($0.name) }, titleKeys: people.map { $0.titles.map(matchKey) },
                                          mentionKeys: mentions.map(\.key),
                                          mentionSurfaces: mentions.map { m in
                                              guard case .place(let p) = m.kind, DocumentPlace.asWritten.contains(p.kind) else { return nil }
                                              let raw = DateResolver.raw(tokens, m.tokens.lowerBound, m.tokens.upperBound)
                                              return raw.hasSuffix("'s") || raw.hasSuffix("’s") ? String(raw.dropLast(2)) : raw
                                          })
            }
        }
    }

    /// Puts the documents together: people, places, organizations and topics are joined by
    /// name across documents; events reported by several documents are merged on evidence.
    static func assemble(_ extractions: [DocumentExtraction]) -> Corpus {
        var assembler = Assembler()
        for x in extractions { assembler.add(x) }
        return assembler.finish()
    }
}

/// Where an article with no dateline was written, by what its title and lead say.
enum DocumentPlace {
    /// The kinds of place named as the article writes them (`DocumentExtraction.mentionSurfaces`).
    static let asWritten = Lexicon.shared.words("region-as-written")

    /// The first city a title names.
    static func city(_ title: String) -> Lexicon.PlaceEntry? {
        TextTokenizer.withTokens(of: title) { tokens in
            var i = 0
            while i < tokens.count {
                // Only a word that starts a place's or organization's name is looked up.
                i = tokens.next(marked: TokenMarks.mention, from: i, to: tokens.count)
                guard i < tokens.count else { break }
                if let (_, place) = Lexicon.shared.placeTable.longest(tokens, from: i, limit: tokens.count), place.kind == "city" { return place }
                i += 1
            }
            return nil
        }
    }

    /// The first city named before `leadEnd`.
    static func leadCity(_ mentions: [Mention], _ tokens: Tokens, leadEnd: Int) -> Lexicon.PlaceEntry? {
        for m in mentions {
            guard tokens[m.tokens.lowerBound].start < leadEnd else { break }
            if case .place(let p) = m.kind, p.kind == "city" { return p }
        }
        return nil
    }

    /// Where the lead ends: after the second paragraph of the body (a line that is neither blank
    /// nor the header's).
    static func leadEnd(_ bytes: [UInt8], excluding excluded: [Range<Int>]) -> Int {
        var paragraphs = 0
        for line in HeaderParser.lines(bytes) where !HeaderParser.isBlank(bytes, line) {
            if excluded.contains(where: { $0.contains(line.start) && $0.upperBound >= line.end }) { continue }
            paragraphs += 1
            if paragraphs == 2 { return line.end }
        }
        return bytes.count
    }
}

/// Assembles documents one at a time, in order, so that a large corpus is extracted and
/// assembled in batches and no more than one batch's extractions are held at once.
struct Assembler {
    private var corpus = Corpus()
    private var personIndex = KeyTable()
    private var placeIndex = KeyTable()
    private var orgIndex = KeyTable()
    private var topicIndex = KeyTable()
    /// Events are merged as their documents come, so no list of every report is kept beside them.
    private var merger = EventMerger()
    /// The match keys of each person's titles, beside `corpus.people`.
    private var titleKeys: [UniqueList<String>] = []
    /// The organization each source names (nil: none), by the source as written: a corpus has a
    /// few sources over and over, and each is keyed and looked up once.
    private var sources: [String: Lexicon.OrganizationEntry?] = [:]
    private let lexicon = Lexicon.shared

    /// Room for `documents` documents, made at once: the corpus's list of documents is not
    /// copied into fresh memory each time it doubles (a hundred thousand documents are tens of
    /// megabytes, and a fresh page costs a fault).
    mutating func reserve(documents: Int) {
        corpus.documents.reserveCapacity(documents)
        corpus.documentIndex.reserveCapacity(documents)
    }

    private mutating func sourceOrganization(_ source: String) -> Lexicon.OrganizationEntry? {
        if let known = sources[source] { return known }
        let found = lexicon.organizations[Lexicon.phraseKey(source)]
        sources[source] = found
        return found
    }

    mutating func add(_ x: DocumentExtraction) {
        var clock = StageClock()
        defer { clock.lap(.assemble); clock.commit() }
        let id = x.document.id
        corpus.documentIndex[id] = corpus.documents.count
        corpus.documents.append(x.document)
        func sentence(_ s: Int) -> Provenance { Provenance(document: id, start: x.sentences[s].lowerBound, end: x.sentences[s].upperBound) }
        // None, one or two: a list is searched faster than a set is built (but a long one is not).
        let authors = x.document.author
        let authorSet: Set<String>? = authors.count > shortListLength ? Set(authors) : nil
        // Each of the document's people's number in the corpus, for its events' participants.
        var personNumbers: [Int] = []
        personNumbers.reserveCapacity(x.people.count)
        for (n, p) in x.people.enumerated() {
            let key = x.personKeys[n]
            let k: Int
            defer { personNumbers.append(k) }
            if let existing = personIndex[key] { k = existing } else {
                corpus.people.append(Person(name: p.name, country: p.country))
                titleKeys.append(UniqueList())
                k = corpus.people.count - 1
                personIndex[key] = k
            }
            if corpus.people[k].country == nil { corpus.people[k].country = p.country }
            for (t, tk) in zip(p.titles, x.titleKeys[n]) where titleKeys[k].insert(tk) { corpus.people[k].titles.append(t) }
            for o in p.organizations where !corpus.people[k].organizations.contains(o) { corpus.people[k].organizations.append(o) }
            if corpus.people[k].documents.last != id { corpus.people[k].documents.append(id) }
            corpus.people[k].mentions += p.mentions.count
            corpus.people[k].evidence.append(sentence(p.firstSentence))
            if authorSet?.contains(p.name) ?? authors.contains(p.name) { corpus.people[k].isAuthor = true }
        }
        for a in x.document.author {
            let key = matchKey(a)
            guard personIndex[key] == nil else { continue }
            var p = Person(name: a, country: nil)
            p.documents = [id]
            p.isAuthor = true
            corpus.people.append(p)
            titleKeys.append(UniqueList())
            personIndex[key] = corpus.people.count - 1
        }
        for (n, m) in x.mentions.enumerated() {
            switch m.kind {
            case .place(let p):
                let key = x.mentionKeys[n]
                let k: Int
                if let existing = placeIndex[key] { k = existing } else {
                    corpus.places.append(Place(name: x.mentionSurfaces[n] ?? p.name, kind: p.kind, region: p.region, country: p.country))
                    k = corpus.places.count - 1
                    placeIndex[key] = k
                }
                if corpus.places[k].documents.last != id { corpus.places[k].documents.append(id); corpus.places[k].evidence.append(sentence(m.sentence)) }
                corpus.places[k].mentions += 1
            case .organization(let o):
                let key = x.mentionKeys[n]
                let k: Int
                if let existing = orgIndex[key] { k = existing } else {
                    corpus.organizations.append(Organization(name: o.name, aliases: o.aliases, kind: o.kind, country: o.country))
                    k = corpus.organizations.count - 1
                    orgIndex[key] = k
                }
                if corpus.organizations[k].documents.last != id {
                    corpus.organizations[k].documents.append(id)
                    corpus.organizations[k].evidence.append(sentence(m.sentence))
                }
                corpus.organizations[k].mentions += 1
            }
        }
        // A source named in the header is an organization the document names, too.
        if let source = x.document.source, let o = sourceOrganization(source) {
            let key = o.key
            if let k = orgIndex[key] {
                if corpus.organizations[k].documents.last != id { corpus.organizations[k].documents.append(id) }
            } else {
                corpus.organizations.append(Organization(name: o.name, aliases: o.aliases, kind: o.kind, country: o.country, documents: [id], mentions: 1))
                orgIndex[key] = corpus.organizations.count - 1
            }
        }
        var docTopics: [String] = []
        for t in x.topics {
            let k: Int
            if let existing = topicIndex[t.topic] { k = existing } else {
                corpus.topics.append(Topic(name: t.topic))
                k = corpus.topics.count - 1
                topicIndex[t.topic] = k
            }
            if corpus.topics[k].documents.last != id { corpus.topics[k].documents.append(id); corpus.topics[k].evidence.append(sentence(t.sentence)) }
            corpus.topics[k].mentions += 1
            if !docTopics.contains(t.topic) { docTopics.append(t.topic) }
        }
        // Each event is made in a call of its own and handed to the merger as that call's result:
        // a report's dozen strings and lists are moved, not copied and released again.
        func event(_ e: borrowing LocalEvent) -> Event {
            var made = Event(name: e.name, kind: e.kind, ordinal: e.ordinal, series: e.series, date: e.date, dateText: e.dateText,
                  place: e.place?.name, region: e.place?.region, country: e.country ?? e.place?.country,
                  participants: e.participants.map { x.people[$0].name }, organizations: e.organizations, topics: docTopics, documents: [id],
                  evidence: e.sentences.map(sentence),
                  fieldEvidence: FieldEvidence(date: e.dateSentence.map(sentence), name: sentence(e.nameSentence), place: e.placeSentence.map(sentence)))
            made.rule = e.rule
            return made
        }
        for n in x.events.indices {
            merger.add(event(x.events[n]), people: x.events[n].participants.map { personNumbers[$0] })
        }
        // Each agreement's event: the one last named at or before its sentence (the first such
        // event, when two are named there). Found by a binary search among the events' sentences,
        // sorted: a long article's agreements cost no search of all its events each.
        var named: [(sentence: Int, event: Int)] = []
        if !x.agreements.isEmpty {
            for n in x.events.indices { for s in x.events[n].sentences { named.append((s, n)) } }
            named.sort { ($0.sentence, $0.event) < ($1.sentence, $1.event) }
        }
        for (a, date) in zip(x.agreements, x.agreementDates) {
            var found: Int?
            // The last sentence at or before the agreement's, then the first event named there.
            let after = named.partitionIndex { $0.sentence <= a.sentence }
            if after > 0 {
                let sentence = named[after - 1].sentence
                found = named[named.partitionIndex { $0.sentence < sentence }].event
            }
            let place = found.flatMap { x.events[$0].place?.name } ?? x.document.place
            var agreement = Agreement(name: a.name, parties: a.parties, date: date ?? found.flatMap { x.events[$0].date } ?? x.reference,
                                      place: place, event: found.map { x.events[$0].name })
            agreement.documents = [id]
            agreement.evidence = [sentence(a.sentence)]
            corpus.agreements.append(agreement)
        }
        for f in x.figures {
            var figure = Figure(value: f.value, unit: f.unit, measure: f.measure, year: f.year)
            figure.documents = [id]
            figure.evidence = [sentence(f.sentence)]
            corpus.figures.append(figure)
        }
    }

    mutating func finish() -> Corpus {
        var clock = StageClock()
        defer { clock.lap(.finish); clock.commit() }
        corpus.events = merger.events
        // Each person's events, in the events' order: by the people's numbers, kept as the events
        // were merged, so no name is keyed and looked up again.
        for (e, people) in merger.people.enumerated() {
            let event = corpus.events[e].name
            for k in people where corpus.people[k].events.last != event { corpus.people[k].events.append(event) }
        }
        // The assembly's own tables (a hundred thousand keys at scale) are freed on another core
        // while the load goes on.
        let spent = (merger, titleKeys, personIndex, placeIndex, orgIndex, topicIndex)
        merger = EventMerger()
        titleKeys = []
        (personIndex, placeIndex, orgIndex, topicIndex) = (KeyTable(), KeyTable(), KeyTable(), KeyTable())
        DispatchQueue.global().async { withExtendedLifetime(spent) {} }
        // Aliases: every alternative name of a listed place or organization leads to its canonical name.
        for (key, p) in lexicon.places {
            let alias = key.replacingSpaces
            if corpus.aliases[alias] == nil, alias != p.key { corpus.aliases[alias] = p.key }
        }
        for (key, o) in lexicon.organizations {
            let alias = key.replacingSpaces
            if alias != o.key, lexicon.places[key] == nil { corpus.aliases[alias] = o.key }
        }
        return corpus
    }
}

/// Numbers by key, for the assembler's people, places, organizations and topics: open addressing
/// on the key's `WordTable` hash of its bytes (a multiply a word), not a `Hasher`'s; a key's string
/// is compared only when the hashes agree, and a table that grows is rehashed from the hashes kept.
/// The hash starts from a random value of the table's own, so that no corpus can be written whose
/// names all fall in one run of slots.
struct KeyTable {
    /// By slot: the entry's number plus one; 0 for an empty slot.
    private var slots = [Int32](repeating: 0, count: 64)
    private var hashes: [UInt64] = []
    private var keys: [String] = []
    private var values: [Int] = []
    private let start = UInt64.random(in: .min ... .max)

    private func hash(_ key: String) -> UInt64 {
        var copy = key
        return copy.withUTF8 { b in b.baseAddress.map { WordTable.hash($0, b.count, start: start) } ?? start }
    }

    /// The slot holding `key` (whose hash is `h`), or the empty slot where it would go.
    private func slot(_ key: String, _ h: UInt64) -> Int {
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let e = Int(slots[i]) - 1
            if e < 0 || (hashes[e] == h && keys[e] == key) { return i }
            i = (i + 1) & mask
        }
    }

    subscript(key: String) -> Int? {
        get {
            let e = Int(slots[slot(key, hash(key))]) - 1
            return e < 0 ? nil : values[e]
        }
        set {
            guard let newValue else { preconditionFailure("a key table's entries are not removed") }
            let h = hash(key)
            let i = slot(key, h)
            if slots[i] > 0 { values[Int(slots[i]) - 1] = newValue; return }
            hashes.append(h)
            keys.append(key)
            values.append(newValue)
            slots[i] = Int32(keys.count)
            if keys.count * 2 > slots.count { grow() }
        }
    }

    /// Twice the slots, the entries placed again by the hashes kept.
    private mutating func grow() {
        slots = [Int32](repeating: 0, count: slots.count * 2)
        let mask = slots.count - 1
        for e in hashes.indices {
            var i = Int(truncatingIfNeeded: hashes[e]) & mask
            while slots[i] != 0 { i = (i + 1) & mask }
            slots[i] = Int32(e + 1)
        }
    }
}

extension String {
    /// A phrase key as a match key: the words run together.
    var replacingSpaces: String { split(separator: " ").joined() }
}
