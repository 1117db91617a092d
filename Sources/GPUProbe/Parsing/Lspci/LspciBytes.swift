/// Byte-level helpers for the lspci parsers.
///
/// lspci's structure (addresses, ids, brackets, keys) is ASCII, so the parsers work on UTF-8
/// bytes: that keeps 10 MB of text linear and fast even in debug builds, and avoids
/// `Character` surprises such as `"\r\n"` being one grapheme. Names are decoded back to
/// `String` only when kept.
enum LspciBytes {
    /// A line (or part of one) of the input.
    typealias Line = ArraySlice<UInt8>

    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")
    static let colon = UInt8(ascii: ":")
    static let newline = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")
    static let openBracket = UInt8(ascii: "[")
    static let closeBracket = UInt8(ascii: "]")
    static let openParen = UInt8(ascii: "(")
    static let closeParen = UInt8(ascii: ")")
    static let quote = UInt8(ascii: "\"")
    static let slash = UInt8(ascii: "/")

    /// Calls `body` with each line of `bytes`, without its terminator.
    ///
    /// Lines end at LF, with a CR before it dropped (CRLF pastes). Text with CRs but no LF at
    /// all (old Mac line ends) is split at CR instead, so that it is not read as one line.
    static func forEachLine(in bytes: [UInt8], _ body: (Line, Int) -> Void) {
        let separator = bytes.contains(newline) ? newline : carriageReturn
        var start = bytes.startIndex
        var number = 1
        while start < bytes.endIndex {
            let end = bytes[start...].firstIndex(of: separator) ?? bytes.endIndex
            var lineEnd = end
            if lineEnd > start, bytes[lineEnd - 1] == carriageReturn { lineEnd -= 1 }
            body(bytes[start..<lineEnd], number)
            number += 1
            start = end + 1
        }
    }

    /// Whether `byte` is a space or a tab.
    static func isBlank(_ byte: UInt8) -> Bool {
        byte == space || byte == tab
    }

    /// Whether `byte` is an ASCII hex digit, either case.
    static func isHexDigit(_ byte: UInt8) -> Bool { ASCIIBytes.isHexDigit(byte) }

    /// Whether every byte of `text` is a hex digit and there are exactly `count` of them.
    static func isHex(_ text: Line, count: Int) -> Bool {
        text.count == count && text.allSatisfy(isHexDigit)
    }

    /// The number of leading spaces and tabs.
    static func indentation(of line: Line) -> Int {
        line.prefix(while: isBlank).count
    }

    /// `line` without leading and trailing spaces and tabs.
    static func trimmed(_ line: Line) -> Line { ASCIIBytes.trimmed(line, where: isBlank) }

    /// The text decoded as UTF-8 (input bytes came from a `String`, so they are valid).
    static func string(_ bytes: Line) -> String {
        String(decoding: bytes, as: UTF8.self)
    }

    /// Lower-case text of hex digits (lspci prints lower case; pastes may not).
    static func lowercasedHex(_ bytes: Line) -> String {
        String(decoding: bytes.map { $0 | 0x20 }, as: UTF8.self)
    }

    /// Whether `line` starts with `prefix`.
    static func hasPrefix(_ line: Line, _ prefix: String) -> Bool {
        line.starts(with: prefix.utf8)
    }

    /// Whether `line` ends with `suffix`.
    static func hasSuffix(_ line: Line, _ suffix: String) -> Bool {
        let tail = suffix.utf8
        guard line.count >= tail.count else { return false }
        return line.suffix(tail.count).elementsEqual(tail)
    }

    /// The index of the first occurrence of `needle` in `line`, or nil.
    static func firstIndex(of needle: String, in line: Line) -> Int? {
        let pattern = Array(needle.utf8)
        guard let first = pattern.first, line.count >= pattern.count else { return nil }
        var index = line.startIndex
        let last = line.endIndex - pattern.count
        while index <= last {
            if line[index] == first, line[index..<index + pattern.count].elementsEqual(pattern) {
                return index
            }
            index += 1
        }
        return nil
    }

    /// The index of the last occurrence of `needle` in `line`, or nil.
    static func lastIndex(of needle: String, in line: Line) -> Int? {
        let pattern = Array(needle.utf8)
        guard let first = pattern.first, line.count >= pattern.count else { return nil }
        var index = line.endIndex - pattern.count
        while index >= line.startIndex {
            if line[index] == first, line[index..<index + pattern.count].elementsEqual(pattern) {
                return index
            }
            index -= 1
        }
        return nil
    }

    /// Splits a trailing `[id]` of `digits` hex digits off `text`.
    ///
    /// `3D controller [0302]` gives `("3D controller", "0302")`; nil when the text does not
    /// end that way.
    static func splitTrailingID(_ text: Line, digits: Int) -> (head: Line, id: String)? {
        let width = digits + 2
        guard text.count >= width, text.last == closeBracket else { return nil }
        let open = text.endIndex - width
        guard text[open] == openBracket else { return nil }
        let id = text[(open + 1)..<(text.endIndex - 1)]
        guard isHex(id, count: digits) else { return nil }
        return (trimmed(text[text.startIndex..<open]), lowercasedHex(id))
    }

    /// Splits a trailing `[vvvv:dddd]` off `text` (the ids lspci -nn appends to a name).
    static func splitTrailingIDPair(_ text: Line) -> (head: Line, vendor: String, device: String)? {
        let width = 11
        guard text.count >= width, text.last == closeBracket else { return nil }
        let open = text.endIndex - width
        guard text[open] == openBracket, let pair = idPair(text[(open + 1)..<(text.endIndex - 1)])
        else { return nil }
        return (trimmed(text[text.startIndex..<open]), pair.vendor, pair.device)
    }

    /// Reads `hhhh:hhhh` (exactly) as a vendor and device id.
    static func idPair(_ text: Line) -> (vendor: String, device: String)? {
        guard text.count == 9, text[text.startIndex + 4] == colon else { return nil }
        let vendor = text.prefix(4)
        let device = text.suffix(4)
        guard isHex(vendor, count: 4), isHex(device, count: 4) else { return nil }
        return (lowercasedHex(vendor), lowercasedHex(device))
    }

    /// Whether `line` (without indentation) is a row of a config-space hex dump, for example
    /// `00: 86 80 57 0d 06 00 90 20 02 00 00 06 00 00 00 00` or `ff0: 00 00 ...`.
    ///
    /// Four bytes at least, so that a time stamp or a short `key: value` is not taken for one.
    static func isHexDumpLine(_ line: Line) -> Bool {
        let offset = line.prefix(while: isHexDigit)
        guard (2...3).contains(offset.count) else { return false }
        var index = offset.endIndex
        guard index < line.endIndex, line[index] == colon else { return false }
        index += 1
        var groups = 0
        while index + 3 <= line.endIndex, line[index] == space,
            isHexDigit(line[index + 1]), isHexDigit(line[index + 2])
        {
            groups += 1
            index += 3
            if groups >= 4 { return true }
        }
        return false
    }
}
