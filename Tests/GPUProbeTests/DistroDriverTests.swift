import Testing

@testable import GPUProbe
@testable import TestSupport

extension DockerfileCheckerTests {
    /// The driver packages' kinds.
    static let distroScenarios: [Scenario] = [
        Scenario(
            kind: .driverPackageNewer,
            severity: .error,
            line: 2,
            host: .rtx4060Ti,
            contains: "apt-get install nvidia-driver-550 installs the repository's newest 550 "
                + "userspace driver when the image is built, 550.163.01 or later",
            dockerfile: """
                FROM ubuntu:22.04
                RUN apt-get update && apt-get install -y --no-install-recommends nvidia-driver-550
                """
        ),
        Scenario(
            kind: .driverPackageOlder,
            severity: .warning,
            line: 2,
            host: .guide,
            contains: "libnvidia-compute-535=535.161.07-0ubuntu1 installs userspace driver "
                + "535.161.07, older than the host's driver 535.171.04",
            dockerfile: """
                FROM ubuntu:22.04
                RUN apt-get install -y libnvidia-compute-535=535.161.07-0ubuntu1
                """
        ),
        Scenario(
            kind: .driverPackageExact,
            severity: .note,
            line: 3,
            host: .guide,
            contains: "nvidia-driver-cuda-535.171.04 installs userspace driver 535.171.04, the "
                + "same version",
            dockerfile: """
                FROM rockylinux:9
                ARG DRIVER_VERSION=535.171.04
                RUN dnf install -y nvidia-driver-cuda-${DRIVER_VERSION} nvidia-driver-cuda-libs-${DRIVER_VERSION}
                """
        ),
        Scenario(
            kind: .driverPackageUnpinned,
            severity: .note,
            line: 2,
            host: .guide,
            contains: "installs the distribution's NVIDIA userspace driver",
            dockerfile: """
                FROM debian:12
                RUN apt-get install -y nvidia-driver
                """
        ),
    ]
}

/// Driver packages from apt, dnf and zypper: the userspace driver they put into the image
/// must equal the host's kernel module like a `.run`'s.
@Suite struct DistroDriverTests {
    static func check(_ dockerfile: String, _ host: DockerfileCheckerTests.Host = .guide) throws
        -> CheckReport
    {
        try TestHosts.check(dockerfile, try host.report())
    }

    /// `cuda` and `cuda-X-Y` pull `cuda-drivers`, NVIDIA's newest driver.
    @Test(arguments: [
        "apt-get install -y cuda",
        "apt-get -y install cuda-12-2",
        "apt install -y cuda-runtime-12-2=12.2.2-1",
        "apt-get install -y cuda-drivers",
        "dnf -y install cuda-drivers",
        "yum install -y nvidia-driver-latest-dkms",
        "dnf -y module install nvidia-driver:latest-dkms",
        "zypper --non-interactive install cuda",
    ])
    func unpinnedCUDAPullsTheNewestDriver(command: String) throws {
        let report = try Self.check("FROM ubuntu:22.04\nRUN \(command)\n")
        #expect(report.summary == ["2:error:driver-package-newer"])
        let finding = try #require(report.findings.first)
        #expect(finding.message.contains("NVIDIA's newest userspace driver"))
        #expect(finding.message.contains("branch 610 or later"))
        #expect(finding.message.contains("535.171.04"))
        #expect(finding.fix?.contains("NVIDIA Container Toolkit") == true)
        #expect(!report.compatible)
    }

    @Test func cudaXYNamesItsMinimumBranch() throws {
        let report = try Self.check("FROM ubuntu:22.04\nRUN apt-get install -y cuda-12-4\n")
        #expect(report.findings.first?.message.contains("CUDA 12.4 needs branch 550") == true)
    }

    /// Toolkit, libraries and the forward-compatibility package install no driver.
    @Test func packagesWithoutADriverAreNotJudged() throws {
        let report = try Self.check(
            """
            FROM ubuntu:22.04
            RUN apt-get install -y cuda-toolkit-12-2 cuda-libraries-12-2 cuda-compat-12-2 \\
                cuda-nvcc-12-2 cuda-drivers-fabricmanager-535 nvidia-container-toolkit \\
                libnvidia-container1 nvidia-cuda-toolkit
            RUN dnf install -y cuda-toolkit-12-2 nvidia-container-toolkit
            """
        )
        #expect(report.findings.isEmpty, "\(report.summary)")
    }

    /// A branch package takes the branch's newest release: above the host's branch an error,
    /// below it a warning, on it an error where a newer release of the branch is known.
    @Test(arguments: [
        ("apt-get install -y cuda-drivers-570", "2:error:driver-package-newer"),
        ("apt-get install -y nvidia-utils-550-server", "2:error:driver-package-newer"),
        ("apt-get install -y nvidia-headless-no-dkms-570-open", "2:error:driver-package-newer"),
        ("apt-get install -y libnvidia-compute-470", "2:warning:driver-package-older"),
        ("apt-get install -y nvidia-driver-535", "2:error:driver-package-newer"),
        ("dnf -y module install nvidia-driver:550-dkms", "2:error:driver-package-newer"),
        ("dnf install -y @nvidia-driver:470/default", "2:warning:driver-package-older"),
        ("apt-get install -y nvidia-tesla-470-driver", "2:warning:driver-package-older"),
        ("zypper in -y nvidia-compute-G05", "2:warning:driver-package-older"),
    ])
    func branchPackages(command: String, summary: String) throws {
        let report = try Self.check("FROM ubuntu:22.04\nRUN \(command)\n")
        #expect(report.summary == [summary])
    }

    /// The host's branch with a published release above the host's: the repository's newest
    /// is newer than the kernel module.
    @Test func theHostsBranchIsNewerThanTheHost() throws {
        let report = try Self.check("FROM ubuntu:22.04\nRUN apt-get install -y nvidia-driver-535\n")
        let finding = try #require(report.findings.first)
        #expect(finding.message.contains("535.261.03 or later"))
    }

    /// A pinned package names its version, whatever the package manager's syntax.
    @Test(arguments: [
        ("apt-get install -y nvidia-driver-535=535.171.04-0ubuntu1", "2:note:driver-package-exact"),
        ("apt-get install -y cuda-drivers=535.171.04-1", "2:note:driver-package-exact"),
        (
            "apt-get install -y nvidia-utils-535=1:535.171.04-0ubuntu1",
            "2:note:driver-package-exact"
        ),
        ("dnf install -y nvidia-driver-3:535.171.04-1.el9", "2:note:driver-package-exact"),
        ("dnf install -y cuda-drivers-550.54.15", "2:error:driver-package-newer"),
        ("zypper install -y nvidia-compute-G06=535.171.04", "2:note:driver-package-exact"),
        ("apt-get install -y libnvidia-compute-550=550.54.14-1", "2:error:driver-package-newer"),
    ])
    func pinnedPackages(command: String, summary: String) throws {
        let report = try Self.check("FROM ubuntu:22.04\nRUN \(command)\n")
        #expect(report.summary == [summary])
    }

    /// `dnf module enable nvidia-driver:535` makes `dnf install nvidia-driver-cuda` take 535.
    @Test func anEnabledStreamSetsTheBranch() throws {
        let report = try Self.check(
            """
            FROM rockylinux:9
            RUN dnf module enable -y nvidia-driver:470 && dnf install -y nvidia-driver-cuda
            """
        )
        #expect(report.summary == ["2:warning:driver-package-older"])
    }

    /// `nvidia-driver-cuda-${DRIVER_VERSION}` is resolved from ENV; with no value, a note that
    /// names the `--build-arg`.
    @Test func aVersionFromAVariable() throws {
        let resolved = try Self.check(
            """
            FROM rockylinux:9
            ENV DRIVER_VERSION=550.54.14
            RUN dnf install -y nvidia-driver-cuda-${DRIVER_VERSION}
            """
        )
        #expect(resolved.summary == ["3:error:driver-package-newer"])
        #expect(
            resolved.findings.first?.message.contains("installs userspace driver 550.54.14") == true
        )
        let unknown = try Self.check(
            """
            FROM rockylinux:9
            ARG DRIVER_VERSION
            RUN dnf install -y nvidia-driver-cuda-${DRIVER_VERSION} && apt-get install -y libnvidia-compute-535=${DRIVER_VERSION}-1
            """
        )
        #expect(unknown.summary == ["3:note:unresolved-variable", "3:note:unresolved-variable"])
        #expect(unknown.compatible)
        #expect(
            unknown.findings.allSatisfy {
                $0.fix?.contains("--build-arg DRIVER_VERSION=535.171.04") == true
            }
        )
    }

    /// No NVIDIA driver on the host: nothing in the image can use the package's driver.
    @Test func aHostWithoutNVIDIA() throws {
        let report = try Self.check(
            "FROM ubuntu:22.04\nRUN apt-get install -y cuda-drivers\n",
            .noGPU
        )
        #expect(report.summary == ["2:warning:installer-no-host-driver"])
        #expect(report.findings.first?.message.contains("apt-get install cuda-drivers") == true)
    }

    @Test func upstreamVersions() {
        #expect(DistroDriverJudge.upstreamVersion("1:550.54.15-0ubuntu1")?.text == "550.54.15")
        #expect(DistroDriverJudge.upstreamVersion("550.54.15*")?.text == "550.54.15")
        #expect(DistroDriverJudge.upstreamVersion("3:550.54.15-1.el9")?.text == "550.54.15")
        #expect(DistroDriverJudge.upstreamVersion("12.2.2-1")?.text == "12.2.2")
        #expect(DistroDriverJudge.upstreamVersion("latest") == nil)
    }
}

/// A finding made from a command under a condition whose value is unknown holds only when
/// that branch runs: one severity lower, and the message says so.
@Suite struct DriverConditionTests {
    static func input(_ script: String) throws -> CheckInput {
        let words = ShellScript.commands(script, variables: [:]).first?.words ?? []
        var facts = BuildFacts()
        facts.stages = [StageFacts(index: 0, line: 1, base: .scratch, root: 0)]
        facts.commands = [
            CommandFact(
                line: 4,
                stage: 0,
                shell: .posix("/bin/sh"),
                directory: "/tmp",
                words: CommandWords.effective(words),
                redirections: [],
                environment: [:],
                condition: "[ \"$WITH_DRIVER\" = \"1\" ]"
            )
        ]
        return CheckInput(
            facts: facts,
            report: try TestHosts.guideNvidia(),
            catalog: .embedded,
            context: BuildContext(entries: [:])
        )
    }

    @Test func aConditionalDriverPackageIsAWarning() throws {
        let findings = DistroDriverJudge.findings(try Self.input("apt-get install -y cuda"))
        #expect(findings.map(\.severity) == [.warning])
        #expect(
            findings.first?.message.hasSuffix(
                "(only when [ \"$WITH_DRIVER\" = \"1\" ] holds; its value is not known here)"
            ) == true
        )
    }

    @Test func aConditionalInstallerRunIsAWarning() throws {
        let findings = InstallerJudge.findings(
            try Self.input("sh NVIDIA-Linux-x86_64-550.135.run --silent --no-kernel-modules")
        )
        #expect(findings.map(\.kind) == [.installerNewer])
        #expect(findings.map(\.severity) == [.warning])
    }
}

extension DistroDriverTests {
    /// Only the image's stages count: a builder stage's packages are not in the image.
    @Test func aBuilderStagesPackagesAreNotInTheImage() throws {
        let report = try Self.check(
            """
            FROM ubuntu:22.04 AS build
            RUN apt-get install -y cuda-drivers-570
            FROM ubuntu:22.04
            RUN apt-get install -y libnvidia-compute-570
            """
        )
        #expect(report.summary == ["4:error:driver-package-newer"])
    }
}

extension DistroDriverTests {
    /// The fix pins the package itself where it is a package of the host's branch.
    @Test func theFixPinsThePackage() throws {
        let report = try Self.check("FROM ubuntu:22.04\nRUN apt-get install -y libnvidia-gl-535\n")
        #expect(
            report.findings.first?.fix?.contains("`libnvidia-gl-535=535.171.04-<revision>`") == true
        )
    }
}
