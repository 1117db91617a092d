import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

/// Bad inputs as a user meets them: the built `gpuprobe` given a drivers folder with broken
/// installers, host JSON of another schema, and inputs far over the size limit.
@Suite struct InputFaultTests {
    /// Lists the A100 (device 20B2) of ``MatchCommandTests/a100Host(in:)``, whose driver is
    /// 535.54.03.
    static let a100List =
        #"{"chips":[{"devid":"0x20B2","name":"NVIDIA A100-SXM4-80GB","features":[]}]}"#

    static func spec(_ version: String) -> FakeInstallers.Spec {
        var spec = FakeInstallers.Spec()
        spec.version = version
        spec.supportedGPUs = a100List
        return spec
    }

    /// The installer that fits the A100 host exactly.
    static let fitting = "NVIDIA-Linux-x86_64-535.54.03.run"

    /// Something wrong in a drivers folder.
    enum DriverFault: String, CaseIterable, Sendable {
        /// An installer cut short, as an interrupted download leaves it.
        case truncated
        /// `a.run -> b.run -> a.run`.
        case symbolicLinkLoop
        /// A link to /proc/self/mem: a kernel file, refused before any read (every read
        /// fails with EIO, for root too).
        case unreadable
        /// A FIFO under an installer's name: opening it for reading would block forever.
        case fifo
        /// A folder under an installer's name: not an installer, so not listed at all.
        case folder
        /// The same installer twice, under names that disagree.
        case sameVersionTwice

        /// Puts the fault into `drivers`, beside the fitting installer when `fitting` is its
        /// path; returns the start of the reason each faulty entry must get in the plan.
        func make(in drivers: URL, work: FakeInstallers, fitting: String?) throws -> [String:
            String]
        {
            let fm = FileManager.default
            switch self {
            case .truncated:
                let whole = try work.build(spec("535.43.02"), in: work.directory)
                let size = try #require(try fm.attributesOfItem(atPath: whole)[.size] as? Int)
                let cut = try work.cut(whole, to: size / 2, name: "cut.run")
                let name = "NVIDIA-Linux-x86_64-535.43.02.run"
                try fm.moveItem(atPath: cut, toPath: drivers.appendingPathComponent(name).path)
                return [
                    name: "unreadable: payload ends early: truncated download? download it again"
                ]
            case .symbolicLinkLoop:
                try fm.createSymbolicLink(
                    atPath: drivers.appendingPathComponent("a.run").path,
                    withDestinationPath: "b.run"
                )
                try fm.createSymbolicLink(
                    atPath: drivers.appendingPathComponent("b.run").path,
                    withDestinationPath: "a.run"
                )
                let reason =
                    "unreadable: it is a symbolic link that cannot be followed (Too many levels "
                    + "of symbolic links); point it at the installer or remove it"
                return ["a.run": reason, "b.run": reason]
            case .unreadable:
                let name = "NVIDIA-Linux-x86_64-535.43.02.run"
                try fm.createSymbolicLink(
                    atPath: drivers.appendingPathComponent(name).path,
                    withDestinationPath: "/proc/self/mem"
                )
                return [name: "unreadable: it is a file of the kernel's /proc, not an installer"]
            case .fifo:
                let name = "NVIDIA-Linux-x86_64-550.54.14.run"
                #expect(mkfifo(drivers.appendingPathComponent(name).path, 0o644) == 0)
                return [name: "unreadable: it is a FIFO, not a regular file"]
            case .folder:
                try fm.createDirectory(
                    at: drivers.appendingPathComponent("NVIDIA-Linux-x86_64-535.43.02.run"),
                    withIntermediateDirectories: true
                )
                return [:]
            case .sameVersionTwice:
                // Without the fitting one, both copies are of a version the host cannot use.
                let original =
                    try fitting ?? work.build(spec("550.54.14"), in: drivers)
                let version = fitting == nil ? "550.54.14" : "535.54.03"
                let plain = URL(fileURLWithPath: original).lastPathComponent
                let variant = "NVIDIA-Linux-x86_64-\(version)-copy.run"
                let misnamed = "NVIDIA-Linux-x86_64-535.54.02.run"
                for name in [variant, misnamed] {
                    try fm.copyItem(
                        atPath: original,
                        toPath: drivers.appendingPathComponent(name).path
                    )
                }
                let wrongName =
                    "unreadable: the file name '\(misnamed)' says version 535.54.02 but its "
                    + "header says \(version)"
                if fitting != nil {
                    return [
                        variant: "same version as the chosen \(plain), which is preferred",
                        misnamed: wrongName,
                    ]
                }
                // The A100 report has no kernel module version: nvidia-smi's is named.
                let newer = "newer than the driver nvidia-smi reports (535.54.03)"
                return [plain: newer, variant: newer, misnamed: wrongName]
            }
        }
    }

    @Test(arguments: DriverFault.allCases, [false, true])
    func aBrokenInstallerIsRejectedWithItsReason(fault: DriverFault, withFitting: Bool) throws {
        let work = try FakeInstallers()
        defer { work.remove() }
        let drivers = work.directory.appendingPathComponent("Drivers")
        try FileManager.default.createDirectory(at: drivers, withIntermediateDirectories: true)
        let fitting = withFitting ? try work.build(Self.spec("535.54.03"), in: drivers) : nil
        let expected = try fault.make(in: drivers, work: work, fitting: fitting)
        let host = try MatchCommandTests.a100Host(in: work.directory)

        let result = MatchCommandTests.run(
            ["match", "--host", host, "--drivers", drivers.path],
            cache: work.directory,
            in: work.directory
        )
        #expect(result.status == (withFitting ? 0 : 3), "\(result.stderr)")
        let driver = try #require(MatchCommandTests.json(result.stdout)["driver"] as? [String: Any])
        #expect(driver["status"] as? String == (withFitting ? "exact" : "none"))
        #expect(driver["chosen"] as? String == (withFitting ? Self.fitting : nil))
        let verdicts = (driver["installers"] as? [[String: Any]] ?? []).reduce(
            into: [String: String]()
        ) { verdicts, entry in
            verdicts[entry["file_name"] as? String ?? ""] =
                (entry["reasons"] as? [String])?.joined(separator: "; ")
        }
        #expect(Set(verdicts.keys) == Set(expected.keys).union(withFitting ? [Self.fitting] : []))
        for (name, reason) in expected {
            #expect(verdicts[name]?.hasPrefix(reason) == true, "\(name): \(verdicts[name] ?? "")")
        }
        #expect(
            try JSONSchemaCheck.problems(
                in: Data(result.stdout.utf8),
                against: "plan-v1.schema.json"
            )
                == []
        )
        // The cache is the only file match writes: no temporary file is left beside it.
        let cacheFolder = work.directory.appendingPathComponent("gpuprobe")
        let cached = (try? FileManager.default.contentsOfDirectory(atPath: cacheFolder.path)) ?? []
        #expect(cached.allSatisfy { $0 == "drivers-v1.json" }, "\(cached)")
    }

    /// A host JSON that is not a `gpuprobe/host/v1` report, and what the error must say.
    static let badHosts: [(name: String, text: String, problem: String)] = [
        (
            "newer",
            #"{"schema":"gpuprobe/host/v2","host":{},"pci_devices":[]}"#,
            "has schema 'gpuprobe/host/v2', newer than the 'gpuprobe/host/v1' this gpuprobe "
                + "\(GPUProbeVersion.current) reads; update gpuprobe here, or probe the host "
                + "with this version"
        ),
        (
            "foreign",
            #"{"schema":"acme/inventory/v1","hosts":[]}"#,
            "has schema 'acme/inventory/v1', which is not a gpuprobe host report "
                + "('gpuprobe/host/v1'); pass the output of `gpuprobe probe`"
        ),
        (
            "unversioned",
            #"{"host":{"hostname":"gpu1"},"pci_devices":[]}"#,
            "has no 'schema' field; pass the output of `gpuprobe probe`"
        ),
        (
            "not JSON",
            "NVIDIA-SMI 550.54.14  Driver Version: 550.54.14\n",
            "is not valid JSON (line 1, column 1: expected a value); pass the output of "
                + "`gpuprobe probe`"
        ),
        (
            "a list",
            #"[{"schema":"gpuprobe/host/v1"}]"#,
            "is not a JSON object; pass the output of `gpuprobe probe`"
        ),
    ]

    @Test(arguments: badHosts.indices, ["match", "dockerfile", "run-flags", "check"])
    func aHostOfAnotherSchemaIsOneLineAndExitTwo(index: Int, command: String) throws {
        let bad = Self.badHosts[index]
        let work = try FakeInstallers()
        defer { work.remove() }
        let host = work.directory.appendingPathComponent("host.json")
        try Data(bad.text.utf8).write(to: host)
        try Data("FROM ubuntu:22.04\n".utf8).write(
            to: work.directory.appendingPathComponent("Dockerfile")
        )
        let arguments =
            command == "check"
            ? ["check", "Dockerfile", "--host", host.path] : [command, "--host", host.path]
        let result = MatchCommandTests.run(arguments, cache: work.directory, in: work.directory)
        #expect(result.status == 2, "\(bad.name)")
        #expect(result.stdout.isEmpty)
        #expect(
            result.stderr == "gpuprobe: error: '\(host.path)': the host document \(bad.problem)\n",
            "\(bad.name)"
        )
    }

    /// Inputs far over the limit: endless ones and a sparse 2 GiB file (`{huge}`).
    static let oversized: [(arguments: [String], stdin: String, named: String)] = [
        (["parse", "nvidia-smi", "/dev/zero"], "/dev/null", "'/dev/zero'"),
        (["parse", "nvidia-smi", "-"], "/dev/zero", "standard input"),
        (["parse", "npu-smi", "{huge}"], "/dev/null", "'{huge}'"),
        (["match", "--host", "/dev/zero"], "/dev/null", "'/dev/zero'"),
        (["run-flags", "--host", "-"], "/dev/zero", "standard input"),
        (["check", "{huge}", "--host", "/dev/zero"], "/dev/null", "'{huge}'"),
        (["check", "{dockerfile}", "--host", "{huge}"], "/dev/null", "'{huge}'"),
    ]

    @Test(arguments: oversized.indices)
    func anInputOverTheLimitIsRefusedWithoutReadingItAll(index: Int) throws {
        let work = try FakeInstallers()
        defer { work.remove() }
        let huge = work.directory.appendingPathComponent("huge").path
        // Sparse: 2 GiB to read, no disk used.
        let fd = open(huge, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
        try #require(fd >= 0)
        #expect(ftruncate(fd, 2 << 30) == 0)
        close(fd)
        try Data("FROM ubuntu:22.04\n".utf8).write(
            to: work.directory.appendingPathComponent("Dockerfile")
        )
        let input = Self.oversized[index]
        let dockerfile = work.directory.appendingPathComponent("Dockerfile").path
        let arguments = input.arguments.map {
            $0.replacingOccurrences(of: "{huge}", with: huge)
                .replacingOccurrences(of: "{dockerfile}", with: dockerfile)
        }
        let (result, peak) = try MeasuredRun.gpuprobe(
            arguments,
            stdin: input.stdin,
            in: work.directory
        )
        #expect(peak < MeasuredRun.memoryBoundMiB, "\(arguments) used \(peak) MiB")
        #expect(result.status == 2, "\(arguments): \(result.stderr)")
        #expect(result.stdout.isEmpty)
        let named = input.named.replacingOccurrences(of: "{huge}", with: huge)
        #expect(
            result.stderr.hasPrefix("gpuprobe: error: \(named) is larger than 16 MiB, the most "),
            "\(result.stderr)"
        )
        #expect(result.stderr.filter { $0 == "\n" }.count == 1)
    }

    @Test(arguments: ["huge", "fifo"])
    func aBrokenDriverCacheIsIgnoredAndReplaced(kind: String) throws {
        let work = try FakeInstallers()
        defer { work.remove() }
        let drivers = work.directory.appendingPathComponent("Drivers")
        try FileManager.default.createDirectory(at: drivers, withIntermediateDirectories: true)
        try work.build(Self.spec("535.54.03"), in: drivers)
        let host = try MatchCommandTests.a100Host(in: work.directory)
        // MeasuredRun's XDG_CACHE_HOME is the work folder.
        let folder = work.directory.appendingPathComponent("gpuprobe")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let cache = folder.appendingPathComponent("drivers-v1.json").path
        if kind == "huge" {
            let fd = open(cache, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
            try #require(fd >= 0)
            #expect(ftruncate(fd, 2 << 30) == 0)
            close(fd)
        } else {
            #expect(mkfifo(cache, 0o644) == 0)
        }

        let (result, peak) = try MeasuredRun.gpuprobe(
            ["match", "--host", host, "--drivers", drivers.path],
            in: work.directory
        )
        #expect(peak < MeasuredRun.memoryBoundMiB, "match used \(peak) MiB")
        #expect(result.status == 0, "\(result.stderr)")
        let driver = MatchCommandTests.json(result.stdout)["driver"] as? [String: Any]
        #expect(driver?["chosen"] as? String == Self.fitting)
        // Replaced by a cache of the one installer, and nothing else left beside it.
        let size = try FileManager.default.attributesOfItem(atPath: cache)[.size] as? Int ?? 0
        #expect(size > 0 && size < 1 << 20)
        #expect(DriverCache(path: cache).load().count == 1)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: folder.path) == [
                "drivers-v1.json"
            ]
        )
    }

    @Test func theInputLimitIsTheToolOutputCap() throws {
        // Anything a capture kept of a tool's output can be given to `parse`.
        let work = try FakeInstallers()
        defer { work.remove() }
        let text = String(repeating: "x", count: ToolRunner.outputLimit - 1) + "\n"
        let file = try work.write(Array(text.utf8), name: "nvidia-smi.stdout")
        let result = try MeasuredRun.gpuprobe(["parse", "nvidia-smi", file], in: work.directory)
            .result
        #expect(result.status == 0, "\(result.stderr)")
        #expect(MatchCommandTests.json(result.stdout)["format"] as? String == "unknown")
    }
}
