import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

/// Inputs the fuzz targets (fuzz/) found trouble with, kept in Fixtures/fuzz/TARGET/ and read
/// again here through the same reader, with what reading them must give.
@Suite struct FuzzFindingsTests {
    /// Two devices whose vendor IDs pci.ids lacks (the lspci-text target's leak report).
    ///
    /// libpci 3.9.0 asked udev's hwdb for each and, with no hwdb.bin, leaked a `struct udev`
    /// per lookup after the first. The lookups now skip hwdb where no hwdb.bin exists; the
    /// devices still read, with no vendor names rather than wrong ones.
    @Test func twoUnknownVendorsReadWithoutNames() throws {
        let text = try Fixtures.text("fuzz/lspci-text/leak-two-unknown-vendors.txt")
        let output = LspciReader.read(text)
        #expect(output.format == .nn)
        let devices = output.section.pciDevices
        #expect(devices.map(\.address.description) == ["0000:00:00.0", "0000:00:02.3"])
        #expect(devices.map(\.vendorID) == ["2b36", "0af4"])
        #expect(devices.map(\.vendorName) == [nil, nil])
        #expect(LibPCI.vendorNames(["2b36", "0af4", "10de"]) == ["10de": "NVIDIA Corporation"])
    }

    /// Every finding belongs to a target that exists, so none is kept without being read.
    @Test func everyFindingNamesATarget() throws {
        let folder = Fixtures.url("fuzz")
        let targets = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        let known = Set(
            try FileManager.default.contentsOfDirectory(
                atPath: Fixtures.root.deletingLastPathComponent().appendingPathComponent(
                    "fuzz/targets"
                ).path
            ).map { String($0.dropLast(".swift".count)) }
        )
        #expect(!targets.isEmpty)
        for target in targets { #expect(known.contains(target), "Fixtures/fuzz/\(target)") }
    }
}
