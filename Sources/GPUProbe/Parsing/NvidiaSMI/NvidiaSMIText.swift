/// Byte-level helpers the nvidia-smi parsers share.
///
/// The parsers work on UTF-8 bytes rather than `Character`s: grapheme breaking makes
/// `Character` scans of a 10 MB paste slow, and treats `"\r\n"` as one character, which
/// breaks naive line splitting. Everything nvidia-smi prints that we match on is ASCII, so
/// byte comparisons are exact; names are decoded back to `String` only when kept.
enum NvidiaSMIText {
    /// A run of bytes from the input: one line, a cell or a token.
    typealias Bytes = ArraySlice<UInt8>

    /// The input's lines without their `\n`, `\r\n` or lone `\r` breaks, and without a UTF-8
    /// byte-order mark (Windows editors add one to saved CSV files).
    static func lines(_ text: String) -> [Bytes] {
        lines(bytes(text))
    }

    /// The input's UTF-8 bytes without a leading byte-order mark, and with what a paste did
    /// to them undone (``PastedText``).
    static func bytes(_ text: String) -> [UInt8] {
        var bytes = Array(text.utf8)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        return PastedText.unwrapped(PastedText.normalized(bytes))
    }

    /// The lines of `bytes`, split at `\n`, `\r\n` and lone `\r`.
    static func lines(_ bytes: [UInt8]) -> [Bytes] { ASCIIBytes.lines(bytes) }

    /// The longest line (in bytes) the readers split into cells or tokens.
    ///
    /// nvidia-smi's table and message lines are under 200 bytes; a longer line is junk, and
    /// splitting it would allocate a slice per separator.
    static var longestLine: Int { 4096 }

    /// The most GPUs an output is read for: far above the 16 of the largest single hosts, so
    /// a paste of millions of rows (16 MiB) costs megabytes, not gigabytes.
    static var mostGPUs: Int { 1024 }

    /// Whether `byte` is a space or a tab.
    static func isBlank(_ byte: UInt8) -> Bool { byte == space || byte == tab }

    /// `bytes` without leading and trailing spaces, tabs and stray line breaks.
    static func trim(_ bytes: Bytes) -> Bytes { ASCIIBytes.trimmed(bytes, where: isTrimmable) }

    /// The number of leading spaces (a tab counts as four, as terminals show it).
    static func indentation(_ bytes: Bytes) -> Int {
        var width = 0
        for byte in bytes {
            if byte == space {
                width += 1
            } else if byte == tab {
                width += 4
            } else {
                break
            }
        }
        return width
    }

    /// Whether the line has nothing but blanks.
    static func isEmpty(_ bytes: Bytes) -> Bool { trim(bytes).isEmpty }

    /// Whether `bytes` begins with `prefix`.
    static func hasPrefix(_ bytes: Bytes, _ prefix: StaticString) -> Bool {
        prefix.withUTF8Buffer { needle in
            guard needle.count <= bytes.count else { return false }
            var index = bytes.startIndex
            for byte in needle {
                if bytes[index] != byte { return false }
                index += 1
            }
            return true
        }
    }

    /// The first place `needle` occurs in `bytes`.
    ///
    /// A plain scan: needles are short literals, so this stays linear in the line length.
    static func range(of needle: StaticString, in bytes: Bytes) -> Range<Int>? {
        needle.withUTF8Buffer { pattern -> Range<Int>? in
            guard let first = pattern.first, pattern.count <= bytes.count else { return nil }
            let last = bytes.endIndex - pattern.count
            var start = bytes.startIndex
            while start <= last {
                if bytes[start] == first {
                    var offset = 1
                    while offset < pattern.count, bytes[start + offset] == pattern[offset] {
                        offset += 1
                    }
                    if offset == pattern.count { return start..<(start + pattern.count) }
                }
                start += 1
            }
            return nil
        }
    }

    /// Whether `needle` occurs in `bytes`.
    static func contains(_ bytes: Bytes, _ needle: StaticString) -> Bool {
        range(of: needle, in: bytes) != nil
    }

    /// Whether the trimmed bytes equal `literal`.
    static func equals(_ bytes: Bytes, _ literal: StaticString) -> Bool {
        let trimmed = trim(bytes)
        return literal.withUTF8Buffer { trimmed.elementsEqual($0) }
    }

    /// The bytes after the first `label`, if `label` occurs.
    static func after(_ label: StaticString, in bytes: Bytes) -> Bytes? {
        guard let found = range(of: label, in: bytes) else { return nil }
        return bytes[found.upperBound...]
    }

    /// The parts between blanks.
    static func tokens(_ bytes: Bytes) -> [Bytes] {
        var result: [Bytes] = []
        var index = bytes.startIndex
        while index < bytes.endIndex {
            while index < bytes.endIndex, isTrimmable(bytes[index]) { index += 1 }
            let start = index
            while index < bytes.endIndex, !isTrimmable(bytes[index]) { index += 1 }
            if start < index { result.append(bytes[start..<index]) }
        }
        return result
    }

    /// The first token of `bytes`, if any.
    static func firstToken(_ bytes: Bytes) -> Bytes? {
        var index = bytes.startIndex
        while index < bytes.endIndex, isTrimmable(bytes[index]) { index += 1 }
        let start = index
        while index < bytes.endIndex, !isTrimmable(bytes[index]) { index += 1 }
        return start < index ? bytes[start..<index] : nil
    }

    /// The parts between `separator` bytes, empty parts kept.
    static func split(_ bytes: Bytes, on separator: UInt8) -> [Bytes] {
        var result: [Bytes] = []
        var start = bytes.startIndex
        var index = bytes.startIndex
        while index < bytes.endIndex {
            if bytes[index] == separator {
                result.append(bytes[start..<index])
                start = index + 1
            }
            index += 1
        }
        result.append(bytes[start..<bytes.endIndex])
        return result
    }

    /// The trimmed bytes as a `String`, invalid UTF-8 repaired; nil when empty.
    static func string(_ bytes: Bytes) -> String? {
        let trimmed = trim(bytes)
        return trimmed.isEmpty ? nil : String(decoding: trimmed, as: UTF8.self)
    }

    /// A non-negative decimal integer made only of digits (at most 18, so it cannot overflow).
    static func int(_ bytes: Bytes) -> Int? {
        let trimmed = trim(bytes)
        guard !trimmed.isEmpty, trimmed.count <= 18 else { return nil }
        var value = 0
        for byte in trimmed {
            guard isDigit(byte) else { return nil }
            value = value * 10 + Int(byte - zero)
        }
        return value
    }

    /// A memory size in MiB as nvidia-smi prints it; nil for `N/A` and the like.
    ///
    /// Accepts `1917MiB`, `81559 MiB`, `8114` (CSV without units) and `2047MB` (pre-R3xx
    /// tables, where MB already meant MiB).
    static func mebibytes(_ bytes: Bytes) -> Int? {
        let trimmed = trim(bytes)
        var end = trimmed.startIndex
        while end < trimmed.endIndex, isDigit(trimmed[end]) { end += 1 }
        guard end > trimmed.startIndex, let value = int(trimmed[trimmed.startIndex..<end])
        else { return nil }
        let unit = trim(trimmed[end...])
        guard unit.isEmpty || equals(unit, "MiB") || equals(unit, "MB") else { return nil }
        return value
    }

    /// A value that means "unknown": empty, `N/A`, `ERR!`, or any `[...]` note such as
    /// `[N/A]`, `[Not Supported]` or `[Requested functionality has been deprecated]`.
    static func isUnavailable(_ bytes: Bytes) -> Bool {
        let trimmed = trim(bytes)
        if trimmed.isEmpty || equals(trimmed, "N/A") || equals(trimmed, "ERR!")
            || equals(trimmed, "Unknown Error") || equals(trimmed, "Not Supported")
        {
            return true
        }
        return trimmed.first == openBracket && trimmed.last == closeBracket
    }

    /// The value as a string, or nil when it means "unknown".
    static func value(_ bytes: Bytes) -> String? {
        isUnavailable(bytes) ? nil : string(bytes)
    }

    /// A version as printed (`550.54.14`, `595.80`, `13.3`): the first token, kept only when it
    /// is digits and dots, so that `ERR!`, `N/A` and trailing notes give nil.
    static func version(_ bytes: Bytes) -> String? {
        guard let token = firstToken(bytes) else { return nil }
        // Digit runs joined by single dots, as every version nvidia-smi prints is (580.159.04,
        // 13.0, 9.0): `550.`, `1..2` or a 40-digit run is a damaged paste, not a version, and
        // the report must never carry what its schema refuses.
        let runs = token.split(separator: dot, omittingEmptySubsequences: false)
        guard (1...4).contains(runs.count),
            runs.allSatisfy({ (1...6).contains($0.count) && $0.allSatisfy(isDigit) })
        else { return nil }
        return String(decoding: token, as: UTF8.self)
    }

    /// `WDDM`, `TCC` or `MCDM` as printed; nil for Linux's `N/A`, On/Off and anything else.
    static func driverModel(_ bytes: Bytes) -> String? {
        for model: StaticString in ["WDDM", "TCC", "MCDM"] where equals(bytes, model) {
            return model.description
        }
        return nil
    }

    /// `enabled` or `disabled` from a MIG mode as printed; nil for `N/A` and anything else.

    static func migMode(_ bytes: Bytes) -> String? {
        if equals(bytes, "Enabled") { return "enabled" }
        if equals(bytes, "Disabled") { return "disabled" }
        return nil
    }

    /// The 4-digit lower-case device ID from an NVML PCI id such as `0x20B510DE`.
    ///
    /// NVML packs the device ID in the high 16 bits and the vendor (`10DE`) in the low ones.
    /// Only 8-hex-digit values ending in `10DE` are accepted: some captures hold values such
    /// as `000000DE` that would otherwise yield a plausible-looking but wrong ID, and device
    /// IDs `0000`/`ffff` are what a failed config-space read gives, not a chip.
    static func pciDeviceID(_ bytes: Bytes) -> String? {
        var digits = trim(bytes)
        if hasPrefix(digits, "0x") || hasPrefix(digits, "0X") { digits = digits.dropFirst(2) }
        guard digits.count == 8, digits.allSatisfy(isHexDigit) else { return nil }
        let vendor = String(decoding: digits.suffix(4), as: UTF8.self).lowercased()
        let device = String(decoding: digits.prefix(4), as: UTF8.self).lowercased()
        guard vendor == "10de", device != "0000", device != "ffff" else { return nil }
        return device
    }

    /// A PCI address found in `bytes` as nvidia-smi prints it in messages and fields:
    /// `00000000:65:00.0`, `0000:03:00.0:` (trailing punctuation), `GPU0000:3B:00.0` (newer
    /// drivers glue the address to `GPU`) or `PCI:0000:01:00` style prefixes.
    static func pciAddress(in bytes: Bytes) -> PCIAddress? {
        for token in tokens(bytes) {
            var candidate = token
            while let last = candidate.last, last == colon || last == dot || last == comma {
                candidate = candidate.dropLast()
            }
            if hasPrefix(candidate, "GPU") { candidate = candidate.dropFirst(3) }
            if hasPrefix(candidate, "PCI:") { candidate = candidate.dropFirst(4) }
            guard candidate.count <= 16, candidate.contains(colon), candidate.contains(dot)
            else { continue }
            if let address = PCIAddress(String(decoding: candidate, as: UTF8.self)) {
                return address
            }
        }
        return nil
    }

    /// Whether `byte` is an ASCII digit.
    static func isDigit(_ byte: UInt8) -> Bool { ASCIIBytes.isDigit(byte) }

    /// Whether `byte` is an ASCII hex digit.
    static func isHexDigit(_ byte: UInt8) -> Bool { ASCIIBytes.isHexDigit(byte) }

    private static func isTrimmable(_ byte: UInt8) -> Bool {
        byte == space || byte == tab || byte == carriageReturn || byte == lineFeed
    }

    static var space: UInt8 { 0x20 }
    static var tab: UInt8 { 0x09 }
    static var lineFeed: UInt8 { 0x0A }
    static var carriageReturn: UInt8 { 0x0D }
    static var pipe: UInt8 { 0x7C }
    static var plus: UInt8 { 0x2B }
    static var minus: UInt8 { 0x2D }
    static var equalsSign: UInt8 { 0x3D }
    static var colon: UInt8 { 0x3A }
    static var comma: UInt8 { 0x2C }
    static var dot: UInt8 { 0x2E }
    static var slash: UInt8 { 0x2F }
    static var zero: UInt8 { 0x30 }
    static var openBracket: UInt8 { 0x5B }
    static var closeBracket: UInt8 { 0x5D }
}
