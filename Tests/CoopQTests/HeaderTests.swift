@testable import CoopQ
import Testing

/// Headers as saved news pages print them: the page's lines above the article (paths of sections,
/// section labels, an outlet's name, a byline, a photo caption, a kicker over the headline) and
/// date lines that run on into the dateline. Each row: the article's start, then the title, date,
/// source and place its document gets.
@Test(arguments: [
    // A date stamp that runs on into the dateline and lead: no title; the dateline's place and source.
    (" date 2024-03-05 KAZAN, Russia, March 5, 2024 /PRNewswire/ -- Pavel Orlov held talks with Zhao Ming.\n",
     nil, "2024-03-05", "PRNewswire", "Kazan"),
    // A path of sections whose last part is the headline; a label of sections; the headline again.
    ("Home » Blog » Volga Towns Woo Sichuan Investors\nEurope Russia Business News\n\nVolga Towns Woo Sichuan Investors\n\n"
     + "Investors from Sichuan toured three towns on the Volga this week, a regional official said on Monday.\n",
     "Volga Towns Woo Sichuan Investors", nil, nil, nil),
    // A path of sections with no headline, then the title and a date line.
    ("Home > News > Top News\n\nChina, Belarus sign customs accord\n\n2021-09-14\n\nThe accord was signed in Minsk on Monday by two officials.\n",
     "China, Belarus sign customs accord", "2021-09-14", nil, "Minsk"),
    ("News / National\nRussia, China to widen rail freight\n02 Aug 2020 at 07:15hrs | Views\n\nThe railways agreed on new routes for freight this year.\n",
     "Russia, China to widen rail freight", "2020-08-02", nil, nil),
    // An outlet's name alone, a kicker over the headline, a byline with where it was written.
    ("Global Times\n\nRiver port at work\n\nSuifenhe port hums with Sino-Russian timber trade\n\n- By Wu Lan in Suifenhe\n\n"
     + "Trucks loaded with timber wait at the crossing outside the city before dawn every day.\n",
     "Suifenhe port hums with Sino-Russian timber trade", nil, "Global Times", "Suifenhe"),
    // A photo caption before the dateline is no title; a yearless dateline takes the caption's year.
    ("Officials attend the opening of a trade fair in Harbin, Heilongjiang Province, June 3, 2019. (Xinhua/Wang Lei)\n\n"
     + "HARBIN, June 3 (Xinhua) -- A trade fair opened here on Monday.\n",
     nil, "2019-06-03", "Xinhua", "Harbin"),
    ("GOOD START: Two ministers open the fair in Harbin on June 3 (ZHANG MING) |\n\nThe fair drew traders from both countries on its first day.\n",
     nil, nil, nil, "Harbin"),
    // Labels in one line, one of them the date, read day first; a dateline with a source and no date.
    ("Rail link opens\n\nSource: Writer: Edit: Date:04/09/2019\n\nMOSCOW (Sputnik) - A rail link opened on Wednesday.\n",
     "Rail link opens", "2019-09-04", "Sputnik", "Moscow"),
    ("Rail link opens\nPosted 17.05.2024 10:32 | Source: RIA Novosti\n\nThe link opened on Friday.\n",
     "Rail link opens", "2024-05-17", "RIA Novosti", nil),
    // A label of a Russian site's header: a line of date-labels in wordlists.tsv.
    ("Rail link opens\nОпубликовано 17.05.2024 10:32 | Source: RIA Novosti\n\nThe link opened on Friday.\n",
     "Rail link opens", "2024-05-17", "RIA Novosti", nil),
    // The country between slashes after the city, as TASS writes it.
    (" date 2025-11-03 Ministers meet in Hangzhou\n\nHANGZHOU /China/, November 3. /TASS/. The ministers met on Monday.\n",
     "Ministers meet in Hangzhou", "2025-11-03", "TASS", "Hangzhou"),
    // No dateline: the city of the title, else of the lead; never one named further on.
    ("Forum opens in Khabarovsk\n\nThe forum opened on Monday.\n\nIt drew many guests.\n", "Forum opens in Khabarovsk", nil, nil, "Khabarovsk"),
    ("Trade grows\n\nTrade grew in May.\n\nExports rose.\n\nA fair in Moscow was busy.\n", "Trade grows", nil, nil, nil),
] as [(String, String?, String?, String?, String?)])
func pageHeaders(text: String, title: String?, date: String?, source: String?, place: String?) {
    let document = Extractor.extract(id: "a", path: "a.txt", bytes: Array(text.utf8)).document
    #expect(document.title == title)
    #expect(document.date.map { "\($0)" } == date)
    #expect(document.source == source)
    #expect(document.place == place)
}

/// The page's lines, each told by its own rule, and the lines that only look like them.
@Test(arguments: [
    ("Home > News", HeaderLines.Breadcrumb.path),
    ("Home » Blog » Volga Towns Woo Sichuan Investors", .headline("Volga Towns Woo Sichuan Investors")),
    ("World > Asia > Summit ends with pledges on trade", .headline("Summit ends with pledges on trade")),
    ("News / National", .path),
] as [(String, HeaderLines.Breadcrumb)])
func breadcrumbs(line: String, crumb: HeaderLines.Breadcrumb) {
    #expect(HeaderLines.breadcrumb(line) == crumb)
}

@Test(arguments: ["Russia / China trade", "Trade > expectations, officials say", "Zhao Ming meets Orlov"])
func linesThatAreNoBreadcrumb(line: String) {
    #expect(HeaderLines.breadcrumb(line) == nil)
}

@Test(arguments: [
    ("Asia China Diplomatic News", true), ("World News", true), ("Russia China trade talks open", false), ("Moscow", false),
] as [(String, Bool)])
func sectionLabels(line: String, isLabel: Bool) {
    #expect(HeaderLines.isSectionLabel(line) == isLabel)
}

@Test(arguments: [
    ("The ministers meet in Harbin, June 3, 2019. (Xinhua/Wang Lei)", true),
    ("OPENING: The ministers meet in Harbin (LI MING) |", true),
    ("The ministers meet (Photo: Li Ming)", true),
    ("Trade with the Eurasian Economic Union (EAEU)", false),
    ("The ministers met (in Harbin)", false),
] as [(String, Bool)])
func captions(line: String, isCaption: Bool) {
    #expect(HeaderLines.isCaption(line) == isCaption)
}

/// Dates of digits: the day first unless the second number cannot be a month; the year first.
@Test(arguments: [
    ("07/11/2018", "2018-11-07"), ("17.05.2024 10:32", "2024-05-17"), ("11/27/2019", "2019-11-27"),
    ("2025/11/25", "2025-11-25"), ("1/2/3", nil), ("32.13.2020", nil),
] as [(String, String?)])
func numericDates(text: String, date: String?) {
    var copy = text
    #expect(copy.withUTF8 { DateResolver.numeric($0) }.map { "\($0)" } == date)
}

/// A Russian region is named as the article first writes it; its other names still find it.
@Test func aRegionIsNamedAsWritten() throws {
    let text = "Report\n2024-06-04\n\nThe forum opened in Khabarovsk Territory. Khabarovsk Krai's governor spoke.\n"
    let corpus = CorpusLoader.corpus(from: [CorpusLoader.Article(id: "a", path: "a.txt", bytes: Array(text.utf8))])
    let region = try #require(corpus.places.first { $0.kind == "krai" })
    #expect(region.name == "Khabarovsk Territory")
    #expect(region.mentions == 2)
}
