import Testing

@testable import GPUProbe
@testable import TestSupport

@Suite struct SupportedGPUsListTests {
    @Test func readsEntriesAndIgnoresUnknownKeys() throws {
        let chips = try SupportedGPUsList.parse(Array(FakeInstallers.sampleList.utf8))
        #expect(chips.count == 4)
        #expect(
            chips[0]
                == SupportedChip(
                    deviceID: 0x2330,
                    name: "NVIDIA H100 80GB HBM3",
                    features: ["kernelopen", "gsp_proprietary_supported"]
                )
        )
        #expect(chips[1].legacyBranch == "580.xx")
        #expect(chips[2].subsystemDeviceID == 0x134F && chips[2].subsystemVendorID == 0x10DE)
        #expect(chips[3].name == "NVIDIA A100 generic")
    }

    @Test func readsAnEmptyList() throws {
        #expect(try SupportedGPUsList.parse(Array(#"{"chips":[]}"#.utf8)).isEmpty)
    }

    @Test(arguments: [
        (
            json: "",
            error: SupportedGPUsError.notValid(
                reason: "not JSON: line 1, column 1: expected a value, found the end"
            )
        ),
        ("[1,2]", .notValid(reason: "the top level has the wrong type")),
        (#"{"gpus":[]}"#, .notValid(reason: #"no "chips" in the top level"#)),
        (#"{"chips":[{"devid":10}]}"#, .notValid(reason: "chips[0].devid has the wrong type")),
        (#"{"chips":[{"name":"x"}]}"#, .badEntry(index: 0, reason: "it has no devid")),
        (
            #"{"chips":[{"devid":"0x1"},{"devid":"0x12345"}]}"#,
            .badEntry(index: 1, reason: "devid '0x12345' is not a 16-bit hex number")
        ),
        (
            #"{"chips":[{"devid":"0x2330","subdevid":"zz"}]}"#,
            .badEntry(index: 0, reason: "subdevid 'zz' is not a 16-bit hex number")
        ),
        (
            #"{"chips":[{"devid":"0x2330","name":"bad\u001b[2J"}]}"#,
            .badEntry(index: 0, reason: #"name 'bad\x1b[2J' is not a plain chip name"#)
        ),
    ])
    func rejectsMalformedFiles(json: String, error: SupportedGPUsError) {
        #expect(throws: error) { try SupportedGPUsList.parse(Array(json.utf8)) }
    }

    @Test(arguments: [
        (text: "0x2C3A", value: UInt16(0x2C3A)), ("0x2c3a", 0x2C3A), ("2C3A", 0x2C3A), ("0X1", 1),
    ])
    func readsHexIDs(text: String, value: UInt16) {
        #expect(SupportedGPUsList.hexID(text) == value)
    }

    @Test(arguments: ["", "0x", "0x12345", "-1", "0x+1", "0x 1", "１２"])
    func rejectsOtherIDs(text: String) {
        #expect(SupportedGPUsList.hexID(text) == nil)
    }
}

@Suite struct ChipSupportTests {
    static let installer = DriverInstaller(
        fileName: "NVIDIA-Linux-x86_64-590.44.01.run",
        size: 1,
        supportedGPUs: [
            SupportedChip(deviceID: 0x2330, name: "H100"),
            SupportedChip(deviceID: 0x1DB4, name: "V100", legacyBranch: "580.xx"),
            // Listed per board and generically: the board's entry wins.
            SupportedChip(
                deviceID: 0x20B0,
                subsystemDeviceID: 0x134F,
                subsystemVendorID: 0x10DE,
                name: "A100 board"
            ),
            SupportedChip(deviceID: 0x20B0, name: "A100 generic", legacyBranch: "999.xx"),
            // Listed only per board, with a legacy board.
            SupportedChip(
                deviceID: 0x1EB8,
                subsystemDeviceID: 0x12A2,
                subsystemVendorID: 0x10DE,
                name: "T4 first board"
            ),
            SupportedChip(
                deviceID: 0x1EB8,
                subsystemDeviceID: 0x0001,
                subsystemVendorID: 0x1028,
                name: "T4 Dell",
                legacyBranch: "470.xx"
            ),
        ]
    )

    @Test(arguments: [
        (
            device: UInt16(0x2330), vendor: UInt16?.none, subdevice: UInt16?.none,
            expected: ChipSupport.supported(name: "H100")
        ),
        (0x2330, 0x10DE, 0x16C1, .supported(name: "H100")),
        (0x1DB4, nil, nil, .legacy(branch: "580.xx", name: "V100")),
        (0x20B0, 0x10DE, 0x134F, .supported(name: "A100 board")),
        (0x20B0, 0x10DE, 0x1450, .legacy(branch: "999.xx", name: "A100 generic")),
        (0x20B0, nil, nil, .legacy(branch: "999.xx", name: "A100 generic")),
        (0x1EB8, 0x1028, 0x0001, .legacy(branch: "470.xx", name: "T4 Dell")),
        (0x1EB8, 0x10DE, 0x9999, .supported(name: "T4 first board")),
        (0x1EB8, nil, nil, .supported(name: "T4 first board")),
        (0x2C3A, nil, nil, .notListed),
    ])
    func picksTheEntry(device: UInt16, vendor: UInt16?, subdevice: UInt16?, expected: ChipSupport) {
        let support = Self.installer.support(
            deviceID: device,
            subsystemVendorID: vendor,
            subsystemDeviceID: subdevice
        )
        #expect(support == expected)
    }

    @Test func noListMeansUnknown() {
        let installer = DriverInstaller(fileName: "x.run", size: 1)
        #expect(
            installer.support(deviceID: 0x2330, subsystemVendorID: nil, subsystemDeviceID: nil)
                == .unknown
        )
        var empty = installer
        empty.supportedGPUs = []
        #expect(
            empty.support(deviceID: 0x2330, subsystemVendorID: nil, subsystemDeviceID: nil)
                == .notListed
        )
    }
}
