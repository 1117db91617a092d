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

    /// The vendors whose ids the accelerator classifier acts on, by the names pci.ids gives
    /// them, for text that prints names only (plain `lspci`, `-D`, `-k`, `-tv`).
    ///
    /// Only these four vendors change what `AcceleratorClassifier` decides (NVIDIA and
    /// Huawei accelerators, AMD and Intel display devices); another vendor's id would be
    /// a fact nobody reads. Names are pci.ids' exact vendor lines (2023.04.11:
    /// `10de  NVIDIA Corporation`, `19e5  Huawei Technologies Co., Ltd.`,
    /// `1002  Advanced Micro Devices, Inc. [AMD/ATI]`, `8086  Intel Corporation`) and the
    /// older spellings lspci printed from earlier pci.ids, still common in pasted output
    /// (`nVidia Corporation`; `ATI Technologies Inc` and `Advanced Micro Devices [AMD] nee
    /// ATI` for 1002). `Advanced Micro Devices, Inc. [AMD]` is vendor 1022
    /// (CPUs, chipsets), a different vendor, so names are matched whole, never by prefix
    /// of a word.
    static let builtInVendors: [(name: String, id: String)] = [
        ("NVIDIA Corporation", "10de"),
        ("nVidia Corporation", "10de"),
        ("Huawei Technologies Co., Ltd.", "19e5"),
        ("Advanced Micro Devices, Inc. [AMD/ATI]", "1002"),
        ("Advanced Micro Devices [AMD] nee ATI", "1002"),
        ("ATI Technologies Inc", "1002"),
        ("Intel Corporation", "8086"),
    ]

    /// The built-in vendor whose name `joined` starts with, followed by a space or the end.
    static func builtInVendor(of joined: LspciBytes.Line) -> (name: String, id: String)? {
        let name = LspciBytes.trimmed(joined)
        return builtInVendors.first { vendor in
            guard name.starts(with: vendor.name.utf8) else { return false }
            let rest = name.dropFirst(vendor.name.utf8.count)
            return rest.isEmpty || rest.first == LspciBytes.space
        }
    }

    /// The device id in lspci's `VENDOR Device dddd` placeholder, or nil.
    ///
    /// lspci prints it when pci.ids knows the vendor but not the device. No pci.ids device
    /// name ends that way (2023.04.11), so the four digits are lspci's id, not part of a name.
    static func placeholderDeviceID(_ joined: LspciBytes.Line) -> String? {
        let name = LspciBytes.trimmed(joined)
        guard unknownDeviceSuffixStart(name) != nil, !LspciBytes.hasSuffix(name, " Device")
        else { return nil }
        return LspciBytes.lowercasedHex(name.suffix(4))
    }
}
