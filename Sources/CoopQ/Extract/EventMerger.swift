/// Merges reports of the same event from several documents, on evidence only: the same
/// ordinal, kind and series in any outlet's words ("the 30th regular meeting of the ... heads of
/// government", "the 30th regular meeting of the prime ministers ..."), or the same kind, full
/// date and place and the people who took part. Two meetings in one city on one day with
/// different people stay two.
struct EventMerger {
    /// A report's ordinal, kind and series words (`EventSeries`), its first merge key.
    struct SeriesKey: Hashable { var ordinal: Int; var kind: String; var series: String }
    /// Its ordinal and kind: where a series said in other words is looked for.
    struct OrdinalKey: Hashable { var ordinal: Int; var kind: String }
    /// Its kind, day, place and one of its people: its second. A report is looked up under each of
    /// its people.
    struct DayKey: Hashable { var kind: String; var day: Int; var place: String; var person: UInt64 }

    /// A report's series words, worked out once for each series text (reports of one series
    /// mostly name it alike); nil for an ordinal of no named series ("the first meeting", "his
    /// second official visit").
    private mutating func seriesWords(_ e: borrowing Event) -> [String]? {
        guard e.ordinal != nil, let series = e.series else { return nil }
        if let known = seriesMemo[series] { return known }
        let words = EventSeries.words(series)
        let named = EventSeries.names(words) ? words : nil
        seriesMemo[series] = .some(named)
        return named
    }
    private var seriesMemo: [String: [String]?] = [:]

    /// Its kind, full date and place, and the hash of each participant's key. Two outlets name one
    /// meeting in two ways ("the 29th regular meeting between Chinese and Russian heads of
    /// government", "... of the heads of government of Russia and China"): these keys join them.
    static func dayKeys(_ e: Event) -> [DayKey] {
        guard let day = e.date?.dayNumber, let place = e.place, !e.participants.isEmpty else { return [] }
        let placeKey = matchKey(place)
        // The hash of the name's match key, read off its bytes (`WordTable.keyHash`) when it is ASCII.
        return e.participants.map { DayKey(kind: e.kind, day: day, place: placeKey, person: WordTable.keyHash($0) ?? WordTable.hash(ofKey: matchKey($0))) }
    }

    /// Whether two reports of one kind, day and place name the people of one event: all of the
    /// smaller report's, or, when each names two or more, at least two.
    static func samePeople(_ a: [String], _ b: [String]) -> Bool {
        let (small, large) = a.count <= b.count ? (a, Set(b.map(matchKey))) : (b, Set(a.map(matchKey)))
        let shared = small.count { large.contains(matchKey($0)) }
        return shared == small.count || shared >= 2
    }

    /// Why a report was merged, in words: made only for the reports that are merged.
    static func reason(_ e: Event, onSeries: Bool) -> String {
        if onSeries, let ordinal = e.ordinal, let series = e.series { return "series '\(series)' and ordinal \(ordinal)" }
        return "kind \(e.kind), date \(e.date.map { "\($0)" } ?? ""), place \(e.place ?? "") and participants \(e.participants.joined(separator: ", "))"
    }

    /// The events so far, merged, in the order first reported; where each series key's event is,
    /// and the events of each kind, day, place and people.
    private(set) var events: [Event] = []
    /// The corpus's numbers of each event's participants (`Assembler`'s people), without repeats.
    private(set) var people: [[Int]] = []
    private var bySeries: [SeriesKey: Int] = [:]
    /// The events of each ordinal and kind, with their series words, the most recent last.
    private var byOrdinal: [OrdinalKey: [(event: Int, words: [String])]] = [:]
    private var byDay: [DayKey: [Int]] = [:]
    /// The events of each kind and name key that name people.
    private var byName: [String: [Int]] = [:]
    /// For a day key with many events, its events by ordinal (nil: none), kept once it has many.
    private var byDayOrdinal: [DayKey: [Int?: [Int]]] = [:]
    /// The document being added, and the number of its first new event.
    private var document: String?
    private var documentStart = 0
    /// For an event whose lists have grown long (reported over and over, by ever more people),
    /// the members of each list as a set: a report is merged in time that does not grow with
    /// the number of reports before it.
    private var long: [Int: LongLists] = [:]

    struct LongLists { var participants: Set<String>; var organizations: Set<String>; var topics: Set<String>; var people: Set<Int> }

    /// Adds one document's report: a new event, or more evidence for one already reported. Two
    /// reports with different ordinals ("the 29th ...", "the 5th ...") are two events whatever else
    /// they share.
    mutating func add(_ o: consuming Event, people numbers: [Int]) {
        if o.documents.last != document { document = o.documents.last; documentStart = events.count }
        let words = seriesWords(o)
        let series = words.map { SeriesKey(ordinal: o.ordinal!, kind: o.kind, series: $0.joined(separator: " ")) }
        let days = EventMerger.dayKeys(o)
        var existing: Int?
        var onSeries = false
        if let series, let k = bySeries[series] { existing = k; onSeries = true }
        else if let words, let k = sameSeries(o, words) { existing = k; onSeries = true }
        else {
            for day in days {
                guard let candidates = byDay[day] else { continue }
                // Many events of one day, place and person: those of the report's ordinal and those of
                // none are searched, not those of other ordinals too.
                if let v = o.ordinal, let split = byDayOrdinal[day] {
                    existing = firstJoinable(split[v] ?? [], split[nil] ?? [], o)
                } else {
                    existing = firstJoinable(candidates, [], o)
                }
                if existing != nil { break }
            }
        }
        let nameKey = o.kind + "|" + Lexicon.phraseKey(o.name)
        var onName = false
        if existing == nil, !o.participants.isEmpty, let k = sameNameUndated(o, key: nameKey) { existing = k; onName = true }
        if let existing {
            absorb(existing, o, onName ? "name '\(o.name)', the same people, and no date to tell them apart" : EventMerger.reason(o, onSeries: onSeries), people: numbers)
            if let series, bySeries[series] == nil { bySeries[series] = existing }
            return
        }
        if let series {
            bySeries[series] = events.count
            byOrdinal[OrdinalKey(ordinal: series.ordinal, kind: series.kind), default: []].append((events.count, words!))
        }
        for day in days {
            byDay[day, default: []].append(events.count)
            if byDayOrdinal[day] != nil { byDayOrdinal[day]![o.ordinal, default: []].append(events.count) }
            else if byDay[day]!.count > shortListLength {
                var split: [Int?: [Int]] = [:]
                for c in byDay[day]! { split[c < events.count ? events[c].ordinal : o.ordinal, default: []].append(c) }
                byDayOrdinal[day] = split
            }
        }
        if !o.participants.isEmpty { byName[nameKey, default: []].append(events.count) }
        events.append(o)
        var unique = UniqueList<Int>()
        for k in numbers { unique.insert(k) }
        people.append(unique.members)
    }

    /// An earlier event of the report's ordinal and kind whose series is said in other words
    /// (`EventSeries.same`), held on a day and in a place that do not contradict the report's.
    /// The most recent `recentSeries` of them are compared.
    private func sameSeries(_ o: borrowing Event, _ words: [String]) -> Int? {
        guard let ordinal = o.ordinal, let list = byOrdinal[OrdinalKey(ordinal: ordinal, kind: o.kind)] else { return nil }
        for (c, theirs) in list.suffix(EventMerger.recentSeries).reversed() {
            if c >= documentStart { continue }
            if o.documents.contains(where: { events[c].documents.last == $0 }) { continue }
            guard EventSeries.same(words, theirs) else { continue }
            if let a = o.date, let b = events[c].date, !a.isNear(b, days: 3) { continue }
            if let a = o.place, let b = events[c].place, matchKey(a) != matchKey(b) { continue }
            return c
        }
        return nil
    }

    /// An earlier event of the report's kind, name and people, where one of the two has no date
    /// ("Pavel Orlov meets Zhao Ming" told by an article that never says the year), in a place
    /// that does not contradict it: the most recent `recentSeries`.
    private func sameNameUndated(_ o: borrowing Event, key: String) -> Int? {
        guard let list = byName[key] else { return nil }
        for c in list.suffix(EventMerger.recentSeries).reversed() {
            if c >= documentStart { continue }
            guard o.date == nil || events[c].date == nil else { continue }
            if o.documents.contains(where: { events[c].documents.last == $0 }) { continue }
            if let a = o.place, let b = events[c].place, matchKey(a) != matchKey(b) { continue }
            if EventMerger.samePeople(events[c].participants, o.participants) { return c }
        }
        return nil
    }

    /// How many earlier events of one ordinal and kind a series in other words is compared with.
    static let recentSeries = 64

    /// The first of the events `a` and `b` (each in order; merged in order) that report `o` may join:
    /// one of a compatible ordinal (the same, or either has none). Within one article the event
    /// stage has told its events apart already ("during the meeting, Wang met with Petrov" is a
    /// second event, however alike their day, place and people): this document's own events, made
    /// from `documentStart` on, end the search, and an earlier one that a report of it was merged
    /// into is passed over (documents come in order: one already listed is the last).
    private func firstJoinable(_ a: [Int], _ b: [Int], _ o: borrowing Event) -> Int? {
        var i = 0, j = 0
        while i < a.count || j < b.count {
            let c: Int
            if j >= b.count || (i < a.count && a[i] < b[j]) { c = a[i]; i += 1 } else { c = b[j]; j += 1 }
            if c >= documentStart { return nil }
            if o.documents.contains(where: { events[c].documents.last == $0 }) { continue }
            if events[c].ordinal != nil && o.ordinal != nil && events[c].ordinal != o.ordinal { continue }
            if EventMerger.samePeople(events[c].participants, o.participants) { return c }
        }
        return nil
    }

    /// Appends the items not in `list` yet: searched in it (a short list), or looked up in its set.
    private static func merge<T: Hashable>(_ items: [T], into list: inout [T]) {
        for x in items where !list.contains(x) { list.append(x) }
    }

    private static func merge<T: Hashable>(_ items: [T], into list: inout [T], seen: inout Set<T>) {
        for x in items where seen.insert(x).inserted { list.append(x) }
    }

    /// Merges `o` into event `k` in place (its lists are appended to, not copied).
    private mutating func absorb(_ k: Int, _ o: borrowing Event, _ why: String, people numbers: [Int]) {
        var lists = long.isEmpty ? nil : long.removeValue(forKey: k)
        defer { long[k] = lists }
        // Lists that this report makes long are given their sets before it is merged.
        if lists == nil, events[k].participants.count + o.participants.count > shortListLength || people[k].count + numbers.count > shortListLength {
            lists = LongLists(participants: Set(events[k].participants), organizations: Set(events[k].organizations),
                              topics: Set(events[k].topics), people: Set(people[k]))
        }
        if let d = o.date, events[k].date == nil || d.precision > events[k].date!.precision {
            events[k].date = d; events[k].dateText = o.dateText; events[k].fieldEvidence["date"] = o.fieldEvidence["date"]
        }
        if events[k].place == nil { events[k].place = o.place; events[k].region = o.region; events[k].fieldEvidence["place"] = o.fieldEvidence["place"] }
        if events[k].country == nil { events[k].country = o.country }
        // A long event's sets are changed where they lie (taken out of `long`, each has one owner):
        // a copy of one for each report would cost what they spare.
        if lists != nil {
            EventMerger.merge(o.participants, into: &events[k].participants, seen: &lists!.participants)
            EventMerger.merge(o.organizations, into: &events[k].organizations, seen: &lists!.organizations)
            EventMerger.merge(o.topics, into: &events[k].topics, seen: &lists!.topics)
            EventMerger.merge(numbers, into: &people[k], seen: &lists!.people)
        } else {
            EventMerger.merge(o.participants, into: &events[k].participants)
            EventMerger.merge(o.organizations, into: &events[k].organizations)
            EventMerger.merge(o.topics, into: &events[k].topics)
            EventMerger.merge(numbers, into: &people[k])
        }
        // Documents come in order: one already listed is the last.
        for d in o.documents where events[k].documents.last != d { events[k].documents.append(d) }
        events[k].evidence += o.evidence
        events[k].mergedOn = why
    }
}

/// What the merger knows beyond its events, kept with a snapshot (`AssemblyState`) so that a later
/// load goes on merging the articles added after it, as if they had come in the same load.
///
/// Only what the events do not tell is written: the keys each event was filed under when it was
/// first reported (a report merged since may have given it another date, place or people) and the
/// series each merged report brought. The rest is made again from the events: their ordinal, kind
/// and series never change once an event is made.
extension EventMerger {
    /// (The kinds and places of the day keys, few and each under many keys, are written once, in a
    /// table, and named by their number there: read, each is one string, not one for each key.)
    func writeState(_ w: inout RecordWriter) {
        w.count(bySeries.count)
        for (k, e) in bySeries { w.int(k.ordinal); w.string(k.kind); w.string(k.series); w.int(e) }
        var table: [String: Int] = [:]
        var strings: [String] = []
        func number(_ s: String) -> Int {
            if let n = table[s] { return n }
            strings.append(s)
            table[s] = strings.count - 1
            return strings.count - 1
        }
        var days = RecordWriter()
        for (k, es) in byDay { days.count(number(k.kind)); days.int(k.day); days.count(number(k.place)); days.uint(k.person); days.ints(es) }
        w.strings(strings)
        w.count(byDay.count)
        w.bytes += days.bytes
        w.count(byName.count)
        for (k, es) in byName { w.string(k); w.ints(es) }
    }

    /// The keys `writeState` wrote, read: made ready before the events they point to are.
    struct Keys: @unchecked Sendable {
        fileprivate var bySeries: [SeriesKey: Int] = [:]
        fileprivate var byDay: [DayKey: [Int]] = [:]
        fileprivate var byName: [String: [Int]] = [:]

        /// Read from `r`, each of their events checked to be one of the `events` the state was written with.
        init(reading r: inout RecordReader, events n: Int) throws(ExtractionRecord.Invalid) {
            func event(_ e: Int) throws(ExtractionRecord.Invalid) -> Int {
                guard 0 <= e, e < n else { throw ExtractionRecord.Invalid(description: "an event of the assembly's state is not in the snapshot") }
                return e
            }
            func list(_ r: inout RecordReader) throws(ExtractionRecord.Invalid) -> [Int] {
                var es = try r.ints()
                for i in es.indices { es[i] = try event(es[i]) }
                return es
            }
            let series = try r.count()
            bySeries.reserveCapacity(series)
            for _ in 0..<series {
                let key = SeriesKey(ordinal: try r.int(), kind: try r.string(), series: try r.string())
                bySeries[key] = try event(try r.int())
            }
            let strings = try r.strings()
            func string(_ r: inout RecordReader) throws(ExtractionRecord.Invalid) -> String {
                let n = try r.count()
                guard n < strings.count else { throw ExtractionRecord.Invalid(description: "a string of the assembly's state is not in its table") }
                return strings[n]
            }
            let days = try r.count()
            byDay.reserveCapacity(days)
            for _ in 0..<days {
                let key = DayKey(kind: try string(&r), day: try r.int(), place: try string(&r), person: try r.uint())
                byDay[key] = try list(&r)
            }
            let names = try r.count()
            byName.reserveCapacity(names)
            for _ in 0..<names { byName[try r.string()] = try list(&r) }
        }
    }

    /// The merger that merged `events` (the people of each in `people`) under `keys` (of as many
    /// events: the caller checks).
    init(resuming events: [Event], people: [[Int]], keys: consuming Keys) {
        self.events = events
        self.people = people
        bySeries = keys.bySeries
        byDay = keys.byDay
        byName = keys.byName
        // Made again as `add` made them: the events of a series by ordinal and kind, in order, and
        // the days of many events split by ordinal.
        for c in events.indices {
            if let words = seriesWords(events[c]) { byOrdinal[OrdinalKey(ordinal: events[c].ordinal!, kind: events[c].kind), default: []].append((c, words)) }
        }
        for (day, list) in byDay where list.count > shortListLength {
            var split: [Int?: [Int]] = [:]
            for c in list { split[events[c].ordinal, default: []].append(c) }
            byDayOrdinal[day] = split
        }
    }
}
