import Testing

@testable import GPUProbe
@testable import TestSupport

@Suite struct AcceleratorClassifierTests {
    static let vendors = LspciTextParserTests.vendors

    static func devices(_ file: String) throws -> [PCIDevice] {
        LspciTextParser.parse(try Fixtures.text("lspci/" + file)) { vendors[$0] }.devices
    }

    @Test func azureA100EightGPUsNoNVSwitch() throws {
        let accelerators = AcceleratorClassifier.classify(
            try Self.devices("gpud_lspci_nn_a100_azure.txt")
        )
        #expect(accelerators.count == 8)
        #expect(accelerators.allSatisfy { $0.kind == .nvidiaGPU && $0.deviceID == "20b2" })
        #expect(accelerators.allSatisfy { $0.chip == "GA100" && $0.architecture == "Ampere" })
        #expect(accelerators.allSatisfy { $0.computeCapability == "8.0" })
        #expect(accelerators.allSatisfy { $0.name == "GA100 [A100 SXM4 80GB]" })
        #expect(accelerators.map(\.address) == accelerators.map(\.address).sorted())
        #expect(accelerators.first?.address.description == "0001:00:00.0")
    }

    @Test func a10VMOneGPUVirtioGPUNotCounted() throws {
        let accelerators = AcceleratorClassifier.classify(
            try Self.devices("gpud_lspci_nn_a10_vm.txt")
        )
        #expect(accelerators.count == 1)
        let gpu = try #require(accelerators.first)
        #expect(gpu.address.description == "0000:06:00.0")
        #expect(gpu.chip == "GA102" && gpu.architecture == "Ampere")
        #expect(gpu.computeCapability == "8.6" && gpu.name == "GA102GL [A10]")
    }

    /// Without `-nn`, a GPU that pci.ids could not name is `3D controller: NVIDIA
    /// Corporation Device dddd`: vendor, device and class all read from that, so the GPUs are
    /// known; the `Device 22a3` NVSwitch bridges and `Device 22b2` root ports are not GPUs.
    @Test func plainLspciGivesTheGPUsItPrintsAsDeviceIDs() throws {
        let gb200 = AcceleratorClassifier.classify(try Self.devices("gpud_lspci_D_gb200.txt"))
        #expect(gb200.count == 4)
        #expect(gb200.allSatisfy { $0.kind == .nvidiaGPU && $0.deviceID == "2941" })
        let dell = AcceleratorClassifier.classify(try Self.devices("gpud_lspci_vvv_dell_h100.txt"))
        #expect(dell.count == 8)
        #expect(dell.allSatisfy { $0.chip == "GH100" && $0.computeCapability == "9.0" })
        #expect(dell.allSatisfy { $0.kernelDriver == "nvidia" })
    }

    @Test func cardFunctionsAndSwitchesAreNotGPUs() throws {
        let text = """
            0000:05:00.0 Bridge [0680]: NVIDIA Corporation Device [10de:22a3] (rev a1)
            \tKernel driver in use: nvidia-nvswitch
            0000:19:00.0 3D controller [0302]: NVIDIA Corporation Device [10de:2330] (rev a1)
            \tSubsystem: NVIDIA Corporation Device [10de:16c1]
            \tKernel driver in use: nvidia
            0000:21:00.0 VGA compatible controller [0300]: NVIDIA Corporation AD102 [GeForce RTX 4090] [10de:2684] (rev a1)
            0000:21:00.1 Audio device [0403]: NVIDIA Corporation AD102 High Definition Audio Controller [10de:22ba] (rev a1)
            0000:31:00.0 VGA compatible controller [0300]: NVIDIA Corporation TU102 [GeForce RTX 2080 Ti Rev. A] [10de:1e07] (rev a1)
            0000:31:00.2 USB controller [0c03]: NVIDIA Corporation TU102 USB 3.1 Host Controller [10de:1ad6] (rev a1)
            0000:31:00.3 Serial bus controller [0c80]: NVIDIA Corporation TU102 USB Type-C UCSI Controller [10de:1ad7] (rev a1)
            0000:03:00.0 VGA compatible controller [0300]: Matrox Electronics Systems Ltd. Integrated Matrox G200eW3 Graphics Controller [102b:0536] (rev 04)
            """
        let accelerators = AcceleratorClassifier.classify(
            LspciTextParser.parse(text) { Self.vendors[$0] }.devices
        )
        #expect(accelerators.map(\.deviceID) == ["2330", "2684", "1e07"])
        #expect(accelerators.map(\.chip) == ["GH100", "AD102", "TU102"])
        #expect(accelerators.map(\.architecture) == ["Hopper", "Ada", "Turing"])
        #expect(accelerators.map(\.computeCapability) == ["9.0", "8.9", "7.5"])
        let h100 = try #require(accelerators.first)
        #expect(h100.kind == .nvidiaGPU && h100.kernelDriver == "nvidia")
        #expect(h100.name == nil)  // the capture's pci.ids did not know 2330
        #expect(accelerators[1].name == "AD102 [GeForce RTX 4090]")
    }

    @Test func ascendNPUsByIDWithOrWithoutClass() throws {
        let text = """
            0000:01:00.0 Processing accelerators [1200]: Huawei Technologies Co., Ltd. Device [19e5:d802] (rev 20)
            0000:02:00.0 Processing accelerators [1200]: Huawei Technologies Co., Ltd. Device [19e5:d500] (rev 23)
            0000:03:00.0 Ethernet controller [0200]: Huawei Technologies Co., Ltd. Device [19e5:d802]
            0000:04:00.0 Ethernet controller [0200]: Huawei Technologies Co., Ltd. Hi1822 Family [19e5:1822]
            """
        var devices = LspciTextParser.parse(text) { Self.vendors[$0] }.devices
        devices.append(
            PCIDevice(
                address: try #require(PCIAddress("0000:c1:00.0")),
                vendorID: "19E5",
                deviceID: "D803"
            )
        )
        let accelerators = AcceleratorClassifier.classify(devices)
        #expect(accelerators.map(\.kind) == [.ascendNPU, .ascendNPU, .ascendNPU])
        #expect(accelerators.map(\.name) == ["Ascend 910B", "Ascend 310P", "Ascend 910 A3"])
        #expect(accelerators.map(\.chip) == ["Ascend 910B", "Ascend 310P", "Ascend 910 A3"])
        #expect(accelerators.last?.deviceID == "d803")
        #expect(accelerators.allSatisfy { $0.computeCapability == nil && $0.architecture == nil })
    }

    @Test func amdAndIntelDisplayDevices() throws {
        let text = """
            00:02.0 VGA compatible controller [0300]: Intel Corporation Alder Lake-P GT2 [Iris Xe Graphics] [8086:46a6] (rev 0c)
            00:1f.3 Audio device [0403]: Intel Corporation Alder Lake PCH-P High Definition Audio Controller [8086:51c8] (rev 01)
            c1:00.0 Display controller [0380]: Advanced Micro Devices, Inc. [AMD/ATI] Aqua Vanjaram [Instinct MI300X] [1002:74a1]
            c1:00.1 Audio device [0403]: Advanced Micro Devices, Inc. [AMD/ATI] Device [1002:ab30]
            """
        let accelerators = AcceleratorClassifier.classify(LspciTextParser.parse(text).devices)
        #expect(accelerators.map(\.kind) == [.intelGPU, .amdGPU])
        #expect(accelerators.allSatisfy { $0.chip == nil && $0.computeCapability == nil })
    }

    @Test func classlessNVIDIAOnlyWhenTheTableKnowsTheID() throws {
        let address = try #require(PCIAddress("65:00.0"))
        let known = PCIDevice(address: address, vendorID: "10de", deviceID: "2335")
        let audio = PCIDevice(address: address, vendorID: "10de", deviceID: "22a3")
        #expect(AcceleratorClassifier.classify([known]).first?.chip == "GH100")
        #expect(AcceleratorClassifier.classify([audio]).isEmpty)
    }

    @Test func unknownNVIDIAGPUStillCounts() throws {
        let address = try #require(PCIAddress("65:00.0"))
        let gpu = PCIDevice(address: address, vendorID: "10de", deviceID: "3f00", classCode: "0302")
        let accelerator = try #require(AcceleratorClassifier.classify([gpu]).first)
        #expect(accelerator.chip == nil && accelerator.architecture == nil)
    }

    @Test func malformedIDsAreSkipped() throws {
        let address = try #require(PCIAddress("65:00.0"))
        let devices = [
            PCIDevice(address: address, vendorID: "10de", classCode: "0302"),
            PCIDevice(address: address, vendorID: "+10de", deviceID: "2330", classCode: "0302"),
            PCIDevice(address: address, vendorID: "10de", deviceID: "2330x", classCode: "0302"),
            PCIDevice(address: address, vendorID: "", deviceID: "", classCode: ""),
        ]
        #expect(AcceleratorClassifier.classify(devices).isEmpty)
    }

    @Test func sortsByBusAddressKeepingTies() throws {
        let devices = ["0000:82:00.0", "0000:17:00.0", "0001:00:00.0", "0000:17:00.0"].map {
            PCIDevice(
                address: PCIAddress($0) ?? PCIAddress(domain: 0, bus: 0, device: 0, function: 0),
                vendorID: "10de",
                deviceID: "2330",
                classCode: "0302",
                kernelDriver: $0
            )
        }
        let addresses = AcceleratorClassifier.classify(devices).map(\.address.description)
        #expect(addresses == ["0000:17:00.0", "0000:17:00.0", "0000:82:00.0", "0001:00:00.0"])
    }
}
