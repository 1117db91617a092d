import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// SIGINT and SIGTERM while `capture`, `dockerfile -o` and `stage-ascend` write: the command
/// exits 128 + the signal, says what it removed, and leaves the folder as it found it (an
/// output being replaced with `--force` included).
///
/// `GPUPROBE_TEST_HOLD` makes the executable pause once its temporary output is complete and
/// before the rename that commits it, saying so on stderr; the signal is sent then, which is
/// the moment an interrupt could do the most harm.
@Suite(.serialized) struct InterruptTests {
    struct Ended {
        let status: Int32
        let stderr: String
    }

    /// Starts gpuprobe in `folder`, waits for `waitFor` on its stderr and for `ready`, sends
    /// `signal`, and returns how it ended.
    static func interrupt(
        _ arguments: [String],
        in folder: URL,
        hold: String?,
        waitFor: String,
        signal: Int32,
        after ready: () -> Bool = { true }
    ) throws -> Ended {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandRun.executable)
        process.arguments = arguments
        process.currentDirectoryURL = folder
        var environment = ["PATH": "/usr/bin:/bin", "XDG_CACHE_HOME": folder.path + "/.cache"]
        if let hold { environment["GPUPROBE_TEST_HOLD"] = hold }
        process.environment = environment
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        var seen = Data()
        while !waitFor.isEmpty, !String(decoding: seen, as: UTF8.self).contains(waitFor) {
            let chunk = errors.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            seen += chunk
        }
        for _ in 0..<300 where !ready() { usleep(100_000) }
        kill(process.processIdentifier, signal)
        seen += errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let status =
            process.terminationReason == .exit
            ? process.terminationStatus : -process.terminationStatus
        return Ended(status: status, stderr: String(decoding: seen, as: UTF8.self))
    }

    /// Every path under `folder` with its content (links by target), for before/after.
    static func listing(_ folder: URL) -> [String: Data] {
        var result: [String: Data] = [:]
        let base = folder.path
        guard let walker = FileManager.default.enumerator(atPath: base) else { return result }
        for case let relative as String in walker where !relative.hasPrefix(".cache") {
            let path = base + "/" + relative
            if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: path) {
                result[relative] = Data(("-> " + target).utf8)
            } else {
                result[relative] = FileManager.default.contents(atPath: path) ?? Data("dir".utf8)
            }
        }
        return result
    }

    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("gpuprobe-interrupt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    static let noGPUHost = Fixtures.url("hosts/debian12-vm-no-gpu/expected.json").path

    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let hold: String
        let arguments: [String]
        /// Files there before the command; with `--force` the command would replace them.
        let existing: [String: String]
        let signal: Int32
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "capture, SIGINT",
            hold: "capture",
            arguments: ["capture", "bundle", "--tool-path", "/nonexistent"],
            existing: [:],
            signal: SIGINT
        ),
        Case(
            name: "capture --force over a bundle, SIGTERM",
            hold: "capture",
            arguments: ["capture", "bundle", "--force", "--tool-path", "/nonexistent"],
            existing: ["bundle/manifest.json": "{\"format\": \"gpuprobe/capture/v0\"}\n"],
            signal: SIGTERM
        ),
        // A dropped SSH session, a stray kill -USR1, a scheduler's alarm: each as fatal as
        // Ctrl-C, and each cleaned up the same way.
        Case(
            name: "capture --force over a bundle, SIGHUP",
            hold: "capture",
            arguments: ["capture", "bundle", "--force", "--tool-path", "/nonexistent"],
            existing: ["bundle/manifest.json": "{\"format\": \"gpuprobe/capture/v1\"}\n"],
            signal: SIGHUP
        ),
        Case(
            name: "dockerfile -o, SIGUSR1",
            hold: "write",
            arguments: ["dockerfile", "--host", noGPUHost, "-o", "Dockerfile"],
            existing: [:],
            signal: SIGUSR1
        ),
        Case(
            name: "dockerfile -o --force over a Dockerfile, SIGALRM",
            hold: "write",
            arguments: ["dockerfile", "--host", noGPUHost, "-o", "Dockerfile", "--force"],
            existing: ["Dockerfile": "FROM mine\n"],
            signal: SIGALRM
        ),
        Case(
            name: "dockerfile -o, SIGTERM",
            hold: "write",
            arguments: ["dockerfile", "--host", noGPUHost, "-o", "Dockerfile"],
            existing: [:],
            signal: SIGTERM
        ),
        Case(
            name: "dockerfile -o --force over a Dockerfile, SIGINT",
            hold: "write",
            arguments: ["dockerfile", "--host", noGPUHost, "-o", "Dockerfile", "--force"],
            existing: ["Dockerfile": "FROM mine\n"],
            signal: SIGINT
        ),
    ]

    @Test(arguments: cases)
    func interruptedBeforeTheCommitLeavesTheFolderAsItWas(_ test: Case) throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for (path, text) in test.existing {
            let url = folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(),
                withIntermediateDirectories: true
            )
            try Data(text.utf8).write(to: url)
        }
        let before = Self.listing(folder)
        let ended = try Self.interrupt(
            test.arguments,
            in: folder,
            hold: test.hold,
            waitFor: "gpuprobe: test hold: \(test.hold)",
            signal: test.signal
        )
        #expect(ended.stderr.contains("gpuprobe: test hold: \(test.hold)"), "\(ended.stderr)")
        #expect(ended.status == 128 + test.signal, "\(ended.stderr)")
        let name = Interruption.name(of: test.signal)
        let lines = ended.stderr.split(separator: "\n")
        let last = try #require(lines.last)
        #expect(last.hasPrefix("gpuprobe: interrupted by \(name); removed '"))
        #expect(last.contains(".partial-"))
        #expect(Self.listing(folder) == before)
    }

    @Test func stageAscendInterruptedBeforeTheCommitLeavesTheContextAsItWas() throws {
        let host = try FakeAscendHost()
        defer { try? FileManager.default.removeItem(atPath: host.base) }
        let context = URL(fileURLWithPath: host.context)
        try Data("keep\n".utf8).write(to: context.appendingPathComponent("Dockerfile"))
        let before = Self.listing(context)
        let ended = try Self.interrupt(
            ["stage-ascend", "--root", host.root, "--context", host.context],
            in: context,
            hold: "stage",
            waitFor: "gpuprobe: test hold: stage",
            signal: SIGINT
        )
        #expect(ended.status == 130, "\(ended.stderr)")
        #expect(ended.stderr.contains("gpuprobe: interrupted by SIGINT; removed '"))
        #expect(ended.stderr.contains("/.gpuprobe-stage-"))
        #expect(Self.listing(context) == before)
    }

    /// A tool that hangs is killed with gpuprobe, not left behind: it runs in its own process
    /// group, which a terminal's Ctrl-C does not reach.
    @Test func captureInterruptedWhileAToolHangsKillsTheTool() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let tools = folder.appendingPathComponent(".tools")
        try FileManager.default.createDirectory(at: tools, withIntermediateDirectories: true)
        let pidFile = folder.appendingPathComponent(".tools/pid").path
        let tool = tools.appendingPathComponent("nvidia-smi")
        // `exec` so that the pid written is the sleeping process itself.
        try Data("#!/bin/sh\necho $$ > \(pidFile)\necho started >&2\nexec sleep 300\n".utf8)
            .write(to: tool)
        chmod(tool.path, 0o755)
        let ended = try Self.interrupt(
            ["capture", "bundle", "--tool-path", tools.path, "--timeout", "120"],
            in: folder,
            hold: nil,
            waitFor: "",
            signal: SIGINT,
            after: { FileManager.default.fileExists(atPath: pidFile) }
        )
        #expect(ended.status == 130, "\(ended.stderr)")
        #expect(
            ended.stderr.hasSuffix(
                "gpuprobe: interrupted by SIGINT; nothing was left half written\n"
            )
        )
        let pid = try #require(
            pid_t(
                String(decoding: try Data(contentsOf: URL(fileURLWithPath: pidFile)), as: UTF8.self)
                    .trimmingCharacters(in: .whitespacesAndNewlines)
            )
        )
        // The tool was our grandchild; once killed, init reaps it. Give that a moment.
        var alive = true
        for _ in 0..<50 where alive {
            alive = kill(pid, 0) == 0 && !Self.isZombie(pid)
            if alive { usleep(100_000) }
        }
        #expect(!alive, "the hung tool \(pid) outlived gpuprobe")
        #expect(
            !FileManager.default.fileExists(atPath: folder.appendingPathComponent("bundle").path)
        )
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(names.filter { !$0.hasPrefix(".tools") && !$0.hasPrefix(".cache") }.isEmpty)
    }

    static func isZombie(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return true }
        return stat[stat.index(close, offsetBy: 2)...].hasPrefix("Z")
    }
}
