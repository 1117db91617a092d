/// Turns an `Encodable` into a ``JSONValue`` through the standard library's `Encoder`
/// protocol, so the model's `Codable` conformances work unchanged.
enum JSONValueEncoder {
    /// The value `value` encodes to.
    ///
    /// - Throws: `EncodingError.invalidValue` for a non-finite floating-point number, which
    ///   JSON cannot hold.
    static func encode(_ value: some Encodable) throws -> JSONValue {
        let node = Node()
        try value.encode(to: ValueEncoder(node: node, codingPath: []))
        return node.value
    }
}

/// A value being built.
///
/// Containers hand out nodes before their contents are encoded (a nested container is filled
/// after it is returned), hence a class.
private final class Node {
    enum Content {
        /// Nothing encoded yet; an object, as JSONEncoder writes a type that encodes nothing.
        case empty
        case leaf(JSONValue)
        case object([String: Node])
        case array([Node])
    }

    var content = Content.empty

    init(_ content: Content = .empty) { self.content = content }

    var value: JSONValue {
        switch content {
        case .empty: .object([:])
        case .leaf(let value): value
        case .object(let members): .object(members.mapValues(\.value))
        case .array(let elements): .array(elements.map(\.value))
        }
    }

    /// This node's members, making it an object if nothing was encoded into it yet.
    func makeObject(_ codingPath: [any CodingKey]) -> Void {
        switch content {
        case .empty: content = .object([:])
        case .object: break
        default:
            preconditionFailure(
                "\(JSONCoding.path(codingPath)): a keyed container over another kind"
            )
        }
    }

    func makeArray(_ codingPath: [any CodingKey]) -> Void {
        switch content {
        case .empty: content = .array([])
        case .array: break
        default:
            preconditionFailure(
                "\(JSONCoding.path(codingPath)): an unkeyed container over another kind"
            )
        }
    }

    func setMember(_ key: String, _ node: Node) {
        guard case .object(var members) = content else { return }
        content = .empty
        members[key] = node
        content = .object(members)
    }

    func append(_ node: Node) {
        guard case .array(var elements) = content else { return }
        content = .empty
        elements.append(node)
        content = .array(elements)
    }

    var count: Int {
        if case .array(let elements) = content { return elements.count }
        return 0
    }
}

/// The number forms JSONEncoder writes: integers as themselves, floating-point numbers by
/// their shortest round-trip text without a trailing `.0` (`1`, `0.1`, `1e+20`).
private enum NumberText {
    static func of(
        _ value: some BinaryFloatingPoint & LosslessStringConvertible,
        _ path: [any CodingKey]
    )
        throws -> JSONValue
    {
        guard value.isFinite else {
            throw EncodingError.invalidValue(
                value,
                .init(codingPath: path, debugDescription: "\(value) cannot be written as JSON")
            )
        }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        return .number(text)
    }
}

private struct ValueEncoder: Encoder {
    let node: Node
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        node.makeObject(codingPath)
        return KeyedEncodingContainer(KeyedEncoder<Key>(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        node.makeArray(codingPath)
        return UnkeyedEncoder(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleEncoder(node: node, codingPath: codingPath)
    }
}

/// The one place every value goes through: leaves directly, anything else by its own
/// `encode(to:)` into a fresh node.
private func encodeValue(_ value: some Encodable, _ codingPath: [any CodingKey]) throws -> Node {
    switch value {
    case let text as String: return Node(.leaf(.string(text)))
    case let flag as Bool: return Node(.leaf(.bool(flag)))
    case let number as any BinaryInteger: return Node(.leaf(.number(String(number))))
    case let number as Double: return Node(.leaf(try NumberText.of(number, codingPath)))
    case let number as Float: return Node(.leaf(try NumberText.of(number, codingPath)))
    default:
        let node = Node()
        try value.encode(to: ValueEncoder(node: node, codingPath: codingPath))
        return node
    }
}

private struct KeyedEncoder<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: Node
    let codingPath: [any CodingKey]

    mutating func encodeNil(forKey key: Key) throws {
        node.setMember(key.stringValue, Node(.leaf(.null)))
    }

    mutating func encode(_ value: some Encodable, forKey key: Key) throws {
        node.setMember(key.stringValue, try encodeValue(value, codingPath + [key]))
    }

    // Synthesised `Encodable` hands an Optional stored property to `encodeIfPresent`, which
    // by default leaves a nil out. gpuprobe's documents write an unknown value as `null`,
    // never leave its key out (the contracts in Schemas/ require every key), so nil is
    // written as `null` here, for every type, rather than in a hand-written `encode(to:)` per
    // type. The protocol has one requirement per standard type, so each is given.
    private mutating func encodeOptional<T: Encodable>(_ value: T?, _ key: Key) throws {
        guard let value else { return try encodeNil(forKey: key) }
        try encode(value, forKey: key)
    }

    mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws {
        try encodeOptional(value, key)
    }
    mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws {
        try encodeOptional(value, key)
    }
    mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws {
        try encodeOptional(value, key)
    }
    mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws {
        try encodeOptional(value, key)
    }
    mutating func encodeIfPresent(_ value: Float?, forKey key: Key) throws {
        try encodeOptional(value, key)
    }
    mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws {
        try encodeOptional(value, key)
    }
    mutating func encodeIfPresent(_ value: Int8?, forKey key: Key) throws {
        try encodeOptional(value, key)
    }
    mutating func encodeIfPresent(_ value: Int16?, forKey key: Key) throws {
        try encodeOptional(value, key)
    }
    mutating func encodeIfPresent(_ value: Int32?, forKey key: Key) throws {
        try encodeOptional(value, key)
    }
    mutating func encodeIfPresent(_ value: Int64?, forKey key: Key) throws {
        try encodeOptional(value, key)
    }
    mutating func encodeIfPresent(_ value: UInt?, forKey key: Key) throws {
        try encodeOptional(value, key)
    }
    mutating func encodeIfPresent(_ value: UInt8?, forKey key: Key) throws {
        try encodeOptional(value, key)
    }
    mutating func encodeIfPresent(_ value: UInt16?, forKey key: Key) throws {
        try encodeOptional(value, key)
    }
    mutating func encodeIfPresent(_ value: UInt32?, forKey key: Key) throws {
        try encodeOptional(value, key)
    }
    mutating func encodeIfPresent(_ value: UInt64?, forKey key: Key) throws {
        try encodeOptional(value, key)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type,
        forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        let child = Node(.object([:]))
        node.setMember(key.stringValue, child)
        return KeyedEncodingContainer(
            KeyedEncoder<NestedKey>(node: child, codingPath: codingPath + [key])
        )
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let child = Node(.array([]))
        node.setMember(key.stringValue, child)
        return UnkeyedEncoder(node: child, codingPath: codingPath + [key])
    }

    mutating func superEncoder() -> any Encoder { superEncoder(named: "super") }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        superEncoder(named: key.stringValue, key)
    }

    private func superEncoder(named name: String, _ key: (any CodingKey)? = nil) -> any Encoder {
        let child = Node()
        node.setMember(name, child)
        return ValueEncoder(node: child, codingPath: codingPath + [key ?? IndexKey(name)])
    }
}

private struct UnkeyedEncoder: UnkeyedEncodingContainer {
    let node: Node
    let codingPath: [any CodingKey]
    var count: Int { node.count }

    mutating func encodeNil() throws { node.append(Node(.leaf(.null))) }

    mutating func encode(_ value: some Encodable) throws {
        node.append(try encodeValue(value, codingPath + [IndexKey(count)]))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type
    ) -> KeyedEncodingContainer<NestedKey> {
        let child = Node(.object([:]))
        let path = codingPath + [IndexKey(count)]
        node.append(child)
        return KeyedEncodingContainer(KeyedEncoder<NestedKey>(node: child, codingPath: path))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let child = Node(.array([]))
        let path = codingPath + [IndexKey(count)]
        node.append(child)
        return UnkeyedEncoder(node: child, codingPath: path)
    }

    mutating func superEncoder() -> any Encoder {
        let child = Node()
        let path = codingPath + [IndexKey(count)]
        node.append(child)
        return ValueEncoder(node: child, codingPath: path)
    }
}

private struct SingleEncoder: SingleValueEncodingContainer {
    let node: Node
    let codingPath: [any CodingKey]

    mutating func encodeNil() throws { node.content = .leaf(.null) }

    mutating func encode(_ value: some Encodable) throws {
        node.content = try encodeValue(value, codingPath).content
    }
}

/// A coding-path element for a list index or a named super encoder.
struct IndexKey: CodingKey {
    let stringValue: String
    let intValue: Int?

    init(_ index: Int) {
        stringValue = "Index \(index)"
        intValue = index
    }

    init(_ name: String) {
        stringValue = name
        intValue = nil
    }

    init?(stringValue: String) { self.init(stringValue) }
    init?(intValue: Int) { self.init(intValue) }
}
