import Testing

@testable import GPUProbe
@testable import TestSupport

@Suite struct NvidiaChipsTests {
    /// Known parts from NVIDIA/nvidia-installer `nvGpus.h` (00aaa9f, 590.48.01), NVIDIA's CUDA
    /// GPUs page and pci.ids (pciutils/pciids c1c1254) names.
    @Test(
        arguments: [
            (0x0FC6, "GK107", "Kepler", "3.0"),  // GTX 650 (nvGpus.h Kepler span start)
            (0x1004, "GK110", "Kepler", "3.5"),  // GTX 780
            (0x102D, "GK210", "Kepler", "3.7"),  // Tesla K80
            (0x1180, "GK104", "Kepler", "3.0"),  // GTX 680
            (0x1287, "GK208", "Kepler", "3.5"),  // GT 730
            (0x1340, "GM108", "Maxwell", "5.0"),  // nvGpus.h 580.xx span start
            (0x1392, "GM107", "Maxwell", "5.0"),  // GTX 750 Ti
            (0x13BD, "GM107", "Maxwell", "5.0"),  // Tesla M10
            (0x13F2, "GM204", "Maxwell", "5.2"),  // Tesla M60
            (0x1401, "GM206", "Maxwell", "5.2"),  // GTX 960
            (0x17C8, "GM200", "Maxwell", "5.2"),  // GTX 980 Ti
            (0x15F7, "GP100", "Pascal", "6.0"),  // P100 PCIe 12GB
            (0x15F8, "GP100", "Pascal", "6.0"),  // P100 PCIe 16GB
            (0x1B38, "GP102", "Pascal", "6.1"),  // Tesla P40
            (0x1B81, "GP104", "Pascal", "6.1"),  // GTX 1070
            (0x1BB3, "GP104", "Pascal", "6.1"),  // Tesla P4
            (0x1C82, "GP107", "Pascal", "6.1"),  // GTX 1050 Ti
            (0x1D10, "GP108", "Pascal", "6.1"),  // MX150
            (0x1D81, "GV100", "Volta", "7.0"),  // TITAN V
            (0x1DB1, "GV100", "Volta", "7.0"),  // V100 SXM2
            (0x1DB6, "GV100", "Volta", "7.0"),  // V100 PCIe 32GB
            (0x1DF6, "GV100", "Volta", "7.0"),  // V100S
            (0x1E81, "TU104", "Turing", "7.5"),  // RTX 2080 Super
            (0x1EB8, "TU104", "Turing", "7.5"),  // T4
            (0x2182, "TU116", "Turing", "7.5"),  // GTX 1660 Ti
            (0x20B0, "GA100", "Ampere", "8.0"),  // A100 SXM4 40GB
            (0x20B2, "GA100", "Ampere", "8.0"),  // A100 SXM4 80GB
            (0x20B5, "GA100", "Ampere", "8.0"),  // A100 PCIe 80GB
            (0x2236, "GA102", "Ampere", "8.6"),  // A10
            (0x2237, "GA102", "Ampere", "8.6"),  // A10G
            (0x2503, "GA106", "Ampere", "8.6"),  // RTX 3060
            (0x2330, "GH100", "Hopper", "9.0"),  // H100 SXM5
            (0x2331, "GH100", "Hopper", "9.0"),  // H100 PCIe
            (0x2324, "GH100", "Hopper", "9.0"),  // H800
            (0x2335, "GH100", "Hopper", "9.0"),  // H200
            (0x2684, "AD102", "Ada", "8.9"),  // RTX 4090
            (0x26B9, "AD102", "Ada", "8.9"),  // L40S
            (0x27B8, "AD104", "Ada", "8.9"),  // L4
            (0x2901, "GB100", "Blackwell", "10.0"),  // B200
            (0x2941, "GB100", "Blackwell", "10.0"),  // GB200
            (0x3182, "GB110", "Blackwell", "10.3"),  // B300
            (0x2B85, "GB202", "Blackwell", "12.0"),  // RTX 5090
            (0x2C3A, "GB203", "Blackwell", "12.0"),  // RTX PRO 4500 Blackwell Server
            (0x2E12, "GB10", "Blackwell", "12.1"),  // DGX Spark
        ] as [(UInt16, String, String, String)]
    )
    func knownParts(id: UInt16, chip: String, architecture: String, cc: String) throws {
        let found = try #require(NvidiaChips.lookup(deviceID: id))
        #expect(found == NvidiaChip(chip: chip, architecture: architecture, computeCapability: cc))
    }

    /// HD audio, USB/UCSI, NVSwitch and Grace bridge functions, and ids outside any block.
    @Test(
        arguments: [
            0x0E0A, 0x0FB9, 0x10EF, 0x10F0, 0x10F7, 0x1AD6, 0x1AD7, 0x1AEB, 0x1AEF,  // audio, USB
            0x1AC0, 0x1AC1, 0x1AC2, 0x1AF1, 0x22A3,  // NVSwitch
            0x228B, 0x22BA, 0x22B2, 0x22B8,  // Ampere/Ada audio, Grace root ports (GB200 sample)
            0x0000, 0x005B, 0x0A65, 0xFFFF,  // CK804 USB, GT218, nothing
        ] as [UInt16]
    )
    func nonGPUFunctionsAreNotClaimed(id: UInt16) {
        #expect(NvidiaChips.lookup(deviceID: id) == nil)
    }

    @Test(arguments: [
        ("3.7", "Kepler"), ("5.2", "Maxwell"), ("6.1", "Pascal"), ("7.0", "Volta"),
        ("7.2", "Volta"), ("7.5", "Turing"), ("8.0", "Ampere"), ("8.6", "Ampere"),
        ("8.7", "Ampere"), ("8.9", "Ada"), ("9.0", "Hopper"), ("10.0", "Blackwell"),
        ("10.3", "Blackwell"), ("12.0", "Blackwell"), ("12.1", "Blackwell"), (" 9.0\n", "Hopper"),
    ])
    func architectureOfComputeCapability(cc: String, architecture: String) {
        #expect(NvidiaChips.architecture(computeCapability: cc) == architecture)
    }

    @Test(arguments: ["", "9", "9.", ".0", "2.1", "13.0", "N/A", "9.0.1", "+9.0", "9.0a", "٩.٠"])
    func unknownComputeCapability(cc: String) {
        #expect(NvidiaChips.architecture(computeCapability: cc) == nil)
    }

    @Test func everyChipAgreesWithItsComputeCapability() {
        for id in UInt16.min...UInt16.max {
            guard let chip = NvidiaChips.lookup(deviceID: id) else { continue }
            #expect(
                NvidiaChips.architecture(computeCapability: chip.computeCapability)
                    == chip.architecture,
                "0x\(String(id, radix: 16))"
            )
        }
    }
}
