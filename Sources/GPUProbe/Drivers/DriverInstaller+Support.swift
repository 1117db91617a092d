extension DriverInstaller {
    /// Whether this installer supports a GPU, by its supported-gpus.json.
    ///
    /// An entry for the GPU's exact subsystem wins, then an entry without subsystem IDs,
    /// then any entry for the device ID (NVIDIA lists some boards per subsystem only).
    public func support(
        deviceID: UInt16,
        subsystemVendorID: UInt16?,
        subsystemDeviceID: UInt16?
    ) -> ChipSupport {
        guard let chips = supportedGPUs else { return .unknown }
        let entries = chips.filter { $0.deviceID == deviceID }
        let exact = entries.first {
            $0.subsystemVendorID != nil && $0.subsystemVendorID == subsystemVendorID
                && $0.subsystemDeviceID == subsystemDeviceID
        }
        let generic = entries.first { $0.subsystemVendorID == nil && $0.subsystemDeviceID == nil }
        guard let entry = exact ?? generic ?? entries.first else { return .notListed }
        if let branch = entry.legacyBranch { return .legacy(branch: branch, name: entry.name) }
        return .supported(name: entry.name)
    }
}
