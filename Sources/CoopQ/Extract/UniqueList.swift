/// A list without repeats, in the order its members came: searched while it is short, and looked
/// up in a set kept beside it once it is long, so that adding to it takes time that does not grow
/// with it (a person given a new post in each of a hundred thousand articles, or in each sentence
/// of one long article, is not a quadratic step).
struct UniqueList<Element: Hashable> {
    private(set) var members: [Element] = []
    private var set: Set<Element>?

    /// Lists up to this long are searched.
    static var shortLength: Int { 16 }

    /// Adds `x` unless it is a member already: whether it was added.
    @discardableResult
    mutating func insert(_ x: Element) -> Bool {
        if set != nil {
            guard set!.insert(x).inserted else { return false }
        } else {
            guard !members.contains(x) else { return false }
            if members.count == Self.shortLength { set = Set(members + [x]) }
        }
        members.append(x)
        return true
    }

    func contains(_ x: Element) -> Bool { set?.contains(x) ?? members.contains(x) }
}

extension UniqueList: Sendable where Element: Sendable {}
