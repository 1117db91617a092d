import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

/// `dockerfile` on Ascend hosts: after the host's driver files, the CANN the driver supports
/// (the toolkit `.run` from the drivers folder, the user's `--base`, or the official CANN
/// image) and torch + torch_npu for it, on the real hosts: the 910B4 capture, a real 910B4
/// npu-smi paste with driver 25.0.rc1.1, and the packaging guide's 310P3 host.
@Suite struct AscendDockerfileTests {
    static func emit(
        _ report: HostReport,
        _ request: DockerfileRequest = DockerfileRequest(),
        python: String? = nil
    ) throws -> EmittedDockerfile {
        var plan = TestPlans.ascendPlan(report, TorchRequest(python: python))
        plan.inputs.python = python
        return try DockerfileEmitter.emit(plan: plan, report: report, request: request)
    }

    /// The 910B4 capture with its chips renamed: the name decides the chip family.
    static func capture910B4(chips name: String) throws -> HostReport {
        var report = try TestPlans.capture910B4()
        var ascend = try #require(report.ascend)
        ascend.npus = ascend.npus.map {
            var npu = $0
            npu.name = name
            return npu
        }
        report.ascend = ascend
        return report
    }

    static func lines(_ emitted: EmittedDockerfile) -> [String] {
        emitted.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    static func pip(_ torch: String, _ torchNPU: String) -> String {
        "RUN python3 -m pip install --no-cache-dir torch==\(torch) torch-npu==\(torchNPU) pyyaml "
            + "'setuptools<82' --extra-index-url https://download.pytorch.org/whl/cpu"
    }

    // MARK: The issue's acceptance, without a toolkit: the official image

    static let hosts: [(String, String, String, String)] = [
        // 24.1.rc2.2 capture: CANN 8.1.RC1, paired by Ascend's quick-install data.
        (
            "capture-24.1.rc2.2", "quay.io/ascend/cann:8.1.rc1-910b-ubuntu22.04-py3.10", "2.5.1",
            "2.5.1"
        ),
        // A real 910B4 paste with 25.0.rc1.1: CANN 8.2.RC1.
        (
            "paste-25.0.rc1.1", "quay.io/ascend/cann:8.2.rc1-910b-ubuntu22.04-py3.10", "2.6.0",
            "2.6.0"
        ),
        // 25.5.1: CANN 9.0.0, which the release notes pair with it.
        ("capture-25.5.1", "quay.io/ascend/cann:9.0.0-910b-ubuntu22.04-py3.10", "2.10.0", "2.10.0"),
        // The guide's 310P3 host: the 310P image.
        ("guide-310P3", "quay.io/ascend/cann:8.1.rc1-310p-ubuntu22.04-py3.10", "2.5.1", "2.5.1"),
    ]

    static func host(_ name: String) throws -> HostReport {
        switch name {
        case "capture-24.1.rc2.2": return try TestPlans.capture910B4()
        case "capture-25.5.1": return try TestPlans.capture910B4(driver: "25.5.1")
        case "paste-25.0.rc1.1":
            return try TestPlans.pasted("npu-smi/info_910B4_64G_masked_busid.txt")
        default: return try TestHosts.guideAscend()
        }
    }

    @Test(arguments: hosts)
    func withoutAToolkitTheOfficialImageCarriesTheCANN(
        host: String,
        image: String,
        torch: String,
        torchNPU: String
    ) throws {
        let report = try Self.host(host)
        let emitted = try Self.emit(report)
        let lines = Self.lines(emitted)
        #expect(lines.filter { $0.hasPrefix("FROM ") } == ["FROM \(image)"])
        #expect(lines.contains(Self.pip(torch, torchNPU)))
        // The pip line comes before the driver files: another host's driver rebuilds less.
        let pip = try #require(lines.firstIndex(of: Self.pip(torch, torchNPU)))
        let copy = try #require(lines.firstIndex { $0.hasPrefix("COPY ascend/") })
        #expect(pip < copy)
        #expect(!emitted.text.contains("ENV ASCEND_TOOLKIT_HOME"))
        #expect(emitted.warnings.isEmpty)
    }

    /// `--python` picks the image's Python where torch_npu supports it.
    @Test func pythonPicksTheImagesPython() throws {
        let emitted = try Self.emit(try TestPlans.capture910B4(), python: "3.11")
        #expect(
            Self.lines(emitted).contains("FROM quay.io/ascend/cann:8.1.rc1-910b-ubuntu22.04-py3.11")
        )
    }

    /// A chip of no family the official images name (a 910ProB) has no image: the user must
    /// say where CANN is.
    @Test func aChipWithoutAnImageAsksForABaseOrAToolkit() throws {
        // (The chip name decides the family; no table names 910ProB, so every row applies.)
        let report = try Self.capture910B4(chips: "910ProB")
        #expect {
            try Self.emit(report)
        } throws: { error in
            guard case EmitError.planIncomplete(let why) = error else { return false }
            return why.contains("no official CANN image is known for this host's NPU")
                && why.contains("--base IMAGE with CANN")
        }
    }

    /// A 310B SoC: no table pairs its driver with a CANN, so only the driver files go in,
    /// and the Dockerfile says so rather than looking complete.
    @Test func withoutAPairingTheDriverFilesComeWithAWarning() throws {
        let report = try Self.capture910B4(chips: "310B1")
        let emitted = try Self.emit(report)
        #expect(emitted.warnings.count == 1)
        #expect(
            emitted.warnings.first?.hasPrefix(
                "no CANN and torch_npu fit Ascend driver 24.1.rc2.2 by the catalog's tables"
            ) == true
        )
        #expect(emitted.text.contains("COPY ascend/driver /usr/local/Ascend/driver/lib64/driver"))
        #expect(!emitted.text.contains("pip install"))
    }

    // MARK: The user's base

    @Test func theUsersBaseWinsAndSaysWhatCANNItMustCarry() throws {
        let emitted = try Self.emit(
            try TestPlans.capture910B4(),
            DockerfileRequest(base: "ubuntu:22.04")
        )
        let lines = Self.lines(emitted)
        #expect(lines.filter { $0.hasPrefix("FROM ") } == ["FROM ubuntu:22.04"])
        #expect(
            emitted.text.contains("# The base image must carry CANN 8.1.RC1 (which Huawei pairs")
        )
        #expect(lines.contains(Self.pip("2.5.1", "2.5.1")))
    }

    @Test func aCANNBaseOfAnotherCANNIsAWarning() throws {
        let same = try Self.emit(
            try TestPlans.capture910B4(),
            DockerfileRequest(base: "quay.io/ascend/cann:8.1.rc1-910b-ubuntu22.04-py3.10")
        )
        #expect(same.warnings.isEmpty)
        #expect(same.text.contains("# The base image carries CANN 8.1.RC1, which Huawei pairs"))
        let other = try Self.emit(
            try TestPlans.capture910B4(),
            DockerfileRequest(base: "quay.io/ascend/cann:8.5.0-910b-ubuntu22.04-py3.11")
        )
        #expect(other.warnings.count == 1)
        #expect(
            other.warnings.first?.contains("carries CANN 8.5.0, but the plan chose CANN 8.1.RC1")
                == true
        )
        #expect(other.text.contains("# WARNING: the base image quay.io/ascend/cann:8.5.0"))
    }

    // MARK: The toolkit from the drivers folder

    @Test func theToolkitOfTheChosenCANNIsInstalledWithItsEnvironment() throws {
        var report = try TestPlans.capture910B4()
        report.host.architecture = "aarch64"
        let emitted = try Self.emit(
            report,
            DockerfileRequest(base: "ubuntu:22.04", folderFiles: TestPlans.ascendFolderFiles)
        )
        let lines = Self.lines(emitted)
        #expect(
            lines.filter { $0.hasPrefix("COPY Drivers/") } == [
                "COPY Drivers/Ascend-cann-toolkit_8.1.RC1_linux-aarch64.run "
                    + "/tmp/cann/Ascend-cann-toolkit_8.1.RC1_linux-aarch64.run",
                "COPY Drivers/Ascend-cann-kernels-910b_8.1.RC1_linux-aarch64.run "
                    + "/tmp/cann/Ascend-cann-kernels-910b_8.1.RC1_linux-aarch64.run",
            ]
        )
        #expect(
            lines.contains(
                "RUN chmod 0755 /tmp/cann/Ascend-cann-toolkit_8.1.RC1_linux-aarch64.run && "
                    + "/tmp/cann/Ascend-cann-toolkit_8.1.RC1_linux-aarch64.run --install --quiet \\"
            )
        )
        let home = "/usr/local/Ascend/ascend-toolkit/latest"
        #expect(lines.contains("ENV ASCEND_TOOLKIT_HOME=\(home)"))
        #expect(lines.contains("ENV ASCEND_OPP_PATH=\(home)/opp"))
        #expect(
            lines.contains {
                $0.hasPrefix("ENV LD_LIBRARY_PATH=\(home)/lib64:")
                    && $0.contains("/op_tiling/lib/linux/aarch64:")
                    && $0.hasSuffix("${LD_LIBRARY_PATH:+:${LD_LIBRARY_PATH}}")
            }
        )
        #expect(lines.contains(Self.pip("2.5.1", "2.5.1")))
        #expect(emitted.warnings.isEmpty)
    }

    @Test func withoutTheOperatorPackageTheToolkitComesWithAWarning() throws {
        var report = try TestPlans.capture910B4()
        report.host.architecture = "aarch64"
        let emitted = try Self.emit(
            report,
            DockerfileRequest(folderFiles: ["Drivers/Ascend-cann-toolkit_8.1.RC1_linux-aarch64.run"]
            )
        )
        #expect(emitted.warnings.count == 1)
        #expect(
            emitted.warnings.first?.contains(
                "no CANN 8.1.RC1 operator package (Ascend-cann-kernels-910b_8.1.RC1_linux-aarch64.run)"
            ) == true
        )
        // A fragment: the toolkit goes onto the user's own FROM.
        #expect(!emitted.text.contains("\nFROM "))
    }

    @Test func toolkitsOfBothMachinesNeedTheArchitecture() throws {
        let report = try TestPlans.capture910B4()
        #expect(report.host.architecture == nil)
        let files = [
            "Drivers/Ascend-cann-toolkit_8.1.RC1_linux-aarch64.run",
            "Drivers/Ascend-cann-toolkit_8.1.RC1_linux-x86_64.run",
        ]
        #expect {
            try Self.emit(report, DockerfileRequest(folderFiles: files))
        } throws: { error in
            guard case EmitError.planIncomplete(let why) = error else { return false }
            return why.contains("for aarch64 and x86_64") && why.contains("--arch")
        }
        var known = report
        known.host.architecture = "x86_64"
        let emitted = try Self.emit(known, DockerfileRequest(folderFiles: files))
        #expect(emitted.text.contains("COPY Drivers/Ascend-cann-toolkit_8.1.RC1_linux-x86_64.run "))
        #expect(!emitted.text.contains("linux-aarch64"))
    }

    @Test(arguments: [
        "Drivers/My CANN/Ascend-cann-toolkit_8.1.RC1_linux-aarch64.run",
        "Drivers/$(id)/Ascend-cann-toolkit_8.1.RC1_linux-aarch64.run",
        "../Ascend-cann-toolkit_8.1.RC1_linux-aarch64.run",
    ])
    func hostilePackagePathsAreRefused(path: String) throws {
        var report = try TestPlans.capture910B4()
        report.host.architecture = "aarch64"
        #expect {
            try Self.emit(report, DockerfileRequest(folderFiles: [path]))
        } throws: { error in
            guard case EmitError.unsafe(let what, _, _) = error else { return false }
            return what == "the CANN package path"
        }
    }

    @Test(arguments: [
        ("Ascend-cann-toolkit_8.1.RC1_linux-aarch64.run", "toolkit", "8.1.RC1", "aarch64"),
        ("Ascend-cann_8.5.0_linux-x86_64.run", "toolkit", "8.5.0", "x86_64"),
        ("Ascend-cann-kernels-910b_8.0.RC1_linux.run", "operators 910b", "8.0.RC1", "-"),
        ("Ascend-cann-910b-ops_8.5.0_linux-aarch64.run", "operators 910b", "8.5.0", "aarch64"),
    ])
    func huaweisFileNamesAreRead(name: String, kind: String, version: String, machine: String)
        throws
    {
        let package = try #require(CANNPackage(path: "Drivers/" + name))
        switch package.role {
        case .toolkit: #expect(kind == "toolkit")
        case .operators(let chip): #expect(kind == "operators " + chip)
        case .other: Issue.record("\(name) read as another package")
        }
        #expect(package.version == version)
        #expect((package.architecture ?? "-") == machine)
        #expect(package.name == name)
    }

    @Test(arguments: [
        "Ascend-cann-nnal_8.1.RC1_linux-aarch64.run",
        "Ascend-hdk-910b-npu-driver_24.1.rc2_linux-aarch64.run",
        "NVIDIA-Linux-x86_64-535.171.04.run",
        "Ascend-cann-toolkit_8.1.RC1_linux-aarch64.tar.gz",
    ])
    func otherPackagesAreNotTheToolkit(name: String) {
        #expect(CANNPackage(path: name) == nil)
    }
}
