import Foundation

/// A JSON Schema validator for the subset of keywords our schemas use.
///
/// The keywords: `type`, `properties`, `required`, `additionalProperties`, `items`,
/// `minItems`, `enum`, `const`, `pattern`, `minimum`, `oneOf` and local `$ref`s. Enough to
/// prove that what we emit is what `Schemas/` promises, with no tool from outside the
/// toolchain.
struct SchemaValidator {
    let root: [String: Any]

    /// Loads a schema file from the repository's `Schemas/` folder.
    init(file: String) throws {
        let url = Fixtures.root.deletingLastPathComponent().appendingPathComponent(
            "Schemas/\(file)"
        )
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url))
        root = object as? [String: Any] ?? [:]
    }

    /// Every violation in `json`, as `path: problem`; empty when valid.
    func validate(_ json: Data) throws -> [String] {
        let value = try JSONSerialization.jsonObject(with: json, options: [.fragmentsAllowed])
        var problems: [String] = []
        check(value, against: root, at: "$", &problems)
        return problems
    }

    private func resolve(_ schema: [String: Any]) -> [String: Any] {
        guard let ref = schema["$ref"] as? String, ref.hasPrefix("#/$defs/") else { return schema }
        let name = String(ref.dropFirst("#/$defs/".count))
        return (root["$defs"] as? [String: Any])?[name] as? [String: Any] ?? [:]
    }

    private func typeName(_ value: Any) -> String {
        switch value {
        case is NSNull: return "null"
        case let number as NSNumber:
            // JSONSerialization makes booleans NSNumbers of type char ("c"); integers are "q".
            if String(cString: number.objCType) == "c" { return "boolean" }
            return number.doubleValue == number.doubleValue.rounded() ? "integer" : "number"
        case is String: return "string"
        case is [Any]: return "array"
        case is [String: Any]: return "object"
        default: return "unknown"
        }
    }

    private func check(
        _ value: Any,
        against raw: [String: Any],
        at path: String,
        _ problems: inout [String]
    ) {
        let schema = resolve(raw)
        if let options = schema["oneOf"] as? [[String: Any]] {
            let matching = options.filter { option in
                var sub: [String] = []
                check(value, against: option, at: path, &sub)
                return sub.isEmpty
            }
            if matching.count != 1 {
                problems.append("\(path): matches \(matching.count) of oneOf")
            }
            return
        }
        if let expected = schema["const"] as? String, value as? String != expected {
            problems.append("\(path): expected const \(expected)")
        }
        if let types = schema["type"] {
            let allowed = (types as? [String]) ?? [types as? String ?? ""]
            let actual = typeName(value)
            let ok = allowed.contains(actual) || (actual == "integer" && allowed.contains("number"))
            if !ok {
                problems.append("\(path): \(actual) is not \(allowed)")
                return
            }
        }
        if let choices = schema["enum"] as? [Any] {
            let found = choices.contains { choice in
                (choice is NSNull && value is NSNull)
                    || (choice as? String).map { $0 == value as? String } ?? false
            }
            if !found { problems.append("\(path): \(value) is not one of \(choices)") }
        }
        if let pattern = schema["pattern"] as? String, let text = value as? String {
            if text.range(of: pattern, options: .regularExpression) == nil {
                problems.append("\(path): '\(text)' does not match \(pattern)")
            }
        }
        if let minimum = schema["minimum"] as? Double, let number = value as? NSNumber,
            !(value is NSNull)
        {
            if number.doubleValue < minimum { problems.append("\(path): \(number) < \(minimum)") }
        }
        if let object = value as? [String: Any] {
            let properties = schema["properties"] as? [String: Any] ?? [:]
            for key in schema["required"] as? [String] ?? [] where object[key] == nil {
                problems.append("\(path): missing required key '\(key)'")
            }
            for (key, item) in object {
                if let sub = properties[key] as? [String: Any] {
                    check(item, against: sub, at: "\(path).\(key)", &problems)
                } else if let extra = schema["additionalProperties"] as? [String: Any] {
                    check(item, against: extra, at: "\(path).\(key)", &problems)
                } else if schema["additionalProperties"] as? Bool == false {
                    problems.append("\(path): key '\(key)' is not in the schema")
                }
            }
        }
        if let array = value as? [Any], let minimum = schema["minItems"] as? Int,
            array.count < minimum
        {
            problems.append("\(path): \(array.count) items, fewer than \(minimum)")
        }
        if let array = value as? [Any], let items = schema["items"] as? [String: Any] {
            for (index, item) in array.enumerated() {
                check(item, against: items, at: "\(path)[\(index)]", &problems)
            }
        }
    }
}
