/// Phrases of a lexicon as a trie over the match keys of their words, so a lookup walks the
/// tokens once and builds no strings: `longest(from:)` finds the longest phrase starting at a
/// token; `exact(_:_:)` says whether a span is a phrase.
struct PhraseTable<Value: Sendable>: Sendable {
    /// The first word's node by word number (most look-ups end here, on an array); deeper
    /// words by `edges`. Node 0 is the root.
    private var root: [Int32] = []
    private var edges = Edges()
    private var values: [Value?] = [nil]

    /// The trie's edges below the root, (node, word) → node, in one open-addressing table with
    /// a multiplicative hash: a look-up is a probe or two, with no `Hasher` and no dictionary
    /// per node to retain.
    struct Edges: Sendable {
        /// By slot: the edge's (node, word) as one word, and the node it leads to (-1: empty).
        private var keys = [UInt64](repeating: 0, count: 64)
        private var targets = [Int32](repeating: -1, count: 64)
        private var count = 0

        @inline(__always) private static func key(_ node: Int, _ word: Int32) -> UInt64 { UInt64(node) &<< 32 | UInt64(UInt32(bitPattern: word)) }
        @inline(__always) private static func slot(_ key: UInt64, _ mask: Int) -> Int { Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) &>> 32) & mask }

        @inline(__always)
        func target(_ node: Int, _ word: Int32) -> Int32? {
            let k = Edges.key(node, word), mask = keys.count - 1
            var i = Edges.slot(k, mask)
            while true {
                let t = targets[i]
                if t < 0 { return nil }
                if keys[i] == k { return t }
                i = (i &+ 1) & mask
            }
        }

        mutating func insert(_ node: Int, _ word: Int32, _ target: Int32) {
            if (count + 1) * 2 > keys.count {
                let old = (keys, targets)
                keys = [UInt64](repeating: 0, count: old.0.count * 2)
                targets = [Int32](repeating: -1, count: old.0.count * 2)
                count = 0
                for (k, t) in zip(old.0, old.1) where t >= 0 { insert(Int(k &>> 32), Int32(bitPattern: UInt32(truncatingIfNeeded: k)), t) }
            }
            let k = Edges.key(node, word), mask = keys.count - 1
            var i = Edges.slot(k, mask)
            while targets[i] >= 0, keys[i] != k { i = (i &+ 1) & mask }
            if targets[i] < 0 { count += 1 }
            keys[i] = k
            targets[i] = target
        }
    }

    mutating func insert(_ phrase: String, _ value: Value, overwrite: Bool = true, words vocabulary: inout [String: Int32]) {
        let words = Lexicon.phraseKey(phrase).utf8.split(separator: 0x20).map { String(Substring($0)) }
        guard !words.isEmpty else { return }
        var node = 0
        for w in words {
            let id: Int32
            if let known = vocabulary[w] { id = known } else { id = Int32(vocabulary.count); vocabulary[w] = id }
            if let next = child(node, id) { node = Int(next); continue }
            values.append(nil)
            let new = Int32(values.count - 1)
            if node == 0 {
                while root.count <= Int(id) { root.append(-1) }
                root[Int(id)] = new
            } else {
                edges.insert(node, id, new)
            }
            node = Int(new)
        }
        if overwrite || values[node] == nil { values[node] = value }
    }

    @inline(__always)
    private func child(_ node: Int, _ word: Int32) -> Int32? {
        if node == 0 {
            guard word >= 0, Int(word) < root.count else { return nil }
            let n = root[Int(word)]
            return n < 0 ? nil : n
        }
        return edges.target(node, word)
    }

    /// Whether a phrase starts with the word numbered `word`.
    func starts(with word: Int32) -> Bool { child(0, word) != nil }

    /// Whether a phrase may start at the token: decided on its word numbers alone, inline, so
    /// that the callers' loops turn most tokens away without a call.
    @inline(__always)
    func mayStart(_ t: TextToken) -> Bool {
        t.kind == .punct || (t.word >= 0 && Int(t.word) < root.count && root[Int(t.word)] >= 0)
            || (t.baseWord >= 0 && Int(t.baseWord) < root.count && root[Int(t.baseWord)] >= 0)
    }

    /// The longest phrase starting at token `i` and ending before `limit`. Punctuation that may
    /// stand inside a name (`.`, `,`, `-`, apostrophes, brackets) is stepped over when `inNames`;
    /// a hyphen always. The last word may carry a possessive 's.
    func longest(_ tokens: Tokens, from i: Int, limit: Int, inNames: Bool = true) -> (end: Int, value: Value)? {
        // Most tokens start no phrase: decided on their word numbers alone.
        guard i < limit, mayStart(tokens[i]) else { return nil }
        var node = 0
        var best: (Int, Value)?
        var j = i
        while j < limit {
            if tokens[j].kind == .punct {
                let t = tokens[j]
                if t.isPunct("-") || (inNames && (t.isPunct(".") || t.isPunct(",") || t.isPunct("'") || t.isPunct("’") || t.isPunct("(") || t.isPunct(")"))) { j += 1; continue }
                break
            }
            if tokens[j].baseWord >= 0, let c = child(node, tokens[j].baseWord), let v = values[Int(c)] { best = (j + 1, v) }
            guard let next = child(node, tokens[j].word) else { break }
            node = Int(next)
            j += 1
            if let v = values[node] { best = (j, v) }
        }
        return best
    }

    /// The value of the phrase made of exactly the words `tokens[i..<end]`.
    func exact(_ tokens: Tokens, _ i: Int, _ end: Int) -> Value? {
        var node = 0
        for j in i..<end {
            guard tokens[j].kind != .punct, let next = child(node, tokens[j].word) else { return nil }
            node = Int(next)
        }
        return values[node]
    }

    /// The value of a phrase given as text.
    func lookup(_ phrase: String) -> Value? {
        var node = 0
        for w in Lexicon.phraseKey(phrase).split(separator: " ") {
            let id = Lexicon.shared.vocabulary.id(String(w))
            guard id >= 0, let next = child(node, id) else { return nil }
            node = Int(next)
        }
        return values[node]
    }
}
