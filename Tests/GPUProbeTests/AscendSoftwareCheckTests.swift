import Testing

@testable import GPUProbe
@testable import TestSupport

/// `check` on the Ascend software an image installs.
///
/// CANN `.run` packages against the host's driver and each other, torch_npu pins against the
/// image's CANN, its torch and what PyPI can install. The host is the 910B4 capture (driver 24.1.rc2.2: Ascend's quick-install table
/// pairs release 24.1.rc2 with CANN 8.1.RC1, 8.0.0 and 8.0.RC3; architecture not captured).
@Suite struct AscendSoftwareCheckTests {
    typealias Scenario = DockerfileCheckerTests.Scenario
    typealias Host = DockerfileCheckerTests.Host

    static let cannImage = "quay.io/ascend/cann:8.1.rc1-910b-ubuntu22.04-py3.10"
    static let toolkit800 = "Ascend-cann-toolkit_8.0.0_linux-aarch64.run"
    static let packages: [String: ContextEntry] = [
        toolkit800: .file(size: 2_000_000_000),
        "Ascend-cann-toolkit_7.0.0_linux-aarch64.run": .file(size: 2_000_000_000),
        "Ascend-cann-kernels-310p_8.0.0_linux-aarch64.run": .file(size: 400_000_000),
        "Ascend-cann-kernels-910b_8.1.RC1_linux-aarch64.run": .file(size: 400_000_000),
    ]

    static let scenarios: [Scenario] = [
        Scenario(
            kind: .installerCANNPaired,
            severity: .note,
            line: 3,
            host: .ascend,
            contains: "installs CANN 8.0.0, which the catalog pairs with the host's Ascend driver "
                + "24.1.rc2.2 (release 24.1.rc2), paired",
            dockerfile: """
                FROM ubuntu:22.04
                COPY \(toolkit800) /tmp/
                RUN /tmp/\(toolkit800) --install --quiet
                """,
            context: packages
        ),
        // CANN 8.5.0's single package, downloaded: its runtime needs driver 25.5.1.
        Scenario(
            kind: .installerCANNTooNew,
            severity: .error,
            line: 3,
            host: .ascend,
            contains: "Ascend-cann_8.5.0_linux-aarch64.run (downloaded at line 3) installs CANN "
                + "8.5.0, newer than every CANN the catalog relates to the host's Ascend driver "
                + "24.1.rc2.2 (release 24.1.rc2) (8.1.RC1",
            dockerfile: """
                FROM ubuntu:22.04
                WORKDIR /tmp
                RUN wget -q https://ascend-repo.obs.cn-east-2.myhuaweicloud.com/CANN/8.5.0/Ascend-cann_8.5.0_linux-aarch64.run && sh Ascend-cann_8.5.0_linux-aarch64.run --install --quiet
                """
        ),
        Scenario(
            kind: .installerCANNUnpaired,
            severity: .warning,
            line: 3,
            host: .ascend,
            contains: "installs CANN 7.0.0, which no table in the catalog pairs with the host's "
                + "Ascend driver 24.1.rc2.2",
            dockerfile: """
                FROM ubuntu:22.04
                COPY Ascend-cann-toolkit_7.0.0_linux-aarch64.run /tmp/
                RUN sh /tmp/Ascend-cann-toolkit_7.0.0_linux-aarch64.run --install --quiet
                """,
            context: packages
        ),
        Scenario(
            kind: .installerCANNChip,
            severity: .error,
            line: 4,
            host: .ascend,
            contains: "carries the CANN operators of the 310P (`310p`), but the host's NPUs are "
                + "910B4",
            dockerfile: """
                FROM ubuntu:22.04
                COPY Ascend-cann-*.run /tmp/
                RUN /tmp/\(toolkit800) --install --quiet
                RUN /tmp/Ascend-cann-kernels-310p_8.0.0_linux-aarch64.run --install --quiet
                """,
            context: packages
        ),
        Scenario(
            kind: .installerCANNMismatch,
            severity: .error,
            line: 4,
            host: .ascend,
            contains: "is CANN 8.1.RC1, but the image's CANN is 8.0.0 (the toolkit "
                + "\(toolkit800) run at line 3)",
            dockerfile: """
                FROM ubuntu:22.04
                COPY Ascend-cann-*.run /tmp/
                RUN /tmp/\(toolkit800) --install --quiet
                RUN /tmp/Ascend-cann-kernels-910b_8.1.RC1_linux-aarch64.run --install --quiet
                """,
            context: packages
        ),
        Scenario(
            kind: .torchNPUCANNPaired,
            severity: .note,
            line: 2,
            host: .ascend,
            contains: "torch_npu 2.5.1 is the torch_npu Ascend's table pairs with CANN 8.1.RC1, "
                + "the image's (the base image \(cannImage))",
            dockerfile: """
                FROM \(cannImage)
                RUN pip install torch==2.5.1 torch-npu==2.5.1 --extra-index-url https://download.pytorch.org/whl/cpu
                """
        ),
        // The acceptance: a torch_npu that does not go with the image's CANN.
        Scenario(
            kind: .torchNPUCANN,
            severity: .error,
            line: 2,
            host: .ascend,
            contains: "torch_npu 2.6.0 is paired with CANN 8.2.RC1 in Ascend's table, but the "
                + "image's CANN is 8.1.RC1 (the base image \(cannImage))",
            dockerfile: """
                FROM \(cannImage)
                RUN pip install torch==2.6.0 torch_npu==2.6.0 --extra-index-url https://download.pytorch.org/whl/cpu
                """
        ),
        Scenario(
            kind: .torchNPUTorch,
            severity: .error,
            line: 2,
            host: .ascend,
            contains: "this install pins torch 2.4.0 with torch_npu 2.5.1, which is built for "
                + "torch 2.5.1 (its x86_64 wheel requires torch==2.5.1+cpu): pip cannot resolve",
            dockerfile: """
                FROM \(cannImage)
                RUN pip install torch==2.4.0 torch-npu==2.5.1 --extra-index-url https://download.pytorch.org/whl/cpu
                """
        ),
        // The host's architecture is not in the 910B4 capture: a warning (an error on x86_64).
        Scenario(
            kind: .torchNPUCPUIndex,
            severity: .warning,
            line: 2,
            host: .ascend,
            contains: "torch_npu 2.5.1's x86_64 wheel requires torch==2.5.1+cpu, a build only "
                + "https://download.pytorch.org/whl/cpu has, and this install reads PyPI alone",
            dockerfile: """
                FROM \(cannImage)
                RUN pip3 install torch==2.5.1 torch-npu==2.5.1
                """
        ),
        Scenario(
            kind: .torchNPUNotOnPyPI,
            severity: .error,
            line: 2,
            host: .ascend,
            contains: "torch_npu 2.1.0.post4 (CANN 8.0.RC1 in Ascend's table) has no wheel on "
                + "PyPI",
            dockerfile: """
                FROM ubuntu:22.04
                RUN pip install torch==2.1.0 torch-npu==2.1.0.post4
                """
        ),
    ]

    func check(
        _ text: String,
        _ host: Host = .ascend,
        machine: String? = nil,
        buildArguments: [String: String] = [:]
    ) throws -> CheckReport {
        var report = try host.report()
        if let machine { report.host.architecture = machine }
        return try TestHosts.check(
            text,
            report,
            context: BuildContext(entries: Self.packages),
            buildArguments: buildArguments
        )
    }

    static let kinds = Set(scenarios.map(\.kind))

    func ascendKinds(_ report: CheckReport) -> [String] {
        report.summary.filter { line in Self.kinds.contains { line.hasSuffix(":" + $0.rawValue) } }
    }

    /// An NVIDIA host gets none of these, whatever the image installs.
    @Test(arguments: scenarios)
    func nothingOnAnNVIDIAHost(_ scenario: Scenario) throws {
        let report = try check(scenario.dockerfile, .guide)
        #expect(ascendKinds(report) == [], "\(report.summary)")
    }

    /// The x86_64 +cpu pin: an error on an x86_64 host reading PyPI alone; nothing on aarch64,
    /// with the CPU index, with `--no-deps`, or after torch came from the CPU index.
    @Test func theCPUBuildPinByMachineAndIndex() throws {
        let pypiOnly = "FROM \(Self.cannImage)\nRUN pip install torch==2.5.1 torch-npu==2.5.1\n"
        let x86 = try check(pypiOnly, machine: "x86_64")
        let error = try #require(x86.kind(.torchNPUCPUIndex).first)
        #expect(error.severity == .error && error.line == 2)
        #expect(error.message.contains("on this x86_64 host pip cannot resolve it"))
        #expect(
            error.fix?.contains(
                "`pip install torch==2.5.1 --index-url https://download.pytorch.org/whl/cpu`, then "
                    + "`pip install torch-npu==2.5.1`"
            ) == true
        )
        #expect(!x86.compatible)
        #expect(try check(pypiOnly, machine: "aarch64").kind(.torchNPUCPUIndex).isEmpty)
        for text in [
            "RUN pip install torch==2.5.1 torch-npu==2.5.1 --extra-index-url https://download.pytorch.org/whl/cpu/\n",
            "RUN pip install --no-deps torch-npu==2.5.1\n",
            "RUN pip install torch==2.5.1 --index-url https://download.pytorch.org/whl/cpu\n"
                + "RUN pip install torch-npu==2.5.1 pyyaml setuptools\n",
            // From 2.12.0 the x86_64 wheel requires PyPI's own torch.
            "RUN pip install torch==2.12.0 torch-npu==2.12.0\n",
        ] {
            let report = try check("FROM \(Self.cannImage)\n" + text, machine: "x86_64")
            #expect(report.kind(.torchNPUCPUIndex).isEmpty, "\(text): \(report.summary)")
        }
    }

    /// The toolkit `.run` gives the image its CANN, also through ARG-built names, and the
    /// torch_npu is judged against it.
    @Test func theToolkitRunIsTheImagesCANN() throws {
        let report = try check(
            """
            FROM ubuntu:22.04
            ARG CANN=8.0.0
            ARG ARCH=aarch64
            COPY Ascend-cann-toolkit_${CANN}_linux-${ARCH}.run /tmp/
            RUN /tmp/Ascend-cann-toolkit_${CANN}_linux-${ARCH}.run --install --quiet
            RUN pip install torch==2.5.1 torch-npu==2.5.1
            """,
            machine: "aarch64"
        )
        #expect(report.summary.contains("5:note:installer-cann-paired"), "\(report.summary)")
        let cann = try #require(report.kind(.torchNPUCANN).first)
        #expect(cann.line == 6)
        #expect(cann.message.contains("the image's CANN is 8.0.0 (the toolkit \(Self.toolkit800)"))
        // CANN 8.0.0's torch_npu for the same torch does not exist; its first row is named.
        #expect(cann.fix?.hasPrefix("pin torch-npu==2.4.0.post2 with torch==2.4.0") == true)
        // With --build-arg the other CANN is judged.
        let newer = try check(
            """
            FROM ubuntu:22.04
            ARG CANN=8.0.0
            COPY Ascend-cann-toolkit_${CANN}_linux-aarch64.run /tmp/
            RUN /tmp/Ascend-cann-toolkit_${CANN}_linux-aarch64.run --install --quiet
            """,
            buildArguments: ["CANN": "8.5.0"]
        )
        #expect(newer.summary.contains("4:error:installer-cann-too-new"), "\(newer.summary)")
    }

    /// A torch_npu named in a requirements file the image copies is judged as on the command
    /// line; a kernels package that fits keeps its plain note.
    @Test func requirementsFilesAndFittingKernels() throws {
        var report = try Host.ascend.report()
        report.host.architecture = "aarch64"
        let checked = try TestHosts.check(
            """
            FROM ubuntu:22.04
            COPY Ascend-cann-*.run requirements.txt /tmp/
            RUN /tmp/\(Self.toolkit800) --install --quiet
            RUN /tmp/Ascend-cann-kernels-910b_8.0.0_linux-aarch64.run --install --quiet
            RUN pip install -r /tmp/requirements.txt
            """,
            report,
            context: BuildContext(
                entries: Self.packages.merging(
                    ["Ascend-cann-kernels-910b_8.0.0_linux-aarch64.run": .file(size: 400_000_000)]
                ) { first, _ in first },
                texts: ["requirements.txt": "torch==2.5.1\ntorch_npu==2.5.1\n"]
            )
        )
        #expect(checked.summary.contains("5:error:torch-npu-cann"), "\(checked.summary)")
        #expect(checked.summary.contains("4:note:installer-ascend-cann"), "\(checked.summary)")
        #expect(checked.kind(.installerCANNChip).isEmpty)
        #expect(checked.kind(.installerCANNMismatch).isEmpty)
    }

    /// A torch installed after torch_npu in the same stage replaces the one it needs.
    @Test func aLaterTorchBreaksTheTorchNPU() throws {
        let report = try check(
            """
            FROM \(Self.cannImage)
            RUN pip install torch==2.5.1 torch-npu==2.5.1 --extra-index-url https://download.pytorch.org/whl/cpu
            RUN pip install torch==2.6.0
            """
        )
        let later = try #require(report.kind(.torchNPUTorch).first)
        #expect(later.line == 3)
        #expect(later.message.contains("installed at line 2) is built for torch 2.5.1"))
    }

    /// Ascend writes `2.1.0.rc1`, PyPI `2.1.0rc1`: one release, paired with CANN 7.0.RC1.
    @Test func releaseCandidateSpellingsAreOneVersion() throws {
        let report = try check(
            "FROM ascendai/cann:7.0.rc1-910b-ubuntu22.04-py3.9\n"
                + "RUN pip install torch==2.1.0 torch_npu==2.1.0rc1\n"
        )
        #expect(report.summary.contains("2:note:torch-npu-cann-paired"), "\(report.summary)")
        #expect(report.kind(.torchNPUNotOnPyPI).isEmpty)
    }

    /// The guide's own Ascend Dockerfile installs no CANN or torch_npu: none of these.
    @Test func theGuidesAscendDockerfileHasNone() throws {
        let text = try Fixtures.text("dockerfiles/packaging-guide-ascend.Dockerfile")
        for host in [try Host.ascend.report(), try TestHosts.guideAscend()] {
            let report = try TestHosts.check(text, host)
            #expect(ascendKinds(report) == [], "\(report.summary)")
        }
    }
}
