import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

/// The built `gpuprobe match` over drivers folders and caches made to hurt.
///
/// Huge, endless and kernel files under installer names, lists far over their bounds, a cache value the decoder
/// refuses, no cache location at all. Each must end in bounded memory with the fitting
/// installer chosen and every other one rejected with its reason.
@Suite struct DriverFaultTests {
    static let fitting = InputFaultTests.fitting

    /// A list of `megabytes` MiB of minimal entries (the shape that cost 1.3 GB per installer).
    static func minimalList(megabytes: Int) -> String {
        let entry = #"{"devid":"0x1"},"#
        return #"{"chips":["#
            + String(repeating: entry, count: (megabytes << 20) / entry.utf8.count)
            + #"{"devid":"0x2"}]}"#
    }

    @Test func aFolderOfHostileInstallersIsReadInBoundedMemory() throws {
        let work = try FakeInstallers()
        defer { work.remove() }
        let drivers = work.directory.appendingPathComponent("Drivers")
        try FileManager.default.createDirectory(at: drivers, withIntermediateDirectories: true)
        try work.build(InputFaultTests.spec("535.54.03"), in: drivers)
        var expected: [String: String] = [:]

        // 20 GiB of nothing, and a good installer followed by a 20 GiB hole.
        let empty = drivers.appendingPathComponent("NVIDIA-Linux-x86_64-550.54.14.run").path
        #expect(FileManager.default.createFile(atPath: empty, contents: nil))
        #expect(truncate(empty, 20 << 30) == 0)
        expected["NVIDIA-Linux-x86_64-550.54.14.run"] = "unreadable: it is 21474836480 bytes"
        let holed = try work.build(InputFaultTests.spec("535.43.02"), in: drivers)
        #expect(truncate(holed, 20 << 30) == 0)
        expected["NVIDIA-Linux-x86_64-535.43.02.run"] = "unreadable: it is 21474836480 bytes"
        // Endless and kernel files.
        for (version, target) in [
            ("535.43.03", "/proc/self/pagemap"), ("535.43.04", "/proc/self/mem"),
        ] {
            let name = "NVIDIA-Linux-x86_64-\(version).run"
            try FileManager.default.createSymbolicLink(
                atPath: drivers.appendingPathComponent(name).path,
                withDestinationPath: target
            )
            expected[name] = "unreadable: it is a file of the kernel's /proc, not an installer"
        }
        // Lists of 32 MiB of minimal entries, and one just under 4 MiB with too many values.
        for version in ["535.43.05", "535.43.06"] {
            var spec = InputFaultTests.spec(version)
            spec.supportedGPUs = Self.minimalList(megabytes: 32)
            try work.build(spec, in: drivers)
            expected["NVIDIA-Linux-x86_64-\(version).run"] =
                "unreadable: 'NVIDIA-Linux-x86_64-\(version)/supported-gpus/supported-gpus.json' "
                + "in the payload is larger than 4 MiB"
        }
        var values = InputFaultTests.spec("535.43.07")
        values.supportedGPUs = Self.minimalList(megabytes: 3)
        try work.build(values, in: drivers)
        expected["NVIDIA-Linux-x86_64-535.43.07.run"] =
            "unreadable: supported-gpus.json in the payload holds more than 262144 JSON values"
        // A 3 MiB legacy branch (it became a 3 MiB line of the plan).
        var branch = InputFaultTests.spec("535.43.08")
        branch.supportedGPUs =
            #"{"chips":[{"devid":"0x20B2","name":"A100","legacybranch":""#
            + String(repeating: "9", count: 3 << 20) + #""}]}"#
        try work.build(branch, in: drivers)
        expected["NVIDIA-Linux-x86_64-535.43.08.run"] =
            "unreadable: supported-gpus.json in the payload is not valid (chips[0]: legacybranch "
            + "'" + String(repeating: "9", count: 64) + "...' is not a driver branch such as "
            + "470.xx)"
        let result = try MeasuredRun.matchA100(drivers: drivers, in: work)
        #expect(result.status == 0, "\(result.stderr)")
        let driver = try #require(MatchCommandTests.json(result.stdout)["driver"] as? [String: Any])
        #expect(driver["chosen"] as? String == Self.fitting)
        let verdicts = (driver["installers"] as? [[String: Any]] ?? []).reduce(
            into: [String: String]()
        ) { verdicts, entry in
            verdicts[entry["file_name"] as? String ?? ""] =
                (entry["reasons"] as? [String])?.joined(separator: "; ")
        }
        #expect(Set(verdicts.keys) == Set(expected.keys).union([Self.fitting]))
        for (name, reason) in expected {
            #expect(verdicts[name]?.hasPrefix(reason) == true, "\(name): \(verdicts[name] ?? "")")
        }
        // No reason line carries more than a cut value.
        #expect(result.stdout.split(separator: "\n").allSatisfy { $0.utf8.count < 4096 })
        let cache = work.directory.appendingPathComponent("gpuprobe/drivers-v1.json")
        let size = try FileManager.default.attributesOfItem(atPath: cache.path)[.size] as? Int
        #expect((size ?? 0) < 1 << 20)
    }

    /// A cache whose entry holds a value the JSON decoder refuses (an exponent no integer
    /// holds) crashed every later `match` until deleted: now that entry is dropped with a note,
    /// read again, and the cache rewritten.
    @Test(arguments: ["1e9223372036854775807", "-1e9223372036854775807", "99999999999999999999999"])
    func aCacheValueTheDecoderRefusesIsDroppedAndReadAgain(value: String) throws {
        let work = try FakeInstallers()
        defer { work.remove() }
        let drivers = work.directory.appendingPathComponent("Drivers")
        try FileManager.default.createDirectory(at: drivers, withIntermediateDirectories: true)
        try work.build(InputFaultTests.spec("535.54.03"), in: drivers)
        let host = try MatchCommandTests.a100Host(in: work.directory)
        let arguments = ["match", "--host", host, "--drivers", drivers.path]
        let first = MatchCommandTests.run(arguments, cache: work.directory, in: work.directory)
        #expect(first.status == 0, "\(first.stderr)")
        let cache = work.directory.appendingPathComponent("gpuprobe/drivers-v1.json")
        let text = String(decoding: try Data(contentsOf: cache), as: UTF8.self)
        let inode = try #require(text.range(of: #""inode":[0-9]+"#, options: .regularExpression))
        try Data(text.replacingCharacters(in: inode, with: #""inode":\#(value)"#).utf8).write(
            to: cache
        )

        let second = MatchCommandTests.run(arguments, cache: work.directory, in: work.directory)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout == first.stdout)
        #expect(
            second.stderr.hasPrefix(
                "gpuprobe: note: dropped 1 unreadable entry of the driver cache '\(cache.path)' "
                    + "(entries[0]: the number '\(value)' is not an integer gpuprobe writes); "
                    + "those installers are read again and the cache rewritten\n"
            ),
            "\(second.stderr)"
        )
        let third = MatchCommandTests.run(arguments, cache: work.directory, in: work.directory)
        #expect(third.status == 0 && third.stderr.isEmpty, "\(third.stderr)")
    }

    /// A cache at the size limit, of minimal values: refused on their count, not parsed into a
    /// tree of hundreds of megabytes.
    @Test func aCacheOfMinimalValuesIsRefusedInBoundedMemory() throws {
        let work = try FakeInstallers()
        defer { work.remove() }
        let drivers = work.directory.appendingPathComponent("Drivers")
        try FileManager.default.createDirectory(at: drivers, withIntermediateDirectories: true)
        try work.build(InputFaultTests.spec("535.54.03"), in: drivers)
        let folder = work.directory.appendingPathComponent("gpuprobe")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let cache = folder.appendingPathComponent("drivers-v1.json")
        let zeros = String(repeating: "0,", count: (16 << 20) / 2 - 64)
        try Data((#"{"format":"gpuprobe/drivers-cache/v2","entries":["# + zeros + "0]}").utf8)
            .write(to: cache)
        let result = try MeasuredRun.matchA100(drivers: drivers, in: work)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stderr
                == "gpuprobe: note: the driver cache '\(cache.path)' holds more than 524288 JSON "
                + "values; it is ignored, the installers are read again and the cache rewritten\n"
        )
        #expect(DriverCache(path: cache.path).load().count == 1)
    }

    /// Neither HOME nor XDG_CACHE_HOME: every run reads every installer, and says so once.
    @Test func noCacheLocationIsANote() throws {
        let work = try FakeInstallers()
        defer { work.remove() }
        let drivers = work.directory.appendingPathComponent("Drivers")
        try FileManager.default.createDirectory(at: drivers, withIntermediateDirectories: true)
        try work.build(InputFaultTests.spec("535.54.03"), in: drivers)
        let host = try MatchCommandTests.a100Host(in: work.directory)
        let result = CommandRun.gpuprobe(
            ["match", "--host", host, "--drivers", drivers.path],
            environment: ["PATH=/usr/bin:/bin"]
        )
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stderr
                == "gpuprobe: note: \(DriverCache.unavailableNote)\n"
        )
    }
}
