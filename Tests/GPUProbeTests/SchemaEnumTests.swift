import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

/// Each closed list gpuprobe writes is an enum in code and an `enum` in its schema; the two
/// must hold the same values, so that a value added on one side only fails here rather than
/// in a consumer that validates against the schema.
@Suite struct SchemaEnumTests {
    /// One enum and where its schema lists the values: the file in `Schemas/` and the key path
    /// to the property whose `enum` it is.
    struct Pair: Sendable, CustomTestStringConvertible {
        let schema: String
        let path: [String]
        let cases: [String]
        var testDescription: String { "\(schema) \(path.joined(separator: "."))" }

        init<E: CaseIterable & RawRepresentable<String>>(
            _ type: E.Type,
            _ schema: String,
            _ path: String
        ) {
            self.schema = schema
            self.path = path.split(separator: ".").map(String.init)
            cases = type.allCases.map(\.rawValue)
        }
    }

    static let pairs: [Pair] = [
        Pair(Finding.Kind.self, "check-v1", "$defs.finding.properties.kind"),
        Pair(Finding.Severity.self, "check-v1", "$defs.finding.properties.severity"),
        Pair(Diagnostic.Source.self, "host-v1", "$defs.diagnostic.properties.source"),
        Pair(Diagnostic.Severity.self, "host-v1", "$defs.diagnostic.properties.severity"),
        Pair(Accelerator.Kind.self, "host-v1", "$defs.accelerator.properties.kind"),
        Pair(RunFlags.Device.Kind.self, "run-flags-v1", "properties.devices.items.properties.kind"),
        Pair(
            RunFlags.Device.IndexSource.self,
            "run-flags-v1",
            "properties.devices.items.properties.index_source"
        ),
    ]

    /// The `enum` list at `path` of a schema, read with gpuprobe's own JSON parser.
    static func schemaList(_ schema: String, _ path: [String]) throws -> [String] {
        let url = Fixtures.root.deletingLastPathComponent()
            .appendingPathComponent("Schemas/\(schema).schema.json")
        var value = try JSONParser.parse(Array(try Data(contentsOf: url)))
        for key in path + ["enum"] {
            guard case .object(let members) = value, let next = members[key] else {
                throw SchemaPathMissing(schema: schema, key: key)
            }
            value = next
        }
        guard case .array(let items) = value else {
            throw SchemaPathMissing(schema: schema, key: "enum")
        }
        return try items.map {
            guard case .string(let text) = $0 else {
                throw SchemaPathMissing(schema: schema, key: "enum (a non-string value)")
            }
            return text
        }
    }

    struct SchemaPathMissing: Error, CustomStringConvertible {
        let schema: String
        let key: String
        var description: String { "Schemas/\(schema).schema.json has no '\(key)' there" }
    }

    @Test(arguments: pairs)
    func theEnumIsTheSchemasList(_ pair: Pair) throws {
        let listed = try Self.schemaList(pair.schema, pair.path)
        #expect(!listed.isEmpty)
        #expect(
            Set(pair.cases).subtracting(listed).sorted() == [],
            "in code, not in Schemas/\(pair.schema).schema.json"
        )
        #expect(
            Set(listed).subtracting(pair.cases).sorted() == [],
            "in Schemas/\(pair.schema).schema.json, not in code"
        )
        // Neither side lists a value twice.
        #expect(listed.count == Set(listed).count && pair.cases.count == Set(pair.cases).count)
    }

    /// The values are the JSON's: a finding, a diagnostic and a device encode their enums as
    /// the raw strings the schema lists, as they did when the fields were strings, and read
    /// them back.
    @Test func theEnumsEncodeAsTheirRawValues() throws {
        func object(_ value: some Encodable) throws -> [String: Any] {
            let text = JSONOutput.render(value)
            return try #require(
                try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
                "\(text)"
            )
        }
        let finding = Finding(line: 3, severity: .warning, kind: .torchMinorCompat, message: "m")
        #expect(try object(finding)["kind"] as? String == "torch-minor-compat")
        let diagnostic = Diagnostic(.pasted, source: .host, severity: .info, message: "m")
        #expect(try object(diagnostic)["source"] as? String == "host")
        let device = RunFlags.Device(
            kind: .ascend,
            index: 0,
            name: "910B",
            indexSource: .chipLogicID
        )
        #expect(try object(device)["kind"] as? String == "ascend")
        #expect(try object(device)["index_source"] as? String == "chip_logic_id")
        let read = try JSONDecoder().decode(
            Finding.self,
            from: Data(#"{"line":1,"severity":"note","kind":"installer-exact","message":"m"}"#.utf8)
        )
        #expect(read.kind == .installerExact)
    }
}
