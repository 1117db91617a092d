import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

/// `check --cuda-images` and `--gpu-brands` as a user runs them: the built gpuprobe.
@Suite struct RequireCUDADataCommandTests {
    static let header = "cuda_version\tflavour\tarch\trequire_string\tsource\n"

    /// `gpuprobe check --cuda-images FILE`: a malformed file is exit 2 naming its line; a good
    /// one replaces the table built in.
    @Test func theCommandTakesAReplacementTable() throws {
        let context = try DockerfileCommandTests.context()
        defer { try? FileManager.default.removeItem(at: context) }
        try Data("FROM nvidia/cuda:12.4.1-runtime-ubuntu22.04\n".utf8).write(
            to: context.appendingPathComponent("Dockerfile")
        )
        let builtIn = CheckCommandTests.run(
            ["check", "Dockerfile", "--host", "host.json"],
            context
        )
        #expect(builtIn.status == 0, "\(builtIn.stdout)")
        try Data((Self.header + "12.4.1\tubuntu22.04\tx86_64\tcuda>=12.4\tmine\n").utf8).write(
            to: context.appendingPathComponent("images.tsv")
        )
        let strict = CheckCommandTests.run(
            ["check", "Dockerfile", "--host", "host.json", "--cuda-images", "images.tsv"],
            context
        )
        #expect(strict.status == 1, "\(strict.stdout)")
        try Data((Self.header + "12.4.1\tubuntu22.04\n").utf8).write(
            to: context.appendingPathComponent("bad.tsv")
        )
        let bad = CheckCommandTests.run(
            ["check", "Dockerfile", "--host", "host.json", "--cuda-images", "bad.tsv"],
            context
        )
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("'bad.tsv', line 2: expected 5 tab-separated columns"))
        let brands = CheckCommandTests.run(
            ["check", "Dockerfile", "--host", "host.json", "--gpu-brands", "missing.tsv"],
            context
        )
        #expect(brands.status == 2)
        #expect(brands.stderr.contains("'missing.tsv': no such file"))
    }
}
