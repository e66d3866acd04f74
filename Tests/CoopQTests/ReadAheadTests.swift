@testable import CoopQ
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
        return ReadAhead.firstPageCached(witness) == false
    }

    @Test func aCachedFolderIsSampledAfterAStreakOfCachedFiles() throws {
        let (dir, paths) = try Self.folder(400)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(paths.allSatisfy { ReadAhead.firstPageCached($0) == true })
        let ahead = ReadAhead(paths: paths)
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
        // A file system that keeps every file in memory (tmpfs) has nothing to ask for.
        guard try Self.evict(paths, in: dir) else { return }
        let ahead = ReadAhead(paths: paths)
        ahead.want(upTo: paths.count)
        ahead.stop(draining: true)
        // The kernel may keep a page it was asked to drop (one still being written back, seen
        // under TSan): that file is cached and rightly not asked for. Sampling would ask for
        // at most 64 + 236 / 32 of them.
        #expect(ahead.advised >= 295)
        #expect(ahead.opened == 300)
    }

    /// Cold files met while sampling: the ones passed over since the last sample are asked for too.
    @Test func aColdFileAfterAStreakAsksForTheFilesPassedOver() throws {
        let (dir, paths) = try Self.folder(200)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        guard try Self.evict(Array(paths[100...]), in: dir) else { return }
        let ahead = ReadAhead(paths: paths)
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
