/// Writes PCI config space in the `lspci -x` / `-xxx` / `-xxxx` text format.
///
/// libpci's dump access method (pciutils `lib/dump.c`) reads this format back, so a captured
/// bus replays through the same library that read it live. The line after the address is
/// free text for people; libpci only reads the address and the hex rows.
public enum ConfigDump {
    /// Renders one block per device: a header line, then 16 bytes per row.
    ///
    /// - Parameters:
    ///   - devices: the devices in the order to write (bus order).
    ///   - configSpace: each device's bytes; devices without bytes are written with none.
    /// - Returns: the dump text, ending with a newline.
    public static func render(devices: [PCIDevice], configSpace: [PCIAddress: [UInt8]]) -> String {
        var out = ""
        for device in devices {
            out += device.address.description + " " + headerText(device) + "\n"
            let bytes = configSpace[device.address] ?? []
            var offset = 0
            while offset < bytes.count {
                // lspci prints two-digit offsets below 0x100 and three above.
                out += hex(offset, width: offset < 0x100 ? 2 : 3) + ":"
                for byte in bytes[offset..<min(offset + 16, bytes.count)] {
                    out += " " + hex(byte, width: 2)
                }
                out += "\n"
                offset += 16
            }
            out += "\n"
        }
        return out
    }

    /// The text lspci prints after the address: `Class: Vendor Device`, names or IDs.
    private static func headerText(_ device: PCIDevice) -> String {
        let cls = device.className ?? ("Class " + (device.classCode ?? "????"))
        let vendor = device.vendorName ?? ("Vendor " + (device.vendorID ?? "????"))
        let name = device.deviceName ?? ("Device " + (device.deviceID ?? "????"))
        // Keep the header one line whatever pci.ids holds.
        return (cls + ": " + vendor + " " + name).filter { $0 != "\n" && $0 != "\r" }
    }
}
