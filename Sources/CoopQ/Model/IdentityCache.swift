/// Values remembered for strings by the strings' two words (`String`'s storage): a string
/// seen again from the same storage (or a short one with the same bytes) is found with no
/// hashing of its bytes. Each slot holds its string, so that storage is not freed and reused
/// by another string while the cache lives; a slot is taken over by the next string hashed to it.
struct IdentityCache<Value> {
    private var strings: [String]
    private var values: [Value?]
    private let shift: UInt64

    /// A cache of `1 << bits` slots.
    init(bits: Int) {
        strings = [String](repeating: "", count: 1 << bits)
        values = [Value?](repeating: nil, count: 1 << bits)
        shift = UInt64(64 - bits)
    }

    private func slot(_ s: String) -> (Int, (UInt64, UInt64)) {
        let words = unsafeBitCast(s, to: (UInt64, UInt64).self)
        return (Int(truncatingIfNeeded: ((words.0 ^ words.1) &* 0x9E37_79B9_7F4A_7C15) >> shift), words)
    }

    /// The value remembered for `s`, if `s` is the string its slot holds.
    func value(for s: String) -> Value? {
        let (i, words) = slot(s)
        guard let v = values[i], unsafeBitCast(strings[i], to: (UInt64, UInt64).self) == words else { return nil }
        return v
    }

    /// Remembers `v` for `s`, in place of whatever its slot held.
    mutating func remember(_ v: Value, for s: String) {
        let (i, _) = slot(s)
        strings[i] = s
        values[i] = v
    }
}

/// Canonical keys of the strings a statement compares, remembered (`IdentityCache`): a
/// collection's values repeat (a place in thousands of events, one string once a snapshot is
/// read), and a constant is compared with every row.
final class KeyMemo {
    private let key: (String) -> String
    private var cache = IdentityCache<String>(bits: 8)
    init(_ key: @escaping (String) -> String) { self.key = key }

    func callAsFunction(_ s: String) -> String {
        if let k = cache.value(for: s) { return k }
        let k = key(s)
        cache.remember(k, for: s)
        return k
    }
}
