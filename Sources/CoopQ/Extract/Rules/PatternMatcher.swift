/// A pattern made ready to match: word lists looked up once, and the words one of which every
/// match holds (`trigger`), so that a sentence without any is passed over at once.
struct CompiledPattern: Sendable {
    // (Not `indirect`: the arrays already hold the nested nodes, and the boxes of an indirect enum,
    // pointed at with tag bits set, are taken for leaks by LeakSanitizer.)
    enum Node: Sendable {
        case word(String)
        case text(String)
        /// A word list, by its number in `lists` (a set held in an enum's payload is taken for a
        /// leak by LeakSanitizer, which does not see the tag bits in the pointer).
        case list(Int)
        case layer(TokenPattern.Layer)
        case shape(TokenPattern.Shape)
        case sequence([Item])
        case alternatives([Node])
    }

    struct Item: Sendable {
        var node: Node
        var min: Int
        var max: Int
        var capture: String?
    }

    let root: Node
    let lists: [WordSet]
    let trigger: WordSet?

    init(_ pattern: TokenPattern, lexicon: Lexicon = .shared) {
        var lists: [WordSet] = []
        root = CompiledPattern.compile(pattern.root, lexicon, &lists)
        self.lists = lists
        trigger = pattern.triggerWords.map { WordSet(Array($0)) }
    }

    // (A static function, not a local one: a local function that calls itself and captures
    // what is around it keeps its own context alive for ever.)
    private static func compile(_ node: TokenPattern.Node, _ lexicon: Lexicon, _ lists: inout [WordSet]) -> Node {
        switch node {
        case .word(let w): return .word(w)
        case .text(let t): return .text(t)
        case .list(let name):
            lists.append(WordSet(Array(lexicon.words(name))))
            return .list(lists.count - 1)
        case .layer(let l): return .layer(l)
        case .shape(let s): return .shape(s)
        case .sequence(let items):
            var compiled: [Item] = []
            for item in items { compiled.append(Item(node: compile(item.node, lexicon, &lists), min: item.min, max: item.max, capture: item.capture)) }
            return .sequence(compiled)
        case .alternatives(let options):
            var compiled: [Node] = []
            for option in options { compiled.append(compile(option, lexicon, &lists)) }
            return .alternatives(compiled)
        }
    }
}

/// What a sentence offers a pattern: its tokens and the spans of the earlier layers.
struct PatternContext {
    let tokens: Tokens
    let range: Range<Int>
    /// By the token each starts at: a person's span and the person's number.
    var people: [Int: (end: Int, person: Int)] = [:]
    var places: [Int: Int] = [:]
    var organizations: [Int: Int] = [:]
    /// By the token each starts at: the end of a date of the dates layer.
    var dates: [Int: Int] = [:]

    init(tokens: Tokens, range: Range<Int>) {
        self.tokens = tokens
        self.range = range
    }
}

/// What a capture matched: its tokens, and the person when it is one person's span.
struct PatternCapture {
    var tokens: Range<Int>
    var person: Int?
}

/// Matches a compiled pattern at a token, trying the longest way first and backing off (as a
/// regular expression does): sentences are short, and a rule is tried only where its trigger is.
final class PatternMatcher {
    private let context: PatternContext
    private var lists: [WordSet] = []
    private var captures: [(name: String, capture: PatternCapture)] = []

    init(_ context: PatternContext) { self.context = context }

    /// The end of the match starting at `start`, and its captures; nil when it does not match there.
    /// With `through`, only a match that ends there (a header rule matches a whole line).
    func match(_ pattern: CompiledPattern, at start: Int, through: Int? = nil) -> (end: Int, captures: [String: PatternCapture])? {
        captures.removeAll(keepingCapacity: true)
        lists = pattern.lists
        var end = -1
        guard node(pattern.root, start, { j in
            guard through == nil || j == through else { return false }
            end = j
            return true
        }) else { return nil }
        var named: [String: PatternCapture] = [:]
        for c in captures { named[c.name] = c.capture }
        return (end, named)
    }

    private func token(_ i: Int, _ test: (TextToken) -> Bool, _ k: (Int) -> Bool) -> Bool {
        i < context.range.upperBound && test(context.tokens[i]) && k(i + 1)
    }

    private func node(_ n: CompiledPattern.Node, _ i: Int, _ k: (Int) -> Bool) -> Bool {
        switch n {
        case .word(let w): return token(i, { $0.kind != .punct && $0.lowerIs(w) }, k)
        case .text(let t): return token(i, { $0.text == t }, k)
        case .list(let n): return token(i, { lists[n].contains($0) }, k)
        case .shape(let shape):
            switch shape {
            case .capitalized: return token(i, { $0.kind == .word && $0.isCapitalized }, k)
            case .number: return token(i, { $0.kind == .number }, k)
            case .ordinal: return token(i, { EventFinder.ordinal(of: $0) != nil }, k)
            case .word: return token(i, { $0.kind == .word }, k)
            case .any: return token(i, { _ in true }, k)
            }
        case .layer(let layer):
            let end: Int?
            switch layer {
            case .person: end = context.people[i]?.end
            case .place: end = context.places[i]
            case .organization: end = context.organizations[i]
            case .date: end = context.dates[i]
            }
            guard let end, end <= context.range.upperBound else { return false }
            return k(end)
        case .sequence(let items): return sequence(items, 0, i, k)
        case .alternatives(let options):
            for option in options where node(option, i, k) { return true }
            return false
        }
    }

    private func sequence(_ items: [CompiledPattern.Item], _ n: Int, _ i: Int, _ k: (Int) -> Bool) -> Bool {
        guard n < items.count else { return k(i) }
        let item = items[n]
        guard let name = item.capture else { return repeated(item, 0, i) { j in sequence(items, n + 1, j, k) } }
        // A capture spans every repetition of its item ("source:ANY+" is the whole name); an
        // optional item matched no times captures nothing.
        return repeated(item, 0, i) { j in
            guard j > i else { return sequence(items, n + 1, j, k) }
            let person = context.people[i].flatMap { $0.end == j ? $0.person : nil }
            captures.append((name, PatternCapture(tokens: i..<j, person: person)))
            if sequence(items, n + 1, j, k) { return true }
            captures.removeLast()
            return false
        }
    }

    /// An item matched `count` times so far, ending at `i`: once more if it may, else what follows.
    private func repeated(_ item: CompiledPattern.Item, _ count: Int, _ i: Int, _ k: (Int) -> Bool) -> Bool {
        if count < item.max {
            let kept = captures.count
            if once(item, i, { j in j > i && repeated(item, count + 1, j, k) }) { return true }
            captures.removeSubrange(kept...)
        }
        return count >= item.min && k(i)
    }

    private func once(_ item: CompiledPattern.Item, _ i: Int, _ k: (Int) -> Bool) -> Bool { node(item.node, i, k) }
}
