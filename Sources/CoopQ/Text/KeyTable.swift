import Dispatch

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

    /// The keys, in the order they were added, and the value of each.
    var entries: Zip2Sequence<[String], [Int]> { zip(keys, values) }

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
