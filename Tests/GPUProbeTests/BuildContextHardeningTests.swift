import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

/// `check` never reads a file from outside the build context, and never calls a Dockerfile
/// compatible when a requirements file went unread over a limit.
@Suite struct BuildContextHardeningTests {
    /// A torch the A100 host (driver 535) cannot load: judged, it is an error.
    static let incompatible = "torch==2.11.0\n"

    /// A build context and a folder beside it (outside), both removed by `remove()`.
    struct Folders {
        let base: URL
        var context: URL { base.appendingPathComponent("context") }
        var outside: URL { base.appendingPathComponent("outside") }

        init() throws {
            base = FileManager.default.temporaryDirectory
                .appendingPathComponent("gpuprobe-ctxhard-\(UUID().uuidString)")
            for folder in [
                base.appendingPathComponent("context"), base.appendingPathComponent("outside"),
            ] {
                try FileManager.default.createDirectory(
                    at: folder,
                    withIntermediateDirectories: true
                )
            }
        }

        func write(_ text: String, _ path: String, in folder: URL? = nil) throws {
            let url = (folder ?? context).appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(),
                withIntermediateDirectories: true
            )
            try Data(text.utf8).write(to: url)
        }

        func link(_ path: String, to target: String) throws {
            let url = context.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(),
                withIntermediateDirectories: true
            )
            try FileManager.default.createSymbolicLink(
                atPath: url.path,
                withDestinationPath: target
            )
        }

        func check(_ dockerfile: String) throws -> CheckReport {
            try TestHosts.check(
                dockerfile,
                try TestHosts.a100(),
                context: try BuildContext(directory: context.path)
            )
        }

        func remove() { try? FileManager.default.removeItem(at: base) }
    }

    // MARK: Links out of the context

    /// A requirements file reached through a link out of the context (absolute, `..` past the
    /// root, a linked folder, or a link that escapes the folder a COPY copied whole) is
    /// named in a note and never judged: the incompatible torch outside gives no error.
    @Test(arguments: [
        (link: "requirements.txt", target: "ABSOLUTE/req.txt", copy: "COPY requirements.txt /app/"),
        (
            link: "requirements.txt", target: "../outside/req.txt",
            copy: "COPY requirements.txt /app/"
        ),
        (
            link: "deep/requirements.txt", target: "../../outside/req.txt",
            copy: "COPY deep/requirements.txt /app/"
        ),
        (link: "conf", target: "../outside", copy: "COPY conf/req.txt /app/requirements.txt"),
        (link: "conf", target: "ABSOLUTE", copy: "COPY conf /app"),
        // Inside the context, but above the folder copied whole: the image holds the link,
        // which then points outside /app.
        (link: "sub/requirements.txt", target: "../top.txt", copy: "COPY sub /app"),
    ])
    func aLinkOutOfTheContextIsNotedNotJudged(link: String, target: String, copy: String) throws {
        let folders = try Folders()
        defer { folders.remove() }
        try folders.write(Self.incompatible, "req.txt", in: folders.outside)
        try folders.write(Self.incompatible, "top.txt")
        let resolved = target.replacingOccurrences(of: "ABSOLUTE", with: folders.outside.path)
        try folders.link(link, to: resolved)
        let report = try folders.check(
            """
            FROM python:3.11
            \(copy)
            RUN pip install -r /app/requirements.txt
            """
        )
        let note = try #require(report.kind(.pipRequirementsOutside).first, "\(report.summary)")
        #expect(note.line == 3)
        #expect(note.severity == .note)
        #expect(note.message.contains("leads out of the build context \(folders.context.path)"))
        #expect(note.message.contains(" -> \(resolved)"))
        #expect(report.kind(.torchDriverTooOld).isEmpty, "\(report.summary)")
        #expect(report.compatible)
    }

    /// Links that stay inside are followed as the builder follows them: the file is judged.
    @Test(arguments: [
        (link: "requirements.txt", target: "real/req.txt", copy: "COPY requirements.txt /app/"),
        (link: "conf", target: "real", copy: "COPY conf/req.txt /app/requirements.txt"),
        (link: "conf/requirements.txt", target: "../real/req.txt", copy: "COPY . /app/"),
        (link: "a/b/requirements.txt", target: "../real/./req.txt", copy: "COPY a /app/"),
    ])
    func aLinkInsideTheContextIsFollowed(link: String, target: String, copy: String) throws {
        let folders = try Folders()
        defer { folders.remove() }
        try folders.write(Self.incompatible, "real/req.txt")
        if link == "a/b/requirements.txt" {
            // `COPY a /app/` copies a/b's link as it is, which stays within a/: a/real.
            try folders.write(Self.incompatible, "a/real/req.txt")
        }
        try folders.link(link, to: target)
        let path =
            link == "conf/requirements.txt"
            ? "/app/conf/requirements.txt"
            : link == "a/b/requirements.txt" ? "/app/b/requirements.txt" : "/app/requirements.txt"
        let report = try folders.check(
            """
            FROM python:3.11
            \(copy)
            RUN pip install -r \(path)
            """
        )
        #expect(report.kind(.pipRequirementsOutside).isEmpty, "\(report.summary)")
        #expect(report.kind(.torchDriverTooOld).map(\.line) == [3], "\(report.summary)")
    }

    /// An installer or an Ascend folder linked from outside: not in the context as the
    /// builder sees it, and the message says which link leads out.
    @Test func copySourcesLinkedFromOutsideAreMissing() throws {
        let folders = try Folders()
        defer { folders.remove() }
        let installer = "NVIDIA-Linux-x86_64-535.54.03.run"
        try folders.write(String(repeating: "x", count: 4096), installer, in: folders.outside)
        try folders.link(installer, to: folders.outside.appendingPathComponent(installer).path)
        try FileManager.default.createDirectory(
            at: folders.outside.appendingPathComponent("ascend/dcmi"),
            withIntermediateDirectories: true
        )
        try folders.link("ascend", to: "../outside/ascend")
        let context = try BuildContext(directory: folders.context.path)
        #expect(context.entry(installer) == nil)
        #expect(context.matches("NVIDIA-*.run").isEmpty)
        #expect(context.matches("ascend/*").isEmpty)
        #expect(context.entry("ascend/dcmi") == nil)
        let report = try folders.check(
            """
            FROM ubuntu:22.04
            COPY \(installer) /tmp/
            COPY ascend/dcmi /usr/local/dcmi
            """
        )
        let missing = try #require(report.kind(.installerSourceMissing).first)
        #expect(missing.message.contains("the symbolic link '\(installer) -> "))
        #expect(report.kind(.installerTruncated).isEmpty)
    }

    /// A link to an absolute path that happens to lie inside the context is still read by the
    /// builder from the context's root (`<context>/<that path>`), so it is not followed here.
    @Test func anAbsoluteLinkToAFileInsideIsNotFollowed() throws {
        let folders = try Folders()
        defer { folders.remove() }
        try folders.write(Self.incompatible, "real.txt")
        try folders.link(
            "requirements.txt",
            to: folders.context.appendingPathComponent("real.txt").path
        )
        let context = try BuildContext(directory: folders.context.path)
        #expect(context.presence("requirements.txt").leadsOutside)
        #expect(context.entry("real.txt") == .file(size: Int64(Self.incompatible.utf8.count)))
    }

    /// The context's own `.dockerignore` is read from the context too: a link out of it is an
    /// error (the builder would not read it there), a link inside is followed.
    @Test func aDockerignoreLinkedFromOutsideIsAnError() throws {
        let folders = try Folders()
        defer { folders.remove() }
        try folders.write("*.txt\n", "ignore", in: folders.outside)
        try folders.link(".dockerignore", to: "../outside/ignore")
        #expect(throws: IgnoreFileError.self) { try BuildContext(directory: folders.context.path) }
        do {
            _ = try BuildContext(directory: folders.context.path)
        } catch {
            #expect(error.description.contains("is a symbolic link out of the build context"))
            #expect(error.description.contains(".dockerignore -> ../outside/ignore"))
        }
        try FileManager.default.removeItem(
            at: folders.context.appendingPathComponent(".dockerignore")
        )
        try folders.write("*.txt\n", "config/ignore")
        try folders.link(".dockerignore", to: "config/ignore")
        try folders.write("x", "a.txt")
        let context = try BuildContext(directory: folders.context.path)
        #expect(context.ignoredBy("a.txt") == "*.txt")
    }

    // MARK: Limits and reasons

    /// A 129th requirements file (nested `-r`) holding an incompatible torch: an error names
    /// the limit, and the Dockerfile is not called compatible (it was, with exit 0).
    @Test func aRequirementsFilePastTheLimitIsAnErrorNotCompatible() throws {
        let folders = try Folders()
        defer { folders.remove() }
        for index in 1...128 { try folders.write("-r r\(index + 1).txt\n", "reqs/r\(index).txt") }
        try folders.write(Self.incompatible, "reqs/r129.txt")
        let report = try folders.check(
            """
            FROM python:3.11
            COPY reqs /reqs
            RUN pip install -r /reqs/r1.txt
            """
        )
        let limit = try #require(report.kind(.pipRequirementsLimit).first, "\(report.summary)")
        #expect(limit.line == 3)
        #expect(limit.severity == .error)
        #expect(limit.message.contains("r129.txt, a requirements file past the 128 gpuprobe reads"))
        #expect(limit.message.contains("this verdict is incomplete"))
        #expect(!report.compatible)
        // The same through the command: exit 1, not 0.
        let dockerfile = folders.context.appendingPathComponent("Dockerfile")
        try Data("FROM python:3.11\nCOPY reqs /reqs\nRUN pip install -r /reqs/r1.txt\n".utf8)
            .write(to: dockerfile)
        let host = try TestHosts.a100Host(in: folders.base)
        let result = InProcessRun.gpuprobe(
            ["check", dockerfile.path, "--host", host],
            cache: folders.base.appendingPathComponent("cache")
        )
        #expect(result.status == .incompatible, "\(result.output)\(result.messages)")
        #expect(result.output.contains("r129.txt, a requirements file past the 128 gpuprobe reads"))
    }

    /// 129 files named on the command line: the same error, once.
    @Test func filesPastTheLimitOnTheCommandLine() throws {
        let folders = try Folders()
        defer { folders.remove() }
        for index in 1...129 {
            try folders.write(index == 129 ? Self.incompatible : "numpy\n", "r\(index).txt")
        }
        let files = (1...129).map { "-r /app/r\($0).txt" }.joined(separator: " ")
        let report = try folders.check("FROM python:3.11\nCOPY . /app\nRUN pip install \(files)\n")
        #expect(report.kind(.pipRequirementsLimit).count == 1)
        #expect(!report.compatible)
    }

    /// Over the line bound (10,000 lines for one install): an error, the torch after it unread.
    @Test func tooManyLinesIsAnError() throws {
        let folders = try Folders()
        defer { folders.remove() }
        let filler = (0..<10_000).map { "package\($0)==1.0\n" }.joined()
        try folders.write(filler + Self.incompatible, "requirements.txt")
        let report = try folders.check(
            "FROM python:3.11\nCOPY requirements.txt /\nRUN pip install -r /requirements.txt\n"
        )
        let limit = try #require(report.kind(.pipRequirementsLimit).first, "\(report.summary)")
        #expect(limit.message.contains("more than the 10000 lines"))
        #expect(!report.compatible)
    }

    /// A requirements file over 1 MiB, a FIFO, a folder: each gets its own reason, not "no
    /// COPY puts it there"; the size is a limit (an error), the others notes.
    @Test(arguments: ["large", "fifo", "folder"])
    func aFileThatCannotBeReadSaysWhy(kind: String) throws {
        let folders = try Folders()
        defer { folders.remove() }
        let path = folders.context.appendingPathComponent("requirements.txt").path
        switch kind {
        case "large":
            try folders.write(String(repeating: "# padding\n", count: 110_000), "requirements.txt")
        case "fifo": #expect(mkfifo(path, 0o644) == 0)
        default:
            try FileManager.default.createDirectory(
                atPath: path,
                withIntermediateDirectories: false
            )
        }
        let report = try folders.check(
            "FROM python:3.11\nCOPY requirements.txt /app/requirements.txt\n"
                + "RUN pip install -r /app/requirements.txt\n"
        )
        let findings =
            report.kind(.pipRequirementsLimit) + report.kind(.pipRequirementsUnseen)
        let finding = try #require(findings.first, "\(report.summary)")
        #expect(finding.line == 3)
        #expect(!finding.message.contains("no COPY"), "\(finding.message)")
        switch kind {
        case "large":
            #expect(finding.kind == .pipRequirementsLimit)
            #expect(finding.message.contains("larger than the 1 MiB gpuprobe reads"))
        case "fifo":
            #expect(finding.message.contains("that is a FIFO, not a regular file"))
        default:
            #expect(finding.message.contains("that is a folder"))
        }
    }

    /// A file .dockerignore leaves out says so.
    @Test func anIgnoredRequirementsFileSaysWhichPattern() throws {
        let folders = try Folders()
        defer { folders.remove() }
        try folders.write(Self.incompatible, "requirements.txt")
        try folders.write("*.txt\n", ".dockerignore")
        let report = try folders.check(
            "FROM python:3.11\nCOPY requirements.txt /\nRUN pip install -r /requirements.txt\n"
        )
        let note = try #require(report.kind(.pipRequirementsUnseen).first)
        #expect(note.message.contains("leaves it out with '*.txt'"))
    }
}
