@testable import CoopQ
import Testing

/// Series in two outlets' words are one series; series that differ in what they name are not.
@Test(arguments: [
    ("regular meeting between Chinese and Russian heads of government", "regular meeting of prime ministers of Russia and China", true),
    ("regular meeting of the heads of government of the two countries", "regular meeting between the premiers of Russia and China", true),
    ("China-Russia Widget Expo", "Russian-Chinese Widget Exposition", true),
    ("Sino-Russian Prime Ministers' Regular Meeting", "regular meeting of Chinese and Russian prime ministers", true),
    ("China-Russia Widget Expo", "China-Russia Gadget Fair", false),
    ("meeting of the China-Russia Energy Cooperation Committee", "meeting of the China-Russia Investment Cooperation Committee", false),
] as [(String, String, Bool)])
func seriesInOtherWords(a: String, b: String, same: Bool) {
    #expect(EventSeries.same(EventSeries.words(a), EventSeries.words(b)) == same)
}

/// An ordinal of no named series ("his first visit", "the second meeting") is no series at all.
@Test(arguments: [("official visit", false), ("regular meeting", false), ("China-Russia Widget Expo", true)] as [(String, Bool)])
func seriesThatNameSomething(series: String, names: Bool) {
    #expect(EventSeries.names(EventSeries.words(series)) == names)
}

/// Reports of one event by two outlets: one event when they agree on ordinal, kind and series
/// (in any words), or on kind, day, place and the people who met; two when the ordinal, the
/// series, the day or the people differ.
@Test(arguments: [
    ("the 4th China-Russia Widget Expo opened in Harbin on Monday", "the Fourth Russian-Chinese Widget Exposition opened on Monday", true),
    ("the 4th China-Russia Widget Expo opened in Harbin on Monday", "the 5th Russian-Chinese Widget Exposition opened on Monday", false),
    ("the 4th China-Russia Widget Expo opened in Harbin on Monday", "the 4th China-Russia Gadget Expo opened on Monday", false),
    ("Pavel Orlov met with Zhao Ming in Harbin on Monday", "Zhao Ming met with Pavel Orlov in Harbin on Monday", true),
    ("Pavel Orlov met with Zhao Ming in Harbin on Monday", "Pavel Orlov met with Sun Tao in Harbin on Monday", false),
] as [(String, String, Bool)])
func twoOutletsOneEvent(first: String, second: String, merged: Bool) {
    let articles = [("a", first), ("b", second)].map { id, lead in
        CorpusLoader.Article(id: id, path: id + ".txt", bytes: Array("Report\n2024-06-04\n\nHARBIN, June 3 (Xinhua) -- \(lead).\n".utf8))
    }
    let corpus = CorpusLoader.corpus(from: articles)
    #expect(corpus.events.contains { $0.documents == ["a", "b"] } == merged, "\(corpus.events.map { ($0.name, $0.documents) })")
}

/// A report that never says the year joins the dated report of the same name and people.
@Test func anUndatedReportJoinsTheDatedOne() {
    let dated = "Talks\n2024-06-04\n\nHARBIN, June 3 (Xinhua) -- Pavel Orlov had meetings with Zhao Ming and with Sun Tao.\n"
    let undated = "Talks\n\nPavel Orlov also held a meeting with Zhao Ming in Harbin.\n"
    let other = "Talks\n\nPavel Orlov held a meeting with Li Wei in Harbin.\n"
    let corpus = CorpusLoader.corpus(from: [("a", dated), ("b", undated), ("c", other)].map {
        CorpusLoader.Article(id: $0.0, path: $0.0 + ".txt", bytes: Array($0.1.utf8))
    })
    #expect(corpus.events.first { $0.name == "Pavel Orlov meets Zhao Ming" }?.documents == ["a", "b"])
    #expect(corpus.events.first { $0.name == "Pavel Orlov meets Li Wei" }?.documents == ["c"])
}
