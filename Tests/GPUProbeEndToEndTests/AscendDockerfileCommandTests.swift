import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

/// `match` and `dockerfile` for the real Ascend hosts, as a user runs them: the built gpuprobe.
@Suite struct AscendDockerfileCommandTests {
    static let wholeOutputs: [(String, [String])] = [
        ("ascend-910b4", ["--host", Fixtures.url("hosts/ascend-910b4").path]),
        (
            "guide-310P3",
            [
                "--host",
                Fixtures.url("npu-smi/info_310P3_npusmi24.1.0.1_packaging_guide.txt").path,
                "--host", Fixtures.url("ascend/version_info_24.1.rc2.2.txt").path,
            ]
        ),
    ]

    /// The 910B4 capture and the packaging guide's own 310P3 host (its npu-smi paste with a
    /// real 24.1.rc2.2 version.info) get their whole plan and Dockerfile, as committed in
    /// `Fixtures/emitted/` (its README says how to regenerate them).
    @Test(arguments: wholeOutputs)
    func theRealHostsGetTheirWholePlanAndDockerfile(name: String, hosts: [String]) throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let cache = folder.appendingPathComponent("cache")
        let plan = MatchCommandTests.run(
            ["match", "--format", "text"] + hosts,
            cache: cache,
            in: folder
        )
        #expect(plan.status == 0, "\(plan.stderr)")
        #expect(plan.stdout == (try Fixtures.text("emitted/\(name).plan.txt")))
        let dockerfile = MatchCommandTests.run(["dockerfile"] + hosts, cache: cache, in: folder)
        #expect(dockerfile.status == 0, "\(dockerfile.stderr)")
        #expect(dockerfile.stdout == (try Fixtures.text("emitted/\(name).Dockerfile")))
    }
}
