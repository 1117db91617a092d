import Testing

@testable import GPUProbe
@testable import TestSupport

/// The driver rules on plain values: installers as the reader would return them.
@Suite struct DriverMatcherTests {
    static let catalog = TorchCatalog(
        schema: TorchCatalog.currentSchema,
        updated: "test",
        sources: [:],
        cudaFamilies: [],
        driverBranches: [],
        architectureBranches: [
            ArchitectureBranches(
                architecture: "Pascal",
                firstBranch: nil,
                lastBranch: 580,
                confirmed: true,
                sources: []
            )
        ],
        releases: [],
        torchNPU: [],
        ascendDrivers: []
    )

    static let h100 = MatchHost.GPU(
        address: PCIAddress("0000:01:00.0"),
        name: "NVIDIA H100 PCIe",
        deviceID: 0x2331,
        architecture: "Hopper",
        computeCapability: ComputeCapability("9.0")
    )
    static let p40 = MatchHost.GPU(
        address: PCIAddress("0000:02:00.0"),
        name: "Tesla P40",
        deviceID: 0x1B38,
        architecture: "Pascal",
        computeCapability: ComputeCapability("6.1")
    )

    static func host(_ module: String?, gpus: [MatchHost.GPU] = [h100], machine: String = "x86_64")
        -> MatchHost
    {
        MatchHost(
            machine: machine,
            kernelModuleVersion: module.flatMap(DriverVersion.init),
            driverVersion: module.flatMap(DriverVersion.init),
            gpus: gpus
        )
    }

    static func installer(
        _ version: String,
        arch: String = "x86_64",
        variant: String? = nil,
        chips: [SupportedChip]? = [
            SupportedChip(deviceID: 0x2331, name: "NVIDIA H100 PCIe"),
            SupportedChip(deviceID: 0x1B38, name: "Tesla P40"),
        ]
    ) -> DriverInstaller {
        DriverInstaller(
            fileName: "NVIDIA-Linux-\(arch)-\(version)\(variant.map { "-" + $0 } ?? "").run",
            variant: variant,
            size: 1,
            sha256: "00",
            version: version,
            architecture: arch,
            supportedGPUs: chips
        )
    }

    func match(_ host: MatchHost, _ installers: [DriverInstaller]) -> DriverPlan {
        DriverMatcher.match(host: host, installers: installers, catalog: Self.catalog)
    }

    @Test func equalVersionIsExactAndHigherNeverChosen() {
        let plan = match(
            Self.host("550.54.14"),
            [
                Self.installer("535.171.04"), Self.installer("550.54.14"),
                Self.installer("550.54.15"),
            ]
        )
        #expect(plan.status == .exact)
        #expect(plan.chosen == "NVIDIA-Linux-x86_64-550.54.14.run")
        #expect(plan.downloadURLs.isEmpty)
        #expect(plan.installers.map(\.chosen) == [false, true, false])
        #expect(plan.installers[0].reasons == ["lower than the chosen 550.54.14"])
        #expect(plan.installers[2].reasons[0].hasPrefix("newer than the host kernel module"))
    }

    @Test func highestLowerIsAMismatchWithTheConsequenceAndTheDownload() {
        let plan = match(
            Self.host("535.171.04"),
            [
                Self.installer("535.161.07"), Self.installer("535.104.05"),
                Self.installer("550.54.14"),
            ]
        )
        #expect(plan.status == .mismatch)
        #expect(plan.chosen == "NVIDIA-Linux-x86_64-535.161.07.run")
        #expect(plan.explanation.contains { $0.contains("Driver/library version mismatch") })
        #expect(
            plan.downloadURLs == [
                "https://us.download.nvidia.com/XFree86/Linux-x86_64/535.171.04/NVIDIA-Linux-x86_64-535.171.04.run",
                "https://us.download.nvidia.com/tesla/535.171.04/NVIDIA-Linux-x86_64-535.171.04.run",
            ]
        )
    }

    @Test func versionsCompareAsNumbersNotText() {
        // As text "570.26" > "570.124.06"; as numbers it is lower.
        let plan = match(
            Self.host("570.133.20"),
            [Self.installer("570.26"), Self.installer("570.124.06")]
        )
        #expect(plan.chosen == "NVIDIA-Linux-x86_64-570.124.06.run")
    }

    @Test func wrongArchitectureIsRejected() {
        let plan = match(Self.host("550.54.14"), [Self.installer("550.54.14", arch: "aarch64")])
        #expect(plan.status == .none)
        #expect(plan.installers[0].reasons == ["built for aarch64, the host is x86_64"])
    }

    @Test func chipOnlyInALegacyBranchRejectsTheInstaller() {
        let legacy = Self.installer(
            "590.44.01",
            chips: [
                SupportedChip(deviceID: 0x2331, name: "NVIDIA H100 PCIe"),
                SupportedChip(deviceID: 0x1B38, name: "Tesla P40", legacyBranch: "580.xx"),
            ]
        )
        let plan = match(
            Self.host("590.44.01", gpus: [Self.h100, Self.p40]),
            [legacy, Self.installer("580.105.08")]
        )
        #expect(plan.status == .mismatch)
        #expect(plan.chosen == "NVIDIA-Linux-x86_64-580.105.08.run")
        #expect(
            plan.installers[0].reasons == [
                "does not support Tesla P40 (0000:02:00.0): its chip is served only by the 580.xx "
                    + "legacy branch"
            ]
        )
    }

    @Test func chipLeftOutOfTheListIsJudgedByTheBranchRangeNotRejected() {
        // The list names neither GPU. The test catalog has Pascal's branches (up to 580) and
        // none for Hopper.
        let silent = Self.installer(
            "590.44.01",
            chips: [SupportedChip(deviceID: 0x2330, name: "NVIDIA H100 80GB HBM3")]
        )
        let outOfRange = match(Self.host("590.44.01", gpus: [Self.p40]), [silent])
        #expect(outOfRange.status == .none)
        #expect(
            outOfRange.installers[0].reasons.count == 1
                && outOfRange.installers[0].reasons[0].hasPrefix(
                    "not in this installer's supported-gpus.json (device 0x1B38), and Tesla P40"
                )
        )

        let plan = match(Self.host("590.44.01"), [silent])
        #expect(plan.status == .exact)
        #expect(plan.installers[0].reasons.count == 2)
        #expect(
            plan.installers[0].reasons.last?.hasPrefix(
                "not in this installer's supported-gpus.json: NVIDIA H100 PCIe (0000:01:00.0) "
                    + "(device 0x2331), whose architecture gpuprobe does not know"
            ) == true
        )
    }

    @Test func chipLeftOutWithinItsBranchesIsChosenAndTheExplanationSaysSo() {
        let silent = Self.installer(
            "580.105.08",
            chips: [SupportedChip(deviceID: 0x2330, name: "NVIDIA H100 80GB HBM3")]
        )
        let plan = match(Self.host("580.105.08", gpus: [Self.p40]), [silent])
        #expect(plan.status == .exact)
        let line: String =
            "Tesla P40 (0000:02:00.0) (device 0x1B38) is not in "
            + "NVIDIA-Linux-x86_64-580.105.08.run's supported-gpus.json: NVIDIA's lists from "
            + "R525 leave out some data-centre GPUs that the driver runs (Tesla T4, "
            + "V100-SXM2-16GB, A100-PCIE-40GB, P4), so the choice rests on the catalog's "
            + "driver branches for Pascal, not on the list."
        #expect(plan.explanation.last == line)
    }

    @Test func newerInstallerNamesWhereTheHostVersionCameFrom() {
        let installers = [Self.installer("550.54.14"), Self.installer("550.54.15")]
        let read = match(Self.host("550.54.14"), installers)
        #expect(
            read.installers[1].reasons == [
                "newer than the host kernel module 550.54.14: a userspace driver above the "
                    + "kernel module never works"
            ]
        )
        var host = Self.host("550.54.14")
        host.kernelModuleVersion = nil
        let smiOnly = match(host, installers)
        #expect(
            smiOnly.installers[1].reasons == [
                "newer than the driver nvidia-smi reports (550.54.14): a userspace driver above "
                    + "the kernel module never works"
            ]
        )
    }

    @Test func subsystemEntryWinsOverTheGenericOne() {
        var gpu = Self.h100
        gpu.subsystemVendorID = 0x10DE
        gpu.subsystemDeviceID = 0x1839
        let installer = Self.installer(
            "595.58.03",
            chips: [
                SupportedChip(deviceID: 0x2331, name: "generic", legacyBranch: "580.xx"),
                SupportedChip(
                    deviceID: 0x2331,
                    subsystemDeviceID: 0x1839,
                    subsystemVendorID: 0x10DE,
                    name: "board"
                ),
            ]
        )
        #expect(
            installer.support(
                deviceID: 0x2331,
                subsystemVendorID: 0x10DE,
                subsystemDeviceID: 0x1839
            )
                == .supported(name: "board")
        )
        #expect(
            installer.support(deviceID: 0x2331, subsystemVendorID: 0x10DE, subsystemDeviceID: 0x1)
                == .legacy(branch: "580.xx", name: "generic")
        )
        // Half a subsystem names no board: the generic entry answers.
        #expect(
            installer.support(deviceID: 0x2331, subsystemVendorID: 0x10DE, subsystemDeviceID: nil)
                == .legacy(branch: "580.xx", name: "generic")
        )
        let vendorOnly = Self.installer(
            "595.58.03",
            chips: [
                SupportedChip(deviceID: 0x2331, name: "generic", legacyBranch: "580.xx"),
                SupportedChip(deviceID: 0x2331, subsystemVendorID: 0x10DE, name: "vendor"),
            ]
        )
        #expect(
            vendorOnly.support(deviceID: 0x2331, subsystemVendorID: 0x10DE, subsystemDeviceID: nil)
                == .legacy(branch: "580.xx", name: "generic")
        )
        #expect(match(Self.host("595.58.03", gpus: [gpu]), [installer]).status == .exact)
    }

    @Test func unreadableInstallersAreListedWithTheirProblem() {
        let broken = DriverInstaller(
            fileName: "NVIDIA-Linux-x86_64-550.54.14.run",
            size: 10,
            problem: "payload ends early: truncated download?"
        )
        let plan = match(Self.host("550.54.14"), [broken])
        #expect(plan.status == .none)
        #expect(
            plan.installers[0].reasons == ["unreadable: payload ends early: truncated download?"]
        )
    }

    @Test func emptyFolderGivesTheDownloadAddress() {
        let plan = match(Self.host("580.95.05", machine: "aarch64"), [])
        #expect(plan.status == .none)
        #expect(plan.explanation[0] == "The drivers folder holds no NVIDIA-Linux-*.run installer.")
        #expect(
            plan.downloadURLs[0]
                == "https://us.download.nvidia.com/XFree86/aarch64/580.95.05/NVIDIA-Linux-aarch64-580.95.05.run"
        )
    }

    @Test func plainPackageBeatsItsVariantAtTheSameVersion() {
        let plan = match(
            Self.host("550.54.14"),
            [Self.installer("550.54.14", variant: "no-compat32"), Self.installer("550.54.14")]
        )
        #expect(plan.chosen == "NVIDIA-Linux-x86_64-550.54.14.run")
        #expect(plan.installers[0].reasons[0].hasPrefix("same version as the chosen"))
    }

    @Test func missingSupportListDoesNotRejectButIsUnknown() {
        let plan = match(Self.host("470.256.02"), [Self.installer("470.256.02", chips: nil)])
        #expect(plan.status == .exact)
    }

    @Test func withoutAListTheCatalogsBranchRangeDecides() {
        // Old installers carry no supported-gpus.json: Pascal ends at 580 in the catalog.
        let plan = match(
            Self.host("590.44.01", gpus: [Self.p40]),
            [Self.installer("590.44.01", chips: nil), Self.installer("580.105.08", chips: nil)]
        )
        #expect(plan.chosen == "NVIDIA-Linux-x86_64-580.105.08.run")
        #expect(
            plan.installers[0].reasons == [
                "Tesla P40 (0000:02:00.0) is Pascal, served by driver branches up to 580; this "
                    + "installer is 590"
            ]
        )
    }

    @Test func hostWithoutGPUNeedsNoDriver() {
        let plan = match(Self.host(nil, gpus: []), [Self.installer("550.54.14")])
        #expect(plan.status == .notNeeded)
        #expect(plan.installers[0].reasons == ["not needed: the host has no NVIDIA GPU"])
    }

    @Test func hostWithoutDriverGetsTheBranchesThatServeItsGPUs() {
        let plan = match(Self.host(nil, gpus: [Self.p40]), [])
        #expect(plan.status == .hostDriverMissing)
        #expect(
            plan.branchAdvice == [
                BranchAdvice(
                    gpu: "Tesla P40 (0000:02:00.0)",
                    architecture: "Pascal",
                    firstBranch: nil,
                    lastBranch: 580,
                    confirmed: true,
                    firstListed: "450.248.02",
                    debianPackage: "nvidia-driver"
                )
            ]
        )
        #expect(
            plan.explanation.last
                == "Tesla P40 (0000:02:00.0) (Pascal) is served by driver branches up to 580; "
                + "NVIDIA's supported-gpus.json lists it from 450.248.02, the oldest read: install "
                + "a driver of branch 580 or earlier (Debian: nvidia-driver)."
        )
    }

    @Test func nvidiaSMIVersionStandsInWhenTheKernelModuleWasNotRead() {
        var host = Self.host("550.54.14")
        host.kernelModuleVersion = nil
        let plan = match(host, [Self.installer("550.54.14")])
        #expect(plan.status == .exact)
        #expect(plan.explanation.last?.contains("nvidia-smi's driver version stands in") == true)
    }
}
