/// Writes a ``JSONValue`` as UTF-8 text, keys sorted and `/` never escaped.
///
/// Two layouts:
/// - pretty: the conventional layout people read and diff, byte for byte what Python's
///   `json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)` and `jq -S .` write:
///   two-space indents, `"key": value`, `[]` and `{}` for empty containers;
/// - compact: no white space at all, byte for byte what Foundation's `JSONEncoder` writes with
///   `.sortedKeys` and `.withoutEscapingSlashes`.
///
/// Non-ASCII text is written as itself (UTF-8), never as `\u` escapes: hence
/// `ensure_ascii=False` above.
struct JSONWriter {
    /// Two-space indents and `"key": value`, or no white space at all.
    let pretty: Bool
    private(set) var bytes: [UInt8] = []

    init(pretty: Bool) { self.pretty = pretty }

    /// Appends `value`, whose first line is already indented by `depth` levels.
    mutating func write(_ value: JSONValue, depth: Int = 0) {
        switch value {
        case .null: bytes += "null".utf8
        case .bool(let flag): bytes += (flag ? "true" : "false").utf8
        case .number(let text): bytes += text.utf8
        case .string(let text): writeString(text)
        case .array(let elements):
            writeContainer("[", "]", elements, depth) { writer, element in
                writer.write(element, depth: depth + 1)
            }
        case .object(let members):
            // Sorted by UTF-8 bytes, which is code-point order: what JSONEncoder's .sortedKeys
            // and Python's sort_keys give too.
            let sorted = members.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            writeContainer("{", "}", sorted, depth) { writer, member in
                writer.writeString(member.key)
                writer.bytes += (writer.pretty ? ": " : ":").utf8
                writer.write(member.value, depth: depth + 1)
            }
        }
    }

    /// An empty container is `[]` or `{}` in either layout.
    private mutating func writeContainer<Element>(
        _ open: Unicode.Scalar,
        _ close: Unicode.Scalar,
        _ elements: [Element],
        _ depth: Int,
        _ writeElement: (inout JSONWriter, Element) -> Void
    ) {
        bytes.append(UInt8(ascii: open))
        guard !elements.isEmpty else {
            bytes.append(UInt8(ascii: close))
            return
        }
        if pretty { bytes.append(0x0a) }
        for (index, element) in elements.enumerated() {
            if index > 0 { bytes += (pretty ? ",\n" : ",").utf8 }
            indent(depth + 1)
            writeElement(&self, element)
        }
        if pretty {
            bytes.append(0x0a)
            indent(depth)
        }
        bytes.append(UInt8(ascii: close))
    }

    private mutating func indent(_ depth: Int) {
        if pretty { bytes += repeatElement(0x20, count: 2 * depth) }
    }

    /// Quotes `text`: `"` and `\` escaped, control characters as `\n`-style or `\u001b`-style
    /// escapes; everything else, `/` and non-ASCII included, as is.
    private mutating func writeString(_ text: String) {
        bytes.append(0x22)
        // Most strings need no escape: copied whole, not byte by byte.
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5c }) {
            bytes.append(contentsOf: text.utf8)
            bytes.append(0x22)
            return
        }
        for byte in text.utf8 {
            switch byte {
            case 0x22: bytes += #"\""#.utf8
            case 0x5c: bytes += #"\\"#.utf8
            case 0x08: bytes += #"\b"#.utf8
            case 0x09: bytes += #"\t"#.utf8
            case 0x0a: bytes += #"\n"#.utf8
            case 0x0c: bytes += #"\f"#.utf8
            case 0x0d: bytes += #"\r"#.utf8
            case 0x00..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes += #"\u00"#.utf8
                bytes.append(hex[Int(byte >> 4)])
                bytes.append(hex[Int(byte & 0xf)])
            default: bytes.append(byte)
            }
        }
        bytes.append(0x22)
    }
}
