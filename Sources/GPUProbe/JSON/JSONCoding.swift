/// gpuprobe's one way in and out of JSON text: every document it writes or reads goes through
/// here.
///
/// Its own small coder rather than Foundation's: FoundationEssentials, linked statically, was
/// 7 MB of the portable binary's 16.8 MB (`make dist`), for JSON alone. Its compact layout is
/// JSONEncoder's byte for byte, its pretty layout the conventional one of `jq -S .` and Python's
/// `json.dumps(indent=2, sort_keys=True)` (`JSONCodingTests`, `JSONLayoutTests`); and it writes
/// a nil Optional as `null` where JSONEncoder leaves the key out, so that no document needs a
/// hand-written `encode(to:)` to write every key its schema requires.
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
        var writer = JSONWriter(pretty: layout == .pretty)
        writer.write(try JSONValueEncoder.encode(value))
        return writer.bytes
    }

    /// Decodes a `T` from UTF-8 JSON text.
    ///
    /// - Throws: `DecodingError`: `.dataCorrupted` at the top level for text that is not JSON
    ///   (saying where and why), the other cases for JSON of the wrong shape, with the path to
    ///   the offending value.
    static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        let value: JSONValue
        do {
            value = try parse(bytes)
        } catch {
            throw DecodingError.dataCorrupted(
                .init(codingPath: [], debugDescription: "not valid JSON (\(error))")
            )
        }
        return try decode(type, from: value)
    }

    /// The JSON value `bytes` hold, for a reader that looks at it (a `schema` field) before
    /// decoding it.
    ///
    /// - Throws: where and why the text is not JSON.
    static func parse(_ bytes: [UInt8]) throws(JSONParser.Failure) -> JSONValue {
        try JSONParser.parse(bytes)
    }

    /// Decodes a `T` from a parsed value.
    ///
    /// - Throws: `DecodingError` as ``decode(_:from:)-([UInt8])`` does for JSON of the wrong
    ///   shape.
    static func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
        try JSONValueDecoder.decode(type, from: value)
    }

    /// The string member `key` of an object; nil for anything else.
    static func string(_ key: String, of value: JSONValue) -> String? {
        guard case .object(let members) = value, case .string(let text)? = members[key] else {
            return nil
        }
        return text
    }

    /// A coding path as people write it: `releases[3].variants[1]`; empty for the top level.
    static func path(_ codingPath: [any CodingKey]) -> String {
        var text = ""
        for key in codingPath {
            if let index = key.intValue {
                text += "[\(index)]"
            } else if isPlainKey(key.stringValue) {
                text += (text.isEmpty ? "" : ".") + key.stringValue
            } else {
                // A key from the document (a member of `install_info`), which may hold
                // anything: quoted, escaped and cut, so that the message stays one line.
                text += "[\(JSONValue.shown(key.stringValue))]"
            }
        }
        return text
    }

    /// A key written bare in a path: letters, digits, `_` and `-`, at most 80 of them.
    private static func isPlainKey(_ key: String) -> Bool {
        !key.isEmpty && key.utf8.count <= JSONValue.shownLimit
            && key.utf8.allSatisfy {
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0)
                    || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0)
                    || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-")
            }
    }
}
