import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

/// The check report's JSON contract, its text form, and reading a Dockerfile's bytes.
@Suite struct CheckReportTests {
    static func report() throws -> CheckReport {
        try TestHosts.check(
            try Fixtures.text("dockerfiles/packaging-guide.Dockerfile"),
            try TestHosts.guideNvidia(),
            context: BuildContext(entries: ["NVIDIA-Linux-x86_64-550.135.run": .file(size: 1 << 28)]
            )
        )
    }

    @Test func jsonWritesEveryKeyWithNulls() throws {
        let json = JSONOutput.render(try Self.report())
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        )
        #expect(object["schema"] as? String == "gpuprobe/check/v1")
        #expect(object["compatible"] as? Bool == false)
        #expect(object["errors"] as? Int == 2)
        #expect(object["dockerfile"] as? String == "Dockerfile")
        let host = try #require(object["host"] as? [String: Any])
        #expect(host["driver_version"] as? String == "535.171.04")
        #expect(host["kernel_module_version"] is NSNull)
        let findings = try #require(object["findings"] as? [[String: Any]])
        let license = try #require(
            findings.first { $0["kind"] as? String == "installer-accept-license" }
        )
        #expect(Set(license.keys) == ["line", "severity", "kind", "message", "fix"])
        let checked = try #require(
            findings.first { $0["kind"] as? String == "nouveau-in-image" }
        )
        #expect(checked["severity"] as? String == "note")
        // The schema ties `compatible` to `errors`: a report claiming both is rejected.
        var claim = object
        claim["compatible"] = true
        let problems = try JSONSchemaCheck.validate(
            [
                "report": Data(json.utf8),
                "claim": try JSONSerialization.data(withJSONObject: claim),
            ],
            against: "check-v1.schema.json"
        )
        #expect(problems["report"] == [])
        #expect(problems["claim"] == ["$.compatible: False was expected"], "\(problems)")
    }

    @Test func jsonRoundTrips() throws {
        let report = try Self.report()
        let decoded = try JSONDecoder().decode(
            CheckReport.self,
            from: Data(JSONOutput.render(report).utf8)
        )
        #expect(decoded == report)
    }

    @Test func findingsAreSortedAndDeduplicated() {
        let host = PlanHost(MatchHost())
        let note = Finding(line: 3, severity: .note, kind: .torchOK, message: "m")
        let report = CheckReport(
            dockerfile: "D",
            host: host,
            catalogUpdated: "x",
            findings: [
                note,
                Finding(line: 3, severity: .error, kind: .torchNoKernels, message: "m", fix: "f"),
                note,
                Finding(
                    line: 1,
                    severity: .warning,
                    kind: .torchMinorCompat,
                    message: "m",
                    fix: "f"
                ),
            ]
        )
        #expect(report.findings.map(\.kind) == [.torchMinorCompat, .torchNoKernels, .torchOK])
        #expect((report.errors, report.warnings, report.notes) == (1, 1, 1))
        #expect(!report.compatible)
        #expect(
            CheckText.render(report)
                == """
                D:1: warning: m
                    fix: f
                D:3: error: m
                    fix: f
                D:3: note: m
                D: 1 error, 1 warning, 1 note: not compatible with this host

                """
        )
    }

    @Test func bytesMustBeUTF8Text() throws {
        #expect(
            try DockerfileChecker.text(from: Array("\u{FEFF}FROM a\n".utf8), path: "D")
                == "\u{FEFF}FROM a\n"
        )
        #expect(throws: DockerfileError(.notUTF8, line: 2, path: "D")) {
            try DockerfileChecker.text(from: Array("FROM a\nRUN ".utf8) + [0xFF, 0x0A], path: "D")
        }
        #expect(throws: DockerfileError(.notText, line: 3, path: "D")) {
            try DockerfileChecker.text(from: Array("FROM a\n\nRUN \u{0}".utf8), path: "D")
        }
        let message = DockerfileError(.notUTF8, line: 2, path: "build/Dockerfile").description
        #expect(
            message
                == "build/Dockerfile:2: the file is not UTF-8 text; save it as UTF-8 (as the builder reads it)"
        )
    }

    @Test func unreadableDockerfilesThrowWithThePath() throws {
        #expect(
            throws: DockerfileError(.unterminatedHeredoc("EOF"), line: 2, path: "app/Dockerfile")
        ) {
            try DockerfileChecker.check(
                dockerfile: "FROM a\nRUN <<EOF\necho\n",
                path: "app/Dockerfile",
                report: try TestHosts.guideNvidia(),
                catalog: .embedded,
                context: BuildContext(entries: [:])
            )
        }
    }

    @Test func hostileDockerfilesAreJudgedWhole() throws {
        // Over 10 MB: a 1 MB RUN line, 10 000 continuation lines, then ordinary lines with a
        // torch install in every block.
        var text = "FROM ubuntu:22.04\nRUN echo " + String(repeating: "x", count: 1 << 20) + "\n"
        text += "RUN pip install \\\n" + String(repeating: "  pkg \\\n", count: 10_000) + "  last\n"
        let block = """
            # a comment that the parser drops before it reaches any instruction at all
            ENV LANG=zh_CN.UTF-8 LANGUAGE=zh_CN:zh LC_ALL=zh_CN.UTF-8 HOME=/home/ubuntu/
            RUN apt-get update && apt-get install -y curl git vim nano sudo build-essential
            LABEL org.opencontainers.image.description="a label that nothing here reads"
            COPY entry-wrapper.sh /usr/bin/entry-wrapper.sh

            """
        let install =
            "RUN pip install torch==2.4.0+cu121 torchvision==0.19.0 "
            + "--extra-index-url https://download.pytorch.org/whl/cu121\n"
        let blocks =
            (9 << 20) / (String(repeating: block, count: 10).utf8.count + install.utf8.count)
        text += String(repeating: String(repeating: block, count: 10) + install, count: blocks)
        #expect(text.utf8.count > 10_000_000)
        let report = try TestHosts.check(text, try TestHosts.a100())
        #expect(report.compatible)
        #expect(report.kind(.torchOK).count == blocks)
        // The continued RUN ends on line 10 004; each block is 51 lines, the install last.
        #expect(report.findings.last?.line == 10_004 + blocks * 51)
    }
}

/// Shapes of Dockerfile that would make a careless checker quadratic; each must be judged
/// whole (no timing is asserted: a quadratic checker does not finish these).
@Suite struct CheckHostileTests {
    @Test func aLongChainOfStages() throws {
        var text = "FROM pytorch/pytorch:2.4.0-cuda12.4-cudnn9-runtime AS s0\n"
        for index in 1...20_000 {
            text += "FROM s\(index - 1) AS s\(index)\nRUN pip install torchvision==0.19.0\n"
            text += "RUN echo -e 'blacklist nouveau' > /etc/modprobe.d/n.conf\n"
        }
        let report = try TestHosts.check(text, try TestHosts.a100())
        // Every stage pairs torchvision with the base image's torch 2.4.0: no mismatch.
        #expect(report.kind(.torchCompanionMismatch).isEmpty)
        #expect(report.kind(.nouveauEchoE).count == 20_000)
        #expect(report.kind(.baseImageMinorCompat).map(\.line) == [1])
    }

    @Test func manyInstallersCopiedAndRun() throws {
        var text = "FROM ubuntu:22.04\n"
        var context: [String: ContextEntry] = [:]
        for index in 0..<20_000 {
            let name = "NVIDIA-Linux-x86_64-535.171.\(index).run"
            context[name] = .file(size: 1 << 28)
            text += "COPY \(name) /tmp/\nRUN sh /tmp/NVIDIA-Linux-x86_64-535.171.\(index)*.run -s\n"
        }
        let report = try TestHosts.check(
            text,
            try TestHosts.guideNvidia(),
            context: BuildContext(entries: context)
        )
        #expect(report.kind(.installerKernelModule).count == 20_000)
        #expect(report.kind(.installerSourceMissing).isEmpty)
    }
}
