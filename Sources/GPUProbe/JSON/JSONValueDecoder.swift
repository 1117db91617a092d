/// Turns a ``JSONValue`` into a `Decodable` through the standard library's `Decoder` protocol.
///
/// Failures are `DecodingError`s of the kinds Foundation's `JSONDecoder` throws (a missing key,
/// null for a required value, a string where a number belongs), with the path to the value, so
/// the messages built from them read as before.
enum JSONValueDecoder {
    /// The `T` that `value` holds.
    ///
    /// - Throws: `DecodingError` whose description is one bounded line: the standard library's
    ///   own failures repeat input (`Cannot initialize Severity from invalid String value ...`)
    ///   as it is, newlines and all, so they are escaped and cut here.
    static func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
        do {
            return try decodeValue(type, value, [])
        } catch DecodingError.dataCorrupted(let context) {
            throw DecodingError.dataCorrupted(bounded(context))
        } catch DecodingError.typeMismatch(let type, let context) {
            throw DecodingError.typeMismatch(type, bounded(context))
        } catch DecodingError.valueNotFound(let type, let context) {
            throw DecodingError.valueNotFound(type, bounded(context))
        } catch DecodingError.keyNotFound(let key, let context) {
            throw DecodingError.keyNotFound(key, bounded(context))
        }
    }

    private static func bounded(_ context: DecodingError.Context) -> DecodingError.Context {
        .init(
            codingPath: context.codingPath,
            debugDescription: JSONValue.oneLine(context.debugDescription),
            underlyingError: context.underlyingError
        )
    }
}

/// Decodes through the type's own `init(from:)`; leaves reach ``SingleDecoder``.
private func decodeValue<T: Decodable>(
    _ type: T.Type,
    _ value: JSONValue,
    _ codingPath: [any CodingKey]
) throws -> T {
    try T(from: ValueDecoder(value: value, codingPath: codingPath))
}

private struct ValueDecoder: Decoder {
    let value: JSONValue
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let members) = value else {
            throw mismatch([String: Any].self, value, codingPath)
        }
        return KeyedDecodingContainer(KeyedDecoder<Key>(members: members, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let elements) = value else {
            throw mismatch([Any].self, value, codingPath)
        }
        return UnkeyedDecoder(elements: elements, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SingleDecoder(value: value, codingPath: codingPath)
    }
}

/// `found a list instead`-style errors, or `valueNotFound` for null, as JSONDecoder reports.
private func mismatch(_ type: Any.Type, _ value: JSONValue, _ codingPath: [any CodingKey])
    -> DecodingError
{
    if value == .null {
        return .valueNotFound(
            type,
            .init(codingPath: codingPath, debugDescription: "expected \(type), found null")
        )
    }
    return .typeMismatch(
        type,
        .init(codingPath: codingPath, debugDescription: "expected \(type), found \(value.kindName)")
    )
}

private struct KeyedDecoder<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let members: [String: JSONValue]
    let codingPath: [any CodingKey]

    var allKeys: [Key] { members.keys.compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool { members[key.stringValue] != nil }

    private func member(_ key: Key) throws -> JSONValue {
        guard let value = members[key.stringValue] else {
            throw DecodingError.keyNotFound(
                key,
                .init(codingPath: codingPath, debugDescription: "no key '\(key.stringValue)'")
            )
        }
        return value
    }

    func decodeNil(forKey key: Key) throws -> Bool { try member(key) == .null }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try decodeValue(type, try member(key), codingPath + [key])
    }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type,
        forKey key: Key
    ) throws -> KeyedDecodingContainer<NestedKey> {
        try ValueDecoder(value: try member(key), codingPath: codingPath + [key])
            .container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try ValueDecoder(value: try member(key), codingPath: codingPath + [key]).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        ValueDecoder(value: members["super"] ?? .null, codingPath: codingPath + [IndexKey("super")])
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        ValueDecoder(value: members[key.stringValue] ?? .null, codingPath: codingPath + [key])
    }
}

private struct UnkeyedDecoder: UnkeyedDecodingContainer {
    let elements: [JSONValue]
    let codingPath: [any CodingKey]
    private(set) var currentIndex = 0

    init(elements: [JSONValue], codingPath: [any CodingKey]) {
        self.elements = elements
        self.codingPath = codingPath
    }

    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    /// The next element and its path; the index moves on only when decoding it succeeds.
    private func next(_ type: Any.Type) throws -> (JSONValue, [any CodingKey]) {
        let path = codingPath + [IndexKey(currentIndex)]
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(
                type,
                .init(codingPath: path, debugDescription: "the list has no more elements")
            )
        }
        return (elements[currentIndex], path)
    }

    mutating func decodeNil() throws -> Bool {
        let (value, _) = try next(Never.self)
        guard value == .null else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let (value, path) = try next(type)
        let decoded = try decodeValue(type, value, path)
        currentIndex += 1
        return decoded
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type
    ) throws -> KeyedDecodingContainer<NestedKey> {
        let (value, path) = try next(type)
        let container = try ValueDecoder(value: value, codingPath: path).container(keyedBy: type)
        currentIndex += 1
        return container
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let (value, path) = try next([Any].self)
        let container = try ValueDecoder(value: value, codingPath: path).unkeyedContainer()
        currentIndex += 1
        return container
    }

    mutating func superDecoder() throws -> any Decoder {
        let (value, path) = try next(Any.self)
        currentIndex += 1
        return ValueDecoder(value: value, codingPath: path)
    }
}

private struct SingleDecoder: SingleValueDecodingContainer {
    let value: JSONValue
    let codingPath: [any CodingKey]

    func decodeNil() -> Bool { value == .null }

    func decode(_ type: Bool.Type) throws -> Bool {
        guard case .bool(let flag) = value else { throw mismatch(type, value, codingPath) }
        return flag
    }

    func decode(_ type: String.Type) throws -> String {
        guard case .string(let text) = value else { throw mismatch(type, value, codingPath) }
        return text
    }

    func decode(_ type: Double.Type) throws -> Double { try floatingPoint(type) }
    func decode(_ type: Float.Type) throws -> Float { try floatingPoint(type) }
    func decode(_ type: Int.Type) throws -> Int { try integer(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try integer(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try integer(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try integer(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try integer(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try integer(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(type) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try decodeValue(type, value, codingPath)
    }

    /// An integer from its text; `1.0` and `1e2` too, as JSONDecoder reads them, but not a
    /// number with a fraction or one out of range.
    private func integer<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        guard case .number(let text) = value else { throw mismatch(type, value, codingPath) }
        if let exact = T(text) ?? Self.integerText(text).flatMap({ T($0) }) { return exact }
        throw DecodingError.dataCorrupted(
            .init(
                codingPath: codingPath,
                debugDescription:
                    "the number \(JSONValue.shown(number: text)) does not fit in \(type)"
            )
        )
    }

    /// A JSON number with a fraction or exponent as the integer text it equals, if it does.
    ///
    /// Decided on the digits, not through a `Double` (which rounds above 2^53): `1.0` and `1e2`
    /// are `1` and `100`; `1.5` and `1.0000000000000000001` are nil, and so is anything past 40
    /// digits, which no fixed-width integer holds. The exponent is input: `1e9223372036854775807`
    /// must be nil, not an overflow trap, so its arithmetic reports overflow instead.
    static func integerText(_ text: String) -> String? {
        let sign = text.hasPrefix("-") ? "-" : ""
        let unsigned = text.utf8.dropFirst(sign.count)
        let mantissa = unsigned.prefix { $0 != UInt8(ascii: "e") && $0 != UInt8(ascii: "E") }
        let whole = mantissa.prefix { $0 != UInt8(ascii: ".") }
        let digits = Array(whole) + Array(mantissa.dropFirst(whole.count).dropFirst())
        guard !digits.isEmpty, digits.allSatisfy({ (48...57).contains($0) }) else { return nil }
        // Zero times any power of ten is zero, however large the exponent.
        if digits.allSatisfy({ $0 == UInt8(ascii: "0") }) { return "0" }
        var exponent = 0
        if mantissa.count < unsigned.count {
            guard let parsed = Self.exponent(unsigned.dropFirst(mantissa.count + 1)) else {
                return nil
            }
            exponent = parsed
        }
        let (point, overflow) = whole.count.addingReportingOverflow(exponent)
        guard !overflow, point <= 40 else { return nil }
        guard point > 0 else { return nil }
        guard digits.dropFirst(point).allSatisfy({ $0 == UInt8(ascii: "0") }) else { return nil }
        let integer =
            String(decoding: digits.prefix(point), as: UTF8.self)
            + String(repeating: "0", count: max(0, point - digits.count))
        return sign + integer
    }

    /// An exponent's value (`+12`, `-3`, `007`), or nil when it is not digits; one beyond
    /// ±10^9, far past any number a fixed-width integer holds, is clamped there so that summing
    /// it with a digit count cannot overflow.
    private static func exponent(_ text: Substring.UTF8View) -> Int? {
        var digits = text
        var negative = false
        if let first = digits.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") {
            negative = first == UInt8(ascii: "-")
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty else { return nil }
        let limit = 1_000_000_000
        var value = 0
        for byte in digits {
            guard (48...57).contains(byte) else { return nil }
            value = min(limit, value * 10 + Int(byte - 48))
        }
        return negative ? -value : value
    }

    private func floatingPoint<T: BinaryFloatingPoint & LosslessStringConvertible>(
        _ type: T.Type
    ) throws -> T {
        guard case .number(let text) = value else { throw mismatch(type, value, codingPath) }
        guard let number = T(text), number.isFinite else {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: codingPath,
                    debugDescription:
                        "the number \(JSONValue.shown(number: text)) does not fit in \(type)"
                )
            )
        }
        return number
    }
}
