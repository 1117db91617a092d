import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

/// `--host` with a paste or a capture folder, as a user runs it: the built gpuprobe.
@Suite struct PastedHostCommandTests {
    static let guideNvidia = "nvidia-smi/table_535.171.04_rtx_a6000_packaging_guide_prompt.txt"
    static let guideAscend = "npu-smi/info_310P3_npusmi24.1.0.1_packaging_guide_prompt.txt"

    static func run(_ arguments: [String]) throws -> CommandRun.Result {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("gpuprobe-pasted-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        return MatchCommandTests.run(arguments, cache: folder, in: folder)
    }

    /// The packaging guide's own paste (prompt line included): the plan the guide's reader
    /// wants, exact version named.
    @Test func matchTakesTheGuidesPaste() throws {
        let paste = Fixtures.url(Self.guideNvidia).path
        let result = try Self.run(["match", "--host", paste])
        #expect(result.status == 3)  // incomplete: the test's drivers folder is empty
        let plan = MatchCommandTests.json(result.stdout)
        let driver = try #require(plan["driver"] as? [String: Any])
        #expect(driver["host_version"] as? String == "535.171.04")
        let torch = try #require(plan["torch"] as? [String: Any])
        #expect(torch["status"] as? String == "cuda")
    }

    @Test func checkTakesAPaste() throws {
        let paste = Fixtures.url(Self.guideNvidia).path
        let dockerfile = Fixtures.url("dockerfiles/packaging-guide.Dockerfile").path
        let result = try Self.run(["check", dockerfile, "--host", paste, "--format", "json"])
        #expect(result.status == 0 || result.status == 1)
        let report = MatchCommandTests.json(result.stdout)
        #expect(report["findings"] is [Any])
        #expect(!result.stderr.contains("not valid JSON"))
    }

    @Test func runFlagsTakeAnNPUSMIPaste() throws {
        let paste = Fixtures.url(Self.guideAscend).path
        let result = try Self.run(["run-flags", "--host", paste])
        #expect(result.status == 0)
        #expect(result.stdout.contains("--device=/dev/davinci0"))
        #expect(result.stdout.contains("--device=/dev/davinci_manager"))
    }

    /// A capture folder is replayed: the same plan as its report.
    @Test func aCaptureFolderIsReplayed() throws {
        let bundle = Fixtures.url("hosts/a100-sxm4-mig-xml").path
        let fromFolder = try Self.run(["match", "--host", bundle])
        let fromReport = try Self.run(["match", "--host", bundle + "/expected.json"])
        #expect(fromFolder.status == fromReport.status)
        // The same plan but for the line naming where the host came from.
        #expect(
            fromFolder.stdout.replacingOccurrences(
                of: bundle + "\"",
                with: bundle + "/expected.json\""
            )
                == fromReport.stdout
        )
        #expect(MatchCommandTests.json(fromFolder.stdout)["host"] is [String: Any])
    }

    /// Text that is nothing gpuprobe reads keeps today's error.
    @Test func otherTextKeepsTheJSONError() throws {
        let notAHost = try Self.run(["match", "--host", Fixtures.url("dockerfiles/README.md").path])
        #expect(notAHost.status == 2)
        #expect(notAHost.stderr.contains("JSON"))
    }

    /// Pastes together on the command line; a whole-host source stays alone.
    @Test func severalHostFlagsDescribeOneHost() throws {
        let smi = Fixtures.url("nvidia-smi/fail_driver_not_loaded_no_gpu_550.163.01.txt").path
        let lspci = Fixtures.url("lspci/lspci_nn_debian12_kvm_no_gpu.txt").path
        let both = try Self.run(["match", "--host", smi, "--host", lspci, "--format", "json"])
        #expect(both.status == 0, "\(both.stderr)")
        let plan = MatchCommandTests.json(both.stdout)
        #expect((plan["driver"] as? [String: Any])?["status"] as? String == "not_needed")
        let report = Fixtures.url("hosts/a100-sxm4-mig-xml/expected.json").path
        let mixed = try Self.run(["match", "--host", report, "--host", smi])
        #expect(mixed.status == 2)
        #expect(mixed.stderr.contains("only --host"))
        let twice = try Self.run(["match", "--host", "-", "--host", "-"])
        #expect(twice.status == 64)
        let arch = try Self.run([
            "match", "--host", Fixtures.url(Self.guideNvidia).path, "--arch", "aarch64",
        ])
        let host = MatchCommandTests.json(arch.stdout)["host"] as? [String: Any]
        #expect(host?["machine"] as? String == "aarch64")
    }

    /// The guide's Ascend paste, prompt line included, through match, dockerfile and check.
    @Test func theGuidesAscendPasteMakesAPlan() throws {
        let paste = Fixtures.url(Self.guideAscend).path
        let match = try Self.run(["match", "--host", paste, "--format", "json"])
        let plan = MatchCommandTests.json(match.stdout)
        #expect(plan["ascend"] != nil, "\(match.stderr)")
        let dockerfile = Fixtures.url("dockerfiles/packaging-guide-ascend.Dockerfile").path
        let check = try Self.run(["check", dockerfile, "--host", paste])
        #expect(check.status == 0 || check.status == 1, "\(check.stderr)")
        #expect(!check.stdout.isEmpty)
    }

    /// The pin is recorded among the plan's inputs, as the others are.
    @Test func thePlanRecordsTheCANNPin() throws {
        let paste = Fixtures.url("npu-smi/info_910B4_npusmi24.1.1_1panel.txt").path
        let pinned = try Self.run(["match", "--host", paste, "--cann", "8.1.RC1"])
        let inputs = MatchCommandTests.json(pinned.stdout)["inputs"] as? [String: Any]
        #expect(inputs?["cann"] as? String == "8.1.RC1", "\(pinned.stderr)")
        let free = try Self.run(["match", "--host", paste])
        #expect(
            (MatchCommandTests.json(free.stdout)["inputs"] as? [String: Any])?["cann"] is NSNull
        )
    }
}
