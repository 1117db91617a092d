import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

@Suite struct LspciTextParserTests {
    /// The vendors of the sample files, as pci.ids names them.
    static let vendors: [String: String] = [
        "10de": "NVIDIA Corporation",
        "8086": "Intel Corporation",
        "15b3": "Mellanox Technologies",
        "1414": "Microsoft Corporation",
        "1af4": "Red Hat, Inc.",
        "1b36": "Red Hat, Inc.",
        "19e5": "Huawei Technologies Co., Ltd.",
    ]

    /// The vendors whose id the parser reads from the name when lspci prints no ids: the
    /// ones the accelerator classifier acts on.
    static let vendorsReadFromNames: Set<String> = ["10de", "19e5", "1002", "8086"]

    /// The vendor id a plain-form name gives away, by this test's own table.
    static func vendorIDOfName(_ name: String) -> String? {
        vendors.first { id, vendor in
            vendorsReadFromNames.contains(id) && name.hasPrefix(vendor + " ")
        }?.key
    }

    /// The id in lspci's `VENDOR Device dddd` placeholder.
    static func placeholderID(_ name: String) -> String? {
        let words = name.split(separator: " ")
        guard words.count >= 2, words[words.count - 2] == "Device", let id = words.last,
            id.count == 4, id.allSatisfy(\.isHexDigit)
        else { return nil }
        return String(id)
    }

    /// Subclass names to codes, read from this machine's pci.ids (an oracle independent of
    /// the parser's table); empty when there is none.
    static let pciIDsClasses: [String: String] = {
        guard let text = try? String(contentsOfFile: "/usr/share/misc/pci.ids", encoding: .utf8)
        else { return [:] }
        var classes: [String: String] = [:]
        var base: String?
        for line in text.split(separator: "\n") {
            if line.hasPrefix("C ") {
                base = String(line.dropFirst(2).prefix(2))
            } else if let code = base, line.hasPrefix("\t"), !line.hasPrefix("\t\t") {
                let sub = line.dropFirst().prefix(2)
                classes[String(line.dropFirst(5))] = code + sub
            } else if !line.hasPrefix("#"), !line.hasPrefix("\t") {
                base = nil
            }
        }
        return classes
    }()

    /// Whether the sample is a hex dump, which libpci's dump reader reads instead.
    static func isHexDump(_ file: String) throws -> Bool {
        let kind = try Fixtures.meta(file)["kind"] as? String ?? ""
        return kind.contains("hex dump")
    }

    /// `NAME` as the samples' `name` spells it, from what the parser split.
    ///
    /// A device pci.ids lacks is `VENDOR Device dddd` (plain) or `VENDOR Device` (`-nn`) in
    /// lspci's text, and the parser keeps only the vendor.
    static func expectName(
        _ expected: String,
        vendor: String?,
        device: String?,
        deviceID: String?,
        comment: Comment
    ) {
        if let device {
            let joined = vendor.map { $0 + " " + device } ?? device
            #expect(joined == expected, comment)
        } else {
            let vendorText = vendor ?? ""
            // Plain forms print `VENDOR Device dddd`; `-nn` prints `VENDOR Device` and its ids.
            let plainForm = !expected.hasSuffix(" Device")
            let placeholder = plainForm ? " Device " : " Device"
            #expect(expected.hasPrefix(vendorText + placeholder), comment)
            #expect(vendor != nil, comment)
            if plainForm {
                let id = expected.dropFirst(vendorText.count + placeholder.count)
                #expect(id.count == 4 && id.allSatisfy(\.isHexDigit), comment)
            } else {
                #expect(expected == vendorText + placeholder, comment)
            }
        }
    }

    @Test(arguments: Fixtures.captured(in: "lspci"))
    func samplesMatchExpected(file: String) throws {
        let result = LspciTextParser.parse(try Fixtures.text(file))
        if try Self.isHexDump(file) {
            #expect(result.format == .unknown)
            #expect(result.devices.isEmpty)
            #expect(result.diagnostics.map(\.code) == [.unrecognizedOutput])
            return
        }
        // Info notes say what was read from names; nothing worse.
        #expect(result.diagnostics.allSatisfy { $0.severity == .info })
        let expected = try #require(try Fixtures.expected(file)["devices"] as? [[String: Any]])
        try #require(result.devices.count == expected.count)
        for (device, want) in zip(result.devices, expected) {
            let comment = Comment(rawValue: "\(file) \(device.address)")
            let address = try #require(PCIAddress(want["address"] as? String ?? ""))
            let name = want["name"] as? String ?? ""
            #expect(device.address == address, comment)
            #expect(
                device.vendorID == want["vendor_id"] as? String ?? Self.vendorIDOfName(name),
                comment
            )
            #expect(
                device.deviceID == want["device_id"] as? String ?? Self.placeholderID(name),
                comment
            )
            #expect(
                device.classCode
                    == want["class"] as? String
                    ?? (want["class_text"] as? String).flatMap { Self.pciIDsClasses[$0] },
                comment
            )
            #expect(device.className == want["class_text"] as? String, comment)
            Self.expectName(
                want["name"] as? String ?? "",
                vendor: device.vendorName,
                device: device.deviceName,
                deviceID: device.deviceID,
                comment: comment
            )
        }
    }

    @Test(arguments: Fixtures.captured(in: "lspci"))
    func vendorNamesSplitTheJoinedName(file: String) throws {
        guard try !Self.isHexDump(file) else { return }
        let result = LspciTextParser.parse(try Fixtures.text(file)) { Self.vendors[$0] }
        let expected = try #require(try Fixtures.expected(file)["devices"] as? [[String: Any]])
        try #require(result.devices.count == expected.count)
        for (device, want) in zip(result.devices, expected) {
            let comment = Comment(rawValue: "\(file) \(device.address)")
            if let vendorID = device.vendorID, let vendor = Self.vendors[vendorID] {
                #expect(device.vendorName == vendor, comment)
            }
            Self.expectName(
                want["name"] as? String ?? "",
                vendor: device.vendorName,
                device: device.deviceName,
                deviceID: device.deviceID,
                comment: comment
            )
        }
    }

    @Test(arguments: [
        ("gpud_lspci_nn_a100_azure.txt", LspciFormat.nn),
        ("gpud_lspci_nn_a10_vm.txt", .nn),
        ("gpud_lspci_D_gb200.txt", .plain),
        ("gpud_lspci_vvv_dell_h100.txt", .verbose),
    ])
    func recognisesTheForm(file: String, format: LspciFormat) throws {
        #expect(LspciTextParser.parse(try Fixtures.text("lspci/" + file)).format == format)
    }

    @Test func verboseSampleCarriesDriversAndNUMANodes() throws {
        let text = try Fixtures.text("lspci/gpud_lspci_vvv_dell_h100.txt")
        let devices = LspciTextParser.parse(text).devices
        let gpus = devices.filter { $0.className == "3D controller" }
        #expect(gpus.count == 8)
        #expect(gpus.allSatisfy { $0.kernelDriver == "nvidia" })
        #expect(gpus.allSatisfy { $0.vendorName == "NVIDIA Corporation" && $0.deviceName == nil })
        #expect(gpus.allSatisfy { $0.revision == "a1" && $0.numaNode != nil })
        #expect(devices.filter { $0.kernelDriver == "nvidia-nvswitch" }.count == 4)
        let nvme = try #require(devices.first { $0.address.description == "0000:4b:00.0" })
        // No ids in this -vvv: Intel's id comes from its name, which splits the name.
        #expect(nvme.deviceName == "NVMe DC SSD [3DNAND, Sentinel Rock Controller]")
        #expect(nvme.vendorName == "Intel Corporation" && nvme.vendorID == "8086")
        #expect(nvme.revision == nil && nvme.kernelDriver == "nvme")
    }

    @Test func readsNNWithKernelLines() throws {
        let text = """
            $ lspci -Dnnk
            0000:00:00.0 Host bridge [0600]: Intel Corporation Device [8086:0d57] (rev 02)
            \tSubsystem: Dell Device [1028:0b73]
            0000:17:00.0 3D controller [0302]: NVIDIA Corporation GH100 [H100 SXM5 80GB] [10de:2330] (rev a1)
            \tSubsystem: NVIDIA Corporation Device [10de:16c1]
            \tKernel driver in use: nvidia
            \tKernel modules: nvidiafb, nouveau, nvidia_drm, nvidia
            0000:17:00.1 Audio device [0403]: NVIDIA Corporation Device [10de:22a3]
            0000:ff:00.0 Unassigned class [ffff]: Intel Corporation Device [8086:3450]
            0000:18:00.0 Non-Volatile memory controller [0108]: Micron Technology Inc Device [1344:51c3] (rev 01) (prog-if 02 [NVM Express])
            """
        let result = LspciTextParser.parse(text) { ["10de": "NVIDIA Corporation"][$0] }
        #expect(result.format == .nn)
        #expect(result.diagnostics.isEmpty)
        try #require(result.devices.count == 5)
        let host = result.devices[0]
        #expect(host.vendorName == "Intel Corporation" && host.deviceName == nil)
        #expect(host.revision == "02" && host.classCode == "0600")
        #expect(host.subsystemVendorID == "1028" && host.subsystemDeviceID == "0b73")
        let gpu = result.devices[1]
        #expect(gpu.vendorName == "NVIDIA Corporation")
        #expect(gpu.deviceName == "GH100 [H100 SXM5 80GB]")
        #expect(gpu.kernelDriver == "nvidia" && gpu.revision == "a1")
        #expect(gpu.subsystemVendorID == "10de" && gpu.subsystemDeviceID == "16c1")
        #expect(result.devices[2].kernelDriver == nil)
        #expect(result.devices[3].classCode == "ffff")
        #expect(result.devices[3].className == "Unassigned class")
        let nvme = result.devices[4]
        #expect(nvme.revision == "01" && nvme.vendorID == "1344" && nvme.deviceID == "51c3")
        #expect(nvme.vendorName == "Micron Technology Inc" && nvme.deviceName == nil)
    }

    @Test func readsMachineRecords() throws {
        let text = """
            Slot:\t0000:17:00.0
            Class:\t3D controller [0302]
            Vendor:\tNVIDIA Corporation [10de]
            Device:\tGH100 [H100 SXM5 80GB] [2330]
            SVendor:\tNVIDIA Corporation [10de]
            SDevice:\tDevice [16c1]
            Rev:\ta1
            Driver:\tnvidia
            Module:\tnvidia
            NUMANode:\t0
            IOMMUGroup:\t32

            Slot:\t0000:00:00.0
            Class:\tHost bridge [0600]
            Vendor:\tIntel Corporation [8086]
            Device:\tDevice [0d57]
            Rev:\t02

            Slot:\t0000:01:00.0
            Class:\tProcessing accelerators [1200]
            Vendor:\tHuawei Technologies Co., Ltd. [19e5]
            Device:\tDevice [d802]
            """
        let result = LspciTextParser.parse(text)
        #expect(result.format == .machine)
        try #require(result.devices.count == 3)
        let gpu = result.devices[0]
        #expect(gpu.address.description == "0000:17:00.0")
        #expect(gpu.classCode == "0302" && gpu.className == "3D controller")
        #expect(gpu.vendorID == "10de" && gpu.vendorName == "NVIDIA Corporation")
        #expect(gpu.deviceID == "2330" && gpu.deviceName == "GH100 [H100 SXM5 80GB]")
        #expect(gpu.subsystemVendorID == "10de" && gpu.subsystemDeviceID == "16c1")
        #expect(gpu.revision == "a1" && gpu.kernelDriver == "nvidia" && gpu.numaNode == 0)
        #expect(result.devices[1].deviceID == "0d57" && result.devices[1].deviceName == nil)
        #expect(result.devices[2].deviceID == "d802" && result.devices[2].classCode == "1200")
    }

    @Test func readsOneLineMachineFormat() throws {
        let text = """
            00:00.0 "Host bridge [0600]" "Intel Corporation [8086]" "Device [0d57]" -r02 "Dell [1028]" "Device [0b73]"
            17:00.0 "3D controller [0302]" "NVIDIA Corporation [10de]" "GH100 [H100 SXM5 80GB] [2330]" -ra1 -p00 "NVIDIA Corporation [10de]" "Device [16c1]"
            """
        let result = LspciTextParser.parse(text)
        #expect(result.format == .machine)
        try #require(result.devices.count == 2)
        #expect(result.devices[0].revision == "02" && result.devices[0].subsystemVendorID == "1028")
        #expect(result.devices[1].deviceName == "GH100 [H100 SXM5 80GB]")
        #expect(result.devices[1].deviceID == "2330" && result.devices[1].revision == "a1")
    }

    @Test func readsPlainAndNumericForms() throws {
        let plain = LspciTextParser.parse(
            """
            65:00.0 3D controller: NVIDIA Corporation GA102GL [A10] (rev a1)
            66:00.0 Generic system peripheral [0807]: Intel Corporation Device 0b23
            67:00.0 Class ff00: Device 1234:5678
            """
        )
        #expect(plain.format == .plain)
        try #require(plain.devices.count == 3)
        // Without ids the vendor comes from its name and the class from its name; the
        // device id only from lspci's `Device dddd` placeholder.
        #expect(plain.devices[0].deviceName == "GA102GL [A10]")
        #expect(plain.devices[0].vendorName == "NVIDIA Corporation")
        #expect(plain.devices[0].vendorID == "10de" && plain.devices[0].deviceID == nil)
        #expect(plain.devices[0].classCode == "0302")
        #expect(plain.devices[1].classCode == "0807")
        #expect(plain.devices[1].vendorName == "Intel Corporation")
        #expect(plain.devices[1].vendorID == "8086" && plain.devices[1].deviceID == "0b23")
        #expect(plain.devices[2].classCode == "ff00" && plain.devices[2].className == nil)
        #expect(plain.devices[2].vendorID == "1234" && plain.devices[2].deviceName == nil)

        let numeric = LspciTextParser.parse("00:00.0 0600: 8086:0d57 (rev 02)\n")
        #expect(numeric.format == .nn)
        #expect(numeric.devices.first?.vendorID == "8086")
        #expect(numeric.devices.first?.classCode == "0600")
        #expect(numeric.devices.first?.deviceName == nil)
        #expect(numeric.devices.first?.revision == "02")
    }

    @Test func mergesARepeatedAddress() {
        let text = """
            06:00.0 3D controller: NVIDIA Corporation GA102GL [A10] (rev a1)
            \tKernel driver in use: nvidia
            06:00.0 3D controller [0302]: NVIDIA Corporation GA102GL [A10] [10de:2236] (rev a1)
            """
        let result = LspciTextParser.parse(text)
        #expect(result.devices.count == 1)
        #expect(result.devices.first?.vendorID == "10de")
        #expect(result.devices.first?.kernelDriver == "nvidia")
    }

    @Test func skipsOtherText() {
        let text = """
            root@gpu-node:~# lspci -nn | grep -i nvidia
            06:00.0 3D controller [0302]: NVIDIA Corporation GA102GL [A10] [10de:2236] (rev a1)
            root@gpu-node:~# nvidia-smi
            \tKernel modules: something
            NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.
            \tKernel driver in use: not-this-device
            """
        let result = LspciTextParser.parse(text)
        #expect(result.devices.count == 1)
        #expect(result.devices.first?.deviceID == "2236")
        #expect(result.devices.first?.kernelDriver == nil)
    }

    @Test func crlfAndIndentedPastes() {
        let text =
            "   06:00.0 3D controller [0302]: NVIDIA Corporation GA102GL [A10] [10de:2236] (rev a1)\r\n"
            + "   \tKernel driver in use: nvidia\r\n"
            + "   07:00.0 Audio device [0403]: NVIDIA Corporation Device [10de:1aef]\r\n"
        let result = LspciTextParser.parse(text)
        #expect(result.devices.count == 2)
        #expect(result.devices.first?.revision == "a1")
        #expect(result.devices.first?.kernelDriver == "nvidia")
        #expect(result.devices.last?.deviceID == "1aef")
    }

    @Test func cutLineIsReported() {
        let text = "06:00.0 3D controller [0302]: NVIDIA Corporation [10de:2236]\n07:00.0 3D contr"
        let result = LspciTextParser.parse(text)
        #expect(result.devices.count == 1)
        #expect(result.diagnostics.map(\.code) == [.incompleteOutput])
    }

    @Test(arguments: [
        "", "\n\n", "hello world", "\u{0}\u{1}\u{FFFD}ÿ\r\r", "00:", ":::::", "00:00.0",
    ])
    func junkGivesUnknown(text: String) {
        let result = LspciTextParser.parse(text)
        #expect(result.format == .unknown)
        #expect(result.devices.isEmpty)
        #expect(result.diagnostics.contains { $0.code == .unrecognizedOutput })
    }

    @Test func hexDumpIsRefused() {
        let text = """
            00:00.0 Host bridge: Intel Corporation Device 0d57 (rev 02)
            00: 86 80 57 0d 06 00 90 20 02 00 00 06 00 00 00 00
            """
        let result = LspciTextParser.parse(text)
        #expect(result.format == .unknown)
        #expect(result.devices.isEmpty)
        #expect(result.diagnostics.first?.code == .unrecognizedOutput)
    }

    @Test func mutatedSamplesNeverTrap() throws {
        let sources = [
            try Fixtures.text("lspci/gpud_lspci_nn_a10_vm.txt"),
            try Fixtures.text("lspci/gpud_lspci_vvv_dell_h100.txt").prefix(20_000).description,
            try Fixtures.text("lspci/pciutils_cap-debug-port.txt"),
        ]
        let alphabet = Array(" \t\r\n:.[]()\"-/0123456789abcdefDevice Slot:\tClass".utf8)
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(truncatingIfNeeded: seed >> 33)
        }
        for round in 0..<300 {
            var bytes = Array(sources[round % sources.count].utf8)
            for _ in 0..<(1 + next() % 40) where !bytes.isEmpty {
                let at = next() % bytes.count
                switch next() % 3 {
                case 0: bytes[at] = alphabet[next() % alphabet.count]
                case 1: bytes.remove(at: at)
                default: bytes.insert(UInt8(truncatingIfNeeded: next()), at: at)
                }
            }
            let result = LspciTextParser.parse(String(decoding: bytes, as: UTF8.self))
            #expect(result.format != .unknown || result.devices.isEmpty)
        }
    }

    @Test func everyPrefixOfASampleParses() throws {
        let text = try Fixtures.text("lspci/gpud_lspci_nn_a10_vm.txt")
        for length in stride(from: 0, through: text.utf8.count, by: 7) {
            let prefix = String(decoding: text.utf8.prefix(length), as: UTF8.self)
            let result = LspciTextParser.parse(prefix)
            #expect(result.devices.count <= 20)
        }
    }

    @Test func largeAndPathologicalInputsParse() throws {
        let sample = try Fixtures.text("lspci/gpud_lspci_vvv_dell_h100.txt")
        let big = String(repeating: sample, count: 11)  // about 10 MB
        let junk = String(repeating: "ab:cd.e \u{7}[[[((( Device ", count: 300_000)
        let parens = "00:00.0 x: " + String(repeating: " (prog-if (rev 0)", count: 100_000) + ")"
        let carriageReturns = String(repeating: "\r", count: 2_000_000)
        let records = String(repeating: "Slot:\t00:00.0\nDevice:\tx [1234]\n", count: 60_000)
        #expect(LspciTextParser.parse(big).devices.count == 517)
        #expect(LspciTextParser.parse(junk).devices.isEmpty)
        #expect(LspciTextParser.parse(parens).devices.count == 1)
        #expect(LspciTextParser.parse(carriageReturns).devices.isEmpty)
        #expect(LspciTextParser.parse(records).devices.count == 1)
    }
}
