import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

/// The packaging guide's own Dockerfile snippets (Fixtures/dockerfiles/README.md) against the
/// hosts the guide wrote them next to, built from the guide's real nvidia-smi and npu-smi output.
@Suite struct DockerfileCheckerGuideTests {
    static let installer = "NVIDIA-Linux-x86_64-550.135.run"

    static func nvidiaReport() throws -> CheckReport {
        try TestHosts.check(
            try Fixtures.text("dockerfiles/packaging-guide.Dockerfile"),
            try TestHosts.guideNvidia(),
            context: BuildContext(entries: [installer: .file(size: 300 << 20)])
        )
    }

    @Test func theHostIsReadFromTheGuidesNvidiaSMI() throws {
        let host = MatchHost.from(try TestHosts.guideNvidia())
        #expect(host.targetDriverVersion?.text == "535.171.04")
        #expect(host.cudaVersion?.description == "12.2")
        #expect(host.gpus.map(\.name) == ["NVIDIA RTX A6000"])
    }

    @Test func guideDockerfileIsNotCompatibleWithTheGuidesHost() throws {
        let report = try Self.nvidiaReport()
        #expect(!report.compatible)
        #expect(
            report.summary == [
                "31:warning:torch-find-links-page",
                "31:warning:torch-minor-compat",
                "43:error:nouveau-echo-e",
                "43:note:nouveau-in-image",
                "46:error:installer-newer",
                "46:note:installer-accept-license",
            ]
        )
    }

    @Test func eachFindingNamesTheFactsAndTheFix() throws {
        let report = try Self.nvidiaReport()
        let newer = try #require(report.kind(.installerNewer).first)
        #expect(newer.message.contains("550.135"))
        #expect(newer.message.contains("535.171.04"))
        #expect(newer.message.contains("copied at line 41"))
        #expect(newer.fix?.contains("NVIDIA-Linux-x86_64-535.171.04.run") == true)
        #expect(
            newer.fix?.contains(
                "https://us.download.nvidia.com/XFree86/Linux-x86_64/535.171.04/"
            ) == true
        )

        let echo = try #require(report.kind(.nouveauEchoE).first)
        #expect(echo.message.contains("/etc/modprobe.d/blacklist-nouveau.conf"))
        #expect(
            echo.fix
                == "printf '%s\\n' 'blacklist nouveau' 'options nouveau modeset=0' > "
                + "/etc/modprobe.d/blacklist-nouveau.conf"
        )

        let page = try #require(report.kind(.torchFindLinksPage).first)
        #expect(page.message.contains("https://pypi.tuna.tsinghua.edu.cn/simple"))
        #expect(page.message.contains("cu124"))
        // The fix installs the variant that runs natively on CUDA 12.2.
        #expect(page.fix?.contains("--index-url https://download.pytorch.org/whl/cu121") == true)

        let minor = try #require(report.kind(.torchMinorCompat).first)
        #expect(minor.message.contains("torch 2.4.0+cu124"))
        #expect(minor.message.contains("CUDA 12.2"))
        #expect(minor.fix?.contains("branch 550") == true)
    }

    @Test func theInstallerForTheHostsVersionIsExact() throws {
        let text = try Fixtures.text("dockerfiles/packaging-guide.Dockerfile")
            .replacing("550.135", with: "535.171.04")
        let report = try TestHosts.check(
            text,
            try TestHosts.guideNvidia(),
            context: BuildContext(entries: [
                "NVIDIA-Linux-x86_64-535.171.04.run": .file(size: 1 << 28)
            ])
        )
        #expect(report.kind(.installerExact).map(\.line) == [46])
        #expect(report.kind(.installerNewer).isEmpty)
    }

    @Test func theRenderedTextIsCompilerStyle() throws {
        let text = CheckText.render(try Self.nvidiaReport())
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first?.hasPrefix("Dockerfile:31: warning: -f https://pytorch.org/") == true)
        #expect(
            lines.contains { $0.hasPrefix("Dockerfile:46: error: NVIDIA-Linux-x86_64-550.135.run") }
        )
        #expect(lines.contains { $0.hasPrefix("    fix: printf '%s\\n' 'blacklist nouveau'") })
        #expect(
            lines.dropLast().last
                == "Dockerfile: 2 errors, 2 warnings, 2 notes: not compatible with this host"
        )
        #expect(text.hasSuffix("\n"))
    }

    @Test func guideAscendSnippetOnTheGuidesAscendHost() throws {
        let text = try Fixtures.text("dockerfiles/packaging-guide-ascend.Dockerfile")
        let report = try TestHosts.guideAscend()
        // The guide copies from the context's top level, as its own COPY lines name the files.
        let staged: [String: ContextEntry] = [
            "dcmi": .directory, "npu-smi": .file(size: 2_000_000), "common": .directory,
            "driver": .directory, "ascend_install.info": .file(size: 200),
            "version.info": .file(size: 300),
        ]
        let checked = try TestHosts.check(text, report, context: BuildContext(entries: staged))
        // vnpu.cfg: the guide copies it, but this host has none and the context neither.
        #expect(
            checked.summary == [
                "9:error:ascend-source-missing", "9:warning:ascend-vnpu-absent",
            ]
        )
        // Nothing staged: every COPY line is an error naming stage-ascend.
        let empty = try TestHosts.check(text, report)
        #expect(empty.kind(.ascendSourceMissing).map(\.line) == Array(4...10))
        #expect(
            empty.kind(.ascendSourceMissing).allSatisfy {
                $0.fix?.contains("gpuprobe stage-ascend --context DIR") == true
            }
        )
    }
}
