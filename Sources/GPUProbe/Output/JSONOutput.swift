/// Renders documents as pretty JSON with sorted keys: stable output that diffs well.
public enum JSONOutput {
    /// Encodes `value`; the text ends with a newline.
    ///
    /// - Parameter value: any of the model's documents.
    /// - Returns: UTF-8 JSON text.
    public static func render(_ value: some Encodable) -> String {
        // The model holds only strings, numbers, booleans and finite doubles; encoding cannot fail.
        guard let data = try? JSONCoding.encode(value, layout: .pretty) else {
            preconditionFailure("the host model failed to encode as JSON")
        }
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// Decodes a host report written by this or another v1 gpuprobe.
    ///
    /// - Parameter bytes: the JSON document.
    /// - Returns: the report.
    /// - Throws: ``ReportError`` for JSON that is not a v1 host report.
    public static func decodeHostReport(_ bytes: [UInt8]) throws(ReportError) -> HostReport {
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

/// A section `gpuprobe parse` prints, with the closed list of forms its tool's output is
/// recognised as.
public protocol ParsedSection: Encodable {
    /// The recognised forms, written as `format` by their raw values.
    associatedtype Format: RawRepresentable<String>
}

extension NvidiaSection: ParsedSection {
    /// nvidia-smi's forms.
    public typealias Format = NvidiaSMIFormat
}

extension AscendSection: ParsedSection {
    /// npu-smi's forms.
    public typealias Format = NPUSMIFormat
}

/// What `gpuprobe parse` prints: a section's keys, its `format` and its own diagnostics.
public struct ParseOutput<Section: ParsedSection>: Encodable {
    /// The recognised form (`table`, `xml`, `info`...).
    public var format: Section.Format
    /// The section, whose keys are written at the top level.
    public var section: Section
    /// What the parser noticed.
    public var diagnostics: [Diagnostic]

    /// Creates an output document.
    public init(format: Section.Format, section: Section, diagnostics: [Diagnostic]) {
        self.format = format
        self.section = section
        self.diagnostics = diagnostics
    }

    private enum Keys: String, CodingKey { case format, diagnostics }

    /// Writes the section's keys, then `format` and `diagnostics` beside them.
    public func encode(to encoder: any Encoder) throws {
        try section.encode(to: encoder)
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(format.rawValue, forKey: .format)
        try c.encode(diagnostics, forKey: .diagnostics)
    }
}

/// The `lspci` section: the devices and the accelerators recognised among them.
public struct LspciSection: Encodable {
    /// Every device read.
    public var pciDevices: [PCIDevice]
    /// GPUs and NPUs among them.
    public var accelerators: [Accelerator]

    /// Creates a section.
    public init(pciDevices: [PCIDevice], accelerators: [Accelerator]) {
        self.pciDevices = pciDevices
        self.accelerators = accelerators
    }

    private enum CodingKeys: String, CodingKey {
        case accelerators
        case pciDevices = "pci_devices"
    }
}

extension LspciSection: ParsedSection {
    /// The forms `parse lspci` reads: the text forms ``LspciTextParser`` tells apart, and
    /// libpci's hex dump (`lspci -x`), which ``LspciReader`` reads through libpci.
    public enum Format: String, Hashable, Sendable, Codable, CaseIterable {
        /// ``LspciFormat/nn``.
        case nn
        /// ``LspciFormat/plain``.
        case plain
        /// ``LspciFormat/verbose``.
        case verbose
        /// ``LspciFormat/machine``.
        case machine
        /// ``LspciFormat/tree``.
        case tree
        /// ``LspciFormat/unknown``.
        case unknown
        /// `lspci -x`, `-xxx` or `-xxxx`: config space in hex, read by libpci's dump method.
        case dump

        /// The text parser's form.
        init(_ text: LspciFormat) {
            switch text {
            case .nn: self = .nn
            case .plain: self = .plain
            case .verbose: self = .verbose
            case .machine: self = .machine
            case .tree: self = .tree
            case .unknown: self = .unknown
            }
        }
    }
}

extension NvidiaSMIParseResult {
    /// The document `gpuprobe parse nvidia-smi` prints.
    public var output: ParseOutput<NvidiaSection> {
        ParseOutput(format: format, section: section, diagnostics: diagnostics)
    }
}

extension NPUSMIParseResult {
    /// The document `gpuprobe parse npu-smi` prints.
    public var output: ParseOutput<AscendSection> {
        ParseOutput(format: format, section: section, diagnostics: diagnostics)
    }
}
