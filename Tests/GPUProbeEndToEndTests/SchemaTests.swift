import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

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
        let run = CommandRun.gpuprobe(
            arguments,
            environment: ["XDG_CACHE_HOME=\(work.path)", "PATH=/usr/bin:/bin"]
        )
        guard run.exited else { return Run(status: nil, stdout: Data()) }
        return Run(status: run.status, stdout: Data(run.stdoutBytes))
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
        for bundle in Fixtures.hostBundles {
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
        #expect(problems.count == 2 * Fixtures.hostBundles.count)
        #expect(problems.filter { !$0.value.isEmpty } == [:])
    }

    /// `gpuprobe match` on every bundle's report, and on the A100 host moved into PCI domain
    /// 10000, where Intel VMD puts NVMe and sometimes GPUs: five-digit addresses.
    @Test func everyPlanFollowsTheSchema() throws {
        let work = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: work) }
        let drivers = work.appendingPathComponent("Drivers")
        try FileManager.default.createDirectory(at: drivers, withIntermediateDirectories: true)
        var hosts = Fixtures.hostBundles.map { ($0, Self.expected($0).path) }
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
        for bundle in Fixtures.hostBundles {
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

    /// One value of a real report changed to what the host schema refuses: the bundle, the
    /// key path, the raw JSON text put there, and the path gpuprobe must name.
    static let schemaBreakingValues: [(bundle: String, path: String, raw: String, named: String)] =
        [
            ("a100-sxm4-mig-xml", "nvidia.kernel_module_version", #""550.54.14$(id)""#, ""),
            ("a100-sxm4-mig-xml", "nvidia.driver_version", #""535.54.x""#, ""),
            ("a100-sxm4-mig-xml", "nvidia.cuda_version", #""12.2-rc1""#, ""),
            ("a100-sxm4-mig-xml", "nvidia.driver_version", #""535.54.03\n""#, ""),
            ("a100-sxm4-mig-xml", "nvidia.gpus[0].index", "-1", ""),
            ("a100-sxm4-mig-xml", "nvidia.gpus[0].memory_total_mib", "-81920", ""),
            ("a100-sxm4-mig-xml", "nvidia.gpus[0].memory_total_mib", "1e9223372036854775807", ""),
            ("a100-sxm4-mig-xml", "nvidia.gpus[0].memory_used_mib", "50.5", ""),
            ("a100-sxm4-mig-xml", "nvidia.gpus[0].bus_id", #""0000:01:00.8""#, ""),
            ("a100-sxm4-mig-xml", "nvidia.gpus[0].bus_id", #""0000:01:00.0; reboot""#, ""),
            ("a100-sxm4-mig-xml", "nvidia.gpus[0].pci_device_id", #""20B2""#, ""),
            ("a100-sxm4-mig-xml", "nvidia.gpus[0].compute_capability", #""8""#, ""),
            ("a100-sxm4-mig-xml", "nvidia.gpus[0].mig_mode", #""on""#, ""),
            (
                "a100-sxm4-mig-xml", "nvidia.processes",
                #"[{"gpu_index":0,"pid":-4,"type":"C","name":"python","used_memory_mib":1}]"#,
                "nvidia.processes[0].pid"
            ),
            ("laptop-mx150-no-driver", "pci_devices[0].address", #""00:1c.0""#, ""),
            ("laptop-mx150-no-driver", "pci_devices[0].address", #""0000:00:1C.0""#, ""),
            ("laptop-mx150-no-driver", "pci_devices[0].vendor_id", #""80861""#, ""),
            ("laptop-mx150-no-driver", "pci_devices[0].class", #""06""#, ""),
            ("laptop-mx150-no-driver", "pci_devices[0].revision", #""f""#, ""),
            ("laptop-mx150-no-driver", "pci_devices[0].numa_node", "-1", ""),
            (
                "laptop-mx150-no-driver", "accelerators[0].kind", #""amd_gpu""#,
                "accelerators[0].compute_capability"
            ),
            ("laptop-mx150-no-driver", "accelerators[0].device_id", #""1d1""#, ""),
            ("laptop-mx150-no-driver", "accelerators[0].kind", #""tpu""#, ""),
            ("laptop-mx150-no-driver", "diagnostics[0].code", #""Not Installed""#, ""),
            ("laptop-mx150-no-driver", "diagnostics[0].source", #""gpu""#, ""),
            ("laptop-mx150-no-driver", "diagnostics[0].severity", #""fatal""#, ""),
            ("ascend-910b4", "ascend.npus[0].chip_logic_id", "-1", ""),
            ("ascend-910b4", "ascend.npus[0].bus_id", #""c1:00.0""#, ""),
            ("ascend-910b4", "ascend.npus[0].hbm_total_mb", "-32768", ""),
        ]

    /// The schema and gpuprobe agree on every document of ``schemaBreakingValues``: the schema
    /// refuses it and so does gpuprobe, naming the key path; and both accept the reports the
    /// documents were made from. (gpuprobe once read `550.54.14$(id)` as an unknown version
    /// and planned from the other version field.)
    @Test func gpuprobeRefusesWhatTheHostSchemaRefuses() throws {
        var documents: [String: Data] = [:]
        for bundle in Set(Self.schemaBreakingValues.map(\.bundle)) {
            documents["valid \(bundle)"] = try Data(contentsOf: Self.expected(bundle))
        }
        for bad in Self.schemaBreakingValues {
            documents["\(bad.path) = \(bad.raw)"] = try HostDocument.replacing(
                bad.path,
                with: bad.raw,
                in: bad.bundle
            )
        }
        let problems = try JSONSchemaCheck.validate(documents, against: "host-v1.schema.json")
        for (name, document) in documents {
            let decoded = Result { try HostReportDecoding.decode(Array(document)) }
            if name.hasPrefix("valid ") {
                #expect(problems[name] == [], "\(name)")
                #expect(throws: Never.self, "\(name)") { try decoded.get() }
                continue
            }
            let bad = try #require(
                Self.schemaBreakingValues.first { "\($0.path) = \($0.raw)" == name }
            )
            let named = bad.named.isEmpty ? bad.path : bad.named
            #expect(problems[name]?.isEmpty == false, "the schema accepts \(name)")
            #expect {
                try decoded.get()
            } throws: { error in
                let message = "\(error)"
                return message.contains("'\(named)'") && message.utf8.count < 400
            }
        }
    }

    /// Where gpuprobe is stricter than the schema as check-jsonschema reads it.
    ///
    /// Numbers that Python's float turns into `inf` or `-0.0`, a driver version
    /// ``DriverVersion`` cannot read (one part, or parts over 6 digits), and a PCI device
    /// number past 1f: the schema accepts each; gpuprobe refuses it.
    static let refusedBeyondTheSchema: [(bundle: String, path: String, raw: String)] = [
        ("ascend-910b4", "ascend.npus[0].power_w", "1e400"),
        ("a100-sxm4-mig-xml", "nvidia.gpus[0].minor_number", "-1e-9223372036854775808"),
        ("a100-sxm4-mig-xml", "nvidia.kernel_module_version", #""550""#),
        ("a100-sxm4-mig-xml", "nvidia.driver_version", #""535.1234567.03""#),
        ("a100-sxm4-mig-xml", "nvidia.gpus[0].bus_id", #""0000:01:20.0""#),
    ]

    @Test func gpuprobeIsStricterThanTheSchemaOnlyWhereItCannotUseTheValue() throws {
        var documents: [String: Data] = [:]
        for bad in Self.refusedBeyondTheSchema {
            let name = "\(bad.path) = \(bad.raw)"
            documents[name] = try HostDocument.replacing(bad.path, with: bad.raw, in: bad.bundle)
            #expect(throws: ReportError.self, "\(name)") {
                try HostReportDecoding.decode(Array(documents[name] ?? Data()))
            }
        }
        let problems = try JSONSchemaCheck.validate(documents, against: "host-v1.schema.json")
        #expect(problems.filter { !$0.value.isEmpty } == [:])
    }

    /// `run-flags --format json` for a report whose GPU index and chip logic ID are negative
    /// (a report built in code: one read from a file is refused first) writes the position
    /// instead, which the schema allows; it once wrote `"index": -1`.
    @Test func runFlagsNeverWritesANegativeIndex() throws {
        let nvidia = NvidiaSection(
            kernelModuleVersion: "550.54.14",
            gpus: [
                NvidiaGPU(index: -1, name: "NVIDIA A100"), NvidiaGPU(index: 1, name: "NVIDIA A100"),
            ]
        )
        let npus = [
            AscendNPU(npuID: 0, chipID: 0, chipLogicID: -1, name: "910B4"),
            AscendNPU(npuID: 1, chipID: 0, deviceID: -7, name: "910B4"),
        ]
        var documents: [String: Data] = [:]
        for (name, report) in [
            (
                "nvidia",
                HostReport(
                    host: HostInfo(),
                    pciDevices: [],
                    accelerators: [],
                    nvidia: nvidia,
                    ascend: nil,
                    diagnostics: []
                )
            ),
            (
                "ascend",
                HostReport(
                    host: HostInfo(),
                    pciDevices: [],
                    accelerators: [],
                    nvidia: nil,
                    ascend: AscendSection(npus: npus),
                    diagnostics: []
                )
            ),
        ] {
            let flags = try RunFlagsBuilder.build(report: report, selection: .all)
            #expect(flags.devices.allSatisfy { $0.index >= 0 }, "\(name)")
            #expect(flags.devices.first?.indexSource == .position, "\(name)")
            documents[name] = Data(JSONOutput.render(flags).utf8)
        }
        let problems = try JSONSchemaCheck.validate(documents, against: "run-flags-v1.schema.json")
        #expect(problems == ["nvidia": [], "ascend": []])
    }
}
