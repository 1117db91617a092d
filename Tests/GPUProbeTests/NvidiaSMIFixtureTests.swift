import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

/// Every captured nvidia-smi sample against every `expected` value of its `.meta.json`.
///
/// Keys that describe the capture rather than its content (`header`, `units`, `dtd`) are not
/// compared: the parser does not report them.
@Suite struct NvidiaSMIFixtureTests {
    static let files = Fixtures.captured(in: "nvidia-smi")

    @Test func fixturesAreFound() {
        #expect(Self.files.count >= 40)
    }

    @Test(arguments: files)
    func matchesExpectedValues(file: String) throws {
        let text = try Fixtures.text(file)
        let meta = try Fixtures.meta(file)
        let expected = try Fixtures.expected(file)
        let exitStatus = (expected["exit_code"] as? NSNumber).map { Int32(truncating: $0) }
        let document = NvidiaSMIParser.document(text, exitStatus: exitStatus)
        let result = NvidiaSMIParser.parse(text, exitStatus: exitStatus)
        #expect(result == document.result)

        #expect(document.format == Self.format(of: file))
        try Self.checkFailure(document, expected)
        Self.checkVersions(document, expected)
        try Self.checkGPUs(document, expected)
        Self.checkCompleteness(document, expected, truncated: meta["truncated"] as? Bool ?? false)
    }

    /// The form a fixture's name says it has.
    static func format(of file: String) -> NvidiaSMIFormat {
        let name = file.split(separator: "/").last.map(String.init) ?? file
        if name.hasPrefix("csv_") { return .csv }
        if name.hasPrefix("fail_") { return .failure }
        if name.hasPrefix("q_") { return .query }
        if name.hasPrefix("table_") { return .table }
        if name.hasPrefix("xml_") { return .xml }
        return .unknown
    }

    static func checkFailure(_ document: NvidiaSMIDocument, _ expected: [String: Any]) throws {
        let errors = document.diagnostics.filter { $0.severity == .error }
        guard let code = expected["error"] as? String else {
            #expect(errors.isEmpty, "no failure expected, got \(errors)")
            return
        }
        #expect(document.diagnostics.count == 1)
        let diagnostic = try #require(document.diagnostics.first)
        #expect(diagnostic.code.rawValue == code)
        #expect(diagnostic.source == .nvidia)
        #expect(diagnostic.severity == .error)
        #expect(!diagnostic.message.isEmpty && !diagnostic.message.contains("\n"))
        if let busID = expected["bus_id"] as? String {
            #expect(diagnostic.context["bus_id"] == PCIAddress(busID)?.description)
        } else {
            #expect(diagnostic.context["bus_id"] == nil)
        }
        #expect(
            diagnostic.context["nvml_library_version"] == expected["nvml_library_version"]
                as? String
        )
        if let status = expected["exit_code"] as? NSNumber {
            #expect(diagnostic.context["exit_status"] == status.stringValue)
        }
        #expect(document.gpus.isEmpty)
    }

    static func checkVersions(_ document: NvidiaSMIDocument, _ expected: [String: Any]) {
        if expected.keys.contains("driver_version") {
            #expect(document.driverVersion == expected["driver_version"] as? String)
        }
        if expected.keys.contains("cuda_version") {
            #expect(document.cudaVersion == expected["cuda_version"] as? String)
        }
        if let kmd = expected["kmd_version"] as? String {
            // The KMD version is what R610 calls the driver version.
            #expect(document.driverVersion == kmd)
        }
        if expected.keys.contains("attached_gpus") {
            #expect(document.attachedGPUs == (expected["attached_gpus"] as? NSNumber)?.intValue)
        }
    }

    static func checkGPUs(_ document: NvidiaSMIDocument, _ expected: [String: Any]) throws {
        let gpus = expected["gpus"] as? [[String: Any]] ?? []
        #expect(document.gpus.count == gpus.count)
        if let elements = (expected["gpu_elements"] as? NSNumber)?.intValue {
            #expect(document.gpus.count == elements)
        } else if let attached = (expected["attached_gpus"] as? NSNumber)?.intValue {
            #expect(document.gpus.count == attached)
        }
        for (parsed, want) in zip(document.gpus, gpus) {
            let gpu = parsed.gpu
            if let index = want["index"] as? NSNumber { #expect(gpu.index == index.intValue) }
            if want.keys.contains("name") { #expect(gpu.name == want["name"] as? String) }
            if let busID = want["bus_id"] as? String {
                #expect(gpu.busID != nil)
                #expect(gpu.busID == PCIAddress(busID))
            }
            if want.keys.contains("memory_total_mib") {
                #expect(gpu.memoryTotalMiB == (want["memory_total_mib"] as? NSNumber)?.intValue)
            }
            if want.keys.contains("memory_used_mib") {
                #expect(gpu.memoryUsedMiB == (want["memory_used_mib"] as? NSNumber)?.intValue)
            }
            if want.keys.contains("minor_number") {
                #expect(gpu.minorNumber == (want["minor_number"] as? String).flatMap { Int($0) })
            }
            if want.keys.contains("pci_device_id") {
                #expect(gpu.pciDeviceID == deviceID(fromNVML: want["pci_device_id"] as? String))
            }
            if let mode = want["mig_mode_current"] as? String {
                #expect(gpu.migMode == mode.lowercased())
            }
            if let count = want["mig_devices"] as? NSNumber {
                #expect(parsed.migDeviceCount == count.intValue)
            }
            if let migTotal = want["mig_device_fb_total_mib"] as? NSNumber {
                #expect(gpu.memoryTotalMiB != migTotal.intValue)
            }
            #expect(gpu.architecture == nil)
        }
    }

    /// A cut sample, and only a cut sample, gets an `incomplete_output` warning; a trimmed
    /// XML file with fewer `<gpu>` elements than attached GPUs gets one too.
    static func checkCompleteness(
        _ document: NvidiaSMIDocument,
        _ expected: [String: Any],
        truncated: Bool
    ) {
        let incomplete = document.diagnostics.filter { $0.code == .incompleteOutput }
        let attached = (expected["attached_gpus"] as? NSNumber)?.intValue
        let elements = (expected["gpu_elements"] as? NSNumber)?.intValue
        if let attached, let elements, elements < attached {
            #expect(incomplete.contains { $0.context["attached_gpus"] == String(attached) })
        } else {
            #expect(!incomplete.isEmpty == truncated, "\(incomplete)")
        }
        #expect(incomplete.allSatisfy { $0.severity == .warning && $0.source == .nvidia })
    }

    /// What the parser should make of an NVML id such as `20B210DE`: the device half, lower
    /// case, and nothing for values that are not vendor 10DE.
    static func deviceID(fromNVML value: String?) -> String? {
        guard var digits = value else { return nil }
        if digits.hasPrefix("0x") { digits.removeFirst(2) }
        guard digits.count == 8, digits.uppercased().hasSuffix("10DE") else { return nil }
        return String(digits.prefix(4)).lowercased()
    }
}
