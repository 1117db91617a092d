import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

/// A GPU known only by its name (nvidia-smi's table has no device ID) gets its chip from the
/// names NVIDIA's supported-gpus.json lists give each device.
@Suite struct NvidiaGPUNameTests {
    /// Real table pastes: the name each prints, and the compute capability it decides; nil
    /// where it decides nothing (a cut name of many chips, a chip newer than the lists).
    @Test(
        arguments: [
            ("nvidia-smi/table_535.171.04_rtx_a6000_packaging_guide_prompt.txt", "8.6"),
            ("nvidia-smi/table_396.24_gtx1070_no_cuda.txt", "6.1"),
            ("nvidia-smi/table_410.104_tesla_k80_gce.txt", "3.7"),
            ("nvidia-smi/table_550.127.05_v100x8.txt", "7.0"),
            ("nvidia-smi/table_550.127.05_gh200.txt", "9.0"),
            ("nvidia-smi/table_595.80_l40s.txt", "8.9"),
            ("nvidia-smi/table_595.71.05_rtx2080super_linux.txt", "7.5"),
            ("nvidia-smi/table_595.71.05_rtx4080super_load.txt", "8.9"),
            ("nvidia-smi/table_470.256.02_gtx680.txt", nil),
            ("nvidia-smi/table_570.124.06_rtx5090.txt", nil),
            ("nvidia-smi/table_595.71.05_rtxpro4500_indented.txt", nil),
        ] as [(String, String?)]
    )
    func aTablePasteGetsItsComputeCapabilityFromTheName(file: String, cc: String?) throws {
        let report = try #require(PastedHost.report(Array(try Fixtures.text(file).utf8)))
        let gpu = try #require(report.nvidia?.gpus.first)
        #expect(gpu.pciDeviceID == nil)
        #expect(gpu.computeCapability == cc)
        let said = report.diagnostics.filter { $0.code == .inferred }
        #expect(said.isEmpty == (cc == nil))
        #expect(said.allSatisfy { $0.severity == .info && $0.context["device_ids"] != nil })
    }

    /// Where an output has both, the name never contradicts the device ID: every real
    /// `-q`, `-q -x` and CSV fixture and every host bundle.
    @Test func theNameAgreesWithTheDeviceIDWhereBothAreKnown() throws {
        var checked = 0
        for file in NvidiaSMIFixtureTests.files {
            for gpu in NvidiaSMIParser.parse(try Fixtures.text(file)).section.gpus {
                guard let name = gpu.name, let named = NvidiaGPUNames.chip(named: name),
                    let id = gpu.pciDeviceID.flatMap({ UInt16($0, radix: 16) }),
                    let chip = NvidiaChips.lookup(deviceID: id)
                else { continue }
                #expect(named.chip.computeCapability == chip.computeCapability, "\(file): \(name)")
                #expect(named.deviceIDs.contains(id), "\(file): \(name) 0x\(String(id, radix: 16))")
                checked += 1
            }
        }
        #expect(checked >= 10)
    }

    @Test(
        arguments: [
            ("NVIDIA RTX A6000", "8.6"), ("rtx   a6000", "8.6"), ("Tesla T4", "7.5"),
            ("NVIDIA A100-SXM4-80GB", "8.0"), ("NVIDIA GeForce RTX 3080 …", "8.6"),
            ("NVIDIA GeForce ...", nil), ("NVIDIA GeForce RTX 5090", nil), ("", nil),
            ("NVIDIA A100", nil), ("NVIDIA Graphics Device", nil), ("Graphics Device", nil),
        ] as [(String, String?)]
    )
    func namesDecideOnlyWhenAllTheirDevicesAgree(name: String, cc: String?) {
        #expect(NvidiaGPUNames.chip(named: name)?.chip.computeCapability == cc)
    }

    /// The compiled-in names are what the eight real lists say.
    @Test func theEmbeddedNamesAreTheLists() throws {
        let result = CommandRun.run(
            "/usr/bin/env",
            [
                "python3",
                Fixtures.root.deletingLastPathComponent()
                    .appendingPathComponent("scripts/derive-device-branches").path,
                "--check",
            ],
            environment: ["PATH=/usr/bin:/bin"]
        )
        #expect(result.status == 0, "\(result.stderr)")
        #expect(NvidiaGPUNames.table.count > 1_500)
    }
}
