/// How long a list is searched one by one: a longer one is looked up in a table kept beside it
/// (an article's people, a person's posts, an event's participants, ...). A usual article's lists
/// are short, and cost no table; a long file's cost time that does not grow with them.
let shortListLength = 16

/// A list without repeats, in the order its members came: searched while it is short, and looked
/// up in a set kept beside it once it is long, so that adding to it takes time that does not grow
/// with it (a person given a new post in each of a hundred thousand articles, or in each sentence
/// of one long article, is not a quadratic step).
struct UniqueList<Element: Hashable> {
    private(set) var members: [Element] = []
    private var set: Set<Element>?

    /// Adds `x` unless it is a member already: whether it was added.
    @discardableResult
    mutating func insert(_ x: Element) -> Bool {
        if set != nil {
            guard set!.insert(x).inserted else { return false }
        } else {
            guard !members.contains(x) else { return false }
            if members.count == shortListLength { set = Set(members + [x]) }
        }
        members.append(x)
        return true
    }

    func contains(_ x: Element) -> Bool { set?.contains(x) ?? members.contains(x) }
}

extension UniqueList: Sendable where Element: Sendable {}

extension RandomAccessCollection {
    /// The first index whose element is not `below`, in a collection where every element that is
    /// `below` comes first (a sorted one): a binary search.
    func partitionIndex(below: (Element) -> Bool) -> Index {
        var lo = startIndex, n = count
        while n > 0 {
            let half = n / 2
            let mid = index(lo, offsetBy: half)
            if below(self[mid]) { lo = index(after: mid); n -= half + 1 } else { n = half }
        }
        return lo
    }
}
