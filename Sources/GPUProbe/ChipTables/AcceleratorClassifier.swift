/// Picks the accelerators out of a PCI device list.
///
/// Works from IDs and class alone, so it answers on a host with no driver, from libpci or
/// from a pasted `lspci -nn`. Rules:
/// - NVIDIA GPU: vendor `10de` and display class `03xx`. A card's other functions (HD audio
///   `0403`, USB `0c03`, UCSI) and NVSwitch bridges (`0680`) are not GPUs. With no class at all
///   the device counts only when ``NvidiaChips`` knows the ID, since that table holds GPU
///   functions only.
/// - Ascend NPU: vendor `19e5` and an ID ``AscendChips`` knows, class `12xx` or missing
///   (Huawei's other functions, NICs and the like, have other IDs).
/// - AMD (`1002`) and Intel (`8086`) display devices, class `03xx`.
///
/// Devices without vendor or device ID (plain `lspci`) are skipped: without IDs nothing
/// here can be told for sure.
public enum AcceleratorClassifier {
    /// The accelerators among `devices`, sorted by bus address (the order lspci prints).
    public static func classify(_ devices: [PCIDevice]) -> [Accelerator] {
        devices.enumerated()
            .compactMap { offset, device in classify(device).map { (offset, $0) } }
            .sorted { ($0.1.address, $0.0) < ($1.1.address, $1.0) }
            .map(\.1)
    }

    /// The accelerator `device` is, or nil.
    static func classify(_ device: PCIDevice) -> Accelerator? {
        guard let vendorID = device.vendorID.flatMap(hexID),
            let deviceID = device.deviceID.flatMap(hexID)
        else { return nil }
        let classCode = device.classCode?.lowercased()
        let isDisplay = classCode?.hasPrefix("03") ?? false
        var accelerator = Accelerator(
            kind: .nvidiaGPU,
            address: device.address,
            vendorID: hex(vendorID, width: 4),
            deviceID: hex(deviceID, width: 4),
            name: device.deviceName,
            kernelDriver: device.kernelDriver
        )
        switch vendorID {
        case 0x10DE:
            let chip = NvidiaChips.lookup(deviceID: deviceID)
            guard isDisplay || (classCode == nil && chip != nil) else { return nil }
            accelerator.chip = chip?.chip
            accelerator.architecture = chip?.architecture
            accelerator.computeCapability = chip?.computeCapability
        case 0x19E5:
            guard let chip = AscendChips.lookup(deviceID: deviceID),
                classCode?.hasPrefix("12") ?? true
            else { return nil }
            accelerator.kind = .ascendNPU
            accelerator.name = device.deviceName ?? chip.name
            accelerator.chip = chip.name
        case 0x1002 where isDisplay:
            accelerator.kind = .amdGPU
        case 0x8086 where isDisplay:
            accelerator.kind = .intelGPU
        default:
            return nil
        }
        return accelerator
    }

    /// Reads a 4-digit hex ID, either case; nil for anything else.
    private static func hexID(_ text: String) -> UInt16? {
        let utf8 = text.utf8
        guard utf8.count == 4, utf8.allSatisfy(LspciBytes.isHexDigit) else { return nil }
        return UInt16(text, radix: 16)
    }
}
