import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

/// The Dockerfile instructions for the packaging guide's hosts, from plans the real matcher made
/// over real `.run` archives.
@Suite struct DockerfileEmitterTests {
    @Test func exactDriverAndTorchForTheGuidesNvidiaHost() throws {
        let report = try TestHosts.guideNvidia()
        let plan = try TestPlans.emitterPlan(
            report,
            installers: ["535.171.04", "550.135", "535.161.08"]
        )
        #expect(plan.driver.status == .exact)
        let emitted = try DockerfileEmitter.emit(
            plan: plan,
            report: report,
            request: DockerfileRequest(base: "ubuntu:22.04", installerPath: TestPlans.installerPath)
        )
        let lines = emitted.text.split(separator: "\n", omittingEmptySubsequences: false)
        // 2.14.0+cu126 is the newest wheel for the A6000 (sm_86); CUDA 12.6 over the driver's
        // 12.2 is minor-version compatibility, and the Dockerfile says so.
        #expect(emitted.warnings.count == 1)
        #expect(emitted.warnings.allSatisfy { $0.contains("minor-version compatibility") })
        #expect(lines.first?.hasPrefix("# Written by gpuprobe") == true)
        #expect(lines.contains("FROM ubuntu:22.04"))
        #expect(
            lines.contains(
                "COPY Drivers/NVIDIA-Linux-x86_64-535.171.04.run /root/NVIDIA-Linux-x86_64-535.171.04.run"
            )
        )
        #expect(
            lines.contains(
                "    && /root/NVIDIA-Linux-x86_64-535.171.04.run --silent --no-kernel-module "
                    + "--no-x-check --no-nouveau-check"
            )
        )
        #expect(!emitted.text.contains("echo -e "))
        #expect(!emitted.text.contains("WARNING: this installs"))
        let pick = try #require(plan.torch.pick)
        #expect(
            lines.contains(
                "RUN python3 -m pip install --no-cache-dir " + pick.packages.joined(separator: " ")
                    + " --index-url " + pick.indexURL
            )
        )
        #expect(emitted.text.contains("NVIDIA RTX A6000"))
        #expect(emitted.text.hasSuffix("\n"))
    }

    @Test func aLowerInstallerIsWrittenWithAWarningThatSaysWhatBreaks() throws {
        let report = try TestHosts.guideNvidia()
        let plan = try TestPlans.emitterPlan(report, installers: ["535.161.08", "550.135"])
        #expect(plan.driver.status == .mismatch)
        let emitted = try DockerfileEmitter.emit(
            plan: plan,
            report: report,
            request: DockerfileRequest(
                installerPath: "Drivers/NVIDIA-Linux-x86_64-535.161.08.run"
            )
        )
        #expect(emitted.warnings.count == 2)
        let warning = try #require(emitted.warnings.first)
        #expect(warning.contains("535.161.08"))
        #expect(warning.contains("535.171.04"))
        #expect(warning.contains("Driver/library version mismatch"))
        #expect(emitted.text.contains("# WARNING: this installs the 535.161.08 userspace driver"))
        #expect(!emitted.text.split(separator: "\n").contains { $0.hasPrefix("FROM") })
        #expect(emitted.text.contains("# A fragment: paste it after the FROM line"))
    }

    /// Runs the emitted blacklist line with the system's /bin/sh (dash on Debian) into a file
    /// and reads back exactly the two lines; the guide's `echo -e` version would not.
    @Test func theBlacklistLineWritesExactlyTwoLinesUnderDash() throws {
        let report = try TestHosts.guideNvidia()
        let plan = try TestPlans.emitterPlan(report, installers: ["535.171.04"])
        let text = try DockerfileEmitter.emit(
            plan: plan,
            report: report,
            request: DockerfileRequest(installerPath: TestPlans.installerPath)
        ).text
        let line = try #require(
            text.split(separator: "\n").first { $0.contains("&& printf") }
        )
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("gpuprobe-dash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let target = folder.appendingPathComponent("blacklist.conf").path
        let command = String(
            String(line).replacing(DockerfileEmitter.blacklistPath, with: target)
                .drop { $0 == " " || $0 == "&" }
        ).replacing(" \\", with: "")
        try FakeInstallers.run(["sh", "-c", command])
        let written = String(
            decoding: try Data(contentsOf: URL(fileURLWithPath: target)),
            as: UTF8.self
        )
        #expect(written == "blacklist nouveau\noptions nouveau modeset=0\n")
        // The guide's line, for contrast: dash's echo keeps the "-e".
        try FakeInstallers.run([
            "sh", "-c", "echo -e \"blacklist nouveau\\noptions nouveau modeset=0\" > \(target)",
        ])
        let guide = String(
            decoding: try Data(contentsOf: URL(fileURLWithPath: target)),
            as: UTF8.self
        )
        #expect(guide.hasPrefix("-e "))
    }

    @Test(arguments: [false, true])
    func ascendLayersCopyTheHostFiles(vnpu: Bool) throws {
        let report = try TestHosts.guideAscend(vnpu: vnpu)
        let plan = try TestPlans.emitterPlan(report)
        let emitted = try DockerfileEmitter.emit(
            plan: plan,
            report: report,
            request: DockerfileRequest(base: "ubuntu:22.04")
        )
        let lines = emitted.text.split(separator: "\n").map(String.init)
        #expect(
            lines.contains(
                "ENV LD_LIBRARY_PATH=/usr/local/Ascend/driver/lib64/common:"
                    + "/usr/local/Ascend/driver/lib64/driver${LD_LIBRARY_PATH:+:${LD_LIBRARY_PATH}}"
            )
        )
        let copies = lines.filter { $0.hasPrefix("COPY ") }
        var expected = [
            "COPY ascend/dcmi /usr/local/dcmi",
            "COPY ascend/npu-smi /usr/local/bin/npu-smi",
            "COPY ascend/common /usr/local/Ascend/driver/lib64/common",
            "COPY ascend/driver /usr/local/Ascend/driver/lib64/driver",
            "COPY ascend/ascend_install.info /etc/ascend_install.info",
            "COPY ascend/version.info /usr/local/Ascend/driver/version.info",
        ]
        if vnpu { expected.insert("COPY ascend/vnpu.cfg /etc/vnpu.cfg", at: 5) }
        #expect(copies == expected)
        #expect(lines.contains("RUN chmod 0755 /usr/local/bin/npu-smi"))
        // The user's base wins; torch_npu is installed on it for the plan's CANN.
        #expect(lines.first { $0.hasPrefix("FROM ") } == "FROM ubuntu:22.04")
        #expect(emitted.text.contains("# The base image must carry CANN "))
        let pip = "RUN python3 -m pip install --no-cache-dir torch=="
        #expect(lines.contains { $0.hasPrefix(pip) })
        #expect(!emitted.text.contains("NVIDIA-Linux"))
    }

    @Test func anIncompletePlanWritesNothing() throws {
        let report = try TestHosts.guideNvidia()
        let plan = try TestPlans.emitterPlan(report, installers: ["550.135"])
        #expect(plan.driver.status == .none)
        #expect {
            try DockerfileEmitter.emit(
                plan: plan,
                report: report,
                request: DockerfileRequest(installerPath: TestPlans.installerPath)
            )
        } throws: { error in
            guard case .planIncomplete(let text) = error as? EmitError else { return false }
            return text.contains("no Dockerfile was written") && !text.contains("\n")
        }
    }

    @Test func aHostWithNothingToInstallIsAnError() throws {
        var report = try TestHosts.guideNvidia()
        report.nvidia = nil
        var plan = try TestPlans.emitterPlan(report)
        plan.torch = TorchPlan(status: .none)
        plan.complete = true
        #expect(throws: EmitError.self) {
            try DockerfileEmitter.emit(plan: plan, report: report, request: DockerfileRequest())
        }
    }

    // MARK: Hostile values

    static let hostilePaths = [
        "Drivers/$(id).run", "Drivers/`id`.run", "Drivers/a\nRUN rm -rf /.run",
        "Drivers/it's.run", "Drivers/\"x\".run", "../outside/NVIDIA.run", "/abs/NVIDIA.run",
        "Drivers/a\\b.run", "Drivers/${HOME}.run", "Drivers/a\rb.run", "",
    ]

    @Test(arguments: hostilePaths)
    func hostileInstallerPathsAreRefused(path: String) throws {
        let report = try TestHosts.guideNvidia()
        let plan = try TestPlans.emitterPlan(report, installers: ["535.171.04"])
        #expect {
            try DockerfileEmitter.emit(
                plan: plan,
                report: report,
                request: DockerfileRequest(installerPath: path)
            )
        } throws: { error in
            guard case .unsafe(let what, _, _) = error as? EmitError else { return false }
            let line = (error as? EmitError)?.description ?? ""
            return what == "the installer path" && !line.contains("\n") && !line.contains("\r")
        }
    }

    @Test func aPathWithSpacesIsCopiedInJSONForm() throws {
        let report = try TestHosts.guideNvidia()
        let plan = try TestPlans.emitterPlan(report, installers: ["535.171.04"])
        let text = try DockerfileEmitter.emit(
            plan: plan,
            report: report,
            request: DockerfileRequest(
                installerPath: "My Drivers/NVIDIA-Linux-x86_64-535.171.04.run"
            )
        ).text
        #expect(
            text.contains(
                #"COPY ["My Drivers/NVIDIA-Linux-x86_64-535.171.04.run", "/root/NVIDIA-Linux-x86_64-535.171.04.run"]"#
            )
        )
    }

    @Test(arguments: ["ubuntu 22.04", "ubuntu:22.04\nRUN id", "$(id)", "-bad", "a\"b", ""])
    func hostileBaseImagesAreRefused(base: String) throws {
        let report = try TestHosts.guideNvidia()
        let plan = try TestPlans.emitterPlan(report, installers: ["535.171.04"])
        #expect(throws: EmitError.self) {
            try DockerfileEmitter.emit(
                plan: plan,
                report: report,
                request: DockerfileRequest(base: base, installerPath: TestPlans.installerPath)
            )
        }
    }

    @Test(arguments: ["535.171.04; rm -rf /", "not-a-version", "535.171.04\n", "$(id)"])
    func aChosenVersionThatIsNotAVersionIsRefused(version: String) throws {
        let report = try TestHosts.guideNvidia()
        var plan = try TestPlans.emitterPlan(report, installers: ["535.171.04"])
        plan.driver.chosenVersion = version
        #expect {
            try DockerfileEmitter.emit(
                plan: plan,
                report: report,
                request: DockerfileRequest(installerPath: TestPlans.installerPath)
            )
        } throws: { error in
            guard case .unsafe(let what, _, _) = error as? EmitError else { return false }
            return what == "the installer version"
        }
    }

    @Test func hostileTorchValuesAreRefused() throws {
        let report = try TestHosts.guideNvidia()
        let plan = try TestPlans.emitterPlan(report, installers: ["535.171.04"])
        let pick = try #require(plan.torch.pick)
        let changes: [(inout TorchPick) -> Void] = [
            { $0.torch = "2.7.1 && curl evil | sh" },
            { $0.torchvision = "0.22.1'" },
            { $0.variant = "cu128;id" },
            { $0.indexURL = "https://example.org/$(id)" },
            { $0.indexURL = "https://example.org/\nRUN id" },
        ]
        for change in changes {
            var bad = plan
            var changed = pick
            change(&changed)
            bad.torch.pick = changed
            #expect(throws: EmitError.self) {
                try DockerfileEmitter.emit(
                    plan: bad,
                    report: report,
                    request: DockerfileRequest(installerPath: TestPlans.installerPath)
                )
            }
        }
    }

    /// Host names and GPU names come from the host's JSON: in a comment they must stay on the
    /// comment's line.
    @Test func hostTextCannotBreakOutOfItsComment() throws {
        var report = try TestHosts.guideNvidia()
        report.host.hostname = "evil\nRUN curl http://x | sh\n#"
        let plan = try TestPlans.emitterPlan(report, installers: ["535.171.04"])
        var hostile = plan
        hostile.host.gpus[0].name = "GPU\r\nRUN id\u{2028}"
        let text = try DockerfileEmitter.emit(
            plan: hostile,
            report: report,
            request: DockerfileRequest(installerPath: TestPlans.installerPath)
        ).text
        #expect(!text.contains("\nRUN curl"))
        #expect(!text.contains("\nRUN id"))
        #expect(!text.contains("\r"))
        #expect(!text.contains("\u{2028}"))
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            #expect(
                ["COPY", "RUN", "ENV", "FROM", " "].contains { line.hasPrefix($0) },
                "\(line)"
            )
        }
    }

    @Test func shellQuotingRoundTripsThroughTheShell() throws {
        for word in ["plain-1.0", "it's", "a b", "$(id)", "`id`", "\"q\"", "", "-e", "x;y"] {
            let echoed = try FakeInstallers.output([
                "sh", "-c", "printf %s " + ShellWord.quote(word),
            ])
            #expect(echoed == word, "\(word)")
        }
    }

    /// What `dockerfile` writes, `check` accepts against the same host: the two read the same
    /// facts, and a Dockerfile gpuprobe wrote must not fail gpuprobe's own check.
    @Test(arguments: [
        "exact", "lower", "ascend", "ascend-vnpu", "ascend-toolkit", "ascend-official-image",
    ])
    func checkAcceptsWhatDockerfileWrites(host: String) throws {
        let report: HostReport
        let plan: Plan
        var request = DockerfileRequest(base: "ubuntu:22.04")
        var context = DockerfileCheckerTests.staged
        switch host {
        case "exact", "lower":
            report = try TestHosts.guideNvidia()
            let version = host == "exact" ? "535.171.04" : "535.161.08"
            plan = try TestPlans.emitterPlan(report, installers: [version, "550.135"])
            let installer = "Drivers/NVIDIA-Linux-x86_64-\(version).run"
            request = DockerfileRequest(base: "ubuntu:22.04", installerPath: installer)
            context = [installer: .file(size: 325_000_000)]
        case "ascend-toolkit":
            var capture = try TestPlans.capture910B4()
            capture.host.architecture = "aarch64"
            report = capture
            plan = TestPlans.ascendPlan(report)
            let packages = [
                "Drivers/Ascend-cann-toolkit_8.1.RC1_linux-aarch64.run",
                "Drivers/Ascend-cann-kernels-910b_8.1.RC1_linux-aarch64.run",
            ]
            request = DockerfileRequest(base: "ubuntu:22.04", folderFiles: packages)
            for package in packages { context[package] = .file(size: 2_000_000_000) }
        case "ascend-official-image":
            report = try TestPlans.capture910B4()
            plan = TestPlans.ascendPlan(report)
            request = DockerfileRequest()
        default:
            report = try TestHosts.guideAscend(vnpu: host == "ascend-vnpu")
            plan = try TestPlans.emitterPlan(report)
        }
        let emitted = try DockerfileEmitter.emit(plan: plan, report: report, request: request)
        let checked = try TestHosts.check(
            emitted.text,
            report,
            context: BuildContext(entries: context)
        )
        let problems = checked.findings.filter { $0.severity == .error }
        #expect(checked.compatible, "\(problems.map(\.message))")
        // The one warning each may carry is the one the emitter also gave.
        let warnings = checked.findings.filter { $0.severity == .warning }.map(\.kind)
        #expect(
            Set(warnings).isSubset(of: [.torchMinorCompat, .installerOlder]),
            "\(warnings)"
        )
        #expect(warnings.count <= emitted.warnings.count, "\(warnings) \(emitted.warnings)")
    }

    /// Docker's reference grammar (distribution/reference), as `docker build` reads `FROM`.
    @Test(arguments: [
        ("ubuntu", true),
        ("ubuntu:22.04", true),
        ("nvcr.io/nvidia/cuda:12.4.1-base-ubuntu22.04", true),
        ("localhost:5000/team/my_image__x:Tag.1-a", true),
        ("Registry.Example.com/x/y", true),
        ("[::1]:5000/x:1", true),
        ("a.b-c/d---e/f.g", true),
        ("ubuntu@sha256:" + String(repeating: "a", count: 64), true),
        ("ubuntu:22.04@sha256:" + String(repeating: "0", count: 64), true),
        ("UBUNTU", false),
        ("Ubuntu:22.04", false),
        ("x:", false),
        ("a//b", false),
        ("/ubuntu", false),
        ("ubuntu/", false),
        ("-ubuntu", false),
        ("ubuntu-", false),
        ("a..b", false),
        ("a._b", false),
        ("ubuntu:-x", false),
        ("ubuntu:" + String(repeating: "t", count: 129), false),
        ("ubuntu@sha256:abc", false),
        ("ubuntu@sha256:" + String(repeating: "A", count: 64), false),
        ("ubuntu@md5:" + String(repeating: "a", count: 32), false),
        ("host:port/x", false),
        ("-host.io/x", false),
        (String(repeating: "a", count: 256), false),
        ("ubuntu:22.04;rm", false),
        ("ubüntu", false),
    ])
    func imageReferencesFollowDockersGrammar(reference: String, valid: Bool) {
        #expect(ImageReference.isValid(reference) == valid)
        #expect(EmitValidation.isImageReference(reference) == valid)
    }
}
