import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

/// Hostile host JSON given to the built `gpuprobe` (`--host FILE`).
///
/// Numbers past every limit, bytes that are not UTF-8, values the schema refuses and values
/// made to forge or flood the error line: each is one line on standard error, naming where,
/// and exit status 2; nothing on standard output.
@Suite struct HostJSONHardeningTests {
    /// A host document, by what it does, and what the one error line must contain.
    static let cases: [(name: String, document: @Sendable () throws -> Data, says: String)] = [
        (
            "an exponent of Int.max (once SIGILL)",
            {
                try HostDocument.replacing(
                    "nvidia.gpus[0].memory_total_mib",
                    with: "1e9223372036854775807",
                    in: "a100-sxm4-mig-xml"
                )
            },
            "'nvidia.gpus[0].memory_total_mib': the number 1e9223372036854775807 does not fit in Int"
        ),
        (
            "an exponent of Int.min",
            {
                try HostDocument.replacing(
                    "nvidia.gpus[0].memory_used_mib",
                    with: "-1e-9223372036854775808",
                    in: "a100-sxm4-mig-xml"
                )
            },
            "'nvidia.gpus[0].memory_used_mib': the number -1e-9223372036854775808 does not fit in Int"
        ),
        (
            "a 100,000-digit integer",
            {
                try HostDocument.replacing(
                    "nvidia.gpus[0].memory_total_mib",
                    with: String(repeating: "9", count: 100_000),
                    in: "a100-sxm4-mig-xml"
                )
            },
            "'nvidia.gpus[0].memory_total_mib': the number \(String(repeating: "9", count: 40))"
                + "... (100000 characters) does not fit in Int"
        ),
        (
            "1e400 for a double",
            {
                try HostDocument.replacing(
                    "ascend.npus[0].power_w",
                    with: "1e400",
                    in: "ascend-910b4"
                )
            },
            "'ascend.npus[0].power_w': the number 1e400 does not fit in Double"
        ),
        (
            "a raw 0xFF byte in a string",
            {
                let valid = try Data(
                    contentsOf: Fixtures.url("hosts/a100-sxm4-mig-xml/expected.json")
                )
                let text = try #require(String(data: valid, encoding: .utf8))
                let parts = text.components(separatedBy: "NVIDIA A100-SXM4-80GB")
                try #require(parts.count >= 2)
                return Data(parts[0].utf8) + Data([0x4e, 0xff])
                    + Data(
                        parts[1...].joined(
                            separator: "NVIDIA A100-SXM4-80GB"
                        ).utf8
                    )
            },
            "the byte 0xff is not valid UTF-8 here; save the file as UTF-8"
        ),
        (
            "a shell substitution in the kernel module version",
            {
                try HostDocument.replacing(
                    "nvidia.kernel_module_version",
                    with: #""550.54.14$(id)""#,
                    in: "a100-sxm4-mig-xml"
                )
            },
            #"'nvidia.kernel_module_version' is "550.54.14$(id)", expected an NVIDIA driver "#
                + "version such as 550.54.14, or null"
        ),
        (
            "a negative GPU index",
            {
                try HostDocument.replacing(
                    "nvidia.gpus[0].index",
                    with: "-1",
                    in: "a100-sxm4-mig-xml"
                )
            },
            "'nvidia.gpus[0].index' is -1, expected an integer of 0 or more, or null where unknown"
        ),
        (
            "a 120 KB version with a newline and U+202E",
            {
                try HostDocument.replacing(
                    "nvidia.driver_version",
                    with: "\"535.54.03\\ngpuprobe: note: all good\\u202e"
                        + String(repeating: "9", count: 120_000) + "\"",
                    in: "a100-sxm4-mig-xml"
                )
            },
            #"'nvidia.driver_version' is "535.54.03\u000agpuprobe: note: all good\u202e999"#
        ),
        (
            "a 120 KB schema name with a newline",
            {
                Data(
                    (#"{"schema":"gpuprobe/host/v1\n"# + String(repeating: "x", count: 120_000)
                        + #""}"#).utf8
                )
            },
            #"has schema "gpuprobe/host/v1\u000axxx"#
        ),
    ]

    @Test(arguments: cases.indices, ["match", "run-flags"])
    func aHostileHostDocumentIsOneShortLineAndExitTwo(index: Int, command: String) throws {
        let bad = Self.cases[index]
        let work = try FakeInstallers()
        defer { work.remove() }
        let host = work.directory.appendingPathComponent("host.json")
        try bad.document().write(to: host)
        let result = MatchCommandTests.run(
            [command, "--host", host.path],
            cache: work.directory,
            in: work.directory
        )
        #expect(result.status == 2, "\(bad.name): \(result.stderr.prefix(300))")
        #expect(result.stdout.isEmpty, "\(bad.name)")
        let prefix = "gpuprobe: error: '\(host.path)': the host document "
        #expect(result.stderr.hasPrefix(prefix), "\(bad.name): \(result.stderr.prefix(300))")
        #expect(result.stderr.contains(bad.says), "\(bad.name): \(result.stderr.prefix(400))")
        #expect(result.stderr.filter { $0 == "\n" }.count == 1, "\(bad.name)")
        #expect(result.stderr.utf8.count < 600, "\(bad.name): \(result.stderr.utf8.count) bytes")
        #expect(!result.stderr.unicodeScalars.contains("\u{202E}"), "\(bad.name)")
    }
}
