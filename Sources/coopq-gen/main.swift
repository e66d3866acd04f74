import Foundation

/// coopq-gen: writes a deterministic corpus of articles of the genre, in every header style the
/// extractor knows, with the gold of what each contains (in the format of the seeds' gold).
///
///   coopq-gen --articles 1000 --seed 1 --out DIR
///
/// Names are made from syllables and endings, never from a list of people; events recur in
/// series with ordinals, and about one article in six reports an event another one reports too.

struct Generator {
    var state: UInt64

    /// SplitMix64: small, fast, and the same sequence on every machine.
    mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
    mutating func int(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    mutating func pick<T>(_ xs: [T]) -> T { xs[int(xs.count)] }
    mutating func chance(_ p: Double) -> Bool { Double(next() % 10_000) / 10_000 < p }
}

let chineseSurnames = ["Wang", "Zhang", "Liu", "Chen", "Yang", "Zhao", "Zhou", "Wu", "Sun", "Gao", "Lin", "Guo", "He", "Ma", "Hu", "Zhu", "Xu", "Song", "Deng", "Han"]
let pinyin = ["hong", "wei", "jun", "ming", "li", "hua", "jian", "guo", "qiang", "xin", "ping", "lei", "yu", "tao", "bin", "feng", "hai", "lin", "zhong", "shan", "dong", "yan", "jie", "chao"]
let russianGiven = ["Alexander", "Sergei", "Dmitry", "Andrei", "Mikhail", "Nikolai", "Viktor", "Oleg", "Pavel", "Igor", "Elena", "Irina", "Olga", "Anna", "Maxim", "Yuri"]
let russianRoots = ["Sokol", "Volk", "Petr", "Kuzn", "Orl", "Zait", "Lebed", "Kozl", "Morozov", "Beliak", "Grom", "Tikhon", "Vorob", "Kras", "Zhuk"]
let chineseCities: [(String, String)] = [("Harbin", "Heilongjiang"), ("Hangzhou", "Zhejiang"), ("Xi'an", "Shaanxi"), ("Jinhua", "Zhejiang"),
                                          ("Shenyang", "Liaoning"), ("Changchun", "Jilin"), ("Urumqi", "Xinjiang"), ("Qingdao", "Shandong"),
                                          ("Chengdu", "Sichuan"), ("Wuhan", "Hubei"), ("Nanjing", "Jiangsu"), ("Dalian", "Liaoning")]
let russianCities: [(String, String?)] = [("Moscow", nil), ("Vladivostok", "Primorsky Krai"), ("Kazan", "Republic of Tatarstan"),
                                           ("Novosibirsk", "Novosibirsk Oblast"), ("Khabarovsk", "Khabarovsk Krai"), ("Irkutsk", "Irkutsk Oblast"),
                                           ("Yekaterinburg", "Sverdlovsk Oblast"), ("Blagoveshchensk", "Amur Oblast")]
let topics = [("trade", "trade"), ("energy", "energy"), ("agriculture", "agriculture"), ("investment", "investment"), ("logistics", "logistics"),
              ("education", "education"), ("tourism", "tourism"), ("culture", "culture"), ("finance", "finance"), ("digital economy", "digital economy")]
/// Each series with the topics its name itself names.
let series: [(name: String, kind: String, topics: [String])] = [
    ("China-Russia Small and Medium-sized Enterprises Forum", "forum", ["SMEs"]), ("China-Russia Expo", "expo", []),
    ("China-Russia Energy Business Forum", "forum", ["energy"]), ("China-Russia roundtable on youth exchanges", "roundtable", ["people-to-people exchanges"]),
    ("regular meeting of the Chinese and Russian heads of government", "meeting", []),
    ("China-Russia Investment Cooperation Forum", "forum", ["investment"]),
    ("China-Russia roundtable on agricultural trade", "roundtable", ["agriculture", "trade"]), ("China-Russia Culture Festival", "festival", ["culture"]),
]
let chinesePosts = ["Vice Premier", "Premier", "vice governor of {region} Province", "Vice Minister of Commerce", "deputy mayor of {city}",
                    "vice chairman of the National People's Congress Standing Committee", "governor of {region} Province"]
let russianPosts = ["Deputy Prime Minister", "deputy governor of {region}", "head of the Ministry of Economic Development",
                    "deputy speaker of the Federation Council of Russia", "first deputy chairman of the State Duma Committee on International Affairs",
                    "Minister of Agriculture"]
let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
let shortMonths = ["Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec."]
let weekdays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

struct Person { var name: String; var country: String; var post: String }
struct Happening {
    var series: String; var kind: String; var ordinal: Int; var year: Int; var month: Int; var day: Int
    var city: String; var region: String?; var country: String; var people: [Person]; var topics: [String]
}

/// Sentences of background with no extractable fact; see where they are used.
let background = [
    "The two sides exchanged views on practical matters of common interest and agreed to stay in close contact on the next steps.",
    "Officials from both countries noted that local companies are looking for reliable partners, clear rules and faster procedures.",
    "Participants said that direct contacts between entrepreneurs help to turn good intentions into concrete results.",
    "According to the organizers, the program also included panel discussions on regulation, standards and the protection of intellectual property.",
    "Several speakers stressed the importance of mutual trust and long-term planning for cooperation between the regions.",
    "It was also proposed to set up a joint working group that would collect proposals from companies and report on its progress.",
    "Experts pointed out that the neighbouring regions complement each other and that there is still much untapped potential.",
    "Representatives of business associations presented joint projects that are now at different stages of preparation.",
    "Local authorities promised to simplify approval procedures and to give more support to companies that work with partners across the border.",
    "Company executives shared their experience of entering the neighbouring market and discussed the difficulties they have in common.",
    "Speakers agreed that the quality of cooperation matters more than its scale, and that success stories should be shared more widely.",
    "Regional delegations expressed interest in hosting similar gatherings in the future.",
    "The organizers said that comments from participants would be used to improve the format.",
    "Young entrepreneurs from both countries were given the floor and presented their ideas to potential partners.",
    "Participants also discussed ways to make information about partners and markets easier to find.",
    "It was noted that regular personal contacts remain the most effective way to build trust between companies.",
    "The host region presented its development plans and invited partners to take part in new projects.",
    "Speakers called for closer coordination between government agencies, business associations and companies.",
    "Many of the companies represented are family firms that have worked with partners across the border for a long time.",
    "The sides also agreed to continue the work of the expert groups and to prepare new proposals.",
    "Participants welcomed the progress made so far and expressed confidence in the further development of relations.",
    "Several companies announced plans to open representative offices in the neighbouring country.",
    "Speakers noted that language skills and a good knowledge of local rules remain important for success.",
    "The organizers thanked the participants for their active work and for the many practical proposals they made.",
]

func ordinalText(_ n: Int) -> String {
    let suffix = (11...13).contains(n % 100) ? "th" : (n % 10 == 1 ? "st" : n % 10 == 2 ? "nd" : n % 10 == 3 ? "rd" : "th")
    return "\(n)\(suffix)"
}

func weekday(_ y: Int, _ m: Int, _ d: Int) -> Int {
    var comps = DateComponents()
    comps.year = y; comps.month = m; comps.day = d
    var cal = Calendar(identifier: .gregorian)
    cal.timeZone = TimeZone(identifier: "UTC")!
    return cal.component(.weekday, from: cal.date(from: comps)!) - 1
}

func capitalized(_ s: String) -> String { s.prefix(1).uppercased() + s.dropFirst() }

extension Generator {
    mutating func chineseName() -> String {
        let given = int(3) == 0 ? pick(pinyin) : pick(pinyin) + pick(pinyin)
        return pick(chineseSurnames) + " " + capitalized(given)
    }
    mutating func russianName() -> String {
        let given = pick(russianGiven)
        let female = ["Elena", "Irina", "Olga", "Anna"].contains(given)
        let root = pick(russianRoots)
        let surname = root.hasSuffix("ov") ? root + (female ? "a" : "") : root + (female ? pick(["ova", "eva", "ina"]) : pick(["ov", "ev", "in"]))
        return given + " " + surname
    }
}

// MARK: command line

var articles = 100, seed: UInt64 = 1, out = "generated-corpus"
var arguments = CommandLine.arguments.dropFirst()
while let a = arguments.popFirst() {
    switch a {
    case "--articles": articles = Int(arguments.popFirst() ?? "") ?? articles
    case "--seed": seed = UInt64(arguments.popFirst() ?? "") ?? seed
    case "--out": out = arguments.popFirst() ?? out
    case "-h", "--help":
        print("usage: coopq-gen [--articles N] [--seed S] [--out DIR]\nwrites N articles and DIR/gold.json")
        exit(0)
    default:
        FileHandle.standardError.write(Data("coopq-gen: unknown option '\(a)'\n".utf8))
        exit(2)
    }
}
do {
    try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
} catch {
    FileHandle.standardError.write(Data("coopq-gen: cannot create '\(out)': \(error.localizedDescription)\n".utf8))
    exit(2)
}

var g = Generator(state: seed)
var seriesOrdinal = series.map { _ in 1 + g.int(8) }
var goldDocuments: [[String: Any]] = [], goldEvents: [String: [String: Any]] = [:], goldPeople: [String: [String: Any]] = [:]
var goldTopics: [String: [String]] = [:], goldFigures: [[String: Any]] = []
var recent: [Happening] = []

for n in 0..<articles {
    let id = String(format: "gen%07d", n)
    // An event: a new one, or (one time in six) one already reported, by another outlet.
    var h: Happening
    if !recent.isEmpty, g.chance(1.0 / 6) {
        h = g.pick(recent)
    } else {
        let s = g.int(series.count)
        seriesOrdinal[s] += 1
        let inChina = g.chance(0.6)
        let (city, region): (String, String?) = inChina ? { let c = g.pick(chineseCities); return (c.0, Optional(c.1)) }() : g.pick(russianCities)
        var people: [Person] = []
        for k in 0..<(2 + g.int(3)) {
            let chinese = k % 2 == 0
            // Officials serve at home: a Chinese official's province is Chinese, a Russian one's region Russian.
            let home = chinese ? (inChina ? region! : g.pick(chineseCities).1) : (inChina ? "Primorsky Krai" : (region ?? "Moscow Oblast"))
            let homeCity = chinese ? (inChina ? city : "Harbin") : (inChina ? "Vladivostok" : city)
            let post = (chinese ? g.pick(chinesePosts) : g.pick(russianPosts))
                .replacingOccurrences(of: "{region}", with: home)
                .replacingOccurrences(of: "{city}", with: homeCity)
            people.append(Person(name: chinese ? g.chineseName() : g.russianName(), country: chinese ? "China" : "Russia", post: post))
        }
        // Distinct names within an event.
        var seen = Set<String>()
        people = people.filter { seen.insert($0.name).inserted }
        let year = 2016 + g.int(10), month = 1 + g.int(12), day = 1 + g.int(28)
        var t: [String] = []
        for _ in 0..<(1 + g.int(3)) { let x = g.pick(topics).0; if !t.contains(x) { t.append(x) } }
        for x in series[s].topics where !t.contains(x) { t.append(x) }
        h = Happening(series: series[s].name, kind: series[s].kind, ordinal: seriesOrdinal[s], year: year, month: month, day: day,
                      city: city, region: region, country: inChina ? "China" : "Russia", people: people, topics: t)
        recent.append(h)
        if recent.count > 50 { recent.removeFirst() }
    }
    let eventName = ordinalText(h.ordinal) + " " + h.series
    let published = (h.year, h.month, min(28, h.day + 1))
    let style = g.int(5)
    let pubISO = String(format: "%04d-%02d-%02d", published.0, published.1, published.2)
    let lead = h.people[0], second = h.people[1]
    let wd = weekdays[weekday(h.year, h.month, h.day)]
    let leadTitle = lead.post.first!.isUppercase ? lead.post + " " + lead.name : lead.name + ", " + lead.post + ","
    var header = "", dateline = "", source: String? = nil, author: [String] = []
    var title = "China, Russia hold \(eventName) in \(h.city)"
    switch style {
    case 0:
        header = " date \(pubISO) \(title)\n\n"
        // Xinhua names the country after a foreign city other than its capital: "KAZAN, Russia, Oct. 23 (Xinhua) --".
        let place = h.country == "Russia" && h.city != "Moscow" ? "\(h.city.uppercased()), Russia" : h.city.uppercased()
        dateline = "\(place), \(shortMonths[h.month - 1]) \(h.day) (Xinhua) -- "
        source = "Xinhua"
    case 1:
        header = "\(title)\n\nChina Daily) 08:\(10 + g.int(40)), \(months[published.1 - 1]) \(published.2), \(published.0)\n\n"
        source = "China Daily"
    case 2:
        title = "The \(eventName) held in \(h.city)"
        header = "首页 | 新闻 | English\n\n\(title)\n发布日期:\(pubISO) 浏览次数:\n\n"
    case 3:
        header = "App | 中文 |\n\n\(title)\n\nUpdated: \(shortMonths[published.1 - 1].replacingOccurrences(of: ".", with: "")) \(published.2),\(published.0) 2:45 PM\n\n"
    default:
        header = "\(title)\n\(months[published.1 - 1]) \(published.2), \(published.0), 18:40\n\n"
        dateline = "\(h.city.uppercased()), \(months[h.month - 1]) \(h.day). /TASS/. "
        source = "TASS"
    }
    var body = dateline
    body += "\(leadTitle) and \(second.name), \(second.post), attended the \(eventName) in \(h.city) on \(wd).\n\n"
    for p in h.people.dropFirst(2) { body += "\(p.name), \(p.post), also spoke at the \(h.kind).\n\n" }
    let surname = lead.country == "China" ? String(lead.name.split(separator: " ")[0]) : String(lead.name.split(separator: " ")[1])
    let discussed = h.topics.filter { t in !series.contains { $0.name == h.series && $0.topics.contains(t) } }
    body += "\(surname) said the two sides should deepen \(discussed.isEmpty ? "their cooperation" : "cooperation in " + discussed.joined(separator: " and ")), adding that the \(h.kind) had become an important platform.\n\n"
    var figure: [String: Any]?
    if g.chance(0.5) {
        let value = 10 + g.int(400)
        body += "More than \(value) enterprises from both countries took part in the \(h.kind).\n\n"
        figure = ["value": value, "unit": "enterprises", "year": h.year]
    }
    // Background paragraphs, as wire copy has: they carry no fact of the gold (no name, place,
    // organization, date, number, event noun or topic trigger), and bring an article to the
    // genre's usual length of about three kilobytes.
    for _ in 0..<(6 + g.int(4)) {
        body += (0..<(2 + g.int(3))).map { _ in g.pick(background) }.joined(separator: " ") + "\n\n"
    }
    if style == 2 || g.chance(0.3) {
        let photographer = g.chineseName()
        body += style == 0 ? "(Xinhua/\(photographer))\n" : "(By \(photographer))\n"
        author = [photographer]
        if style == 0 { source = "Xinhua" }
    }
    if style == 2 { body += "\n1 2 > >>\n" }
    let text = header + body
    do {
        try text.write(toFile: (out as NSString).appendingPathComponent(id + ".txt"), atomically: false, encoding: .utf8)
    } catch {
        FileHandle.standardError.write(Data("coopq-gen: cannot write: \(error.localizedDescription)\n".utf8))
        exit(1)
    }
    goldDocuments.append(["id": id, "title": title, "date": pubISO, "source": source.map { $0 as Any } ?? NSNull(),
                          "place": h.city, "author": author])
    let key = "\(h.series)#\(h.ordinal)"
    var event = goldEvents[key] ?? ["name": eventName, "kind": h.kind, "ordinal": h.ordinal,
                                    "date": String(format: "%04d-%02d-%02d", h.year, h.month, h.day), "place": h.city,
                                    "region": h.region as Any? ?? NSNull(), "country": h.country,
                                    "participants": h.people.map(\.name), "documents": [String](), "required": true]
    event["documents"] = (event["documents"] as! [String]) + [id]
    goldEvents[key] = event
    for p in h.people {
        var person = goldPeople[p.name] ?? ["name": p.name, "country": p.country, "titles": [p.post], "documents": [String]()]
        person["documents"] = (person["documents"] as! [String]) + [id]
        goldPeople[p.name] = person
    }
    for a in author where goldPeople[a] == nil { goldPeople[a] = ["name": a, "country": NSNull(), "titles": [String](), "documents": [id], "required": false] }
    goldTopics[id] = h.topics
    if var f = figure { f["documents"] = [id]; f["measure"] = "enterprises taking part"; goldFigures.append(f) }
}

let gold: [String: Any] = [
    "about": "Generated by coopq-gen --articles \(articles) --seed \(seed). Same matching rules as the seeds' gold.",
    "documents": goldDocuments, "events": Array(goldEvents.values).sorted { ($0["name"] as! String) < ($1["name"] as! String) },
    "people": Array(goldPeople.values).sorted { ($0["name"] as! String) < ($1["name"] as! String) },
    "places": [], "organizations": [], "topics": goldTopics, "agreements": [], "figures": goldFigures,
]
do {
    let data = try JSONSerialization.data(withJSONObject: gold, options: [.sortedKeys])
    try data.write(to: URL(fileURLWithPath: (out as NSString).appendingPathComponent("gold.json")))
} catch {
    FileHandle.standardError.write(Data("coopq-gen: cannot write the gold: \(error.localizedDescription)\n".utf8))
    exit(1)
}
print("wrote \(articles) articles and gold.json to \(out)")
