import Glibc
import Synchronization

/// Where a load's CPU time goes, stage by stage: each article's stages are timed on the clock of
/// the thread that runs them, and the totals are kept for `coopq` to print at exit when
/// `COOPQ_STAGES` is set (`COOPQ_STAGES=1 coopq --no-cache --corpus DIR -e 'count documents'`).
/// Off, a stage costs one test of a constant; on, two reads of the thread's clock.
public struct StageClock {
    public enum Stage: Int, CaseIterable, Sendable {
        case read, text, header, tokens, sentences, dates, mentions, people, setting, events, agreements, figures, topics, document, assemble, finish

        public var name: String {
            switch self {
            case .read: "read the file"
            case .text: "check the UTF-8"
            case .header: "header and dateline"
            case .tokens: "tokens"
            case .sentences: "sentences"
            case .dates: "dates"
            case .mentions: "places and organizations"
            case .people: "people"
            case .setting: "setting"
            case .events: "events"
            case .agreements: "agreements"
            case .figures: "figures"
            case .topics: "topics"
            case .document: "the document"
            case .assemble: "assembly"
            case .finish: "the last of assembly"
            }
        }
    }

    public static let enabled = getenv("COOPQ_STAGES") != nil
    private static let totals = Mutex([Int](repeating: 0, count: Stage.allCases.count))

    private var mark = 0
    /// One slot for each stage (a test holds it to `Stage.allCases.count`).
    static let slots = 16
    private var spent = InlineArray<16, Int>(repeating: 0)

    init() { if Self.enabled { mark = Self.now() } }

    /// Charges the time since the last lap (or the start) to `stage`.
    @inline(__always)
    mutating func lap(_ stage: Stage) {
        guard Self.enabled else { return }
        let t = Self.now()
        spent[stage.rawValue] += t - mark
        mark = t
    }

    /// Adds this clock's laps to the totals.
    func commit() {
        guard Self.enabled else { return }
        Self.totals.withLock { totals in for i in spent.indices { totals[i] += spent[i] } }
    }

    /// Times `body` as one lap of `stage`.
    static func time<R>(_ stage: Stage, _ body: () throws -> R) rethrows -> R {
        guard enabled else { return try body() }
        var clock = StageClock()
        defer { clock.lap(stage); clock.commit() }
        return try body()
    }

    /// The CPU time of each stage so far, in nanoseconds, summed over threads.
    public static func report() -> [(stage: Stage, nanoseconds: Int)] {
        totals.withLock { totals in Stage.allCases.map { ($0, totals[$0.rawValue]) } }
    }

    private static func now() -> Int {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return t.tv_sec * 1_000_000_000 + t.tv_nsec
    }
}
