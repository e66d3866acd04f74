@testable import CoopQ
import Testing

/// Agreements written without "signed", agreements not signed yet, and one named again.
@Test(arguments: [
    ("Ten companies put their names to a letter of intent on cooperation.", ["letter of intent on cooperation"]),
    ("The two officials put their signatures to \"the Agreement on Satellite Navigation\" on Monday.", ["Agreement on Satellite Navigation"]),
    ("The parties condemned interference, according to a joint statement adopted at the meeting.", ["joint statement"]),
    ("The two parties adopted a joint declaration on Monday.", ["joint declaration"]),
    ("A number of bilateral documents are expected to be signed once the meeting is over.", []),
    ("Several agreements will be signed on Friday.", []),
    ("The ministers signed an agreement on customs cooperation. They signed the document earlier in June.", ["agreement on customs cooperation"]),
    ("The envoy signed the trade agreement together with the minister.", ["trade agreement"]),
] as [(String, [String])])
func agreementRules(sentence: String, names: [String]) {
    TextTokenizer.withTokens(of: sentence) { tokens in
        let found = AgreementFinder.find(tokens, TextTokenizer.sentences(tokens), [], [])
        #expect(found.map(\.name) == names)
    }
}

/// An agreement recalled from months before the article is its history, not its news.
@Test func aRecalledAgreementIsNoAgreementOfTheArticle() {
    let text = "Report\n2023-07-20\n\nIn March of this year, the leaders signed a statement on cooperation. "
        + "On Monday, the ministers signed a protocol on widget trade.\n"
    let x = Extractor.extract(id: "a", path: "a.txt", bytes: Array(text.utf8))
    #expect(x.agreements.map(\.name) == ["protocol on widget trade"])
}
