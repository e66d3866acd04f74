import Dispatch

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
        corpus.documentIndex[x.document.id] = corpus.documents.count
        corpus.documents.append(x.document)
        let personNumbers = addPeople(x)
        addAuthors(x)
        addMentions(x)
        addSource(x)
        let docTopics = addTopics(x)
        for n in x.events.indices {
            merger.add(event(x.events[n], of: x, topics: docTopics), people: x.events[n].participants.map { personNumbers[$0] })
        }
        addAgreements(x)
        addFigures(x)
    }

    /// Where sentence `s` of an article is.
    private func sentence(_ s: Int, of x: DocumentExtraction) -> Provenance {
        Provenance(document: x.document.id, start: x.sentences[s].lowerBound, end: x.sentences[s].upperBound)
    }

    /// Joins the article's people to the corpus's by match key; returns each one's number in the corpus.
    private mutating func addPeople(_ x: DocumentExtraction) -> [Int] {
        let id = x.document.id
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
            corpus.people[k].evidence.append(sentence(p.firstSentence, of: x))
            if authorSet?.contains(p.name) ?? authors.contains(p.name) { corpus.people[k].isAuthor = true }
        }
        return personNumbers
    }

    /// The article's authors, as people (never participants) when no one of their name is yet.
    private mutating func addAuthors(_ x: DocumentExtraction) {
        let id = x.document.id
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
    }

    /// The article's places and organizations, joined by match key.
    private mutating func addMentions(_ x: DocumentExtraction) {
        let id = x.document.id
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
                if corpus.places[k].documents.last != id { corpus.places[k].documents.append(id); corpus.places[k].evidence.append(sentence(m.sentence, of: x)) }
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
                    corpus.organizations[k].evidence.append(sentence(m.sentence, of: x))
                }
                corpus.organizations[k].mentions += 1
            }
        }
    }

    private mutating func addSource(_ x: DocumentExtraction) {
        let id = x.document.id
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
    }

    /// The article's topics, joined by name; returns them in the order named.
    private mutating func addTopics(_ x: DocumentExtraction) -> [String] {
        let id = x.document.id
        var docTopics: [String] = []
        for t in x.topics {
            let k: Int
            if let existing = topicIndex[t.topic] { k = existing } else {
                corpus.topics.append(Topic(name: t.topic))
                k = corpus.topics.count - 1
                topicIndex[t.topic] = k
            }
            if corpus.topics[k].documents.last != id { corpus.topics[k].documents.append(id); corpus.topics[k].evidence.append(sentence(t.sentence, of: x)) }
            corpus.topics[k].mentions += 1
            if !docTopics.contains(t.topic) { docTopics.append(t.topic) }
        }
        return docTopics
    }

    /// Each event is made in a call of its own and handed to the merger as that call's result:
    /// a report's dozen strings and lists are moved, not copied and released again.
    private func event(_ e: borrowing LocalEvent, of x: DocumentExtraction, topics docTopics: [String]) -> Event {
        let id = x.document.id
        func sentence(_ s: Int) -> Provenance { self.sentence(s, of: x) }
        var made = Event(name: e.name, kind: e.kind, ordinal: e.ordinal, series: e.series, date: e.date, dateText: e.dateText,
                         place: e.place?.name, region: e.place?.region, country: e.country ?? e.place?.country,
                         participants: e.participants.map { x.people[$0].name }, organizations: e.organizations, topics: docTopics,
                         documents: [id], evidence: e.sentences.map(sentence),
                         fieldEvidence: FieldEvidence(date: e.dateSentence.map(sentence), name: sentence(e.nameSentence), place: e.placeSentence.map(sentence)))
        made.rule = e.rule
        return made
    }

    /// The article's agreements, each with the event last named at or before its sentence.
    private mutating func addAgreements(_ x: DocumentExtraction) {
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
            agreement.documents = [x.document.id]
            agreement.evidence = [sentence(a.sentence, of: x)]
            corpus.agreements.append(agreement)
        }
    }

    private mutating func addFigures(_ x: DocumentExtraction) {
        for f in x.figures {
            var figure = Figure(value: f.value, unit: f.unit, measure: f.measure, year: f.year)
            figure.documents = [x.document.id]
            figure.evidence = [sentence(f.sentence, of: x)]
            corpus.figures.append(figure)
        }
    }

    /// Whether `finish` keeps what assembly knows beyond the corpus (`state`), for a snapshot.
    var keepsState = false
    /// What `finish` kept, when asked.
    private(set) var state: State?

    /// What assembly knows beyond the corpus it made, to go on from there in a later load
    /// (`AssemblyState`): the keys the places and organizations were joined by, in the order they
    /// were found, and the merger's keys. The people's and topics' keys are their names' (made
    /// again from the corpus, as is the rest).
    struct State: @unchecked Sendable {
        fileprivate var merger: EventMerger
        fileprivate var placeKeys: [String]
        fileprivate var organizationKeys: [String]
        fileprivate var counts: [Int]

        func encoded() -> [UInt8] {
            var w = RecordWriter()
            w.ints(counts)
            w.strings(placeKeys)
            w.strings(organizationKeys)
            merger.writeState(&w)
            return w.bytes
        }
    }

    private static func counts(_ c: Corpus, events: Int) -> [Int] {
        [c.documents.count, events, c.people.count, c.places.count, c.organizations.count, c.topics.count, c.agreements.count, c.figures.count]
    }

    init() {}

    /// A state as `State.encoded` wrote it, read: what of it needs no corpus is made ready (on
    /// another core, while the snapshot is still being read).
    struct Saved: @unchecked Sendable {
        fileprivate var counts: [Int]
        fileprivate var placeKeys: KeyTable
        fileprivate var organizationKeys: KeyTable
        fileprivate var merger: EventMerger.Keys

        init(_ bytes: [UInt8]) throws(ExtractionRecord.Invalid) {
            typealias Invalid = ExtractionRecord.Invalid
            var made: Saved?
            try bytes.withUnsafeBufferPointer { b throws(Invalid) in
                var r = RecordReader(bytes: b)
                let counts = try r.ints()
                guard counts.count == 8 else { throw Invalid(description: "the assembly's state is malformed") }
                let places = try r.strings(), organizations = try r.strings()
                guard places.count == counts[3], organizations.count == counts[4] else { throw Invalid(description: "the assembly's state is malformed") }
                let keys = try EventMerger.Keys(reading: &r, events: counts[1])
                guard r.position == b.count else { throw Invalid(description: "the assembly's state runs on past its end") }
                made = Saved(counts: counts, placeKeys: try Assembler.table(places), organizationKeys: try Assembler.table(organizations), merger: keys)
            }
            self = made!
        }

        private init(counts: [Int], placeKeys: KeyTable, organizationKeys: KeyTable, merger: EventMerger.Keys) {
            self.counts = counts; self.placeKeys = placeKeys; self.organizationKeys = organizationKeys; self.merger = merger
        }
    }

    /// The assembler that made `corpus` (a finished one, as a snapshot gives it back), going on
    /// from there: its tables made again from the corpus and from its `saved` state. Adding more
    /// articles then makes the corpus that assembling them all in one load makes.
    init(resuming finished: consuming Corpus, saved: consuming Saved) throws(ExtractionRecord.Invalid) {
        typealias Invalid = ExtractionRecord.Invalid
        // (Taken over, not copied: its lists are added to in place.)
        var c = consume finished
        guard saved.counts == Assembler.counts(c, events: c.events.count) else { throw Invalid(description: "the assembly's state is of another corpus") }
        merger = EventMerger(resuming: c.events, people: try Assembler.people(of: c.events, in: c.people), keys: saved.merger)
        placeIndex = saved.placeKeys
        orgIndex = saved.organizationKeys
        personIndex = try Assembler.table(c.people.map { matchKey($0.name) })
        topicIndex = try Assembler.table(c.topics.map(\.name))
        titleKeys.reserveCapacity(c.people.count)
        for k in c.people.indices {
            var keys = UniqueList<String>()
            for t in c.people[k].titles { keys.insert(matchKey(t)) }
            titleKeys.append(keys)
            // A person's events are listed again by `finish`, from all the events.
            c.people[k].events = []
        }
        c.events = []
        corpus = c
    }

    /// A key table of `keys`, each numbered by its place among them (as assembly numbered them).
    fileprivate static func table(_ keys: [String]) throws(ExtractionRecord.Invalid) -> KeyTable {
        var t = KeyTable()
        for (k, key) in keys.enumerated() {
            guard t[key] == nil else { throw ExtractionRecord.Invalid(description: "a key is twice in the assembly's state") }
            t[key] = k
        }
        return t
    }

    /// Each event's people by number, as `add` gave them to the merger: its participants' (whose
    /// key is their name's), in order, each once.
    private static func people(of events: [Event], in people: [Person]) throws(ExtractionRecord.Invalid) -> [[Int]] {
        var byKey: [String: Int] = [:]
        byKey.reserveCapacity(people.count)
        for (k, p) in people.enumerated() { byKey[matchKey(p.name)] = k }
        var numbers: [String: Int] = [:]
        var made: [[Int]] = []
        made.reserveCapacity(events.count)
        for e in events {
            var unique = UniqueList<Int>()
            for name in e.participants {
                let known = numbers[name]
                guard let k = known ?? byKey[matchKey(name)] else { throw ExtractionRecord.Invalid(description: "a participant of the snapshot is no person of it") }
                if known == nil { numbers[name] = k }
                unique.insert(k)
            }
            made.append(unique.members)
        }
        return made
    }

    mutating func finish() -> Corpus {
        var clock = StageClock()
        defer { clock.lap(.finish); clock.commit() }
        if keepsState {
            state = State(merger: merger, placeKeys: placeIndex.entries.map(\.0), organizationKeys: orgIndex.entries.map(\.0),
                          counts: Assembler.counts(corpus, events: merger.events.count))
        }
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
