import Foundation

/// The articles' texts of a large corpus, kept outside the Swift heap: in a file mapped
/// read-only, whose pages the kernel reads in when a query touches them (a search, a sentence
/// of evidence) and may drop again, since the file holds them. A hundred thousand articles'
/// text is most of what a loaded corpus would otherwise hold in memory.
///
/// Two kinds of file: the temporary file a load from the articles writes the texts to as it
/// goes (unlinked at once, as `sort` does with its spill files, so nothing is left behind), and
/// a snapshot, whose texts are read where they lie. Either is written before it is mapped and
/// never changed under the mapping: the snapshot is replaced by renaming a new file over it.
public final class TextStore: @unchecked Sendable {
    /// Where the texts are, once sealed (written texts are readable only after `seal`).
    private var base: UnsafePointer<UInt8>?
    private var mappedLength = 0
    private var fd: Int32 = -1
    /// The texts read into memory, when the file could not be mapped.
    private var owned: UnsafeMutablePointer<UInt8>?
    /// Bytes written to the temporary file so far.
    private(set) var size = 0
    /// Set when a write failed (a full disk): later texts stay in memory instead.
    private(set) var failed = false
    /// The failed write's error number.
    private(set) var error: Int32 = 0
    /// A snapshot's draft (`Snapshot.Draft`): its file stays open after `seal`, for the records
    /// written after the texts; it has a name only when the file system has no anonymous files.
    private var draft = false
    private(set) var name: String?
    /// The checksum (`Snapshot.checksum`) of what was appended since `startSum`, each append
    /// being a multiple of eight bytes but perhaps the last; nil when not asked for.
    private(set) var sum: UInt64?

    private init() {}

    /// A store over a file mapped read-only: a snapshot. Nil when it cannot be opened or mapped.
    public convenience init?(mapping path: String) {
        self.init()
        // Not blocking: a FIFO (or a link to one) at the path is opened at once and turned away by
        // its type, where a blocking open would wait for a writer for ever.
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        size = Int(info.st_size)
        guard size > 0 else { return }
        guard let mapped = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), mapped != MAP_FAILED else { return nil }
        madvise(mapped, size, MADV_SEQUENTIAL)
        base = UnsafePointer(mapped.assumingMemoryBound(to: UInt8.self))
        mappedLength = size
        // Another program may cut the file short under the mapping.
        MappedFaults.watch(mapped, length: size)
    }

    /// A store that texts are written to as a load goes, in a new unlinked file in `directory`;
    /// nil when no such file can be made there.
    static func temporary(in directory: String) -> TextStore? {
        anonymous(in: directory, mode: 0o600, prefix: "coopq-texts", keepingName: false)
    }

    /// A new file in `directory` for a snapshot's draft: anonymous (`O_TMPFILE`) until `link`
    /// names it, so that a load killed half-way leaves nothing behind; where the file system
    /// has no anonymous files, a hidden named file that `discard` removes. Nil when no file can
    /// be made there.
    static func draft(in directory: String, prefix: String) -> TextStore? {
        // A snapshot holds every article's text: readable by its owner alone.
        guard let store = anonymous(in: directory, mode: 0o600, prefix: prefix, keepingName: true) else { return nil }
        store.draft = true
        return store
    }

    private static func anonymous(in directory: String, mode: mode_t, prefix: String, keepingName: Bool) -> TextStore? {
        let store = TextStore()
        store.fd = open(directory, O_RDWR | O_CLOEXEC | O_DIRECTORY | 0o20000000 /* O_TMPFILE */, mode)
        if store.fd < 0 {
            // A file system without O_TMPFILE: a named file (unlinked at once, unless kept).
            let path = (directory as NSString).appendingPathComponent(prefix + "-XXXXXX")
            var template = Array(path.utf8CString)
            store.fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
            guard store.fd >= 0 else { return nil }
            _ = fcntl(store.fd, F_SETFD, FD_CLOEXEC)
            let made = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            if keepingName { _ = fchmod(store.fd, mode); store.name = made } else { unlink(made) }
        }
        return store
    }

    /// Starts the running checksum of what is appended from here on.
    func startSum() { sum = Snapshot.checksumSeed }
    /// The running checksum; from here on none is kept.
    func endSum() -> UInt64? { defer { sum = nil }; return sum }

    /// Gives a draft's file the name `path`, replacing any file there (the draft stays readable
    /// where it is mapped); an error's text when it cannot.
    func link(to path: String) -> String? {
        guard draft, fd >= 0 else { return "the file was closed" }
        var error: String? { String(cString: strerror(errno)) }
        if let name {
            guard rename(name, path) == 0 else { return error }
            self.name = nil
            return nil
        }
        // An anonymous file is linked beside the target under a name of its own, then renamed
        // over it: the target is never missing, nor half written.
        let temporary = AtomicFile.temporaryPath(for: path)
        guard linkat(AT_FDCWD, "/proc/self/fd/\(fd)", AT_FDCWD, temporary, AT_SYMLINK_FOLLOW) == 0 else { return error }
        guard rename(temporary, path) == 0 else { let e = error; unlink(temporary); return e }
        return nil
    }

    /// Gives up a draft: its named file, if it has one, is removed (what is mapped stays readable).
    func discard() {
        if let name { unlink(name); self.name = nil }
        closeFile()
    }

    /// Closes the file written to (a draft's, once it is linked or discarded).
    func closeFile() { if fd >= 0 { close(fd); fd = -1 } }

    /// A store that writes to an existing file (a test writes to `/dev/full`, a disk with no room).
    static func writing(to path: String) -> TextStore? {
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        let store = TextStore()
        store.fd = fd
        return store
    }

    deinit {
        if let owned { owned.deallocate() } else if let base, mappedLength > 0 {
            MappedFaults.forget(base)
            munmap(UnsafeMutableRawPointer(mutating: base), mappedLength)
        }
        if fd >= 0 { close(fd) }
    }

    /// Writes bytes at the end of the temporary file: their offset, or nil when the write failed
    /// (then this store takes nothing more, and the caller keeps its text in memory).
    func append(_ bytes: UnsafeRawBufferPointer) -> Int? {
        guard fd >= 0, !failed, base == nil || draft else { return nil }
        var done = 0
        while done < bytes.count {
            let n = pwrite(fd, bytes.baseAddress! + done, bytes.count - done, off_t(size + done))
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { failed = true; error = n < 0 ? errno : ENOSPC; return nil }
            done += n
        }
        if let sum { self.sum = Snapshot.checksum(UnsafeBufferPointer(start: bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), count: bytes.count), seed: sum) }
        let offset = size
        size += bytes.count
        return offset
    }

    /// Maps what was written, read-only; the texts can be read from here on. Should the file
    /// not map, it is read back into memory instead. A draft's file stays open for what follows
    /// the texts (which is not mapped). Sealed once: a second call changes nothing, so a draft's
    /// records may be written on one thread while its texts are read on another.
    func seal() {
        defer { if !draft { closeFile() } }
        guard base == nil, size > 0, fd >= 0 else { return }
        if let mapped = mmap(nil, size, PROT_READ, MAP_SHARED, fd, 0), mapped != MAP_FAILED {
            base = UnsafePointer(mapped.assumingMemoryBound(to: UInt8.self))
            mappedLength = size
            return
        }
        let copy = UnsafeMutablePointer<UInt8>.allocate(capacity: size)
        var done = 0
        while done < size {
            let n = pread(fd, copy + done, size - done, off_t(done))
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            done += n
        }
        owned = copy
        base = UnsafePointer(copy)
        mappedLength = done
    }

    /// The whole mapping (empty before `seal`).
    var buffer: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: base == nil ? 0 : mappedLength) }

    /// The bytes at `offset..<offset + count`.
    func bytes(_ offset: Int, _ count: Int) -> UnsafeBufferPointer<UInt8> {
        guard let base, offset >= 0, count >= 0, offset + count <= mappedLength else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: base + offset, count: count)
    }

    /// Gives the pages of `range` back to the kernel: the file still holds them, and they are
    /// read in again if touched. Reading a whole snapshot (its checksum, its records) or writing
    /// every text out then never holds them all in memory at once.
    func release(_ range: Range<Int>) {
        guard let base, mappedLength > 0, owned == nil else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let start = (max(0, range.lowerBound) + page - 1) / page * page, end = min(range.upperBound, mappedLength) / page * page
        guard end > start else { return }
        madvise(UnsafeMutableRawPointer(mutating: base + start), end - start, MADV_DONTNEED)
    }
}

/// A document's text: a string of its own (a small corpus, an article from standard input, a
/// text that could not be written out), or a place in a `TextStore`.
public struct DocumentText: Sendable {
    enum Storage: Sendable {
        case string(String)
        /// Bytes known to be valid UTF-8 (`UTF8Check`), kept as they were read.
        case bytes([UInt8])
        case stored(TextStore, offset: Int, count: Int)
    }
    var storage: Storage

    public init(_ string: String) { storage = .string(string) }
    /// Bytes that have been checked to be valid UTF-8.
    init(validUTF8 bytes: [UInt8]) { storage = .bytes(bytes) }
    init(_ store: TextStore, offset: Int, count: Int) { storage = .stored(store, offset: offset, count: count) }

    /// The text as a new string (from a store, a copy: read it once per use).
    public var string: String {
        switch storage {
        case .string(let s): return s
        case .bytes(let b): return String(decoding: b, as: UTF8.self)
        case .stored(let store, let offset, let count): return String(decoding: store.bytes(offset, count), as: UTF8.self)
        }
    }

    /// The text's UTF-8 bytes, without copying them out of a store.
    public func withUTF8<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        switch storage {
        case .string(var s): return try s.withUTF8(body)
        case .bytes(let b): return try b.withUnsafeBufferPointer(body)
        case .stored(let store, let offset, let count): return try withExtendedLifetime(store) { try body(store.bytes(offset, count)) }
        }
    }

    public var utf8Count: Int {
        switch storage {
        case .string(let s): return s.utf8.count
        case .bytes(let b): return b.count
        case .stored(_, _, let count): return count
        }
    }

    /// Whether the text lives in a store (not in the heap).
    public var isStored: Bool { if case .stored = storage { return true } else { return false } }
}
