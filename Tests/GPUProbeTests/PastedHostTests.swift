import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

/// `--host` takes what the user has: a pasted nvidia-smi or npu-smi output, or a capture
/// folder, as well as a host report.
@Suite struct PastedHostTests {
    static let nvidiaPastes = NvidiaSMIFixtureTests.files
    static let npuPastes = Fixtures.captured(in: "npu-smi")
    static let guideNvidia = "nvidia-smi/table_535.171.04_rtx_a6000_packaging_guide_prompt.txt"

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
        #expect(report.diagnostics.first?.context["tool"]?.hasPrefix("npu-smi") == true)
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
        let probed = try TestPlans.report("ascend-910b4")
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

    // MARK: - Several pastes, one host

    static func paste(_ file: String) throws -> PastedHost.Paste {
        PastedHost.Paste(name: file, bytes: Array(try Fixtures.text(file).utf8))
    }

    /// The real nvidia-smi of a KVM guest without a GPU, with that guest's real lspci: the
    /// advice is "no GPU here", not modprobe (item 3), from pastes alone.
    @Test func anLspciPasteTellsThatNoGPUIsHere() throws {
        let report = try PastedHost.report([
            try Self.paste("nvidia-smi/fail_driver_not_loaded_no_gpu_550.163.01.txt"),
            try Self.paste("lspci/lspci_nn_debian12_kvm_no_gpu.txt"),
        ])
        #expect(report.pciDevices.count == 6)
        #expect(!report.diagnostics.contains { $0.code == .pciUnavailable })
        let failure = try #require(report.diagnostics.first { $0.code == .driverNotLoaded })
        #expect(failure.context["nvidia_gpus_on_pci_bus"] == "0")
        #expect(report.diagnostics.first?.message.contains("lspci") == true)
        #expect(TestPlans.plan(report).driver.status == DriverPlan.Status.notNeeded)
        // Without the lspci the bus is unknown, and modprobe stays the advice.
        let alone = try PastedHost.report([
            try Self.paste("nvidia-smi/fail_driver_not_loaded_no_gpu_550.163.01.txt")
        ])
        #expect(alone.diagnostics.first { $0.code == .driverNotLoaded }?.context.isEmpty == true)
    }

    /// A real paste that holds a plain lspci line above the nvidia-smi table (openmm #2386),
    /// split into the two pastes it is: the line names the vendor and class but no IDs, and
    /// the bus still counts as showing an NVIDIA GPU.
    @Test func aNamesOnlyLspciLineStillShowsTheGPU() throws {
        let text = try Fixtures.text("nvidia-smi/table_410.104_tesla_k80_gce.txt")
        let newline = try #require(text.firstIndex(of: "\n"))
        let lspci = PastedHost.Paste(name: "lspci", bytes: Array(text[...newline].utf8))
        let report = try PastedHost.report([
            lspci,
            PastedHost.Paste(
                name: "nvidia-smi",
                bytes: Array(text[text.index(after: newline)...].utf8)
            ),
        ])
        let device = try #require(report.pciDevices.first)
        #expect(device.address.description == "0000:00:04.0" && device.isNvidiaDisplay)
        let gpu = try #require(report.nvidia?.gpus.first)
        #expect(gpu.busID == device.address && gpu.computeCapability == "3.7")
        #expect(!MatchHost.from(report).pciShowsNoNvidiaGPU)
        // With a "driver not loaded" paste, modprobe stays the advice: the GPU is on the bus.
        let failing = try PastedHost.report([
            lspci, try Self.paste("nvidia-smi/fail_driver_not_loaded_shine50.txt"),
        ])
        let failure = try #require(failing.diagnostics.first { $0.code == .driverNotLoaded })
        #expect(failure.context["nvidia_gpus_on_pci_bus"] == nil)
    }

    /// An lspci alone shows the GPUs, not the driver: unknown, not missing; and pastes that
    /// show neither nvidia-smi nor a bus say only what they show.
    @Test func whatThePastesDoNotShowIsUnknown() throws {
        let lspci = try PastedHost.report([try Self.paste("lspci/gpud_lspci_nn_a10_vm.txt")])
        let plan = TestPlans.plan(lspci)
        #expect(plan.driver.status == DriverPlan.Status.hostUnknown)
        #expect(plan.driver.explanation.first?.contains("no nvidia-smi output was given") == true)
        #expect(!plan.driver.branchAdvice.isEmpty)
        let flags = try RunFlagsBuilder.build(report: lspci, selection: .all)
        #expect(flags.notes.contains { $0.contains("the pastes do not show the host's NVIDIA") })
        let ascend = try PastedHost.report([
            try Self.paste("npu-smi/info_910B4_npusmi24.1.1_1panel.txt")
        ])
        let ascendPlan = TestPlans.plan(ascend)
        #expect(ascendPlan.driver.status == DriverPlan.Status.notNeeded)
        #expect(
            ascendPlan.driver.explanation.first?.hasPrefix("The pastes show no NVIDIA GPU") == true
        )
        // A probed host without GPUs says it as a fact.
        let probed = TestPlans.plan(try TestPlans.report("ascend-910b4"))
        #expect(probed.driver.explanation.first?.hasPrefix("The host has no NVIDIA GPU") == true)
    }

    /// `npu-smi info` and `info -m` of one host: the mapping's logic ids join the chips.
    @Test func aMappingPasteAddsLogicIDs() throws {
        let info = try Self.paste("npu-smi/info_910A_x8_npusmi22.0.3.1_gpustack.txt")
        let mapping = try Self.paste("npu-smi/info_m_910A_x8_gpustack.txt")
        let alone = try PastedHost.report([info])
        #expect(alone.ascend?.npus.allSatisfy { $0.chipLogicID == nil } == true)
        let both = try PastedHost.report([mapping, info])
        let npus = try #require(both.ascend?.npus)
        #expect(npus.count == alone.ascend?.npus.count && !npus.isEmpty)
        #expect(npus.allSatisfy { $0.chipLogicID != nil })
        #expect(both.diagnostics.first?.context["tool"] == "npu-smi info,npu-smi info -m")
    }

    /// version.info gives the exact driver package; the banner's version is then not used.
    @Test func aVersionInfoPasteGivesTheDriverPackage() throws {
        let report = try PastedHost.report([
            try Self.paste("npu-smi/info_910B4_npusmi24.1.1_1panel.txt"),
            try Self.paste("ascend/version_info_24.1.rc2.2.txt"),
        ])
        #expect(report.ascend?.driverVersion == "24.1.rc2.2")
        #expect(!report.diagnostics.contains { $0.context["driver_version_from"] != nil })
        #expect(
            PastedHost.kind(of: Array(try Fixtures.text("ascend/version_info_25.0.rc1.1.txt").utf8))
                == .ascendVersionInfo
        )
        let osRelease = "NAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\nVersion=12\nID=debian\n"
        #expect(PastedHost.kind(of: Array(osRelease.utf8)) == nil)
    }

    @Test func twoPastesOfOneKindAreRefused() throws {
        let table = try Self.paste("nvidia-smi/table_590.48.01_h100.txt")
        let query = try Self.paste("nvidia-smi/q_535.129.03_a10.txt")
        #expect(
            throws: PastedHost.Failure.twice(
                kind: .nvidiaSMI,
                first: table.name,
                second: query.name
            )
        ) {
            try PastedHost.report([table, query])
        }
        let readme = PastedHost.Paste(name: "README.md", bytes: Array("# notes\n".utf8))
        #expect(throws: PastedHost.Failure.unrecognised(name: "README.md")) {
            try PastedHost.report([table, readme])
        }
    }

    /// --arch fills what the paste lacks, but cannot make a Grace machine x86_64.
    @Test func theArchitectureGivenIsUsedUnlessTheGPUSaysOtherwise() throws {
        let a6000 = try Self.paste(Self.guideNvidia)
        let arm = try PastedHost.report([a6000], architecture: "aarch64")
        #expect(arm.host.architecture == "aarch64")
        #expect(arm.diagnostics.first?.message.contains("as --arch says") == true)
        let gh200 = try Self.paste("nvidia-smi/table_550.127.05_gh200.txt")
        #expect(throws: PastedHost.Failure.self) {
            try PastedHost.report([gh200], architecture: "x86_64")
        }
        #expect(
            try PastedHost.report([gh200], architecture: "aarch64").host.architecture == "aarch64"
        )
    }
}
