import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

/// COPY sources looked up as the builder looks them up, in a table and in a real folder.
@Suite struct BuildContextTests {
    /// A temporary build context with an installer, a staged Ascend folder and a symbolic link.
    static func makeFolder() throws -> URL {
        let root = FileManager.default.temporaryDirectory
            .appendingPathComponent("gpuprobe-context-\(UUID().uuidString)")
        let manager = FileManager.default
        try manager.createDirectory(
            at: root.appendingPathComponent("ascend/dcmi"),
            withIntermediateDirectories: true
        )
        try Data(repeating: 0x41, count: 2 << 20)
            .write(to: root.appendingPathComponent("NVIDIA-Linux-x86_64-535.171.04.run"))
        try Data("version 1\n".utf8).write(to: root.appendingPathComponent("ascend/version.info"))
        try Data("oid sha256:0\n".utf8)
            .write(to: root.appendingPathComponent("NVIDIA-Linux-x86_64-550.135.run"))
        try manager.createSymbolicLink(
            atPath: root.appendingPathComponent("latest.run").path,
            withDestinationPath: "NVIDIA-Linux-x86_64-535.171.04.run"
        )
        return root
    }

    @Test func folderLookups() throws {
        let root = try Self.makeFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let context = try BuildContext(directory: root.path)
        #expect(context.entry("NVIDIA-Linux-x86_64-535.171.04.run") == .file(size: 2 << 20))
        #expect(context.entry("/ascend/../ascend/./dcmi") == .directory)
        #expect(context.entry("../../ascend/version.info") == .file(size: 10))
        #expect(context.entry("latest.run") == .file(size: 2 << 20))
        #expect(context.entry("missing.run") == nil)
        #expect(
            context.matches("NVIDIA-Linux-*.run") == [
                "NVIDIA-Linux-x86_64-535.171.04.run", "NVIDIA-Linux-x86_64-550.135.run",
            ]
        )
        #expect(context.matches("ascend/*") == ["ascend/dcmi", "ascend/version.info"])
        #expect(context.matches("asc?nd/[d]cmi") == ["ascend/dcmi"])
        #expect(context.matches("nothing-*.run").isEmpty)
        #expect(context.label == "the build context \(root.path)")
    }

    @Test func tableLookupsImplyTheirFolders() {
        let context = BuildContext(entries: ["ascend/driver/libx.so": .file(size: 1)])
        #expect(context.entry("ascend") == .directory)
        #expect(context.entry("ascend/driver") == .directory)
        #expect(context.entry("ascend/driver/libx.so") == .file(size: 1))
        #expect(context.matches("ascend/*/lib*.so") == ["ascend/driver/libx.so"])
    }

    @Test(arguments: [
        (pattern: "*.run", name: "a.run", matches: true),
        (pattern: "*.run", name: "a.run.bak", matches: false),
        (pattern: "NVIDIA-*-535.*.run", name: "NVIDIA-Linux-x86_64-535.171.04.run", matches: true),
        (pattern: "a?c", name: "abc", matches: true),
        (pattern: "[a-c]x", name: "bx", matches: true),
        (pattern: "[^a-c]x", name: "bx", matches: false),
        (pattern: "[!a]x", name: "zx", matches: true),
        (pattern: "\\*", name: "*", matches: true),
        (pattern: "[unclosed", name: "u", matches: false),
        (pattern: "**a", name: String(repeating: "b", count: 2_000), matches: false),
    ])
    func globMatchesOneComponent(pattern: String, name: String, matches: Bool) {
        #expect(Glob.matches(pattern, name) == matches)
    }

    @Test func checkReadsARealContext() throws {
        let root = try Self.makeFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let report = try TestHosts.check(
            """
            FROM ubuntu:22.04
            COPY NVIDIA-Linux-x86_64-535.171.04.run /tmp/
            COPY NVIDIA-Linux-x86_64-550.135.run /tmp/
            COPY NVIDIA-Linux-x86_64-535.161.07.run /tmp/
            COPY ascend/dcmi /usr/local/dcmi
            COPY ascend/common /usr/local/Ascend/driver/lib64/common
            RUN sh /tmp/NVIDIA-Linux-x86_64-535.171.04.run --silent --no-kernel-modules
            """,
            try TestHosts.guideNvidia(),
            context: try BuildContext(directory: root.path)
        )
        #expect(report.kind(.installerSourceMissing).map(\.line) == [4])
        #expect(report.kind(.installerTruncated).map(\.line) == [3])
        #expect(report.kind(.ascendSourceMissing).map(\.line) == [6])
        #expect(report.kind(.installerExact).map(\.line) == [7])
    }
}

/// `.dockerignore` as the builder applies it.
@Suite struct DockerIgnoreTests {
    static func rules() throws -> DockerIgnore {
        try DockerIgnore(
            """
            # installers stay out of git and out of the context
            *.run
            !NVIDIA-Linux-x86_64-535.171.04.run
            /build/
            **/*.tmp
            ascend/vnpu.cfg

            """
        )
    }

    @Test(arguments: [
        (path: "NVIDIA-Linux-x86_64-550.135.run", pattern: "*.run"),
        (path: "NVIDIA-Linux-x86_64-535.171.04.run", pattern: nil),
        (path: "sub/NVIDIA-Linux-x86_64-550.135.run", pattern: nil),
        (path: "build/out/a", pattern: "/build/"),
        (path: "a/b/c.tmp", pattern: "**/*.tmp"),
        (path: "c.tmp", pattern: "**/*.tmp"),
        (path: "ascend/vnpu.cfg", pattern: "ascend/vnpu.cfg"),
        (path: "ascend/dcmi", pattern: nil),
    ])
    func decidesLikeTheBuilder(path: String, pattern: String?) throws {
        #expect(try Self.rules().excluding(BuildContext.components(path)) == pattern)
    }

    @Test func checkSaysWhichPatternLeavesASourceOut() throws {
        let report = try TestHosts.check(
            """
            FROM ubuntu:22.04
            COPY NVIDIA-Linux-x86_64-550.135.run /tmp/
            COPY ascend/vnpu.cfg /etc/vnpu.cfg
            """,
            try TestHosts.guideNvidia(),
            context: BuildContext(
                entries: [
                    "NVIDIA-Linux-x86_64-550.135.run": .file(size: 1 << 28),
                    "ascend/vnpu.cfg": .file(size: 10),
                ],
                dockerignore: "*.run\nascend/vnpu.cfg\n"
            )
        )
        let missing = try #require(report.kind(.installerSourceMissing).first)
        #expect(missing.message.contains("its .dockerignore leaves it out with '*.run'"))
        #expect(
            missing.fix == "add `!NVIDIA-Linux-x86_64-550.135.run` to .dockerignore after '*.run'"
        )
        #expect(report.kind(.ascendSourceMissing).map(\.line) == [3])
    }

    @Test func aRealFoldersIgnoreFileIsRead() throws {
        let root = try BuildContextTests.makeFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        try Data("NVIDIA-*\n!*535.171.04.run\n".utf8)
            .write(to: root.appendingPathComponent(".dockerignore"))
        let context = try BuildContext(directory: root.path)
        #expect(context.entry("NVIDIA-Linux-x86_64-550.135.run") == nil)
        #expect(context.entry("NVIDIA-Linux-x86_64-535.171.04.run") == .file(size: 2 << 20))
        #expect(context.matches("*.run") == ["NVIDIA-Linux-x86_64-535.171.04.run", "latest.run"])
    }

    /// A `.dockerignore` that is there but not a readable file of patterns is an error: the
    /// builder stops on it too, and judging without it would judge files it never sends.
    @Test(arguments: ["a folder", "a FIFO", "2 MiB", "unreadable"])
    func anIgnoreFileThatCannotBeReadIsAnError(kind: String) throws {
        let root = try BuildContextTests.makeFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let file = root.appendingPathComponent(".dockerignore")
        let reason: String
        switch kind {
        case "a folder":
            try FileManager.default.createDirectory(at: file, withIntermediateDirectories: false)
            reason = "is a directory, not a regular file"
        case "a FIFO":
            #expect(mkfifo(file.path, 0o644) == 0)
            reason = "is a FIFO, not a regular file"
        case "2 MiB":
            try Data(repeating: 0x2a, count: 2 << 20).write(to: file)
            reason = "is larger than 1 MiB"
        default:
            try Data("*.run\n".utf8).write(to: file)
            chmod(file.path, 0)
            // root reads a file whatever its mode.
            guard geteuid() != 0 else { return }
            reason = "cannot be read: Permission denied"
        }
        #expect(throws: IgnoreFileError(path: file.path, reason: reason)) {
            try BuildContext(directory: root.path)
        }
        try Data("FROM ubuntu:22.04\n".utf8).write(to: root.appendingPathComponent("Dockerfile"))
        let result = InProcessRun.gpuprobe(
            ["check", root.appendingPathComponent("Dockerfile").path],
            cache: root
        )
        #expect(result.status == .error)
        #expect(
            // The context is the Dockerfile's folder.
            result.messages.joined()
                == "gpuprobe: error: the build context's '\(root.path)/.dockerignore' \(reason); the "
                + "builder cannot use it either: make it a text file of patterns under 1 MiB, "
                + "or remove it\n"
        )
    }
}
