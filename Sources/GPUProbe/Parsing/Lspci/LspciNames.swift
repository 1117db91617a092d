/// Splits lspci's joined vendor-and-device name into its two pci.ids names.
///
/// lspci prints `pci_lookup_name(VENDOR | DEVICE)`, which joins the two names with one space
/// (`NVIDIA Corporation GA102GL [A10]`) and, when pci.ids lacks the device, prints
/// `VENDOR Device dddd` (plain) or `VENDOR Device` before the ` [vvvv:dddd]` ids (`-nn`);
/// when it lacks the vendor too, only `Device ...`. Vendor names can contain spaces, so the
/// split needs the vendor name from pci.ids, which the caller passes in.
enum LspciNames {
    /// The vendor and device name of `joined`.
    ///
    /// - Parameters:
    ///   - joined: The name as lspci printed it, ids and suffixes removed.
    ///   - knownVendor: pci.ids' name for the vendor id, when the caller knows it.
    /// - Returns: `vendor` only when it is certain (known vendor, or lspci's own
    ///   `VENDOR Device ...` pattern); `device` nil when lspci says pci.ids lacks it.
    static func split(
        _ joined: LspciBytes.Line,
        knownVendor: String?
    ) -> (vendor: String?, device: String?) {
        let name = LspciBytes.trimmed(joined)
        if name.isEmpty || isUnknownDevice(name) { return (nil, nil) }
        if let vendor = knownVendor, !vendor.isEmpty, name.starts(with: vendor.utf8) {
            let rest = name.dropFirst(vendor.utf8.count)
            if rest.isEmpty { return (vendor, nil) }
            if rest.first == LspciBytes.space {
                let device = LspciBytes.trimmed(rest)
                return (vendor, isUnknownDevice(device) ? nil : LspciBytes.string(device))
            }
        }
        if let vendorEnd = unknownDeviceSuffixStart(name) {
            let vendor = LspciBytes.trimmed(name[name.startIndex..<vendorEnd])
            return (vendor.isEmpty ? nil : LspciBytes.string(vendor), nil)
        }
        return (nil, LspciBytes.string(name))
    }

    /// Whether `text` is lspci's placeholder for a device pci.ids lacks: `Device`,
    /// `Device dddd` or `Device [dddd]`.
    static func isUnknownDevice(_ text: LspciBytes.Line) -> Bool {
        if text.elementsEqual("Device".utf8) { return true }
        guard LspciBytes.hasPrefix(text, "Device ") else { return false }
        let id = text.dropFirst(7)
        if LspciBytes.isHex(id, count: 4) { return true }
        return id.count == 6 && id.first == LspciBytes.openBracket
            && id.last == LspciBytes.closeBracket
            && LspciBytes.isHex(id.dropFirst().dropLast(), count: 4)
    }

    /// Where ` Device` or ` Device dddd` starts at the end of `name`, or nil.
    private static func unknownDeviceSuffixStart(_ name: LspciBytes.Line) -> Int? {
        if LspciBytes.hasSuffix(name, " Device") { return name.endIndex - 7 }
        guard name.count > 12 else { return nil }
        let start = name.endIndex - 12
        let suffix = name[start...]
        guard LspciBytes.hasPrefix(suffix, " Device "), LspciBytes.isHex(suffix.suffix(4), count: 4)
        else { return nil }
        return start
    }
}
