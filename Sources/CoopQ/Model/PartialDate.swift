/// A calendar date known to the year, the month or the day: `2025`, `2025-11`, `2025-11-24`.
///
/// Two partial dates compare on the precision both know, so `2025-11-24 = 2025-11` holds
/// and `2025-11-24 >= 2025-11` holds: a date compares "by what is known".
///
/// Eight bytes (a 32-bit year, a byte each for the month and the day, 0 for unknown): a date
/// is in every event, document and table row, and a value holding one is no larger than a
/// value holding a string.
public struct PartialDate: Hashable, Sendable, CustomStringConvertible {
    private let storedYear: Int32
    private let storedMonth: UInt8
    private let storedDay: UInt8

    public var year: Int { Int(storedYear) }
    public var month: Int? { storedMonth == 0 ? nil : Int(storedMonth) }
    public var day: Int? { storedDay == 0 ? nil : Int(storedDay) }

    /// A month or a day outside 1...255 is unknown (callers check the calendar first).
    public init(year: Int, month: Int? = nil, day: Int? = nil) {
        storedYear = Int32(clamping: year)
        let m = month.map { (1...255).contains($0) ? UInt8($0) : 0 } ?? 0
        storedMonth = m
        storedDay = m == 0 ? 0 : day.map { (1...255).contains($0) ? UInt8($0) : 0 } ?? 0
    }

    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, checking the calendar.
    public init?(iso text: some StringProtocol) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...3).contains(parts.count), parts[0].count == 4,
              parts.dropFirst().allSatisfy({ $0.count == 2 }),
              let year = Int(parts[0]) else { return nil }
        var month: Int?
        var day: Int?
        if parts.count > 1 {
            guard let m = Int(parts[1]), (1...12).contains(m) else { return nil }
            month = m
        }
        if parts.count > 2, let m = month {
            guard let d = Int(parts[2]), (1...PartialDate.daysIn(month: m, year: year)).contains(d) else { return nil }
            day = d
        }
        self.init(year: year, month: month, day: day)
    }

    /// How much is known: 1 year, 2 month, 3 day.
    /// Whether two dates may be of one day within `days`: so where both know the day, else in
    /// the same month, else the same year, as far as both know.
    func isNear(_ other: PartialDate, days: Int) -> Bool {
        if let x = dayNumber, let y = other.dayNumber { return abs(x - y) <= days }
        if let m = month, let n = other.month { return year == other.year && m == n }
        return year == other.year
    }

    public var precision: Int { day != nil ? 3 : (month != nil ? 2 : 1) }

    public var description: String {
        var s = String(format4: year)
        if let month { s += "-" + String(pad2: month) }
        if let day { s += "-" + String(pad2: day) }
        return s
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a full date (proleptic Gregorian).
    public var dayNumber: Int? {
        guard let month, let day else { return nil }
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    /// The full date of a day number (the inverse of `dayNumber`).
    public init(dayNumber z0: Int) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.init(year: yoe + era * 400 + (m <= 2 ? 1 : 0), month: m, day: d)
    }

    /// 0 = Sunday ... 6 = Saturday, for a full date.
    public var weekday: Int? {
        guard let n = dayNumber else { return nil }
        return ((n % 7) + 11) % 7  // 1970-01-01 was a Thursday (4)
    }

    /// Compares on the precision both sides know.
    public static func compare(_ a: PartialDate, _ b: PartialDate) -> Int {
        if a.year != b.year { return a.year < b.year ? -1 : 1 }
        guard let am = a.month, let bm = b.month else { return 0 }
        if am != bm { return am < bm ? -1 : 1 }
        guard let ad = a.day, let bd = b.day else { return 0 }
        return ad == bd ? 0 : (ad < bd ? -1 : 1)
    }

    /// A total order for sorting: less precise dates sort before more precise ones of the same period.
    public static func sortKey(_ a: PartialDate) -> Int {
        a.year * 10000 + (a.month ?? 0) * 100 + (a.day ?? 0)
    }
}

extension String {
    init(pad2 n: Int) { self = zeroPadded(n, 2) }
    init(format4 n: Int) {
        self = zeroPadded(n, 4)
    }
}

private func zeroPadded(_ n: Int, _ width: Int) -> String {
    let digits = "\(abs(n))"
    return (n < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - digits.count)) + digits
}
