import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

/// With a libpci older than 3.8 (Ubuntu 22.04 has 3.7) gpuprobe reads the subsystem IDs from
/// config space itself; over every device of every captured bundle it must find what libpci
/// 3.9 reported (the bundles' expected.json).
@Suite struct LibPCICompatibilityTests {
    /// The config bytes of each device in an `lspci -x`-style dump, by address.
    static func configSpaces(_ text: String) -> [String: [UInt8]] {
        var spaces: [String: [UInt8]] = [:]
        var current: String?
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard let first = fields.first else { continue }
            if first.hasSuffix(":"), first.count <= 4,
                let offset = Int(first.dropLast(), radix: 16),
                let address = current, spaces[address]?.count == offset
            {
                spaces[address, default: []] += fields.dropFirst().compactMap {
                    UInt8($0, radix: 16)
                }
            } else if !line.hasPrefix("\t"), let address = PCIAddress(String(first)) {
                current = address.description
                spaces[address.description] = []
            }
        }
        return spaces
    }

    /// The bundles with PCI config space (the others were assembled from text outputs).
    static let bundles = Fixtures.hostBundles.filter {
        FileManager.default.fileExists(atPath: Fixtures.url("hosts/\($0)/pci/config.txt").path)
    }

    @Test func threeBundlesHoldConfigSpace() {
        #expect(Self.bundles.count >= 3, "\(Self.bundles)")
    }

    @Test(arguments: bundles)
    func subsystemIDsFromConfigSpaceMatchLibpci39(bundle: String) throws {
        let spaces = Self.configSpaces(try Fixtures.text("hosts/\(bundle)/pci/config.txt"))
        let report = try TestPlans.report(bundle)
        #expect(spaces.count == report.pciDevices.count)
        for device in report.pciDevices {
            let config = try #require(spaces[device.address.description], "\(device.address)")
            let ids = LibPCI.subsystem(config)
            #expect(
                ids.map { String(format: "%04x", $0.vendor) } == device.subsystemVendorID,
                "\(bundle) \(device.address)"
            )
            #expect(
                ids.map { String(format: "%04x", $0.device) } == device.subsystemDeviceID,
                "\(bundle) \(device.address)"
            )
        }
    }

    @Test func headersThatHoldNoSubsystemGiveNone() {
        var config = [UInt8](repeating: 0, count: 64)
        config[0x0e] = 0x02  // CardBus: IDs past the 64-byte header
        #expect(LibPCI.subsystem(config) == nil)
        config[0x0e] = 0x00
        config[0x2c] = 0xff
        config[0x2d] = 0xff
        #expect(LibPCI.subsystem(config) == nil)
        #expect(LibPCI.subsystem(Array(config.prefix(32))) == nil)
        // A capability list that points at itself ends.
        var bridge = [UInt8](repeating: 0, count: 256)
        bridge[0x0e] = 0x01
        bridge[0x06] = 0x10
        bridge[0x34] = 0x40
        bridge[0x40] = 0x01
        bridge[0x41] = 0x40
        #expect(LibPCI.subsystem(bridge).map { [$0.vendor, $0.device] } == [0, 0])
    }
}
