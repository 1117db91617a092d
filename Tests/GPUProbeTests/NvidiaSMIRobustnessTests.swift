import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

/// Inputs a fuzzer or a careless paste would give: none may trap or take long.
@Suite struct NvidiaSMIRobustnessTests {
    @Test func emptyTextIsUnrecognised() {
        for text in ["", "\n", "  \r\n\t\n"] {
            let result = NvidiaSMIParser.parse(text)
            #expect(result.format == .unknown)
            #expect(result.section == NvidiaSection())
            #expect(result.diagnostics.map(\.code) == [.unrecognizedOutput])
        }
    }

    @Test func emptyTextWithFailingExitStatusIsToolFailed() throws {
        let result = NvidiaSMIParser.parse("", exitStatus: 9)
        #expect(result.format == .unknown)
        let diagnostic = try #require(result.diagnostics.first)
        #expect(diagnostic.code == .toolFailed)
        #expect(diagnostic.context["exit_status"] == "9")
    }

    @Test func anotherToolsOutputIsUnrecognised() throws {
        let lspci = try Fixtures.text("lspci/gpud_lspci_vvv_dell_h100.txt")
        let npuSMI = try Fixtures.text("npu-smi/info_910A_x8_npusmi22.0.3.1_gpustack.txt")
        for text in [lspci, npuSMI, "hello, world\n", "<html><body>nvidia</body></html>"] {
            let result = NvidiaSMIParser.parse(text)
            #expect(result.format == .unknown)
            #expect(result.section.gpus.isEmpty)
            #expect(result.diagnostics.map(\.code) == [.unrecognizedOutput])
        }
    }

    @Test(arguments: 0..<8)
    func binaryJunkDoesNotTrap(seed: Int) {
        var generator = SplitMix64(seed: UInt64(seed))
        let bytes = (0..<65_536).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        let result = NvidiaSMIParser.parse(String(decoding: bytes, as: UTF8.self))
        #expect(result.format == .unknown)
    }

    /// Junk made of the bytes the parsers look for, so that every branch gets odd input.
    @Test(arguments: 0..<8)
    func markupJunkDoesNotTrap(seed: Int) {
        var generator = SplitMix64(seed: UInt64(seed))
        let pieces = [
            "|", "+", "-", "=", " ", "\n", "\r", "\r\n", ":", ",", "<", ">", "/", "&", ";", "\"",
            "0", "7", "MiB", "N/A", "<nvidia_smi_log>", "<gpu id=\"0:1:2.3\">", "</gpu>",
            "<!--", "-->", "<!DOCTYPE [", "]", "<?", "?>", "&#x", "NVIDIA-SMI", "Bus-Id",
            "Driver Version:", "Processes:", "MIG devices:", "GPU 00000000:01:00.0",
            "Attached GPUs", "    ", "index, name", "Process ID", "FB Memory Usage",
        ]
        var text = ""
        for _ in 0..<20_000 {
            text += pieces[Int(generator.next() % UInt64(pieces.count))]
        }
        _ = NvidiaSMIParser.parse(text)
        _ = NvidiaSMIParser.parse("<nvidia_smi_log>" + text)
        _ = NvidiaSMIParser.parse("==============NVSMI LOG==============\n" + text)
        _ = NvidiaSMIParser.parse("| NVIDIA-SMI 550.54.14  Driver Version: 550.54.14 |\n" + text)
    }

    @Test func deeplyNestedXMLIsReadAsXMLWithoutOverflowingTheStack() {
        let open = String(repeating: "<a>", count: 200_000)
        let close = String(repeating: "</b>", count: 200_000)
        let result = NvidiaSMIParser.parse("<nvidia_smi_log>" + open + close)
        #expect(result.format == .xml)
    }

    /// Every fixture cut at many line breaks and byte offsets (also inside UTF-8 sequences):
    /// no trap, and never more GPUs than the whole sample has.
    @Test(arguments: Fixtures.captured(in: "nvidia-smi"))
    func everyPrefixParses(file: String) throws {
        let bytes = Array(try Data(contentsOf: Fixtures.url(file)))
        let full = NvidiaSMIParser.parse(String(decoding: bytes, as: UTF8.self))
        var cuts = Set(stride(from: 0, to: bytes.count, by: max(1, bytes.count / 97)))
        let breaks = bytes.indices.filter { bytes[$0] == 0x0A }
        // Around at most 100 line breaks: right before (a line without its end) and after.
        for offset in stride(from: 0, to: breaks.count, by: max(1, breaks.count / 100)) {
            cuts.insert(breaks[offset])
            cuts.insert(breaks[offset] + 1)
        }
        for cut in cuts.sorted() where cut <= bytes.count {
            let result = NvidiaSMIParser.parse(String(decoding: bytes[..<cut], as: UTF8.self))
            #expect(result.section.gpus.count <= max(1, full.section.gpus.count), "cut at \(cut)")
        }
    }

    /// About 10 MB of each data form must parse in well under the time a person waits.
    @Test(arguments: [
        "nvidia-smi/table_550.127.05_v100x8.txt",
        "nvidia-smi/q_590.48.01_h200_mig.txt",
        "nvidia-smi/xml_telegraf_a100-sxm4-v12.xml",
        "nvidia-smi/csv_610.57.04_rtx2080super_header_units.csv",
    ])
    func tenMegabytesFinish(file: String) throws {
        let sample = try Fixtures.text(file)
        let copies = 10_000_000 / sample.utf8.count + 1
        let text = String(repeating: sample + "\n", count: copies)
        var result: NvidiaSMIParseResult?
        result = NvidiaSMIParser.parse(text)
        #expect(result?.format != .unknown)
        // Debug builds are several times slower than release; this bound catches
        // quadratic behaviour, not small regressions.
        if file.contains("table_") { #expect(result?.section.gpus.count == 8) }
    }

    @Test func oneHugeLineFinishes() {
        let text = String(repeating: "| NVIDIA-SMI x Driver Version: 1.2 ", count: 300_000)
        let result = NvidiaSMIParser.parse(text)
        #expect(result.format == .table)
    }
}

/// A small deterministic generator, so junk tests fail the same way every run.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}

extension NvidiaSMIRobustnessTests {
    /// Lines made only of separators must not be split into millions of pieces.
    @Test(arguments: ["|", ",", " ", "<a x", ": "])
    func hugeSeparatorLinesFinish(piece: String) {
        let text =
            "| NVIDIA-SMI 1 Driver Version: 1.2 |\n" + String(repeating: piece, count: 2_000_000)
        _ = NvidiaSMIParser.parse(text)
        _ = NvidiaSMIParser.parse(String(repeating: piece, count: 2_000_000))
        _ = NvidiaSMIParser.parse("<nvidia_smi_log>" + String(repeating: piece, count: 2_000_000))
        _ = NvidiaSMIParser.parse("index, name\n" + String(repeating: piece, count: 2_000_000))
        _ = NvidiaSMIParser.parse(
            "No devices were found " + String(repeating: piece, count: 2_000_000)
        )
    }
}

extension NvidiaSMIRobustnessTests {
    /// A damaged version (a trailing dot, a doubled dot, a 40-digit run) is no version: the
    /// report would otherwise carry a value its schema refuses and its reader rejects.
    @Test(
        arguments: [
            ("580.159.04", "580.159.04"), ("13.0", "13.0"), ("550.", nil), ("1..2", nil),
            (".550", nil), (String(repeating: "9", count: 40), nil), ("1.2.3.4.5", nil),
        ] as [(String, String?)]
    )
    func onlyWellFormedVersionsAreRead(text: String, version: String?) {
        let table = "| NVIDIA-SMI \(text)  Driver Version: \(text)  CUDA Version: 13.0 |\n"
        #expect(NvidiaSMIParser.document(table, exitStatus: 0).driverVersion == version)
    }
}

extension NvidiaSMIRobustnessTests {
    /// CSV rows past the most GPUs a host has are counted, not kept, and the output says so.
    @Test func csvRowsPastTheMostGPUsAreLeftOutAndSaid() {
        let text =
            "index, name, memory.total [MiB]\n"
            + String(repeating: "0, A, 1 MiB\n", count: NvidiaSMIText.mostGPUs + 5)
        let document = NvidiaSMIParser.document(text, exitStatus: 0)
        #expect(document.gpus.count == NvidiaSMIText.mostGPUs)
        #expect(document.diagnostics.map(\.code) == [.incompleteOutput])
        #expect(document.diagnostics.first?.context["rows_left_out"] == "5")
    }
}
