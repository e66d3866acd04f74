import Foundation
import Synchronization

/// A snapshot's texts are read from a file mapped into memory. Should another program cut that
/// file short while it is mapped, touching a page past its new end raises SIGBUS, which would end
/// the process. As with SQLite's memory-mapped I/O, that failed read is made an I/O error instead:
/// the handler puts zero pages where the file's pages were, so the read goes on, and records the
/// fault; the statement that read them is then reported as failed (`take`), never its result.
///
/// The handler touches only what `install` made ready: a fixed table of mapped ranges, written
/// with single word stores, and one atomic flag.
public enum MappedFaults {
    static let capacity = 64
    /// Pairs of (start, end) addresses; a start of 0 is a free slot.
    nonisolated(unsafe) static let ranges: UnsafeMutablePointer<UInt> = {
        let p = UnsafeMutablePointer<UInt>.allocate(capacity: capacity * 2)
        p.initialize(repeating: 0, count: capacity * 2)
        return p
    }()
    static let faulted = Atomic<Bool>(false)
    static let pageSize = UInt(sysconf(Int32(_SC_PAGESIZE)))
    private static let installed = Mutex(false)

    /// Installs the handler, once.
    static func install() {
        installed.withLock { done in
            guard !done else { return }
            done = true
            _ = ranges
            _ = faulted.load(ordering: .relaxed)
            _ = pageSize
            var action = sigaction()
            action.__sigaction_handler.sa_sigaction = { _, info, _ in MappedFaults.handle(info) }
            sigemptyset(&action.sa_mask)
            action.sa_flags = SA_SIGINFO
            sigaction(SIGBUS, &action, nil)
        }
    }

    private static func handle(_ info: UnsafeMutablePointer<siginfo_t>?) {
        let address = UInt(bitPattern: info?.pointee._sifields._sigfault.si_addr)
        for i in 0..<capacity {
            let start = ranges[2 * i], end = ranges[2 * i + 1]
            guard start != 0, address >= start, address < end else { continue }
            let page = address & ~(pageSize - 1)
            let zeros = mmap(UnsafeMutableRawPointer(bitPattern: page), Int(end - page), PROT_READ,
                             MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0)
            if zeros != MAP_FAILED {
                faulted.store(true, ordering: .sequentiallyConsistent)
                return
            }
        }
        // Not a mapping of ours: the default action, when the read is tried again.
        signal(SIGBUS, SIG_DFL)
    }

    /// Watches `length` bytes mapped at `base`.
    static func watch(_ base: UnsafeRawPointer, length: Int) {
        install()
        installed.withLock { _ in
            for i in 0..<capacity where ranges[2 * i] == 0 {
                ranges[2 * i + 1] = UInt(bitPattern: base) + UInt(length)
                ranges[2 * i] = UInt(bitPattern: base)
                return
            }
        }
    }

    /// Stops watching the mapping at `base` (before it is unmapped).
    static func forget(_ base: UnsafeRawPointer) {
        installed.withLock { _ in
            for i in 0..<capacity where ranges[2 * i] == UInt(bitPattern: base) { ranges[2 * i] = 0 }
        }
    }

    /// Whether a mapped file failed a read since the last call.
    public static func take() -> Bool { faulted.exchange(false, ordering: .sequentiallyConsistent) }

    /// What a statement that read a failed page is told.
    public static let message = "a snapshot in use was cut short on disk by another program, so texts read from it are lost; load the corpus again"
}
