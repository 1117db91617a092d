import FoundationEssentials

/// gpuprobe's one way in and out of JSON text: every document it writes or reads goes through
/// here, so that the coder behind it can change in one place.
enum JSONCoding {
    /// How encoded text is laid out.
    ///
    /// Keys are always sorted and `/` never escaped, so the same value always gives the same
    /// bytes.
    enum Layout {
        /// Two-space indents, one member per line: documents people read and diff.
        case pretty
        /// No white space: caches only gpuprobe reads.
        case compact
    }

    /// Encodes `value` as UTF-8 JSON text, with no trailing newline.
    ///
    /// - Throws: `EncodingError` for a value JSON cannot hold (a non-finite double).
    static func encode(_ value: some Encodable, layout: Layout) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting =
            layout == .pretty
            ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            : [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(value))
    }

    /// Decodes a `T` from UTF-8 JSON text.
    ///
    /// - Throws: `DecodingError`: `.dataCorrupted` at the top level for text that is not JSON,
    ///   the other cases for JSON of the wrong shape, with the path to the offending value.
    static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        try JSONDecoder().decode(type, from: Data(bytes))
    }

    /// A coding path as people write it: `releases[3].variants[1]`; empty for the top level.
    static func path(_ codingPath: [any CodingKey]) -> String {
        var text = ""
        for key in codingPath {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += (text.isEmpty ? "" : ".") + key.stringValue
            }
        }
        return text
    }
}
