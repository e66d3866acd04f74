@testable import CoopQ
import Testing

/// A list of people each after a post: every post is its own person's, not an appositive of the
/// first; plural posts and honorifics are no part of a name.
@Test(arguments: [
    ("Attending were Deputy Governor of Heilongjiang Province Han Wei, Ambassador of China to Russia Zhang Hua, "
     + "Deputy Minister of Economic Development of Russia Pavel Orlov and Deputy Governor of Shandong Province Song Jun.",
     ["Han Wei": "Deputy Governor of Heilongjiang Province", "Zhang Hua": "", "Pavel Orlov": "Deputy Minister of Economic Development of Russia",
      "Song Jun": "Deputy Governor of Shandong Province"]),
    ("The visit follows the talks of President Ivan Petrov, Chinese Ambassador to Russia Li Na told reporters.",
     ["Ivan Petrov": "President", "Li Na": ""]),
    ("Pavel Orlov was accompanied by Deputy Prime Ministers Boris Sokolov and Anna Lebedeva.",
     ["Pavel Orlov": "", "Boris Sokolov": "Deputy Prime Ministers", "Anna Lebedeva": ""]),
    ("In the presence of His Excellency Ivan Petrov, the documents were signed.", ["Ivan Petrov": ""]),
] as [(String, [String: String])])
func postsInLists(text: String, people: [String: String]) {
    let x = Extractor.extract(id: "a", path: "a.txt", bytes: Array("Report\n2024-06-04\n\n\(text)\n".utf8))
    #expect(Set(x.people.map(\.name)) == Set(people.keys))
    for p in x.people where people[p.name]?.isEmpty == false {
        #expect(p.titles.first == people[p.name], "\(p.name): \(p.titles)")
    }
}
