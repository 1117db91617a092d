import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

/// One Dockerfile per finding kind, judged against hosts built from captured tool output:
/// each kind is reported with its severity, at its line, naming its facts; every report
/// follows Schemas/check-v1.
@Suite struct DockerfileCheckerTests {
    /// The hosts, all from real captures (Fixtures/README.md).
    enum Host: String, Sendable {
        /// The packaging guide's: 535.171.04, CUDA 12.2, RTX A6000 (compute capability not
        /// in nvidia-smi's table).
        case guide
        /// A100-SXM4-80GB (8.0) on 535.54.03, CUDA 12.2.
        case a100
        /// TITAN V (7.0) on 560.35.03, CUDA 12.6.
        case titanV
        /// GTX 1070 on 396.24, whose nvidia-smi prints no CUDA version.
        case gtx1070NoCUDA
        /// GH200 on an aarch64 host, 550.127.05, CUDA 12.4.
        case gh200
        /// RTX 5090 on 570.124.06, CUDA 12.8; the table omits its compute capability, 12.0
        /// (drivers-ascend.md §2.3), which the test fills in.
        case rtx5090
        /// A Debian VM with no accelerator.
        case noGPU
        /// A laptop's MX150 (6.1) with no driver loaded.
        case mx150
        /// nvidia-smi failing with a version mismatch: NVIDIA present, versions unknown.
        case brokenNvidia
        /// Two 910B4 NPUs, driver 24.1.rc2.2, no /etc/vnpu.cfg.
        case ascend
        /// Two GeForce RTX 4060 Ti on 550.54.14, CUDA 12.4 (nvidia-smi's table).
        case rtx4060Ti
        /// Eight Tesla V100-SXM2 on 550.127.05, CUDA 12.4 (nvidia-smi's table).
        case v100
        /// An A10 on 535.129.03, CUDA 12.2, from `nvidia-smi -q` (Product Brand NVIDIA).
        case a10
        /// The packaging guide's host with its GPU named `NVIDIA Graphics Device`, as nvidia-smi
        /// names a board its driver has no name for: neither report nor name gives a brand or
        /// a compute capability.
        case guideUnnamedGPU
        /// A GeForce RTX 2080 SUPER under Windows' driver 591.86 (WDDM), nvidia-smi's table.
        case windows

        func report() throws -> HostReport {
            switch self {
            case .guide: try TestHosts.guideNvidia()
            case .a100: try TestHosts.bundle("a100-sxm4-mig-xml")
            case .titanV: try TestHosts.nvidia("nvidia-smi/q_560.35.03_titan_v.txt")
            case .gtx1070NoCUDA:
                try TestHosts.nvidia("nvidia-smi/table_396.24_gtx1070_no_cuda.txt")
            case .gh200:
                try TestHosts.nvidia("nvidia-smi/table_550.127.05_gh200.txt", machine: "aarch64")
            case .rtx5090:
                try {
                    var report = try TestHosts.nvidia("nvidia-smi/table_570.124.06_rtx5090.txt")
                    report.nvidia?.gpus[0].computeCapability = "12.0"
                    return report
                }()
            case .noGPU: try TestHosts.bundle("debian12-vm-no-gpu")
            case .mx150: try TestHosts.bundle("laptop-mx150-no-driver")
            case .brokenNvidia: try TestHosts.bundle("nvidia-version-mismatch")
            case .ascend: try TestHosts.bundle("ascend-910b4")
            case .rtx4060Ti: try TestHosts.nvidia("nvidia-smi/table_550.54.14_rtx4060ti_x2.txt")
            case .v100: try TestHosts.nvidia("nvidia-smi/table_550.127.05_v100x8.txt")
            case .a10: try TestHosts.nvidia("nvidia-smi/q_535.129.03_a10.txt")
            case .windows: try TestHosts.nvidia("nvidia-smi/table_591.86_windows_wddm.txt")
            case .guideUnnamedGPU:
                try {
                    var report = try TestHosts.guideNvidia()
                    // The name no longer tells the chip either.
                    report.nvidia?.gpus[0].name = "NVIDIA Graphics Device"
                    report.nvidia?.gpus[0].computeCapability = nil
                    report.nvidia?.gpus[0].architecture = nil
                    return report
                }()
            }
        }
    }

    struct Scenario: Sendable, CustomTestStringConvertible {
        let kind: Finding.Kind
        let severity: Finding.Severity
        let line: Int
        let host: Host
        let contains: String
        let dockerfile: String
        var context: [String: ContextEntry] = [:]
        /// Context files given with their text (requirements files).
        var texts: [String: String] = [:]
        /// Context paths that are symbolic links out of it, with their targets.
        var links: [String: String] = [:]
        /// `--build-arg` values.
        var buildArguments: [String: String] = [:]
        var testDescription: String { kind.rawValue }
    }

    static let installer: [String: ContextEntry] = [
        "NVIDIA-Linux-x86_64-535.171.04.run": .file(size: 325_000_000),
        "NVIDIA-Linux-x86_64-535.161.07.run": .file(size: 325_000_000),
        "NVIDIA-Linux-x86_64-550.135.run": .file(size: 345_000_000),
        "NVIDIA-Linux-aarch64-535.171.04.run": .file(size: 250_000_000),
        "driver.run": .file(size: 300_000_000),
    ]

    /// Every Ascend file staged as `stage-ascend` stages it.
    static let staged: [String: ContextEntry] = Dictionary(
        uniqueKeysWithValues: AscendFiles.all.map {
            ($0.contextPath, $0.kind == .directory ? ContextEntry.directory : .file(size: 4096))
        }
    )

    /// The Ascend COPY lines `gpuprobe dockerfile` writes, one per file.
    static let ascendCopies = AscendFiles.all.map { "COPY \($0.contextPath) \($0.imagePath)" }
        .joined(separator: "\n")

    static let scenarios: [Scenario] = [
        Scenario(
            kind: .unresolvedVariable,
            severity: .note,
            line: 2,
            host: .guide,
            contains: "$CUDA",
            dockerfile: "ARG CUDA\nFROM nvidia/cuda:${CUDA}-base-ubuntu22.04\n"
        ),
        // MARK: NVIDIA installer
        Scenario(
            kind: .installerExact,
            severity: .note,
            line: 3,
            host: .guide,
            contains: "same version as the host's driver 535.171.04",
            dockerfile: """
                FROM ubuntu:22.04
                COPY NVIDIA-Linux-x86_64-535.171.04.run /tmp/
                RUN sh /tmp/NVIDIA-Linux-x86_64-535.171.04.run --no-kernel-modules --silent
                """,
            context: installer
        ),
        Scenario(
            kind: .installerOlder,
            severity: .warning,
            line: 3,
            host: .guide,
            contains: "535.161.07, older than the host's driver 535.171.04",
            dockerfile: """
                FROM ubuntu:22.04
                COPY NVIDIA-Linux-x86_64-535.161.07.run /tmp/driver.run
                RUN /tmp/driver.run --no-kernel-modules --silent
                """,
            context: installer
        ),
        Scenario(
            kind: .installerNewer,
            severity: .error,
            line: 4,
            host: .guide,
            contains: "550.135, newer than the host's driver 535.171.04",
            dockerfile: """
                FROM ubuntu:22.04
                WORKDIR /opt
                COPY NVIDIA-Linux-x86_64-550.135.run .
                RUN chmod +x NVIDIA-Linux-x86_64-550.135.run && ./NVIDIA-Linux-x86_64-550.135.run -s --no-kernel-module
                """,
            context: installer
        ),
        Scenario(
            kind: .installerKernelModule,
            severity: .error,
            line: 3,
            host: .guide,
            contains: "without --no-kernel-modules",
            dockerfile: """
                FROM ubuntu:22.04
                COPY NVIDIA-Linux-x86_64-535.171.04.run /
                RUN bash /NVIDIA-Linux-x86_64-535.171.04.run --silent
                """,
            context: installer
        ),
        Scenario(
            kind: .installerNotSilent,
            severity: .error,
            line: 3,
            host: .guide,
            contains: "without --silent",
            dockerfile: """
                FROM ubuntu:22.04
                COPY NVIDIA-Linux-x86_64-535.171.04.run /tmp/
                RUN cd /tmp && ./NVIDIA-Linux-x86_64-535.171.04.run --no-kernel-modules
                """,
            context: installer
        ),
        Scenario(
            kind: .installerAcceptLicense,
            severity: .note,
            line: 3,
            host: .guide,
            contains: "obsolete",
            dockerfile: """
                FROM ubuntu:22.04
                COPY NVIDIA-Linux-x86_64-535.171.04.run /tmp/
                RUN /tmp/NVIDIA-Linux-x86_64-535.171.04.run -s --no-kernel-modules --accept-license
                """,
            context: installer
        ),
        Scenario(
            kind: .installerSourceMissing,
            severity: .error,
            line: 2,
            host: .guide,
            contains: "NVIDIA-Linux-x86_64-535.171.04.run is not in the build context",
            dockerfile: """
                FROM ubuntu:22.04
                COPY NVIDIA-Linux-x86_64-535.171.04.run /tmp/
                RUN /tmp/NVIDIA-Linux-x86_64-535.171.04.run -s --no-kernel-modules
                """
        ),
        Scenario(
            kind: .installerTruncated,
            severity: .warning,
            line: 2,
            host: .guide,
            contains: "only 133 bytes",
            dockerfile: """
                FROM ubuntu:22.04
                COPY NVIDIA-Linux-x86_64-535.171.04.run /tmp/
                RUN /tmp/NVIDIA-Linux-x86_64-535.171.04.run -s --no-kernel-modules
                """,
            context: ["NVIDIA-Linux-x86_64-535.171.04.run": .file(size: 133)]
        ),
        Scenario(
            kind: .installerNoHostDriver,
            severity: .warning,
            line: 3,
            host: .noGPU,
            contains: "no NVIDIA GPU or driver",
            dockerfile: """
                FROM ubuntu:22.04
                COPY NVIDIA-Linux-x86_64-535.171.04.run /tmp/
                RUN /tmp/NVIDIA-Linux-x86_64-535.171.04.run -s --no-kernel-modules
                """,
            context: installer
        ),
        Scenario(
            kind: .installerHostVersionUnknown,
            severity: .warning,
            line: 3,
            host: .brokenNvidia,
            contains: "driver version is unknown",
            dockerfile: """
                FROM ubuntu:22.04
                COPY NVIDIA-Linux-x86_64-535.171.04.run /tmp/
                RUN /tmp/NVIDIA-Linux-x86_64-535.171.04.run -s --no-kernel-modules
                """,
            context: installer
        ),
        Scenario(
            kind: .installerNameUnknown,
            severity: .note,
            line: 3,
            host: .guide,
            contains: "'driver.run'",
            dockerfile: """
                FROM ubuntu:22.04
                COPY driver.run /tmp/driver.run
                RUN sh /tmp/driver.run --silent --no-kernel-modules
                """,
            context: installer
        ),
        Scenario(
            kind: .installerArchitecture,
            severity: .error,
            line: 3,
            host: .guide,
            contains: "built for aarch64 but the host is x86_64",
            dockerfile: """
                FROM ubuntu:22.04
                COPY NVIDIA-Linux-aarch64-535.171.04.run /tmp/
                RUN /tmp/NVIDIA-Linux-aarch64-535.171.04.run --silent --no-kernel-modules
                """,
            context: installer
        ),
        // MARK: nouveau
        Scenario(
            kind: .nouveauEchoE,
            severity: .error,
            line: 2,
            host: .guide,
            contains: "\"-e blacklist nouveau\"",
            dockerfile: """
                FROM ubuntu:22.04
                RUN echo -e "blacklist nouveau\\noptions nouveau modeset=0" > /etc/modprobe.d/blacklist-nouveau.conf
                """
        ),
        Scenario(
            kind: .nouveauInImage,
            severity: .note,
            line: 2,
            host: .guide,
            contains: "host's kernel",
            dockerfile: """
                FROM ubuntu:22.04
                RUN printf 'blacklist nouveau\\n' > /etc/modprobe.d/nouveau.conf && update-initramfs -u
                """
        ),
        // MARK: torch
        Scenario(
            kind: .torchUnpinned,
            severity: .note,
            line: 2,
            host: .a100,
            contains: "does not pin one torch version",
            dockerfile: """
                FROM python:3.11
                RUN pip3 install torch torchvision --index-url https://download.pytorch.org/whl/cu121
                """
        ),
        Scenario(
            kind: .torchFindLinksPage,
            severity: .warning,
            line: 2,
            host: .a100,
            contains: "documentation page",
            dockerfile: """
                FROM python:3.11
                RUN pip install torch==2.4.0 -f https://pytorch.org/get-started/previous-versions/#install-pytorch-using-pip-cu124
                """
        ),
        Scenario(
            kind: .torchPyPIDefault,
            severity: .note,
            line: 2,
            host: .a100,
            contains: "torch 2.4.0 comes from https://mirrors.example.org/pypi/simple with no "
                + "CUDA variant chosen",
            dockerfile: """
                FROM python:3.11
                RUN python3 -m pip install --no-cache-dir torch==2.4.0 -i https://mirrors.example.org/pypi/simple
                """
        ),
        Scenario(
            kind: .pipRequirementsUnseen,
            severity: .note,
            line: 2,
            host: .a100,
            contains: "pip installs from /tmp/requirements.txt, which no COPY from the build "
                + "context puts at /tmp/requirements.txt before this line",
            dockerfile: """
                FROM python:3.11
                RUN pip install -r /tmp/requirements.txt
                """
        ),
        Scenario(
            kind: .pipRequirementsOutside,
            severity: .note,
            line: 3,
            host: .a100,
            contains: "pip installs from /app/requirements.txt, which a COPY takes from "
                + "requirements.txt, but the symbolic link 'requirements.txt -> /etc/app/req.txt' "
                + "leads out of the build context",
            dockerfile: """
                FROM python:3.11
                COPY requirements.txt /app/
                RUN pip install -r /app/requirements.txt
                """,
            links: ["requirements.txt": "/etc/app/req.txt"]
        ),
        Scenario(
            kind: .pipRequirementsLimit,
            severity: .error,
            line: 3,
            host: .a100,
            contains: "pip installs from r129.txt, a requirements file past the 128 gpuprobe reads "
                + "for one install: a torch named in what is not read goes unchecked, so this "
                + "verdict is incomplete",
            dockerfile: """
                FROM python:3.11
                COPY . .
                RUN pip install \((1...129).map { "-r r\($0).txt" }.joined(separator: " "))
                """,
            texts: Dictionary(uniqueKeysWithValues: (1...129).map { ("r\($0).txt", "numpy\n") })
        ),
        Scenario(
            kind: .torchBackendAuto,
            severity: .warning,
            line: 2,
            host: .guide,
            contains: "installs the CPU wheel",
            dockerfile: """
                FROM python:3.11
                RUN uv pip install --system torch==2.7.1 --torch-backend=auto
                """
        ),
        Scenario(
            kind: .torchVersionUnknown,
            severity: .note,
            line: 2,
            host: .guide,
            contains: "torch 2.4.7 is not in the catalog",
            dockerfile: "FROM python:3.11\nRUN pip install torch==2.4.7+cu124\n"
        ),
        Scenario(
            kind: .torchVariantUnknown,
            severity: .warning,
            line: 2,
            host: .guide,
            contains: "lists every CUDA variant and the requirement names none",
            dockerfile: """
                FROM python:3.11
                RUN pip install torch==2.4.0 -f https://download.pytorch.org/whl/torch_stable.html
                """
        ),
        Scenario(
            kind: .torchDriverTooOld,
            severity: .error,
            line: 2,
            host: .guide,
            contains: "needs driver >= 580, host has 535.171.04",
            dockerfile: """
                FROM python:3.11
                RUN pip install torch==2.11.0 --index-url https://download.pytorch.org/whl/cu130
                """
        ),
        Scenario(
            kind: .torchMinorCompat,
            severity: .warning,
            line: 2,
            host: .a100,
            contains: "CUDA 12.4, newer than driver 535.54.03 (CUDA 12.2)",
            dockerfile: """
                FROM python:3.11
                RUN pip install torch==2.4.0+cu124 --extra-index-url https://download.pytorch.org/whl/cu124
                """
        ),
        Scenario(
            kind: .torchNoKernels,
            severity: .error,
            line: 2,
            host: .titanV,
            contains: "NVIDIA TITAN V (0000:01:00.0), compute capability 7.0: torch 2.7.1+cu128 "
                + "(from the index https://download.pytorch.org/whl/cu128, the highest version "
                + "across PyPI, https://download.pytorch.org/whl/cu128) has no kernels for it "
                + "(SASS sm_75 sm_80 sm_86 sm_90 sm_100 sm_120",
            dockerfile: """
                FROM python:3.11
                RUN pip install torch==2.7.1 --extra-index-url https://download.pytorch.org/whl/cu128
                """
        ),
        Scenario(
            kind: .torchPTXJIT,
            severity: .note,
            line: 2,
            host: .rtx5090,
            contains: "compute capability 12.0: torch 2.4.0+cu124 has no SASS for it",
            dockerfile: """
                FROM python:3.11
                RUN pip install torch==2.4.0+cu124 -f https://download.pytorch.org/whl/torch_stable.html
                """
        ),
        Scenario(
            kind: .torchKernelsUnchecked,
            severity: .note,
            line: 2,
            host: .guideUnnamedGPU,
            contains: "NVIDIA Graphics Device (0000:61:00.0): its compute capability is not in "
                + "the host report",
            dockerfile: """
                FROM python:3.11
                RUN pip install torch==2.4.0+cu121 --index-url https://download.pytorch.org/whl/cu121
                """
        ),
        Scenario(
            kind: .torchOK,
            severity: .note,
            line: 2,
            host: .a100,
            contains: "torch 2.4.0+cu121 (from its +cu121 local version) runs on driver 535.54.03",
            dockerfile: """
                FROM python:3.11
                RUN /opt/conda/bin/pip install torch==2.4.0+cu121 -f https://download.pytorch.org/whl/torch_stable.html
                """
        ),
        Scenario(
            kind: .torchCPUOnGPUHost,
            severity: .note,
            line: 2,
            host: .a100,
            contains:
                "torch 2.4.0+cpu (from the index https://download.pytorch.org/whl/cpu) has no CUDA",
            dockerfile: """
                FROM python:3.11
                RUN pip install torch==2.4.0 --index-url https://download.pytorch.org/whl/cpu
                """
        ),
        Scenario(
            kind: .torchCUDAWithoutGPU,
            severity: .note,
            line: 2,
            host: .noGPU,
            contains: "no NVIDIA GPU",
            dockerfile: """
                FROM python:3.11
                RUN pip install torch==2.4.0+cu121 --index-url https://download.pytorch.org/whl/cu121
                """
        ),
        Scenario(
            kind: .torchHostDriverMissing,
            severity: .warning,
            line: 2,
            host: .mx150,
            contains: "have none loaded",
            dockerfile: """
                FROM python:3.11
                RUN pip install torch==2.4.0+cu121 --index-url https://download.pytorch.org/whl/cu121
                """
        ),
        Scenario(
            kind: .torchCompanionMismatch,
            severity: .warning,
            line: 2,
            host: .a100,
            contains: "torchvision==0.18.0: torch 2.4.0 pairs with torchvision 0.19.0",
            dockerfile: """
                FROM python:3.11
                RUN pip install torch==2.4.0 torchvision==0.18.0 --index-url https://download.pytorch.org/whl/cu121
                """
        ),
        Scenario(
            kind: .torchNoWheelsForMachine,
            severity: .warning,
            line: 2,
            host: .gh200,
            contains: "no aarch64 wheels of torch 2.4.0+cu121",
            dockerfile: """
                FROM python:3.11
                RUN pip install torch==2.4.0+cu121 --index-url https://download.pytorch.org/whl/cu121
                """
        ),
        // MARK: Ascend
        Scenario(
            kind: .ascendSourceMissing,
            severity: .error,
            line: 2,
            host: .ascend,
            contains: "ascend/dcmi (for /usr/local/dcmi) is not in the build context",
            dockerfile: "FROM ubuntu:22.04\nCOPY ascend/dcmi /usr/local/dcmi\n"
        ),
        Scenario(
            kind: .ascendSourceKind,
            severity: .error,
            line: 2,
            host: .ascend,
            contains: "ascend/driver in the build context is a file",
            dockerfile:
                "FROM ubuntu:22.04\nCOPY ascend/driver /usr/local/Ascend/driver/lib64/driver\n",
            context: ["ascend/driver": .file(size: 10)]
        ),
        Scenario(
            kind: .ascendCopyMissing,
            severity: .warning,
            line: 3,
            host: .ascend,
            contains: "not /usr/local/Ascend/driver/version.info",
            dockerfile: """
                FROM ubuntu:22.04
                COPY ascend/dcmi /usr/local/dcmi
                COPY ascend/npu-smi /usr/local/bin/
                """,
            context: staged
        ),
        Scenario(
            kind: .ascendLibraryPath,
            severity: .warning,
            line: 2,
            host: .ascend,
            contains: "lacks /usr/local/Ascend/driver/lib64/driver",
            dockerfile: """
                FROM ubuntu:22.04
                ENV LD_LIBRARY_PATH=/usr/local/Ascend/driver/lib64/common:$LD_LIBRARY_PATH
                \(ascendCopies)
                """,
            context: staged
        ),
        Scenario(
            kind: .ascendVNPUAbsent,
            severity: .warning,
            line: 8,
            host: .ascend,
            contains: "copies /etc/vnpu.cfg, but the host has none",
            dockerfile: """
                FROM ubuntu:22.04
                ENV LD_LIBRARY_PATH=/usr/local/Ascend/driver/lib64/common:/usr/local/Ascend/driver/lib64/driver
                \(ascendCopies)
                """,
            context: staged
        ),
        Scenario(
            kind: .ascendNoHost,
            severity: .warning,
            line: 2,
            host: .guide,
            contains: "host shows no Ascend NPU",
            dockerfile: "FROM ubuntu:22.04\nCOPY ascend/dcmi /usr/local/dcmi\n",
            context: staged
        ),
    ]

    static func check(_ scenario: Scenario) throws -> CheckReport {
        try TestHosts.check(
            scenario.dockerfile,
            try scenario.host.report(),
            context: BuildContext(
                entries: scenario.context,
                texts: scenario.texts,
                links: scenario.links
            ),
            buildArguments: scenario.buildArguments
        )
    }

    /// Every scenario, one per finding kind: the lists in other files add theirs here.
    static var kindScenarios: [Scenario] {
        scenarios + HostKindCheckTests.hostKindScenarios + baseImageScenarios
            + pipResolutionScenarios + buildValueScenarios + installerScenarios + distroScenarios
            + AscendSoftwareCheckTests.scenarios
    }

    /// Where a release note confirms PyPI's build of a release, a PyPI-only install is judged
    /// as that variant (kinds that `scenarios` already shows for explicit indexes).
    static let pypiScenarios: [Scenario] = [
        Scenario(
            kind: .torchDriverTooOld,
            severity: .error,
            line: 2,
            host: .a100,
            contains: "torch 2.11.0 (PyPI's CUDA 13.0 build, from PyPI) cannot load: it needs "
                + "driver >= 580, host has 535.54.03",
            dockerfile: """
                FROM python:3.11
                RUN pip install torch==2.11.0 torchvision==0.26.0
                """
        ),
        Scenario(
            kind: .torchMinorCompat,
            severity: .warning,
            line: 2,
            host: .a100,
            contains: "torch 2.5.1 (PyPI's CUDA 12.4 build, from PyPI)",
            dockerfile: """
                FROM python:3.11
                RUN pip install torch==2.5.1
                """
        ),
        Scenario(
            kind: .torchDriverTooOld,
            severity: .error,
            line: 2,
            host: .a100,
            contains: "torch 2.15.0 (PyPI's CUDA 13.2 build, from PyPI, the newest that fits in "
                + "the catalog (updated 2026-12-05)) cannot load",
            dockerfile: """
                FROM python:3.11
                RUN pip install torch
                """
        ),
    ]

    /// Where pip's choice is not known, PyPI's build is not judged.
    ///
    /// Torch already in the base image (pip keeps it), a range the catalog has nothing for. A
    /// range the catalog can resolve is judged (PipResolutionTests); on aarch64, PyPI's torch
    /// up to 2.10 is a CPU build.
    @Test(
        arguments: [
            (
                "FROM pytorch/pytorch:2.1.0-cuda12.1-cudnn8-runtime\nRUN pip install torch\n",
                "x86_64"
            ),
            ("FROM python:3.11\nRUN pip install \"torch<1.12\"\n", "x86_64"),
            ("FROM python:3.11\nRUN pip install torch==2.5.1\n", "aarch64"),
        ]
    )
    func pypisNewestIsJudgedOnlyWhenPipWouldTakeIt(dockerfile: String, machine: String) throws {
        var report = try TestHosts.a100()
        report.host.architecture = machine
        let checked = try TestHosts.check(dockerfile, report)
        #expect(
            !checked.findings.contains { $0.message.contains("PyPI's CUDA") },
            "\(checked.findings.map(\.message))"
        )
        #expect(checked.compatible)
        if dockerfile.hasPrefix("FROM pytorch/") {
            // pip keeps the image's torch: nothing says PyPI's build is installed.
            #expect(checked.kind(.torchPyPIDefault).isEmpty)
        }
        if machine == "aarch64" {
            #expect(
                checked.kind(.torchCPUOnGPUHost).first?.message.contains("PyPI's CPU build")
                    == true
            )
        }
    }

    /// `pip install -r`: the file is read from the context where a COPY put it, with its own
    /// index options, and files it names are followed.
    static let requirementsScenarios: [Scenario] = [
        Scenario(
            kind: .torchDriverTooOld,
            severity: .error,
            line: 4,
            host: .a100,
            contains: "torch 2.11.0+cu130 (from the index https://download.pytorch.org/whl/cu130, "
                + "the highest version across PyPI, https://download.pytorch.org/whl/cu130)",
            dockerfile: """
                FROM python:3.11
                WORKDIR /app
                COPY requirements.txt .
                RUN pip install --no-cache-dir -r requirements.txt
                """,
            texts: [
                "requirements.txt": """
                # the model server
                numpy>=1.26
                torch == 2.11.0 ; platform_machine == "x86_64"  # pinned
                --extra-index-url https://download.pytorch.org/whl/cu130

                """
            ]
        ),
        Scenario(
            kind: .torchMinorCompat,
            severity: .warning,
            line: 3,
            host: .a100,
            contains: "torch 2.5.1 (PyPI's CUDA 12.4 build, from PyPI)",
            dockerfile: """
                FROM python:3.11
                COPY . /src
                RUN pip install -r /src/deploy/requirements.txt
                """,
            texts: [
                "deploy/requirements.txt": "-r base.txt\n", "deploy/base.txt": "torch==2.5.1\n",
            ]
        ),
    ]

    @Test(arguments: kindScenarios + pypiScenarios + requirementsScenarios)
    func reportsTheFinding(_ scenario: Scenario) throws {
        let report = try Self.check(scenario)
        let matching = report.kind(scenario.kind).filter {
            $0.line == scenario.line && $0.severity == scenario.severity
                && $0.message.contains(scenario.contains)
        }
        #expect(
            matching.count == 1,
            "\(report.summary) \(report.kind(scenario.kind).map(\.message))"
        )
        #expect(report.compatible == !report.findings.contains { $0.severity == .error })
        #expect(report.compatible == (report.errors == 0))
        #expect(
            report.findings.allSatisfy {
                !$0.message.contains("\n") && !($0.fix ?? "").contains("\n")
                    && ($0.severity == .note || $0.fix != nil)
            }
        )
    }

    /// One check-jsonschema run for every scenario's report, rather than one each.
    @Test func everyReportFollowsTheSchema() throws {
        var documents: [String: Data] = [:]
        for scenario in Self.kindScenarios {
            let report = JSONOutput.render(try Self.check(scenario))
            documents[scenario.kind.rawValue] = Data(report.utf8)
        }
        let problems = try JSONSchemaCheck.validate(documents, against: "check-v1.schema.json")
        #expect(problems.count == Self.kindScenarios.count)
        #expect(problems.filter { !$0.value.isEmpty } == [:])
    }

    @Test func everyKindInTheSchemaHasAScenario() throws {
        let url = Fixtures.root.deletingLastPathComponent()
            .appendingPathComponent("Schemas/check-v1.schema.json")
        let schema = try JSONSerialization.jsonObject(with: Data(contentsOf: url))
        let defs = (schema as? [String: Any])?["$defs"] as? [String: Any]
        let finding = defs?["finding"] as? [String: Any]
        let properties = finding?["properties"] as? [String: Any]
        let kinds = (properties?["kind"] as? [String: Any])?["enum"] as? [String] ?? []
        #expect(!kinds.isEmpty)
        #expect(Set(kinds) == Set(Self.kindScenarios.map(\.kind.rawValue)))
        #expect(kinds.count == Self.kindScenarios.count)
    }

    @Test func aCompatibleDockerfileHasNoErrors() throws {
        let report = try TestHosts.check(
            """
            FROM nvidia/cuda:12.2.2-runtime-ubuntu22.04
            RUN pip install torch==2.4.0 torchvision==0.19.0 torchaudio==2.4.0 \\
                --index-url https://download.pytorch.org/whl/cu121
            """,
            try Host.a100.report()
        )
        #expect(report.compatible)
        #expect(report.summary == ["1:note:base-image-ok", "2:note:torch-ok"])
        #expect(
            CheckText.render(report).hasSuffix(
                ": 0 errors, 0 warnings, 2 notes: compatible with this host\n"
            )
        )
    }
}
