/// One article as the pipeline annotates it: its bytes and tokens, and a layer for each stage.
/// Each stage of `Pipeline.stages` reads the layers of the stages before it and adds its own;
/// no stage reaches into another's workings.
struct AnnotatedDocument {
    let id: String
    let path: String
    /// The article's text, valid UTF-8: every offset of every layer is into it.
    let bytes: [UInt8]
    /// The header and dateline (title, date, source, authors, where it was written).
    let header: HeaderParser.Result
    /// Byte ranges no token starts in: chrome, header lines and credits, sorted and merged.
    let excluded: [Range<Int>]
    let tokens: Tokens

    // Layers, each set by its stage.
    var sentences: [Sentence] = []
    /// The date the article's relative dates are read against: its dateline's, else its header's.
    var reference: PartialDate?
    var dates = DateLayer()
    var mentions: [Mention] = []
    var mentionsBySentence = MentionsBySentence([], sentences: 0)
    var people: [LocalPerson] = []
    var peopleBySentence = PeopleBySentence([], sentences: 0)
    /// The token spans of people's posts ("Minister of Commerce"): no topic is read in them.
    var titleSpans: [Range<Int>] = []
    var authors: Set<String> = []
    /// Where the article says it was written (dateline or byline), and the place its own events
    /// were when their sentences name none.
    var written: String?
    var home: Lexicon.PlaceEntry?
    var events: [LocalEvent] = []
    var agreements: [LocalAgreement] = []
    /// The date each agreement's sentence names, if any, in the agreements' order.
    var agreementDates: [PartialDate?] = []
    var figures: [LocalFigure] = []
    var topics: [(topic: String, sentence: Int, tokens: Range<Int>)] = []

    init(id: String, path: String, bytes: [UInt8], header: HeaderParser.Result, excluded: [Range<Int>], tokens: Tokens) {
        self.id = id
        self.path = path
        self.bytes = bytes
        self.header = header
        self.excluded = excluded
        self.tokens = tokens
    }
}
