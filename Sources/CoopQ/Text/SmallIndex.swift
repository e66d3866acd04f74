import Foundation

/// Values by name for one article's people: a list searched in order while there are a few
/// (most articles name a dozen people or fewer, and building a hashed table for them costs more
/// than it saves), and a dictionary beside it from the seventeenth on.
struct SmallIndex<Value> {
    private var names: [String] = []
    private var values: [Value] = []
    private var table: [String: Int]?

    var keys: [String] { names }

    subscript(_ name: String) -> Value? {
        guard let k = position(name) else { return nil }
        return values[k]
    }

    private func position(_ name: String) -> Int? {
        if let table { return table[name] }
        return names.firstIndex(of: name)
    }

    /// Adds a name not in the index yet.
    mutating func insert(_ name: String, _ value: Value) {
        if names.isEmpty {
            // Room for a usual article's people at once, not grown one by one.
            names.reserveCapacity(8)
            values.reserveCapacity(8)
        }
        names.append(name)
        values.append(value)
        if table != nil {
            table![name] = names.count - 1
        } else if names.count > shortListLength {
            table = Dictionary(uniqueKeysWithValues: zip(names, names.indices))
        }
    }
}

extension SmallIndex {

    /// Appends `element` to the list under `name`, made empty when it is new.
    mutating func append<Element>(_ element: Element, to name: String) where Value == [Element] {
        if let k = position(name) { values[k].append(element) } else { insert(name, [element]) }
    }
}
