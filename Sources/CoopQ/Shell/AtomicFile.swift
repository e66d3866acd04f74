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

    public static func write(_ bytes: [UInt8], to path: String) throws(WriteError) {
        try write(parts: [bytes], to: path)
    }

    /// A new name beside `path` for the file that is renamed over it: hidden, and this process's.
    static func temporaryPath(for path: String) -> String {
        let directory = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        return (directory.isEmpty ? "." : directory) + "/.\(name).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    }

    /// Writes the parts one after another into one file, atomically.
    public static func write(parts: [[UInt8]], to path: String) throws(WriteError) {
        try write(to: path) { sink in parts.allSatisfy { part in part.withUnsafeBufferPointer(sink) } }
    }

    /// Writes what `produce` gives its sink, piece by piece (so no buffer of the file's size is
    /// needed), into one file, atomically. The sink answers false once a write failed; `produce`
    /// may stop then, and the old file stays.
    public static func write(to path: String, producing produce: (_ sink: (UnsafeBufferPointer<UInt8>) -> Bool) -> Bool) throws(WriteError) {
        let temporary = temporaryPath(for: path)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw WriteError(path: path, reason: String(cString: strerror(errno))) }
        // A file-size limit raises SIGXFSZ; the failed write is enough to report it.
        signal(SIGXFSZ, SIG_IGN)
        var failure: String?
        _ = produce { bytes in
            guard failure == nil else { return false }
            var offset = 0
            while offset < bytes.count {
                let n = Foundation.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = String(cString: strerror(errno))
                    return false
                }
                offset += n
            }
            return true
        }
        if failure == nil, fsync(fd) != 0 { failure = String(cString: strerror(errno)) }
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
