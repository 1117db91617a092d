import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

/// The kinds table of `docs/check-findings.md` is written from ``Finding/Kind``.
///
/// One row per case, in the enum's order, with its ``Finding/Kind/summary``. The prose around the table is
/// written by hand. When the committed table differs, the test fails and prints the table it
/// expects; `GPUPROBE_UPDATE_DOCS=1 swift test --filter CheckFindingsPageTests` writes it.
@Suite struct CheckFindingsPageTests {
    static let page = Fixtures.root.deletingLastPathComponent()
        .appendingPathComponent("docs/check-findings.md")
    static let header = "| kind | severity | what it says |\n|---|---|---|\n"

    /// The table, header included, ending in a newline.
    static func table() -> String {
        Finding.Kind.allCases.reduce(into: header) { table, kind in
            let (severity, meaning) = kind.summary
            table += "| `\(kind.rawValue)` | \(severity) | \(meaning) |\n"
        }
    }

    /// Where the table is in `page`: from the header to the first blank line or the end;
    /// nil when the page has no such header.
    static func tableRange(in page: String) -> Range<String.Index>? {
        guard let start = page.range(of: header) else { return nil }
        // From the header's own line break, so that a table without rows ends at once.
        let rest = page[page.index(before: start.upperBound)...]
        let end = rest.range(of: "\n\n").map { page.index(after: $0.lowerBound) } ?? page.endIndex
        return start.lowerBound..<end
    }

    /// The page with its table replaced by `table`; nil when the page has no table.
    static func replacingTable(in page: String, with table: String) -> String? {
        tableRange(in: page).map { page.replacingCharacters(in: $0, with: table) }
    }

    @Test func theCommittedTableIsTheOneTheKindsWrite() throws {
        let page = try String(contentsOf: Self.page, encoding: .utf8)
        let range = try #require(
            Self.tableRange(in: page),
            "docs/check-findings.md has no table starting \(Self.header)"
        )
        let expected = Self.table()
        if page[range] != expected,
            ProcessInfo.processInfo.environment["GPUPROBE_UPDATE_DOCS"] == "1"
        {
            try Data(page.replacingCharacters(in: range, with: expected).utf8).write(to: Self.page)
            return
        }
        #expect(
            String(page[range]) == expected,
            """
            docs/check-findings.md's kinds table is stale: run \
            `GPUPROBE_UPDATE_DOCS=1 swift test --filter CheckFindingsPageTests`, or paste:
            \(expected)
            """
        )
    }

    /// A row stays one row: no line break or `|` in a cell, and a severity column that names
    /// a severity first.
    @Test(arguments: Finding.Kind.allCases)
    func eachSummaryIsOneTableRow(_ kind: Finding.Kind) {
        let (severity, meaning) = kind.summary
        for cell in [severity, meaning] {
            #expect(!cell.isEmpty && !cell.contains("|") && !cell.contains("\n"), "\(kind)")
        }
        let first = severity.prefix { $0.isLetter }
        #expect(Finding.Severity(rawValue: String(first)) != nil, "\(kind): \(severity)")
    }

    /// The severity column names every severity the judges give a kind in the scenarios that
    /// exercise it (one per kind of the schema, and the Ascend, PyPI and requirements ones).
    @Test func theSeverityColumnCoversEveryScenario() {
        let scenarios =
            DockerfileCheckerTests.kindScenarios + DockerfileCheckerTests.pypiScenarios
            + DockerfileCheckerTests.requirementsScenarios + AscendSoftwareCheckTests.scenarios
        #expect(!scenarios.isEmpty)
        for scenario in scenarios {
            let column = scenario.kind.summary.severity
            let words = column.split { !$0.isLetter }.map(String.init)
            #expect(
                words.contains(scenario.severity.rawValue),
                "\(scenario.kind): a \(scenario.severity.rawValue) in a scenario, '\(column)' in the table"
            )
        }
    }

    /// The page replaces the table and nothing else.
    @Test func onlyTheTableIsReplaced() throws {
        let page = "# Title\n\nProse.\n\n" + Self.header + "| `x` | note | old |\n\nAfter.\n"
        #expect(
            Self.replacingTable(in: page, with: Self.header + "| `y` | error | new |\n")
                == "# Title\n\nProse.\n\n" + Self.header + "| `y` | error | new |\n\nAfter.\n"
        )
        let last = "Prose.\n\n" + Self.header + "| `x` | note | old |\n"
        #expect(
            Self.replacingTable(in: last, with: Self.table())
                == "Prose.\n\n" + Self.table()
        )
        #expect(Self.replacingTable(in: "no table\n", with: Self.table()) == nil)
    }
}
