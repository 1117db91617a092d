import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

/// `gpuprobe dockerfile` as a user runs it: output files, exit statuses, refusals.
@Suite struct DockerfileCommandTests {
    static func context() throws -> URL {
        let context = FileManager.default.temporaryDirectory
            .appendingPathComponent("gpuprobe-dfcmd-\(UUID().uuidString)")
        let drivers = context.appendingPathComponent("Drivers")
        try FileManager.default.createDirectory(at: drivers, withIntermediateDirectories: true)
        try MakeselfInstaller.build(version: "535.171.04", in: drivers)
        _ = try TestHosts.write(TestHosts.guideNvidia(), in: context)
        return context
    }

    static func run(_ arguments: [String], _ context: URL) -> MatchCommandTests.Result {
        MatchCommandTests.run(
            ["dockerfile", "--host", "host.json"] + arguments,
            cache: context.appendingPathComponent("cache"),
            in: context
        )
    }

    @Test func printsToStandardOutputAndWarnsOnStandardError() throws {
        let context = try Self.context()
        defer { try? FileManager.default.removeItem(at: context) }
        let result = Self.run(["--drivers", "./Drivers"], context)
        #expect(result.status == 0)
        #expect(result.stdout.contains("COPY Drivers/NVIDIA-Linux-x86_64-535.171.04.run /root/"))
        #expect(result.stderr.contains("gpuprobe: warning: the cu126 wheel"))
    }

    @Test func neverReplacesAFileWithoutForce() throws {
        let context = try Self.context()
        defer { try? FileManager.default.removeItem(at: context) }
        let target = context.appendingPathComponent("Dockerfile")
        try Data("mine\n".utf8).write(to: target)
        let refused = Self.run(["-o", "Dockerfile"], context)
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("'Dockerfile' exists; pass --force"))
        #expect(try Data(contentsOf: target) == Data("mine\n".utf8))
        let forced = Self.run(["-o", "Dockerfile", "--force"], context)
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(
            String(decoding: try Data(contentsOf: target), as: UTF8.self).contains("COPY Drivers/")
        )
        // No temporary files left beside it.
        let names = try FileManager.default.contentsOfDirectory(atPath: context.path)
        #expect(names.sorted() == ["Dockerfile", "Drivers", "cache", "host.json"])
    }

    @Test func anIncompletePlanWritesNoFileAndExitsThree() throws {
        let context = try Self.context()
        defer { try? FileManager.default.removeItem(at: context) }
        let empty = context.appendingPathComponent("Empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        let result = Self.run(["--drivers", "Empty", "-o", "Dockerfile"], context)
        #expect(result.status == 3)
        #expect(result.stderr.contains("no Dockerfile was written"))
        #expect(
            !FileManager.default.fileExists(
                atPath: context.appendingPathComponent("Dockerfile").path
            )
        )
    }

    @Test func driversOutsideTheContextAreRefused() throws {
        let context = try Self.context()
        defer { try? FileManager.default.removeItem(at: context) }
        let outside = try FakeInstallers()
        defer { outside.remove() }
        try MakeselfInstaller.build(version: "535.171.04", in: outside.directory)
        let result = Self.run(["--drivers", outside.directory.path], context)
        #expect(result.status == 2)
        #expect(result.stderr.contains("outside the build context"))
        #expect(result.stdout.isEmpty)
    }

    @Test func anAbsoluteDriversFolderInsideTheContextBecomesRelative() throws {
        let context = try Self.context()
        defer { try? FileManager.default.removeItem(at: context) }
        // The test's temporary folder may sit behind a symlink; compare the real path.
        let real = context.resolvingSymlinksInPath().appendingPathComponent("Drivers").path
        let result = Self.run(["--drivers", real], context)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("COPY Drivers/NVIDIA-Linux-x86_64-535.171.04.run /root/"))
    }

    /// The reader refuses a file whose name is not NVIDIA's, so a hostile name is never chosen.
    @Test func anInstallerNamedWithShellCharactersIsNeverChosen() throws {
        let context = try Self.context()
        defer { try? FileManager.default.removeItem(at: context) }
        let drivers = context.appendingPathComponent("Drivers")
        try FileManager.default.moveItem(
            at: drivers.appendingPathComponent("NVIDIA-Linux-x86_64-535.171.04.run"),
            to: drivers.appendingPathComponent("NVIDIA-Linux-x86_64-535.171.04$(id).run")
        )
        let result = Self.run(["-o", "Dockerfile"], context)
        #expect(result.status == 3, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(
            !FileManager.default.fileExists(
                atPath: context.appendingPathComponent("Dockerfile").path
            )
        )
    }

    /// The folder's name is the user's: one with shell or Dockerfile syntax is refused.
    @Test(arguments: ["Dri$(id)vers", "Dri`id`vers", "Dri\"vers", "Dri'vers", "Dri${X}vers"])
    func aDriversFolderWithShellCharactersIsRefused(name: String) throws {
        let context = try Self.context()
        defer { try? FileManager.default.removeItem(at: context) }
        try FileManager.default.moveItem(
            at: context.appendingPathComponent("Drivers"),
            to: context.appendingPathComponent(name)
        )
        let result = Self.run(["--drivers", name, "-o", "Dockerfile"], context)
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("cannot go into a Dockerfile"))
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(
            !FileManager.default.fileExists(
                atPath: context.appendingPathComponent("Dockerfile").path
            )
        )
    }
}
