import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

/// `gpuprobe match` as a user runs it: the built executable, a host JSON and a drivers folder
/// of real installers in NVIDIA's layout.
@Suite struct MatchCommandTests {
    typealias Result = CommandRun.Result

    static func run(_ arguments: [String], cache: URL, in folder: URL) -> Result {
        CommandRun.gpuprobe(arguments, cache: cache, in: folder)
    }

    static func json(_ text: String) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
    }

    /// The A100 host's report, with the machine filled in so architectures are checked.
    static func a100Host(in folder: URL) throws -> String {
        try TestHosts.a100Host(in: folder)
    }

    @Test func hostWithoutGPURecommendsCPUWheelsAndExitsZero() throws {
        let work = try FakeInstallers()
        defer { work.remove() }
        let result = Self.run(
            ["match", "--host", Fixtures.url("hosts/debian12-vm-no-gpu/expected.json").path],
            cache: work.directory,
            in: work.directory
        )
        #expect(result.status == 0)
        let plan = Self.json(result.stdout)
        let torch = plan["torch"] as? [String: Any]
        let pick = torch?["pick"] as? [String: Any]
        #expect(torch?["status"] as? String == "cpu")
        #expect(pick?["variant"] as? String == "cpu")
        #expect((pick?["install_command"] as? String)?.hasSuffix("/whl/cpu") == true)
        // SchemaTests validates this plan, with every other bundle's.
    }

    @Test(arguments: [
        ("not json", "is not valid JSON (line 1, column 1: expected a value)"),
        ("[1]", "is not a JSON object"),
        (#"{"schema":"gpuprobe/host/v9"}"#, "has schema 'gpuprobe/host/v9'"),
        (
            #"{"schema":"gpuprobe/host/v1","host":{"container":false,"wsl":false},"pci_devices":[{"address":5}],"accelerators":[],"diagnostics":[]}"#,
            "'pci_devices[0].address' is not a string"
        ),
    ])
    func unreadableHostJSONIsOneLineAndExitTwo(text: String, problem: String) throws {
        let work = try FakeInstallers()
        defer { work.remove() }
        let path = work.directory.appendingPathComponent("host.json")
        try Data(text.utf8).write(to: path)
        let result = Self.run(
            ["match", "--host", path.path],
            cache: work.directory,
            in: work.directory
        )
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("gpuprobe: error: '\(path.path)': "))
        #expect(result.stderr.contains(problem))
        #expect(result.stderr.filter { $0 == "\n" }.count == 1)
    }

    @Test func missingHostFileAndMissingDriversFolderAreErrors() throws {
        let work = try FakeInstallers()
        defer { work.remove() }
        let noHost = Self.run(
            ["match", "--host", "/nonexistent/host.json"],
            cache: work.directory,
            in: work.directory
        )
        #expect(noHost.status == 2)
        let noDrivers = Self.run(
            [
                "match", "--host", Fixtures.url("hosts/debian12-vm-no-gpu/expected.json").path,
                "--drivers", "/nonexistent/Drivers",
            ],
            cache: work.directory,
            in: work.directory
        )
        #expect(noDrivers.status == 2)
        #expect(
            noDrivers.stderr.contains("the drivers folder '/nonexistent/Drivers' does not exist")
        )
    }

    @Test func picksTheExactInstallerAmongRealOnesAndExplainsTheRest() throws {
        let work = try FakeInstallers()
        defer { work.remove() }
        let drivers = work.directory.appendingPathComponent("Drivers")
        try FileManager.default.createDirectory(at: drivers, withIntermediateDirectories: true)
        let list = #"{"chips":[{"devid":"0x20B2","name":"NVIDIA A100-SXM4-80GB","features":[]}]}"#
        func spec(
            _ version: String,
            _ compression: FakeInstallers.Compression,
            arch: String = "x86_64"
        )
            -> FakeInstallers.Spec
        {
            var spec = FakeInstallers.Spec()
            spec.version = version
            spec.compression = compression
            spec.architecture = arch
            spec.supportedGPUs = list
            return spec
        }
        try work.build(spec("535.54.03", .gzip), in: drivers)
        try work.build(spec("535.43.02", .xz), in: drivers)
        try work.build(spec("550.54.14", .xz), in: drivers)
        try work.build(spec("535.54.03", .gzip, arch: "aarch64"), in: drivers)
        var legacy = spec("535.50.01", .gzip)
        legacy.supportedGPUs =
            #"{"chips":[{"devid":"0x20B2","name":"A100","legacybranch":"470.xx","features":[]}]}"#
        try work.build(legacy, in: drivers)
        let whole = try work.build(spec("535.40.01", .gzip), in: work.directory)
        let size = try #require(
            try FileManager.default.attributesOfItem(atPath: whole)[.size] as? Int
        )
        _ = try work.cut(whole, to: size - 100, name: "Drivers/NVIDIA-Linux-x86_64-535.40.01.run")
        let host = try Self.a100Host(in: work.directory)

        let first = Self.run(
            ["match", "--host", host, "--drivers", drivers.path],
            cache: work.directory,
            in: work.directory
        )
        #expect(first.status == 0, "\(first.stderr)")
        let plan = Self.json(first.stdout)
        let driver = try #require(plan["driver"] as? [String: Any])
        #expect(driver["status"] as? String == "exact")
        #expect(driver["chosen"] as? String == "NVIDIA-Linux-x86_64-535.54.03.run")
        let verdicts = (driver["installers"] as? [[String: Any]] ?? []).reduce(
            into: [String: String]()
        ) { result, entry in
            result[entry["file_name"] as? String ?? ""] =
                (entry["reasons"] as? [String])?.joined(separator: "; ")
        }
        #expect(verdicts.count == 6)
        #expect(verdicts["NVIDIA-Linux-x86_64-535.43.02.run"] == "lower than the chosen 535.54.03")
        // The A100 report has no kernel module version: nvidia-smi's is the one named.
        #expect(
            verdicts["NVIDIA-Linux-x86_64-550.54.14.run"]
                == "newer than the driver nvidia-smi reports (535.54.03): a userspace driver "
                + "above the kernel module never works"
        )
        #expect(
            verdicts["NVIDIA-Linux-aarch64-535.54.03.run"]
                == "built for aarch64, the host is x86_64"
        )
        #expect(
            verdicts["NVIDIA-Linux-x86_64-535.50.01.run"]?.contains("470.xx legacy branch") == true
        )
        #expect(verdicts["NVIDIA-Linux-x86_64-535.40.01.run"]?.hasPrefix("unreadable: ") == true)
        #expect(
            try JSONSchemaCheck.problems(
                in: Data(first.stdout.utf8),
                against: "plan-v1.schema.json"
            )
                == []
        )

        // The second run reads the installers from the cache and decides the same.
        let second = Self.run(
            ["match", "--host", host, "--drivers", drivers.path],
            cache: work.directory,
            in: work.directory
        )
        #expect(second.stdout == first.stdout)

        // Without the exact one, the highest lower one is a mismatch, with the download address.
        try FileManager.default.removeItem(
            at: drivers.appendingPathComponent("NVIDIA-Linux-x86_64-535.54.03.run")
        )
        let third = Self.run(
            ["match", "--host", host, "--drivers", drivers.path, "--format", "text"],
            cache: work.directory,
            in: work.directory
        )
        #expect(third.status == 0)
        #expect(third.stdout.contains("driver: mismatch  NVIDIA-Linux-x86_64-535.43.02.run"))
        #expect(third.stdout.contains("Driver/library version mismatch"))
        #expect(
            third.stdout.contains(
                "https://us.download.nvidia.com/XFree86/Linux-x86_64/535.54.03/NVIDIA-Linux-x86_64-535.54.03.run"
            )
        )
    }

    /// The A100 report (nvidia-smi only) with its GPU made a Tesla T4 on `driver`.
    static func t4Host(driver: String, in folder: URL) throws -> String {
        try Fixtures.editedReport("a100-sxm4-mig-xml", to: folder, as: "t4-host.json") { report in
            var host = try #require(report["host"] as? [String: Any])
            host["architecture"] = "x86_64"
            report["host"] = host
            var nvidia = try #require(report["nvidia"] as? [String: Any])
            nvidia["driver_version"] = driver
            var gpu = try #require((nvidia["gpus"] as? [[String: Any]])?.first)
            gpu["name"] = "Tesla T4"
            gpu["pci_device_id"] = "1eb8"
            gpu["architecture"] = "Turing"
            gpu["compute_capability"] = "7.5"
            gpu["mig_mode"] = NSNull()
            gpu["memory_total_mib"] = 15360
            nvidia["gpus"] = [gpu]
            report["nvidia"] = nvidia
        }
    }

    /// Issue 14's acceptance case: NVIDIA's real lists leave the T4 out from R525 on, which
    /// is no reason to fall back to 470.256.02.
    @Test func picksTheExactRealListInstallerForATeslaT4() throws {
        let work = try FakeInstallers()
        defer { work.remove() }
        let drivers = work.directory.appendingPathComponent("Drivers")
        try FileManager.default.createDirectory(at: drivers, withIntermediateDirectories: true)
        for (version, compression) in [
            ("470.256.02", FakeInstallers.Compression.xz), ("525.147.05", .gzip),
            ("535.261.03", .xz), ("550.54.15", .gzip),
        ] {
            try work.build(try RealListInstallers.spec(version, compression), in: drivers)
        }
        let host = try Self.t4Host(driver: "535.261.03", in: work.directory)
        let result = Self.run(
            ["match", "--host", host, "--drivers", drivers.path],
            cache: work.directory,
            in: work.directory
        )
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            try JSONSchemaCheck.problems(
                in: Data(result.stdout.utf8),
                against: "plan-v1.schema.json"
            )
                == []
        )
        let driver = try #require(Self.json(result.stdout)["driver"] as? [String: Any])
        #expect(driver["status"] as? String == "exact")
        #expect(driver["chosen"] as? String == "NVIDIA-Linux-x86_64-535.261.03.run")
        let verdicts = (driver["installers"] as? [[String: Any]] ?? []).reduce(
            into: [String: [String]]()
        ) { result, entry in
            result[entry["file_name"] as? String ?? ""] = entry["reasons"] as? [String]
        }
        #expect(
            verdicts["NVIDIA-Linux-x86_64-470.256.02.run"] == ["lower than the chosen 535.261.03"]
        )
        #expect(
            verdicts["NVIDIA-Linux-x86_64-525.147.05.run"]?.last?.hasPrefix(
                "not in this installer's supported-gpus.json: Tesla T4 (0000:01:00.0) (device "
                    + "0x1EB8)"
            ) == true
        )
        #expect(
            verdicts["NVIDIA-Linux-x86_64-550.54.15.run"] == [
                "newer than the driver nvidia-smi reports (535.261.03): a userspace driver above "
                    + "the kernel module never works"
            ]
        )
        let explanation = driver["explanation"] as? [String] ?? []
        #expect(
            explanation.contains {
                $0.hasPrefix(
                    "Tesla T4 (0000:01:00.0) (device 0x1EB8) is not in "
                        + "NVIDIA-Linux-x86_64-535.261.03.run's supported-gpus.json"
                )
            }
        )
    }

    @Test func catalogFileReplacesTheBuiltInOne() throws {
        let work = try FakeInstallers()
        defer { work.remove() }
        let host = Fixtures.url("hosts/debian12-vm-no-gpu/expected.json").path
        let repoCatalog = Fixtures.root.deletingLastPathComponent()
            .appendingPathComponent("catalog/pytorch.json").path
        let same = Self.run(
            ["match", "--host", host, "--catalog", repoCatalog],
            cache: work.directory,
            in: work.directory
        )
        #expect(same.status == 0)
        #expect(
            (Self.json(same.stdout)["inputs"] as? [String: Any])?["catalog"] as? String
                == repoCatalog
        )

        // A catalog that keeps only torch 2.0 makes 2.0.1 the pick: the file is what decides.
        var catalog = try #require(
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: repoCatalog))
            )
                as? [String: Any]
        )
        catalog["releases"] = (catalog["releases"] as? [[String: Any]] ?? []).filter {
            $0["minor"] as? String == "2.0"
        }
        let small = work.directory.appendingPathComponent("small.json")
        try JSONSerialization.data(withJSONObject: catalog).write(to: small)
        let older = Self.run(
            ["match", "--host", host, "--catalog", small.path],
            cache: work.directory,
            in: work.directory
        )
        #expect(older.status == 0)
        let pick = (Self.json(older.stdout)["torch"] as? [String: Any])?["pick"] as? [String: Any]
        #expect(pick?["torch"] as? String == "2.0.1")

        try Data("{}".utf8).write(to: small)
        let bad = Self.run(
            ["match", "--host", host, "--catalog", small.path],
            cache: work.directory,
            in: work.directory
        )
        #expect(bad.status == 2)
        #expect(bad.stderr.filter { $0 == "\n" }.count == 1)
        #expect(bad.stderr.contains("small.json"))
    }

    /// The live H100 capture turned into an H200 (GH100, 0x2335) on R610 as a real nvidia-smi
    /// prints it (610.57.04, CUDA 13.3, from Fixtures/hosts/rtx2080super-610-query).
    static func h200OnR610(in folder: URL) throws -> String {
        try Fixtures.editedReport("h100-sxm5-580-vm", to: folder, as: "h200.json") { report in
            var accelerators = try #require(report["accelerators"] as? [[String: Any]])
            accelerators[0]["device_id"] = "2335"
            accelerators[0]["name"] = "GH100 [H200 SXM 141GB]"
            report["accelerators"] = accelerators
            var nvidia = try #require(report["nvidia"] as? [String: Any])
            var gpus = try #require(nvidia["gpus"] as? [[String: Any]])
            gpus[0]["name"] = "NVIDIA H200"
            gpus[0]["pci_device_id"] = "2335"
            nvidia["gpus"] = gpus
            nvidia["driver_version"] = "610.57.04"
            nvidia["kernel_module_version"] = "610.57.04"
            nvidia["cuda_version"] = "13.3"
            report["nvidia"] = nvidia
        }
    }

    /// Issue 14: torch 2.15.0 with torchvision 0.29.2 and torchaudio 2.11.1 for an H200 on R610
    /// with Python 3.12, as `gpuprobe match` prints it.
    @Test func h200OnR610PicksTorch215() throws {
        let work = try FakeInstallers()
        defer { work.remove() }
        let host = try Self.h200OnR610(in: work.directory)
        let result = Self.run(
            ["match", "--host", host, "--drivers", work.directory.path, "--python", "3.12"],
            cache: work.directory,
            in: work.directory
        )
        let torch = Self.json(result.stdout)["torch"] as? [String: Any]
        let pick = try #require(torch?["pick"] as? [String: Any], "\(result.stderr)")
        #expect(torch?["status"] as? String == "cuda")
        #expect(pick["torch"] as? String == "2.15.0")
        #expect(pick["torchvision"] as? String == "0.29.2")
        #expect(pick["torchaudio"] as? String == "2.11.1")
        #expect(pick["variant"] as? String == "cu132")
        #expect(
            pick["install_command"] as? String
                == "pip install torch==2.15.0 torchvision==0.29.2 torchaudio==2.11.1 "
                + "--index-url https://download.pytorch.org/whl/cu132"
        )
        #expect((pick["gpus_covered"] as? [String])?.first?.hasPrefix("NVIDIA H200") == true)
    }

    @Test func emptyDriversFolderOnAGPUHostIsAnIncompletePlan() throws {
        let work = try FakeInstallers()
        defer { work.remove() }
        let host = try Self.a100Host(in: work.directory)
        let result = Self.run(
            ["match", "--host", host, "--drivers", work.directory.path],
            cache: work.directory,
            in: work.directory
        )
        #expect(result.status == 3)
        let driver = Self.json(result.stdout)["driver"] as? [String: Any]
        #expect(driver?["status"] as? String == "none")
        #expect((driver?["download_urls"] as? [String])?.count == 2)
    }
}
