/// What the host says about its Huawei Ascend driver and NPUs.
public struct AscendSection: Hashable, Sendable, Codable {
    /// npu-smi's own version from its banner (`24.1.1`).
    public var npuSMIVersion: String?
    /// Where npu-smi was found (`/usr/local/bin/npu-smi` or `/usr/local/sbin/npu-smi`).
    public var npuSMIPath: String?
    /// Driver version from `/usr/local/Ascend/driver/version.info`: `package_version`, else
    /// `Version`, exactly as written.
    public var driverVersion: String?
    /// `/etc/ascend_install.info` as key/value pairs (`Driver_Install_Path_Param`, ...).
    public var installInfo: [String: String]?
    /// Whether `/etc/vnpu.cfg` exists (the image copies it when present); nil when unknown.
    public var vnpuConfigPresent: Bool?
    /// One entry per NPU chip.
    public var npus: [AscendNPU]

    /// Creates a section.
    public init(
        npuSMIVersion: String? = nil,
        npuSMIPath: String? = nil,
        driverVersion: String? = nil,
        installInfo: [String: String]? = nil,
        vnpuConfigPresent: Bool? = nil,
        npus: [AscendNPU] = []
    ) {
        self.npuSMIVersion = npuSMIVersion
        self.npuSMIPath = npuSMIPath
        self.driverVersion = driverVersion
        self.installInfo = installInfo
        self.vnpuConfigPresent = vnpuConfigPresent
        self.npus = npus
    }

    enum CodingKeys: String, CodingKey {
        case npus
        case npuSMIVersion = "npu_smi_version"
        case npuSMIPath = "npu_smi_path"
        case driverVersion = "driver_version"
        case installInfo = "install_info"
        case vnpuConfigPresent = "vnpu_config_present"
    }
}

/// One Ascend NPU chip as `npu-smi info` (and `info -m`) lists it.
public struct AscendNPU: Hashable, Sendable, Codable {
    /// NPU (card) id, the first column.
    public var npuID: Int
    /// Chip id within the card.
    public var chipID: Int
    /// Physical chip id (A3 `Chip Phy-ID` layouts).
    public var phyID: Int?
    /// Device id (310/310P `Chip Device` layouts): the N of `/dev/davinciN`.
    public var deviceID: Int?
    /// Logic id from `npu-smi info -m`.
    public var chipLogicID: Int?
    /// Chip name as printed (`910B4`, `310P3`, `Ascend910`).
    public var name: String?
    /// `OK`, `Warning`, `Alarm`, `Critical`, as printed.
    public var health: String?
    /// Power draw in watts; nil when printed as `NA` or `-`.
    public var powerW: Double?
    /// Temperature in °C.
    public var temperatureC: Int?
    /// Bus id normalised to `dddd:bb:dd.f`; nil when printed as `NA` or masked.
    public var busID: PCIAddress?
    /// AI core utilisation in percent.
    public var aicorePercent: Int?
    /// DDR memory used, MB as printed.
    public var memoryUsedMB: Int?
    /// DDR memory total, MB as printed.
    public var memoryTotalMB: Int?
    /// HBM used, MB as printed; nil on layouts without an HBM column.
    public var hbmUsedMB: Int?
    /// HBM total, MB as printed.
    public var hbmTotalMB: Int?

    /// Creates an NPU chip record.
    public init(
        npuID: Int,
        chipID: Int,
        phyID: Int? = nil,
        deviceID: Int? = nil,
        chipLogicID: Int? = nil,
        name: String? = nil,
        health: String? = nil,
        powerW: Double? = nil,
        temperatureC: Int? = nil,
        busID: PCIAddress? = nil,
        aicorePercent: Int? = nil,
        memoryUsedMB: Int? = nil,
        memoryTotalMB: Int? = nil,
        hbmUsedMB: Int? = nil,
        hbmTotalMB: Int? = nil
    ) {
        self.npuID = npuID
        self.chipID = chipID
        self.phyID = phyID
        self.deviceID = deviceID
        self.chipLogicID = chipLogicID
        self.name = name
        self.health = health
        self.powerW = powerW
        self.temperatureC = temperatureC
        self.busID = busID
        self.aicorePercent = aicorePercent
        self.memoryUsedMB = memoryUsedMB
        self.memoryTotalMB = memoryTotalMB
        self.hbmUsedMB = hbmUsedMB
        self.hbmTotalMB = hbmTotalMB
    }

    enum CodingKeys: String, CodingKey {
        case name, health
        case npuID = "npu_id"
        case chipID = "chip_id"
        case phyID = "phy_id"
        case deviceID = "device_id"
        case chipLogicID = "chip_logic_id"
        case powerW = "power_w"
        case temperatureC = "temperature_c"
        case busID = "bus_id"
        case aicorePercent = "aicore_percent"
        case memoryUsedMB = "memory_used_mb"
        case memoryTotalMB = "memory_total_mb"
        case hbmUsedMB = "hbm_used_mb"
        case hbmTotalMB = "hbm_total_mb"
    }
}
