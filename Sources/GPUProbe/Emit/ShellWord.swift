/// Quoting for text that reaches a generated shell line or Dockerfile.
///
/// Generated lines are only ever built from validated values or from values passed through
/// ``quote(_:)``; control characters are refused before that, because no quoting survives a
/// newline in a Dockerfile.
public enum ShellWord {
    /// Bytes that need no quoting in a POSIX shell word.
    static func isPlain(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            "_./:=@%+,-".utf8.contains(byte)
        }
    }

    /// Whether `text` holds a control character (newline, carriage return, tab, NUL, DEL, ...).
    public static func hasControlCharacters(_ text: String) -> Bool {
        text.unicodeScalars.contains {
            $0.value < 0x20 || $0.value == 0x7F || (0x80..<0xA0).contains($0.value)
        }
    }

    /// `text` as one POSIX shell word: unchanged when every byte is plain, else in single quotes
    /// with each `'` written as `'\''`.
    ///
    /// - Precondition: no control characters (check ``hasControlCharacters(_:)`` first).
    public static func quote(_ text: String) -> String {
        if !text.isEmpty, text.utf8.allSatisfy(isPlain) {
            return text
        }
        return "'" + text.replacingText("'", with: "'\\''") + "'"
    }
}
