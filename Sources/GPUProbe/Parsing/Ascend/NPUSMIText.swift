/// One line of npu-smi output as raw bytes, without its line break.
///
/// The parsers work on UTF-8 bytes rather than `Character`s: the tables are ASCII, byte
/// scanning stays linear and fast on 10 MB pastes even in debug builds, and a CRLF pair (one
/// `Character` in Swift) is just two bytes to drop.
struct NPUSMILine {
    /// The bytes of the line, line break removed.
    var bytes: ArraySlice<UInt8>
    /// False for a last line that no line break closes: a paste may have been cut inside it.
    var terminated: Bool
    /// 1-based line number, for diagnostics.
    var number: Int
}

/// Byte-level helpers shared by the npu-smi parsers.
enum NPUSMIText {
    static let space: UInt8 = 0x20
    static let tab: UInt8 = 0x09
    static let pipe: UInt8 = 0x7C
    static let plus: UInt8 = 0x2B
    static let slash: UInt8 = 0x2F

    /// Splits on LF, CRLF and lone CR, keeping empty lines so numbers match an editor's, once
    /// what a paste did to the text is undone (``PastedText``).
    static func lines(_ text: String) -> [NPUSMILine] {
        let bytes = PastedText.unwrapped(PastedText.normalized(Array(text.utf8)))
        let lines = ASCIIBytes.lines(bytes)
        let cut = ASCIIBytes.endsInsideLine(bytes)
        return lines.enumerated().map { offset, line in
            NPUSMILine(
                bytes: line,
                terminated: !(cut && offset == lines.count - 1),
                number: offset + 1
            )
        }
    }

    /// Space, tab, vertical tab, form feed and NUL count as blank: pastes carry all of them.
    static func isBlank(_ byte: UInt8) -> Bool {
        byte == space || byte == tab || byte == 0x0B || byte == 0x0C || byte == 0
    }

    /// The bytes without leading and trailing blanks.
    static func trimmed(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        ASCIIBytes.trimmed(bytes, where: isBlank)
    }

    /// Whitespace-separated words.
    static func words(_ bytes: ArraySlice<UInt8>) -> [ArraySlice<UInt8>] {
        bytes.split(whereSeparator: isBlank)
    }

    /// The cells between the `|` of a table row: `| a | b |` gives `[" a ", " b "]`.
    ///
    /// Text before the first bar and after the last is dropped, so a cut row simply has
    /// fewer cells.
    static func cells(_ bytes: ArraySlice<UInt8>) -> [ArraySlice<UInt8>] {
        var parts = bytes.split(separator: pipe, omittingEmptySubsequences: false)
        guard parts.count >= 2 else { return [] }
        parts.removeFirst()
        parts.removeLast()
        return parts
    }

    /// Whether the bytes spell `literal` exactly; saves decoding a `String` per word.
    static func equals(_ bytes: ArraySlice<UInt8>, _ literal: StaticString) -> Bool {
        guard bytes.count == literal.utf8CodeUnitCount else { return false }
        return literal.withUTF8Buffer { bytes.elementsEqual($0) }
    }

    /// The bytes decoded as UTF-8, invalid sequences repaired.
    static func string(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes, as: UTF8.self)
    }

    /// Words joined by single spaces, or nil when there are none.
    static func joined(_ words: ArraySlice<ArraySlice<UInt8>>) -> String? {
        guard !words.isEmpty else { return nil }
        return words.map(string).joined(separator: " ")
    }

    /// A decimal integer with optional sign; nil for anything else, including overflow.
    static func int(_ bytes: ArraySlice<UInt8>) -> Int? {
        var digits = bytes[...]
        var negative = false
        if let first = digits.first, first == 0x2D || first == 0x2B {
            negative = first == 0x2D
            digits = digits.dropFirst()
        }
        // 18 digits always fit in Int64, so no overflow check is needed per step.
        guard !digits.isEmpty, digits.count <= 18 else { return nil }
        var value = 0
        for byte in digits {
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            value = value * 10 + Int(byte - 0x30)
        }
        return negative ? -value : value
    }

    /// A plain decimal number such as `88.2`; nil for `NA`, `-`, `inf` and the like.
    static func double(_ bytes: ArraySlice<UInt8>) -> Double? {
        guard !bytes.isEmpty, bytes.count <= 32,
            bytes.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E }),
            bytes.contains(where: { $0 != 0x2E })
        else { return nil }
        return Double(string(bytes))
    }

    /// Whether `needle` (lower-case ASCII) occurs in `bytes`, ignoring ASCII case.
    static func contains(_ bytes: ArraySlice<UInt8>, _ needle: [UInt8]) -> Bool {
        firstRange(of: needle, in: bytes) != nil
    }

    /// The first match of `needle` (lower-case ASCII) in `bytes`, ignoring ASCII case.
    static func firstRange(of needle: [UInt8], in bytes: ArraySlice<UInt8>) -> Range<Int>? {
        guard !needle.isEmpty, bytes.count >= needle.count else { return nil }
        var start = bytes.startIndex
        let last = bytes.endIndex - needle.count
        while start <= last {
            var offset = 0
            while offset < needle.count, lower(bytes[start + offset]) == needle[offset] {
                offset += 1
            }
            if offset == needle.count { return start..<(start + needle.count) }
            start += 1
        }
        return nil
    }

    /// ASCII lower-casing of one byte.
    static func lower(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte
    }

    /// Lower-case ASCII bytes of a literal, for ``firstRange(of:in:)``.
    static func needle(_ text: String) -> [UInt8] {
        text.utf8.map(lower)
    }
}
