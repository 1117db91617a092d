import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

@Suite struct TorchCatalogTests {
    static let repository = Fixtures.root.deletingLastPathComponent()
    static let catalogPath = repository.appendingPathComponent("catalog/pytorch.json").path
    static let catalog = TorchCatalog.embedded

    // MARK: The file, the embedded copy and the schema

    /// The compiled-in values equal `catalog/pytorch.json` as `--catalog` reads it (decoded by
    /// gpuprobe's own JSON reader and validated), section by section, so that a failure names
    /// the part that differs rather than printing both catalogs.
    @Test func embeddedCatalogIsTheRepositoryFile() throws {
        let file = try TorchCatalog.load(path: Self.catalogPath)
        let embedded = TorchCatalog.embedded
        let sections: [(String, Bool)] = [
            ("schema", file.schema == embedded.schema),
            ("updated", file.updated == embedded.updated),
            ("sources", file.sources == embedded.sources),
            ("cuda_families", file.cudaFamilies == embedded.cudaFamilies),
            ("driver_branches", file.driverBranches == embedded.driverBranches),
            ("architecture_branches", file.architectureBranches == embedded.architectureBranches),
            ("releases", file.releases == embedded.releases),
            ("torch_npu", file.torchNPU == embedded.torchNPU),
            ("ascend_drivers", file.ascendDrivers == embedded.ascendDrivers),
            ("torch_pins", file.torchPins == embedded.torchPins),
        ]
        let differing = sections.filter { !$0.1 }.map(\.0)
        #expect(
            differing.isEmpty,
            "Sources/GPUProbe/Torch/EmbeddedCatalog.swift differs from catalog/pytorch.json in \(differing): run scripts/embed-catalog"
        )
        // Whatever field the model gains, not only those listed above.
        #expect(
            file == embedded,
            "Sources/GPUProbe/Torch/EmbeddedCatalog.swift differs from catalog/pytorch.json: run scripts/embed-catalog"
        )
    }

    /// The compiled-in copy is not validated when a command runs; this is where it is.
    @Test func embeddedCatalogValidates() throws {
        let embedded = TorchCatalog.embedded
        try embedded.validate(file: TorchCatalog.embeddedFileName)
        #expect(embedded.schema == TorchCatalog.currentSchema)
        #expect(embedded.updated == "2026-12-05")
    }

    /// The file is valid and the schema rejects what the loader rejects: one check-jsonschema
    /// run for both.
    @Test func fileValidatesAndTheSchemaRejectsWhatTheLoaderRejects() throws {
        let file = try Data(contentsOf: URL(fileURLWithPath: Self.catalogPath))
        var root = try #require(try JSONSerialization.jsonObject(with: file) as? [String: Any])
        var releases = try #require(root["releases"] as? [[String: Any]])
        var variants = try #require(releases[0]["variants"] as? [[String: Any]])
        var patches = try #require(releases[0]["patches"] as? [[String: Any]])
        variants[0]["name"] = "cu13 && curl x"
        variants[0]["builds"] = ["x86_64": ["sass": ["sm_90"], "ptx": []]]
        patches[0]["torch"] = "2.15.0\nRUN true"
        releases[0]["variants"] = variants
        releases[0]["patches"] = patches
        root["releases"] = releases
        let problems = try JSONSchemaCheck.validate(
            ["file": file, "broken": try JSONSerialization.data(withJSONObject: root)],
            against: "torch-catalog-v1.schema.json"
        )
        #expect(problems["file"] == [])
        #expect(problems["broken"]?.count == 3, "\(problems)")
    }

    /// Every entry cites at least one source, every key it cites is defined, and every
    /// defined source is cited somewhere.
    @Test func sourcesAreDefinedAndUsed() {
        let catalog = Self.catalog
        var cited: [[String]] = []
        cited += catalog.cudaFamilies.map(\.sources)
        cited += catalog.driverBranches.map(\.sources)
        cited += catalog.architectureBranches.map(\.sources)
        for line in catalog.releases {
            cited.append(line.sources)
            cited += line.patches.map(\.sources)
            cited += line.variants.map(\.sources)
            cited += line.pypiDefault.map { [$0.sources] } ?? []
        }
        cited += catalog.torchNPU.map(\.sources)
        cited += catalog.ascendDrivers.map(\.sources)
        cited += (catalog.torchPins ?? []).map(\.sources)
        #expect(cited.allSatisfy { !$0.isEmpty })
        let used = Set(cited.joined())
        #expect(used.subtracting(catalog.sources.keys).isEmpty)
        #expect(Set(catalog.sources.keys).subtracting(used).isEmpty)
    }

    // MARK: Facts the matcher relies on

    static func line(_ minor: String) throws -> TorchReleaseLine {
        try #require(catalog.releases.first { $0.minor == minor }, "no line \(minor)")
    }

    static func variant(_ name: String, in minor: String) throws -> TorchVariant {
        try #require(try line(minor).variants.first { $0.name == name }, "no \(name) in \(minor)")
    }

    static func version(_ text: String) -> [Int] {
        CatalogShape.numbers(text, parts: 1...4) ?? []
    }

    @Test func linesCoverEveryReleaseFrom112To215() {
        let expected =
            ["1.12", "1.13"] + (0...15).map { "2.\($0)" }
        #expect(Set(Self.catalog.releases.map(\.minor)) == Set(expected))
        #expect(Self.catalog.releases.count == expected.count)
    }

    @Test(arguments: ["2.12", "2.13", "2.14"])
    func cu126CarriesPascalAndVoltaButNotBlackwell(minor: String) throws {
        let x86 = try #require(try Self.variant("cu126", in: minor).builds["x86_64"])
        #expect(x86.sass.contains("6.0"))
        #expect(x86.sass.contains("7.0"))
        #expect(!x86.sass.contains("12.0"))
        #expect(x86.ptx.isEmpty)
    }

    @Test func cu128In27StartsAtTuringAndHasBlackwell() throws {
        let x86 = try #require(try Self.variant("cu128", in: "2.7").builds["x86_64"])
        #expect(x86.sass.first == "7.5")
        #expect(x86.sass.contains("12.0"))
        #expect(x86.ptx == ["12.0"])
    }

    @Test func everyCUDA13VariantStartsAtTuring() {
        let cuda13 = Self.catalog.releases.flatMap(\.variants).filter { $0.name.hasPrefix("cu13") }
        #expect(cuda13.count >= 10)
        for variant in cuda13 {
            #expect(variant.builds["x86_64"]?.sass.first == "7.5", "\(variant.name)")
            for targets in variant.builds.values {
                let lowest = (targets.sass + targets.ptx).map(Self.version).min { a, b in
                    a.lexicographicallyPrecedes(b)
                }
                #expect(!(lowest ?? [99]).lexicographicallyPrecedes([7, 5]), "\(variant.name)")
            }
        }
    }

    /// The cu132 index has no torchaudio for 2.12-2.14 (pytorch #193651); 2.15's torchaudio
    /// 2.11.1 is itself a +cu132 build.
    @Test func cu132HasTorchaudioOnlyFor215() {
        let cu132 = Self.catalog.releases.compactMap { line in
            line.variants.first { $0.name == "cu132" }.map { (line.minor, $0.torchaudio) }
        }
        #expect(cu132.map(\.0) == ["2.15", "2.14", "2.13", "2.12"])
        #expect(cu132.filter(\.1).map(\.0) == ["2.15"])
    }

    /// torchaudio 2.11.0 is the last release paired with a new torch until 2.11.1, uploaded
    /// with torch 2.15.0.
    @Test func torchaudioAfter211() throws {
        for minor in ["2.11", "2.12", "2.13", "2.14"] {
            #expect(
                try Self.line(minor).patches.allSatisfy { $0.torchaudio == "2.11.0" },
                "\(minor)"
            )
        }
        #expect(try Self.line("2.15").patches.map(\.torchaudio) == ["2.11.1"])
    }

    /// PyPI, 2026-12-05: torchvision 0.29.2 and torchaudio 2.11.1 came with torch 2.15.0
    /// (cp311-cp315 wheels, CUDA 13.2 on both machines, no PTX).
    @Test func release215AsPublished() throws {
        let line = try Self.line("2.15")
        let patch = try #require(line.patches.first)
        #expect(line.patches.count == 1)
        #expect(patch.torch == "2.15.0" && patch.torchvision == "0.29.2")
        #expect(patch.torchaudio == "2.11.1" && patch.confirmed)
        #expect(line.python == PythonRange(min: "3.11", max: "3.15"))
        #expect(line.variants.map(\.name) == ["cu130", "cu132", "cpu"])
        let cu132 = try Self.variant("cu132", in: "2.15")
        #expect(cu132.confirmed && cu132.torchaudio)
        #expect(cu132.builds["x86_64"]?.sass == ["7.5", "8.0", "8.6", "9.0", "10.0", "12.0"])
        #expect(cu132.builds["aarch64"]?.sass == ["8.0", "9.0", "10.0", "11.0", "12.0"])
        // The index builds' PTX was not read: none is claimed.
        #expect(cu132.builds.values.allSatisfy { $0.ptx.isEmpty })
        #expect(try !Self.variant("cu130", in: "2.15").confirmed)
    }

    @Test func torchvisionOf2141Is0291() throws {
        let patch = try #require(try Self.line("2.14").patches.first { $0.torch == "2.14.1" })
        #expect(patch.torchvision == "0.29.1")
        #expect(patch.confirmed)
    }

    /// torchvision 0.26.0 to 0.29.2 declare `Requires-Python: !=3.14.1`; earlier ones do not.
    @Test func torchvisionFrom026ExcludesPython3141() {
        for line in Self.catalog.releases {
            for patch in line.patches {
                let from026 = Self.version(patch.torchvision ?? "0").lexicographicallyPrecedes(
                    [0, 26]
                )
                #expect(
                    patch.excludedPython == (from026 ? nil : ["3.14.1"]),
                    "\(patch.torch)"
                )
            }
        }
    }

    /// PyPI's 1.12.1 (the cu102 build) has sm_37 sm_50 sm_60 sm_70: no Kepler K20/K40 (sm_35).
    @Test func cu102Of112HasNoSM35() throws {
        let cu102 = try Self.variant("cu102", in: "1.12")
        #expect(cu102.builds["x86_64"]?.sass == ["3.7", "5.0", "6.0", "7.0"])
        #expect(cu102.confirmed)
    }

    /// Where a line's PyPI wheel is a variant's build, the variant's SASS is the PyPI wheel's
    /// (its twin); only PTX may differ (PyPI's CUDA 13 wheels dropped it, the index cu130
    /// builds of 2.12-2.14 carry 12.0+PTX per RELEASE.md).
    @Test func indexBuildsAgreeWithTheirPyPITwinsOnSASS() throws {
        for line in Self.catalog.releases {
            let pypi = try #require(line.pypiDefault, "\(line.minor)")
            let variant = try Self.variant(pypi.variant, in: line.minor)
            for (machine, build) in pypi.builds ?? [:] where build.variant == pypi.variant {
                guard let index = variant.builds[machine] else { continue }
                #expect(index.sass == build.sass, "\(line.minor) \(machine)")
                #expect(
                    variant.sources.contains("pypi-wheels-2026-12-05"),
                    "\(line.minor) \(pypi.variant)"
                )
            }
        }
        for minor in ["2.12", "2.13", "2.14"] {
            #expect(try Self.variant("cu130", in: minor).builds["x86_64"]?.ptx == ["12.0"])
        }
        // 2.4's cu121 list is confirmed by its PyPI twin, 2.4.1.
        #expect(try Self.variant("cu121", in: "2.4").confirmed)
    }

    @Test func release27IsTheLastWithCu118() {
        let withCu118 = Self.catalog.releases.filter { $0.variants.contains { $0.name == "cu118" } }
        let newest = withCu118.map { Self.version($0.minor) }.max { a, b in
            a.lexicographicallyPrecedes(b)
        }
        #expect(newest == [2, 7])
    }

    /// PyPI's own wheel per release (torch-cuda.md §1): CUDA 13.0 from 2.11, which needs
    /// driver 580; 13.2 for 2.15 per its wheel's requirements; the uncited ones unconfirmed.
    @Test func pypiDefaults() throws {
        let expected: [(String, String, Bool)] = [
            ("2.0", "cu117", true), ("2.2", "cu121", true), ("2.4", "cu121", true),
            ("2.5", "cu124", true), ("2.6", "cu124", true), ("2.7", "cu126", true),
            ("2.8", "cu128", true), ("2.9", "cu128", true), ("2.10", "cu128", true),
            ("2.11", "cu130", true), ("2.12", "cu130", true), ("2.13", "cu130", true),
            ("2.14", "cu130", true), ("2.15", "cu132", true),
        ]
        for (minor, variant, confirmed) in expected {
            let pypi = try #require(try Self.line(minor).pypiDefault, "\(minor)")
            #expect(pypi.variant == variant && pypi.confirmed == confirmed, "\(minor)")
        }
        #expect(Self.catalog.releases.allSatisfy { $0.pypiDefault != nil })
        // PyPI's wheels, read 2026-12-05: the x86_64 wheel is the line's default variant, the
        // aarch64 wheel a CPU build up to 2.10, and no CUDA 13 wheel carries PTX.
        for line in Self.catalog.releases {
            let builds = try #require(line.pypiDefault?.builds, "\(line.minor)")
            #expect(builds["x86_64"]?.variant == line.pypiDefault?.variant, "\(line.minor)")
            if line.pypiDefault?.variant.hasPrefix("cu13") == true {
                #expect(builds.values.allSatisfy { $0.ptx.isEmpty }, "\(line.minor)")
            }
        }
        #expect(try Self.line("2.10").pypiDefault?.builds?["aarch64"]?.variant == "cpu")
        #expect(try Self.line("2.11").pypiDefault?.builds?["aarch64"]?.variant == "cu130")
        #expect(
            try Self.line("1.12").pypiDefault?.builds?["x86_64"]?.sass == [
                "3.7", "5.0", "6.0", "7.0",
            ]
        )
    }

    @Test func pythonRanges() throws {
        #expect(try Self.line("2.8").python == PythonRange(min: "3.9", max: "3.13"))
        for line in Self.catalog.releases
        where !Self.version(line.minor).lexicographicallyPrecedes([2, 9]) {
            if let python = line.python, line.minor != "2.15" {
                #expect(python.min == "3.10", "\(line.minor)")
            }
        }
        // PyPI has no cp315 wheel of 2.13 or 2.14 (3.15 was experimental, index only).
        #expect(try Self.line("2.13").python == PythonRange(min: "3.10", max: "3.14"))
        #expect(try Self.line("2.14").python == PythonRange(min: "3.10", max: "3.14"))
        #expect(try Self.line("2.15").python == PythonRange(min: "3.11", max: "3.15"))
    }

    @Test func cu129IsUnadvertisedFrom29To213() throws {
        for minor in ["2.9", "2.10", "2.11", "2.12", "2.13"] {
            let cu129 = try Self.variant("cu129", in: minor)
            #expect(!cu129.advertised && !cu129.confirmed, "\(minor)")
        }
        #expect(try Self.variant("cu129", in: "2.12").patches == ["2.12.1"])
        #expect(try Self.variant("cu129", in: "2.8").advertised)
        #expect(try !Self.line("2.14").variants.contains { $0.name == "cu129" })
    }

    @Test func everyLineHasCPUWheelsForBothMachines() {
        for line in Self.catalog.releases {
            let cpu = line.variants.first { $0.name == "cpu" }
            #expect(cpu?.cuda == nil, "\(line.minor)")
            #expect(
                Set(cpu?.builds.keys.map { $0 } ?? []) == ["x86_64", "aarch64"],
                "\(line.minor)"
            )
        }
    }

    @Test func cudaFamilyFloors() {
        let floors = Dictionary(
            uniqueKeysWithValues: Self.catalog.cudaFamilies.map { ($0.major, $0.minDriver) }
        )
        #expect(floors == [11: "450.80.02", 12: "525.60.13", 13: "580"])
    }

    @Test func driverBranchesFromTheTable() {
        let branches = Dictionary(
            uniqueKeysWithValues: Self.catalog.driverBranches.map { ($0.branch, $0) }
        )
        #expect(branches.count == 23)
        #expect(branches[570]?.cuda == "12.8" && branches[570]?.confirmed == true)
        #expect(branches[565]?.cuda == "12.7")
        #expect(branches[545]?.confirmed == false)
        #expect(branches[610]?.cuda == "13.3")
    }

    @Test func architectureNamesAreTheHostReportsNames() {
        let names = Set(
            ["3.7", "5.0", "6.1", "7.0", "7.5", "8.0", "8.9", "9.0", "12.0"].compactMap(
                NvidiaChips.architecture(computeCapability:)
            )
        )
        let entries = Dictionary(
            uniqueKeysWithValues: Self.catalog.architectureBranches.map { ($0.architecture, $0) }
        )
        #expect(Set(entries.keys) == names)
        #expect(entries["Kepler"]?.lastBranch == 470)
        for name in ["Maxwell", "Pascal", "Volta"] {
            #expect(entries[name]?.lastBranch == 580 && entries[name]?.confirmed == true)
        }
        #expect(entries["Blackwell"]?.firstBranch == 570)
        #expect(entries["Blackwell"]?.lastBranch == nil)
    }

    /// What each torch_npu wheel on PyPI requires of torch (catalog/pypi-torch-npu.tsv, read
    /// from the wheels' METADATA on 2026-12-06).
    @Test func torchNPUWheelsRequirePerMachine() throws {
        let rows = Dictionary(
            TorchCatalog.embedded.torchNPU.map { ($0.torchNPU, $0) },
            uniquingKeysWith: { first, _ in first }
        )
        let v251 = try #require(rows["2.5.1"])
        #expect(v251.torchRequirement(machine: "x86_64") == "==2.5.1+cpu")
        #expect(v251.torchRequirement(machine: "aarch64") == "==2.5.1")
        #expect(v251.requiresIndexBuild(machine: "x86_64"))
        #expect(!v251.requiresIndexBuild(machine: "aarch64"))
        // From 2.12.0 both machines take PyPI's own torch.
        let v2120 = try #require(rows["2.12.0"])
        #expect(v2120.torchRequirement(machine: "x86_64") == "==2.12.0")
        #expect(!v2120.requiresIndexBuild(machine: "x86_64"))
        // 2.2.0 declares nothing; 2.1.0.post4 has no wheel on PyPI; 2.1.0.rc1 is PyPI's 2.1.0rc1.
        #expect(rows["2.2.0"]?.onPyPI == true)
        #expect(rows["2.2.0"]?.torchRequirement(machine: "x86_64") == nil)
        #expect(rows["2.1.0.post4"]?.onPyPI == false)
        #expect(rows["2.1.0.rc1"]?.onPyPI == true)
        #expect(rows["2.9.0.post6"]?.wheels?["x86_64"]?.extras?["pyyaml"] == ["pyyaml"])
        // Every row has been read: the x86_64 +cpu pins are exactly 2.1.0.post6 to 2.11.0.post2.
        for row in TorchCatalog.embedded.torchNPU {
            let wheels = try #require(row.wheels, "\(row.torchNPU)")
            guard !wheels.isEmpty else { continue }
            let cpu = row.requiresIndexBuild(machine: "x86_64")
            let numbers = row.torch.split(separator: ".").compactMap { Int($0) }
            let declares = row.torchRequirement(machine: "x86_64") != nil
            let before212 = numbers.lexicographicallyPrecedes([2, 12])
            #expect(cpu == (declares && before212), "\(row.torchNPU)")
            #expect(!row.requiresIndexBuild(machine: "aarch64"), "\(row.torchNPU)")
        }
    }

    /// Ascend/pytorch COMPATIBILITY.en.md (b48e6481 and its newest revision).
    @Test func torchNPUPairings() {
        let rows = Self.catalog.torchNPU
        func npu(_ cann: String) -> [String] {
            rows.filter { $0.cann == cann }.map(\.torchNPU)
        }
        #expect(rows.count == 48 && rows.allSatisfy(\.confirmed))
        #expect(
            npu("9.1.1") == [
                "2.12.0.post2", "2.11.0.post2", "2.10.0.post6", "2.9.0.post8", "2.7.1.post10",
            ]
        )
        #expect(npu("9.1.0") == ["2.12.0", "2.11.0", "2.10.0.post4", "2.9.0.post6", "2.7.1.post8"])
        #expect(npu("9.0.0") == ["2.10.0", "2.9.0.post2", "2.8.0.post4", "2.7.1.post4"])
        #expect(npu("8.0.0") == ["2.4.0.post2", "2.3.1.post4", "2.1.0.post10"])
        #expect(npu("8.0.RC3") == ["2.4.0", "2.3.1.post2", "2.1.0.post8"])
        // Not post3, as the README at 006ca00 had it.
        #expect(npu("8.0.RC1") == ["2.2.0", "2.1.0.post4", "1.11.0.post11"])
        // The 2026-10-15 PyPI batch is in no official table.
        #expect(!rows.contains { $0.torchNPU == "2.14.0" || $0.torchNPU == "2.13.0" })
        #expect(
            rows.filter { $0.sources == ["ascend-readme", "pypi-torch-npu-wheels"] }.count == 12
        )
        // Driver ↔ CANN rows: AscendPairingTests.
        #expect(Self.catalog.ascendDrivers.count == 28)
    }

    // MARK: The issue's expected picks

    /// A sketch of the matcher's rule, only to show the data makes the issue's outcomes
    /// possible (the matcher itself lives in `Match/`): the newest patch that has a
    /// torchvision, with an advertised x86_64 variant that the driver's CUDA family admits,
    /// with SASS for the GPU (same major, minor at or below) or PTX at or below it (when the
    /// variant's CUDA is not newer than the driver's), and the requested Python; among those
    /// the highest CUDA not above the driver's, else the lowest above it.
    static func pick(gpu: String, driver: String, python: String?) throws -> String? {
        let driverVersion = try #require(DriverVersion(driver))
        let native = try #require(
            catalog.driverBranches.first { $0.branch == driverVersion.branch }
        ).cuda
        let cc = version(gpu)
        let lines = catalog.releases.sorted {
            version($1.minor).lexicographicallyPrecedes(version($0.minor))
        }
        for line in lines {
            if let python {
                guard let range = line.python,
                    !version(python).lexicographicallyPrecedes(version(range.min)),
                    !version(range.max).lexicographicallyPrecedes(version(python))
                else { continue }
            }
            for patch in line.patches.reversed() where patch.torchvision != nil {
                let fits = line.variants.filter { variant in
                    guard let cuda = variant.cuda, variant.advertised,
                        variant.patches?.contains(patch.torch) ?? true,
                        let family = catalog.cudaFamilies.first(where: {
                            $0.major == version(cuda)[0]
                        }),
                        family.admits(driverVersion),
                        let build = variant.builds["x86_64"]
                    else { return false }
                    let sass = build.sass.map(version).contains { $0[0] == cc[0] && $0[1] <= cc[1] }
                    let jit =
                        !version(native).lexicographicallyPrecedes(version(cuda))
                        && build.ptx.map(version).contains { !cc.lexicographicallyPrecedes($0) }
                    return sass || jit
                }
                let nativeParts = version(native)
                let below = fits.filter {
                    !nativeParts.lexicographicallyPrecedes(version($0.cuda ?? ""))
                }
                let chosen =
                    below.max {
                        version($0.cuda ?? "").lexicographicallyPrecedes(version($1.cuda ?? ""))
                    }
                    ?? fits.min {
                        version($0.cuda ?? "").lexicographicallyPrecedes(version($1.cuda ?? ""))
                    }
                if let chosen { return "\(patch.torch)+\(chosen.name)" }
            }
        }
        return nil
    }

    // Blackwell on R570 and R580, Pascal on R580, Volta on R570, Ampere on 535, Turing on
    // R470, an H100 on a CUDA 13 driver for Python 3.9, an H200 on R610 for Python 3.12 and
    // an A10 on 535 for Python 3.8. (The sketch ignores `confirmed`; the matcher prefers
    // confirmed wheels, so on R580 it picks 2.15.0's cu132, not the RFC-only cu130.)
    @Test(
        arguments: [
            ("12.0", "570.133.20", nil, "2.11.0+cu128"),
            ("12.0", "580.95.05", nil, "2.15.0+cu130"),
            ("6.1", "580.95.05", nil, "2.14.1+cu126"),
            ("7.0", "570.133.20", nil, "2.14.1+cu126"),
            ("8.6", "535.183.01", nil, "2.14.1+cu126"),
            ("9.0", "610.57.04", "3.12", "2.15.0+cu132"),
            ("8.6", "535.183.01", "3.8", "2.4.1+cu121"),
            ("7.5", "470.256.02", nil, "2.7.1+cu118"),
            ("9.0", "580.95.05", "3.9", "2.8.0+cu129"),
        ] as [(String, String, String?, String)]
    )
    func issueOutcomesArePossible(gpu: String, driver: String, python: String?, pick: String)
        throws
    {
        #expect(try Self.pick(gpu: gpu, driver: driver, python: python) == pick)
    }

    @Test(
        arguments: [
            ("580", "580.65.06", true), ("580", "575.64.03", false), ("580", "580", true),
            ("525.60.13", "525.60.13", true), ("525.60.13", "525.60.12", false),
            ("525.60.13", "535.54.03", true), ("450.80.02", "450.80", false),
            ("580.x", "600.1", false),
        ]
    )
    func familyAdmitsDriver(floor: String, driver: String, admits: Bool) throws {
        let family = CUDAFamily(major: 13, minDriver: floor, sources: [])
        let version = try #require(DriverVersion(driver.contains(".") ? driver : driver + ".0"))
        #expect(family.admits(version) == admits)
    }
}
