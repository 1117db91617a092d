/// Reads UTF-8 JSON text (RFC 8259) into a ``JSONValue``.
///
/// Stricter than Foundation's `JSONDecoder`, which it replaced: a trailing comma or a key
/// given twice is an error rather than read one way or the other, because a host document
/// that says two things is not one to plan a build from. A UTF-8 byte order mark is skipped.
struct JSONParser {
    /// Deeper nesting is refused rather than recursed into: no document of ours comes near it,
    /// and a hostile one must not exhaust the stack.
    static let depthLimit = 512

    /// What is wrong with the text and where: `line 3, column 7: expected ',' or '}'`.
    struct Failure: Error, CustomStringConvertible {
        let line: Int
        let column: Int
        let reason: String

        var description: String { "line \(line), column \(column): \(reason)" }
    }

    /// More values than this are refused rather than built.
    ///
    /// A parsed value costs 30 to 200 bytes however short its text, so 16 MiB of `[0,0,...]` or `[{"a":0},...]` was a tree of
    /// 250 to 400 MB. gpuprobe's largest documents hold under 10,000 values.
    static let valueLimit = 1 << 19

    private let bytes: [UInt8]
    private var index = 0
    private var values = 0

    private init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// The value `bytes` hold: exactly one, with only white space around it.
    static func parse(_ bytes: [UInt8]) throws(Failure) -> JSONValue {
        var parser = JSONParser(bytes)
        if bytes.starts(with: [0xef, 0xbb, 0xbf]) { parser.index = 3 }
        let value = try parser.value(depth: 0)
        parser.skipSpace()
        guard parser.index == bytes.count else {
            throw parser.failure("unexpected text after the document")
        }
        return value
    }

    private mutating func value(depth: Int) throws(Failure) -> JSONValue {
        values += 1
        guard values <= Self.valueLimit else {
            throw failure(
                "more than \(Self.valueLimit) values, far more than a gpuprobe document holds"
            )
        }
        skipSpace()
        guard index < bytes.count else { throw failure("expected a value, found the end") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object(depth: depth + 1)
        case UInt8(ascii: "["): return try array(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
        case UInt8(ascii: "t"): return try literal("true", .bool(true))
        case UInt8(ascii: "f"): return try literal("false", .bool(false))
        case UInt8(ascii: "n"): return try literal("null", .null)
        default: throw failure("expected a value")
        }
    }

    private mutating func object(depth: Int) throws(Failure) -> JSONValue {
        guard depth <= Self.depthLimit else {
            throw failure("nested deeper than \(Self.depthLimit)")
        }
        index += 1
        var members: [String: JSONValue] = [:]
        skipSpace()
        if consume("}") { return .object(members) }
        while true {
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                throw failure("expected a key in quotes")
            }
            let keyStart = index
            let key = try string()
            skipSpace()
            guard consume(":") else { throw failure("expected ':' after the key") }
            let member = try value(depth: depth)
            if let found = members.index(forKey: key) {
                let earlier = members[found].key
                index = keyStart
                // Swift's String equality is Unicode canonical equivalence: "é" and "e\u{301}"
                // are one key to it, though two to RFC 8259; say which case this is.
                let forms = earlier.utf8.elementsEqual(key.utf8) ? "" : " (in two Unicode forms)"
                throw failure("the key \(Self.quoted(key)) is given twice\(forms)")
            }
            members[key] = member
            skipSpace()
            if consume(",") { continue }
            guard consume("}") else { throw failure("expected ',' or '}'") }
            return .object(members)
        }
    }

    private mutating func array(depth: Int) throws(Failure) -> JSONValue {
        guard depth <= Self.depthLimit else {
            throw failure("nested deeper than \(Self.depthLimit)")
        }
        index += 1
        var elements: [JSONValue] = []
        skipSpace()
        if consume("]") { return .array(elements) }
        while true {
            elements.append(try value(depth: depth))
            skipSpace()
            if consume(",") { continue }
            guard consume("]") else { throw failure("expected ',' or ']'") }
            return .array(elements)
        }
    }

    /// A quoted string; `index` is at the opening quote.
    private mutating func string() throws(Failure) -> String {
        let opening = index
        index += 1
        var text: [UInt8] = []
        var runStart = index
        while true {
            guard index < bytes.count else { throw failure("the string is not closed") }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") { break }
            if byte < 0x20 { throw failure("a control character inside a string must be escaped") }
            guard byte == UInt8(ascii: "\\") else {
                index += 1
                continue
            }
            text += bytes[runStart..<index]
            try escape(into: &text)
            runStart = index
        }
        text += bytes[runStart..<index]
        guard let string = String(validating: text, as: UTF8.self) else {
            index = opening
            throw invalidUTF8(from: opening + 1)
        }
        index += 1
        return string
    }

    /// One escape sequence; `index` is at its backslash.
    private mutating func escape(into text: inout [UInt8]) throws(Failure) {
        index += 1
        guard index < bytes.count else { throw failure("the string is not closed") }
        let letter = bytes[index]
        index += 1
        switch letter {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): text.append(letter)
        case UInt8(ascii: "b"): text.append(0x08)
        case UInt8(ascii: "f"): text.append(0x0c)
        case UInt8(ascii: "n"): text.append(0x0a)
        case UInt8(ascii: "r"): text.append(0x0d)
        case UInt8(ascii: "t"): text.append(0x09)
        case UInt8(ascii: "u"):
            var code = try hex4()
            if (0xd800..<0xdc00).contains(code) {
                guard consume("\\"), consume("u") else { throw failure("a lone UTF-16 surrogate") }
                let low = try hex4()
                guard (0xdc00..<0xe000).contains(low) else {
                    throw failure("a lone UTF-16 surrogate")
                }
                code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00)
            }
            guard let scalar = Unicode.Scalar(code) else {
                throw failure("a lone UTF-16 surrogate")
            }
            text += String(Character(scalar)).utf8
        default:
            index -= 1
            guard (0x21...0x7e).contains(letter) else {
                throw failure(
                    "a backslash before the byte \(Self.hex(letter)) is not a JSON escape"
                )
            }
            throw failure("'\\\(Character(Unicode.Scalar(letter)))' is not a JSON escape")
        }
    }

    private mutating func hex4() throws(Failure) -> UInt32 {
        var code: UInt32 = 0
        for _ in 0..<4 {
            guard index < bytes.count, let digit = Self.hexValue(bytes[index]) else {
                throw failure("expected four hex digits after '\\u'")
            }
            code = code << 4 | UInt32(digit)
            index += 1
        }
        return code
    }

    /// A number's text, checked against JSON's grammar (no `+1`, `01`, `.5`, `1.`, `NaN`).
    private mutating func number() throws(Failure) -> String {
        let start = index
        _ = consume("-")
        if consume("0") {
            // A leading zero stands alone.
        } else if !digits() {
            throw failure("expected a digit")
        }
        if consume("."), !digits() { throw failure("expected a digit after '.'") }
        if consume("e") || consume("E") {
            if !consume("+") { _ = consume("-") }
            guard digits() else { throw failure("expected a digit in the exponent") }
        }
        if index < bytes.count, Self.isDigit(bytes[index]) {
            throw failure("a number cannot start with 0")
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    /// Skips digits; whether there was one.
    private mutating func digits() -> Bool {
        let start = index
        while index < bytes.count, Self.isDigit(bytes[index]) { index += 1 }
        return index > start
    }

    private mutating func literal(_ word: String, _ value: JSONValue) throws(Failure) -> JSONValue {
        guard bytes[index...].starts(with: word.utf8) else { throw failure("expected a value") }
        index += word.utf8.count
        return value
    }

    private mutating func consume(_ character: Unicode.Scalar) -> Bool {
        guard index < bytes.count, bytes[index] == UInt8(ascii: character) else { return false }
        index += 1
        return true
    }

    private mutating func skipSpace() {
        while index < bytes.count, [0x20, 0x09, 0x0a, 0x0d].contains(bytes[index]) { index += 1 }
    }

    /// The failure for a string whose raw bytes, from `start`, are not UTF-8: placed at the
    /// first byte that is not, and naming it (`0xff`), as RFC 8259 wants UTF-8 and a byte
    /// repaired to U+FFFD would change the value without a word.
    private mutating func invalidUTF8(from start: Int) -> Failure {
        var position = start
        while position < bytes.count, bytes[position] != UInt8(ascii: "\"") {
            let byte = bytes[position]
            guard byte >= 0x80 else {
                position += byte == UInt8(ascii: "\\") ? 2 : 1
                continue
            }
            let length = Self.sequenceLength(bytes[position...])
            guard length > 0 else { break }
            position += length
        }
        index = min(position, bytes.count)
        let found = index < bytes.count ? bytes[index] : 0
        return failure(
            "the byte \(Self.hex(found)) is not valid UTF-8 here; save the file as UTF-8"
        )
    }

    /// `0x0a`.
    private static func hex(_ byte: UInt8) -> String {
        let digits = String(byte, radix: 16)
        return "0x" + (digits.count == 1 ? "0" : "") + digits
    }

    /// The length of the valid UTF-8 sequence `bytes` start with; 0 when they start with none.
    private static func sequenceLength(_ bytes: ArraySlice<UInt8>) -> Int {
        var iterator = bytes.makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        switch parser.parseScalar(from: &iterator) {
        case .valid(let encoded): return encoded.count
        case .error, .emptyInput: return 0
        }
    }

    /// A failure at `index`, counted in lines and bytes from 1.
    private func failure(_ reason: String) -> Failure {
        let upTo = bytes[..<min(index, bytes.count)]
        let line = 1 + upTo.count(where: { $0 == 0x0a })
        let lineStart = upTo.lastIndex(of: 0x0a).map { $0 + 1 } ?? 0
        return Failure(line: line, column: upTo.count - lineStart + 1, reason: reason)
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// A key as messages show it: quoted, hidden characters escaped, cut when long.
    static func quoted(_ key: String) -> String { JSONValue.shown(key) }
}
