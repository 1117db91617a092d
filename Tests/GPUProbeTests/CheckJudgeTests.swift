import Testing

@testable import GPUProbe
@testable import TestSupport

/// The judges' finer rules: what executes an installer, which shell `echo -e` meets, which
/// stage's base runs on the host.
@Suite struct CheckJudgeTests {
    static func command(_ text: String, directory: String = "/") -> CommandFact {
        let words = ShellScript.commands(text, variables: [:]).first?.words ?? []
        return CommandFact(
            line: 1,
            stage: 0,
            shell: .posix("/bin/sh"),
            directory: directory,
            words: CommandWords.effective(words),
            redirections: [],
            environment: [:]
        )
    }

    @Test(arguments: [
        (
            command: "./NVIDIA-Linux-x86_64-535.171.04.run -s --no-kernel-modules",
            path: "./NVIDIA-Linux-x86_64-535.171.04.run"
        ),
        (command: "/tmp/x.run", path: "/tmp/x.run"),
        (command: "sh x.run --silent", path: "x.run"),
        (command: "bash -x /tmp/x.run", path: "/tmp/x.run"),
        (command: "sudo sh /tmp/x.run", path: "/tmp/x.run"),
        (command: "chmod +x /tmp/x.run", path: nil),
        (command: "rm -f /tmp/x.run", path: nil),
        (command: "sh -c /tmp/x.run", path: nil),
        (command: "sh /tmp/x.run -x", path: nil),
        (command: "/tmp/x.run --extract-only", path: nil),
        (command: "sh /tmp/x.run --version-string", path: nil),
    ])
    func whatExecutesAnInstaller(command: String, path: String?) {
        #expect(InstallerJudge.execution(Self.command(command))?.path.text == path)
    }

    static func echoFindings(_ text: String) throws -> [Finding] {
        try TestHosts.check(text, try TestHosts.guideNvidia()).kind(.nouveauEchoE)
    }

    static let echo =
        #"echo -e "blacklist nouveau\noptions nouveau modeset=0" > /etc/modprobe.d/blacklist-nouveau.conf"#

    @Test func echoDashEIsAnErrorOnlyUnderDash() throws {
        #expect(
            try Self.echoFindings("FROM ubuntu:22.04\nRUN \(Self.echo)\n").map(\.severity) == [
                .error
            ]
        )
        // An unknown base is taken as Debian-like, the common case.
        #expect(
            try Self.echoFindings("FROM corp/base:1\nRUN \(Self.echo)\n").map(\.severity) == [
                .error
            ]
        )
        #expect(
            try Self.echoFindings("FROM ubuntu\nRUN sh -c '\(Self.echo)'\n").map(\.severity) == [
                .error
            ]
        )
        #expect(
            try Self.echoFindings("FROM ubuntu\nRUN <<EOF\n\(Self.echo)\nEOF\n").map(\.severity)
                == [.error]
        )
        // bash reads -e.
        #expect(
            try Self.echoFindings("FROM ubuntu\nSHELL [\"/bin/bash\", \"-c\"]\nRUN \(Self.echo)\n")
                .isEmpty
        )
        #expect(
            try Self.echoFindings("FROM ubuntu\nRUN <<EOF\n#!/bin/bash\n\(Self.echo)\nEOF\n")
                .isEmpty
        )
        #expect(try Self.echoFindings("FROM ubuntu\nRUN bash -c '\(Self.echo)'\n").isEmpty)
        // The exec form runs /bin/echo, which takes -e.
        #expect(
            try Self.echoFindings(
                #"FROM ubuntu\#nRUN ["echo", "-e", "blacklist nouveau"]\#n"#
            ).isEmpty
        )
        // BusyBox and bash-as-sh images take -e: a note about portability only.
        #expect(
            try Self.echoFindings("FROM alpine:3.20\nRUN \(Self.echo)\n").map(\.severity) == [.note]
        )
        #expect(
            try Self.echoFindings("FROM rockylinux:9\nRUN \(Self.echo)\n").map(\.severity) == [
                .note
            ]
        )
        // A stage built on another inherits its base image's shell.
        #expect(
            try Self.echoFindings("FROM alpine AS a\nFROM a\nRUN \(Self.echo)\n").map(\.severity)
                == [.note]
        )
    }

    @Test func theFinalStagesChainDecidesTheBase() throws {
        let report = try TestHosts.check(
            """
            FROM nvidia/cuda:12.4.1-runtime-ubuntu22.04 AS runtime
            FROM nvidia/cuda:12.4.1-devel-ubuntu22.04 AS build
            RUN make
            FROM runtime
            COPY --from=build /out /out
            """,
            try TestHosts.guideNvidia()
        )
        #expect(
            report.summary == [
                "1:warning:base-image-minor-compat", "2:note:base-image-other-stage",
            ]
        )
    }

    @Test func disablingTheRequirementMakesItAWarning() throws {
        let report = try TestHosts.check(
            "FROM nvidia/cuda:12.4.1-runtime-ubuntu22.04\nENV NVIDIA_DISABLE_REQUIRE=1\n",
            try TestHosts.guideNvidia()
        )
        #expect(report.summary == ["1:warning:base-image-minor-compat"])
        #expect(report.findings[0].message.contains("NVIDIA_DISABLE_REQUIRE"))
    }

    @Test func aWildcardCopyIsLinkedToWhatTheContextHolds() throws {
        let report = try TestHosts.check(
            """
            FROM ubuntu:22.04
            COPY NVIDIA-Linux-*.run /tmp/
            RUN sh /tmp/NVIDIA-Linux-x86_64-*.run --silent --no-kernel-modules
            """,
            try TestHosts.guideNvidia(),
            context: BuildContext(entries: ["NVIDIA-Linux-x86_64-550.135.run": .file(size: 1 << 28)]
            )
        )
        #expect(report.summary == ["3:error:installer-newer"])
        #expect(report.findings[0].message.contains("(copied at line 2)"))
    }

    @Test func torchvisionInstalledLaterIsPairedWithTheStagesTorch() throws {
        let report = try TestHosts.check(
            """
            FROM pytorch/pytorch:2.4.0-cuda12.4-cudnn9-runtime
            RUN pip install torchvision==0.20.0
            """,
            try TestHosts.a100()
        )
        let mismatch = try #require(report.kind(.torchCompanionMismatch).first)
        #expect(mismatch.line == 2)
        #expect(mismatch.message.contains("torch 2.4.0 pairs with torchvision 0.19.0"))
    }
}
