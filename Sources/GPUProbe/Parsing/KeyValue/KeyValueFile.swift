/// Reads `key=value` files: `/usr/local/Ascend/driver/version.info`, `/etc/ascend_install.info`
/// and `/etc/os-release`.
///
/// One assignment per line; blank lines and lines starting with `#` are skipped, and so is
/// any line without `=` or with a key that has blanks inside. Values that start with a quote
/// are unquoted the way os-release(5) describes (shell-like: double quotes take backslash
/// escapes, single quotes none); unquoted values are kept exactly as written, less the blanks
/// around them and a trailing ` # comment`, because Ascend's version strings must come out
/// byte for byte.
public enum KeyValueFile {
    /// The assignments of `text` in file order, duplicates included.
    ///
    /// - Parameter text: The file's contents; LF, CRLF and CR line breaks are all accepted.
    /// - Returns: Key/value pairs in the order the file lists them.
    public static func parse(_ text: String) -> [(key: String, value: String)] {
        ASCIIBytes.lines(Array(text.utf8)).compactMap(assignment)
    }

    /// The assignments of `text` as a dictionary; a key set twice keeps its later value, as a
    /// shell sourcing the file would.
    ///
    /// - Parameter text: The file's contents.
    /// - Returns: Each key with its last value.
    public static func dictionary(_ text: String) -> [String: String] {
        var values: [String: String] = [:]
        for pair in parse(text) { values[pair.key] = pair.value }
        return values
    }

    /// One `key=value` line, or nil for a blank, comment or malformed line.
    static func assignment(_ line: ArraySlice<UInt8>) -> (key: String, value: String)? {
        let text = trimmed(line)
        guard let first = text.first, first != hash,
            let equals = text.firstIndex(of: 0x3D)
        else { return nil }
        var key = trimmed(text[..<equals])
        // A file meant to be sourced may say `export KEY=value`.
        if key.starts(with: Array("export".utf8)), key.count > 6, isBlank(key[key.startIndex + 6]) {
            key = trimmed(key.dropFirst(6))
        }
        guard !key.isEmpty, !key.contains(where: isBlank) else { return nil }
        let raw = trimmed(text[(equals + 1)...])
        let value: [UInt8]
        if let quote = raw.first, quote == doubleQuote || quote == singleQuote {
            value = unquoted(raw)
        } else {
            value = Array(withoutComment(raw))
        }
        return (String(decoding: key, as: UTF8.self), String(decoding: value, as: UTF8.self))
    }

    /// A shell word: quoted parts lose their quotes, `\"` `\\` `\$` `` \` `` in double quotes
    /// and any `\x` outside quotes lose the backslash; an unquoted blank ends the word.
    ///
    /// An unterminated quote runs to the end of the line rather than failing: a value is more
    /// use than nothing.
    static func unquoted(_ raw: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        var quote: UInt8?
        var index = raw.startIndex
        while index < raw.endIndex {
            let byte = raw[index]
            let next = index + 1 < raw.endIndex ? raw[index + 1] : nil
            if let open = quote {
                if byte == open {
                    quote = nil
                } else if open == doubleQuote, byte == backslash, let next,
                    [doubleQuote, backslash, 0x24, 0x60].contains(next)
                {
                    out.append(next)
                    index += 1
                } else {
                    out.append(byte)
                }
            } else if byte == doubleQuote || byte == singleQuote {
                quote = byte
            } else if isBlank(byte) {
                break
            } else if byte == backslash, let next {
                out.append(next)
                index += 1
            } else {
                out.append(byte)
            }
            index += 1
        }
        return out
    }

    /// `value # note` without ` # note`: a `#` starts a comment only after a blank, so
    /// `a#b` stays whole.
    static func withoutComment(_ raw: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var index = raw.startIndex
        while index < raw.endIndex {
            if raw[index] == hash, index > raw.startIndex, isBlank(raw[index - 1]) {
                return trimmed(raw[..<index])
            }
            index += 1
        }
        return raw
    }

    static let hash: UInt8 = 0x23
    static let doubleQuote: UInt8 = 0x22
    static let singleQuote: UInt8 = 0x27
    static let backslash: UInt8 = 0x5C

    static func isBlank(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0B || byte == 0x0C
    }

    static func trimmed(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        ASCIIBytes.trimmed(bytes, where: isBlank)
    }
}
