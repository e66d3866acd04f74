/// Events read by the rules of `Rules/*.rules` (`RuleBook`): each rule whose trigger word is in a
/// sentence is matched at each of its tokens, and a match makes the event its production says,
/// with the rule's name kept as where it came from.
extension EventFinder {
    struct EventRule: Sendable {
        let name: String
        let pattern: CompiledPattern
        let kind: String
        let template: String
        /// The captures the name needs: a match without one of them reads no event.
        let needs: [String]
        let participants: [String]
    }

    static let eventRules: [EventRule] = RuleBook.shared.eventRules.compactMap { rule in
        guard case .event(let kind, let name, let participants) = rule.production else { return nil }
        return EventRule(name: rule.name, pattern: CompiledPattern(rule.pattern), kind: kind, template: name,
                         needs: RuleBook.placeholders(name), participants: participants)
    }

    /// Every rule's trigger words, when each rule has some: a sentence with none of them is passed
    /// over in one look at its tokens, however many rules there are.
    static let anyTrigger: WordSet? = {
        var words: Set<String> = []
        for rule in RuleBook.shared.eventRules {
            guard let w = rule.pattern.triggerWords else { return nil }
            words.formUnion(w)
        }
        return WordSet(Array(words))
    }()

    /// The events the rules read in sentence `s`.
    func ruleEvents(sentence s: Int) -> [LocalEvent] {
        let range = sentences[s].tokens
        if let any = EventFinder.anyTrigger, !range.contains(where: { any.contains(tokens[$0]) }) { return [] }
        var context: PatternContext?
        var found: [LocalEvent] = []
        for rule in EventFinder.eventRules {
            if let trigger = rule.pattern.trigger, !range.contains(where: { trigger.contains(tokens[$0]) }) { continue }
            if context == nil { context = patternContext(sentence: s) }
            let matcher = PatternMatcher(context!)
            var i = range.lowerBound
            while i < range.upperBound {
                guard let (end, captures) = matcher.match(rule.pattern, at: i) else { i += 1; continue }
                // A match that left out what the event's name needs (an optional capture) reads no event.
                if rule.needs.allSatisfy({ captures[$0] != nil }) {
                    found.append(event(rule, captures, sentence: s, start: i, end: end))
                }
                i = max(end, i + 1)
            }
        }
        return found
    }

    private func patternContext(sentence s: Int) -> PatternContext {
        var context = PatternContext(tokens: tokens, range: sentences[s].tokens)
        let range = sentences[s].tokens
        var spans: [(person: Int, tokens: Range<Int>)] = []
        for (person, span) in peopleBySentence[s] where !isAuthor[person] { spans.append((person, span)) }
        for (person, span) in spans {
            context.people[span.lowerBound] = (span.upperBound, person)
            // "Chinese Vice Premier Zhao Ming": a person's span may start at the capitalised words of
            // the post before the name (never at another person's name).
            var start = span.lowerBound
            while start > range.lowerBound, span.lowerBound - start < 8, tokens[start - 1].kind == .word, tokens[start - 1].isCapitalized,
                  !spans.contains(where: { $0.tokens.contains(start - 1) }) {
                start -= 1
            }
            if start < span.lowerBound, context.people[start] == nil { context.people[start] = (span.upperBound, person) }
        }
        for d in dates[sentence: s] { context.dates[d.tokens.lowerBound] = d.tokens.upperBound }
        for m in mentionsBySentence[s] {
            switch m.kind {
            case .place: context.places[m.tokens.lowerBound] = m.tokens.upperBound
            case .organization: context.organizations[m.tokens.lowerBound] = m.tokens.upperBound
            }
        }
        return context
    }

    private func event(_ rule: EventRule, _ captures: [String: PatternCapture], sentence s: Int, start: Int, end: Int) -> LocalEvent {
        func text(_ c: PatternCapture) -> String { c.person.map { people[$0].name } ?? DateResolver.raw(tokens, c.tokens.lowerBound, c.tokens.upperBound) }
        var name = rule.template
        for (key, capture) in captures { name = name.replacingOccurrences(of: "{" + key + "}", with: text(capture)) }
        var e = LocalEvent(name: name, kind: rule.kind, nameSentence: s)
        e.rule = rule.name
        e.sentences = [s]
        for p in rule.participants { if let person = captures[p]?.person, !e.participants.contains(person) { e.participants.append(person) } }
        locate(&e, start: start, end: end)
        return e
    }
}
