import Foundation

/// Reading an article's bytes: a file too large to be one article, or not a regular file, is skipped.
extension CorpusLoader {

    /// The most bytes a file may have to be read as one article. The genre's longest articles are
    /// tens of kilobytes; a file of hundreds of megabytes is an archive or a dump, and extracting
    /// it as one article would hold about nine times its size in tokens at once.
    static let largestArticle = 32 << 20

    /// From this many bytes of articles, the texts are kept in a file rather than in memory.
    static let spillThreshold = 16 << 20

    /// Reads the files; one that cannot be read is a warning, and the rest load.
    public static func read(_ files: [ArticleFile]) -> (articles: [Article], warnings: [LoadWarning]) {
        var articles: [Article] = []
        var warnings: [LoadWarning] = []
        articles.reserveCapacity(files.count)
        for f in files {
            switch read(f) {
            case .success(let a): articles.append(a)
            case .failure(let w): warnings.append(w)
            }
        }
        return (articles, warnings)
    }

    /// One file's article, or why it is skipped.
    /// `folder`: its folder's descriptor and where its name starts in its path (`Folders`).
    static func read(_ f: ArticleFile, in folder: (descriptor: Int32, name: Int)? = nil) -> Result<Article, LoadWarning> {
        var tooLarge: LoadWarning {
            LoadWarning(path: f.path, reason: "is larger than 32 MB, too large to be one article; skipped (split it into a file an article)")
        }
        guard f.size <= largestArticle else { return .failure(tooLarge) }
        var bytes: [UInt8]
        switch readFile(f.path, size: f.size >= 0 ? f.size : nil, in: folder) {
        case .success(let read): bytes = read
        case .failure(.notRegular): return .failure(LoadWarning(path: f.path, reason: "is not a regular file; skipped"))
        case .failure(.system(let code)):
            return .failure(LoadWarning(path: f.path, reason: "cannot be read (\(String(cString: strerror(code)))); skipped"))
        }
        guard bytes.count <= largestArticle else { return .failure(tooLarge) }
        // NUL bytes in the first 8 KiB: a binary file named .txt, not an article.
        if bytes.withUnsafeBufferPointer({ b in b.baseAddress.map { memchr($0, 0, min(b.count, 8192)) != nil } ?? false }) {
            return .failure(LoadWarning(path: f.path, reason: "looks like a binary file, not text; skipped"))
        }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        return .success(Article(id: f.id, path: f.path, bytes: bytes))
    }

    /// A file's bytes, read with plain system calls (no Foundation buffer to copy or leak).
    /// `size`, when the listing has just found it, saves an `fstat`; the file is read to its end
    /// whatever its size has become.
    /// `folder`: the descriptor of the path's folder and where the name starts in the path, to open it from.
    static func readFile(_ path: String, size known: Int? = nil, in folder: (descriptor: Int32, name: Int)? = nil) -> Result<[UInt8], ReadFailure> {
        // Not blocking: a FIFO named .txt is opened, found out by its fstat, and closed.
        let flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK
        let fd = FileName.hasRawBytes(path) ? FileName.withSystemPath(path) { open($0, flags) }
            : folder.map { folder in path.withCString { openat(folder.descriptor, $0 + folder.name, flags) } } ?? open(path, flags)
        guard fd >= 0 else { return .failure(.system(errno)) }
        defer { close(fd) }
        var info = stat()
        if let known { info.st_size = .init(known) } else {
            guard fstat(fd, &info) == 0 else { return .failure(.system(errno)) }
            guard (info.st_mode & S_IFMT) == S_IFREG else { return .failure(.notRegular) }
        }
        var failed = false
        var code: Int32 = 0
        // Read straight into the array's storage (no zero-filling first); a file that grew
        // while it was read is read on, a chunk at a time.
        func readAll(into buffer: UnsafeMutableBufferPointer<UInt8>) -> Int {
            var filled = 0
            while filled < buffer.count {
                let n = Foundation.read(fd, buffer.baseAddress! + filled, buffer.count - filled)
                if n < 0 { if errno == EINTR { continue }; failed = true; code = errno; break }
                if n == 0 { break }
                filled += n
            }
            return filled
        }
        // One read asks for a byte more than listed: a regular file that gives exactly its listed
        // size has ended, with no second call to find the end (a third of a small file's system calls).
        let listed = max(0, Int(info.st_size))
        var whole = false
        var bytes = [UInt8](unsafeUninitializedCapacity: listed + 1) { buffer, count in
            var n = Foundation.read(fd, buffer.baseAddress!, listed + 1)
            while n < 0, errno == EINTR { n = Foundation.read(fd, buffer.baseAddress!, listed + 1) }
            guard n >= 0 else { failed = true; code = errno; count = 0; return }
            whole = n == listed
            count = n
            if !whole, n > 0, n < listed {
                count = n + readAll(into: UnsafeMutableBufferPointer(rebasing: buffer[n..<listed]))
            }
        }
        // A file that grew while it was read is read on, a chunk at a time; the read that finds
        // the end goes into a small buffer on the stack.
        if !failed, !whole, bytes.count >= listed {
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 4096) { chunk in
                while !failed {
                    let n = readAll(into: chunk)
                    if n == 0 { break }
                    bytes.append(contentsOf: chunk.prefix(n))
                }
            }
        }
        return failed ? .failure(.system(code)) : .success(bytes)
    }

    /// Why a file was not read: a system call's error, or a file that is no regular file.
    enum ReadFailure: Error, Equatable { case system(Int32), notRegular }

    /// Lists and reads the `.txt` files of the folders. A folder that does not exist or cannot
    /// be read is an error; a file that cannot be read is a warning, and the rest loads.
    public static func articles(in folders: [String], followLinks: Bool = false) throws(CorpusError) -> (articles: [Article], warnings: [LoadWarning]) {
        let (files, listWarnings) = try list(folders, followLinks: followLinks)
        let (articles, readWarnings) = read(files)
        return (articles, listWarnings + readWarnings)
    }
}
