import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

/// `dockerfile` writes no `COPY` the build cannot satisfy (a drivers folder linked from outside
/// the context) and no `FROM` Docker refuses.
@Suite struct DockerfileHardeningTests {
    /// `Drivers` is a symbolic link to a folder outside the context: the builder sends nothing
    /// from there, so no Dockerfile is written (it was, with a COPY the build fails on).
    @Test(arguments: [true, false])
    func aDriversFolderLinkedFromOutsideIsRefused(absolute: Bool) throws {
        let context = try DockerfileCommandTests.context()
        defer { try? FileManager.default.removeItem(at: context) }
        let outside = context.deletingLastPathComponent()
            .appendingPathComponent("gpuprobe-outside-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: outside) }
        let drivers = context.appendingPathComponent("Drivers")
        try FileManager.default.moveItem(at: drivers, to: outside)
        let target = absolute ? outside.path : "../" + outside.lastPathComponent
        try FileManager.default.createSymbolicLink(
            atPath: drivers.path,
            withDestinationPath: target
        )
        let result = DockerfileCommandTests.run(
            ["--drivers", "Drivers", "-o", "Dockerfile"],
            context
        )
        #expect(result.status == 2, "\(result.stderr)")
        #expect(
            result.stderr.hasSuffix(
                "gpuprobe: error: the drivers folder 'Drivers' leads out of the build context (the "
                    + "current folder) through the symbolic link 'Drivers -> \(target)', and the "
                    + "builder sends nothing from outside the context, so the COPY would fail; copy "
                    + "the installer into a folder inside the build context and pass --drivers as "
                    + "that folder\n"
            ),
            "\(result.stderr)"
        )
        #expect(result.stdout.isEmpty)
        #expect(
            !FileManager.default.fileExists(
                atPath: context.appendingPathComponent("Dockerfile").path
            )
        )
    }

    /// A link that stays inside is followed, as the builder follows a COPY source's links.
    @Test func aDriversFolderLinkedInsideIsUsed() throws {
        let context = try DockerfileCommandTests.context()
        defer { try? FileManager.default.removeItem(at: context) }
        let vendor = context.appendingPathComponent("vendor")
        try FileManager.default.createDirectory(at: vendor, withIntermediateDirectories: true)
        try FileManager.default.moveItem(
            at: context.appendingPathComponent("Drivers"),
            to: vendor.appendingPathComponent("nvidia")
        )
        try FileManager.default.createSymbolicLink(
            atPath: context.appendingPathComponent("Drivers").path,
            withDestinationPath: "vendor/nvidia"
        )
        let result = DockerfileCommandTests.run(["--drivers", "Drivers"], context)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("COPY Drivers/NVIDIA-Linux-x86_64-535.171.04.run /root/"))
    }

    /// An installer file that is itself a link out of the context is refused the same way.
    @Test func anInstallerLinkedFromOutsideIsRefused() throws {
        let context = try DockerfileCommandTests.context()
        defer { try? FileManager.default.removeItem(at: context) }
        let outside = context.deletingLastPathComponent()
            .appendingPathComponent("gpuprobe-outside-\(UUID().uuidString).run")
        defer { try? FileManager.default.removeItem(at: outside) }
        let installer = context.appendingPathComponent("Drivers/NVIDIA-Linux-x86_64-535.171.04.run")
        try FileManager.default.moveItem(at: installer, to: outside)
        try FileManager.default.createSymbolicLink(
            atPath: installer.path,
            withDestinationPath: outside.path
        )
        let result = DockerfileCommandTests.run(["--drivers", "Drivers"], context)
        #expect(result.status == 2, "\(result.stderr)")
        #expect(
            result.stderr.contains(
                "through the symbolic link 'Drivers/NVIDIA-Linux-x86_64-535.171.04.run -> "
            )
        )
    }

    /// `--base` Docker would refuse: exit 2 and one line naming it, nothing written.
    @Test(arguments: ["UBUNTU", "x:", "a//b"])
    func aBaseDockerRefusesIsAnError(base: String) throws {
        let context = try DockerfileCommandTests.context()
        defer { try? FileManager.default.removeItem(at: context) }
        let result = DockerfileCommandTests.run(["--base", base, "-o", "Dockerfile"], context)
        #expect(result.status == 2, "\(result.stderr)")
        #expect(
            result.stderr.hasSuffix(
                "gpuprobe: error: the base image '\(base)' cannot go into a Dockerfile or shell "
                    + "line; expected an image reference as Docker reads it, "
                    + "[registry[:port]/]name[:tag][@sha256:digest] with a lowercase name, such as "
                    + "ubuntu:22.04\n"
            ),
            "\(result.stderr)"
        )
        #expect(
            !FileManager.default.fileExists(
                atPath: context.appendingPathComponent("Dockerfile").path
            )
        )
    }
}
