import Testing

@testable import GPUProbe
@testable import TestSupport

extension DockerfileCheckerTests {
    /// The installer kinds that recognise a `.run` by what it is.
    static let installerScenarios: [Scenario] = [
        Scenario(
            kind: .driverOnWindowsHost,
            severity: .error,
            line: 3,
            host: .windows,
            contains:
                "run under the Windows driver (WDDM) and reach Linux containers through WSL 2",
            dockerfile: """
                FROM ubuntu:22.04
                COPY NVIDIA-Linux-x86_64-590.48.01.run /root/
                RUN sh /root/NVIDIA-Linux-x86_64-590.48.01.run --silent --no-kernel-module
                """,
            context: ["NVIDIA-Linux-x86_64-590.48.01.run": .file(size: 300_000_000)]
        ),
        Scenario(
            kind: .installerOptionUnsupported,
            severity: .error,
            line: 3,
            host: .guide,
            contains: "470.256.02, which has no --no-kernel-modules",
            dockerfile: """
                FROM ubuntu:20.04
                COPY NVIDIA-Linux-x86_64-470.256.02.run /tmp/
                RUN sh /tmp/NVIDIA-Linux-x86_64-470.256.02.run --silent --no-kernel-modules
                """,
            context: ["NVIDIA-Linux-x86_64-470.256.02.run": .file(size: 270_000_000)]
        ),
        Scenario(
            kind: .installerCUDADriver,
            severity: .note,
            line: 3,
            host: .a100,
            contains: "installs its bundled driver 535.54.03",
            dockerfile: """
                FROM ubuntu:22.04
                WORKDIR /tmp
                RUN wget -q https://developer.download.nvidia.com/compute/cuda/12.2.0/local_installers/cuda_12.2.0_535.54.03_linux.run && sh cuda_12.2.0_535.54.03_linux.run --silent
                """
        ),
        // On an NVIDIA host; on an Ascend host the CANN is judged against its driver
        // (installer-cann-paired and the others).
        Scenario(
            kind: .installerAscendCANN,
            severity: .note,
            line: 3,
            host: .guide,
            contains: "installs Ascend CANN toolkit 8.0.0, not an NVIDIA driver",
            dockerfile: """
                FROM ubuntu:22.04
                COPY Ascend-cann-toolkit_8.0.0_linux-aarch64.run /tmp/
                RUN chmod +x /tmp/Ascend-cann-toolkit_8.0.0_linux-aarch64.run && /tmp/Ascend-cann-toolkit_8.0.0_linux-aarch64.run --install --quiet
                """,
            context: ["Ascend-cann-toolkit_8.0.0_linux-aarch64.run": .file(size: 2_000_000_000)]
        ),
        Scenario(
            kind: .installerAscendDriver,
            severity: .note,
            line: 3,
            host: .ascend,
            contains: "installs the Ascend NPU driver 24.1.rc2 into the image",
            dockerfile: """
                FROM ubuntu:22.04
                COPY Ascend-hdk-910b-npu-driver_24.1.rc2_linux-aarch64.run /tmp/
                RUN sh /tmp/Ascend-hdk-910b-npu-driver_24.1.rc2_linux-aarch64.run --full --quiet
                """,
            context: [
                "Ascend-hdk-910b-npu-driver_24.1.rc2_linux-aarch64.run": .file(size: 300_000_000)
            ]
        ),
    ]
}

/// `.run` files judged as what they are: NVIDIA's driver installers however they are named or
/// fetched, the CUDA runfile by its options, Ascend packages and other vendors' tools not as
/// NVIDIA drivers; installer advice by the installer's own version.
@Suite struct InstallerRecognitionTests {
    static func check(
        _ dockerfile: String,
        _ host: DockerfileCheckerTests.Host = .guide,
        context: [String: ContextEntry] = [:]
    ) throws -> CheckReport {
        try TestHosts.check(dockerfile, try host.report(), context: BuildContext(entries: context))
    }

    /// Huawei's CANN installer takes `--install --quiet`: none of NVIDIA's rules apply to it.
    @Test func anAscendCANNToolkitIsNotAnNVIDIADriver() throws {
        let dockerfile = """
            FROM ubuntu:22.04
            COPY Ascend-cann-toolkit_8.0.0_linux-x86_64.run /tmp/
            RUN /tmp/Ascend-cann-toolkit_8.0.0_linux-x86_64.run --install --quiet
            """
        let context: [String: ContextEntry] = [
            "Ascend-cann-toolkit_8.0.0_linux-x86_64.run": .file(size: 2_000_000_000)
        ]
        let report = try Self.check(dockerfile, .guide, context: context)
        #expect(report.summary == ["3:note:installer-ascend-cann"])
        #expect(report.compatible)
        // On an aarch64 Ascend host its CANN is judged against the driver, and the finding also
        // names the architecture it is built for.
        var host = try DockerfileCheckerTests.Host.ascend.report()
        host.host.architecture = "aarch64"
        let ascend = try TestHosts.check(dockerfile, host, context: BuildContext(entries: context))
        #expect(ascend.kind(.installerAscendCANN).isEmpty)
        let note = try #require(ascend.kind(.installerCANNPaired).first)
        #expect(note.message.contains("built for x86_64 and the host is aarch64"))
        #expect(ascend.findings.allSatisfy { !$0.kind.rawValue.hasPrefix("installer-kernel") })
    }

    /// A small Ascend kernels package is not a truncated NVIDIA installer.
    @Test func smallAscendPackagesAreNotTruncatedInstallers() throws {
        let report = try Self.check(
            """
            FROM ubuntu:22.04
            COPY Ascend-cann-kernels-910b_8.0.0_linux-aarch64.run /tmp/
            """,
            context: ["Ascend-cann-kernels-910b_8.0.0_linux-aarch64.run": .file(size: 40_000)]
        )
        #expect(report.findings.isEmpty, "\(report.summary)")
    }

    /// The CUDA toolkit's runfile with `--toolkit` installs no driver: nothing to judge.
    @Test(arguments: [
        "cuda_10.1.243_418.87.00_linux.run --silent --toolkit",
        "cuda_12.4.1_550.54.15_linux.run --silent --toolkit --override",
        "cuda_11.8.0_520.61.05_linux.run --extract=/opt/cuda-parts",
    ])
    func theCUDARunfileWithToolkitOnlyInstallsNoDriver(invocation: String) throws {
        let name = String(invocation.prefix { $0 != " " })
        let report = try Self.check(
            """
            FROM ubuntu:22.04
            COPY \(name) /tmp/
            RUN sh /tmp/\(invocation)
            """,
            context: [name: .file(size: 3_000_000_000)]
        )
        #expect(report.findings.isEmpty, "\(report.summary)")
        #expect(report.compatible)
    }

    /// Without `--toolkit` the runfile installs its bundled driver too: that driver is judged
    /// against the host like a `.run`'s, never as "misnamed" and never told
    /// `--no-kernel-modules`.
    @Test func theCUDARunfilesBundledDriverIsJudged() throws {
        let report = try Self.check(
            """
            FROM ubuntu:22.04
            COPY cuda_12.4.1_550.54.15_linux.run /tmp/
            RUN sh /tmp/cuda_12.4.1_550.54.15_linux.run --silent --driver --toolkit
            """,
            context: ["cuda_12.4.1_550.54.15_linux.run": .file(size: 4_000_000_000)]
        )
        #expect(report.summary == ["3:error:installer-newer", "3:note:installer-cuda-driver"])
        #expect(!report.compatible)
        let newer = try #require(report.kind(.installerNewer).first)
        #expect(newer.message.contains("550.54.15, newer than the host's driver 535.171.04"))
        #expect(newer.fix?.contains("--toolkit") == true)
        #expect(report.findings.allSatisfy { !($0.fix ?? "").contains("--no-kernel-modules") })
    }

    /// Another vendor's `.run` is not judged at all.
    @Test func anotherVendorsRunFileIsNotJudged() throws {
        let report = try Self.check(
            """
            FROM ubuntu:22.04
            COPY mlnx-tool-5.8.run /tmp/
            RUN chmod +x /tmp/mlnx-tool-5.8.run && /tmp/mlnx-tool-5.8.run --quiet && sh /tmp/mlnx-tool-5.8.run
            """,
            context: ["mlnx-tool-5.8.run": .file(size: 20_000)]
        )
        #expect(report.findings.isEmpty, "\(report.summary)")
    }

    /// `sh /tmp/NVIDIA-Linux-x86_64-*run`: a pattern without `.run` still names NVIDIA's
    /// installer, linked to the file copied before it.
    @Test func aPatternWithoutTheRunSuffixIsAnInstaller() throws {
        let report = try Self.check(
            """
            FROM ubuntu:22.04
            COPY NVIDIA-Linux-x86_64-550.135.run /tmp/
            RUN sh /tmp/NVIDIA-Linux-x86_64-*run -s --no-kernel-module
            """,
            context: ["NVIDIA-Linux-x86_64-550.135.run": .file(size: 1 << 28)]
        )
        #expect(report.summary == ["3:error:installer-newer"])
        #expect(report.findings[0].message.contains("(copied at line 2)"))
    }

    /// A pattern that nothing in the Dockerfile resolves: a note, the options still judged.
    @Test func anUnresolvedPatternIsANote() throws {
        let report = try Self.check(
            """
            FROM corp/driver-base:1
            RUN sh /opt/NVIDIA-Linux-x86_64-*run --no-kernel-module
            """
        )
        #expect(
            report.summary == ["2:error:installer-not-silent", "2:note:installer-name-unknown"]
        )
        let silent = try #require(report.kind(.installerNotSilent).first)
        // The version is unknown: the spelling every installer takes.
        #expect(
            silent.fix
                == "add --silent (`/opt/NVIDIA-Linux-x86_64-*run --no-kernel-module --silent`)"
        )
    }

    /// A driver downloaded into a name built from `ENV`, saved under another name and run
    /// after `chmod +x`: judged by the URL's name (not the name it is saved under), with no
    /// context file to look for.
    @Test(arguments: [
        (
            "curl -fsSL -o /tmp/nvidia-driver https://us.download.nvidia.com/XFree86/Linux-x86_64/${DRIVER_VERSION}/NVIDIA-Linux-x86_64-${DRIVER_VERSION}.run && chmod +x /tmp/nvidia-driver && /tmp/nvidia-driver -s --no-kernel-modules",
            "/tmp/nvidia-driver"
        ),
        (
            "cd /tmp && wget -q https://us.download.nvidia.com/XFree86/Linux-x86_64/${DRIVER_VERSION}/NVIDIA-Linux-x86_64-${DRIVER_VERSION}.run -O driver.run && sh driver.run --silent --no-kernel-modules",
            "driver.run"
        ),
        (
            "curl -fsSLO https://us.download.nvidia.com/tesla/${DRIVER_VERSION}/NVIDIA-Linux-x86_64-${DRIVER_VERSION}.run && sh NVIDIA-Linux-x86_64-*.run -s --no-kernel-modules",
            "*"
        ),
    ])
    func aDownloadedInstallerIsJudgedByItsURL(script: String, saved: String) throws {
        let dockerfile = """
            FROM ubuntu:22.04
            ENV DRIVER_VERSION=550.54.14
            RUN \(script)
            """
        let newer = try Self.check(dockerfile, .guide)
        #expect(newer.summary == ["3:error:installer-newer"])
        #expect(newer.findings.first?.message.contains("(downloaded at line 3)") == true)
        #expect(newer.findings.first?.message.contains("550.54.14, newer than") == true)
        #expect(newer.findings.first?.message.contains(saved) == false)
        let exact = try Self.check(dockerfile, .rtx4060Ti)
        #expect(exact.summary == ["3:note:installer-exact"])
        #expect(exact.compatible)
    }

    /// `ARG NV_VERSION` with no default: a note that says which `--build-arg` settles it, never
    /// "misnamed" on `NVIDIA-Linux-x86_64-.run`.
    @Test func anUnresolvedVersionNamesTheBuildArgument() throws {
        let run = try Self.check(
            """
            FROM ubuntu:22.04
            ARG NV_VERSION
            RUN ./NVIDIA-Linux-x86_64-$NV_VERSION.run --silent --no-kernel-module
            """
        )
        #expect(run.summary == ["3:note:unresolved-variable"])
        let copied = try Self.check(
            """
            FROM ubuntu:22.04
            ARG NV_VERSION
            COPY NVIDIA-Linux-x86_64-${NV_VERSION}.run /tmp/
            RUN /tmp/NVIDIA-Linux-x86_64-$NV_VERSION.run --silent --no-kernel-module
            """
        )
        // Said once, where the name is written.
        #expect(copied.summary == ["3:note:unresolved-variable"])
        for note in run.findings + copied.findings {
            #expect(note.message.contains("$NV_VERSION has no value known here"))
            #expect(note.fix?.contains("--build-arg NV_VERSION=535.171.04") == true)
            #expect(!note.message.contains("NVIDIA-Linux-x86_64-.run"))
        }
        #expect(run.compatible && copied.compatible)
    }

    /// The fix fits the installer's own version: 384.111 takes `--no-kernel-module` and needs
    /// `--accept-license`, which is not called obsolete there.
    @Test func adviceFitsAnOldInstaller() throws {
        let report = try Self.check(
            """
            FROM ubuntu:16.04
            COPY NVIDIA-Linux-x86_64-384.111.run /tmp/
            RUN sh /tmp/NVIDIA-Linux-x86_64-384.111.run --accept-license --ui=none
            """,
            context: ["NVIDIA-Linux-x86_64-384.111.run": .file(size: 80_000_000)]
        )
        #expect(
            report.summary == [
                "3:error:installer-kernel-module", "3:error:installer-not-silent",
                "3:warning:installer-older",
            ]
        )
        let kernel = try #require(report.kind(.installerKernelModule).first)
        #expect(kernel.message.contains("runs without --no-kernel-module:"))
        #expect(
            kernel.fix
                == "run it as `/tmp/NVIDIA-Linux-x86_64-384.111.run --no-kernel-module --silent "
                + "--accept-license`"
        )
        #expect(report.kind(.installerAcceptLicense).isEmpty)
    }

    /// From 515.43.04 the plural is NVIDIA's own spelling; `--accept-license` is obsolete.
    @Test func adviceFitsACurrentInstaller() throws {
        let report = try Self.check(
            """
            FROM ubuntu:22.04
            COPY NVIDIA-Linux-x86_64-535.171.04.run /tmp/
            RUN sh /tmp/NVIDIA-Linux-x86_64-535.171.04.run -a
            """,
            context: ["NVIDIA-Linux-x86_64-535.171.04.run": .file(size: 1 << 28)]
        )
        let kernel = try #require(report.kind(.installerKernelModule).first)
        #expect(kernel.fix?.contains("--no-kernel-modules --silent`") == true)
        #expect(report.kind(.installerAcceptLicense).map(\.severity) == [.note])
    }

    /// The old spelling is right on every version; the plural is unknown before 515.43.04.
    @Test(arguments: [
        ("--no-kernel-module", ["3:warning:installer-older"]),
        (
            "--no-kernel-modules",
            ["3:error:installer-option-unsupported", "3:warning:installer-older"]
        ),
    ])
    func theKernelModuleOptionBy470(option: String, summary: [String]) throws {
        let report = try Self.check(
            """
            FROM ubuntu:20.04
            COPY NVIDIA-Linux-x86_64-470.256.02.run /tmp/
            RUN sh /tmp/NVIDIA-Linux-x86_64-470.256.02.run --silent \(option)
            """,
            context: ["NVIDIA-Linux-x86_64-470.256.02.run": .file(size: 1 << 28)]
        )
        #expect(report.summary == summary)
    }

    /// `nvidia-installer` run from the extracted package: the folder names the version.
    @Test func theExtractedInstallerIsJudgedByItsFolder() throws {
        let report = try Self.check(
            """
            FROM ubuntu:22.04
            WORKDIR /tmp
            COPY NVIDIA-Linux-x86_64-550.135.run .
            RUN sh NVIDIA-Linux-x86_64-550.135.run -x && ./NVIDIA-Linux-x86_64-550.135/nvidia-installer -s --no-kernel-modules
            """,
            context: ["NVIDIA-Linux-x86_64-550.135.run": .file(size: 1 << 28)]
        )
        #expect(report.summary == ["4:error:installer-newer"])
    }

    /// A renamed NVIDIA installer is recognised by nvidia-installer's own options; its version
    /// cannot be read, which is a note.
    @Test func aRenamedInstallerIsANote() throws {
        let report = try Self.check(
            """
            FROM ubuntu:22.04
            COPY driver.run /tmp/driver.run
            RUN sh /tmp/driver.run --silent --no-kernel-module
            """,
            context: ["driver.run": .file(size: 300_000_000)]
        )
        #expect(report.summary == ["3:note:installer-name-unknown"])
        #expect(report.compatible)
    }

    @Test(arguments: [
        ("cuda_12.4.1_550.54.15_linux.run", "12.4.1", "550.54.15"),
        ("cuda_12.4.1_550.54.15_linux_sbsa.run", "12.4.1", "550.54.15"),
        ("cuda_9.0.176_384.81_linux-run", "9.0.176", "384.81"),
        ("cuda_7.5.18_linux.run", "7.5.18", nil),
    ])
    func cudaRunfileNames(name: String, toolkit: String, driver: String?) throws {
        let runfile = try #require(CUDARunfile(name))
        #expect(runfile.toolkit == toolkit)
        #expect(runfile.driver?.text == driver)
    }

    @Test func runFileKinds() {
        #expect(RunFile("NVIDIA-Linux-x86_64-550.54.14-grid.run") != .other)
        #expect(RunFile("NVIDIA-Linux-x86_64-*run") == .nvidiaUnread("NVIDIA-Linux-x86_64-*run"))
        #expect(RunFile("NVIDIA-*.run") == .nvidiaUnread("NVIDIA-*.run"))
        #expect(RunFile("cuda_not_a.run") == .other)
        #expect(RunFile("vendor.run") == .other)
        let driver = AscendRunfile("Ascend-hdk-910b-npu-driver_24.1.rc2_linux-aarch64.run")
        #expect(driver?.part == .driver)
        #expect(driver?.version == "24.1.rc2")
        #expect(driver?.architecture == "aarch64")
        #expect(
            AscendRunfile("Ascend-hdk-910b-npu-firmware_7.3.0.1.231.run")?.part == .firmware
        )
        #expect(AscendRunfile("Ascend-cann-nnal_8.0.0_linux-x86_64.run")?.part == .cann("nnal"))
        #expect(AscendRunfile("Ascend-cann-nnal_8.0.0_linux-x86_64.run")?.architecture == "x86_64")
    }

    @Test(arguments: [
        (
            "wget https://h/a/NVIDIA-Linux-x86_64-550.54.14.run",
            "/w/NVIDIA-Linux-x86_64-550.54.14.run"
        ),
        ("wget -q -P /opt https://h/a/x.run?sig=1", "/opt/x.run"),
        ("wget -qO /tmp/d.run https://h/a/x.run", "/tmp/d.run"),
        ("wget --output-document=/tmp/d.run https://h/a/x.run", "/tmp/d.run"),
        ("curl -fsSLO https://h/a/x.run", "/w/x.run"),
        ("curl -fsSLo d.run https://h/a/x.run", "/w/d.run"),
        ("curl -L https://h/a/x.run --output /tmp/d.run", "/tmp/d.run"),
        ("curl -L https://h/a/x.run", nil),
        ("wget -qO- https://h/a/x.run", nil),
    ])
    func downloads(command: String, path: String?) {
        let words = ShellScript.commands(command, variables: [:]).first?.words ?? []
        let fact = CommandFact(
            line: 1,
            stage: 0,
            shell: .posix("/bin/sh"),
            directory: "/w",
            words: CommandWords.effective(words),
            redirections: [],
            environment: [:]
        )
        #expect(Download.of(fact)?.path == path)
    }
}

extension InstallerRecognitionTests {
    /// A path that is only a variable, run with nvidia-installer's options: a note, and the
    /// options still judged.
    @Test func aPathMadeOfAVariable() throws {
        let report = try Self.check(
            """
            FROM ubuntu:22.04
            ARG DRIVER_RUN
            RUN sh "$DRIVER_RUN" --no-kernel-module
            """
        )
        #expect(report.summary == ["3:error:installer-not-silent", "3:note:unresolved-variable"])
        #expect(
            report.kind(.unresolvedVariable).first?.fix?.contains("--build-arg DRIVER_RUN=...")
                == true
        )
    }
}

extension InstallerRecognitionTests {
    @Test(arguments: [
        ("/opt/conda/bin/pip", "pip"), ("pip", "pip"), ("a/b/", "b"), ("/", "/"), ("//x//", "x"),
        ("", ""), ("/tmp/NVIDIA-*run", "NVIDIA-*run"),
    ])
    func basenameIsTheLastComponent(path: String, name: String) {
        #expect(CommandWords.basename(path) == name)
    }
}
