import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

/// The data files `check` judges CUDA base images with (`data/`), their compiled-in copies, the
/// loader's errors, and the GPU brand: nvidia-smi's, else the name's.
@Suite struct RequireCUDADataTests {
    static let data = Fixtures.root.deletingLastPathComponent().appendingPathComponent("data")

    static func dataPath(_ name: String) -> String { data.appendingPathComponent(name).path }

    static func temporaryFile(_ text: String) throws -> String {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("gpuprobe-data-\(UUID().uuidString).tsv")
        try Data(text.utf8).write(to: url)
        return url.path
    }

    @Test func theCompiledInImageTableEqualsTheDataFile() throws {
        let file = try CUDAImageTable.load(path: Self.dataPath("nvidia_require_cuda.tsv"))
        #expect(file.rows.count == 678)
        #expect(file.rows.allSatisfy { $0.source?.isEmpty == false })
        // Sources are left out of the compiled-in copy; everything else must be equal.
        let withoutSources = file.rows.map {
            CUDAImageTable.Row(
                cudaVersion: $0.cudaVersion,
                flavour: $0.flavour,
                arch: $0.arch,
                requirement: $0.requirement
            )
        }
        #expect(
            CUDAImageTable.embedded.rows == withoutSources,
            "run scripts/embed-cuda-images after editing data/nvidia_require_cuda.tsv"
        )
    }

    @Test func theCompiledInBrandTableEqualsTheDataFile() throws {
        let file = try GPUBrandTable.load(path: Self.dataPath("nvml_brand_by_name.tsv"))
        #expect(file.rows.count == 49)
        #expect(
            GPUBrandTable.embedded == file,
            "run scripts/embed-cuda-images after editing data/nvml_brand_by_name.tsv"
        )
    }

    @Test func theTableReadsRealStrings() throws {
        let table = CUDAImageTable.embedded
        let row = try #require(
            table.rows(version: "12.4.1").first {
                $0.flavour == "ubuntu22.04" && $0.arch == "x86_64"
            }
        )
        #expect(row.requirement.hasPrefix("cuda>=12.4 brand=tesla,driver>=470,driver<471"))
        #expect(row.requirement.contains("brand=nvidiartx,driver>=535,driver<536"))
        let arm = try #require(
            table.rows(version: "12.3.2").first { $0.flavour == "ubuntu22.04" && $0.arch == "sbsa" }
        )
        #expect(arm.requirement == "CUDA>=12.3")
        #expect(table.newestVersion(of: try #require(CUDAVersion("12.4"))) == "12.4.1")
        #expect(table.newestVersion(of: try #require(CUDAVersion("12.7"))) == nil)
        #expect(CUDAImageTable.arch(machine: "aarch64") == "sbsa")
        #expect(CUDAImageTable.arch(machine: "x86_64") == "x86_64")
    }

    static let header = "cuda_version\tflavour\tarch\trequire_string\tsource\n"

    /// A malformed file is one line naming the file and the line.
    @Test(
        arguments: [
            ("cuda_version\tflavour\n", 1, "the first line must be the header"),
            (header + "12.4.1\tubuntu22.04\tx86_64\tcuda>=12.4\n", 2, "expected 5 tab-separated"),
            (header + "12.x\tubuntu22.04\tx86_64\tcuda>=12.4\ts\n", 2, "'12.x' is not a version"),
            (header + "12.4.1\tUbuntu 22\tx86_64\tcuda>=12.4\ts\n", 2, "is not a tag flavour"),
            (header + "12.4.1\tubuntu22.04\tarm\tcuda>=12.4\ts\n", 2, "'arm' is not one of"),
            (header + "12.4.1\tubuntu22.04\tx86_64\t\ts\n", 2, "is not a requirement"),
            (
                header + "12.4.1\tubuntu22.04\tx86_64\tcuda>=12.4\ts\n"
                    + "# a comment\n12.4.1\tubuntu22.04\tx86_64\tcuda>=12.3\ts\n",
                4, "is already on line 2"
            ),
        ]
    )
    func aMalformedImageTableNamesTheLine(text: String, line: Int, problem: String) throws {
        let path = try Self.temporaryFile(text)
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            _ = try CUDAImageTable.load(path: path)
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.line == line)
            #expect(error.description.contains(problem), "\(error)")
            #expect(error.description.contains("'\(path)', line \(line):"))
            #expect(!error.description.contains("\n"))
        }
    }

    @Test func aMissingOrMalformedBrandFileIsAnError() throws {
        #expect(throws: DataFileError.self) {
            try GPUBrandTable.load(path: "/nonexistent/brands.tsv")
        }
        let path = try Self.temporaryFile(
            "name\tbrand\tsource\nNVIDIA A100\tnvidia\tx\nNVIDIA A100\ttesla\ty\n"
        )
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(
            throws: DataFileError(
                file: path,
                line: 3,
                problem: "'NVIDIA A100' is listed with brand nvidia on line 2"
            )
        ) {
            try GPUBrandTable.load(path: path)
        }
        let bad = try Self.temporaryFile("name\tbrand\tsource\nNVIDIA A100\tdatacenter\tx\n")
        defer { try? FileManager.default.removeItem(atPath: bad) }
        #expect(throws: DataFileError.self) { try GPUBrandTable.load(path: bad) }
    }

    /// A file given with `--cuda-images` replaces the table without a rebuild.
    @Test func aReplacementTableIsUsed() throws {
        let path = try Self.temporaryFile(
            Self.header + "12.4.1\tubuntu22.04\tx86_64\tcuda>=12.4\tmy own\n"
        )
        defer { try? FileManager.default.removeItem(atPath: path) }
        let table = try CUDAImageTable.load(path: path)
        let report = try DockerfileChecker.check(
            dockerfile: "FROM nvidia/cuda:12.4.1-runtime-ubuntu22.04\n",
            path: "Dockerfile",
            report: try TestHosts.guideNvidia(),
            catalog: .embedded,
            context: BuildContext(entries: [:]),
            cudaImages: table
        )
        // With only cuda>=12.4 the RTX A6000 on 535 is refused; the real table accepts it.
        #expect(report.summary == ["1:error:base-image-cuda-newer"])
        let real = try TestHosts.check(
            "FROM nvidia/cuda:12.4.1-runtime-ubuntu22.04\n",
            try TestHosts.guideNvidia()
        )
        #expect(real.summary == ["1:warning:base-image-minor-compat"])
    }

    // MARK: Brands

    @Test(
        arguments: [
            ("Tesla", "tesla"), ("NVIDIA", "nvidia"), ("NVIDIA RTX", "nvidiartx"),
            ("Quadro", "quadro"), ("Quadro RTX", "quadrortx"), ("GeForce", "geforce"),
            ("Titan", "titan"), ("NVIDIA Virtual Compute Server", "vcs"),
            ("NVIDIA RTX Virtual Workstation", "vws"), ("NVIDIA Virtual PC", "vpc"),
            ("NVIDIA Virtual Applications", "vapps"), ("NVIDIA Cloud Gaming", "cloudgaming"),
            ("GRID", "grid"), ("NVS", "nvs"), ("Unknown", "unknown"),
            ("Something New", "unknown"),
        ]
    )
    func nvidiaSMIsLabelIsTheToolkitsName(label: String, token: String) {
        #expect(GPUBrand.token(label: label) == token)
    }

    /// Every name the brand table lists is guessed right by the rules too, so a name close to
    /// a listed one (another memory size, another board) gets the same brand.
    @Test func theNameRulesAgreeWithEveryObservedName() {
        for row in GPUBrandTable.embedded.rows {
            #expect(GPUBrand.guess(name: row.name) == row.brand, "\(row.name)")
        }
    }

    @Test(
        arguments: [
            ("NVIDIA GeForce RTX 4060 Ti", "geforce"), ("Quadro RTX 8000", "quadrortx"),
            ("NVIDIA RTX A4000", "nvidiartx"), ("NVIDIA RTX 4000 SFF Ada Generation", "nvidiartx"),
            ("Tesla P100-PCIE-16GB", "tesla"), ("Tesla T4", "nvidia"), ("NVIDIA B200", "nvidia"),
            ("GRID A100D-4C", "vcs"), ("NVIDIA L40S-8Q", "vws"), ("NVIDIA A16-2B", "vpc"),
            ("NVIDIA A100-SXM4-80GB", "nvidia"),
        ]
    )
    func namesNotInTheTable(name: String, brand: String) {
        #expect(GPUBrand.guess(name: name) == brand)
    }

    @Test func aNameThatSaysNothingHasNoBrand() {
        #expect(GPUBrand.guess(name: "NVIDIA device 2330") == nil)
        #expect(GPUBrand.guess(name: "GH100 [H100 SXM5 80GB]") == nil)
    }

    // MARK: product_brand in the host report

    @Test(
        arguments: [
            ("nvidia-smi/q_560.35.03_titan_v.txt", ["titan"]),
            ("nvidia-smi/q_535.129.03_a10.txt", ["nvidia"]),
            ("nvidia-smi/q_610.57.04_rtx2080super.txt", ["geforce"]),
            ("nvidia-smi/xml_telegraf_rtx-4000-sff-ada-v13.xml", ["nvidiartx"]),
            ("nvidia-smi/xml_telegraf_tesla-t4.xml", ["nvidia"]),
            ("nvidia-smi/xml_telegraf_gtx-1660-ti.xml", ["geforce"]),
            ("nvidia-smi/q_470.256.02_gtx680.txt", ["geforce"]),
            ("nvidia-smi/q_510.06_wsl2_gtx1650ti.txt", ["geforce"]),
            ("nvidia-smi/q_580.159.04_h100_sxm5_vm.txt", ["nvidia"]),
            ("nvidia-smi/xml_580.159.04_h100_sxm5_vm.xml", ["nvidia"]),
            ("nvidia-smi/q_590.48.01_h200_mig.txt", ["nvidia"]),
            ("nvidia-smi/xml_telegraf_a100-sxm4-v12.xml", ["nvidia"]),
            ("nvidia-smi/xml_telegraf_a10g.xml", ["nvidia"]),
            ("nvidia-smi/xml_telegraf_rtx-3060-v12.xml", ["geforce"]),
            ("nvidia-smi/table_535.171.04_rtx_a6000_packaging_guide.txt", [nil]),
        ]
    )
    func productBrandIsReadFromQueryAndXML(fixture: String, brands: [String?]) throws {
        let document = NvidiaSMIParser.document(try Fixtures.text(fixture))
        #expect(document.gpus.map(\.gpu.productBrand) == brands)
    }

    @Test func aReportedBrandWinsOverTheName() throws {
        let report = try TestHosts.nvidia("nvidia-smi/q_535.129.03_a10.txt")
        #expect(report.nvidia?.gpus.map(\.productBrand) == ["nvidia"])
        var host = MatchHost.from(report)
        #expect(host.gpus.map(\.productBrand) == ["nvidia"])
        host.gpus[0].productBrand = "vcs"
        let found = GPUBrand.of(host.gpus[0], table: .embedded)
        #expect(found.brand == "vcs" && found.origin == .reported)
        host.gpus[0].productBrand = nil
        #expect(GPUBrand.of(host.gpus[0], table: .embedded).origin == .table)
    }

    @Test func aReportWithABrandOutsideTheToolkitsNamesIsRefused() throws {
        var report = try TestHosts.nvidia("nvidia-smi/q_535.129.03_a10.txt")
        report.nvidia?.gpus[0].productBrand = "NVIDIA RTX"
        let text = JSONOutput.render(report)
        #expect(throws: (any Error).self) {
            try HostReportDecoding.decode(Array(text.utf8))
        }
    }
}
