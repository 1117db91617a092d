/// The value rules of `Schemas/host-v1.schema.json` that the model's types do not carry:
/// patterns, enums, minimums and the rule that only NVIDIA accelerators have a compute
/// capability.
///
/// A report read from a file is checked against them after decoding, so that a value outside
/// its pattern (`"kernel_module_version": "550.54.14$(id)"`) is refused with its key path
/// rather than read as unknown, which once let a plan call a driver "exact" from the other
/// version field. Keys the schema does not know are not refused: a later v1 may add some.
/// Two rules are stricter than the schema, where gpuprobe cannot use what the pattern
/// allows: a driver version has 2 to 4 parts of at most 6 digits (what ``DriverVersion``
/// reads), and a PCI device number is at most 1f.
public struct HostReportViolation: Error, Hashable, Sendable, CustomStringConvertible {
    /// Where, as people write it: `nvidia.gpus[0].index`.
    public var path: String
    /// The value found, as a message shows it (quoted, escaped, cut).
    public var found: String
    /// What the schema allows there.
    public var expected: String

    /// `'nvidia.gpus[0].index' is -1, expected ...`.
    public var description: String { "'\(path)' is \(found), expected \(expected)" }
}

extension HostReport {
    /// The first value of the report that the host schema refuses; nil when there is none.
    public func firstViolation() -> HostReportViolation? {
        var check = ViolationFinder()
        check.report(self)
        return check.found
    }
}

/// Walks a report in document order and keeps the first violation.
private struct ViolationFinder {
    var found: HostReportViolation?

    mutating func report(_ report: HostReport) {
        for (index, device) in report.pciDevices.enumerated() {
            pciDevice(device, "pci_devices[\(index)]")
        }
        for (index, accelerator) in report.accelerators.enumerated() {
            self.accelerator(accelerator, "accelerators[\(index)]")
        }
        if let nvidia = report.nvidia { self.nvidia(nvidia, "nvidia") }
        if let ascend = report.ascend {
            for (index, npu) in ascend.npus.enumerated() { self.npu(npu, "ascend.npus[\(index)]") }
        }
        for (index, diagnostic) in report.diagnostics.enumerated() {
            let path = "diagnostics[\(index)]"
            // The source needs no rule here: it is a ``Diagnostic/Source``, which decoding
            // refuses outside the schema's list.
            string(diagnostic.code.rawValue, "\(path).code", .diagnosticCode)
        }
    }

    mutating func pciDevice(_ device: PCIDevice, _ path: String) {
        string(device.vendorID, "\(path).vendor_id", .hex4)
        string(device.deviceID, "\(path).device_id", .hex4)
        string(device.subsystemVendorID, "\(path).subsystem_vendor_id", .hex4)
        string(device.subsystemDeviceID, "\(path).subsystem_device_id", .hex4)
        string(device.classCode, "\(path).class", .hex4)
        string(device.revision, "\(path).revision", .hex2)
        count(device.numaNode, "\(path).numa_node")
    }

    mutating func accelerator(_ accelerator: Accelerator, _ path: String) {
        string(accelerator.vendorID, "\(path).vendor_id", .hex4)
        string(accelerator.deviceID, "\(path).device_id", .hex4)
        string(accelerator.computeCapability, "\(path).compute_capability", .computeCapability)
        if accelerator.kind != .nvidiaGPU, let capability = accelerator.computeCapability {
            record(
                "\(path).compute_capability",
                JSONValue.shown(capability),
                "null: only an nvidia_gpu has a compute capability"
            )
        }
    }

    mutating func nvidia(_ nvidia: NvidiaSection, _ path: String) {
        string(nvidia.kernelModuleVersion, "\(path).kernel_module_version", .driverVersion)
        string(nvidia.driverVersion, "\(path).driver_version", .driverVersion)
        string(nvidia.cudaVersion, "\(path).cuda_version", .version)
        for (index, gpu) in nvidia.gpus.enumerated() {
            let path = "\(path).gpus[\(index)]"
            count(gpu.index, "\(path).index")
            string(gpu.pciDeviceID, "\(path).pci_device_id", .hex4)
            count(gpu.memoryTotalMiB, "\(path).memory_total_mib")
            count(gpu.memoryUsedMiB, "\(path).memory_used_mib")
            string(gpu.computeCapability, "\(path).compute_capability", .computeCapability)
            string(gpu.migMode, "\(path).mig_mode", .migMode)
            count(gpu.minorNumber, "\(path).minor_number")
            string(gpu.productBrand, "\(path).product_brand", .productBrand)
        }
        for (index, process) in nvidia.processes.enumerated() {
            let path = "\(path).processes[\(index)]"
            count(process.gpuIndex, "\(path).gpu_index")
            count(process.pid, "\(path).pid")
            count(process.usedMemoryMiB, "\(path).used_memory_mib")
        }
    }

    mutating func npu(_ npu: AscendNPU, _ path: String) {
        count(npu.npuID, "\(path).npu_id")
        count(npu.chipID, "\(path).chip_id")
        count(npu.phyID, "\(path).phy_id")
        count(npu.deviceID, "\(path).device_id")
        count(npu.chipLogicID, "\(path).chip_logic_id")
        count(npu.aicorePercent, "\(path).aicore_percent")
        count(npu.memoryUsedMB, "\(path).memory_used_mb")
        count(npu.memoryTotalMB, "\(path).memory_total_mb")
        count(npu.hbmUsedMB, "\(path).hbm_used_mb")
        count(npu.hbmTotalMB, "\(path).hbm_total_mb")
    }

    /// An integer the schema gives `"minimum": 0`.
    mutating func count(_ value: Int?, _ path: String) {
        guard let value, value < 0 else { return }
        record(path, String(value), "an integer of 0 or more, or null where unknown")
    }

    mutating func string(_ value: String?, _ path: String, _ rule: StringRule) {
        guard let value, !rule.allows(value) else { return }
        record(path, JSONValue.shown(value), rule.expected)
    }

    mutating func record(_ path: String, _ found: String, _ expected: String) {
        guard self.found == nil else { return }
        self.found = HostReportViolation(path: path, found: found, expected: expected)
    }
}

/// A string pattern or enum of the schema, and how a message names it.
private enum StringRule {
    /// `^[0-9a-f]{4}$`
    case hex4
    /// `^[0-9a-f]{2}$`
    case hex2
    /// `^[0-9]+\.[0-9]+$`
    case computeCapability
    /// `^[0-9]+(\.[0-9]+)*$`
    case version
    /// The same pattern, and what ``DriverVersion`` reads: 2 to 4 parts of at most 6 digits.
    case driverVersion
    /// `enabled` or `disabled`.
    case migMode
    /// One of the brand names libnvidia-container gives (``GPUBrand/tokens``).
    case productBrand
    /// `^[a-z][a-z0-9_]*$`
    case diagnosticCode

    var expected: String {
        switch self {
        case .hex4: "4 lower-case hex digits such as 10de, or null"
        case .hex2: "2 lower-case hex digits such as a1, or null"
        case .computeCapability: "major.minor such as 9.0, or null"
        case .version: "numbers and dots such as 12.4, or null"
        case .driverVersion: "an NVIDIA driver version such as 550.54.14, or null"
        case .migMode: "\"enabled\", \"disabled\" or null"
        case .productBrand: "a brand such as nvidia, nvidiartx or geforce, or null"
        case .diagnosticCode: "a snake_case code such as not_present"
        }
    }

    func allows(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        func isDigit(_ byte: UInt8) -> Bool { (48...57).contains(byte) }
        func isHex(_ byte: UInt8) -> Bool {
            isDigit(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
        }
        // Digit runs joined by single dots: `^[0-9]+(\.[0-9]+)*$`, with `parts` runs.
        func dotted(_ parts: ClosedRange<Int>) -> Bool {
            let runs = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
            return parts.contains(runs.count)
                && runs.allSatisfy { !$0.isEmpty && $0.allSatisfy(isDigit) }
        }
        switch self {
        case .hex4: return bytes.count == 4 && bytes.allSatisfy(isHex)
        case .hex2: return bytes.count == 2 && bytes.allSatisfy(isHex)
        case .computeCapability: return dotted(2...2)
        case .version: return dotted(1...Int.max)
        case .driverVersion: return dotted(2...4) && DriverVersion(text) != nil
        case .migMode: return text == "enabled" || text == "disabled"
        case .productBrand: return GPUBrand.tokens.contains(text)
        case .diagnosticCode:
            guard let first = bytes.first, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first)
            else { return false }
            return bytes.allSatisfy {
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || isDigit($0)
                    || $0 == UInt8(ascii: "_")
            }
        }
    }
}
