import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

/// A small catalog broken one way, and the error that must say so.
struct BadCatalog: Sendable, CustomTestStringConvertible {
    let name: String
    let change: @Sendable (inout TorchCatalog) -> Void
    let error: CatalogError

    var testDescription: String { name }

    init(
        _ name: String,
        _ entry: String,
        _ problem: CatalogProblem,
        _ change: @escaping @Sendable (inout TorchCatalog) -> Void
    ) {
        self.name = name
        self.change = change
        error = .invalid(file: TorchCatalogValidationTests.file, entry: entry, problem: problem)
    }

    init(
        _ name: String,
        error: CatalogError,
        _ change: @escaping @Sendable (inout TorchCatalog) -> Void
    ) {
        self.name = name
        self.change = change
        self.error = error
    }
}

@Suite struct TorchCatalogValidationTests {
    static let file = "small.json"

    /// One line, two patches, a `cu` variant limited to one patch, cpu and ROCm.
    static let smallJSON = """
        {
          "schema": "gpuprobe/torch-catalog/v1",
          "updated": "2026-11-23",
          "sources": {"s": "a source"},
          "cuda_families": [{"major": 12, "min_driver": "525.60.13", "sources": ["s"]}],
          "driver_branches": [{"branch": 570, "cuda": "12.8", "confirmed": true, "sources": ["s"]}],
          "architecture_branches": [
            {"architecture": "Pascal", "first_branch": null, "last_branch": 580,
             "confirmed": true, "sources": ["s"]}
          ],
          "releases": [
            {
              "minor": "2.7",
              "python": {"min": "3.9", "max": "3.13"},
              "patches": [
                {"torch": "2.7.0", "torchvision": "0.22.0", "torchaudio": "2.7.0",
                 "confirmed": true, "sources": ["s"]},
                {"torch": "2.7.1", "torchvision": "0.22.1", "torchaudio": "2.7.1",
                 "confirmed": true, "sources": ["s"]}
              ],
              "variants": [
                {"name": "cu128", "cuda": "12.8",
                 "builds": {"x86_64": {"sass": ["7.5", "12.0"], "ptx": ["12.0"]}},
                 "advertised": true, "torchaudio": true, "patches": ["2.7.1"],
                 "confirmed": true, "sources": ["s"]},
                {"name": "cpu", "cuda": null, "builds": {"x86_64": {"sass": [], "ptx": []}},
                 "advertised": true, "torchaudio": true, "confirmed": true, "sources": ["s"]},
                {"name": "rocm6.3", "cuda": null, "builds": {}, "advertised": true,
                 "torchaudio": true, "confirmed": true, "sources": ["s"]}
              ],
              "confirmed": true,
              "sources": ["s"]
            }
          ],
          "torch_npu": [
            {"torch_npu": "2.7.1.post8", "torch": "2.7.1", "cann": "9.1.0",
             "ascend_extension": "26.1.0", "confirmed": false, "sources": ["s"]}
          ],
          "ascend_drivers": [
            {"driver_prefix": "25.3", "cann": ["8.3.RC1"], "confirmed": false, "sources": ["s"]}
          ]
        }
        """

    static func small() throws -> TorchCatalog {
        try TorchCatalog.decode(Array(smallJSON.utf8), file: file)
    }

    @Test func smallCatalogIsValid() throws {
        let catalog = try Self.small()
        #expect(catalog.releases[0].variants[0].patches == ["2.7.1"])
        #expect(catalog.releases[0].variants[1].patches == nil)
        #expect(catalog.releases[0].note == nil)
    }

    static let release = "release 2.7"
    static let cu128 = "release 2.7, variant 'cu128'"

    static let badCatalogs: [BadCatalog] =
        [
            BadCatalog(
                "another schema",
                error: .unsupportedSchema(file: file, schema: "gpuprobe/torch-catalog/v2")
            ) { $0.schema = "gpuprobe/torch-catalog/v2" },
            BadCatalog(
                "updated not a date",
                "updated",
                .badValue(field: "updated", value: "23.11.2026", example: "2026-11-23")
            ) { $0.updated = "23.11.2026" },
            BadCatalog(
                "min_driver not a version",
                "cuda family 12",
                .badValue(field: "min_driver", value: "525.60.13a", example: "580")
            ) { $0.cudaFamilies[0].minDriver = "525.60.13a" },
            BadCatalog("CUDA family twice", "cuda_families", .duplicate("12")) {
                $0.cudaFamilies.append($0.cudaFamilies[0])
            },
            BadCatalog(
                "branch CUDA without minor",
                "driver branch 570",
                .badValue(field: "cuda", value: "12", example: "12.8")
            ) { $0.driverBranches[0].cuda = "12" },
            BadCatalog("driver branch twice", "driver_branches", .duplicate("570")) {
                $0.driverBranches.append($0.driverBranches[0])
            },
            BadCatalog("architecture twice", "architecture_branches", .duplicate("Pascal")) {
                $0.architectureBranches.append($0.architectureBranches[0])
            },
            BadCatalog(
                "line not X.Y",
                "release '2.x'",
                .badValue(field: "minor", value: "2.x", example: "2.7")
            ) { $0.releases[0].minor = "2.x" },
            BadCatalog(
                "python not X.Y",
                release,
                .badValue(field: "python min", value: "3", example: "3.10")
            ) { $0.releases[0].python?.min = "3" },
            BadCatalog(
                "python range inverted",
                release,
                .pythonRangeInverted(min: "3.13", max: "3.9")
            ) { $0.releases[0].python = PythonRange(min: "3.13", max: "3.9") },
            BadCatalog("line without patches", release, .noPatches) { $0.releases[0].patches = [] },
            BadCatalog(
                "torch version with a shell command",
                "release 2.7, patch '2.7.0 && curl x | sh'",
                .badValue(field: "torch", value: "2.7.0 && curl x | sh", example: "2.7.0")
            ) { $0.releases[0].patches[0].torch = "2.7.0 && curl x | sh" },
            BadCatalog(
                "torch version with a newline",
                "release 2.7, patch '2.7.0\\u{a}RUN true'",
                .badValue(field: "torch", value: "2.7.0\nRUN true", example: "2.7.0")
            ) { $0.releases[0].patches[0].torch = "2.7.0\nRUN true" },
            BadCatalog(
                "torch version with Unicode digits",
                "release 2.7, patch '2.7.\\u{661}'",
                .badValue(field: "torch", value: "2.7.\u{661}", example: "2.7.0")
            ) { $0.releases[0].patches[0].torch = "2.7.\u{661}" },
            BadCatalog(
                "patch outside its line",
                "release 2.7, patch '2.8.0'",
                .patchOutsideLine(patch: "2.8.0", line: "2.7")
            ) { $0.releases[0].patches[0].torch = "2.8.0" },
            BadCatalog(
                "torchvision not X.Y.Z",
                "release 2.7, patch '2.7.0'",
                .badValue(field: "torchvision", value: "0.22", example: "0.22.1")
            ) { $0.releases[0].patches[0].torchvision = "0.22" },
            BadCatalog(
                "torchaudio with a pip option",
                "release 2.7, patch '2.7.0'",
                .badValue(field: "torchaudio", value: "2.7.0 --pre", example: "2.7.1")
            ) { $0.releases[0].patches[0].torchaudio = "2.7.0 --pre" },
            BadCatalog(
                "excluded Python not a whole release",
                "release 2.7, patch '2.7.0'",
                .badValue(field: "excluded_python", value: "3.14", example: "3.14.1")
            ) { $0.releases[0].patches[0].excludedPython = ["3.14.1", "3.14"] },
            BadCatalog(
                "excluded Python with a pip option",
                "release 2.7, patch '2.7.0'",
                .badValue(field: "excluded_python", value: "3.14.1 --pre", example: "3.14.1")
            ) { $0.releases[0].patches[0].excludedPython = ["3.14.1 --pre"] },
            BadCatalog("patch twice", "release 2.7, patches", .duplicate("2.7.1")) {
                $0.releases[0].patches[0].torch = "2.7.1"
            },
            BadCatalog("line twice", "releases", .duplicate("2.7")) {
                $0.releases.append($0.releases[0])
            },
            BadCatalog("variant twice", "release 2.7, variants", .duplicate("cpu")) {
                $0.releases[0].variants.append($0.releases[0].variants[1])
            },
            BadCatalog("cu without CUDA", cu128, .missingCUDA(variant: "cu128")) {
                $0.releases[0].variants[0].cuda = nil
            },
            BadCatalog(
                "CUDA disagrees with the name",
                cu128,
                .cudaMismatch(variant: "cu128", cuda: "12.6")
            ) { $0.releases[0].variants[0].cuda = "12.6" },
            BadCatalog(
                "CUDA written with a leading zero",
                cu128,
                .cudaMismatch(variant: "cu128", cuda: "12.08")
            ) { $0.releases[0].variants[0].cuda = "12.08" },
            BadCatalog(
                "cpu with CUDA",
                "release 2.7, variant 'cpu'",
                .cudaMismatch(variant: "cpu", cuda: "12.8")
            ) { $0.releases[0].variants[1].cuda = "12.8" },
            BadCatalog(
                "SASS not X.Y",
                "release 2.7, variant 'cu128', x86_64",
                .badComputeCapability("7.5a")
            ) { $0.releases[0].variants[0].builds["x86_64"]?.sass.append("7.5a") },
            BadCatalog(
                "PTX as sm_ name",
                "release 2.7, variant 'cu128', x86_64",
                .badComputeCapability("sm_120")
            ) { $0.releases[0].variants[0].builds["x86_64"]?.ptx = ["sm_120"] },
            BadCatalog("machine not uname -m", cu128, .unknownMachine("arm64")) {
                $0.releases[0].variants[0].builds["arm64"] = KernelTargets(sass: ["8.0"], ptx: [])
            },
            BadCatalog("patches names an unknown patch", cu128, .unknownPatch("2.7.2")) {
                $0.releases[0].variants[0].patches = ["2.7.1", "2.7.2"]
            },
            BadCatalog("patches empty", cu128, .emptyPatchList) {
                $0.releases[0].variants[0].patches = []
            },
            BadCatalog("variant cites an unknown source", cu128, .unknownSource("nope")) {
                $0.releases[0].variants[0].sources = ["s", "nope"]
            },
            BadCatalog("line cites an unknown source", release, .unknownSource("x")) {
                $0.releases[0].sources = ["x"]
            },
            BadCatalog(
                "PyPI default not one of the line's variants",
                "release 2.7, pypi_default",
                .unknownVariant("cu124")
            ) {
                $0.releases[0].pypiDefault = PyPIDefault(
                    variant: "cu124",
                    confirmed: true,
                    sources: ["s"]
                )
            },
            BadCatalog(
                "PyPI default cites an unknown source",
                "release 2.7, pypi_default",
                .unknownSource("y")
            ) {
                $0.releases[0].pypiDefault = PyPIDefault(
                    variant: "cu128",
                    confirmed: true,
                    sources: ["y"]
                )
            },
            BadCatalog(
                "patch cites an unknown source",
                "release 2.7, patch '2.7.1'",
                .unknownSource("t")
            ) { $0.releases[0].patches[1].sources = ["t"] },
            BadCatalog(
                "torch_npu for another torch",
                "torch_npu '2.7.1.post8'",
                .torchNPUMismatch(torchNPU: "2.7.1.post8", torch: "2.7.0")
            ) { $0.torchNPU[0].torch = "2.7.0" },
            BadCatalog(
                "CANN with a lower-case rc",
                "torch_npu '2.7.1.post8'",
                .badValue(field: "cann", value: "8.0.rc2", example: "8.0.RC2 or 9.1.0")
            ) { $0.torchNPU[0].cann = "8.0.rc2" },
            BadCatalog(
                "Ascend driver prefix with a patch build",
                "ascend driver '25.3.rc1.1'",
                .badValue(field: "driver_prefix", value: "25.3.rc1.1", example: "24.1.rc2 or 25.5")
            ) { $0.ascendDrivers[0].driverPrefix = "25.3.rc1.1" },
            BadCatalog(
                "Ascend driver prefix in upper case",
                "ascend driver '25.3.RC1'",
                .badValue(field: "driver_prefix", value: "25.3.RC1", example: "24.1.rc2 or 25.5")
            ) { $0.ascendDrivers[0].driverPrefix = "25.3.RC1" },
            BadCatalog(
                "Ascend chip family unknown",
                "ascend driver '25.3'",
                .badValue(field: "chips", value: "910", example: "910B, 310P, A3 or 310B")
            ) { $0.ascendDrivers[0].chips = ["910"] },
            BadCatalog(
                "Ascend driver without CANN",
                "ascend driver '25.3'",
                .badValue(field: "cann", value: "[]", example: "[\"8.1.RC1\"]")
            ) { $0.ascendDrivers[0].cann = [] },
            BadCatalog(
                "Ascend driver listed twice",
                "ascend_drivers",
                .duplicate("25.3  paired unconfirmed")
            ) { $0.ascendDrivers.append($0.ascendDrivers[0]) },
            BadCatalog(
                "torch_npu wheel pins another torch",
                "torch_npu '2.7.1.post8', wheels, x86_64",
                .badValue(
                    field: "torch",
                    value: "==2.7.0+cpu",
                    example: "==2.7.1 or ==2.7.1+cpu"
                )
            ) { $0.torchNPU[0].wheels = ["x86_64": TorchNPUWheel(torch: "==2.7.0+cpu")] },
            BadCatalog(
                "torch_npu wheel pin with a space and a shell word",
                "torch_npu '2.7.1.post8', wheels, aarch64",
                .badValue(
                    field: "torch",
                    value: "==2.7.1+cpu;rm",
                    example: "==2.7.1 or ==2.7.1+cpu"
                )
            ) { $0.torchNPU[0].wheels = ["aarch64": TorchNPUWheel(torch: "==2.7.1+cpu;rm")] },
            BadCatalog(
                "torch_npu wheel for an unknown machine",
                "torch_npu '2.7.1.post8', wheels",
                .unknownMachine("arm64")
            ) { $0.torchNPU[0].wheels = ["arm64": TorchNPUWheel(torch: "==2.7.1")] },
            BadCatalog(
                "torch_npu wheel requirement with a marker",
                "torch_npu '2.7.1.post8', wheels, x86_64",
                .badValue(
                    field: "requires",
                    value: "numpy; python_version<'3.11'",
                    example: "numpy or pyyaml>=5.1"
                )
            ) {
                $0.torchNPU[0].wheels = [
                    "x86_64": TorchNPUWheel(
                        torch: "==2.7.1",
                        requires: ["numpy; python_version<'3.11'"]
                    )
                ]
            },
            BadCatalog(
                "torch_npu Python range inverted",
                "torch_npu '2.7.1.post8'",
                .pythonRangeInverted(min: "3.13", max: "3.9")
            ) { $0.torchNPU[0].python = PythonRange(min: "3.13", max: "3.9") },
        ]
        + ["cu12.8", "cu1280", "cu028", "cu8", "CPU", "rocm", "rocm6.", "rocm6.3 ", "cuda128"].map {
            name in
            BadCatalog(
                "variant name \(name)",
                "release 2.7, variant \(CatalogText.quoted(name))",
                .badVariantName(name)
            ) { $0.releases[0].variants[1].name = name }
        }

    @Test(arguments: badCatalogs)
    func rejects(_ bad: BadCatalog) throws {
        var catalog = try Self.small()
        bad.change(&catalog)
        #expect(throws: bad.error) { try catalog.validate(file: Self.file) }
        // The message names the file and stays on one line, whatever the value holds.
        let message = bad.error.description
        #expect(message.contains("'small.json'"))
        #expect(!message.contains("\n"))
        // The same catalog as JSON text fails the same way through the decoder.
        let bytes = try Array(JSONEncoder().encode(catalog))
        #expect(throws: bad.error) { try TorchCatalog.decode(bytes, file: Self.file) }
    }

    @Test(
        arguments: [
            ("numpy", true), ("optree>=0.13.0", true), ("numpy<2,>=1.26", true),
            ("torch==2.14.0.*", true), ("pyyaml ", false), ("numpy;extra=='x'", false),
            ("-r", false), ("numpy>=", false), ("numpy<<<2", false), ("", false),
        ]
    )
    func wheelRequirementShapes(text: String, valid: Bool) {
        #expect(CatalogShape.isRequirement(text) == valid)
    }

    @Test(arguments: ["cu80", "cu102", "cu118", "cu132", "cpu", "rocm5.1.1", "rocm7.14"])
    func acceptsVariantName(_ name: String) {
        #expect(CatalogShape.isVariantName(name))
    }

    @Test(
        arguments: [
            ("2.9.0.post6", "2.9.0", true), ("2.1.0.rc1", "2.1.0", true),
            ("2.1.0rc1", "2.1.0", true), ("2.3.1", "2.3.1", true), ("2.3.10", "2.3.1", false),
            ("2.9.0.post", "2.9.0", false), ("2.9.0.dev1", "2.9.0", false),
        ]
    )
    func torchNPUVersions(version: String, torch: String, valid: Bool) {
        #expect(CatalogShape.isTorchNPU(version, extending: torch) == valid)
    }

    // MARK: Reading and decoding

    @Test(
        arguments: [
            (
                "not json",
                CatalogError.notValidJSON(file: file, reason: "line 1, column 1: expected a value")
            ),
            ("[1, 2]", .notJSON(file: file)),
            ("{}", .unsupportedSchema(file: file, schema: nil)),
            (#"{"schema": 1}"#, .unsupportedSchema(file: file, schema: nil)),
            (
                #"{"schema": "gpuprobe/host/v1"}"#,
                .unsupportedSchema(file: file, schema: "gpuprobe/host/v1")
            ),
        ]
    )
    func rejectsDocument(text: String, error: CatalogError) {
        #expect(throws: error) { try TorchCatalog.decode(Array(text.utf8), file: Self.file) }
    }

    @Test(
        arguments: [
            (
                #""advertised": true, "torchaudio": true, "patches""#,
                #""torchaudio": true, "patches""#,
                "releases[0].variants[0]",
                "key 'advertised' is missing"
            ),
            (
                #""branch": 570"#, #""branch": "570""#, "driver_branches[0].branch",
                "expected an integer"
            ),
            (
                #""sources": {"s": "a source"}"#, #""sources": ["s"]"#, "sources",
                "expected an object"
            ),
            (#""torch_npu": ["#, #""torch_npu": 5, "x": ["#, "torch_npu", "expected an array"),
            (
                #""min": "3.9""#, #""min": null"#, "releases[0].python.min",
                "null where a string is required"
            ),
        ]
    )
    func reportsWhereTheShapeIsWrong(
        replace: String,
        with replacement: String,
        path: String,
        reason: String
    ) {
        let text = Self.smallJSON.replacingOccurrences(of: replace, with: replacement)
        #expect(text != Self.smallJSON)
        #expect(throws: CatalogError.malformed(file: Self.file, path: path, reason: reason)) {
            try TorchCatalog.decode(Array(text.utf8), file: Self.file)
        }
    }

    @Test func loadReportsAMissingFile() {
        let path = "/nonexistent/gpuprobe/catalog.json"
        #expect(throws: CatalogError.unreadable(file: path, reason: "no such file")) {
            try TorchCatalog.load(path: path)
        }
    }

    @Test func loadRefusesAFolderAndAHugeFile() throws {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("gpuprobe-catalog-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let error = #expect(throws: CatalogError.self) {
            try TorchCatalog.load(path: folder.path)
        }
        guard case .unreadable(let file, _) = error else {
            Issue.record("expected unreadable, got \(String(describing: error))")
            return
        }
        #expect(file == folder.path)
        let huge = folder.appendingPathComponent("huge.json")
        try Data(repeating: 0x20, count: TorchCatalog.sizeLimit + 1).write(to: huge)
        #expect(throws: CatalogError.tooLarge(file: huge.path, limit: TorchCatalog.sizeLimit)) {
            try TorchCatalog.load(path: huge.path)
        }
        let small = folder.appendingPathComponent("small.json")
        try Data(Self.smallJSON.utf8).write(to: small)
        #expect(try TorchCatalog.load(path: small.path) == Self.small())
    }

    @Test func messagesSayWhatToDo() {
        let invalid = CatalogError.invalid(
            file: "my.json",
            entry: "release 2.7, variant 'cu128'",
            problem: .cudaMismatch(variant: "cu128", cuda: "12.6")
        )
        #expect(
            invalid.description
                == "the torch catalog 'my.json', release 2.7, variant 'cu128': variant cu128 has "
                + "cuda '12.6', its name says 12.8; fix one of them"
        )
        #expect(
            CatalogProblem.missingCUDA(variant: "cu130").description
                == #"variant cu130 has no cuda version; add "cuda": "13.0""#
        )
        #expect(
            CatalogError.unsupportedSchema(file: "a.json", schema: nil).description
                == #"the torch catalog 'a.json' has no 'schema' field; add "schema": "#
                + #""gpuprobe/torch-catalog/v1""#
        )
    }
}
