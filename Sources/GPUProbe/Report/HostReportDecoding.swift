/// Reads host reports (`gpuprobe/host/v1` JSON) back into a ``HostReport``: what `match`,
/// `check`, `run-flags` and the other commands that take `--host` do with `gpuprobe probe`'s
/// output.
///
/// The JSON itself is read by gpuprobe's own coder (`JSON/`); here the document is checked to be
/// a host report of this version, decoded, and held to the schema's patterns and minimums.
public enum HostReportDecoding {
    /// Decodes a host report written by this or another v1 gpuprobe.
    ///
    /// - Parameter bytes: the JSON document.
    /// - Returns: the report.
    /// - Throws: ``ReportError`` for JSON that is not a v1 host report.
    public static func decode(_ bytes: [UInt8]) throws(ReportError) -> HostReport {
        let value: JSONValue
        do {
            value = try JSONCoding.parse(bytes)
        } catch {
            throw .notValidJSON(error.description)
        }
        guard case .object = value else { throw .notJSON }
        let schema = JSONCoding.string("schema", of: value)
        guard schema == HostReport.currentSchema else { throw .unsupportedSchema(schema) }
        let report: HostReport
        do {
            report = try JSONCoding.decode(HostReport.self, from: value)
        } catch let error as DecodingError {
            throw .invalid(oneLine(error))
        } catch {
            throw .invalid(JSONValue.shown(String(describing: error)))
        }
        // The types hold what the schema's patterns, enums and minimums refuse; a value read
        // as unknown instead would change the plan without a word.
        if let violation = report.firstViolation() { throw .invalid(violation.description) }
        return report
    }

    /// A decoding failure as one line: where in the document, and what was wrong there.
    static func oneLine(_ error: DecodingError) -> String {
        func place(_ path: [any CodingKey]) -> String {
            let text = JSONCoding.path(path)
            return text.isEmpty ? "the top level" : "'\(text)'"
        }
        switch error {
        case .keyNotFound(let key, let context):
            let parent = context.codingPath.isEmpty ? "the top level" : place(context.codingPath)
            return "key '\(key.stringValue)' is missing at \(parent)"
        case .typeMismatch(let type, let context):
            return "\(place(context.codingPath)) is not a \(typeName(type))"
        case .valueNotFound(let type, let context):
            return "\(place(context.codingPath)) is null, expected a \(typeName(type))"
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return context.debugDescription
        case .dataCorrupted(let context):
            return "\(place(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "it cannot be decoded"
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "string"
        case is Int.Type, is Double.Type: "number"
        case is Bool.Type: "boolean"
        default:
            String(describing: type).hasPrefix("Array") ? "list" : "\(type)"
        }
    }
}

/// Why a host JSON document could not be read.
public enum ReportError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Not JSON text: where and why (`line 3, column 7: expected ',' or '}'`).
    case notValidJSON(String)
    /// JSON, but not an object.
    case notJSON
    /// A schema this build does not read (or none).
    case unsupportedSchema(String?)
    /// The right schema, but a field is missing or of the wrong type.
    case invalid(String)

    /// One line: what is wrong and what to do.
    public var description: String {
        switch self {
        case .notValidJSON(let reason):
            "the host document is not valid JSON (\(reason)); pass the output of `gpuprobe probe`"
        case .notJSON:
            "the host document is not a JSON object; pass the output of `gpuprobe probe`"
        case .unsupportedSchema(let schema?) where !Self.isPlain(schema):
            // Anything else is repeated escaped and cut: the message must stay one line.
            "the host document has schema \(JSONValue.shown(schema)), which is not a gpuprobe "
                + "host report ('\(HostReport.currentSchema)'); pass the output of `gpuprobe probe`"
        case .unsupportedSchema(let schema?):
            if let version = Self.hostSchemaVersion(schema),
                let current = Self.hostSchemaVersion(HostReport.currentSchema), version > current
            {
                "the host document has schema '\(schema)', newer than the "
                    + "'\(HostReport.currentSchema)' this gpuprobe \(GPUProbeVersion.current) reads; "
                    + "update gpuprobe here, or probe the host with this version"
            } else if Self.hostSchemaVersion(schema) != nil {
                "the host document has schema '\(schema)', this gpuprobe reads "
                    + "'\(HostReport.currentSchema)'; probe the host again with this gpuprobe"
            } else {
                "the host document has schema '\(schema)', which is not a gpuprobe host report "
                    + "('\(HostReport.currentSchema)'); pass the output of `gpuprobe probe`"
            }
        case .unsupportedSchema(nil):
            "the host document has no 'schema' field; pass the output of `gpuprobe probe`"
        case .invalid(let reason):
            "the host document does not follow \(HostReport.currentSchema): \(reason)"
        }
    }
}

extension ReportError {
    /// A schema name short and printable enough to repeat as it is, in single quotes.
    static func isPlain(_ schema: String) -> Bool {
        schema.utf8.count <= 80
            && schema.utf8.allSatisfy { (0x21...0x7e).contains($0) && $0 != 0x27 }
    }

    /// N of `gpuprobe/host/vN`; nil for any other schema.
    static func hostSchemaVersion(_ schema: String) -> Int? {
        let prefix = "gpuprobe/host/v"
        guard schema.hasPrefix(prefix) else { return nil }
        return Int(schema.dropFirst(prefix.count))
    }
}
