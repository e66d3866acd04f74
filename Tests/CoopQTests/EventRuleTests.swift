@testable import CoopQ
import Testing

/// The events of one invented article: each sentence follows a dateline of Harbin, June 3, 2024.
private func events(_ lead: String) -> [Event] {
    let text = "Report\n2024-06-04\n\nHARBIN, June 3 (Xinhua) -- \(lead)\n"
    return CorpusLoader.corpus(from: [CorpusLoader.Article(id: "a", path: "a.txt", bytes: Array(text.utf8))]).events
}

/// Visits told with a light verb, a possessive or "by": the visitor alone takes part; a visit's
/// ordinal counts the visitor's visits and is no series.
@Test(arguments: [
    ("Russian Deputy Prime Minister Pavel Orlov paid an official visit to China on Monday.", "Pavel Orlov", "Pavel Orlov's visit to China"),
    ("Pavel Orlov, a senior official, began a visit to China on Monday that runs to Friday.", "Pavel Orlov", "Pavel Orlov's visit to China"),
    ("Pavel Orlov landed in Harbin on Monday, opening a two-day official visit to China.", "Pavel Orlov", "Pavel Orlov's visit to China"),
    ("Talks were held as part of the official visit to China by Deputy Prime Minister Pavel Orlov.", "Pavel Orlov", "Pavel Orlov's visit to China"),
    ("Zhao Ming welcomed Pavel Orlov's visit to China on Monday.", "Pavel Orlov", "Pavel Orlov's visit to China"),
] as [(String, String, String)])
func visits(sentence: String, visitor: String, name: String) throws {
    let visit = try #require(events(sentence).first { $0.kind == "visit" })
    #expect(visit.participants == [visitor])
    #expect(visit.name.hasSuffix(name))
    #expect(visit.ordinal == nil)
    #expect(visit.date.map { "\($0)" } == "2024-06-03")
}

@Test func aVisitorsSecondVisitIsNoSeries() throws {
    let visit = try #require(events("It was Pavel Orlov's second visit to China this year.").first { $0.kind == "visit" })
    #expect(visit.ordinal == nil)
}

/// Names with punctuation inside: an apostrophe or "&" between capitalised words, a dash after
/// the ordinal.
@Test(arguments: [
    ("The 23rd China-Russia Prime Ministers' Regular Meeting took place on Monday.", 23, "Prime Ministers' Regular Meeting"),
    ("The 23rd China-Russia Prime Ministers’ Regular Meeting took place on Monday.", 23, "Prime Ministers’ Regular Meeting"),
    ("They met for the traditional – this time the 30th – regular meeting of the heads of government on Monday.", 30,
     "regular meeting of the heads of government"),
    ("The 5th China-Russia Medium & Small Enterprises Forum opened on Monday.", 5, "Medium & Small Enterprises Forum"),
] as [(String, Int, String)])
func namesWithPunctuation(sentence: String, ordinal: Int, name: String) throws {
    let event = try #require(events(sentence).first { $0.ordinal == ordinal })
    #expect(event.name.hasSuffix(name))
}

/// One article's two names of two events stay two when a capitalised word of one is not in the
/// other; an event of the lead that no sentence dates is of the article's day.
@Test func aCouncilsMeetingIsNotTheRegularMeeting() {
    let found = events("The 30th regular meeting of the heads of government was held on Monday. "
        + "Pavel Orlov also spoke at the meeting of the SCO Heads of Government Council.")
    #expect(found.contains { $0.ordinal == 30 })
    #expect(found.contains { $0.name.contains("SCO Heads of Government Council") })
}

@Test func theLeadsUndatedEventIsOfTheArticlesDay() throws {
    let text = "Report\nDate: 2024-06-04\n\nThe 5th China-Russia Widget Expo took place at the exhibition centre.\n"
    let corpus = CorpusLoader.corpus(from: [CorpusLoader.Article(id: "a", path: "a.txt", bytes: Array(text.utf8))])
    let expo = try #require(corpus.events.first { $0.ordinal == 5 })
    #expect(expo.date.map { "\($0)" } == "2024-06-04")
}

/// A signing of people is an event: its people, its date and place, or those of the meeting it
/// followed; a signing recalled from long before, or a tally of agreements, is none.
@Test(arguments: [
    ("Pavel Orlov and Zhao Ming signed an agreement on widget trade on Monday.", ["Pavel Orlov", "Zhao Ming"], "2024-06-03"),
    ("Ten firms put their names to a letter of intent. Pavel Orlov and Zhao Ming signed the document on Sunday.",
     ["Pavel Orlov", "Zhao Ming"], "2024-06-02"),
    ("Pavel Orlov and Zhao Ming signed an agreement on widget trade in March 2019.", [], nil),
    ("Pavel Orlov said the sides had signed more than 100 agreements over the past ten years.", [], nil),
] as [(String, [String], String?)])
func signings(lead: String, signers: [String], date: String?) {
    let signing = events(lead).first { $0.kind == "signing" }
    #expect(signing?.participants ?? [] == signers)
    #expect(signing?.date.map { "\($0)" } == date)
}

@Test func aSigningAfterTheMeetingIsWhereTheMeetingWas() throws {
    let found = events("The 5th China-Russia Widget Committee meeting was held in Harbin on Monday. "
        + "After their meeting, Pavel Orlov and Zhao Ming signed a joint communique and witnessed the signing of a protocol on trade.")
    let signing = try #require(found.first { $0.kind == "signing" })
    #expect(signing.place == "Harbin")
    #expect(signing.name == "Signing of the joint communique and the protocol on trade")
}

/// The people of a sentence that lists who took part are the last named event's.
@Test func aDelegationTakesPartInTheMeeting() throws {
    let found = events("The 5th China-Russia Widget Committee meeting opened on Monday. "
        + "Pavel Orlov was accompanied by Deputy Ministers Boris Sokolov and Anna Lebedeva.")
    let meeting = try #require(found.first { $0.ordinal == 5 })
    #expect(Set(meeting.participants) == ["Pavel Orlov", "Boris Sokolov", "Anna Lebedeva"])
}

/// The date nearest the name; a headline's event named again in full takes its ordinal.
@Test func theNearestDateAndTheFullerName() throws {
    let found = events("Pavel Orlov on Sunday chaired the 5th China-Russia Widget Committee meeting, the ministry said on Monday.")
    #expect(found.first { $0.ordinal == 5 }?.date.map { "\($0)" } == "2024-06-02")
    let text = "China-Russia Widget Expo opens\n2024-06-04\n\nThe China-Russia Widget Expo opened. It is the fifth China-Russia Widget Expo.\n"
    let corpus = CorpusLoader.corpus(from: [CorpusLoader.Article(id: "a", path: "a.txt", bytes: Array(text.utf8))])
    #expect(corpus.events.filter { $0.kind == "expo" }.map(\.ordinal) == [5])
}

/// Dates of the clause's tense, a year alone, and the plural that names a series.
@Test(arguments: [
    ("The 3rd China-Russia Widget Forum will be held on Wednesday.", "2024-06-05"),
    ("The 3rd China-Russia Widget Forum was held on Wednesday.", "2024-05-29"),
    ("Officials met on Monday. The 1st China-Russia Widget Forum was held in Harbin in 2016.", "2016"),
] as [(String, String)])
func datesByTense(lead: String, date: String) {
    #expect(events(lead).first?.date.map { "\($0)" } == date)
}

@Test func theRegularMeetingsAreASeriesNotAnEvent() {
    let found = events("The regular meetings between the Chinese and Russian prime ministers began in 1996. It was Pavel Orlov's first visit to China. "
        + "Pavel Orlov's visit to China ended on Monday.")
    #expect(!found.contains { $0.kind == "meeting" })
    #expect(found.filter { $0.kind == "visit" }.count == 1)
}

/// Meetings told with a light verb or in the passive, each named by who met.
@Test(arguments: [
    ("Pavel Orlov held a meeting with Zhao Ming on Monday.", ["Pavel Orlov meets Zhao Ming"]),
    ("Pavel Orlov also had meetings with Zhao Ming and with Sun Tao.", ["Pavel Orlov meets Zhao Ming", "Pavel Orlov meets Sun Tao"]),
    ("Pavel Orlov arrived on Monday. He is due to be received by Zhao Ming and by Sun Tao.",
     ["Pavel Orlov meets Zhao Ming", "Pavel Orlov meets Sun Tao"]),
] as [(String, [String])])
func lightMeetings(lead: String, names: [String]) {
    #expect(events(lead).filter { $0.kind == "meeting" }.map(\.name) == names)
}

/// Talks with each of several, the ordinal of a round, a nationality that names nothing, people
/// who are quoted or meant by "he".
@Test func separateTalksAreTalksWithEach() {
    let names = events("Pavel Orlov held separate talks with Zhao Ming and Sun Tao in Harbin.").filter { $0.kind == "talks" }.map(\.name)
    #expect(names == ["Talks between Pavel Orlov and Zhao Ming", "Talks between Pavel Orlov and Sun Tao"])
}

@Test func theRoundsOrdinalIsTheEvents() {
    #expect(events("They held the 18th round of China-Russia strategic widget consultations.").first?.ordinal == 18)
}

@Test func aNationalityAloneNamesNoEvent() {
    #expect(events("It is the largest Chinese exposition abroad.").isEmpty)
}

@Test func spokespeopleAndPronouns() throws {
    let found = events("Foreign Ministry spokeswoman Li Na said the 5th China-Russia Widget Forum opened. "
        + "Pavel Orlov arrived on Monday. On Tuesday, he attended the 6th China-Russia Gadget Forum.")
    #expect(try #require(found.first { $0.ordinal == 5 }).participants.isEmpty)
    #expect(try #require(found.first { $0.ordinal == 6 }).participants == ["Pavel Orlov"])
}

/// "the event", "the gathering" are the event last named; people who "sat in on" it took part.
@Test func theGatheringAndWhoSatIn() throws {
    let found = events("The 5th China-Russia Widget Forum opened on Monday. Opening the event, Pavel Orlov spoke. "
        + "Zhao Ming told the gathering that trade grew. Sun Tao and Li Wei also sat in on the talks.")
    let forum = try #require(found.first { $0.ordinal == 5 })
    #expect(Set(forum.participants) == ["Pavel Orlov", "Zhao Ming", "Sun Tao", "Li Wei"])
}

/// An event named by what it is and with whom; who told its guests took part.
@Test func anEventDescribedByWhatItIs() throws {
    let found = events("Russian firms took part on Monday in an exchange event with Songbei District of Harbin City. "
        + "Pavel Orlov told the guests that trade grew.")
    let event = try #require(found.first)
    #expect(event.name == "exchange event with Songbei District of Harbin City")
    #expect(event.participants == ["Pavel Orlov"])
    #expect(event.date.map { "\($0)" } == "2024-06-03")
}

/// An event whose sentences name no city is where the article's story last was, not where the
/// article was written.
@Test func anUnplacedEventIsWhereTheStoryIs() throws {
    let text = "Expo opens\n2024-06-04\n\nMOSCOW, June 3 (TASS) -- The 9th Russian-Chinese Widget Expo opened in Yekaterinburg on Monday. "
        + "Trade grew.\n\nThe plenary session of the 9th Russian-Chinese Widget Forum will be held on Tuesday.\n"
    let corpus = CorpusLoader.corpus(from: [CorpusLoader.Article(id: "a", path: "a.txt", bytes: Array(text.utf8))])
    #expect(try #require(corpus.events.first { $0.kind == "session" || $0.name.contains("Forum") }).place == "Yekaterinburg")
}

/// Who took part, sentence by sentence: the person a spokesperson's "he" stands for; not the
/// people of what "the talks" recall from long before, nor of another event's clause.
@Test func whoTookPartClauseByClause() throws {
    let found = events("Pavel Orlov began a visit to China on Monday. Spokeswoman Li Na said he was travelling at the invitation "
        + "of Zhao Ming to hold the 18th round of China-Russia strategic widget consultations. "
        + "The 5th China-Russia Gadget Committee meeting was held on Tuesday, and meetings with Minister Sun Tao are planned. "
        + "Our talks will go over the agreements reached by Boris Sokolov and Wang Wei in March 2019.")
    #expect(Set(try #require(found.first { $0.ordinal == 18 }).participants) == ["Pavel Orlov", "Zhao Ming"])
    #expect(try #require(found.first { $0.ordinal == 5 }).participants.isEmpty)
}

/// A year alone in an earlier sentence ("founded in 2014") dates that sentence's story, not the
/// events named after it.
@Test func aFoundingYearDatesNothingAfterIt() throws {
    let found = events("The 7th China-Russia Widget Expo will be held in Harbin from July 6 to 9. The Expo was founded in 2014. "
        + "Dozens of events will be held, including the 3rd China-Russia Gadget Forum.")
    #expect(try #require(found.first { $0.ordinal == 3 }).date.map { "\($0)" } == "2024-07-06")
}
