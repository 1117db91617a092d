import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

/// lspci hex dumps go through libpci's own dump method; text forms through the text parser.
@Suite struct LspciReaderTests {
    static let dumps = Fixtures.captured(in: "lspci").filter { file in
        ((try? Fixtures.meta(file)["kind"] as? String) ?? "").contains("hex dump")
    }

    @Test func thereAreDumpSamples() {
        #expect(Self.dumps.count == 3)
    }

    @Test(arguments: dumps)
    func dumpsMatchExpectedIDs(file: String) throws {
        let output = LspciReader.read(try Fixtures.text(file))
        #expect(output.format == .dump)
        #expect(output.diagnostics.isEmpty)
        let expected = try #require(try Fixtures.expected(file)["devices"] as? [[String: Any]])
        #expect(output.section.pciDevices.count == expected.count)
        for (device, want) in zip(output.section.pciDevices, expected) {
            let address = try #require(PCIAddress(want["address"] as? String ?? ""))
            #expect(device.address == address)
            #expect(device.vendorID == want["vendor_id"] as? String)
            #expect(device.deviceID == want["device_id"] as? String)
            #expect(device.classCode == want["class"] as? String)
            // Names come from this machine's pci.ids, which may spell them differently from the
            // pci.ids the dump was made with ("nVidia" then, "NVIDIA" now): compare ids only.
        }
    }

    @Test func aMalformedDumpIsADiagnosticNotAnExit() {
        // libpci's dump reader calls its error handler ("dump: line too long") on this; its
        // default handler would exit(1) from inside the library.
        let text =
            "00:00.0 Host bridge: x\n00: 86 80 57 0d 00 00 00 00 00 00 00 06 00 00 00 00\n"
            + String(repeating: "0", count: 5000) + "\n"
        let output = LspciReader.read(text)
        #expect(output.section.pciDevices.isEmpty)
        #expect(output.diagnostics.map(\.code) == [.unrecognizedOutput])
    }

    @Test func textFormsGetVendorNamesFromPCIIDs() {
        let output = LspciReader.read(
            "0000:00:03.0 Ethernet controller [0200]: Red Hat, Inc. Virtio 1.0 network device [1af4:1041] (rev 01)\n"
        )
        let device = output.section.pciDevices.first
        #expect(device?.vendorName == "Red Hat, Inc.")
        #expect(device?.deviceName == "Virtio 1.0 network device")
    }
}

/// Every real sample in ../shared/samples has a byte-identical copy in Fixtures/, so the
/// parser tests over Fixtures/ (NvidiaSMIFixtureTests, NPUSMIParserTests, LspciTextParserTests,
/// KeyValueFileTests, LspciReaderTests) cover all of them.
@Suite struct SharedSamplesTests {
    static let samples: [String] = {
        let root = Fixtures.sharedSamples.path
        let folders = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return folders.flatMap { folder in
            ((try? FileManager.default.contentsOfDirectory(atPath: "\(root)/\(folder)")) ?? [])
                .map { "\(folder)/\($0)" }
        }.sorted()
    }()

    @Test(.enabled(if: !samples.isEmpty, "../shared/samples is not beside this checkout"))
    func everySampleIsAFixture() throws {
        #expect(Self.samples.count >= 124)
        for sample in Self.samples {
            let original = try Data(
                contentsOf: Fixtures.sharedSamples.appendingPathComponent(sample)
            )
            let copy = try? Data(contentsOf: Fixtures.url(sample))
            #expect(
                copy == original,
                "Fixtures/\(sample) is missing or differs from shared/samples"
            )
        }
    }
}
