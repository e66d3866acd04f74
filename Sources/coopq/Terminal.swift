import Foundation

enum Terminal {
    /// The terminal's width in columns, or 80 when it cannot be told.
    static func width() -> Int {
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return 80
    }
}

extension Terminal {
    /// The terminal's height in rows, or 24 when it cannot be told.
    static func height() -> Int {
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_row > 0 { return Int(size.ws_row) }
        return 24
    }
}
