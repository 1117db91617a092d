import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

/// Sick hosts as a user meets them, through the built `gpuprobe`.
///
/// Fake tools, a fake root and fake sysfs folders stand in for the host, so no GPU and no root
/// privileges are needed. A sick host is never an error: the probe exits 0 and the report says
/// what is wrong.
@Suite struct HostFaultTests {
    /// A fake nvidia-smi or npu-smi gone wrong.
    enum SickTool: String, CaseIterable, Sendable {
        /// Never answers.
        case hangs
        /// Prints half of its table, then exits 3.
        case failsHalfway
        /// Prints about 300 MB.
        case floods
        /// Is there but has mode 0644.
        case notExecutable

        /// The script standing in for `tool`.
        func script(for tool: String) -> String {
            switch self {
            case .hangs:
                return "sleep 60"
            case .failsHalfway:
                let fixture =
                    tool == "nvidia-smi"
                    ? "nvidia-smi/table_535.161.07_gtx1050ti.txt"
                    : "npu-smi/info_910A_x8_npusmi22.0.3.1_gpustack.txt"
                return "head -c 700 '\(Fixtures.url(fixture).path)'; exit 3"
            case .floods:
                return "yes '| 0  Tesla T4  Off | 00000000:00:1E.0 Off | 0 |' | head -c 314572800"
            case .notExecutable:
                return "echo never runs"
            }
        }

        /// `--timeout`: 1 s, except for the flood, which must end by itself so that the test
        /// sees the output cap and not the deadline.
        var timeout: String { self == .floods ? "40" : "1" }

        /// The diagnostic code the report must carry, and a phrase of its message.
        var diagnostic: (code: String, phrase: String) {
            switch self {
            case .hangs: ("timeout", "did not answer within 1 s and was killed")
            case .failsHalfway: ("tool_failed", "exited with status 3")
            case .floods: ("incomplete_output", "printed more than 16 MiB")
            case .notExecutable: ("tool_failed", "could not be started (not executable")
            }
        }

        /// How the capture's manifest records the run.
        var manifestResult: String {
            switch self {
            case .hangs: "timeout"
            case .failsHalfway, .floods: "exited"
            case .notExecutable: "failed_to_start"
            }
        }
    }

    static let tools = ["nvidia-smi", "npu-smi"]

    /// The report's diagnostics.
    static func diagnostics(_ stdout: String) -> [[String: Any]] {
        MatchCommandTests.json(stdout)["diagnostics"] as? [[String: Any]] ?? []
    }

    /// The report's diagnostic with `code` from `source` (`nvidia`, `ascend`, `pci`).
    static func diagnostic(_ stdout: String, code: String, source: String) -> [String: Any]? {
        diagnostics(stdout).first {
            $0["code"] as? String == code && $0["source"] as? String == source
        }
    }

    /// The report section a tool feeds.
    static func source(_ tool: String) -> String { tool == "nvidia-smi" ? "nvidia" : "ascend" }

    @Test(arguments: SickTool.allCases, tools)
    func aSickToolIsADiagnosticAndTheProbeExitsZero(sick: SickTool, tool: String) throws {
        let fakes = try FakeTools()
        defer { fakes.remove() }
        try fakes.add(tool, script: sick.script(for: tool), executable: sick != .notExecutable)
        let start = Date()
        let (result, peak) = try MeasuredRun.gpuprobe(
            ["probe", "--tool-path", fakes.directory.path, "--timeout", sick.timeout],
            in: fakes.directory
        )
        let elapsed = Date().timeIntervalSince(start)
        // A flood of 300 MB costs no more than the 16 MiB kept of it.
        #expect(peak < MeasuredRun.memoryBoundMiB, "the probe used \(peak) MiB")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty)
        let found = Self.diagnostic(
            result.stdout,
            code: sick.diagnostic.code,
            source: Self.source(tool)
        )
        #expect(
            (found?["message"] as? String)?.contains(sick.diagnostic.phrase) == true,
            "\(Self.diagnostics(result.stdout))"
        )
        if sick == .hangs {
            // One second of deadline, one of grace before SIGKILL, and a busy machine.
            #expect(elapsed < 10, "a hung tool kept the probe for \(elapsed) s")
        }
    }

    @Test(arguments: SickTool.allCases, tools)
    func aCaptureRecordsTheSickToolAndLeavesOnlyTheBundle(sick: SickTool, tool: String) throws {
        let fakes = try FakeTools()
        defer { fakes.remove() }
        try fakes.add(tool, script: sick.script(for: tool), executable: sick != .notExecutable)
        let parent = fakes.directory.appendingPathComponent("captures")
        try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        let bundle = parent.appendingPathComponent("host")
        let result = MatchCommandTests.run(
            [
                "capture", bundle.path, "--tool-path", fakes.directory.path, "--timeout",
                sick.timeout,
            ],
            cache: fakes.directory,
            in: fakes.directory
        )
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("gpuprobe: wrote \(bundle.path);"))
        // The hidden staging folder was renamed, not left beside the bundle.
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path) == ["host"])

        let manifest = try Self.manifest(bundle)
        let run = (manifest["tools"] as? [String: Any])?[tool] as? [String: Any]
        #expect(run?["result"] as? String == sick.manifestResult, "\(manifest)")
        switch sick {
        case .hangs:
            #expect(run?["timeout_seconds"] as? Double == 1)
        case .failsHalfway:
            #expect(run?["status"] as? Int == 3)
        case .floods:
            #expect(run?["truncated"] as? Bool == true)
            let kept =
                try FileManager.default.attributesOfItem(
                    atPath: bundle.appendingPathComponent("tools/\(tool).stdout").path
                )[.size] as? Int
            #expect(kept == ToolRunner.outputLimit)
        case .notExecutable:
            #expect((run?["reason"] as? String)?.contains("not executable") == true)
        }

        // The report printed at capture time and the replay of the bundle agree.
        #expect(
            Self.diagnostic(result.stdout, code: sick.diagnostic.code, source: Self.source(tool))
                != nil
        )
        let replay = MatchCommandTests.run(
            ["probe", "--replay", bundle.path],
            cache: fakes.directory,
            in: fakes.directory
        )
        #expect(replay.status == 0, "\(replay.stderr)")
        #expect(
            Self.diagnostics(replay.stdout).map { $0["message"] as? String }
                == Self.diagnostics(result.stdout).map { $0["message"] as? String }
        )
    }

    /// What stands where `/proc/driver/nvidia/version` should be a readable file.
    enum ModuleFileFault: String, CaseIterable, Sendable {
        /// A folder: the read fails with EISDIR, for root too.
        case folder
        /// A link to /proc/self/mem: the read fails with EIO, for root too.
        case procSelfMem
        /// A FIFO with no writer: opening it for reading would block forever.
        case fifo

        /// Makes the fault at `path`.
        func make(at path: URL) throws {
            switch self {
            case .folder:
                try FileManager.default.createDirectory(at: path, withIntermediateDirectories: true)
            case .procSelfMem:
                try FileManager.default.createSymbolicLink(
                    atPath: path.path,
                    withDestinationPath: "/proc/self/mem"
                )
            case .fifo:
                #expect(mkfifo(path.path, 0o644) == 0)
            }
        }

        /// The reason the report quotes.
        var reason: String {
            switch self {
            case .folder: "it is a directory, not a regular file"
            case .procSelfMem: "Input/output error"
            case .fifo: "it is a FIFO, not a regular file"
            }
        }
    }

    @Test(arguments: ModuleFileFault.allCases)
    func anUnreadableModuleVersionIsADiagnosticNotAMissingDriver(fault: ModuleFileFault) throws {
        let fakes = try FakeTools()
        defer { fakes.remove() }
        let root = fakes.directory.appendingPathComponent("root")
        let folder = root.appendingPathComponent("proc/driver/nvidia")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try fault.make(at: folder.appendingPathComponent("version"))
        let live = ["--root", root.path, "--tool-path", fakes.directory.path, "--timeout", "1"]

        let start = Date()
        let probed = MatchCommandTests.run(
            ["probe"] + live,
            cache: fakes.directory,
            in: fakes.directory
        )
        #expect(Date().timeIntervalSince(start) < 30, "the probe waited on the file")
        #expect(probed.status == 0, "\(probed.stderr)")
        let found = Self.diagnostic(probed.stdout, code: "unreadable", source: "nvidia")
        #expect(
            (found?["message"] as? String)?.hasPrefix(
                "/proc/driver/nvidia/version exists but could not be read (\(fault.reason))"
            ) == true,
            "\(Self.diagnostics(probed.stdout))"
        )
        // The file exists only while the module is loaded: no "no NVIDIA driver" here.
        let nvidia = MatchCommandTests.json(probed.stdout)["nvidia"] as? [String: Any]
        #expect(nvidia != nil)
        #expect(nvidia?["kernel_module_version"] is NSNull)
        #expect(Self.diagnostic(probed.stdout, code: "not_present", source: "nvidia") == nil)

        let files = try Self.captureManifest(live, in: fakes)["files"] as? [String: Any]
        #expect(files?["/proc/driver/nvidia/version"] as? String == "unreadable: \(fault.reason)")
    }

    @Test(arguments: ["empty", "absent"])
    func aSysfsLibpciCannotReadIsADiagnostic(kind: String) throws {
        let fakes = try FakeTools()
        defer { fakes.remove() }
        let sysfs = fakes.directory.appendingPathComponent("sys")
        if kind == "empty" {
            try FileManager.default.createDirectory(at: sysfs, withIntermediateDirectories: true)
        }
        let live = ["--sysfs", sysfs.path, "--tool-path", fakes.directory.path]
        let probed = MatchCommandTests.run(
            ["probe"] + live,
            cache: fakes.directory,
            in: fakes.directory
        )
        #expect(probed.status == 0, "\(probed.stderr)")
        let report = MatchCommandTests.json(probed.stdout)
        #expect((report["pci_devices"] as? [Any])?.isEmpty == true)
        let found = Self.diagnostic(probed.stdout, code: "pci_unavailable", source: "pci")
        #expect(
            (found?["message"] as? String)?.contains(
                "could not read PCI devices from '\(sysfs.path)'"
            ) == true,
            "\(Self.diagnostics(probed.stdout))"
        )

        let pci = try Self.captureManifest(live, in: fakes)["pci"] as? [String: Any]
        #expect((pci?["error"] as? String)?.contains(sysfs.path) == true)
    }

    /// `gpuprobe capture` with `live` into a new bundle in `fakes`' folder, which must succeed;
    /// the bundle's manifest.
    static func captureManifest(_ live: [String], in fakes: FakeTools) throws -> [String: Any] {
        let bundle = fakes.directory.appendingPathComponent("bundle")
        let captured = MatchCommandTests.run(
            ["capture", bundle.path] + live,
            cache: fakes.directory,
            in: fakes.directory
        )
        #expect(captured.status == 0, "\(captured.stderr)")
        return try manifest(bundle)
    }

    /// A capture's manifest.json as a JSON object.
    static func manifest(_ bundle: URL) throws -> [String: Any] {
        let data = try Data(contentsOf: bundle.appendingPathComponent("manifest.json"))
        return MatchCommandTests.json(String(decoding: data, as: UTF8.self))
    }
}
