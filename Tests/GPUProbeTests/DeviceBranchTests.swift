import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

/// Per-device branch facts from NVIDIA's eight real supported-gpus.json lists
/// (`data/nvidia_device_branches.tsv`), and the advice and rejections built on them.
@Suite struct DeviceBranchTests {
    /// The eight lists' versions, from the fixture names, oldest first.
    static let versions: [String] = {
        let names =
            (try? FileManager.default.contentsOfDirectory(
                atPath: Fixtures.url("supported-gpus").path
            )) ?? []
        let versions = names.filter { $0.hasSuffix(".json.gz") }
            .map { String($0.dropFirst("supported-gpus-".count).dropLast(".json.gz".count)) }
        return versions.sorted {
            $0.split(separator: ".").compactMap { Int($0) }
                .lexicographicallyPrecedes($1.split(separator: ".").compactMap { Int($0) })
        }
    }()

    /// The data file's rows, without comments and header, as columns.
    static func tsvRows() throws -> [[String]] {
        let text = try String(
            contentsOf: Fixtures.root.deletingLastPathComponent()
                .appendingPathComponent("data/nvidia_device_branches.tsv"),
            encoding: .utf8
        )
        let lines = text.split(separator: "\n").filter { !$0.hasPrefix("#") }
        #expect(
            lines.first
                == "devid\tname\tfirst_listed\tlast_listed\tlegacy_branch\tlegacy_since\tsource"
        )
        return lines.dropFirst().map {
            $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        }
    }

    /// The rows derived here, independently of scripts/derive-device-branches, from the lists
    /// as gpuprobe's own reader parses them.
    static func derivedRows() throws -> [[String]] {
        var named: [UInt16: [(version: String, name: String, legacy: String?)]] = [:]
        for version in versions {
            let path = Fixtures.url("supported-gpus/supported-gpus-\(version).json.gz").path
            let chips = try SupportedGPUsList.parse(
                Array(try FakeInstallers.output(["gzip", "-dc", path]).utf8)
            )
            var seen = Set<UInt16>()
            for chip in chips where seen.insert(chip.deviceID).inserted {
                // One device is never both legacy and not within one list.
                #expect(
                    chips.filter { $0.deviceID == chip.deviceID }
                        .allSatisfy { $0.legacyBranch == chip.legacyBranch }
                )
                named[chip.deviceID, default: []].append((version, chip.name, chip.legacyBranch))
            }
        }
        return named.keys.sorted().map { id in
            let entries = named[id] ?? []
            let served = entries.filter { $0.legacy == nil }.map(\.version)
            let marked = entries.filter { $0.legacy != nil }
            let legacy = marked.last?.legacy ?? ""
            let since = marked.first { $0.legacy == legacy }?.version ?? ""
            let versions = entries.map(\.version)
            let positions = versions.compactMap { Self.versions.firstIndex(of: $0) }
            let consecutive =
                positions.count > 1
                && positions == Array(positions[0]...positions[positions.count - 1])
            let span =
                consecutive
                ? "\(versions[0])..\(versions[versions.count - 1])"
                : versions.joined(separator: ",")
            return [
                "0x" + hex(id, width: 4).uppercased(), entries.last?.name ?? "",
                served.first ?? "", served.last ?? "", legacy, since, "supported-gpus.json \(span)",
            ]
        }
    }

    @Test func theDataFileIsWhatTheEightListsSay() throws {
        #expect(Self.versions.count == 8)
        let file = try Self.tsvRows()
        let derived = try Self.derivedRows()
        #expect(file.count == derived.count)
        for (row, expected) in zip(file, derived) where row != expected {
            Issue.record("data/nvidia_device_branches.tsv has \(row), the lists give \(expected)")
        }
    }

    @Test func theCompiledInTableEqualsTheDataFile() throws {
        #expect(NvidiaDeviceBranches.lists == Self.versions)
        var fromFile: [UInt16: NvidiaDeviceBranch] = [:]
        for row in try Self.tsvRows() {
            let id = try #require(UInt16(row[0].dropFirst(2), radix: 16))
            func value(_ text: String) -> String? { text.isEmpty ? nil : text }
            fromFile[id] = NvidiaDeviceBranch(
                deviceID: id,
                firstListed: value(row[2]),
                lastListed: value(row[3]),
                legacyBranch: value(row[4]),
                legacySince: value(row[5])
            )
        }
        #expect(NvidiaDeviceBranches.table.devices == fromFile)
    }

    @Test func theCompactFormRefusesAMalformedLine() {
        #expect(NvidiaDeviceBranches.parse("L\t450.248.02\n1EB8\t0\t0\t\t\n") != nil)
        #expect(NvidiaDeviceBranches.parse("L\t450.248.02\n1EB8\t1\t0\t\t\n") == nil)
        #expect(NvidiaDeviceBranches.parse("L\t450.248.02\nXYZ\t0\t0\t\t\n") == nil)
        #expect(NvidiaDeviceBranches.parse("1EB8\t\t\t340.xx\t\n") == nil)
    }

    @Test func theListsFactsPerDevice() throws {
        let k80 = try #require(NvidiaDeviceBranches.lookup(0x102D))
        #expect(k80.legacyBranch == "470.xx" && k80.legacySince == "525.147.05")
        #expect(k80.firstListed == "450.248.02" && k80.lastListed == "470.256.02")
        #expect(k80.listedInOldest && k80.lastBranch == 470)
        // GRID K340, K1, K2: Kepler, but 367 is their last branch in every list.
        for id: UInt16 in [0x0FEF, 0x0FF2, 0x11BF] {
            let grid = try #require(NvidiaDeviceBranches.lookup(id))
            #expect(grid.legacyBranch == "367.xx" && grid.firstListed == nil)
        }
        #expect(NvidiaDeviceBranches.lookup(0x0A65)?.legacyBranch == "340.xx")  // GeForce 210
        // T4, V100-SXM2-16GB, A100-PCIE-40GB, P4: absent from 525 on, never marked legacy.
        for id: UInt16 in [0x1EB8, 0x1DF5, 0x20B1, 0x1BB3] {
            let fact = try #require(NvidiaDeviceBranches.lookup(id))
            #expect(fact.legacyBranch == nil && fact.lastBranch == nil)
            #expect(fact.lastListed == "470.256.02")
        }
        #expect(NvidiaDeviceBranches.lookup(0x20B0)?.firstListed == "450.248.02")  // A100 SXM4
        #expect(NvidiaDeviceBranches.lookup(0x2B85) == nil)  // RTX 5090: newer than 555
    }

    // MARK: - Advice for a host without a driver

    static func gpu(_ name: String, _ id: UInt16, _ arch: String?, slot: Int) -> MatchHost.GPU {
        MatchHost.GPU(
            address: PCIAddress("0000:0\(slot):00.0"),
            name: name,
            deviceID: id,
            architecture: arch
        )
    }

    static let k80 = gpu("Tesla K80", 0x102D, "Kepler", slot: 1)
    static let gridK2 = gpu("GRID K2", 0x11BF, "Kepler", slot: 2)
    static let gt218 = gpu("GeForce 210", 0x0A65, nil, slot: 3)
    static let t4 = gpu("Tesla T4", 0x1EB8, "Turing", slot: 4)
    static let a100 = gpu("NVIDIA A100-SXM4-80GB", 0x20B2, "Ampere", slot: 5)
    static let h100 = gpu("NVIDIA H100 80GB HBM3", 0x2330, "Hopper", slot: 6)
    static let rtx5090 = gpu("NVIDIA GeForce RTX 5090", 0x2B85, "Blackwell", slot: 7)

    /// What each GPU's advice is with the embedded catalog and lists, and its sentence.
    static let expectedAdvice: [(BranchAdvice, String)] = [
        (
            BranchAdvice(
                gpu: "Tesla K80 (0000:01:00.0)",
                architecture: "Kepler",
                firstBranch: nil,
                lastBranch: 470,
                confirmed: true,
                legacyBranch: "470.xx",
                firstListed: "450.248.02",
                debianPackage: "nvidia-tesla-470-driver"
            ),
            "Tesla K80 (0000:01:00.0) (Kepler) is served last by the 470 legacy branch (NVIDIA's "
                + "supported-gpus.json marks it 470.xx): install a 470 driver (Debian: "
                + "nvidia-tesla-470-driver)."
        ),
        (
            BranchAdvice(
                gpu: "GRID K2 (0000:02:00.0)",
                architecture: "Kepler",
                firstBranch: nil,
                lastBranch: 367,
                confirmed: true,
                legacyBranch: "367.xx"
            ),
            "GRID K2 (0000:02:00.0) (Kepler) is served last by the 367 legacy branch (NVIDIA's "
                + "supported-gpus.json marks it 367.xx): install NVIDIA's 367.xx driver (no "
                + "current Debian package)."
        ),
        (
            BranchAdvice(
                gpu: "GeForce 210 (0000:03:00.0)",
                architecture: nil,
                firstBranch: nil,
                lastBranch: 340,
                confirmed: true,
                legacyBranch: "340.xx"
            ),
            "GeForce 210 (0000:03:00.0) is served last by the 340 legacy branch (NVIDIA's "
                + "supported-gpus.json marks it 340.xx): install NVIDIA's 340.xx driver (no "
                + "current Debian package)."
        ),
        (
            BranchAdvice(
                gpu: "Tesla T4 (0000:04:00.0)",
                architecture: "Turing",
                firstBranch: 410,
                lastBranch: nil,
                confirmed: false,
                firstListed: "450.248.02",
                debianPackage: "nvidia-driver"
            ),
            "Tesla T4 (0000:04:00.0) (Turing) is served by driver branch 410 or later (not "
                + "confirmed by a source); NVIDIA's supported-gpus.json lists it from 450.248.02, "
                + "the oldest read: install the current driver (Debian: nvidia-driver)."
        ),
        (
            BranchAdvice(
                gpu: "NVIDIA A100-SXM4-80GB (0000:05:00.0)",
                architecture: "Ampere",
                firstBranch: 450,
                lastBranch: nil,
                confirmed: true,
                firstListed: "450.248.02",
                debianPackage: "nvidia-driver"
            ),
            "NVIDIA A100-SXM4-80GB (0000:05:00.0) (Ampere) is served by driver branch 450 or "
                + "later; NVIDIA's supported-gpus.json lists it from 450.248.02, the oldest read: "
                + "install the current driver (Debian: nvidia-driver)."
        ),
        (
            BranchAdvice(
                gpu: "NVIDIA H100 80GB HBM3 (0000:06:00.0)",
                architecture: "Hopper",
                firstBranch: 520,
                lastBranch: nil,
                confirmed: false,
                firstListed: "525.147.05",
                debianPackage: "nvidia-driver"
            ),
            "NVIDIA H100 80GB HBM3 (0000:06:00.0) (Hopper) is served by driver branch 520 or "
                + "later (not confirmed by a source); NVIDIA's supported-gpus.json lists it from "
                + "525.147.05: install the current driver (Debian: nvidia-driver)."
        ),
        (
            BranchAdvice(
                gpu: "NVIDIA GeForce RTX 5090 (0000:07:00.0)",
                architecture: "Blackwell",
                firstBranch: 570,
                lastBranch: nil,
                confirmed: false
            ),
            "NVIDIA GeForce RTX 5090 (0000:07:00.0) (Blackwell) is served by driver branch 570 "
                + "or later (not confirmed by a source): install NVIDIA's current driver (branch "
                + "570 or later)."
        ),
    ]

    @Test func aHostWithoutADriverIsToldTheBranchOfEachGPU() {
        let gpus = [Self.k80, Self.gridK2, Self.gt218, Self.t4, Self.a100, Self.h100, Self.rtx5090]
        let plan = DriverMatcher.match(
            host: MatchHost(machine: "x86_64", gpus: gpus),
            installers: [],
            catalog: .embedded
        )
        #expect(plan.status == .hostDriverMissing)
        #expect(plan.branchAdvice == Self.expectedAdvice.map(\.0))
        #expect(Array(plan.explanation.dropFirst()) == Self.expectedAdvice.map(\.1))
    }

    @Test func theMatchCommandGivesTheSameAdvice() throws {
        let work = try FakeInstallers()
        defer { work.remove() }
        // The GeForce 210 host's report (no driver), with the seven GPUs on its bus instead.
        let gpus = [Self.k80, Self.gridK2, Self.gt218, Self.t4, Self.a100, Self.h100, Self.rtx5090]
        let path = try Fixtures.editedReport(
            "x58-gt218-no-driver",
            to: work.directory,
            as: "host.json"
        ) { report in
            report["accelerators"] = gpus.map { gpu -> [String: Any] in
                [
                    "address": gpu.address?.description ?? "",
                    "architecture": gpu.architecture ?? NSNull(),
                    "chip": NSNull(), "compute_capability": NSNull(),
                    "device_id": hex(gpu.deviceID ?? 0, width: 4), "kernel_driver": NSNull(),
                    "kind": "nvidia_gpu", "name": gpu.name, "vendor_id": "10de",
                ]
            }
            var nvidia = try #require(report["nvidia"] as? [String: Any])
            nvidia["gpus"] = [Any]()
            report["nvidia"] = nvidia
        }

        let result = InProcessRun.gpuprobe(
            ["match", "--host", path, "--drivers", work.directory.path],
            cache: work.directory
        )
        #expect(result.status == .planIncomplete, "\(result.messages)")
        let plan = CommandRun.json(result.output)
        let driver = try #require(plan["driver"] as? [String: Any])
        #expect(driver["status"] as? String == "host_driver_missing")
        let advice = try #require(driver["branch_advice"] as? [[String: Any]])
        #expect(advice.count == 7)
        for (entry, expected) in zip(advice, Self.expectedAdvice.map(\.0)) {
            #expect(entry["gpu"] as? String == expected.gpu)
            #expect(entry["last_branch"] as? Int == expected.lastBranch)
            #expect(entry["first_branch"] as? Int == expected.firstBranch)
            #expect(entry["legacy_branch"] as? String == expected.legacyBranch)
            #expect(entry["first_listed"] as? String == expected.firstListed)
            #expect(entry["debian_package"] as? String == expected.debianPackage)
        }
        #expect(
            (driver["explanation"] as? [String]).map { Array($0.dropFirst()) }
                == Self.expectedAdvice.map(\.1)
        )
        #expect(
            try JSONSchemaCheck.problems(
                in: Data(result.output.utf8),
                against: "plan-v1.schema.json"
            )
                == []
        )
    }

    // MARK: - Rejections by branch range

    @Test func aK80RejectsA535InstallerNaming470() throws {
        let version = try #require(DriverVersion("535.261.03"))
        #expect(
            DriverMatcher.branchRangeReason(Self.k80, version, .embedded)
                == "Tesla K80 (0000:01:00.0) is served last by the 470 legacy branch (NVIDIA's "
                + "supported-gpus.json marks it 470.xx from 525.147.05 on); this installer is 535"
        )
        #expect(
            DriverMatcher.branchRangeReason(
                Self.k80,
                try #require(DriverVersion("470.256.02")),
                .embedded
            ) == nil
        )
    }

    @Test func aGRIDK2RejectsA470InstallerNaming367() throws {
        // Kepler as a whole ends at 470; the GRID K2 ends at 367.
        let version = try #require(DriverVersion("470.256.02"))
        #expect(
            DriverMatcher.branchRangeReason(Self.gridK2, version, .embedded)
                == "GRID K2 (0000:02:00.0) is served last by the 367 legacy branch (NVIDIA's "
                + "supported-gpus.json marks it 367.xx from 450.248.02 on); this installer is 470"
        )
    }

    @Test func anA100IsServedBy450() throws {
        // 450.248.02's own list serves A100 (0x20B0, 0x20B1, 0x20B2, 0x20F1).
        #expect(
            DriverMatcher.branchRangeReason(
                Self.a100,
                try #require(DriverVersion("450.248.02")),
                .embedded
            ) == nil
        )
        let plan = DriverMatcher.match(
            host: MatchHost(
                machine: "x86_64",
                kernelModuleVersion: DriverVersion("450.248.02"),
                gpus: [Self.a100]
            ),
            installers: [
                DriverInstaller(
                    fileName: "NVIDIA-Linux-x86_64-450.248.02.run",
                    size: 1,
                    version: "450.248.02",
                    architecture: "x86_64"
                )
            ],
            catalog: .embedded
        )
        #expect(plan.status == .exact)
    }

    @Test func aListThatServesTheDeviceOverrulesItsArchitecturesFirstBranch() throws {
        // A catalog whose Ampere range starts at 455 (the old value): the A100's device row,
        // listed by 450.248.02, keeps a 450 installer.
        var catalog = TorchCatalog.embedded
        catalog.architectureBranches = catalog.architectureBranches.map {
            var entry = $0
            if entry.architecture == "Ampere" { entry.firstBranch = 455 }
            return entry
        }
        let version = try #require(DriverVersion("450.248.02"))
        #expect(DriverMatcher.branchRangeReason(Self.a100, version, catalog) == nil)
        // A GPU no list names still follows the architecture.
        var unknown = Self.a100
        unknown.deviceID = 0x20FF
        #expect(DriverMatcher.branchRangeReason(unknown, version, catalog) != nil)
    }

    @Test func aKeplerCardNoListMarksEndsWithItsArchitectureAt470() throws {
        // GeForce GT 640 (0x0FC0): listed by 450-470, absent from 525 on, never marked legacy.
        // Its absence decides nothing; Kepler's range (last 470) does.
        let gt640 = Self.gpu("NVIDIA GeForce GT 640", 0x0FC0, "Kepler", slot: 8)
        let advice = DriverMatcher.branchAdvice([gt640], .embedded)
        #expect(
            advice == [
                BranchAdvice(
                    gpu: "NVIDIA GeForce GT 640 (0000:08:00.0)",
                    architecture: "Kepler",
                    firstBranch: nil,
                    lastBranch: 470,
                    confirmed: true,
                    firstListed: "450.248.02",
                    debianPackage: "nvidia-tesla-470-driver"
                )
            ]
        )
        #expect(
            DriverMatcher.branchRangeReason(
                gt640,
                try #require(DriverVersion("535.261.03")),
                .embedded
            )
                == "NVIDIA GeForce GT 640 (0000:08:00.0) is Kepler, served by driver branches up to "
                + "470; this installer is 535"
        )
    }

    // MARK: - The probe's not_installed diagnostic

    @Test func theProbeTellsAGeForce210HostToInstallThe340Branch() throws {
        let directory = Fixtures.url("hosts/x58-gt218-no-driver").path
        let report = HostReportBuilder.build(try CaptureBundle.read(from: directory))
        let problem = try #require(report.diagnostics.first { $0.code == .notInstalled })
        #expect(
            problem.message
                == "1 NVIDIA GPU(s) are on the PCI bus but nvidia-smi was not found; install the "
                + "driver branch that serves each GPU and reboot: GT218 [GeForce 210] "
                + "(0000:06:00.0): the 340.xx legacy branch (NVIDIA's 340.xx .run installer; no "
                + "current Debian package)."
        )
    }

    @Test func theProbeKeepsTheCurrentDriverAdviceForACurrentGPU() throws {
        let directory = Fixtures.url("hosts/laptop-mx150-no-driver").path
        let report = HostReportBuilder.build(try CaptureBundle.read(from: directory))
        let problem = try #require(report.diagnostics.first { $0.code == .notInstalled })
        #expect(
            problem.message.hasSuffix(
                "install the NVIDIA driver (for example `apt install nvidia-driver` or NVIDIA's .run installer) and reboot."
            )
        )
    }
}
