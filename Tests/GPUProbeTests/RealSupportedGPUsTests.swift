import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

/// NVIDIA's eight real supported-gpus.json lists (450.248.02 to 555.58.02), embedded in
/// installers of NVIDIA's layout and read back by the real reader, then matched.
@Suite struct RealSupportedGPUsTests {
    /// What a list says about one chip.
    enum Listed: Hashable, Sendable, CustomStringConvertible {
        /// Named without `legacybranch`, with this name (the entry the host's IDs pick).
        case supported(String)
        /// Named with this `legacybranch`.
        case legacy(String)
        /// Not named at all.
        case absent

        var description: String {
            switch self {
            case .supported(let name): "supported as \(name)"
            case .legacy(let branch): "legacy \(branch)"
            case .absent: "absent"
            }
        }
    }

    /// What one list says about one GPU, and the plan for a host that runs that very driver
    /// with only that installer in its folder (nil: not asserted, see the row).
    struct Fact: Hashable, Sendable {
        var listed: Listed
        var status: DriverPlan.Status?
    }

    static let before525 = ["450.248.02", "460.106.00", "470.256.02"]
    static let from525 = ["525.147.05", "535.261.03", "550.54.15", "550.163.01", "555.58.02"]

    /// One GPU and what each of the eight lists says about it, read by hand from the lists
    /// (`zcat Fixtures/supported-gpus/*.json.gz`), not by the code under test.
    struct Row: Sendable, CustomTestStringConvertible {
        var name: String
        var deviceID: UInt16
        var architecture: String
        var facts: [String: Fact]

        var testDescription: String { "\(name) \(DriverMatcher.deviceText(deviceID))" }

        /// The same fact in all eight lists.
        static func always(_ fact: Fact) -> [String: Fact] {
            Dictionary(uniqueKeysWithValues: (before525 + from525).map { ($0, fact) })
        }

        /// One fact in 450.248.02 to 470.256.02, another from 525.147.05 on.
        static func changesAt525(_ old: Fact, _ new: Fact) -> [String: Fact] {
            Dictionary(
                uniqueKeysWithValues: before525.map { ($0, old) } + from525.map { ($0, new) }
            )
        }
    }

    static func listed(_ name: String) -> Fact { Fact(listed: .supported(name), status: .exact) }
    static func legacy(_ branch: String) -> Fact {
        Fact(listed: .legacy(branch), status: DriverPlan.Status.none)
    }
    /// Absent, and the driver runs it all the same (NVIDIA's R525+ omission).
    static let omitted = Fact(listed: .absent, status: .exact)
    /// Absent because the chip is newer than the driver.
    static let tooNew = Fact(listed: .absent, status: DriverPlan.Status.none)

    static let rows: [Row] = [
        // Kepler: K80 is supported to R470, then legacy 470.xx; GRID K2 ended at R367.
        Row(
            name: "Tesla K80",
            deviceID: 0x102D,
            architecture: "Kepler",
            facts: Row.changesAt525(listed("Tesla K80"), legacy("470.xx"))
        ),
        Row(
            name: "GRID K2",
            deviceID: 0x11BF,
            architecture: "Kepler",
            facts: Row.always(legacy("367.xx"))
        ),
        // The GT 218 chip (GeForce 210), Tesla architecture: 340.xx in every list.
        Row(
            name: "GeForce 210",
            deviceID: 0x0A65,
            architecture: "Tesla",
            facts: Row.always(legacy("340.xx"))
        ),
        Row(
            name: "Tesla M60",
            deviceID: 0x13F2,
            architecture: "Maxwell",
            facts: Row.always(listed("Tesla M60"))
        ),
        Row(
            name: "Tesla P100-PCIE-16GB",
            deviceID: 0x15F8,
            architecture: "Pascal",
            facts: Row.always(listed("Tesla P100-PCIE-16GB"))
        ),
        Row(
            name: "Tesla P4",
            deviceID: 0x1BB3,
            architecture: "Pascal",
            facts: Row.changesAt525(listed("Tesla P4"), omitted)
        ),
        // Two device IDs carry the name V100-SXM2-16GB: 0x1DB1 stays listed, 0x1DF5 is left
        // out from 525 on.
        Row(
            name: "Tesla V100-SXM2-16GB",
            deviceID: 0x1DB1,
            architecture: "Volta",
            facts: Row.always(listed("Tesla V100-SXM2-16GB"))
        ),
        Row(
            name: "Tesla V100-SXM2-16GB",
            deviceID: 0x1DF5,
            architecture: "Volta",
            facts: Row.changesAt525(listed("Tesla V100-SXM2-16GB"), omitted)
        ),
        Row(
            name: "Tesla T4",
            deviceID: 0x1EB8,
            architecture: "Turing",
            facts: Row.changesAt525(listed("Tesla T4"), omitted)
        ),
        // Listed only as its 10DE:145F board; already supported by 450.248.02. The A100s are
        // named without "NVIDIA " in 450.248.02 and 460.106.00.
        Row(
            name: "NVIDIA A100-PCIE-40GB",
            deviceID: 0x20B1,
            architecture: "Ampere",
            facts: Row.changesAt525(listed("NVIDIA A100-PCIE-40GB"), omitted).merging(
                [
                    "450.248.02": listed("A100-PCIE-40GB"),
                    "460.106.00": listed("A100-PCIE-40GB"),
                ],
                uniquingKeysWith: { _, renamed in renamed }
            )
        ),
        Row(
            name: "NVIDIA A100-SXM4-40GB",
            deviceID: 0x20B0,
            architecture: "Ampere",
            facts: Row.always(listed("NVIDIA A100-SXM4-40GB")).merging(
                [
                    "450.248.02": listed("A100-SXM4-40GB"),
                    "460.106.00": listed("A100-SXM4-40GB"),
                ],
                uniquingKeysWith: { _, renamed in renamed }
            )
        ),
        // L40S is first listed by 535.261.03. Whether 525.147.05 drives it is not asserted:
        // no host runs that pair, and the answer is the catalog's branch range for the chip.
        Row(
            name: "NVIDIA L40S",
            deviceID: 0x26B9,
            architecture: "Ada",
            facts: Dictionary(
                uniqueKeysWithValues: ["450.248.02", "460.106.00", "470.256.02"].map {
                    ($0, tooNew)
                } + [("525.147.05", Fact(listed: .absent, status: nil))]
                    + ["535.261.03", "550.54.15", "550.163.01", "555.58.02"].map {
                        ($0, listed("NVIDIA L40S"))
                    }
            )
        ),
        Row(
            name: "NVIDIA H100 80GB HBM3",
            deviceID: 0x2330,
            architecture: "Hopper",
            facts: Row.changesAt525(tooNew, listed("NVIDIA H100 80GB HBM3"))
        ),
        // Blackwell needs R570; no list here names it.
        Row(
            name: "NVIDIA B200",
            deviceID: 0x2901,
            architecture: "Blackwell",
            facts: Row.always(tooNew)
        ),
    ]

    static func host(_ version: String, _ gpus: [MatchHost.GPU]) -> MatchHost {
        MatchHost(
            machine: "x86_64",
            kernelModuleVersion: DriverVersion(version),
            driverVersion: DriverVersion(version),
            gpus: gpus
        )
    }

    static func gpu(_ row: Row) -> MatchHost.GPU {
        MatchHost.GPU(
            address: PCIAddress("0000:01:00.0"),
            name: row.name,
            deviceID: row.deviceID,
            architecture: row.architecture
        )
    }

    static func installer(
        _ version: String,
        _ compression: FakeInstallers.Compression = .gzip
    ) throws -> DriverInstaller {
        let readBack = RealListInstallers.readBack
        return try #require(
            readBack.installer(version, compression),
            "installers not built: \(readBack.failure ?? "?")"
        )
    }

    static func listed(_ support: ChipSupport) -> Listed? {
        switch support {
        case .supported(let name): .supported(name)
        case .legacy(let branch, _): .legacy(branch)
        case .notListed: .absent
        case .unknown: nil
        }
    }

    @Test func theEightListsAreTheFixtures() {
        #expect(
            RealListInstallers.versions.sorted() == (Self.before525 + Self.from525).sorted()
        )
    }

    /// The reader keeps every entry of a real list (no two share device and subsystem IDs),
    /// from a gzip and an xz payload alike.
    @Test(arguments: RealListInstallers.versions)
    func everyListReadsBackWhole(version: String) throws {
        let expected = try Fixtures.expected(RealListInstallers.fixture(version))
        let gzip = try Self.installer(version, .gzip)
        let xz = try Self.installer(version, .xz)
        #expect(gzip.problem == nil)
        #expect(gzip.version == version)
        let chips = try #require(gzip.supportedGPUs)
        #expect(chips.count == expected["chips"] as? Int)
        #expect(
            chips.filter { $0.legacyBranch != nil }.count == expected["with_legacybranch"] as? Int
        )
        #expect(xz.problem == nil)
        #expect(xz.supportedGPUs == gzip.supportedGPUs)
    }

    @Test(arguments: rows, RealListInstallers.versions)
    func whatEachListSaysAndWhatIsMatched(row: Row, version: String) throws {
        let fact = try #require(row.facts[version])
        for compression in FakeInstallers.Compression.allCases {
            let installer = try Self.installer(version, compression)
            let support = installer.support(
                deviceID: row.deviceID,
                subsystemVendorID: nil,
                subsystemDeviceID: nil
            )
            #expect(Self.listed(support) == fact.listed, "\(compression)")

            let plan = DriverMatcher.match(
                host: Self.host(version, [Self.gpu(row)]),
                installers: [installer],
                catalog: TorchCatalog.embedded
            )
            if let status = fact.status {
                #expect(plan.status == status, "\(compression): \(plan.installers[0].reasons)")
            }
            let reasons = plan.installers[0].reasons.joined(separator: "; ")
            switch fact.listed {
            case .legacy(let branch):
                #expect(reasons.contains("served only by the \(branch) legacy branch"))
            case .absent:
                #expect(reasons.contains("not in this installer's supported-gpus.json"))
                if plan.status == .exact {
                    let device = DriverMatcher.deviceText(row.deviceID)
                    let line: String =
                        "\(row.name) (0000:01:00.0) (device \(device)) is not in "
                        + "\(installer.fileName)'s supported-gpus.json: NVIDIA's lists from R525 "
                        + "leave out"
                    #expect(plan.explanation.contains { $0.hasPrefix(line) })
                }
            case .supported:
                #expect(
                    plan.installers[0].reasons == [
                        "chosen: equals the host kernel module \(version)"
                    ]
                )
            }
        }
    }

    /// The same device ID appears once per board; the host's subsystem picks the board.
    @Test func subsystemIDsPickTheBoardInARealList() throws {
        let installer = try Self.installer("535.261.03")
        func support(_ device: UInt16, _ vendor: UInt16?, _ subsystem: UInt16?) -> ChipSupport {
            installer.support(
                deviceID: device,
                subsystemVendorID: vendor,
                subsystemDeviceID: subsystem
            )
        }
        // 0x1DB1: a generic entry and the 10DE:1307 board.
        #expect(support(0x1DB1, 0x10DE, 0x1307) == .supported(name: "Tesla V100-SXM2-16GB-LS"))
        #expect(support(0x1DB1, 0x10DE, 0x1212) == .supported(name: "Tesla V100-SXM2-16GB"))
        #expect(support(0x1DB1, nil, nil) == .supported(name: "Tesla V100-SXM2-16GB"))
        // Half a subsystem names no board.
        #expect(support(0x1DB1, 0x10DE, nil) == .supported(name: "Tesla V100-SXM2-16GB"))
        // 0x20B2 is listed only per board.
        #expect(support(0x20B2, 0x10DE, 0x1625) == .supported(name: "NVIDIA PG509-210"))
        #expect(support(0x20B2, 0x10DE, 0x147F) == .supported(name: "NVIDIA A100-SXM4-80GB"))
        // 0x1140 is listed for 346 laptop boards, all legacy 390.xx.
        #expect(
            support(0x1140, 0x1025, 0x0600) == .legacy(branch: "390.xx", name: "GeForce GT 620M")
        )
        #expect(support(0x1140, 0x1019, 0x0799) == .legacy(branch: "390.xx", name: "GeForce 820M"))
    }

    // MARK: Acceptance: the exact installer for GPUs NVIDIA's lists leave out

    @Test(arguments: [
        ("Tesla T4", UInt16(0x1EB8), "Turing", "535.261.03"),
        ("Tesla V100-SXM2-16GB", UInt16(0x1DF5), "Volta", "550.163.01"),
    ])
    func exactInstallerForAnOmittedDataCentreGPU(
        name: String,
        device: UInt16,
        architecture: String,
        version: String
    ) throws {
        for compression in FakeInstallers.Compression.allCases {
            let installer = try Self.installer(version, compression)
            #expect(
                installer.support(deviceID: device, subsystemVendorID: nil, subsystemDeviceID: nil)
                    == .notListed
            )
            let gpu = MatchHost.GPU(
                address: PCIAddress("0000:3b:00.0"),
                name: name,
                deviceID: device,
                architecture: architecture
            )
            let plan = DriverMatcher.match(
                host: Self.host(version, [gpu]),
                installers: [installer],
                catalog: TorchCatalog.embedded
            )
            #expect(plan.status == .exact)
            #expect(plan.chosen == "NVIDIA-Linux-x86_64-\(version).run")
        }
    }

    @Test func folderOfRealListInstallersPicksTheExactOneForAT4() throws {
        let installers = try ["470.256.02", "525.147.05", "535.261.03", "550.54.15"].map {
            try Self.installer($0)
        }
        let t4 = MatchHost.GPU(
            address: PCIAddress("0000:3b:00.0"),
            name: "Tesla T4",
            deviceID: 0x1EB8,
            architecture: "Turing"
        )
        let plan = DriverMatcher.match(
            host: Self.host("535.261.03", [t4, t4]),
            installers: installers,
            catalog: TorchCatalog.embedded
        )
        #expect(plan.status == .exact)
        #expect(plan.chosen == "NVIDIA-Linux-x86_64-535.261.03.run")
        #expect(plan.installers.map(\.chosen) == [false, false, true, false])
        // 470.256.02 lists the T4; the others leave it out, which is noted, not held against them.
        #expect(plan.installers[0].reasons == ["lower than the chosen 535.261.03"])
        let note =
            "not in this installer's supported-gpus.json: Tesla T4 ×2 (device 0x1EB8); NVIDIA's "
            + "lists from R525 leave out some data-centre GPUs that the driver runs (Tesla T4, "
            + "V100-SXM2-16GB, A100-PCIE-40GB, P4), so the catalog's driver branches for Turing "
            + "decide, and they admit this installer"
        #expect(plan.installers[1].reasons == ["lower than the chosen 535.261.03", note])
        #expect(
            plan.installers[2].reasons == [
                "chosen: equals the host kernel module 535.261.03", note,
            ]
        )
        #expect(
            plan.installers[3].reasons == [
                "newer than the host kernel module 535.261.03: a userspace driver above the "
                    + "kernel module never works"
            ]
        )
        #expect(
            plan.explanation == [
                "NVIDIA-Linux-x86_64-535.261.03.run equals the host kernel module 535.261.03: "
                    + "install it with --no-kernel-module and NVML will start in the container.",
                "Tesla T4 ×2 (device 0x1EB8) is not in NVIDIA-Linux-x86_64-535.261.03.run's "
                    + "supported-gpus.json: NVIDIA's lists from R525 leave out some data-centre "
                    + "GPUs that the driver runs (Tesla T4, V100-SXM2-16GB, A100-PCIE-40GB, P4), "
                    + "so the choice rests on the catalog's driver branches for Turing, not on "
                    + "the list.",
            ]
        )
    }

    // MARK: A chip no table knows, left out of the list

    /// Device 0x2901 (B200) as a host whose probe does not know its architecture sees it.
    static let unknownChip = MatchHost.GPU(
        address: PCIAddress("0000:18:00.0"),
        name: "NVIDIA device 2901",
        deviceID: 0x2901
    )

    @Test func unknownChipLeftOutKeepsTheExactInstallerWithACaution() throws {
        let plan = DriverMatcher.match(
            host: Self.host("555.58.02", [Self.unknownChip]),
            installers: [try Self.installer("555.58.02")],
            catalog: TorchCatalog.embedded
        )
        #expect(plan.status == .exact)
        #expect(
            plan.installers[0].reasons == [
                "chosen: equals the host kernel module 555.58.02",
                "not in this installer's supported-gpus.json: NVIDIA device 2901 (0000:18:00.0) "
                    + "(device 0x2901), whose architecture gpuprobe does not know, so it may be "
                    + "newer than this driver; not rejected, as NVIDIA's lists from R525 leave "
                    + "out some data-centre GPUs that the driver runs (Tesla T4, V100-SXM2-16GB, "
                    + "A100-PCIE-40GB, P4)",
            ]
        )
        let caution: String =
            "NVIDIA device 2901 (0000:18:00.0) (device 0x2901) is not in "
            + "NVIDIA-Linux-x86_64-555.58.02.run's supported-gpus.json and gpuprobe does not "
            + "know its architecture: the choice rests on the host running driver 555.58.02 "
            + "with it; if nvidia-smi on the host does not show this GPU, the chip is newer "
            + "than 555.58.02 and the host needs a newer driver."
        #expect(plan.explanation.last == caution)
    }

    @Test func unknownChipLeftOutOfALowerInstallerIsAMismatchWithACaution() throws {
        let plan = DriverMatcher.match(
            host: Self.host("555.58.02", [Self.unknownChip]),
            installers: [try Self.installer("550.163.01")],
            catalog: TorchCatalog.embedded
        )
        #expect(plan.status == .mismatch)
        #expect(plan.chosen == "NVIDIA-Linux-x86_64-550.163.01.run")
        #expect(
            plan.explanation.contains(
                "NVIDIA device 2901 (0000:18:00.0) (device 0x2901) is not in "
                    + "NVIDIA-Linux-x86_64-550.163.01.run's supported-gpus.json and gpuprobe "
                    + "does not know its architecture: the chip may be newer than 550.163.01, "
                    + "which then cannot drive it; the exact 555.58.02 is the one to use."
            )
        )
    }
}
