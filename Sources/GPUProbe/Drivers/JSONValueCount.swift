/// Counts the values in JSON text without parsing it, so that a reader can refuse a document
/// whose parsed tree would be too large before building it.
///
/// A parsed value costs tens of bytes however short its text: `[0,0,0,...]` of 16 MiB is eight
/// million values and hundreds of megabytes as a tree. The count is of the bytes `{`, `[`, `:`
/// and `,` outside strings, which is, within one, the number of values and keys; the text is
/// not checked (the parser does that afterwards).
enum JSONValueCount {
    /// The count for `bytes`, or a number above `limit` as soon as it passes it.
    static func count(_ bytes: [UInt8], stoppingAfter limit: Int) -> Int {
        var count = 0
        var inString = false
        var escaped = false
        for byte in bytes {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == 0x5C {  // "\"
                    escaped = true
                } else if byte == 0x22 {  // '"'
                    inString = false
                }
                continue
            }
            switch byte {
            case 0x22:
                inString = true
            case 0x7B, 0x5B, 0x3A, 0x2C:  // "{", "[", ":", ","
                count += 1
                if count > limit { return count }
            default:
                continue
            }
        }
        return count
    }
}
