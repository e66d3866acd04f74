@testable import CoopQ
import Testing

/// Counts after modifiers, ranges, and a figure said twice.
@Test(arguments: [
    ("The city now has 1,055 local trading companies.", [(1055.0, "companies")]),
    ("Delegations from 23 Russian constituent entities took part.", [(23.0, "entities")]),
    ("The alliance counts 35 Chinese universities and 50 Russian universities.", [(35.0, "universities"), (50.0, "universities")]),
    ("The share of settlements could grow from 10 to 50 percent.", [(10.0, "percent"), (50.0, "percent")]),
    ("In all, 316 companies came. A total of 316 companies took part.", [(316.0, "companies")]),
] as [(String, [(Double, String)])])
func figureRules(text: String, figures: [(Double, String)]) {
    TextTokenizer.withTokens(of: text) { tokens in
        let found = FigureFinder.find(tokens, TextTokenizer.sentences(tokens), documentYear: 2024)
        #expect(found.map(\.value) == figures.map(\.0))
        #expect(found.map(\.unit) == figures.map(\.1))
    }
}
