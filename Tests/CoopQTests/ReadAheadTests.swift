@testable import CoopQ
import CLinux
import Foundation
import Testing

/// The thread that asks for a folder's files ahead of the workers: it asks for every file that
/// is not cached, passes lightly over a folder that is, and is stopped by files that are not
/// files.
struct ReadAheadTests {
    /// A folder of `count` small files just written (so, cached), its paths in order.
    static func folder(_ count: Int) throws -> (String, [String]) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("coopq-readahead-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let paths = (0..<count).map { "\(dir)/\($0).txt" }
        for p in paths { try Data(repeating: 0x61, count: 5000).write(to: URL(fileURLWithPath: p)) }
        return (dir, paths)
    }

    /// Drops the files from the page cache, where the kernel lets a user do that. Whether it did
    /// is asked of the same probe the thread uses, on a file of its own: the probe of a cold file
    /// starts reading it in.
    static func evict(_ paths: [String], in dir: String) throws -> Bool {
        let witness = "\(dir)/witness"
        try Data(repeating: 0x61, count: 5000).write(to: URL(fileURLWithPath: witness))
        for p in paths + [witness] {
            let fd = open(p, O_RDONLY)
            guard fd >= 0 else { return false }
            fdatasync(fd)
            _ = posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED)
            close(fd)
        }
        return firstPageCached(witness) == false
    }

    /// Whether a file's first page is in the page cache, asked as the thread asks; nil when it
    /// cannot be opened.
    static func firstPageCached(_ path: String) -> Bool? {
        let fd = open(path, O_RDONLY | O_NONBLOCK)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        return coopq_first_page_cached(fd) != 0
    }

    /// A probe that calls the files whose names are in `cold` not cached, and every other cached:
    /// the thread's decisions, tested apart from what a page cache under load happens to keep.
    static func probe(cold: Set<String>) -> ReadAhead.CacheProbe {
        { _, path in !cold.contains(path) }
    }

    @Test func aCachedFolderIsSampledAfterAStreakOfCachedFiles() throws {
        let (dir, paths) = try Self.folder(400)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let ahead = ReadAhead(paths: paths, isCached: Self.probe(cold: []))
        ahead.want(upTo: 100)
        ahead.want(upTo: 10_000)  // past the end: the whole list
        ahead.stop(draining: true)
        // 64 opened one by one, then one in 32 of the 336 left.
        #expect(ahead.advised == 0)
        #expect(ahead.opened == ReadAhead.streak + (400 - ReadAhead.streak + ReadAhead.stride - 1) / ReadAhead.stride)
    }

    @Test func everyFileThatIsNotCachedIsAskedFor() throws {
        let (dir, paths) = try Self.folder(300)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let ahead = ReadAhead(paths: paths, isCached: Self.probe(cold: Set(paths)))
        ahead.want(upTo: paths.count)
        ahead.stop(draining: true)
        #expect(ahead.advised == 300)
        #expect(ahead.opened == 300)
    }

    /// The kernel's probe: a file just written is cached, and one dropped from the page cache (where
    /// the kernel lets a user drop it) is not, and is asked for. How many of a folder stay dropped
    /// under load is the kernel's affair (once, 155 of 300 under a parallel test run), so only
    /// that it asks for some is checked here.
    @Test func theKernelsProbeTellsCachedFromDropped() throws {
        let (dir, paths) = try Self.folder(30)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(Self.firstPageCached(paths[0]) == true)
        guard try Self.evict(paths, in: dir) else { return }
        let ahead = ReadAhead(paths: paths)
        ahead.want(upTo: paths.count)
        ahead.stop(draining: true)
        #expect(ahead.advised >= 1)
        #expect(ahead.opened == 30)
    }

    /// Cold files met while sampling: the ones passed over since the last sample are asked for too.
    @Test func aColdFileAfterAStreakAsksForTheFilesPassedOver() throws {
        let (dir, paths) = try Self.folder(200)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let ahead = ReadAhead(paths: paths, isCached: Self.probe(cold: Set(paths[100...])))
        ahead.want(upTo: paths.count)
        ahead.stop(draining: true)
        // Sampling from file 64 on; file 128 is the first cold sample: 97..<128 are asked for,
        // then every file from 128 on, one by one.
        #expect(ahead.advised == (128 - 97) + (200 - 128))
    }

    @Test func missingFilesAndFIFOsAreLeftToTheWorkers() throws {
        let (dir, paths) = try Self.folder(3)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let fifo = "\(dir)/pipe.txt"
        #expect(mkfifo(fifo, 0o600) == 0)
        let ahead = ReadAhead(paths: [paths[0], "\(dir)/missing.txt", fifo, paths[1], paths[2]])
        ahead.want(upTo: 5)
        ahead.stop(draining: true)  // returns: nothing waited on the FIFO
        #expect(ahead.opened == 4)
    }

    @Test func stoppedBeforeAnythingIsWanted() {
        let ahead = ReadAhead(paths: ["/nonexistent/a.txt"])
        ahead.stop()
        #expect(ahead.opened == 0)
    }
}
