/// Byte-level primitives every parser shares.
///
/// The parsers work on UTF-8 bytes rather than `Character`s: the tools' structure is ASCII,
/// byte scans stay linear on 10 MB pastes, and `"\r\n"` (one `Character` in Swift) is just two
/// bytes. Each parser keeps its own notion of which bytes are blank, because the tools differ
/// (npu-smi pastes carry NULs, nvidia-smi cells stray line breaks); the mechanics live here.
enum ASCIIBytes {
    /// A run of input bytes: a line, a cell or a word.
    typealias Bytes = ArraySlice<UInt8>

    /// Line feed.
    static let lineFeed: UInt8 = 0x0A
    /// Carriage return.
    static let carriageReturn: UInt8 = 0x0D

    /// The lines of `bytes` without their `\n`, `\r\n` or lone `\r` breaks.
    ///
    /// Empty lines are kept, so a line's position is its number as an editor shows it; a last
    /// line with no break after it is included (``endsInsideLine(_:)`` tells whether there is one).
    static func lines(_ bytes: [UInt8]) -> [Bytes] {
        var result: [Bytes] = []
        var start = 0
        var index = 0
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            if byte == lineFeed || byte == carriageReturn {
                result.append(bytes[start..<index])
                if byte == carriageReturn, index + 1 < count, bytes[index + 1] == lineFeed {
                    index += 1
                }
                start = index + 1
            }
            index += 1
        }
        if start < count { result.append(bytes[start..<count]) }
        return result
    }

    /// Whether the text stops inside a line (no line break closes the last one): a paste may
    /// have been cut there.
    static func endsInsideLine(_ bytes: [UInt8]) -> Bool {
        guard let last = bytes.last else { return false }
        return last != lineFeed && last != carriageReturn
    }

    /// `bytes` without the leading and trailing bytes for which `isBlank` holds.
    static func trimmed(_ bytes: Bytes, where isBlank: (UInt8) -> Bool) -> Bytes {
        var lower = bytes.startIndex
        var upper = bytes.endIndex
        while lower < upper, isBlank(bytes[lower]) { lower += 1 }
        while upper > lower, isBlank(bytes[upper - 1]) { upper -= 1 }
        return bytes[lower..<upper]
    }

    /// Whether `byte` is an ASCII digit.
    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    /// Whether `byte` is an ASCII hex digit, either case.
    static func isHexDigit(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66)
    }
}
