@testable import CoopQ
import Testing

/// Bilateral bodies found by the shape of their names, with an abbreviation in brackets standing
/// for one later; committees of no pair of countries, and one capitalised word, are left alone.
@Test(arguments: [
    ("Ministers met at the China-Russia Committee on Widget Cooperation on Monday.", ["China-Russia Committee on Widget Cooperation"]),
    ("The Sub-committee for China-Russia Gadget and Trade Cooperation met.", ["Sub-committee for China-Russia Gadget and Trade Cooperation"]),
    ("It was the 9th meeting of the China-Russia committee for widget cooperation in Harbin.", ["China-Russia committee for widget cooperation"]),
    ("The Intergovernmental Commission for Cooperation of the Amur Basin met.", ["Intergovernmental Commission for Cooperation of the Amur Basin"]),
    ("The Sino-Russian Widget Commission (SRWC) met. The SRWC agreed on a plan.",
     ["Sino-Russian Widget Commission", "Sino-Russian Widget Commission"]),
    ("The Harbin Widget Committee met on Monday.", []),
    ("The Council met on Monday.", []),
] as [(String, [String])])
func bilateralBodies(text: String, names: [String]) {
    let article = CorpusLoader.Article(id: "a", path: "a.txt", bytes: Array("Report\n2024-06-04\n\n\(text)\n".utf8))
    let x = Extractor.extract(id: article.id, path: article.path, bytes: article.bytes)
    let found = x.mentions.compactMap { m -> String? in if case .organization(let o) = m.kind, o.kind == "committee" { return o.name } else { return nil } }
    #expect(found == names)
}
