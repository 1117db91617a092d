import Foundation
import Testing

@testable import GPUProbe

/// The public contract in `Schemas/`, checked with check-jsonschema (``JSONSchemaCheck``).
///
/// Every schema is valid under its draft's metaschema and named for its version, real outputs of
/// the built `gpuprobe` follow it, and it rejects documents that break it. One check-jsonschema
/// run per schema for all the documents of a test.
@Suite struct SchemaTests {
    /// The contracts, `<name>-v<N>.schema.json` for `gpuprobe/<name>/v<N>`; a breaking change
    /// adds a `-v2` file beside the `-v1`.
    static let files = [
        "check-v1.schema.json", "host-v1.schema.json", "plan-v1.schema.json",
        "run-flags-v1.schema.json", "stage-v1.schema.json", "torch-catalog-v1.schema.json",
    ]

    struct Run {
        let status: Int32?
        let stdout: Data
    }

    /// Runs the built `gpuprobe` with an empty drivers folder and a private cache.
    static func gpuprobe(_ arguments: [String], work: URL) -> Run {
        let run = ToolRunner.run(
            MatchCommandTests.executable,
            arguments,
            timeout: 60,
            environment: ["XDG_CACHE_HOME=\(work.path)", "PATH=/usr/bin:/bin"]
        )
        guard case .exited(let status) = run.outcome else {
            return Run(status: nil, stdout: Data())
        }
        return Run(status: status, stdout: Data(run.stdout))
    }

    static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("gpuprobe-schema-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func expected(_ bundle: String) -> URL {
        Fixtures.url("hosts/\(bundle)/expected.json")
    }

    static func object(_ data: Data) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func everySchemaIsValidUnderItsMetaschemaAndNamedForItsVersion() throws {
        let names = try FileManager.default.contentsOfDirectory(
            atPath: JSONSchemaCheck.folder.path
        )
        #expect(names.sorted() == Self.files)
        let urls = Self.files.map { JSONSchemaCheck.folder.appendingPathComponent($0) }
        #expect(try JSONSchemaCheck.metaschemaProblems(urls) == [])
        for (file, url) in zip(Self.files, urls) {
            let schema = try Self.object(Data(contentsOf: url))
            let stem = file.dropLast(".schema.json".count)
            let dash = try #require(stem.lastIndex(of: "-"))
            let name = stem[..<dash]
            let version = stem[stem.index(after: dash)...]
            #expect(schema["$schema"] as? String == "https://json-schema.org/draft/2020-12/schema")
            #expect(schema["$id"] as? String == "https://gpuprobe.invalid/Schemas/\(file)")
            let properties = schema["properties"] as? [String: Any]
            let constant = (properties?["schema"] as? [String: Any])?["const"] as? String
            #expect(constant == "gpuprobe/\(name)/\(version)", "\(file)")
        }
    }

    /// Every bundle's expected.json and what `gpuprobe probe --replay` prints for it now.
    @Test func everyHostReportFollowsTheSchema() throws {
        let work = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: work) }
        var documents: [String: Data] = [:]
        for bundle in HostBundleTests.bundles {
            let expected = try Data(contentsOf: Self.expected(bundle))
            documents["\(bundle)/expected.json"] = expected
            let replay = Self.gpuprobe(
                ["probe", "--replay", Fixtures.url("hosts/\(bundle)").path],
                work: work
            )
            #expect(replay.status == 0, "\(bundle)")
            #expect(replay.stdout == expected, "\(bundle)")
            documents["\(bundle) replayed"] = replay.stdout
        }
        let problems = try JSONSchemaCheck.validate(documents, against: "host-v1.schema.json")
        #expect(problems.count == 2 * HostBundleTests.bundles.count)
        #expect(problems.filter { !$0.value.isEmpty } == [:])
    }

    /// `gpuprobe match` on every bundle's report, and on the A100 host moved into PCI domain
    /// 10000, where Intel VMD puts NVMe and sometimes GPUs: five-digit addresses.
    @Test func everyPlanFollowsTheSchema() throws {
        let work = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: work) }
        let drivers = work.appendingPathComponent("Drivers")
        try FileManager.default.createDirectory(at: drivers, withIntermediateDirectories: true)
        var hosts = HostBundleTests.bundles.map { ($0, Self.expected($0).path) }
        let a100 = try String(contentsOf: Self.expected("a100-sxm4-mig-xml"), encoding: .utf8)
        let vmd = work.appendingPathComponent("vmd.json")
        try Data(a100.replacingOccurrences(of: "\"0000:", with: "\"10000:").utf8).write(to: vmd)
        hosts.append(("a100 in domain 10000", vmd.path))

        var documents: [String: Data] = [:]
        for (name, path) in hosts {
            let plan = Self.gpuprobe(
                ["match", "--host", path, "--drivers", drivers.path],
                work: work
            )
            // 3: the plan is incomplete, and still printed.
            #expect(plan.status == 0 || plan.status == 3, "\(name)")
            documents[name] = plan.stdout
        }
        let moved = try Self.object(documents["a100 in domain 10000"] ?? Data())
        let gpus = (moved["host"] as? [String: Any])?["gpus"] as? [[String: Any]]
        #expect(gpus?.first?["address"] as? String == "10000:01:00.0")
        let problems = try JSONSchemaCheck.validate(documents, against: "plan-v1.schema.json")
        #expect(problems.count == hosts.count)
        #expect(problems.filter { !$0.value.isEmpty } == [:])
    }

    /// `gpuprobe run-flags --format json` on every bundle with a GPU or NPU it can hand over.
    @Test func everyRunFlagsDocumentFollowsTheSchema() throws {
        let work = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: work) }
        var documents: [String: Data] = [:]
        for bundle in HostBundleTests.bundles {
            let flags = Self.gpuprobe(
                ["run-flags", "--format", "json", "--host", Self.expected(bundle).path],
                work: work
            )
            // 3: nothing to hand over (no GPU, or NVIDIA software without GPUs).
            if flags.status == 0 { documents[bundle] = flags.stdout }
            #expect(flags.status == 0 || flags.status == 3, "\(bundle)")
        }
        #expect(documents.count >= 4)
        let problems = try JSONSchemaCheck.validate(documents, against: "run-flags-v1.schema.json")
        #expect(problems.filter { !$0.value.isEmpty } == [:])
    }

    /// What a broken contract looks like, each against a real document that is valid: a
    /// required field missing, a field the contract does not have, a wrong type, and fields
    /// that contradict each other.
    @Test func theSchemasRejectReportsThatBreakTheContract() throws {
        // The one bundle with an accelerator classified from PCI and a GPU nvidia-smi lists.
        let report = try Data(contentsOf: Self.expected("laptop-mx150-no-driver"))
        func host(_ change: (inout [String: Any]) throws -> Void) throws -> Data {
            var object = try Self.object(report)
            try change(&object)
            return try JSONSerialization.data(withJSONObject: object)
        }
        let hosts = try JSONSchemaCheck.validate(
            [
                "valid": report,
                "no nvidia": try host { $0["nvidia"] = nil },
                "no compute_capability": try host {
                    var accelerators = try #require($0["accelerators"] as? [[String: Any]])
                    try #require(!accelerators.isEmpty)
                    accelerators[0]["compute_capability"] = nil
                    $0["accelerators"] = accelerators
                },
                "unknown key": try host { $0["gpus"] = [] },
                "AMD with a compute capability": try host {
                    var accelerators = try #require($0["accelerators"] as? [[String: Any]])
                    try #require(!accelerators.isEmpty)
                    accelerators[0]["kind"] = "amd_gpu"
                    $0["accelerators"] = accelerators
                },
                "memory as text": try host {
                    var nvidia = try #require($0["nvidia"] as? [String: Any])
                    var gpus = try #require(nvidia["gpus"] as? [[String: Any]])
                    try #require(!gpus.isEmpty)
                    gpus[0]["memory_total_mib"] = "40 GiB"
                    nvidia["gpus"] = gpus
                    $0["nvidia"] = nvidia
                },
                "v2": try host { $0["schema"] = "gpuprobe/host/v2" },
            ],
            against: "host-v1.schema.json"
        )
        #expect(hosts["valid"] == [])
        #expect(hosts["no nvidia"] == ["$: 'nvidia' is a required property"])
        #expect(
            hosts["no compute_capability"]
                == ["$.accelerators[0]: 'compute_capability' is a required property"]
        )
        #expect(
            hosts["unknown key"]
                == ["$: Additional properties are not allowed ('gpus' was unexpected)"]
        )
        #expect(
            hosts["AMD with a compute capability"]
                == ["$.accelerators[0].compute_capability: '6.1' is not of type 'null'"]
        )
        #expect(
            hosts["memory as text"]
                == ["$.nvidia.gpus[0].memory_total_mib: '40 GiB' is not of type 'integer', 'null'"]
        )
        #expect(hosts["v2"] == ["$.schema: 'gpuprobe/host/v1' was expected"])

        let work = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: work) }
        let planRun = Self.gpuprobe(
            ["match", "--host", Self.expected("debian12-vm-no-gpu").path, "--drivers", work.path],
            work: work
        )
        #expect(planRun.status == 0)
        func plan(_ change: (inout [String: Any]) throws -> Void) throws -> Data {
            var object = try Self.object(planRun.stdout)
            try change(&object)
            return try JSONSerialization.data(withJSONObject: object)
        }
        let plans = try JSONSchemaCheck.validate(
            [
                "valid": planRun.stdout,
                "no complete": try plan { $0["complete"] = nil },
                "exact without an installer": try plan {
                    var driver = try #require($0["driver"] as? [String: Any])
                    driver["status"] = "exact"
                    $0["driver"] = driver
                },
                "cpu status, CUDA wheel": try plan {
                    var torch = try #require($0["torch"] as? [String: Any])
                    var pick = try #require(torch["pick"] as? [String: Any])
                    pick["variant"] = "cu126"
                    pick["cuda"] = "12.6"
                    torch["pick"] = pick
                    $0["torch"] = torch
                },
            ],
            against: "plan-v1.schema.json"
        )
        #expect(plans["valid"] == [])
        #expect(plans["no complete"] == ["$: 'complete' is a required property"])
        #expect(
            plans["exact without an installer"] == [
                "$.driver.host_version: None is not of type 'string'",
                "$.driver.chosen: None is not of type 'string'",
                "$.driver.chosen_version: None is not of type 'string'",
                "$.driver.installers: [] does not contain items matching the given schema",
            ]
        )
        #expect(
            plans["cpu status, CUDA wheel"] == [
                "$.torch.pick.variant: 'cpu' was expected",
                "$.torch.pick.cuda: '12.6' is not of type 'null'",
            ]
        )
    }
}
