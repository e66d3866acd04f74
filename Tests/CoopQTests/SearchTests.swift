@testable import CoopQ
import Foundation
import Testing

/// `search "PHRASE"` finds a phrase as `contains` does: at word boundaries, in any case, with or
/// without diacritics; in Chinese, Japanese and Korean text, where words are not spaced, anywhere.
@Suite struct PhraseSearch {
    static let texts = [
        "Talks in Moscow\n\nMOSCOW, May 5, 2024 (Xinhua) -- The SCO ministers met in Moscow. The SCO's secretariat and SCO-related bodies took part.\n",
        "Forum in Ürümqi\n\nÜRÜMQI, June 1, 2024 (Xinhua) -- A forum opened in Ürümqi; the city of Urumqi hosted it.\n",
        "中俄论坛在西安举行\n\n中俄中小企业论坛在西安举行。\n",
    ]
    static let engine = Engine(corpus: CorpusLoader.corpus(from: texts.enumerated().map {
        CorpusLoader.Article(id: "t\($0.offset)", path: "t\($0.offset).txt", bytes: Array($0.element.utf8))
    }))

    @Test(arguments: [
        ("search \"SCO\"", ["SCO", "SCO", "SCO"]),          // not the "sco" of Moscow
        ("search \"sco\"", ["SCO", "SCO", "SCO"]),
        ("search \"Mosc\"", []),                              // a piece of a word is no word
        ("search \"in Moscow\"", ["in Moscow", "in Moscow"]),
        ("search \"Urumqi\"", ["Urumqi"]),                    // ASCII phrase: ASCII spelling
        ("search \"Ürümqi\"", ["Ürümqi", "ÜRÜMQI", "Ürümqi", "Urumqi"]),
        ("search \"西安\"", ["西安", "西安"]),                 // inside unspaced text
    ])
    func phrases(statement: String, hits: [String]) {
        let run = Fixture.run(statement + " select match", engine: PhraseSearch.engine)
        #expect(lines(run.out).dropFirst().map { $0 } == hits, "\(statement): \(run.out) \(run.err)")
    }
}

/// The words every match of a regular expression holds, which let `search matches` pass over a
/// text on its bytes: none where they may be absent.
@Test(arguments: [
    ("Energy Business Forum", "Energy Business Forum"),
    ("Belt and Road( Initiative)?", "Belt and Road"),
    ("^SCO (summit|meeting)", "SCO"),
    ("forums?", "forum"),
    ("Xi'?an", nil),
    ("Li Qiang|Mishustin", nil),
    ("[0-9]+ percent", "percent"),
    ("a+b", nil),
    ("Kazan\\.", "Kazan"),
] as [(String, String?)])
func requiredLiterals(pattern: String, literal: String?) {
    #expect(TextMatcher.requiredLiteral(pattern) == literal, "\(pattern)")
}
