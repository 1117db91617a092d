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

extension JSONValue {
    /// The most characters of a value an error message repeats.
    static let shownLimit = 80

    /// A string from a document as a one-line message quotes it: in double quotes, cut to
    /// ``shownLimit`` characters (saying how long it was), with every character that could
    /// break the line or disguise it written as a `\u` escape: controls (newline included),
    /// line and paragraph separators, and format characters such as U+202E, which reverses
    /// the text after it on a terminal.
    static func shown(_ text: String) -> String {
        var result = "\""
        var count = 0
        for scalar in text.unicodeScalars {
            if count == shownLimit {
                let total = text.unicodeScalars.count
                return result + "\"... (\(total) characters)"
            }
            count += 1
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case _ where isHidden(scalar):
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    /// A number's text as a message shows it: whole up to ``shownLimit`` characters, else its
    /// start and how long it is (a number is only ASCII digits, signs, `.` and `e`).
    static func shown(number text: String) -> String {
        guard text.utf8.count > shownLimit else { return text }
        return String(text.prefix(shownLimit / 2)) + "... (\(text.utf8.count) characters)"
    }

    /// A message that may repeat input, as one line of about 300 characters at most: hidden
    /// characters written as `\u` escapes (as ``shown(_:)`` does, without quoting), the rest
    /// cut with `...`.
    static func oneLine(_ text: String) -> String {
        let limit = 300
        guard text.unicodeScalars.count > limit || text.unicodeScalars.contains(where: isHidden)
        else { return text }
        var result = ""
        for scalar in text.unicodeScalars {
            // Counted on what is written: an escape is six characters.
            guard result.unicodeScalars.count < limit else { return result + "..." }
            if isHidden(scalar) {
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// Controls, separators and format characters: what a terminal does not show as itself.
    private static func isHidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate,
            .privateUse, .unassigned:
            true
        default: false
        }
    }
}
