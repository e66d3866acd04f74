import Foundation

/// Writes a file so that readers see the old content or the new, never a torn or empty one:
/// the data goes to a temporary file beside it, is flushed to disk, and is renamed into place.
/// A failed write (a full disk, a file-size limit) leaves the old file intact and says why.
public enum AtomicFile {
    public struct WriteError: Error, CustomStringConvertible, Sendable {
        public var path: String
        public var reason: String
        public var description: String { "cannot write '\(path)': \(reason); the old file, if any, is unchanged" }
    }

    /// `newFileMode`: the mode of a file that did not exist (the umask applies); one that did keeps its own.
    /// `durable: false` leaves the new file to the kernel's own time to reach the disk (no
    /// `fsync`): for a cache, which a crash may lose and which is checked when read.
    public static func write(_ bytes: [UInt8], to path: String, newFileMode: mode_t = 0o666, durable: Bool = true) throws(WriteError) {
        try write(parts: [bytes], to: path, newFileMode: newFileMode, durable: durable)
    }

    /// The file a path names at the end of its symbolic links (the path itself when it is none, or
    /// a link to nothing yet: the link's target is then where the file is made).
    static func resolvingLinks(_ path: String) -> String {
        var current = path
        for _ in 0..<40 {
            var info = stat()
            guard lstat(current, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK else { return current }
            var buffer = [Int8](repeating: 0, count: Int(PATH_MAX) + 1)
            let n = readlink(current, &buffer, buffer.count - 1)
            guard n > 0 else { return current }
            let target = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let directory = (current as NSString).deletingLastPathComponent
            current = target.hasPrefix("/") || directory.isEmpty ? target : directory + "/" + target
        }
        return current
    }

    /// Removes what writes of `path` killed half-way left beside it: files (and a folder export's
    /// draft folders) named as `temporaryPath` or `stem + ".tmp-PID"` names them, whose process is
    /// gone. (A live writer's are left alone.)
    public static func removeLeftovers(of path: String) {
        let directory = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        let folder = directory.isEmpty ? "." : directory
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        for candidate in names {
            let rest: Substring
            if candidate.hasPrefix("." + name + ".tmp-") { rest = candidate.dropFirst(name.count + 6) }
            else if candidate.hasPrefix(name + ".tmp-") { rest = candidate.dropFirst(name.count + 5) }
            else { continue }
            guard let pid = Int32(rest.prefix { $0.isNumber }), pid > 0, pid != getpid() else { continue }
            guard kill(pid, 0) != 0, errno == ESRCH else { continue }
            // A folder export's draft is a folder.
            if unlink(folder + "/" + candidate) != 0, errno == EISDIR || errno == EPERM {
                try? FileManager.default.removeItem(atPath: folder + "/" + candidate)
            }
        }
    }

    /// Writes every byte to `fd`, again after an interrupted or short write: nil, or the errno of
    /// the write that failed (EIO for one that wrote nothing).
    public static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32? {
        var offset = 0
        while offset < bytes.count {
            let n = Foundation.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0, errno == EINTR { continue }
            if n <= 0 { return n < 0 ? errno : EIO }
            offset += n
        }
        return nil
    }

    /// A new name beside `path` for the file that is renamed over it: hidden, and this process's.
    static func temporaryPath(for path: String) -> String {
        let directory = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        return (directory.isEmpty ? "." : directory) + "/.\(name).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    }

    /// Writes the parts one after another into one file, atomically.
    public static func write(parts: [[UInt8]], to path: String, newFileMode: mode_t = 0o666, durable: Bool = true) throws(WriteError) {
        try write(to: path, newFileMode: newFileMode, durable: durable) { sink in parts.allSatisfy { part in part.withUnsafeBufferPointer(sink) } }
    }

    /// Writes what `produce` gives its sink, piece by piece (so no buffer of the file's size is
    /// needed), into one file, atomically. The sink answers false once a write failed; `produce`
    /// may stop then, and the old file stays.
    public static func write(to requested: String, newFileMode: mode_t = 0o666, durable: Bool = true,
                             producing produce: (_ sink: (UnsafeBufferPointer<UInt8>) -> Bool) -> Bool) throws(WriteError) {
        // A link (a history kept in dotfiles) is written through: its target is replaced, the link stays.
        let path = resolvingLinks(requested)
        removeLeftovers(of: path)
        // The new file keeps the old one's mode and owner (a private history stays private); a file
        // that did not exist gets `newFileMode`, less the umask.
        var old = stat()
        let existed = stat(path, &old) == 0
        let temporary = temporaryPath(for: path)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, existed ? old.st_mode & 0o7777 : newFileMode)
        guard fd >= 0 else { throw WriteError(path: requested, reason: String(cString: strerror(errno))) }
        if existed {
            _ = fchmod(fd, old.st_mode & 0o7777)
            if old.st_uid != geteuid() || old.st_gid != getegid() { _ = fchown(fd, old.st_uid, old.st_gid) }
        }
        // A file-size limit raises SIGXFSZ; the failed write is enough to report it.
        signal(SIGXFSZ, SIG_IGN)
        var failure: String?
        _ = produce { bytes in
            guard failure == nil else { return false }
            if let code = AtomicFile.writeAll(fd, UnsafeRawBufferPointer(bytes)) { failure = String(cString: strerror(code)) }
            return failure == nil
        }
        if failure == nil, durable, fsync(fd) != 0 { failure = String(cString: strerror(errno)) }
        if close(fd) != 0, failure == nil { failure = String(cString: strerror(errno)) }
        if let failure {
            unlink(temporary)
            throw WriteError(path: path, reason: failure)
        }
        if rename(temporary, path) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw WriteError(path: path, reason: reason)
        }
    }
}
