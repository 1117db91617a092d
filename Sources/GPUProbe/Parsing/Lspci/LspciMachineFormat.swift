/// Reads lspci's machine-readable forms: `-vmm` records and `-mm` one-line records.
///
/// `-vmm` prints one `Key:\tValue` line per field and a blank line after each device (pciutils
/// `show_machine()`); under `-nn` the values carry their ids as `Name [id]`. Vendor and device
/// names come separately here, so no name splitting is needed. `-vm` (one `m`) is the older
/// spelling whose first line is `Device:\tADDRESS` instead of `Slot:`.
enum LspciMachineFormat {
    /// The key and value of a `Key:<tab or spaces>Value` line, when it is one.
    ///
    /// Keys are one word of letters (`Slot`, `SVendor`, `NUMANode`, `IOMMUGroup`), which keeps
    /// `-v` detail lines such as `Kernel driver in use: nvidia` from being taken as fields.
    static func field(_ line: LspciBytes.Line) -> (key: String, value: LspciBytes.Line)? {
        let key = line.prefix { byte in
            (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
        }
        guard !key.isEmpty, key.count <= 16, key.endIndex < line.endIndex,
            line[key.endIndex] == LspciBytes.colon
        else { return nil }
        let afterColon = line[(key.endIndex + 1)...]
        guard let first = afterColon.first, LspciBytes.isBlank(first) else { return nil }
        return (LspciBytes.string(key), LspciBytes.trimmed(afterColon))
    }

    /// Starts a record when `key`/`value` is its first line: `Slot:` or `-vm`'s `Device:`
    /// with an address value (a later `Device:` line, with a name, is the device name).
    static func start(key: String, value: LspciBytes.Line) -> PCIDevice? {
        guard key == "Slot" || key == "Device", value.count <= 16,
            let address = PCIAddress(LspciBytes.string(value))
        else { return nil }
        return PCIDevice(address: address)
    }

    /// Applies one field line to `device`; unknown keys (`PhySlot`, `ProgIf`, `Module`,
    /// `IOMMUGroup`, future ones) are ignored.
    static func apply(key: String, value: LspciBytes.Line, to device: inout PCIDevice) {
        switch key {
        case "Class":
            (device.classCode, device.className) = LspciHeaderLine.readClass(value)
        case "Vendor":
            let (name, id) = nameAndID(value, placeholder: "Vendor")
            device.vendorName = name
            device.vendorID = id
        case "Device":
            let (name, id) = nameAndID(value, placeholder: "Device")
            device.deviceName = name
            device.deviceID = id
        case "SVendor":
            device.subsystemVendorID = nameAndID(value, placeholder: "Vendor").id
        case "SDevice":
            device.subsystemDeviceID = nameAndID(value, placeholder: "Device").id
        case "Rev":
            if LspciBytes.isHex(value, count: 2) {
                device.revision = LspciBytes.lowercasedHex(value)
            }
        case "Driver":
            if !value.isEmpty { device.kernelDriver = LspciBytes.string(value) }
        case "NUMANode":
            if let node = Int(LspciBytes.string(value)), node >= 0 {
                device.numaNode = node
            }
        default:
            break
        }
    }

    /// Reads `Name [id]`, `Name`, or lspci's placeholder for a name pci.ids lacks
    /// (`Device [0d57]` under `-nn`, `Device 0d57` without).
    static func nameAndID(
        _ value: LspciBytes.Line,
        placeholder: String
    ) -> (name: String?, id: String?) {
        var head = value
        var id: String?
        if let split = LspciBytes.splitTrailingID(value, digits: 4) {
            head = split.head
            id = split.id
        }
        if head.isEmpty || head.elementsEqual(placeholder.utf8) { return (nil, id) }
        if LspciBytes.hasPrefix(head, placeholder + " "),
            LspciBytes.isHex(head.dropFirst(placeholder.utf8.count + 1), count: 4)
        {
            return (nil, id)
        }
        return (LspciBytes.string(head), id)
    }

    /// Reads an `lspci -mm` line after its address:
    /// `"Class [0302]" "Vendor [10de]" "Device [2330]" -ra1 -p00 "SVendor [10de]" "SDevice"`.
    ///
    /// Quoted fields are class, vendor, device, subsystem vendor, subsystem device; `-r` and
    /// `-p` options carry revision and programming interface. Nil when fewer than three
    /// quoted fields are there (a cut line).
    static func readMachineLine(_ rest: LspciBytes.Line, address: PCIAddress) -> PCIDevice? {
        var quoted: [LspciBytes.Line] = []
        var revision: String?
        var index = rest.startIndex
        while index < rest.endIndex {
            let byte = rest[index]
            if byte == LspciBytes.quote {
                let start = index + 1
                guard let end = rest[start...].firstIndex(of: LspciBytes.quote) else {
                    return nil
                }
                quoted.append(rest[start..<end])
                index = end + 1
            } else if LspciBytes.isBlank(byte) {
                index += 1
            } else {
                let word = rest[index...].prefix { !LspciBytes.isBlank($0) }
                if LspciBytes.hasPrefix(word, "-r"), LspciBytes.isHex(word.dropFirst(2), count: 2) {
                    revision = LspciBytes.lowercasedHex(word.dropFirst(2))
                }
                index = word.endIndex
            }
        }
        guard quoted.count >= 3 else { return nil }
        var device = PCIDevice(address: address, revision: revision)
        (device.classCode, device.className) = LspciHeaderLine.readClass(quoted[0])
        (device.vendorName, device.vendorID) = nameAndID(quoted[1], placeholder: "Vendor")
        (device.deviceName, device.deviceID) = nameAndID(quoted[2], placeholder: "Device")
        if quoted.count >= 5 {
            device.subsystemVendorID = nameAndID(quoted[3], placeholder: "Vendor").id
            device.subsystemDeviceID = nameAndID(quoted[4], placeholder: "Device").id
        }
        return device
    }
}
