/// Undoes what copying a terminal's output through a browser, a chat or a mail client does to
/// it, before nvidia-smi's or npu-smi's text is read.
///
/// Only changes that cannot alter a value are made, byte for byte, in one pass:
/// - no-break and other typographic spaces become spaces: web pages and rich-text editors turn
///   runs of spaces into U+00A0 (`&nbsp;`) so that the browser does not collapse them;
/// - box-drawing characters become the `|`, `-`, `=` and `+` nvidia-smi and npu-smi print:
///   terminals that render line art (Windows Terminal, some tmux and PuTTY settings) and
///   screenshots read back by OCR give `│ ─ ┼ ═` instead;
/// - a horizontal ellipsis (U+2026) becomes the `...` the tools print: macOS, Word and
///   Outlook replace three dots as one types or pastes;
/// - zero-width spaces and stray byte-order marks are dropped;
/// - a quote prefix (`> `, `>> `, `> > `) at the start of a line is removed: e-mail replies
///   and GitHub's "Quote reply" put one on every line, and neither tool starts a line with `>`;
/// - a table row that a mail client wrapped at its width (plain-text mail wraps at 72-78
///   columns; nvidia-smi's rows are 79-91 wide, npu-smi's 97-121) is joined again
///   (``unwrapped(_:)``).
enum PastedText {
    /// `bytes` as the tool printed them, as far as a paste can be undone; the same array when
    /// nothing needed undoing (the common case costs one scan).
    static func normalized(_ bytes: [UInt8]) -> [UInt8] {
        guard needsWork(bytes) else { return bytes }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        var lineStart = true
        let count = bytes.count
        while index < count {
            if lineStart {
                index = afterQuotePrefix(bytes, from: index, into: &out)
                lineStart = false
                if index >= count { break }
            }
            let byte = bytes[index]
            if byte == 0x0A || byte == 0x0D {
                out.append(byte)
                lineStart = true
                index += 1
                continue
            }
            if byte < 0x80 {
                out.append(byte)
                index += 1
                continue
            }
            let (replacement, length) = replacement(bytes, at: index)
            if let replacement {
                out.append(contentsOf: replacement)
            } else {
                out.append(contentsOf: bytes[index..<min(count, index + length)])
            }
            index += length
        }
        return out
    }

    /// Whether any byte is outside ASCII or any line starts with `>`.
    private static func needsWork(_ bytes: [UInt8]) -> Bool {
        var lineStart = true
        for byte in bytes {
            if byte >= 0x80 { return true }
            if byte == 0x0A || byte == 0x0D {
                lineStart = true
            } else if lineStart, byte != 0x20, byte != 0x09 {
                if byte == greaterThan { return true }
                lineStart = false
            }
        }
        return false
    }

    private static let greaterThan: UInt8 = 0x3E

    /// Copies the line's leading blanks and skips any quote markers after them, each with one
    /// space after it; returns where the line's text starts.
    private static func afterQuotePrefix(
        _ bytes: [UInt8],
        from start: Int,
        into out: inout [UInt8]
    ) -> Int {
        var index = start
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 { index += 1 }
        guard index < bytes.count, bytes[index] == greaterThan else {
            out.append(contentsOf: bytes[start..<index])
            return index
        }
        // `>` is never the first character of the tools' own lines; a prompt such as
        // `PS C:\>` has text before it, so only the line's first non-blank is a marker.
        while index < bytes.count, bytes[index] == greaterThan {
            index += 1
            if index < bytes.count, bytes[index] == 0x20 {
                // `> > ` nests with a space between the markers.
                if index + 1 < bytes.count, bytes[index + 1] == greaterThan {
                    index += 1
                } else {
                    index += 1
                    break
                }
            }
        }
        return index
    }

    /// The ASCII that stands for the UTF-8 sequence at `index` and the sequence's length; a
    /// nil replacement keeps the sequence as it is.
    private static func replacement(_ bytes: [UInt8], at index: Int) -> ([UInt8]?, Int) {
        let lead = bytes[index]
        let length: Int
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0...0xEF: length = 3
        case 0xF0...0xF4: length = 4
        default: return (nil, 1)
        }
        guard index + length <= bytes.count,
            bytes[(index + 1)..<(index + length)].allSatisfy({ $0 & 0xC0 == 0x80 })
        else { return (nil, 1) }
        var scalar = UInt32(lead) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
        for byte in bytes[(index + 1)..<(index + length)] {
            scalar = scalar << 6 | UInt32(byte & 0x3F)
        }
        return (ascii(for: scalar), length)
    }

    /// What a pasted character was in the tool's output; nil for characters kept as they are.
    static func ascii(for scalar: UInt32) -> [UInt8]? {
        switch scalar {
        case 0x00A0, 0x2000...0x200A, 0x202F, 0x205F, 0x3000:
            return [0x20]
        case 0x200B, 0x2060, 0xFEFF:
            return []
        case 0x2026:
            return [0x2E, 0x2E, 0x2E]
        case 0x2500...0x257F:
            return [boxDrawing(scalar)]
        default:
            return nil
        }
    }

    /// The ASCII line-art character a box-drawing character stands for.
    private static func boxDrawing(_ scalar: UInt32) -> UInt8 {
        switch scalar {
        // Light, heavy, dashed and half horizontal lines.
        case 0x2500, 0x2501, 0x2504, 0x2505, 0x2508, 0x2509, 0x254C, 0x254D, 0x2574, 0x2576,
            0x2578, 0x257A, 0x257C, 0x257E:
            return 0x2D
        // Double horizontal: nvidia-smi's and npu-smi's `=` header underline.
        case 0x2550: return 0x3D
        // Vertical lines, single, heavy, dashed and double.
        case 0x2502, 0x2503, 0x2506, 0x2507, 0x250A, 0x250B, 0x254E, 0x254F, 0x2551, 0x2575,
            0x2577, 0x2579, 0x257B, 0x257D, 0x257F:
            return 0x7C
        // Corners, tees and crosses are the `+` of the ASCII borders.
        default: return 0x2B
        }
    }

    /// `bytes` with each table row that was wrapped onto the next line joined again.
    ///
    /// A row starts and ends with `|`, and no other line of either tool ends with `|`. So a
    /// line after a row that starts with neither `|` nor `+` but ends with `|` is the rest of
    /// that row, broken at a space (in the row's text or in its padding); so is a lone `|`
    /// after a row, unless it ends the text. A row cut by the paste is never glued to the
    /// prompt after it, which does not end with `|`.
    static func unwrapped(_ bytes: [UInt8]) -> [UInt8] {
        let lines = ASCIIBytes.lines(bytes)
        var joins: [Int] = []
        var previousRow = false
        var previousOpen = false
        // A lone `|` closing the text is where a paste was cut, not a wrapped bar.
        let lastLine =
            lines.lastIndex { !ASCIIBytes.trimmed($0, where: isBlank).isEmpty } ?? 0
        for (number, line) in lines.enumerated() {
            let text = ASCIIBytes.trimmed(line, where: isBlank)
            if let first = text.first, text.last == pipe, previousRow,
                (first != pipe && first != plus)
                    || (text.count == 1 && (previousOpen || number < lastLine))
            {
                // The break before this line (just after the previous one) becomes a space.
                joins.append(line.startIndex)
                previousOpen = false
                continue
            }
            previousRow = text.first == pipe && text.count > 1
            previousOpen = previousRow && text.last != pipe
        }
        guard !joins.isEmpty else { return bytes }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var copied = 0
        for start in joins {
            // The line break is one byte (LF or CR) or two (CRLF) right before `start`.
            var end = start - 1
            if end > 0, bytes[end] == 0x0A, bytes[end - 1] == 0x0D { end -= 1 }
            out.append(contentsOf: bytes[copied..<end])
            // A client that breaks at a space keeps it at the line's end (format=flowed) or
            // drops it; either way the row gets one space back, not two.
            if let last = out.last, !isBlank(last) { out.append(0x20) }
            copied = start
        }
        out.append(contentsOf: bytes[copied...])
        return out
    }

    private static let pipe: UInt8 = 0x7C
    private static let plus: UInt8 = 0x2B

    private static func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
}
