import Foundation
import Testing

@testable import TestSupport

/// The table of `check` finding kinds in docs/check-findings.md lists exactly the kinds the
/// schema allows.
@Suite struct CheckKindsDocumentedTests {
    @Test func theFindingsPageListsEveryKindOfTheSchema() throws {
        let root = Fixtures.root.deletingLastPathComponent()
        let schema = try JSONSerialization.jsonObject(
            with: Data(contentsOf: root.appendingPathComponent("Schemas/check-v1.schema.json"))
        )
        let defs = (schema as? [String: Any])?["$defs"] as? [String: Any]
        let finding = defs?["finding"] as? [String: Any]
        let properties = finding?["properties"] as? [String: Any]
        let kinds = Set((properties?["kind"] as? [String: Any])?["enum"] as? [String] ?? [])
        let page = try String(
            contentsOf: root.appendingPathComponent("docs/check-findings.md"),
            encoding: .utf8
        )
        // The rows after the table's header, "| `kind` | severity | meaning |", to a blank line.
        let lines = page.split(separator: "\n", omittingEmptySubsequences: false)
        let header = try #require(lines.firstIndex(of: "| kind | severity | what it says |"))
        let rows = lines[(header + 2)...].prefix { !$0.isEmpty }
        let documented = Set(
            rows.map { $0.split(separator: "`", omittingEmptySubsequences: false)[1] }.map(
                String.init
            )
        )
        #expect(!kinds.isEmpty)
        #expect(kinds.subtracting(documented).sorted() == [])
        #expect(documented.subtracting(kinds).sorted() == [])
    }
}
