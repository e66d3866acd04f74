import Foundation

/// Which files of a folder are articles: `.txt` files, in sub-folders too, with links that
/// leave the corpus followed only when asked.
extension CorpusLoader {

    /// The `.txt` files of the folders (and their sub-folders), with their size and mtime.
    ///
    /// Without `statting` (a load that keeps no snapshot, so needs no manifest), no file is
    /// `stat`ed: its size is -1 and its mtime 0 until it is read, and the worker that reads it
    /// tells then whether it is a regular file (a `stat` by path is most of a listing's cost).
    ///
    /// A link named `.txt` to a file outside the folder is skipped with a warning unless
    /// `followLinks`: a link to a private file must not put its lines in a snapshot or an export.
    public static func list(_ folders: [String], statting: Bool = true, followLinks: Bool = false) throws(CorpusError) -> (files: [ArticleFile], warnings: [LoadWarning]) {
        var files: [ArticleFile] = []
        var warnings: [LoadWarning] = []
        var seenIDs: [String: Int] = [:]
        let fm = FileManager.default
        for folder in folders {
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: folder, isDirectory: &isDirectory) else {
                throw CorpusError(message: "cannot read corpus folder '\(folder)': no such folder")
            }
            guard isDirectory.boolValue else { throw CorpusError(message: "corpus '\(folder)' is a file, not a folder of .txt articles") }
            guard fm.isReadableFile(atPath: folder), let (listed, unreadable, links) = textFiles(in: folder) else {
                throw CorpusError(message: "cannot read corpus folder '\(folder)': permission denied")
            }
            let base = folder.hasSuffix("/") ? folder : folder + "/"
            var paths = listed
            if !followLinks, !links.isEmpty {
                let outside = linksLeaving(folder, links)
                for link in outside {
                    warnings.append(LoadWarning(path: base + link, reason: "is a link to a file outside the corpus folder; skipped (--follow-links reads it)"))
                }
                if !outside.isEmpty { paths = listed.filter { !outside.contains($0) } }
            }
            for (sub, code) in unreadable {
                warnings.append(LoadWarning(path: base + sub, reason: "cannot be read (\(String(cString: strerror(code)))); its articles are skipped",
                                            incomplete: true))
            }
            let sorted = paths.sorted()
            // Each file's stat, path and id are made on every core; only the ids' uniqueness is
            // checked here, in order.
            let found = describeAll(sorted, in: folder, statting: statting)
            files.reserveCapacity(files.count + found.count)
            seenIDs.reserveCapacity(seenIDs.count + found.count)
            for f in found {
                let path = f.path
                guard case .success(let info) = f.stat else {
                    if case .failure(let code) = f.stat {
                        warnings.append(LoadWarning(path: path, reason: "cannot be read (\(String(cString: strerror(code.rawValue)))); skipped", incomplete: true))
                    }
                    continue
                }
                guard (info.mode & S_IFMT) == S_IFREG else {
                    if (info.mode & S_IFMT) != S_IFDIR { warnings.append(LoadWarning(path: path, reason: "is not a regular file; skipped")) }
                    continue
                }
                var id = f.id
                if let n = seenIDs[id] {
                    seenIDs[id] = n + 1
                    warnings.append(LoadWarning(path: path, reason: "another article is also named '\(id)'; this one is '\(id)~\(n + 1)'"))
                    id += "~\(n + 1)"
                } else { seenIDs[id] = 1 }
                files.append(ArticleFile(id: id, path: path, size: info.size, modified: info.modified, inode: info.inode, changed: info.changed))
            }
        }
        return (files, warnings)
    }

    /// Which of the links (paths relative to `folder`) lead outside it, once every link is followed.
    static func linksLeaving(_ folder: String, _ links: [String]) -> Set<String> {
        func real(_ path: String) -> String? {
            FileName.withSystemPath(path) { p in
                guard let r = realpath(p, nil) else { return nil }
                defer { free(r) }
                return FileName.decode(UnsafeBufferPointer(start: UnsafeRawPointer(r).assumingMemoryBound(to: UInt8.self), count: strlen(r)))
            }
        }
        guard let root = real(folder) else { return [] }
        let prefix = root == "/" ? "/" : root + "/"
        var outside: Set<String> = []
        for link in links {
            // A link to nothing is left to the read, which says so.
            guard let target = real((folder.hasSuffix("/") ? folder : folder + "/") + link) else { continue }
            if !target.hasPrefix(prefix) { outside.insert(link) }
        }
        return outside
    }

    /// An article's id: its file name without the extension, cut on the bytes (a hundred
    /// thousand names are cut at every load). `"2025/xian-forum.txt"` → `"xian-forum"`.
    static func articleID(_ relative: String) -> String {
        let u = relative.utf8
        let file = u.lastIndex(of: UInt8(ascii: "/")).map { u[u.index(after: $0)...] } ?? u[...]
        let stem = file.lastIndex(of: UInt8(ascii: ".")).map { file[..<$0] } ?? file
        return String(Substring(stem))
    }

    struct StatError: Error { var rawValue: Int32 }

    /// A file of a folder's listing, described: its path, what `stat` says of it (or why it says
    /// nothing) and its id.
    struct Described { var path: String; var stat: Result<FileStat, StatError>; var id: String }

    /// What the listing keeps of a file's `stat`.
    struct FileStat { var mode: mode_t; var size: Int; var modified: Int; var inode: UInt64 = 0; var changed: Int = 0 }

    /// `stat`, path and id of each file (paths relative to `folder`), on every core: a hundred
    /// thousand files are a tenth of a second on one, and every load (from the snapshot too)
    /// lists them. Each is found from the folder's descriptor, not walked to from `/` again.
    static func describeAll(_ relative: [String], in folder: String, statting: Bool) -> [Described] {
        let directory = statting ? open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1
        defer { if directory >= 0 { close(directory) } }
        let prefix = folder.hasSuffix("/") ? folder : folder + "/"
        return parallelMap(relative.count, from: 4096, placeholder: Described(path: "", stat: .failure(StatError(rawValue: 0)), id: "")) { i in
            guard statting else {
                return Described(path: prefix + relative[i], stat: .success(FileStat(mode: S_IFREG, size: -1, modified: 0)), id: articleID(relative[i]))
            }
            var info = stat()
            let ok = directory >= 0 ? FileName.withSystemPath(relative[i]) { fstatat(directory, $0, &info, 0) } == 0
                : FileName.withSystemPath(prefix + relative[i]) { stat($0, &info) } == 0
            let result: Result<FileStat, StatError> = ok
                ? .success(FileStat(mode: info.st_mode, size: Int(info.st_size), modified: Int(info.st_mtim.tv_sec) * 1_000_000_000 + Int(info.st_mtim.tv_nsec),
                                    inode: UInt64(info.st_ino), changed: Int(info.st_ctim.tv_sec) * 1_000_000_000 + Int(info.st_ctim.tv_nsec)))
                : .failure(StatError(rawValue: errno))
            return Described(path: prefix + relative[i], stat: result, id: articleID(relative[i]))
        }
    }

    /// The `.txt` files under a folder, as paths relative to it, found with `opendir`/`readdir`
    /// (a hundred thousand names in milliseconds). Hidden files and folders are skipped, and
    /// links to folders are not followed (no cycles); nil when the folder itself cannot be read.
    static func textFiles(in folder: String) -> (files: [String], unreadable: [(String, Int32)], links: [String])? {
        var found: [String] = []
        var links: [String] = []
        var unreadable: [(String, Int32)] = []
        func walk(_ directory: String, _ prefix: String) -> Bool {
            guard let dir = FileName.withSystemPath(directory, { opendir($0) }) else {
                if !prefix.isEmpty { unreadable.append((String(prefix.dropLast()), errno)) }
                return false
            }
            defer { closedir(dir) }
            while let entry = readdir(dir) {
                // Decided on the name's bytes first: hidden names, and files not named .txt, make no string.
                var type = Int32(entry.pointee.d_type)
                let skip = withUnsafeBytes(of: &entry.pointee.d_name) { raw -> Bool in
                    let p = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
                    let n = strnlen(raw.baseAddress!.assumingMemoryBound(to: CChar.self), raw.count)
                    if n == 0 || p[0] == UInt8(ascii: ".") { return true }
                    return type != Int32(DT_DIR) && type != Int32(DT_UNKNOWN) && !isTextFileName(UnsafeBufferPointer(start: p, count: n))
                }
                if skip { continue }
                let name = withUnsafeBytes(of: &entry.pointee.d_name) { raw in
                    FileName.decode(UnsafeBufferPointer(start: raw.baseAddress!.assumingMemoryBound(to: UInt8.self),
                                                        count: strnlen(raw.baseAddress!.assumingMemoryBound(to: CChar.self), raw.count)))
                }
                if type == Int32(DT_UNKNOWN) {
                    var info = stat()
                    if FileName.withSystemPath(directory + "/" + name, { lstat($0, &info) }) == 0 {
                        let format = info.st_mode & S_IFMT
                        type = format == S_IFDIR ? Int32(DT_DIR) : format == S_IFLNK ? Int32(DT_LNK) : Int32(DT_REG)
                    }
                }
                if type == Int32(DT_DIR) {
                    _ = walk(directory + "/" + name, prefix + name + "/")  // an unreadable sub-folder is listed as such
                } else if isTextFileName(name) {
                    found.append(prefix.isEmpty ? name : prefix + name)
                    if type == Int32(DT_LNK) { links.append(found.last!) }
                }
            }
            return true
        }
        return walk(folder, "") ? (found, unreadable, links) : nil
    }

    /// Whether a file name ends in `.txt`, in any case, decided on its last four bytes.
    static func isTextFileName(_ name: String) -> Bool {
        var copy = name
        return copy.withUTF8 { isTextFileName($0) }
    }

    static func isTextFileName(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
        let u = UnsafeBufferPointer(rebasing: name.suffix(4))
        return u.count == 4 && u[0] == UInt8(ascii: ".") && u[1] | 0x20 == UInt8(ascii: "t") && u[2] | 0x20 == UInt8(ascii: "x")
            && u[3] | 0x20 == UInt8(ascii: "t")
    }
}
