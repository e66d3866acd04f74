import Foundation

/// Paths typed in the shell's dot commands.
public enum ShellPath {
    /// `~` and `~/…` name the home folder, as in a shell.
    public static func expandingHome(_ path: String, environment: [String: String]) -> String {
        guard path == "~" || path.hasPrefix("~/") else { return path }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + path.dropFirst()
    }
}

/// The file behind the shell's `.output FILE`, as sqlite3's: opened (and emptied) when named, so a
/// wrong path is said at once, and each result written and flushed as it comes, so a hang-up or a
/// kill loses nothing already shown. Writing through the open file keeps its mode, owner and links.
public final class OutputFile {
    public struct OpenError: Error, CustomStringConvertible, Sendable {
        public var path: String
        public var reason: String
        public var description: String { "cannot write to '\(path)': \(reason)" }
    }

    public let path: String
    private var fd: Int32
    /// Why the first failed write failed; nothing more is written after it.
    public private(set) var failure: String?

    public init(path requested: String, environment: [String: String]) throws(OpenError) {
        let path = ShellPath.expandingHome(requested, environment: environment)
        self.path = path
        var info = stat()
        if stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            throw OpenError(path: requested, reason: "it is a folder")
        }
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty, stat(folder, &info) != 0 || (info.st_mode & S_IFMT) != S_IFDIR {
            throw OpenError(path: requested, reason: "no folder '\(folder)'")
        }
        signal(SIGXFSZ, SIG_IGN)
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
        guard fd >= 0 else { throw OpenError(path: requested, reason: String(cString: strerror(errno))) }
    }

    /// Writes all of `text`, or remembers why it could not.
    public func write(_ text: String) {
        guard failure == nil, fd >= 0 else { return }
        var text = text
        if let code = text.withUTF8({ AtomicFile.writeAll(fd, UnsafeRawBufferPointer($0)) }) { failure = String(cString: strerror(code)) }
    }

    /// Closes the file; the failure of any write or of the close, if there was one.
    public func close() -> String? {
        guard fd >= 0 else { return failure }
        if Foundation.close(fd) != 0, failure == nil { failure = String(cString: strerror(errno)) }
        fd = -1
        return failure
    }

    deinit { if fd >= 0 { Foundation.close(fd) } }
}
