import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

/// `gpuprobe check` as a user runs it: the exit status says whether the Dockerfile fits.
@Suite struct CheckCommandTests {
    static func run(_ arguments: [String], _ context: URL) -> MatchCommandTests.Result {
        MatchCommandTests.run(
            arguments,
            cache: context.appendingPathComponent("cache"),
            in: context
        )
    }

    /// What `dockerfile` writes passes `check` against the same host: the two agree.
    @Test func anEmittedDockerfileChecksClean() throws {
        let context = try DockerfileCommandTests.context()
        defer { try? FileManager.default.removeItem(at: context) }
        let emitted = Self.run(
            ["dockerfile", "--host", "host.json", "--base", "ubuntu:22.04", "-o", "Dockerfile"],
            context
        )
        #expect(emitted.status == 0, "\(emitted.stderr)")
        let checked = Self.run(["check", "Dockerfile", "--host", "host.json"], context)
        #expect(checked.status == 0, "\(checked.stdout)")
        #expect(!checked.stdout.contains(": error:"))
    }

    @Test func theGuidesDockerfileDoesNotFitTheGuidesHost() throws {
        let context = try DockerfileCommandTests.context()
        defer { try? FileManager.default.removeItem(at: context) }
        try FileManager.default.copyItem(
            at: Fixtures.url("dockerfiles/packaging-guide.Dockerfile"),
            to: context.appendingPathComponent("Dockerfile")
        )
        let checked = Self.run(["check", "Dockerfile", "--host", "host.json"], context)
        #expect(checked.status == 1)
        #expect(checked.stdout.contains("Dockerfile:43: error: `echo -e`"))
        #expect(checked.stdout.contains("newer than the host's driver 535.171.04"))
        let json = Self.run(
            ["check", "Dockerfile", "--host", "host.json", "--format", "json"],
            context
        )
        #expect(json.status == 1)
        let problems = try JSONSchemaCheck.problems(
            in: Data(json.stdout.utf8),
            against: "check-v1.schema.json"
        )
        #expect(problems == [])
    }

    @Test func anUnreadableDockerfileExitsTwo() throws {
        let context = try DockerfileCommandTests.context()
        defer { try? FileManager.default.removeItem(at: context) }
        try Data("FROM ubuntu:22.04\nRUN <<EOF\necho never ends\n".utf8).write(
            to: context.appendingPathComponent("Dockerfile")
        )
        let checked = Self.run(["check", "Dockerfile", "--host", "host.json"], context)
        #expect(checked.status == 2)
        #expect(checked.stderr.hasPrefix("gpuprobe: error:"))
        #expect(checked.stderr.split(separator: "\n").count == 1)
        try Data([0x46, 0x52, 0x4F, 0x4D, 0x20, 0xFF, 0x0A]).write(
            to: context.appendingPathComponent("Latin1.Dockerfile")
        )
        let latin1 = Self.run(["check", "Latin1.Dockerfile", "--host", "host.json"], context)
        #expect(latin1.status == 2)
        #expect(latin1.stderr.contains("Latin1.Dockerfile:1"))
        let missing = Self.run(["check", "Nope", "--host", "host.json"], context)
        #expect(missing.status == 2)
    }
}
