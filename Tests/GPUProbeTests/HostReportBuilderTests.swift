import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

/// Reports built from snapshots whose tool outputs and PCI dumps are real captures.
@Suite struct HostReportBuilderTests {
    @Test func hostWithoutAcceleratorsSaysNotPresentOnly() throws {
        let report = HostReportBuilder.build(try TestHosts.snapshot())
        #expect(report.nvidia == nil)
        #expect(report.ascend == nil)
        #expect(report.diagnostics.map(\.code) == [.notPresent, .notPresent])
        #expect(report.diagnostics.allSatisfy { $0.severity == .info })
        #expect(report.host.hostname == "test")
        #expect(report.host.architecture == "x86_64")
    }

    @Test func gpuWithoutDriverStillGetsArchitecture() throws {
        // A Lenovo laptop's GP108M [GeForce MX150] from pciutils' own test dump.
        let report = HostReportBuilder.build(
            try TestHosts.snapshot(pciDump: "lspci/pciutils_cap-exp-lnkcap2.txt")
        )
        let nvidia = try #require(report.nvidia)
        let gpu = try #require(nvidia.gpus.first)
        #expect(nvidia.gpus.count == 1)
        #expect(gpu.index == nil)
        #expect(gpu.busID?.description == "0000:02:00.0")
        #expect(gpu.pciDeviceID == "1d10")
        #expect(gpu.architecture == "Pascal")
        #expect(gpu.computeCapability == "6.1")
        #expect(report.diagnostics.contains { $0.code == .notInstalled && $0.severity == .error })
    }

    @Test func driverNotLoaded() throws {
        let snapshot = try TestHosts.snapshot(tools: [
            "nvidia-smi": TestHosts.toolRun(
                "nvidia-smi/fail_driver_not_loaded_shine50.txt",
                status: 9
            )
        ])
        let report = HostReportBuilder.build(snapshot)
        #expect(report.nvidia != nil)
        #expect(report.diagnostics.contains { $0.code == .driverNotLoaded })
    }

    @Test func versionMismatchCarriesTheLibraryVersion() throws {
        let snapshot = try TestHosts.snapshot(tools: [
            "nvidia-smi": TestHosts.toolRun(
                "nvidia-smi/fail_version_mismatch_nvml_550.144.txt",
                status: 18
            )
        ])
        let diagnostic = try #require(
            HostReportBuilder.build(snapshot).diagnostics.first { $0.code == .versionMismatch }
        )
        #expect(diagnostic.context["nvml_library_version"] == "550.144")
    }

    @Test func xmlGPUsGetArchitectureFromTheirDeviceID() throws {
        let snapshot = try TestHosts.snapshot(tools: [
            "nvidia-smi": TestHosts.toolRun("nvidia-smi/xml_telegraf_tesla-t4.xml", status: 0)
        ])
        let nvidia = try #require(HostReportBuilder.build(snapshot).nvidia)
        let gpu = try #require(nvidia.gpus.first)
        #expect(gpu.pciDeviceID == "1eb8")
        #expect(gpu.architecture == "Turing")
        #expect(gpu.computeCapability == "7.5")
    }

    @Test func kernelModuleAndUserspaceDisagreeing() throws {
        let banner = "NVRM version: NVIDIA UNIX x86_64 Kernel Module  535.161.07  Sat Jan  1 2024\n"
        let snapshot = try TestHosts.snapshot(
            tools: [
                "nvidia-smi": TestHosts.toolRun("nvidia-smi/xml_telegraf_tesla-t4.xml", status: 0)
            ],
            files: [Paths.nvidiaProcVersion: .content(Array(banner.utf8))]
        )
        let report = HostReportBuilder.build(snapshot)
        #expect(report.nvidia?.kernelModuleVersion == "535.161.07")
        #expect(report.diagnostics.contains { $0.code == .inconsistent })
    }

    @Test func ascendHostFromNPUSMIAndVersionInfo() throws {
        let versionInfo = Array(
            try Data(contentsOf: Fixtures.url("ascend/version_info_24.1.rc2.2.txt"))
        )
        let snapshot = try TestHosts.snapshot(
            tools: [
                "npu-smi": TestHosts.toolRun(
                    "npu-smi/info_910B4_npusmi24.1.1_1panel.txt",
                    status: 0,
                    arguments: ["info"]
                )
            ],
            files: [Paths.ascendVersionInfo: .content(versionInfo), Paths.vnpuConfig: .missing]
        )
        let report = HostReportBuilder.build(snapshot)
        let ascend = try #require(report.ascend)
        #expect(ascend.npuSMIPath == "/usr/bin/tool")
        #expect(ascend.driverVersion == "24.1.rc2.2")
        #expect(ascend.vnpuConfigPresent == false)
        #expect(!ascend.npus.isEmpty)
        #expect(report.nvidia == nil)
    }

    @Test func dcmiFailure() throws {
        let snapshot = try TestHosts.snapshot(tools: [
            "npu-smi": TestHosts.toolRun(
                "npu-smi/fail_dcmi_init_8005_vllm_ascend2698.txt",
                status: 255,
                arguments: ["info"]
            )
        ])
        let diagnostic = try #require(
            HostReportBuilder.build(snapshot).diagnostics.first { $0.code == .dcmiInitFailed }
        )
        #expect(diagnostic.context["ret"] == "-8005")
    }

    @Test func reportsValidateAgainstTheSchema() throws {
        let snapshots = [
            try TestHosts.snapshot(),
            try TestHosts.snapshot(pciDump: "lspci/pciutils_tree-asus-p6t6.txt"),
            try TestHosts.snapshot(tools: [
                "nvidia-smi": TestHosts.toolRun(
                    "nvidia-smi/xml_telegraf_a100-sxm4-v12.xml",
                    status: 0
                )
            ]),
            try TestHosts.snapshot(tools: [
                "npu-smi": TestHosts.toolRun(
                    "npu-smi/info_A3_Ascend910_npusmi25.2.1.txt",
                    status: 0,
                    arguments: ["info"]
                )
            ]),
        ]
        var documents: [String: Data] = [:]
        for (index, snapshot) in snapshots.enumerated() {
            documents["snapshot \(index)"] = Data(
                JSONOutput.render(HostReportBuilder.build(snapshot)).utf8
            )
        }
        let problems = try JSONSchemaCheck.validate(documents, against: "host-v1.schema.json")
        #expect(problems.count == snapshots.count)
        #expect(problems.filter { !$0.value.isEmpty } == [:])
    }

    @Test func jsonRoundTrips() throws {
        let snapshot = try TestHosts.snapshot(
            pciDump: "lspci/pciutils_cap-exp-lnkcap2.txt",
            tools: [
                "nvidia-smi": TestHosts.toolRun(
                    "nvidia-smi/xml_telegraf_a100-sxm4-v12.xml",
                    status: 0
                )
            ]
        )
        let report = HostReportBuilder.build(snapshot)
        let decoded = try HostReportDecoding.decode(Array(JSONOutput.render(report).utf8))
        #expect(decoded == report)
    }

    @Test func rejectsOtherSchemas() {
        #expect(throws: ReportError.unsupportedSchema("gpuprobe/host/v2")) {
            try HostReportDecoding.decode(Array(#"{"schema": "gpuprobe/host/v2"}"#.utf8))
        }
        #expect(throws: ReportError.notJSON) { try HostReportDecoding.decode(Array("[1]".utf8)) }
        #expect(throws: ReportError.notValidJSON("line 1, column 3: expected ',' or ']'")) {
            try HostReportDecoding.decode(Array("[1".utf8))
        }
        #expect(
            throws: ReportError.notValidJSON("line 1, column 36: the key \"x\" is given twice")
        ) {
            try HostReportDecoding.decode(
                Array(#"{"schema":"gpuprobe/host/v1","x":1,"x":2}"#.utf8)
            )
        }
    }
}
