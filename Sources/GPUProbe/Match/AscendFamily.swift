/// The Ascend chip families whose driver pairings Huawei's tables give apart.
///
/// Ascend/docs' quick-install data (`_static/package_info.js`) lists drivers for `910b`
/// (Atlas A2: 910B1–910B4) and `310p` (Atlas 300I Pro/Duo), which differ for some CANN
/// releases (CANN 7.0.0: 910b driver 23.0.3, 310p 23.0.1); Atlas A3 and the 310B SoC have
/// their own products.
public enum AscendFamily {
    /// The names the catalog's `chips` accepts.
    public static let all: Set<String> = ["910B", "310P", "A3", "310B"]

    /// The family of a chip name as npu-smi (`910B4`, `310P3`, `Ascend910` on an A3 board) or
    /// the PCI table (`Ascend 910B`, `Ascend 910 A3`) writes it; nil for other chips (310,
    /// 910A/ProB) and unknown names.
    public static func of(name: String) -> String? {
        let compact = name.uppercased().replacingText(" ", with: "").replacingText(
            "ASCEND",
            with: ""
        )
        if compact.hasPrefix("910B") { return "910B" }
        if compact.hasPrefix("310P") { return "310P" }
        if compact.hasPrefix("310B") { return "310B" }
        // npu-smi 25.x prints the A3's chips as plain `Ascend910` (ModelEngine-Group/
        // unified-cache-management issue #748); the 910A prints `910A`, `910ProB`.
        if compact == "910A3" || compact == "910_93" || compact == "910C"
            || name.trimmingASCIIWhitespace() == "Ascend910"
        {
            return "A3"
        }
        return nil
    }
}
