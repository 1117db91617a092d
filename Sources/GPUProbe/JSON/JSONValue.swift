/// A JSON document as a tree: what ``JSONParser`` reads, ``JSONWriter`` writes, and the coders
/// turn into and out of model types.
///
/// A number keeps its text, so that an integer is never rounded through a `Double` and a
/// decoder can tell `1` from `1.5`.
enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    /// The number's JSON text (`-12`, `0.5`, `1e+20`).
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// How messages name the value's kind: `found a list instead`.
    var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "a list"
        case .object: "an object"
        }
    }
}
