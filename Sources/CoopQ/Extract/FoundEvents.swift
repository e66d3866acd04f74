/// How an article's events are kept as they are found, and how a name said again is known
/// for one already found.
extension EventFinder {
    /// An article's events as they are found, with what finding an event named again, or meant by
    /// "the meeting", looks up, so that an article's events cost time that does not grow with their
    /// number: each event's name key and words (`NameWords`), made when first compared; the first
    /// event of each key among those older than the last `recentEvents`; once there are many
    /// events, the first of each name, and the last of each kind and the last of the kind not
    /// named by who met.
    struct FoundEvents {
        private(set) var events: [LocalEvent] = []
        /// Events whose participants are exactly those named with them ("X meets Y").
        private(set) var explicit = Set<Int>()
        private var compared: [(key: String?, words: NameWords?)] = []
        private var olderByKey: [String: Int] = [:]
        private var byName: [String: Int]?
        private var lastOfKind: [String: (any: Int, named: Int?)]?

        /// The events, given up: no copy of them is made when they are changed after.
        mutating func takeEvents() -> [LocalEvent] {
            defer { events = [] }
            return events
        }

        /// Adds a sentence to event `k`'s, unless it is its last already.
        mutating func add(sentence s: Int, to k: Int) {
            if events[k].sentences.last != s { events[k].sentences.append(s) }
        }

        mutating func recall(sentence s: Int, of k: Int) { events[k].recalledSentences.append(s) }

        /// Gives event `k`, named with no ordinal so far, the ordinal, series and name of a fuller mention.
        mutating func complete(_ k: Int, ordinal: Int, series: String?, name: String) {
            guard events[k].ordinal == nil else { return }
            events[k].ordinal = ordinal
            events[k].series = series
            events[k].name = name
        }

        /// The place of the last event found with one: where the article's story is.
        private(set) var lastPlace: Lexicon.PlaceEntry?

        /// Adds an event; returns its number.
        @discardableResult
        mutating func append(_ e: LocalEvent, explicit isExplicit: Bool = false) -> Int {
            let k = events.count
            if let p = e.place { lastPlace = p }
            if byName != nil, byName![e.name] == nil { byName![e.name] = k }
            if lastOfKind != nil { lastOfKind![e.kind] = (k, isExplicit ? lastOfKind![e.kind]?.named : k) }
            if isExplicit { explicit.insert(k) }
            events.append(e)
            // The event that leaves the recent ones is kept by its key.
            let leaving = events.count - 1 - EventFinder.recentEvents
            if leaving >= 0 {
                let key = key(leaving)
                if olderByKey[key] == nil { olderByKey[key] = leaving }
            }
            return k
        }

        private mutating func key(_ k: Int) -> String {
            while compared.count <= k { compared.append((nil, nil)) }
            if let known = compared[k].key { return known }
            let made = EventFinder.nameKey(events[k].name)
            compared[k].key = made
            return made
        }

        private mutating func words(_ k: Int) -> NameWords {
            while compared.count <= k { compared.append((nil, nil)) }
            if let known = compared[k].words { return known }
            let made = NameWords(events[k].name)
            compared[k].words = made
            return made
        }

        /// The first event named `name`.
        mutating func event(named name: String) -> Int? {
            if let byName { return byName[name] }
            if events.count <= shortListLength { return events.firstIndex { $0.name == name } }
            var table: [String: Int] = [:]
            for k in events.indices where table[events[k].name] == nil { table[events[k].name] = k }
            byName = table
            return table[name]
        }

        /// The first event `e` names again (`sameEvent`): by its name's key among all the events, by
        /// its words among the last `recentEvents`.
        mutating func same(as e: LocalEvent) -> Int? {
            guard !events.isEmpty else { return nil }
            let eKey = EventFinder.nameKey(e.name)
            if let older = olderByKey[eKey] { return older }
            var w: NameWords?
            for k in max(0, events.count - EventFinder.recentEvents)..<events.count {
                if key(k) == eKey { return k }
                guard EventFinder.mayBeSame(events[k], e) else { continue }
                if w == nil { w = NameWords(e.name) }
                if EventFinder.sameEvent(words(k), w!) { return k }
            }
            return nil
        }

        /// The last event of a kind not named by who met, else the last of the kind.
        mutating func lastEvent(of kind: String) -> Int? {
            if lastOfKind == nil {
                if events.count <= shortListLength {
                    return events.indices.last { events[$0].kind == kind && !explicit.contains($0) } ?? events.indices.last { events[$0].kind == kind }
                }
                var table: [String: (any: Int, named: Int?)] = [:]
                for k in events.indices { table[events[k].kind] = (k, explicit.contains(k) ? table[events[k].kind]?.named : k) }
                lastOfKind = table
            }
            return lastOfKind![kind].map { $0.named ?? $0.any }
        }
    }

    /// How many of an article's last events a name is compared with word by word (`sameEvent`);
    /// by its key it is looked up among all. A name said again in other words after more than this
    /// many other events is a new event: no news article names so many, and a long file that does
    /// costs time that does not grow with them.
    static let recentEvents = 256

    /// A name's words as `sameEvent` compares them: their match keys, but for a few small words and numbers.
    struct NameWords {
        let words: Set<String>
        /// The words written with a capital that are not the name's first: what names the event's own
        /// series or body ("SCO", "Council"), not how a sentence starts.
        let capitalised: Set<String>
        static let stop = Lexicon.shared.words("event-name-stop")
        init(_ name: String) {
            var words = Set<String>(), capitalised = Set<String>()
            var first = true
            for var part in name.split(whereSeparator: { $0 == " " || $0 == "-" }) {
                // Possessives count as their names: "Zhao's first visit" and "Zhao Ming's visit".
                let u = part.utf8
                if u.count > 2, u.last == UInt8(ascii: "s"), u[u.index(u.endIndex, offsetBy: -2)] == UInt8(ascii: "'") { part = part.dropLast(2) }
                else if u.count > 4, u.last == UInt8(ascii: "s"), u.dropLast().suffix(3).elementsEqual("’".utf8) { part = part.dropLast(2) }
                let key = Lexicon.phraseKey(String(part))
                // A capital is read on the first byte when it is ASCII, as nearly all are.
                let lead = part.utf8.first ?? 0
                let upper = lead < 0x80 ? lead &- 65 < 26 : part.first?.isUppercase == true
                if !first, upper { capitalised.insert(key) }
                first = false
                if !key.isEmpty, !NameWords.stop.contains(key), Int(key) == nil { words.insert(key) }
            }
            self.words = words
            self.capitalised = capitalised
        }
    }

    /// Two mentions in one article name the same event (their keys differ): the same kind and
    /// ordinal (`mayBeSame`), and the words of the shorter name mostly in the longer ("the Tianjin
    /// Summit" and "the Tianjin Summit of the Shanghai Cooperation Organization") (`sameEvent`).
    static func mayBeSame(_ a: LocalEvent, _ b: LocalEvent) -> Bool {
        a.kind == b.kind && (a.ordinal == b.ordinal || a.ordinal == nil || b.ordinal == nil)
    }

    static func sameEvent(_ x: NameWords, _ y: NameWords) -> Bool {
        let (small, large) = x.words.count <= y.words.count ? (x, y) : (y, x)
        guard !small.words.isEmpty else { return false }
        let shared = small.words.count { large.words.contains($0) }
        guard Double(shared) / Double(small.words.count) >= 0.6 else { return false }
        // "the meeting of the SCO Heads of Government Council" is not "the 30th regular meeting of the
        // heads of government": capitalised words that one name has and the other lacks tell them
        // apart, unless the shorter is all in the longer ("the Tianjin Summit" of "the Tianjin Summit
        // of the Shanghai Cooperation Organization"); one abbreviation ("SMEs") may stand for words.
        if small.capitalised.count(where: { !large.words.contains($0) }) >= 2 { return false }
        let missing = small.words.contains { !large.words.contains($0) && !EventFinder.modifiers.contains($0) }
        if missing, large.capitalised.contains(where: { !small.words.contains($0) }) { return false }
        return true
    }

}
