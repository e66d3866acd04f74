import Glibc

extension String {
    /// "XI'AN" → "Xi'an", "ST PETERSBURG" → "St Petersburg".
    var capitalizedWords: String {
        split(separator: " ").map { w in w.prefix(1).uppercased() + w.dropFirst().lowercased() }.joined(separator: " ")
    }
}

extension UnsafeBufferPointer<UInt8> {
    /// Whether the UTF-8 bytes of `needle` occur in these bytes.
    func hasBytes(_ needle: StaticString) -> Bool {
        containsBytes(self, UnsafeBufferPointer(start: needle.utf8Start, count: needle.utf8CodeUnitCount))
    }
}

extension StringProtocol {
    /// Whether the UTF-8 bytes of `needle` occur in the string: no Foundation, no locale.
    func hasBytes(_ needle: String) -> Bool {
        let found = utf8.withContiguousStorageIfAvailable { h in
            needle.utf8.withContiguousStorageIfAvailable { n in containsBytes(h, n) }
        }
        if let found, let found { return found }
        return Array(utf8).withUnsafeBufferPointer { h in Array(needle.utf8).withUnsafeBufferPointer { n in containsBytes(h, n) } }
    }
}

/// Whether the bytes `n` occur in `h`.
private func containsBytes(_ h: UnsafeBufferPointer<UInt8>, _ n: UnsafeBufferPointer<UInt8>) -> Bool {
    n.isEmpty || indexOfBytes(h, n) != nil
}

/// Where the bytes `n` first occur in `h`: each place the first byte stands is found by `memchr`,
/// and the rest compared there by `memcmp`.
func indexOfBytes(_ h: UnsafeBufferPointer<UInt8>, _ n: UnsafeBufferPointer<UInt8>) -> Int? {
    guard let first = n.first, h.count >= n.count, let hay = h.baseAddress, let needle = n.baseAddress else { return nil }
    var i = 0
    let last = h.count - n.count
    while i <= last, let hit = memchr(hay + i, Int32(first), last - i + 1) {
        let at = hay.distance(to: hit.assumingMemoryBound(to: UInt8.self))
        if memcmp(hay + at + 1, needle + 1, n.count - 1) == 0 { return at }
        i = at + 1
    }
    return nil
}
