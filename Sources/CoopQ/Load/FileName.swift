import Foundation

/// File names are bytes, and a path is kept as a String. The bytes of a name that are not UTF-8
/// are kept as the code points U+10FF80...U+10FFFF (the end of the last private-use plane, which
/// no name holds), one a byte, so the file can be opened again by its own bytes; they are shown
/// as `\xNN` (`escapingControls`).
enum FileName {
    static let rawBase: UInt32 = 0x10FF80 - 0x80

    /// A name's bytes as a path string: UTF-8 as it is, other bytes kept as said above.
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        if let valid = String(validating: bytes, as: UTF8.self) { return valid }
        var out = String.UnicodeScalarView()
        var iterator = bytes.makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        var at = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                out.append(Unicode.UTF8.decode(encoded))
                at += encoded.count
            case .error(let length):
                for i in at..<at + length { out.append(Unicode.Scalar(rawBase + UInt32(bytes[i]))!) }
                at += length
            case .emptyInput:
                return String(out)
            }
        }
    }

    /// Whether a path holds bytes that are not UTF-8 (their code points start with byte F4).
    static func hasRawBytes(_ path: String) -> Bool { path.utf8.contains(0xF4) && path.unicodeScalars.contains { $0.value >= 0x10FF80 } }

    /// Calls `body` with the path as the system knows it: its own bytes.
    static func withSystemPath<R>(_ path: String, _ body: (UnsafePointer<CChar>) -> R) -> R {
        guard hasRawBytes(path) else { return path.withCString(body) }
        var bytes: [UInt8] = []
        for scalar in path.unicodeScalars {
            if scalar.value >= 0x10FF80 { bytes.append(UInt8(scalar.value - rawBase)) } else { bytes.append(contentsOf: String(scalar).utf8) }
        }
        bytes.append(0)
        return bytes.withUnsafeBufferPointer { $0.withMemoryRebound(to: CChar.self) { body($0.baseAddress!) } }
    }
}
