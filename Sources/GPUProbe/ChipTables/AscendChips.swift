/// A Huawei Ascend NPU chip as its PCI device ID names it.
public struct AscendChip: Hashable, Sendable {
    /// The chip's name (`Ascend 910B`), used both as name and chip in reports.
    public var name: String

    /// Creates a chip record.
    public init(name: String) {
        self.name = name
    }
}

/// Huawei Ascend PCI device IDs (vendor `19e5`, class `1200` Processing accelerators).
///
/// pci.ids has no names for these (pciutils/pciids c1c1254), so lspci prints
/// `Huawei Technologies Co., Ltd. Device d802`; this table is what names them. IDs from
/// Huawei's log-collection script (`PCIE_BDF_310="19e5:d100"` and its siblings for d500,
/// d801, d802, d803) and lspci captures such as `Fixtures/lspci/`. The Ascend 310B is a SoC
/// and has no PCI ID here (Ascend/ascend-docker-runtime `runtime/main.go` decides it by the
/// DCMI chip name).
public enum AscendChips {
    /// The chip of a Huawei device ID, or nil when it is not an Ascend NPU we know.
    public static func lookup(deviceID: UInt16) -> AscendChip? {
        switch deviceID {
        case 0xD100: return AscendChip(name: "Ascend 310")
        case 0xD500: return AscendChip(name: "Ascend 310P")  // 310P3: Atlas 300I Pro/Duo, 300V
        case 0xD801: return AscendChip(name: "Ascend 910")  // 910A, 910PremiumA, 910ProB
        case 0xD802: return AscendChip(name: "Ascend 910B")  // Atlas A2: 910B1–910B4
        case 0xD803: return AscendChip(name: "Ascend 910 A3")  // Atlas A3 (910_93, "910C")
        default: return nil
        }
    }
}
