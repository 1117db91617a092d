import Foundation
import Testing

@testable import GPUProbe

/// `--host` takes what the user has: a pasted nvidia-smi or npu-smi output, or a capture
/// folder, as well as a host report.
@Suite struct PastedHostTests {
    static let nvidiaPastes = NvidiaSMIFixtureTests.files
    static let npuPastes = Fixtures.captured(in: "npu-smi")

    /// Every real nvidia-smi output becomes a report that says it was pasted and what it lacks.
    @Test(arguments: nvidiaPastes)
    func everyNvidiaSMIPasteIsAHost(file: String) throws {
        let text = try Fixtures.text(file)
        let report = try #require(PastedHost.report(Array(text.utf8)))
        let pasted = try #require(report.diagnostics.first)
        #expect(pasted.code == .pasted && pasted.severity == .info)
        #expect(pasted.context["tool"] == "nvidia-smi")
        #expect(report.pciDevices.isEmpty && report.host.os == nil && report.host.kernel == nil)
        #expect(!report.diagnostics.contains { $0.code == .pciUnavailable })
        // NVML reads the driver version from the loaded module: it is the module's.
        let nvidia = try #require(report.nvidia)
        #expect(nvidia.kernelModuleVersion == nvidia.driverVersion)
        let document = NvidiaSMIParser.document(text)
        #expect(nvidia.driverVersion == document.driverVersion)
        // The failures the paste shows are the report's.
        let failures = document.diagnostics.filter { $0.severity == .error }.map(\.code)
        #expect(failures.allSatisfy { code in report.diagnostics.contains { $0.code == code } })
    }

    @Test(arguments: npuPastes)
    func everyNPUSMIPasteIsAHost(file: String) throws {
        let report = try #require(PastedHost.report(Array(try Fixtures.text(file).utf8)))
        #expect(report.diagnostics.first?.context["tool"] == "npu-smi")
        #expect(report.nvidia == nil)
        #expect(report.ascend != nil)
    }

    /// Without version.info, the driver version is the banner's `Version:` (item 5).
    @Test func anNPUSMIPasteGivesTheDriverVersionFromItsBanner() throws {
        let text = try Fixtures.text("npu-smi/info_910B4_npusmi24.1.1_1panel.txt")
        let report = try #require(PastedHost.report(Array(text.utf8)))
        #expect(report.ascend?.driverVersion == "24.1.1")
        #expect(
            report.diagnostics.contains {
                $0.context["driver_version_from"] == "npu-smi" && $0.severity == .info
            }
        )
        // A probed host's version.info wins over the banner.
        let probed = try MatchPlanTests.report("ascend-910b4")
        #expect(probed.ascend?.driverVersion == "24.1.rc2.2")
        #expect(!probed.diagnostics.contains { $0.context["driver_version_from"] != nil })
    }

    /// The banner's first version is the tool's, the one after `Version:` the driver's.
    @Test func theBannerNamesToolAndDriverApart() {
        let text = """
            +------------------------------------------------------------------------------+
            | npu-smi 25.2.1                   Version: 24.1.rc2                           |
            +-------------------+-----------------+----------------------------------------+
            | NPU     Name      | Health          | Power(W)    Temp(C)   Hugepages-Usage(page)|
            """
        let result = NPUSMIParser.parse(text)
        #expect(result.section.npuSMIVersion == "25.2.1")
        #expect(result.bannerDriverVersion == "24.1.rc2")
    }

    @Test func armIsReadFromAGraceGPU() throws {
        let text = try Fixtures.text("nvidia-smi/table_550.127.05_gh200.txt")
        let report = try #require(PastedHost.report(Array(text.utf8)))
        #expect(report.host.architecture == "aarch64")
        #expect(report.diagnostics.first?.message.contains("Arm CPU") == true)
        let a6000 = try Fixtures.text("nvidia-smi/table_535.171.04_rtx_a6000_packaging_guide.txt")
        let x86 = try #require(PastedHost.report(Array(a6000.utf8)))
        #expect(x86.host.architecture == nil)
        #expect(x86.diagnostics.first?.message.contains("x86_64 is assumed") == true)
    }

    @Test(arguments: ["", "hello\n", "{\"not\": \"a report\"}", "$ nvidia-smi\n"])
    func otherTextIsNoHost(text: String) {
        #expect(PastedHost.report(Array(text.utf8)) == nil)
    }

    // MARK: - As a user runs it

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
        let paste = Fixtures.url("nvidia-smi/table_535.171.04_rtx_a6000_packaging_guide.txt").path
        let result = try Self.run(["match", "--host", paste])
        #expect(result.status == 3)  // incomplete: the test's drivers folder is empty
        let plan = MatchCommandTests.json(result.stdout)
        let driver = try #require(plan["driver"] as? [String: Any])
        #expect(driver["host_version"] as? String == "535.171.04")
        let torch = try #require(plan["torch"] as? [String: Any])
        #expect(torch["status"] as? String == "cuda")
    }

    @Test func checkTakesAPaste() throws {
        let paste = Fixtures.url("nvidia-smi/table_535.171.04_rtx_a6000_packaging_guide.txt").path
        let dockerfile = Fixtures.url("dockerfiles/packaging-guide.Dockerfile").path
        let result = try Self.run(["check", dockerfile, "--host", paste, "--format", "json"])
        #expect(result.status == 0 || result.status == 1)
        let report = MatchCommandTests.json(result.stdout)
        #expect(report["findings"] is [Any])
        #expect(!result.stderr.contains("not valid JSON"))
    }

    @Test func runFlagsTakeAnNPUSMIPaste() throws {
        let paste = Fixtures.url("npu-smi/info_310P3_npusmi24.1.0.1_packaging_guide.txt").path
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
}
