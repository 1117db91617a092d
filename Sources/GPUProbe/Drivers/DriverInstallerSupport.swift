extension DriverInstaller {
    /// Whether this installer supports one GPU, by its supported-gpus.json.
    ///
    /// Among the entries for `deviceID`, one narrowed to the GPU's subsystem wins when both of
    /// the GPU's subsystem IDs are known, else one without subsystem IDs, else the first entry
    /// for the device ID: boards that NVIDIA lists only per subsystem (A100-PCIE-40GB
    /// `0x20B1` is listed only as `10DE:145F`) are still the chip this installer knows. In
    /// NVIDIA's lists (450.248.02 to 555.58.02) the entries of one device ID never disagree
    /// on `legacybranch`; the subsystem only picks the board's name. An entry with
    /// `legacybranch` means only that older branch drives the GPU.
    /// - Parameters:
    ///   - deviceID: the PCI device ID (`0x2330`).
    ///   - subsystemVendorID: the PCI subsystem vendor ID, nil when unknown.
    ///   - subsystemDeviceID: the PCI subsystem device ID, nil when unknown.
    /// - Returns: ``ChipSupport/unknown`` when the installer carries no list,
    ///   ``ChipSupport/notListed`` when the device ID is not in it.
    public func support(
        deviceID: UInt16,
        subsystemVendorID: UInt16?,
        subsystemDeviceID: UInt16?
    ) -> ChipSupport {
        guard let chips = supportedGPUs else { return .unknown }
        let candidates = chips.filter { $0.deviceID == deviceID }
        guard let first = candidates.first else { return .notListed }
        // Half a subsystem (a vendor without its device) names no board, so it picks none.
        let specific =
            subsystemVendorID == nil || subsystemDeviceID == nil
            ? nil
            : candidates.first { chip in
                guard chip.subsystemVendorID != nil || chip.subsystemDeviceID != nil else {
                    return false
                }
                return
                    (chip.subsystemVendorID == nil
                    || chip.subsystemVendorID == subsystemVendorID)
                    && (chip.subsystemDeviceID == nil
                        || chip.subsystemDeviceID == subsystemDeviceID)
            }
        let generic = candidates.first {
            $0.subsystemVendorID == nil && $0.subsystemDeviceID == nil
        }
        let entry = specific ?? generic ?? first
        if let branch = entry.legacyBranch {
            return .legacy(branch: branch, name: entry.name)
        }
        return .supported(name: entry.name)
    }
}
