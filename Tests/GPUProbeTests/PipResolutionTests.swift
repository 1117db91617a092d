import Testing

@testable import GPUProbe
@testable import TestSupport

/// pip, uv and conda as they resolve torch (issue 13, item 4): the highest version across every
/// index for pip, the first index that has torch for uv, no fallback for `--index-url` and
/// `+cuXYZ`; PyPI's own builds by their own arch lists; frameworks that pin torch; programs
/// named by a variable; CUDA torch on an Ascend-only host.
extension DockerfileCheckerTests {
    /// The kinds this area adds, one scenario each.
    static let pipResolutionScenarios: [Scenario] = [
        Scenario(
            kind: .torchWheelMissing,
            severity: .error,
            line: 2,
            host: .a100,
            contains: "'torch==2.3.1' cannot be installed: https://download.pytorch.org/whl/cu124 "
                + "has torch 2.4.0 to 2.6.0, none that fits",
            dockerfile: """
                FROM python:3.11
                RUN pip install torch==2.3.1 --index-url https://download.pytorch.org/whl/cu124
                """
        ),
        Scenario(
            kind: .torchCUDAOnAscend,
            severity: .error,
            line: 2,
            host: .ascend,
            contains: "torch 2.1.0 (PyPI's CUDA 12.1 build, from PyPI) is a CUDA build, and the "
                + "host has Ascend NPUs",
            dockerfile: """
                FROM python:3.10
                RUN pip install torch==2.1.0
                """
        ),
        Scenario(
            kind: .torchCondaUnjudged,
            severity: .note,
            line: 2,
            host: .a100,
            contains: "conda installs pytorch with pytorch-cuda=12.1 (CUDA 12.1): driver "
                + "535.54.03 (CUDA 12.2) runs that CUDA natively",
            dockerfile: """
                FROM continuumio/miniconda3
                RUN conda install -y pytorch-cuda=12.1 pytorch -c pytorch -c nvidia
                """
        ),
        Scenario(
            kind: .pipProgramUnknown,
            severity: .note,
            line: 2,
            host: .a100,
            contains: "$PY -m pip names its program through $PY",
            dockerfile: """
                FROM python:3.11
                RUN ${PY} -m pip install torch==2.4.0 --index-url https://download.pytorch.org/whl/cu121
                """
        ),
    ]

    /// One install line and what `check` must say about it: the kind at line 2, its severity,
    /// a text in its message, and whether the host is still compatible.
    struct Resolved: Sendable, CustomTestStringConvertible {
        let install: String
        let host: Host
        let kind: Finding.Kind
        let severity: Finding.Severity
        let contains: String
        var testDescription: String { install }
    }

    static let resolved: [Resolved] = [
        // --extra-index-url adds candidates: PyPI's 2.15.0 is above every cu118 wheel.
        Resolved(
            install: "pip install torch --extra-index-url https://download.pytorch.org/whl/cu118",
            host: .guide,
            kind: .torchDriverTooOld,
            severity: .error,
            contains: "torch 2.15.0 (PyPI's CUDA 13.2 build, from PyPI, the highest version "
                + "across PyPI, https://download.pytorch.org/whl/cu118, the newest that fits"
        ),
        // A local label sorts above the bare version: 2.0.1+cu117 beats PyPI's 2.0.1.
        Resolved(
            install:
                "pip install torch==2.0.1 --extra-index-url https://download.pytorch.org/whl/cu117",
            host: .a100,
            kind: .torchOK,
            severity: .note,
            contains: "torch 2.0.1+cu117 (from the index https://download.pytorch.org/whl/cu117"
        ),
        // With --extra-index-url, a pin the variant index lacks falls back to PyPI.
        Resolved(
            install:
                "pip install torch==2.3.1 --extra-index-url https://download.pytorch.org/whl/cu124",
            host: .a100,
            kind: .torchOK,
            severity: .note,
            contains: "torch 2.3.1 (PyPI's CUDA 12.1 build, from PyPI"
        ),
        // uv's first-index strategy: cu124 has torch, so PyPI is never asked.
        Resolved(
            install: "uv pip install --system torch==2.3.1 --extra-index-url "
                + "https://download.pytorch.org/whl/cu124",
            host: .a100,
            kind: .torchWheelMissing,
            severity: .error,
            contains: "uv takes torch only from the first index that has it, "
                + "https://download.pytorch.org/whl/cu124"
        ),
        Resolved(
            install: "uv pip install --system torch==2.3.1 --index-strategy unsafe-best-match "
                + "--extra-index-url https://download.pytorch.org/whl/cu124",
            host: .a100,
            kind: .torchOK,
            severity: .note,
            contains: "torch 2.3.1 (PyPI's CUDA 12.1 build, from PyPI"
        ),
        // An index that does not exist, with no fallback.
        Resolved(
            install: "pip install torch --index-url https://download.pytorch.org/whl/cu123",
            host: .a100,
            kind: .torchWheelMissing,
            severity: .error,
            contains: "https://download.pytorch.org/whl/cu123 serves no torch (no release in "
                + "the catalog has cu123 wheels)"
        ),
        // A +cuXYZ pin that exists nowhere.
        Resolved(
            install: "pip install torch==2.7.1+cu121",
            host: .a100,
            kind: .torchWheelMissing,
            severity: .error,
            contains: "torch 2.7.1 has no cu121 wheels anywhere"
        ),
        // A +cuXYZ pin with no index that serves it: PyPI takes no local versions.
        Resolved(
            install: "pip install torch==2.4.0+cu121 torchvision==0.19.0+cu121",
            host: .a100,
            kind: .torchWheelMissing,
            severity: .error,
            contains: "no index in play serves cu121"
        ),
        // Ranges resolve against what the catalog knows of the index.
        Resolved(
            install:
                "pip install 'torch>=2.1,<2.4' --index-url https://download.pytorch.org/whl/cu121",
            host: .a100,
            kind: .torchOK,
            severity: .note,
            contains: "torch 2.3.1+cu121 (from the index https://download.pytorch.org/whl/cu121, "
                + "the newest that fits"
        ),
        Resolved(
            install: "pip install 'torch~=2.4.0'",
            host: .a100,
            kind: .torchOK,
            severity: .note,
            contains: "torch 2.4.1 (PyPI's CUDA 12.1 build"
        ),
        Resolved(
            install: "pip install 'torch!=2.5.1,<2.6'",
            host: .a100,
            kind: .torchMinorCompat,
            severity: .warning,
            contains: "torch 2.5.0 (PyPI's CUDA 12.4 build"
        ),
        // The companion's pin decides an unpinned torch.
        Resolved(
            install: "pip install torch torchvision==0.19.1 --index-url "
                + "https://download.pytorch.org/whl/cu121",
            host: .a100,
            kind: .torchOK,
            severity: .note,
            contains: "torch 2.4.1+cu121"
        ),
        // Frameworks that pin torch: vLLM 0.6.3's wheel requires torch==2.4.0.
        Resolved(
            install: "pip install vllm==0.6.3",
            host: .a100,
            kind: .torchOK,
            severity: .note,
            contains:
                "torch 2.4.0 (PyPI's CUDA 12.1 build, from PyPI; vllm 0.6.3 pins torch==2.4.0)"
        ),
        Resolved(
            install: "pip install vllm==0.20.0",
            host: .a100,
            kind: .torchDriverTooOld,
            severity: .error,
            contains: "vllm 0.20.0 pins torch==2.11.0"
        ),
        Resolved(
            install: "pip install vllm",
            host: .a100,
            kind: .torchDriverTooOld,
            severity: .error,
            contains: "vllm (unpinned: its newest release in the catalog, updated 2026-12-05, is "
                + "0.34.0, which pins torch==2.14.0)"
        ),
        Resolved(
            install: "pip install xformers==0.0.28.post1 --extra-index-url "
                + "https://download.pytorch.org/whl/cu118",
            host: .a100,
            kind: .torchOK,
            severity: .note,
            contains: "cu118; xformers 0.0.28.post1 pins torch==2.4.1)"
        ),
        // The program is a variable: still judged as pip.
        Resolved(
            install: "$PIP install torch==2.11.0",
            host: .a100,
            kind: .torchDriverTooOld,
            severity: .error,
            contains: "torch 2.11.0 (PyPI's CUDA 13.0 build, from PyPI) cannot load"
        ),
        // A public PyPI mirror serves PyPI's own wheels.
        Resolved(
            install: "pip install torch==2.1.0 -i https://pypi.tuna.tsinghua.edu.cn/simple",
            host: .ascend,
            kind: .torchCUDAOnAscend,
            severity: .error,
            contains: "torch 2.1.0 (PyPI's CUDA 12.1 build, from PyPI (through "
                + "https://pypi.tuna.tsinghua.edu.cn/simple)) is a CUDA build"
        ),
        // Ascend-only host: the CPU build with torch_npu is what Ascend documents.
        Resolved(
            install: "pip install torch==2.1.0 --index-url https://download.pytorch.org/whl/cpu "
                + "&& pip install torch-npu==2.1.0",
            host: .ascend,
            kind: .torchCUDAOnAscend,
            severity: .note,
            contains: ""
        ),
        // A CUDA build beside torch_npu runs (torch_npu does not need CUDA): a note only.
        // torch_npu 2.1.0's wheel declares no torch requirement (2.1.0.post4 has no wheel on
        // PyPI, and 2.1.0.post6's x86_64 wheel pins torch==2.1.0+cpu).
        Resolved(
            install: "pip install torch==2.1.0 torch-npu==2.1.0",
            host: .ascend,
            kind: .torchCUDAWithoutGPU,
            severity: .note,
            contains: "torch 2.1.0 (PyPI's CUDA 12.1 build, from PyPI) carries CUDA libraries"
        ),
    ]

    /// Each class shows its finding at line 2 with its severity.
    ///
    /// The report is compatible exactly when it has no error. A `contains` of "" means the
    /// kind must be absent.
    @Test(arguments: resolved)
    func resolvesAsPipAndUVDo(_ case_: Resolved) throws {
        let dockerfile = "FROM python:3.11\nRUN \(case_.install)\n"
        let report = try TestHosts.check(dockerfile, try case_.host.report())
        let all = report.findings.map { "\($0.line):\($0.severity):\($0.kind): \($0.message)" }
        if case_.contains.isEmpty {
            #expect(report.kind(case_.kind).isEmpty, "\(all)")
            #expect(report.compatible, "\(all)")
            return
        }
        let matching = report.kind(case_.kind).filter {
            $0.line == 2 && $0.severity == case_.severity && $0.message.contains(case_.contains)
        }
        #expect(matching.count == 1, "\(all)")
        #expect(report.compatible == (report.errors == 0))
        #expect(report.compatible == (case_.severity != .error), "\(all)")
        #expect(
            report.findings.allSatisfy {
                !$0.message.contains("\n") && ($0.severity == .note || $0.fix != nil)
            }
        )
    }

    /// PyPI's CUDA 13 wheels carry no PTX, unlike the index's cu130: a Pascal GPU (6.0, as the
    /// Tesla P100 on 580.95.05) is refused by both, and the message lists each one's own code.
    @Test func pypisCUDA13BuildIsJudgedByItsOwnArchList() throws {
        var report = try TestHosts.nvidia("nvidia-smi/q_580.159.04_h100_sxm5_vm.txt")
        report.nvidia?.gpus[0].computeCapability = "6.0"
        let pypi = try TestHosts.check("FROM python:3.12\nRUN pip install torch==2.14.0\n", report)
        let index = try TestHosts.check(
            "FROM python:3.12\nRUN pip install torch==2.14.0 --index-url "
                + "https://download.pytorch.org/whl/cu130\n",
            report
        )
        let fromPyPI = try #require(pypi.kind(.torchNoKernels).first)
        let fromIndex = try #require(index.kind(.torchNoKernels).first)
        #expect(fromPyPI.message.contains("torch 2.14.0 (PyPI's CUDA 13.0 build"))
        #expect(fromPyPI.message.contains("(SASS sm_75 sm_80 sm_86 sm_90 sm_100 sm_120)"))
        #expect(!fromPyPI.message.contains("+cu130"))
        #expect(fromIndex.message.contains("torch 2.14.0+cu130"))
        #expect(fromIndex.message.contains("PTX compute_120"))
        #expect(!pypi.compatible && !index.compatible)
    }

    /// A monorepo's 17 requirements files: the torch in the 17th is read and judged, not
    /// skipped (the run was compatible when the limit was 16 files and silent).
    @Test func theSeventeenthRequirementsFilesTorchIsJudged() throws {
        var texts = Dictionary(uniqueKeysWithValues: (1...16).map { ("r\($0).txt", "numpy\n") })
        texts["r17.txt"] = "torch==2.11.0\n"
        let files = (1...17).map { "-r r\($0).txt" }.joined(separator: " ")
        let report = try TestHosts.check(
            "FROM python:3.11\nCOPY . .\nRUN pip install \(files)\n",
            try Host.a100.report(),
            context: BuildContext(entries: [:], texts: texts)
        )
        #expect(report.kind(.pipRequirementsLimit).isEmpty, "\(report.summary)")
        let torch = try #require(report.kind(.torchDriverTooOld).first, "\(report.summary)")
        #expect(torch.line == 3)
        #expect(torch.message.contains("torch 2.11.0 (PyPI's CUDA 13.0 build"))
        #expect(!report.compatible)
    }

    /// conda's `pytorch-cuda=X.Y` is the CUDA runtime the environment gets: judged against the
    /// driver like a wheel's CUDA (minor-version compatibility within a major).
    @Test(
        arguments: [
            ("pytorch-cuda=12.1", Finding.Kind.torchCondaUnjudged, Finding.Severity.note),
            ("pytorch-cuda=12.4", .torchMinorCompat, .warning),
            ("cuda-version=13.0", .torchDriverTooOld, .error),
        ]
    )
    func condasCUDARuntimeIsJudged(pin: String, kind: Finding.Kind, severity: Finding.Severity)
        throws
    {
        let report = try TestHosts.check(
            "FROM continuumio/miniconda3\nRUN conda install -y pytorch \(pin) -c pytorch -c nvidia\n",
            try Host.a100.report()
        )
        let found = try #require(report.kind(kind).first, "\(report.summary)")
        #expect(found.line == 2 && found.severity == severity)
        #expect(found.message.contains("(CUDA \(pin.split(separator: "=").last ?? ""))"))
        #expect(report.compatible == (severity != .error))
    }

    /// An Ascend PyTorch base image ships torch_npu: a CUDA torch on top is a note, not an
    /// error.
    @Test func anAscendPyTorchBaseImageHasTorchNPU() throws {
        let report = try TestHosts.check(
            "FROM quay.io/ascend/pytorch:2.1.0-cann8.0\nRUN pip install torch==2.1.0\n",
            try Host.ascend.report()
        )
        #expect(report.kind(.torchCUDAOnAscend).isEmpty, "\(report.summary)")
        #expect(report.kind(.torchCUDAWithoutGPU).first?.line == 2)
    }

    /// conda's channel options are not packages: `-c pytorch` alone names no torch.
    @Test func condaChannelsAreNotPackages() throws {
        let report = try TestHosts.check(
            "FROM continuumio/miniconda3\nRUN conda install -y -c pytorch -c conda-forge numpy\n",
            try Host.a100.report()
        )
        #expect(report.kind(.torchCondaUnjudged).isEmpty, "\(report.summary)")
    }

    /// An install identical to one met earlier is judged where it stands: by the torch its
    /// stage already has (a bare `pip install torch` keeps it), by the requirements file a COPY
    /// put there before it, and under its own shell condition, each finding on its own line.
    /// (`check` works out an identical install's verdict once; this is what that must keep.)
    @Test func identicalInstallsAreJudgedWhereTheyStand() throws {
        let dockerfile = """
            ARG FLAVOUR
            FROM python:3.11 AS fresh
            RUN pip install torch
            RUN pip install torch==2.4.0 --index-url https://download.pytorch.org/whl/cu121
            RUN pip install torch
            FROM fresh AS child
            RUN pip install torch
            FROM python:3.11 AS files
            COPY r1.txt /tmp/requirements.txt
            RUN pip install -r /tmp/requirements.txt --extra-index-url https://download.pytorch.org/whl/cu124
            COPY r2.txt /tmp/requirements.txt
            RUN pip install -r /tmp/requirements.txt --extra-index-url https://download.pytorch.org/whl/cu124
            COPY r1.txt /tmp/requirements.txt
            RUN pip install -r /tmp/requirements.txt --extra-index-url https://download.pytorch.org/whl/cu124
            RUN if [ "$FLAVOUR" = "gpu" ]; then pip install torch==2.11.0; fi
            RUN pip install torch==2.11.0
            RUN if [ "$FLAVOUR" = "gpu" ]; then pip install torch==2.11.0; fi

            """
        let report = try TestHosts.check(
            dockerfile,
            try Host.a100.report(),
            context: BuildContext(
                entries: [:],
                texts: ["r1.txt": "torch==2.5.1\nnumpy<2\n", "r2.txt": "torch==2.3.1+cu121\n"]
            )
        )
        let torch = report.findings.filter { $0.kind.rawValue.hasPrefix("torch-") }
            .sorted { ($0.line, $0.kind.rawValue) < ($1.line, $1.kind.rawValue) }
        #expect(
            torch.map { "\($0.line):\($0.severity.rawValue):\($0.kind)" } == [
                // PyPI's newest (2.15.0, CUDA 13.2) on a 535 driver.
                "3:error:torch-driver-too-old", "3:note:torch-unpinned",
                "4:note:torch-ok",
                // The stage has 2.4.0, which pip keeps; so has the stage built on it.
                "5:note:torch-unpinned",
                "7:note:torch-unpinned",
                // The same command over three files: 2.5.1+cu124, a +cu121 no index serves,
                // 2.5.1+cu124 again.
                "10:warning:torch-minor-compat",
                "12:error:torch-wheel-missing",
                "14:warning:torch-minor-compat",
                // Only when FLAVOUR is gpu, always, only when FLAVOUR is gpu.
                "15:warning:torch-driver-too-old",
                "16:error:torch-driver-too-old",
                "17:warning:torch-driver-too-old",
            ],
            "\(report.summary)"
        )
        func message(_ line: Int, _ kind: Finding.Kind) -> String? {
            torch.first { $0.line == line && $0.kind == kind }?.message
        }
        #expect(message(3, .torchUnpinned) == message(5, .torchUnpinned))
        #expect(message(10, .torchMinorCompat) == message(14, .torchMinorCompat))
        #expect(message(15, .torchDriverTooOld) == message(17, .torchDriverTooOld))
        #expect(
            message(15, .torchDriverTooOld)?.hasSuffix("its value is not known here)") == true
        )
        #expect(message(16, .torchDriverTooOld)?.contains("only when") == false)
    }

    /// A torchvision pin that decides torch counts as pinning it: no unpinned warning.
    @Test func aCompanionPinDecidesTorch() throws {
        let report = try TestHosts.check(
            "FROM python:3.11\nRUN pip install torch torchvision==0.19.1 --index-url "
                + "https://download.pytorch.org/whl/cu121\n",
            try Host.a100.report()
        )
        #expect(report.kind(.torchUnpinned).isEmpty, "\(report.summary)")
        #expect(report.kind(.torchOK).first?.message.contains("torch 2.4.1+cu121") == true)
    }

    /// PEP 440 as pip applies it: local labels above the bare version, ignored by range
    /// comparisons, matched by `==` only when the specifier names one.
    @Test func versionsOrderAndMatchAsPEP440Says() throws {
        let bare = try #require(PipVersion("2.7.1"))
        let cu118 = try #require(PipVersion("2.7.1+cu118"))
        let cu126 = try #require(PipVersion("2.7.1+cu126"))
        let newer = try #require(PipVersion("2.15.0"))
        #expect(bare < cu118 && cu118 < cu126 && cu126 < newer)
        let pin = try #require(PipSpecifier.parse("==2.7.1"))
        #expect(pin.allSatisfy { $0.admits(cu118) })
        let localPin = try #require(PipSpecifier.parse("==2.7.1+cu126"))
        #expect(!localPin.allSatisfy { $0.admits(cu118) })
        #expect(localPin.allSatisfy { $0.admits(cu126) })
        let below = try #require(PipSpecifier.parse(">2.7.1"))
        #expect(!below.allSatisfy { $0.admits(cu126) })
        let compatible = try #require(PipSpecifier.parse("~=2.4.0"))
        #expect(compatible.allSatisfy { $0.admits(PipVersion("2.4.1")!) })
        #expect(!compatible.allSatisfy { $0.admits(PipVersion("2.5.0")!) })
        let wildcard = try #require(PipSpecifier.parse("==2.4.*"))
        #expect(wildcard.allSatisfy { $0.admits(PipVersion("2.4.1+cu121")!) })
        #expect(PipSpecifier.parse(">=2.1.0rc1") == nil)
    }

    /// Every vLLM and xformers pin in the catalog names a torch patch the catalog holds, so a
    /// pinned framework is always judged.
    @Test func everyFrameworkPinNamesAKnownTorch() throws {
        let catalog = TorchCatalog.embedded
        let patches = Set(catalog.releases.flatMap(\.patches).map(\.torch))
        let pins = try #require(catalog.torchPins)
        #expect(Set(pins.map(\.package)) == ["vllm", "xformers"])
        for pin in pins {
            for (version, torch) in pin.versions {
                #expect(patches.contains(torch), "\(pin.package) \(version) → \(torch)")
            }
        }
        #expect(pins.first { $0.package == "vllm" }?.versions["0.6.3"] == "2.4.0")
    }

    /// The catalog's new optional fields are checked like the rest: a PyPI build names one of
    /// the line's variants and real compute capabilities; a pin names a release and a torch
    /// patch in their shapes, a defined source, and each package once.
    @Test(
        arguments: [
            ("pypi variant", "release 2.7, pypi_default, x86_64"),
            ("pypi capability", "release 2.7, pypi_default, x86_64"),
            ("pin version", "torch_pins 'vllm'"),
            ("pin torch", "torch_pins 'vllm', 0.6.3"),
            ("pin source", "torch_pins 'vllm'"),
            ("pin twice", "torch_pins"),
        ]
    )
    func newCatalogFieldsAreValidated(change: String, entry: String) throws {
        var catalog = try TorchCatalogValidationTests.small()
        let good = PyPIBuild(variant: "cu128", sass: ["7.5"], ptx: [])
        catalog.releases[0].pypiDefault = PyPIDefault(
            variant: "cu128",
            confirmed: true,
            sources: ["s"],
            builds: ["x86_64": good]
        )
        let pins = TorchPins(
            package: "vllm",
            versions: ["0.6.3": "2.4.0"],
            confirmed: true,
            sources: ["s"]
        )
        catalog.torchPins = [pins]
        try catalog.validate(file: "small.json")
        switch change {
        case "pypi variant":
            catalog.releases[0].pypiDefault?.builds?["x86_64"]?.variant = "cu121"
        case "pypi capability":
            catalog.releases[0].pypiDefault?.builds?["x86_64"]?.sass = ["sm_75"]
        case "pin version":
            catalog.torchPins?[0].versions = ["0.6.3; rm -rf /": "2.4.0"]
        case "pin torch":
            catalog.torchPins?[0].versions = ["0.6.3": "2.4"]
        case "pin source":
            catalog.torchPins?[0].sources = ["nowhere"]
        default:
            catalog.torchPins = [pins, pins]
        }
        do {
            try catalog.validate(file: "small.json")
            Issue.record("\(change) was accepted")
        } catch {
            guard case .invalid(_, let found, _) = error else {
                Issue.record("\(error)")
                return
            }
            #expect(found == entry)
            #expect(!error.description.contains("\n"))
        }
    }
}
