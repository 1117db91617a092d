import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

@Suite struct NPUSMIParserTests {
    static let samples = Fixtures.captured(in: "npu-smi")

    /// Samples cut mid-table by their authors: the parser must say so.
    static let cutSamples: Set<String> = [
        "npu-smi/info_910B4_npusmi24.1.1_1panel.txt",
        "npu-smi/info_A3_Ascend910_npusmi25.2.1.txt",
        "npu-smi/info_A3_Ascend910_npusmi26.0.rc2_wide.txt",
    ]

    @Test func findsTheSamples() {
        #expect(Self.samples.count == 11)
    }

    @Test(arguments: samples)
    func matchesExpectedValues(file: String) throws {
        let result = NPUSMIParser.parse(try Fixtures.text(file))
        let meta = try Fixtures.meta(file)
        let expected = try Fixtures.expected(file)

        if let error = expected["error"] as? String {
            #expect(result.format == .failure)
            let diagnostic = try #require(result.diagnostics.first { $0.code.rawValue == error })
            #expect(diagnostic.source == .ascend)
            #expect(diagnostic.severity == .error)
            #expect(!diagnostic.message.contains("\n"))
            if let ret = expected["ret"] as? Int {
                #expect(diagnostic.context["ret"] == String(ret))
            }
        }
        for key in expected.keys {
            #expect(["error", "ret", "npu_smi_version", "npus"].contains(key), "unchecked \(key)")
        }
        if expected.keys.contains("npu_smi_version") {
            #expect(result.section.npuSMIVersion == expected["npu_smi_version"] as? String)
        }
        guard let npus = expected["npus"] as? [[String: Any]] else { return }

        let isMapping = (meta["kind"] as? String) == "npu-smi info -m"
        #expect(result.format == (isMapping ? .mapping : .info))
        #expect(result.section.npus.count == npus.count)
        for (actual, wanted) in zip(result.section.npus, npus) {
            Self.compare(actual, wanted, file: file)
        }

        let incomplete = result.diagnostics.filter { $0.code == .incompleteOutput }
        if Self.cutSamples.contains(file) {
            #expect(incomplete.count == 1)
            #expect(result.diagnostics.count == 1)
        } else {
            #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        }
    }

    /// Compares every key of an expected chip; an id the layout has no column for must stay nil.
    static func compare(_ npu: AscendNPU, _ wanted: [String: Any], file: String) {
        let label = "\(file) npu \(npu.npuID) chip \(npu.chipID)"
        for (key, value) in wanted {
            let number = value as? Int
            switch key {
            case "npu_id": #expect(npu.npuID == number, "\(label)")
            case "chip_id": #expect(npu.chipID == number, "\(label)")
            case "phy_id": #expect(npu.phyID == number, "\(label)")
            case "device_id": #expect(npu.deviceID == number, "\(label)")
            case "chip_logic_id": #expect(npu.chipLogicID == number, "\(label)")
            case "name": #expect(npu.name == value as? String, "\(label)")
            case "health": #expect(npu.health == value as? String, "\(label)")
            case "memory_total_mb": #expect(npu.memoryTotalMB == number, "\(label)")
            case "hbm_total_mb": #expect(npu.hbmTotalMB == number, "\(label)")
            case "bus_id":
                let address = (value as? String).flatMap(PCIAddress.init)
                #expect(npu.busID == address, "\(label)")
                if value is String {
                    #expect(address != nil, "\(label): expected bus id unreadable")
                }
            default: Issue.record("\(label): unchecked expected key \(key)")
            }
        }
        for key in ["phy_id", "device_id", "chip_logic_id"] where wanted[key] == nil {
            switch key {
            case "phy_id": #expect(npu.phyID == nil, "\(label)")
            case "device_id": #expect(npu.deviceID == nil, "\(label)")
            default: #expect(npu.chipLogicID == nil, "\(label)")
            }
        }
    }

    // MARK: Values the meta files do not list

    @Test func readsMetricsOfA910B4Chip() throws {
        let result = NPUSMIParser.parse(
            try Fixtures.text("npu-smi/info_910B4_npusmi24.1.1_1panel.txt")
        )
        let first = try #require(result.section.npus.first)
        #expect(first.powerW == 88.2)
        #expect(first.temperatureC == 30)
        #expect(first.aicorePercent == 0)
        #expect(first.memoryUsedMB == 0)
        // The used value touches the slash: `26838/ 32768`.
        #expect(first.hbmUsedMB == 26838)
        #expect(first.hbmTotalMB == 32768)
        #expect(result.section.npus.last?.hbmUsedMB == 29356)
    }

    @Test func readsADashPowerAsUnknown() throws {
        let result = NPUSMIParser.parse(
            try Fixtures.text("npu-smi/info_A3_Ascend910_npusmi26.0.rc2_wide.txt")
        )
        let npus = result.section.npus
        try #require(npus.count == 2)
        #expect(npus[0].powerW == 162.6)
        #expect(npus[1].powerW == nil)
        #expect(npus[1].temperatureC == 34)
        #expect(npus[1].hbmUsedMB == 2874)
    }

    @Test func readsThe310Layout() throws {
        let result = NPUSMIParser.parse(
            try Fixtures.text("npu-smi/info_310_npusmi20.2.0_gpustack.txt")
        )
        let first = try #require(result.section.npus.first)
        #expect(first.powerW == 12.8)
        #expect(first.temperatureC == 56)
        #expect(first.memoryUsedMB == 2703)
        #expect(first.hbmUsedMB == nil)
    }

    @Test func readsThe910AHugepagesLayout() throws {
        let result = NPUSMIParser.parse(
            try Fixtures.text("npu-smi/info_910A_x8_npusmi22.0.3.1_gpustack.txt")
        )
        let fourth = try #require(result.section.npus.dropFirst(3).first)
        #expect(fourth.powerW == 191.7)
        #expect(fourth.temperatureC == 42)
        #expect(fourth.memoryUsedMB == 1866)
        #expect(fourth.hbmUsedMB == 0)
    }

    // MARK: Layouts without a captured sample

    /// A 300I Duo: one name row, two chips sharing a bus id, Power `NA`, no HBM column.
    static let duo = """
        +--------------------------------------------------------------------------------------------------------+
        | npu-smi 23.0.rc3                                 Version: 23.0.rc3                                     |
        +-------------------------------+-----------------+------------------------------------------------------+
        | NPU     Name                  | Health          | Power(W)     Temp(C)           Hugepages-Usage(page) |
        | Chip    Device                | Bus-Id          | AICore(%)    Memory-Usage(MB)                        |
        +===============================+=================+======================================================+
        | 1       310P3                 | OK              | NA           54                0     / 0             |
        | 0       0                     | 0000:01:00.0    | 0            1621 / 44280                            |
        | 1       1                     | 0000:01:00.0    | 0            1392 / 43693                            |
        +===============================+=================+======================================================+

        """

    @Test func readsA300IDuoWithNAPower() throws {
        let result = NPUSMIParser.parse(Self.duo)
        #expect(result.format == .info)
        #expect(result.diagnostics.isEmpty)
        #expect(result.section.npuSMIVersion == "23.0.rc3")
        let npus = result.section.npus
        try #require(npus.count == 2)
        #expect(npus.map(\.npuID) == [1, 1])
        #expect(npus.map(\.chipID) == [0, 1])
        #expect(npus.map(\.deviceID) == [0, 1])
        #expect(npus.map(\.phyID) == [nil, nil])
        #expect(npus.map(\.name) == ["310P3", "310P3"])
        #expect(npus.map(\.powerW) == [nil, nil])
        #expect(npus.map(\.temperatureC) == [54, 54])
        #expect(npus.map(\.busID) == [PCIAddress("0000:01:00.0"), PCIAddress("0000:01:00.0")])
        #expect(npus.map(\.memoryUsedMB) == [1621, 1392])
        #expect(npus.map(\.memoryTotalMB) == [44280, 43693])
        #expect(npus.map(\.hbmTotalMB) == [nil, nil])
    }

    @Test func readsAnNABusIDAsNil() {
        let text = """
            +------------------------------------------------------------------------------------------------+
            | npu-smi 23.0.2.1                 Version: 23.0.2.1                                             |
            +---------------------------+---------------+----------------------------------------------------+
            | NPU   Name                | Health        | Power(W)    Temp(C)           Hugepages-Usage(page)|
            | Chip  Device              | Bus-Id        | AICore(%)   Memory-Usage(MB)                       |
            +===========================+===============+====================================================+
            | 0     310B1               | Alarm         | 0.0         56                15    / 15         |
            | 0     0                   | NA            | 0           1812 / 15609                         |
            +===========================+===============+====================================================+
            """
        let result = NPUSMIParser.parse(text)
        #expect(result.diagnostics.isEmpty)
        let npu = result.section.npus.first
        #expect(npu?.name == "310B1")
        #expect(npu?.health == "Alarm")
        #expect(npu?.busID == nil)
        #expect(npu?.deviceID == 0)
        #expect(npu?.memoryTotalMB == 15609)
    }

    @Test func ignoresTheProcessTable() {
        let text = """
            +------------------------------------------------------------------------------------------------+
            | npu-smi 24.1.0                   Version: 24.1.0                                               |
            +---------------------------+---------------+----------------------------------------------------+
            | NPU   Name                | Health        | Power(W)    Temp(C)           Hugepages-Usage(page)|
            | Chip                      | Bus-Id        | AICore(%)   Memory-Usage(MB)  HBM-Usage(MB)        |
            +===========================+===============+====================================================+
            | 0     910B3               | OK            | 96.4        36                0    / 0             |
            | 0                         | 0000:C1:00.0  | 0           0    / 0          3338 / 65536         |
            +===========================+===============+====================================================+
            +---------------------------+---------------+----------------------------------------------------+
            | NPU     Chip              | Process id    | Process name             | Process memory(MB)      |
            +===========================+===============+====================================================+
            | 0       0                 | 204783        | python3.10               | 2934                    |
            +===========================+===============+====================================================+
            """
        let result = NPUSMIParser.parse(text)
        #expect(result.diagnostics.isEmpty)
        #expect(result.section.npus.count == 1)
        #expect(result.section.npus.first?.hbmTotalMB == 65536)
        #expect(result.section.npus.first?.aicorePercent == 0)
    }

    @Test func toleratesAHeaderWiderThanItsBorders() throws {
        let text = try Fixtures.text("npu-smi/info_910A_x8_npusmi22.0.3.1_gpustack.txt")
        let wider = text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("| NPU") || $0.hasPrefix("| Chip") ? $0.dropLast() + "  |" : $0 }
            .joined(separator: "\n")
        let result = NPUSMIParser.parse(wider)
        #expect(result.diagnostics.isEmpty)
        #expect(result.section == NPUSMIParser.parse(text).section)
    }

    @Test func readsRowsPastedWithoutHeader() throws {
        let text = try Fixtures.text("npu-smi/info_310_npusmi20.2.0_gpustack.txt")
        let rows = text.split(separator: "\n").dropFirst(6).joined(separator: "\n")
        let result = NPUSMIParser.parse(rows)
        #expect(result.format == .info)
        #expect(result.section.npuSMIVersion == nil)
        #expect(result.section.npus.map(\.deviceID) == [0, 1, 2, 3])
        #expect(result.section.npus.map(\.memoryTotalMB) == [8192, 8192, 8192, 8192])
    }

    // MARK: Failures

    @Test func reportsDeviceInUse() throws {
        let result = NPUSMIParser.parse(
            "dcmi model initialized failed, because the device is used. ret is -8020\n"
        )
        #expect(result.format == .failure)
        let diagnostic = try #require(result.diagnostics.first)
        #expect(result.diagnostics.count == 1)
        #expect(diagnostic.code == .dcmiInitFailed)
        #expect(diagnostic.severity == .error)
        #expect(diagnostic.context == ["ret": "-8020"])
        #expect(diagnostic.message.contains("--device=/dev/davinci_manager"))
    }

    @Test func says8005MeansTheDeviceIsHeld() throws {
        let result = NPUSMIParser.parse(
            try Fixtures.text("npu-smi/fail_dcmi_init_8005_vllm_ascend2698.txt")
        )
        let diagnostic = try #require(result.diagnostics.first)
        #expect(result.diagnostics.count == 1)
        #expect(diagnostic.message.contains("another container"))
        #expect(diagnostic.message.contains("--device=/dev/hisi_hdc"))
    }

    @Test func boundsRepeatedFailures() {
        let text = (0..<200_000).map { "dcmi module initialize failed. ret is -\($0)\n" }.joined()
        let result = NPUSMIParser.parse(text)
        #expect(result.format == .failure)
        #expect(result.diagnostics.count == NPUSMIFailures.limit)
        #expect(result.diagnostics.first?.context == ["ret": "-0"])
    }

    @Test(arguments: ["", "\n\n", "hello world\n", "NVIDIA-SMI has failed\n"])
    func callsOtherTextUnrecognized(text: String) throws {
        let result = NPUSMIParser.parse(text)
        #expect(result.format == .unknown)
        #expect(result.section == AscendSection())
        #expect(result.diagnostics.map(\.code) == [.unrecognizedOutput])
    }

    // MARK: Mapping

    @Test func mergesLogicIDsIntoInfo() throws {
        let info = NPUSMIParser.parse(
            try Fixtures.text("npu-smi/info_910A_x8_npusmi22.0.3.1_gpustack.txt")
        )
        let mapping = NPUSMIParser.parse(try Fixtures.text("npu-smi/info_m_910A_x8_gpustack.txt"))
        let merged = NPUSMIParser.merge(info: info.section, mapping: mapping.section)
        #expect(merged.npus.map(\.chipLogicID) == Array(0..<8))
        #expect(merged.npus.map(\.name) == info.section.npus.map(\.name))
        #expect(merged.npuSMIVersion == "22.0.3.1")
    }

    @Test func skipsTheMCURowOfAMapping() {
        let text = """
            NPU ID                         Chip ID                        Chip Logic ID                  Chip Name
            0                              0                              0                              Ascend 910B3
            0                              1                              -                              Mcu
            1                              0                              1                              Ascend 910B3

            """
        let result = NPUSMIParser.parse(text)
        #expect(result.format == .mapping)
        #expect(result.diagnostics.isEmpty)
        #expect(result.section.npus.map(\.chipLogicID) == [0, 1])
        #expect(result.section.npus.map(\.name) == ["Ascend 910B3", "Ascend 910B3"])
    }

    // MARK: Pastes

    @Test(arguments: samples)
    func readsCRLFAsLF(file: String) throws {
        let text = try Fixtures.text(file)
        let crlf = text.split(separator: "\n", omittingEmptySubsequences: false)
            .joined(separator: "\r\n")
        #expect(NPUSMIParser.parse(crlf) == NPUSMIParser.parse(text))
    }

    @Test(arguments: samples)
    func ignoresTrailingSpacesAndIndentation(file: String) throws {
        let text = try Fixtures.text(file)
        let padded = text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.isEmpty ? "" : "   " + $0 + "  \t " }
            .joined(separator: "\n")
        let plain = NPUSMIParser.parse(text)
        let result = NPUSMIParser.parse(padded)
        #expect(result.section == plain.section)
        #expect(result.format == plain.format)
        #expect(result.diagnostics.map(\.code) == plain.diagnostics.map(\.code))
    }

    /// Every prefix of every sample parses, and a cut `info` table never yields a chip that
    /// differs from the full table's: only complete chips count.
    @Test(arguments: samples)
    func survivesEveryPrefix(file: String) throws {
        let bytes = Array(try Fixtures.text(file).utf8)
        let full = NPUSMIParser.parse(String(decoding: bytes, as: UTF8.self))
        for length in 0...bytes.count {
            let result = NPUSMIParser.parse(String(decoding: bytes[..<length], as: UTF8.self))
            guard full.format == .info, result.format == .info else { continue }
            let npus = result.section.npus
            #expect(npus.count <= full.section.npus.count)
            #expect(
                Array(full.section.npus.prefix(npus.count)) == npus,
                "prefix of \(length) bytes"
            )
            // A cut at a line end after a border looks like a table that ends there; a cut
            // anywhere inside a line must be reported.
            let atLineEnd =
                length == bytes.count || bytes[length] == 0x0A || bytes[length] == 0x0D
                || bytes[..<length].last == 0x0A
            if npus.count < full.section.npus.count, !atLineEnd {
                #expect(
                    result.diagnostics.contains { $0.code == .incompleteOutput },
                    "prefix of \(length) bytes"
                )
            }
        }
    }

    @Test func survivesBinaryJunk() {
        var generator = SplitMix(seed: 42)
        for size in [1, 7, 100, 4096, 100_000] {
            let bytes = (0..<size).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            let result = NPUSMIParser.parse(String(decoding: bytes, as: UTF8.self))
            #expect(result.format == .unknown || !result.diagnostics.isEmpty)
        }
        // Table characters in random order, the likeliest junk to confuse a table reader.
        let alphabet = Array("|+-= 0123456789:./ABCNPUOKVersion-smi\n\r\t".utf8)
        for _ in 0..<200 {
            let bytes = (0..<400).map { _ in
                alphabet[Int(generator.next() % UInt64(alphabet.count))]
            }
            _ = NPUSMIParser.parse(String(decoding: bytes, as: UTF8.self))
        }
    }

    @Test func readsEveryNPUOfTenMegabytesOfTables() throws {
        let table = try Fixtures.text("npu-smi/info_910A_x8_npusmi22.0.3.1_gpustack.txt")
        let copies = 10_000_000 / table.utf8.count + 1
        let text = String(repeating: table, count: copies)
        var result: NPUSMIParseResult?
        result = NPUSMIParser.parse(text)
        #expect(result?.section.npus.count == 8 * copies)

        let line = String(repeating: "| 0 910B4 | OK | 88.2 30 0 / 0 ", count: 300_000)
        _ = NPUSMIParser.parse(line)
    }
}

/// A small deterministic generator, so junk tests fail the same way every run.
struct SplitMix {

    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
