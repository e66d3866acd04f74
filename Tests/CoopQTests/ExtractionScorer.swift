import CoopQ
import Foundation

/// Scores an extracted corpus against a gold file in the format of `Fixtures/seeds.gold.json`, with
/// the rules its `about` line states: names match ignoring case, punctuation and spacing; an
/// organization matches its name or any alias; a gold record with `"required": false` earns
/// credit when found and costs nothing when missed; participants, titles and topics are sets.
struct ExtractionScorer {
    struct Score: CustomStringConvertible {
        var truePositives = 0.0, falsePositives = 0.0, falseNegatives = 0.0
        var precision: Double { truePositives + falsePositives == 0 ? 1 : truePositives / (truePositives + falsePositives) }
        var recall: Double { truePositives + falseNegatives == 0 ? 1 : truePositives / (truePositives + falseNegatives) }
        var f1: Double { precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall) }
        var description: String {
            String(format: "F1 %.3f (P %.3f R %.3f; tp %.0f fp %.0f fn %.0f)", f1, precision, recall, truePositives, falsePositives, falseNegatives)
        }
        static func += (a: inout Score, b: Score) {
            a.truePositives += b.truePositives; a.falsePositives += b.falsePositives; a.falseNegatives += b.falseNegatives
        }
    }

    struct Report {
        var documentFieldAccuracy = 0.0
        var people = Score(), peopleCountryAccuracy = 0.0
        var places = Score(), organizations = Score(), events = Score(), participants = Score(), topics = Score()
        var agreements = Score(), figures = Score()
        var misses: [String] = []

        var summary: String {
            """
            documents     field accuracy \(String(format: "%.3f", documentFieldAccuracy))
            people        \(people); country right \(String(format: "%.3f", peopleCountryAccuracy))
            places        \(places)
            organizations \(organizations)
            events        \(events)
            participants  \(participants)
            topics        \(topics)
            agreements    \(agreements)
            figures       \(figures)
            """
        }
    }

    let gold: [String: Any]
    let corpus: Corpus

    static func key(_ s: String) -> String { matchKey(s) }

    func score() -> Report {
        var r = Report()
        let goldDocuments = gold["documents"] as? [[String: Any]] ?? []
        let documentIDs = Set(goldDocuments.compactMap { $0["id"] as? String })

        // Documents: each of title, date, source, place and author right or wrong.
        var right = 0, total = 0
        for g in goldDocuments {
            guard let id = g["id"] as? String else { continue }
            let d = corpus.documents.first { $0.id == id }
            func check(_ field: String, _ got: String?) {
                total += 1
                let want = g[field] as? String
                if want.map(Self.key) == got.map(Self.key) { right += 1 } else { r.misses.append("document \(id) \(field): want \(want ?? "null"), got \(got ?? "null")") }
            }
            check("title", d?.title)
            check("date", d?.date?.description)
            check("source", d?.source)
            check("place", d?.place)
            total += 1
            let wantAuthors = Set((g["author"] as? [String] ?? []).map(Self.key))
            if wantAuthors == Set((d?.author ?? []).map(Self.key)) { right += 1 } else { r.misses.append("document \(id) author: want \(wantAuthors), got \(d?.author ?? [])") }
        }
        r.documentFieldAccuracy = total == 0 ? 1 : Double(right) / Double(total)

        // People, by name.
        let goldPeople = gold["people"] as? [[String: Any]] ?? []
        var countryRight = 0, countryTotal = 0
        r.people = match(gold: goldPeople, predicted: corpus.people.filter { !Set($0.documents).isDisjoint(with: documentIDs) }.map(\.name),
                         label: "person") { g, name in Self.key(g["name"] as? String ?? "") == Self.key(name) }
        for g in goldPeople where (g["required"] as? Bool) != false {
            guard let p = corpus.people.first(where: { Self.key($0.name) == Self.key(g["name"] as? String ?? "") }) else { continue }
            countryTotal += 1
            if (g["country"] as? String) == p.country { countryRight += 1 } else { r.misses.append("person \(p.name) country: want \(g["country"] as? String ?? "null"), got \(p.country ?? "null")") }
        }
        r.peopleCountryAccuracy = countryTotal == 0 ? 1 : Double(countryRight) / Double(countryTotal)

        r.places = match(gold: gold["places"] as? [[String: Any]] ?? [],
                         predicted: corpus.places.filter { !Set($0.documents).isDisjoint(with: documentIDs) }.map(\.name), label: "place") { g, name in
            Self.key(g["name"] as? String ?? "") == Self.key(name)
        }
        let orgs = corpus.organizations.filter { !Set($0.documents).isDisjoint(with: documentIDs) }
        r.organizations = match(gold: gold["organizations"] as? [[String: Any]] ?? [], predicted: orgs.map(\.name), label: "organization") { g, name in
            let names = ([g["name"] as? String ?? ""] + (g["aliases"] as? [String] ?? [])).map(Self.key)
            let predictedNames = [name] + (orgs.first { $0.name == name }?.aliases ?? [])
            return predictedNames.contains { names.contains(Self.key($0)) }
        }

        // Events: matched by name, or by kind with ordinal, or by kind, date and a shared participant.
        let goldEvents = gold["events"] as? [[String: Any]] ?? []
        let events = corpus.events.filter { !Set($0.documents).isDisjoint(with: documentIDs) }
        var used = Set<Int>()
        // Exact names pair first, so a looser match never takes another event's partner.
        var byName: [Int: Int] = [:]
        for (gi, g) in goldEvents.enumerated() {
            if let i = events.indices.first(where: { !used.contains($0) && Self.key(events[$0].name) == Self.key(g["name"] as? String ?? "") }) {
                byName[gi] = i
                used.insert(i)
            }
        }
        for (gi, g) in goldEvents.enumerated() {
            let required = (g["required"] as? Bool) != false
            let want = Set((g["participants"] as? [String] ?? []).map(Self.key))
            let found = byName[gi] ?? events.indices.first { i in
                guard !used.contains(i) else { return false }
                let e = events[i]
                guard e.kind == g["kind"] as? String else { return false }
                if let o = g["ordinal"] as? Int { return e.ordinal == o }
                let date = g["date"] as? String
                return e.date?.description == date && !want.isDisjoint(with: e.participants.map(Self.key))
                    && Set(e.documents) == Set(g["documents"] as? [String] ?? [])
            }
            if let i = found {
                used.insert(i)
                r.events.truePositives += 1
                let got = Set(events[i].participants.map(Self.key))
                r.participants.truePositives += Double(got.intersection(want).count)
                r.participants.falsePositives += Double(got.subtracting(want).count)
                r.participants.falseNegatives += Double(want.subtracting(got).count)
                if got != want { r.misses.append("event \(events[i].name) participants: want \(want.sorted()), got \(got.sorted())") }
                let gotDocs = Set(events[i].documents), wantDocs = Set(g["documents"] as? [String] ?? [])
                if gotDocs != wantDocs { r.misses.append("event \(events[i].name) documents: want \(wantDocs.sorted()), got \(gotDocs.sorted())") }
            } else if required {
                r.events.falseNegatives += 1
                r.participants.falseNegatives += Double(want.count)
                r.misses.append("event missed: \(g["name"] as? String ?? "")")
            }
        }
        for i in events.indices where !used.contains(i) {
            r.events.falsePositives += 1
            r.misses.append("event not in gold: \(events[i].name)")
        }

        // Topics, per document, as sets.
        for (id, want) in gold["topics"] as? [String: [String]] ?? [:] {
            let got = Set(corpus.topics.filter { $0.documents.contains(id) }.map { Self.key($0.name) })
            let w = Set(want.map(Self.key))
            r.topics.truePositives += Double(got.intersection(w).count)
            r.topics.falsePositives += Double(got.subtracting(w).count)
            r.topics.falseNegatives += Double(w.subtracting(got).count)
            if got != w { r.misses.append("topics \(id): missing \(w.subtracting(got).sorted()), extra \(got.subtracting(w).sorted())") }
        }

        r.agreements = match(gold: gold["agreements"] as? [[String: Any]] ?? [],
                             predicted: corpus.agreements.filter { !Set($0.documents).isDisjoint(with: documentIDs) }.map(\.name), label: "agreement") { g, name in
            Self.key(g["name"] as? String ?? "") == Self.key(name)
        }
        let figures = corpus.figures.filter { !Set($0.documents).isDisjoint(with: documentIDs) }
        r.figures = match(gold: gold["figures"] as? [[String: Any]] ?? [],
                          predicted: figures.indices.map(String.init), label: "figure") { g, index in
            let f = figures[Int(index)!]
            return (g["value"] as? Double).map { abs($0 - f.value) < 1e-6 } == true && g["unit"] as? String == f.unit
        }
        return r
    }

    /// Set matching of predicted names against gold records, one to one.
    private func match(gold: [[String: Any]], predicted: [String], label: String,
                       _ same: ([String: Any], String) -> Bool) -> Score {
        var s = Score()
        var used = Set<Int>()
        for g in gold {
            let required = (g["required"] as? Bool) != false
            if let i = predicted.indices.first(where: { !used.contains($0) && same(g, predicted[$0]) }) {
                used.insert(i)
                s.truePositives += 1
            } else if required {
                s.falseNegatives += 1
            }
        }
        s.falsePositives = Double(predicted.count - used.count)
        return s
    }
}
