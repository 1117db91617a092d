/// What gpuprobe read from one NVIDIA `.run` installer without running it: the makeself
/// header and, from the payload, `supported-gpus/supported-gpus.json`.
public struct DriverInstaller: Hashable, Sendable, Codable {
    /// The file name inside the drivers folder.
    public var fileName: String
    /// The variant suffix of the name (`no-compat32`, `grid`), nil for the plain package.
    public var variant: String?
    /// Size in bytes.
    public var size: Int64
    /// SHA-256 of the whole file, lower-case hex; nil when the file could not be read.
    public var sha256: String?
    /// `version_string` from the header (`550.135`).
    public var version: String?
    /// `TARGET_ARCH` from the header (`x86_64`, `aarch64`).
    public var architecture: String?
    /// `label` from the header.
    public var label: String?
    /// The payload's compression (`gzip`, `xz`), sniffed from its magic bytes.
    public var compression: String?
    /// The chips listed in the payload's supported-gpus.json; nil when the payload has none
    /// (drivers before about R450 do not ship it), so support cannot be checked.
    public var supportedGPUs: [SupportedChip]?
    /// Why the file could not be used (not a makeself archive, truncated, corrupt payload,
    /// name and header disagree); nil when it was read in full.
    public var problem: String?

    /// Creates a record.
    public init(
        fileName: String,
        variant: String? = nil,
        size: Int64,
        sha256: String? = nil,
        version: String? = nil,
        architecture: String? = nil,
        label: String? = nil,
        compression: String? = nil,
        supportedGPUs: [SupportedChip]? = nil,
        problem: String? = nil
    ) {
        self.fileName = fileName
        self.variant = variant
        self.size = size
        self.sha256 = sha256
        self.version = version
        self.architecture = architecture
        self.label = label
        self.compression = compression
        self.supportedGPUs = supportedGPUs
        self.problem = problem
    }

    enum CodingKeys: String, CodingKey {
        case fileName = "file_name"
        case variant, size, sha256, version, architecture, label, compression
        case supportedGPUs = "supported_gpus"
        case problem
    }
}

/// One entry of supported-gpus.json: a device ID, optionally narrowed to one subsystem.
public struct SupportedChip: Hashable, Sendable, Codable {
    /// PCI device ID (`devid`).
    public var deviceID: UInt16
    /// Subsystem device ID (`subdevid`), when the entry is for one board.
    public var subsystemDeviceID: UInt16?
    /// Subsystem vendor ID (`subvendorid`), when the entry is for one board.
    public var subsystemVendorID: UInt16?
    /// Marketing name.
    public var name: String
    /// `legacybranch` (`470.xx`, `580.xx`): present means this installer does NOT support the
    /// chip; the named legacy branch does.
    public var legacyBranch: String?
    /// `features` (`kernelopen`, `gsp_proprietary_supported`...).
    public var features: [String]

    /// Creates an entry.
    public init(
        deviceID: UInt16,
        subsystemDeviceID: UInt16? = nil,
        subsystemVendorID: UInt16? = nil,
        name: String,
        legacyBranch: String? = nil,
        features: [String] = []
    ) {
        self.deviceID = deviceID
        self.subsystemDeviceID = subsystemDeviceID
        self.subsystemVendorID = subsystemVendorID
        self.name = name
        self.legacyBranch = legacyBranch
        self.features = features
    }

    enum CodingKeys: String, CodingKey {
        case deviceID = "device_id"
        case subsystemDeviceID = "subsystem_device_id"
        case subsystemVendorID = "subsystem_vendor_id"
        case name
        case legacyBranch = "legacy_branch"
        case features
    }
}

/// Whether one installer supports one GPU, by its supported-gpus.json.
public enum ChipSupport: Hashable, Sendable {
    /// Listed without `legacybranch`: supported (the entry's name is kept for the explanation).
    case supported(name: String)
    /// Listed with `legacybranch`: only that older branch supports it.
    case legacy(branch: String, name: String)
    /// Not listed: the list says nothing about the chip.
    ///
    /// Not a rejection: from R525 on NVIDIA's lists leave out some data-centre GPUs that the
    /// driver runs (Tesla T4 `0x1EB8`, V100-SXM2-16GB `0x1DF5`, A100-PCIE-40GB `0x20B1`, P4
    /// `0x1BB3` are in 450.248.02 to 470.256.02 and absent from 525.147.05 to 555.58.02,
    /// while Debian's nvidia-detect recommends those drivers for them). A chip newer than the
    /// driver is also absent, so the matcher judges it by the catalog's driver branches.
    case notListed
    /// The installer carries no list, so support cannot be told.
    case unknown
}
