import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

/// `check --build-arg` as a user runs it: the built gpuprobe.
@Suite struct BuildArgumentCommandTests {
    /// The built gpuprobe: a `--build-arg` changes the exit status; NAME alone reads the
    /// environment; a malformed one is a usage error on one line.
    @Test func theCommandLineTakesBuildArguments() throws {
        let context = try DockerfileCommandTests.context()
        defer { try? FileManager.default.removeItem(at: context) }
        try Data(TestHosts.useCuda.utf8).write(to: context.appendingPathComponent("Dockerfile"))
        _ = try MatchCommandTests.a100Host(in: context)
        func run(_ extra: [String], _ environment: [String] = []) -> CommandRun.Result {
            CommandRun.gpuprobe(
                [
                    "check", context.appendingPathComponent("Dockerfile").path, "--host",
                    context.appendingPathComponent("host.json").path,
                ] + extra,
                environment: ["PATH=/usr/bin:/bin"] + environment
            )
        }
        let plain = run([])
        #expect(plain.status == 0, "\(plain.stdout)")
        let cuda = run(["--build-arg", "USE_CUDA=true"])
        #expect(cuda.status == 1, "\(cuda.stdout)")
        #expect(cuda.stdout.contains(":5: error: torch 2.11.0+cu130"))
        #expect(run(["--build-arg", "USE_CUDA"], ["USE_CUDA=true"]).status == 1)
        #expect(run(["--build-arg", "USE_CUDA"]).status == 0)
        let bad = run(["--build-arg", "=true"])
        #expect(bad.status == 64)
        #expect(
            bad.stderr.hasPrefix(
                "gpuprobe: error: '=true' is not valid for --build-arg; expected NAME=VALUE or NAME"
            )
        )
    }

}
