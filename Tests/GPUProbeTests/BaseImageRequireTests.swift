import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

extension DockerfileCheckerTests {
    /// One scenario per base-image finding kind.
    static let baseImageScenarios: [Scenario] = [
        Scenario(
            kind: .baseImageOK,
            severity: .note,
            line: 1,
            host: .guide,
            contains: "CUDA 12.2) runs natively on driver 535.171.04",
            dockerfile: "FROM nvidia/cuda:12.2.2-runtime-ubuntu22.04\n"
        ),
        Scenario(
            kind: .baseImageCUDANewer,
            severity: .error,
            line: 1,
            host: .rtx4060Ti,
            contains: "\"nvidia-container-cli: requirement error: unsatisfied condition: "
                + "cuda>=12.6, please update your driver to a newer version, or use an earlier "
                + "cuda container\"",
            dockerfile: "FROM docker.io/nvidia/cuda:12.6.3-cudnn-runtime-ubuntu22.04\nRUN true\n"
        ),
        Scenario(
            kind: .baseImageMinorCompat,
            severity: .warning,
            line: 1,
            host: .guide,
            contains: "accepts it through brand=nvidiartx,driver>=535,driver<536",
            dockerfile: "FROM nvidia/cuda:12.4.1-runtime-ubuntu22.04\n"
        ),
        Scenario(
            kind: .baseImageDriverTooOld,
            severity: .error,
            line: 1,
            host: .rtx4060Ti,
            contains: "CUDA 13 needs driver 580 or newer",
            dockerfile: "FROM nvcr.io/nvidia/cuda:13.0.0-base-ubuntu24.04\n"
        ),
        Scenario(
            kind: .baseImageForwardCompat,
            severity: .warning,
            line: 1,
            host: .a100,
            contains: "(brand=nvidia,driver>=535,driver<536), so it runs through NVIDIA's forward",
            dockerfile: "FROM nvidia/cuda:13.0.0-runtime-ubuntu24.04\n"
        ),
        Scenario(
            kind: .baseImageNoHostDriver,
            severity: .warning,
            line: 1,
            host: .noGPU,
            contains: "no NVIDIA GPU or driver",
            dockerfile: "FROM nvidia/cuda:12.2.2-base-ubuntu22.04\n"
        ),
        Scenario(
            kind: .baseImageCUDAOnAscend,
            severity: .error,
            line: 1,
            host: .ascend,
            contains: "Ascend NPU(s) and no NVIDIA GPU: CUDA cannot run there",
            dockerfile: "FROM nvidia/cuda:12.4.1-runtime-ubuntu22.04\n"
        ),
        Scenario(
            kind: .baseImageOtherStage,
            severity: .note,
            line: 1,
            host: .guide,
            contains: "stage 0 (build) starts from nvidia/cuda:12.8.0-devel-ubuntu22.04",
            dockerfile: """
                FROM nvidia/cuda:12.8.0-devel-ubuntu22.04 AS build
                RUN make
                FROM ubuntu:22.04
                COPY --from=build /out /out
                """
        ),
        Scenario(
            kind: .baseImageCUDAUnknown,
            severity: .note,
            line: 1,
            host: .gtx1070NoCUDA,
            contains: "driver 396.24 is not known",
            dockerfile: "FROM nvidia/cuda:9.2-base-ubuntu18.04\n"
        ),
        Scenario(
            kind: .baseImageRequireUnmet,
            severity: .error,
            line: 2,
            host: .a100,
            contains: "NVIDIA_REQUIRE_ARCH (set on line 2)",
            dockerfile:
                "FROM nvidia/cuda:12.2.2-base-ubuntu22.04\nENV NVIDIA_REQUIRE_ARCH=arch>=9.0\n"
        ),
        Scenario(
            kind: .baseImageRequireUnknown,
            severity: .note,
            line: 2,
            host: .guideUnnamedGPU,
            contains: "needs arch>=8.0",
            dockerfile:
                "FROM nvidia/cuda:12.2.2-base-ubuntu22.04\nENV NVIDIA_REQUIRE_ARCH=arch>=8.0\n"
        ),
        Scenario(
            kind: .baseImageBrandUnknown,
            severity: .warning,
            line: 1,
            host: .guideUnnamedGPU,
            contains: "refused for brand geforce, titan",
            dockerfile: "FROM nvidia/cuda:12.6.3-base-ubuntu22.04\n"
        ),
    ]
}

/// `FROM` a CUDA image, judged as the NVIDIA container toolkit judges it
/// (libnvidia-container's `--require` evaluation) and as the driver then runs it.
@Suite struct BaseImageRequireTests {
    static func host(
        _ fixture: String,
        machine: String = "x86_64",
        _ change: (inout HostReport) -> Void = { _ in }
    ) throws -> HostReport {
        var report = try TestHosts.nvidia(fixture, machine: machine)
        change(&report)
        return report
    }

    /// A GeForce GTX 1050 Ti on 535.161.07 (CUDA 12.2).
    static func geforce535() throws -> HostReport {
        try host("nvidia-smi/table_535.161.07_gtx1050ti.txt")
    }

    /// An H100 on 590.48.01 (CUDA 13.1).
    static func h100At590() throws -> HostReport {
        try host("nvidia-smi/table_590.48.01_h100.txt")
    }

    static func check(_ text: String, _ report: HostReport) throws -> CheckReport {
        try TestHosts.check(text, report)
    }

    // MARK: §1.8 of the research, as check sees it

    /// The corpus case: the RTX A6000 (brand nvidiartx) on 535 is listed for 12.4.
    @Test func cuda124OnAnRTXA6000At535IsAcceptedOnMinorVersionCompatibility() throws {
        let report = try Self.check(
            "FROM nvidia/cuda:12.4.1-runtime-ubuntu22.04\n",
            try TestHosts.guideNvidia()
        )
        #expect(report.compatible)
        #expect(report.summary == ["1:warning:base-image-minor-compat"])
        let message = try #require(report.findings.first?.message)
        #expect(message.contains("brand nvidiartx for NVIDIA RTX A6000 read from the GPU name"))
        #expect(message.contains("minor-version compatibility"))
    }

    @Test func cuda124OnAGeForceAt535IsAccepted() throws {
        let report = try Self.check(
            "FROM nvidia/cuda:12.4.1-devel-ubuntu22.04\n",
            try Self.geforce535()
        )
        #expect(report.summary == ["1:warning:base-image-minor-compat"])
        #expect(report.findings[0].message.contains("brand=geforce,driver>=535,driver<536"))
    }

    /// From 12.5 the lists leave GeForce out: refused on the legacy path.
    @Test func cuda126OnAGeForceAt535IsRefused() throws {
        let report = try Self.check(
            "FROM nvidia/cuda:12.6.3-runtime-ubuntu22.04\n",
            try Self.geforce535()
        )
        #expect(!report.compatible)
        #expect(report.summary == ["1:error:base-image-cuda-newer"])
        let finding = report.findings[0]
        #expect(finding.message.contains("unsatisfied condition: cuda>=12.6, please update"))
        #expect(finding.message.contains("docker run --gpus with runc"))
        #expect(finding.message.contains("CDI mode (toolkit 1.18+"))
        #expect(finding.message.contains("minor-version compatibility"))
        #expect(finding.fix?.contains("ENV NVIDIA_DISABLE_REQUIRE=true") == true)
        #expect(finding.fix?.contains("nvidia/cuda:12.2.*-runtime-ubuntu22.04") == true)
    }

    @Test func cuda126OnAnA100At535IsAccepted() throws {
        let report = try Self.check(
            "FROM nvidia/cuda:12.6.3-runtime-ubuntu22.04\n",
            try TestHosts.a100()
        )
        #expect(report.summary == ["1:warning:base-image-minor-compat"])
        // The A100 bundle's nvidia-smi -q -x gives the brand: nothing is guessed.
        #expect(report.findings[0].message.contains("brand=nvidia,driver>=535,driver<536"))
        #expect(!report.findings[0].message.contains("read from the GPU name"))
    }

    @Test func cuda128OnAV100At550IsAccepted() throws {
        let report = try Self.check(
            "FROM nvidia/cuda:12.8.1-base-ubuntu24.04\n",
            try DockerfileCheckerTests.Host.v100.report()
        )
        #expect(report.summary == ["1:warning:base-image-minor-compat"])
        #expect(report.findings[0].message.contains("brand=tesla,driver>=550,driver<551"))
    }

    /// 13.3.0's list lacks R590; 13.3.1's has it.
    @Test func cuda1330IsRefusedAt590And1331Accepted() throws {
        let old = try Self.check("FROM nvidia/cuda:13.3.0-base-ubuntu24.04\n", try Self.h100At590())
        #expect(old.summary == ["1:error:base-image-cuda-newer"])
        #expect(old.findings[0].message.contains("unsatisfied condition: cuda>=13.3, please"))
        let new = try Self.check("FROM nvidia/cuda:13.3.1-base-ubuntu24.04\n", try Self.h100At590())
        #expect(new.summary == ["1:warning:base-image-minor-compat"])
        #expect(new.findings[0].message.contains("brand=nvidia,driver>=590,driver<591"))
    }

    /// 12.3 arm64 images carry only `CUDA>=12.3`, which libnvidia-container reads
    /// case-insensitively; from 12.4 arm64 has the x86_64 lists.
    @Test func cuda123OnArm64At535IsRefusedAnd124Accepted() throws {
        let gh200 = try Self.host("nvidia-smi/table_550.127.05_gh200.txt", machine: "aarch64") {
            $0.nvidia?.driverVersion = "535.183.01"
            $0.nvidia?.cudaVersion = "12.2"
        }
        let old = try Self.check("FROM nvidia/cuda:12.3.2-base-ubuntu22.04\n", gh200)
        #expect(old.summary == ["1:error:base-image-cuda-newer"])
        // Not `cuda>=`: libnvidia-container adds no advice to another first term.
        #expect(old.findings[0].message.contains("unsatisfied condition: CUDA>=12.3\""))
        let new = try Self.check("FROM nvidia/cuda:12.4.1-base-ubuntu22.04\n", gh200)
        #expect(new.summary == ["1:warning:base-image-minor-compat"])
        // The x86_64 string of 12.3 lists R535: the host's architecture picks the row.
        var x86 = gh200
        x86.host.architecture = "x86_64"
        #expect(
            try Self.check("FROM nvidia/cuda:12.3.2-base-ubuntu22.04\n", x86).summary
                == ["1:warning:base-image-minor-compat"]
        )
    }

    /// One GPU that fails fails the container; the message names it.
    @Test func everyGPUMustPass() throws {
        let mixed = try Self.host("nvidia-smi/q_535.129.03_a10.txt") {
            $0.nvidia?.gpus.append(
                NvidiaGPU(index: 1, name: "NVIDIA GeForce RTX 4090", productBrand: "geforce")
            )
        }
        let refused = try Self.check("FROM nvidia/cuda:12.6.3-base-ubuntu22.04\n", mixed)
        #expect(refused.summary == ["1:error:base-image-cuda-newer"])
        #expect(refused.findings[0].message.contains("holds for NVIDIA GeForce RTX 4090"))
        // The A10 alone passes.
        let single = try Self.host("nvidia-smi/q_535.129.03_a10.txt")
        #expect(
            try Self.check("FROM nvidia/cuda:12.6.3-base-ubuntu22.04\n", single).summary
                == ["1:warning:base-image-minor-compat"]
        )
        // 12.4 lists GeForce too: both pass.
        #expect(
            try Self.check("FROM nvidia/cuda:12.4.1-base-ubuntu22.04\n", mixed).summary
                == ["1:warning:base-image-minor-compat"]
        )
    }

    /// NVIDIA lists the branches its forward compatibility supports on each brand: on a
    /// data-centre GPU a listed older branch runs the image on its cuda-compat libraries.
    @Test func aCUDA13ImageOnAListedDatacentreBranchRunsOnForwardCompatibility() throws {
        let report = try Self.check(
            "FROM nvidia/cuda:13.0.0-runtime-ubuntu24.04\n",
            try TestHosts.a100()
        )
        #expect(report.summary == ["1:warning:base-image-forward-compat"])
        #expect(report.findings[0].message.contains("CUDA driver version is insufficient"))
        #expect(report.compatible)
    }

    /// GeForce is not listed from 12.5 on: no forward compatibility, and CUDA 13 cannot run.
    @Test func aCUDA13ImageOnGeForce535IsAnErrorWhateverTheToolkit() throws {
        let report = try Self.check(
            "FROM nvidia/cuda:13.0.0-runtime-ubuntu24.04\n",
            try Self.geforce535()
        )
        #expect(report.summary == ["1:error:base-image-driver-too-old"])
        #expect(report.findings[0].message.contains("CUDA driver version is insufficient"))
    }

    // MARK: The image's environment

    @Test(
        arguments: [
            ("1", true), ("t", true), ("T", true), ("TRUE", true), ("true", true), ("True", true),
            ("yes", false), ("on", false), ("false", false), ("0", false), ("tRuE", false),
        ]
    )
    func disableRequireIsReadLikeGosParseBool(value: String, disables: Bool) throws {
        let report = try Self.check(
            "FROM nvidia/cuda:12.6.3-runtime-ubuntu22.04\nENV NVIDIA_DISABLE_REQUIRE=\(value)\n",
            try Self.geforce535()
        )
        if disables {
            #expect(report.summary == ["1:warning:base-image-minor-compat"])
            #expect(report.findings[0].message.contains("NVIDIA_DISABLE_REQUIRE (line 2)"))
        } else {
            #expect(report.summary == ["1:error:base-image-cuda-newer"])
        }
    }

    /// The Dockerfile's `NVIDIA_REQUIRE_CUDA` replaces the base's; empty, it leaves the
    /// toolkit's strict `cuda>=X.Y` for an image with `CUDA_VERSION`.
    @Test func theDockerfilesRequirementReplacesTheBases() throws {
        let looser = try Self.check(
            "FROM nvidia/cuda:12.6.3-runtime-ubuntu22.04\nENV NVIDIA_REQUIRE_CUDA=\"cuda>=12.2\"\n",
            try Self.geforce535()
        )
        #expect(looser.summary == ["1:warning:base-image-minor-compat"])
        #expect(looser.findings[0].message.contains("accepts it through cuda>=12.2"))
        let empty = try Self.check(
            "FROM nvidia/cuda:12.4.1-runtime-ubuntu22.04\nENV NVIDIA_REQUIRE_CUDA=\"\"\n",
            try TestHosts.guideNvidia()
        )
        #expect(empty.summary == ["1:error:base-image-cuda-newer"])
        #expect(empty.findings[0].message.contains("requirement cuda>=12.4 (the toolkit's rule"))
    }

    /// Other `NVIDIA_REQUIRE_*` variables are ANDed; `NVIDIA_REQUIRE_JETPACK*` is not read; an
    /// unknown key fails the container.
    @Test func otherRequirementsAreAnded() throws {
        let jetpack = try Self.check(
            "FROM nvidia/cuda:12.2.2-base-ubuntu22.04\nENV NVIDIA_REQUIRE_JETPACK=\"csv-mounts=all\"\n",
            try TestHosts.a100()
        )
        #expect(jetpack.summary == ["1:note:base-image-ok"])
        let hopperOnly = try Self.check(
            "FROM nvidia/cuda:12.2.2-base-ubuntu22.04\nENV NVIDIA_REQUIRE_ARCH=\"arch>=9.0\"\n",
            try TestHosts.a100()
        )
        #expect(hopperOnly.summary == ["2:error:base-image-require-unmet"])
        #expect(hopperOnly.findings[0].message.contains("unsatisfied condition: arch>=9.0\""))
        let ampere = try Self.check(
            "FROM nvidia/cuda:12.2.2-base-ubuntu22.04\nENV NVIDIA_REQUIRE_ARCH=\"arch>=8.0\"\n",
            try TestHosts.a100()
        )
        #expect(ampere.summary == ["1:note:base-image-ok"])
        let invalid = try Self.check(
            "FROM nvidia/cuda:12.2.2-base-ubuntu22.04\nENV NVIDIA_REQUIRE_MEM=\"memory>=40\"\n",
            try TestHosts.a100()
        )
        #expect(invalid.summary == ["2:error:base-image-require-unmet"])
        #expect(invalid.findings[0].message.contains("requirement error: invalid expression\""))
    }

    /// An image the name does not mark as CUDA, whose Dockerfile sets `CUDA_VERSION`: the
    /// toolkit asks `cuda>=X.Y` of it.
    @Test func anImageThatSetsCUDAVersionIsChecked() throws {
        let report = try Self.check(
            "FROM ubuntu:22.04\nENV CUDA_VERSION=12.4.1\n",
            try TestHosts.guideNvidia()
        )
        #expect(report.summary == ["2:error:base-image-cuda-newer"])
        let unknownBase = try Self.check(
            "FROM example.com/team/base:1\nENV CUDA_VERSION=12.4.1\n",
            try TestHosts.guideNvidia()
        )
        #expect(unknownBase.summary == ["2:warning:base-image-cuda-newer"])
        #expect(unknownBase.findings[0].message.contains("assuming example.com/team/base:1"))
        let ascend = try Self.check(
            "FROM ubuntu:22.04\nENV CUDA_VERSION=12.4.1\n",
            try DockerfileCheckerTests.Host.ascend.report()
        )
        #expect(ascend.kind(.baseImageCUDAOnAscend).map(\.line) == [2])
        // Neither variable: not a CUDA image.
        #expect(
            try Self.check("FROM ubuntu:22.04\nENV FOO=1\n", try TestHosts.guideNvidia())
                .kind(.baseImageOK).isEmpty
        )
    }

    // MARK: pytorch/pytorch

    /// `-runtime` is plain Ubuntu: the toolkit starts it, torch runs on minor-version
    /// compatibility; `-devel` carries nvidia/cuda's string, and 12.6 leaves GeForce out.
    @Test func pytorchRuntimeIsNeverRefusedButDevelIs() throws {
        let runtime = try Self.check(
            "FROM pytorch/pytorch:2.6.0-cuda12.6-cudnn9-runtime\n",
            try Self.geforce535()
        )
        // torch itself is TorchJudge's; only the base image's findings are compared here.
        func base(_ report: CheckReport) -> [String] {
            report.summary.filter { $0.contains("base-image") }
        }
        #expect(base(runtime) == ["1:warning:base-image-minor-compat"])
        #expect(runtime.findings[0].message.contains("plain Ubuntu with torch"))
        let devel = try Self.check(
            "FROM pytorch/pytorch:2.6.0-cuda12.6-cudnn9-devel\n",
            try Self.geforce535()
        )
        #expect(base(devel) == ["1:error:base-image-cuda-newer"])
        #expect(devel.findings[0].message.contains("cuda>=12.6"))
        // Beyond the driver's CUDA major even the runtime image cannot run.
        let cuda13 = try Self.check(
            "FROM pytorch/pytorch:2.9.0-cuda13.0-cudnn9-runtime\n",
            try Self.geforce535()
        )
        #expect(base(cuda13) == ["1:error:base-image-driver-too-old"])
    }

    // MARK: The table

    @Test func aVersionTheTableDoesNotKnowFallsBackToItsCUDA() throws {
        let report = try Self.check(
            "FROM nvidia/cuda:12.7.0-base-ubuntu22.04\n",
            try TestHosts.guideNvidia()
        )
        #expect(report.summary == ["1:error:base-image-cuda-newer"])
        #expect(report.findings[0].message.contains("the image table does not know"))
    }

    /// A flavour the table lacks: from 12.4 every flavour carries one string.
    @Test func anUnknownFlavourUsesTheStringAllFlavoursShare() throws {
        let report = try Self.check(
            "FROM nvidia/cuda:12.4.1-runtime-debian12\n",
            try TestHosts.guideNvidia()
        )
        #expect(report.summary == ["1:warning:base-image-minor-compat"])
        #expect(report.findings[0].message.contains("every flavour it has carries the same"))
    }

    /// Before 12.4 flavours differ (ubuntu18.04 kept older branches): a flavour the table
    /// lacks is judged only when every flavour's string gives the same answer.
    @Test func anUnknownFlavourWhoseFlavoursDisagreeIsANote() throws {
        let at515 = try Self.host("nvidia-smi/q_535.129.03_a10.txt") {
            $0.nvidia?.driverVersion = "515.105.01"
            $0.nvidia?.cudaVersion = "11.7"
        }
        // ubuntu22.04 lists only R470 besides cuda>=11.8; ubuntu18.04 also lists R515.
        #expect(
            try Self.check("FROM nvidia/cuda:11.8.0-runtime-ubuntu22.04\n", at515).summary
                == ["1:error:base-image-cuda-newer"]
        )
        #expect(
            try Self.check("FROM nvidia/cuda:11.8.0-runtime-ubuntu18.04\n", at515).summary
                == ["1:warning:base-image-minor-compat"]
        )
        let unknown = try Self.check("FROM nvidia/cuda:11.8.0-runtime-debian11\n", at515)
        #expect(unknown.summary == ["1:note:base-image-require-unknown"])
        #expect(unknown.findings[0].message.contains("those strings disagree on this host"))
        // On the A10's own 535 (CUDA 12.2) every flavour's cuda>=11.8 holds.
        #expect(
            try Self.check(
                "FROM nvidia/cuda:11.8.0-runtime-debian11\n",
                try Self.host("nvidia-smi/q_535.129.03_a10.txt")
            ).summary == ["1:note:base-image-ok"]
        )
    }

    @Test func anUnknownBrandIsTriedBothWays() throws {
        let report = try DockerfileCheckerTests.Host.guideUnnamedGPU.report()
        // 12.4 lists every physical brand: the same outcome whatever the brand.
        #expect(
            try Self.check("FROM nvidia/cuda:12.4.1-base-ubuntu22.04\n", report).summary
                == ["1:warning:base-image-minor-compat"]
        )
        let depends = try Self.check("FROM nvidia/cuda:12.6.3-base-ubuntu22.04\n", report)
        #expect(depends.summary == ["1:warning:base-image-brand-unknown"])
        #expect(depends.findings[0].message.contains("accepted for quadro"))
    }

    // MARK: The evaluator

    static func subject(
        cuda: String = "12.2",
        driver: String = "535.171.04",
        brand: String? = "nvidia",
        arch: String? = "8.0"
    ) -> RequireExpression.Subject {
        RequireExpression.Subject(
            cuda: CUDAVersion(cuda),
            driver: DriverVersion(driver),
            brand: brand,
            arch: arch.flatMap(ComputeCapability.init)
        )
    }

    static func string(_ version: String, _ flavour: String, _ arch: String = "x86_64") -> String {
        CUDAImageTable.embedded.rows(version: version)
            .first { $0.flavour == flavour && $0.arch == arch }?.requirement ?? ""
    }

    @Test(
        arguments: [
            ("cuda>=12.2", true), ("cuda>=12.3", false), ("CUDA>=12.2", true),
            ("cuda>12.2", false), ("cuda<=12.2", true), ("cuda=12.2", true), ("cuda!=12.2", false),
            ("driver>=535", true), ("driver<536", true), ("driver>=535.171.05", false),
            ("driver=535.171.4", true), ("brand=NVIDIA", true), ("brand!=nvidia", false),
            ("arch>=8.0", true), ("arch>=9.0", false),
            ("cuda>=12.4 brand=nvidia,driver>=535,driver<536", true),
            ("cuda>=12.4 brand=tesla,driver>=535,driver<536", false),
            ("cuda>=12.4  ,brand=nvidia", true),
        ]
    )
    func factorsAndTerms(value: String, holds: Bool) {
        let outcome = RequireExpression.evaluate(value, Self.subject())
        if holds {
            guard case .satisfied = outcome else {
                Issue.record("\(value): \(outcome)")
                return
            }
        } else {
            guard case .unsatisfied = outcome else {
                Issue.record("\(value): \(outcome)")
                return
            }
        }
    }

    @Test func anInvalidFactorFailsUnlessAnEarlierFactorEndedItsTerm() {
        #expect(RequireExpression.evaluate("memory>=4", Self.subject()) == .invalid("memory>=4"))
        #expect(
            RequireExpression.evaluate("brand>nvidia", Self.subject()) == .invalid("brand>nvidia")
        )
        #expect(RequireExpression.evaluate("cuda>=x", Self.subject()) == .invalid("cuda>=x"))
        // The first term holds: the second is never read.
        #expect(
            RequireExpression.evaluate("cuda>=12.0 memory>=4", Self.subject())
                == .satisfied("cuda>=12.0")
        )
        // A false factor ends its term before the invalid one.
        #expect(
            RequireExpression.evaluate("cuda>=13.0,memory>=4", Self.subject())
                == .unsatisfied(
                    "unsatisfied condition: cuda>=13.0,memory>=4, please update your driver to a "
                        + "newer version, or use an earlier cuda container"
                )
        )
        #expect(
            RequireExpression.evaluate("arch>=8.0", Self.subject(arch: nil))
                == .unknown("arch>=8.0")
        )
    }

    /// With no GPU selected libnvidia-container evaluates once, `brand` and `arch` holding.
    @Test func withNoDeviceBrandAndArchHold() {
        var subject = Self.subject(brand: nil, arch: nil)
        subject.noDevice = true
        #expect(
            RequireExpression.evaluate("cuda>=12.4 brand=tesla,driver>=535,arch>=9.0", subject)
                == .satisfied("brand=tesla,driver>=535,arch>=9.0")
        )
        #expect(
            RequireExpression.evaluate("brand=tesla,driver>=550", subject)
                == .unsatisfied("unsatisfied condition: brand=tesla,driver>=550")
        )
    }

    /// The research's hand-evaluated examples, on the table's real strings.
    @Test func theResearchExamples() {
        func holds(_ value: String, _ subject: RequireExpression.Subject) -> Bool {
            if case .satisfied = RequireExpression.evaluate(value, subject) { return true }
            return false
        }
        let geforce535 = Self.subject(brand: "geforce")
        #expect(holds(Self.string("12.4.1", "ubuntu22.04"), geforce535))
        #expect(!holds(Self.string("12.6.3", "ubuntu22.04"), geforce535))
        #expect(holds(Self.string("12.6.3", "ubuntu22.04"), Self.subject(brand: "nvidia")))
        #expect(
            holds(
                Self.string("12.8.1", "ubuntu22.04"),
                Self.subject(cuda: "12.4", driver: "550.127.05", brand: "tesla")
            )
        )
        let h100At570 = Self.subject(cuda: "12.8", driver: "570.124.06", brand: "nvidia")
        #expect(holds(Self.string("13.0.0", "ubuntu24.04"), h100At570))
        let h100At560 = Self.subject(cuda: "12.6", driver: "560.35.03", brand: "nvidia")
        #expect(!holds(Self.string("13.0.0", "ubuntu24.04"), h100At560))
        // 11.4.3 lists no branch: refused on R450 for every brand.
        for brand in ["tesla", "nvidia", "geforce"] {
            let r450 = Self.subject(cuda: "11.0", driver: "450.80.02", brand: brand)
            #expect(!holds(Self.string("11.4.3", "ubuntu20.04"), r450))
        }
        // 11.3's bare driver>=450 takes any brand on any driver from 450.
        let geforce450 = Self.subject(cuda: "11.0", driver: "450.80.02", brand: "geforce")
        #expect(holds(Self.string("11.3.1", "ubuntu20.04"), geforce450))
        // 12.3 arm64: `CUDA>=12.3` only.
        let grace535 = Self.subject(cuda: "12.2", driver: "535.183.01", brand: "nvidia")
        #expect(Self.string("12.3.2", "ubuntu22.04", "sbsa") == "CUDA>=12.3")
        #expect(!holds(Self.string("12.3.2", "ubuntu22.04", "sbsa"), grace535))
        #expect(holds(Self.string("12.4.1", "ubuntu22.04", "sbsa"), grace535))
        // 13.3.0 lacks R590; 13.3.1 has it.
        let r590 = Self.subject(cuda: "13.1", driver: "590.48.01", brand: "nvidia")
        #expect(!holds(Self.string("13.3.0", "ubuntu24.04"), r590))
        #expect(holds(Self.string("13.3.1", "ubuntu24.04"), r590))
    }
}
