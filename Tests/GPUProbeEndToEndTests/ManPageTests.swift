import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

/// The manual page and the full help are written from the command table; the committed page
/// must be the one the table writes, and groff must read it without a warning.
@Suite struct ManPageTests {
    static let committed = Fixtures.root.deletingLastPathComponent()
        .appendingPathComponent("docs/gpuprobe.1")

    @Test func theCommittedPageIsTheOneTheTableWrites() throws {
        let page = try String(contentsOf: Self.committed, encoding: .utf8)
        #expect(
            page == ManPage.render(),
            "docs/gpuprobe.1 is stale: run `gpuprobe help man > docs/gpuprobe.1`"
        )
    }

    @Test func groffReadsThePageWithoutAWarning() throws {
        let folder = try InterruptTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let page = folder.appendingPathComponent("gpuprobe.1")
        try Data(ManPage.render().utf8).write(to: page)
        let output = try FakeInstallers.output([
            "sh", "-c", "groff -man -Tutf8 -ww -z \"$1\" 2>&1", "sh", page.path,
        ])
        #expect(output.isEmpty, "\(output)")
        let rendered = try FakeInstallers.output([
            "sh", "-c", "groff -man -Tutf8 -P-cbu \"$1\" 2>/dev/null", "sh", page.path,
        ])
        // Every command, every flag and every exit status reaches the reader.
        for spec in CommandSpec.all {
            #expect(
                rendered.contains(spec.label.trimmingCharacters(in: .whitespaces)),
                "\(spec.name)"
            )
            for flag in spec.flags { #expect(rendered.contains(flag.names[0]), "\(flag.names)") }
        }
        for row in ExitStatus.meanings { #expect(rendered.contains("\n       \(row.status) ")) }
    }

    /// Every status the binary exits with has its line in the help and the page; 128+N is
    /// the signals'.
    @Test func everyExitStatusIsExplained() {
        #expect(
            ExitStatus.meanings.map(\.status)
                == ExitStatus.allCases.map { String($0.rawValue) } + ["128+N"]
        )
        for row in ExitStatus.meanings {
            #expect(HelpText.full.contains("\n  \(row.status) "), "\(row.status)")
        }
    }

    /// The full help names every command with its arguments and every flag, from the table.
    @Test func theFullHelpIsTheTable() {
        for spec in CommandSpec.all {
            let listed = ["\n" + spec.label + " ", "\n" + spec.label + "\n"]
            #expect(listed.contains { HelpText.full.contains($0) }, "\(spec.name)")
            for flag in spec.flags + CommandSpec.common {
                #expect(HelpText.full.contains("\n  " + flag.names.joined(separator: ", ")))
            }
        }
    }

    /// The README's command table names every command of the table, and no other.
    @Test func theReadmeCommandTableIsTheTable() throws {
        let table = try Fixtures.readmeSection("Commands")
        var named: Set<String> = []
        for line in table.split(separator: "\n") where line.hasPrefix("| `gpuprobe") {
            // `gpuprobe` alone is probe, the default command.
            let words = line.dropFirst(2).split(separator: " ")
            let verb = words.count > 1 && !words[0].hasSuffix("`") ? words[1] : "probe`"
            named.insert(String(verb.prefix { $0 != "`" }))
        }
        #expect(named == Set(CommandSpec.all.map(\.name)))
    }
}
