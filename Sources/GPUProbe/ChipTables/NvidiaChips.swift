/// An NVIDIA GPU chip: what a PCI device ID says before any driver runs.
public struct NvidiaChip: Hashable, Sendable {
    /// Chip code name (`GH100`, `AD102`, `GB202`).
    public var chip: String
    /// Architecture (`Kepler`, `Maxwell`, `Pascal`, `Volta`, `Turing`, `Ampere`, `Hopper`,
    /// `Ada`, `Blackwell`).
    public var architecture: String
    /// CUDA compute capability, `major.minor` (`9.0`).
    public var computeCapability: String

    /// Creates a chip record.
    public init(chip: String, architecture: String, computeCapability: String) {
        self.chip = chip
        self.architecture = architecture
        self.computeCapability = computeCapability
    }
}

/// NVIDIA PCI device IDs (vendor `10de`) of GPU functions, Kepler to Blackwell, by chip.
///
/// NVIDIA allocates device IDs in blocks per chip, so a block identifies the chip (and so the
/// architecture and compute capability) of a card that pci.ids or the driver does not name
/// yet. Blocks come from pci.ids (pciutils/pciids c1c1254) ids per chip, rounded out to NVIDIA's 0x40/0x80 blocks where no other function
/// lives there, and, for Blackwell, NVIDIA's own blocks from NVIDIA/gpu-admin-tools
/// `gpu/devid_chips.py` (82422cc). Compute capabilities are from NVIDIA's CUDA GPUs page
/// (developer.nvidia.com/cuda-gpus).
///
/// The table claims no HD-audio, USB/UCSI, NVSwitch or Grace bridge id (those sit in
/// 0x0E0x–0x0FBx, 0x10Ex–0x10Fx, 0x1ACx–0x1AFx and 0x22xx), but it does not look at the
/// PCI class: the caller still keeps to display devices (class 03xx).
public enum NvidiaChips {
    /// The chip of an NVIDIA device ID, or nil when the ID is in no GPU block we know.
    public static func lookup(deviceID: UInt16) -> NvidiaChip? {
        if let chip = explicitIDs.first(where: { $0.id == deviceID })?.chip {
            return chip
        }
        return blocks.first { $0.ids.contains(deviceID) }?.chip
    }

    /// The architecture of a CUDA compute capability (`9.0` → `Hopper`), or nil.
    ///
    /// For when nvidia-smi reports `compute_cap` for a device ID this table lacks. Minor
    /// versions decide within a major: 7.0/7.2 Volta vs 7.5 Turing, 8.9 Ada vs other 8.x
    /// Ampere. 11.0 (Jetson Thor) is Blackwell too.
    public static func architecture(computeCapability: String) -> String? {
        let text = computeCapability.trimmingASCIIWhitespace()
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...2).contains(parts[0].count), (1...2).contains(parts[1].count),
            parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            let major = Int(parts[0]), let minor = Int(parts[1]), major >= 0, minor >= 0
        else { return nil }
        switch (major, minor) {
        case (3, _): return kepler
        case (5, _): return maxwell
        case (6, _): return pascal
        case (7, 0..<5): return volta
        case (7, _): return turing
        case (8, 9): return ada
        case (8, _): return ampere
        case (9, _): return hopper
        case (10...12, _): return blackwell
        default: return nil
        }
    }

    private static let kepler = "Kepler"
    private static let maxwell = "Maxwell"
    private static let pascal = "Pascal"
    private static let volta = "Volta"
    private static let turing = "Turing"
    private static let ampere = "Ampere"
    private static let hopper = "Hopper"
    private static let ada = "Ada"
    private static let blackwell = "Blackwell"

    private static func chip(_ name: String, _ architecture: String, _ cc: String) -> NvidiaChip {
        NvidiaChip(chip: name, architecture: architecture, computeCapability: cc)
    }

    /// IDs whose chip a block alone would get wrong or not know, and the products the
    /// reference names (§2.4), which are checked first.
    private static let explicitIDs: [(id: UInt16, chip: NvidiaChip)] = [
        // GK210 (Tesla K80) sits inside the GK110 block; nvGpus.h lists 0x102D apart (§2.1).
        (0x102D, chip("GK210", kepler, "3.7")),
        // §2.4 lists 0x130B with GK110/GK110B, outside its block and below Maxwell's 0x1340.
        (0x130B, chip("GK110B", kepler, "3.5")),
        // GB10 (GB20B, DGX Spark): 0x2E12 from supported-gpus.json, 0x2B00 from pci.ids (§2.4).
        (0x2B00, chip("GB10", blackwell, "12.1")),
        (0x2E12, chip("GB10", blackwell, "12.1")),
        // Named products (§2.4), in their chips' blocks; listed so that a block edit cannot
        // silently move them.
        (0x1DB1, chip("GV100", volta, "7.0")),  // V100 SXM2 16GB
        (0x1DB4, chip("GV100", volta, "7.0")),  // V100 PCIe 16GB
        (0x1DB5, chip("GV100", volta, "7.0")),  // V100 SXM2 32GB
        (0x1DB6, chip("GV100", volta, "7.0")),  // V100 PCIe 32GB
        (0x1EB8, chip("TU104", turing, "7.5")),  // T4
        (0x20B0, chip("GA100", ampere, "8.0")),  // A100 SXM4 40GB
        (0x20B2, chip("GA100", ampere, "8.0")),  // A100 SXM4 80GB
        (0x20B5, chip("GA100", ampere, "8.0")),  // A100 PCIe 80GB
        (0x2236, chip("GA102", ampere, "8.6")),  // A10
        (0x2237, chip("GA102", ampere, "8.6")),  // A10G
        (0x2330, chip("GH100", hopper, "9.0")),  // H100 SXM5
        (0x2331, chip("GH100", hopper, "9.0")),  // H100 PCIe
        (0x2335, chip("GH100", hopper, "9.0")),  // H200
        (0x2684, chip("AD102", ada, "8.9")),  // RTX 4090
        (0x26B9, chip("AD102", ada, "8.9")),  // L40S
        (0x2901, chip("GB100", blackwell, "10.0")),  // B200
        (0x2941, chip("GB100", blackwell, "10.0")),  // GB200
        (0x2B85, chip("GB202", blackwell, "12.0")),  // RTX 5090
        (0x3182, chip("GB110", blackwell, "10.3")),  // B300
    ]

    /// Device-ID blocks per chip, in ID order; none overlaps another.
    private static let blocks: [(ids: ClosedRange<UInt16>, chip: NvidiaChip)] = [
        // Kepler (§2.4 ids seen: GK107 0x0FC0–0x0FFF, GK110 0x1001–0x103F, GK104
        // 0x1180–0x11BF, GK106 0x11C0–0x11FF, GK208 0x1280–0x12BA).
        (0x0FC0...0x0FFF, chip("GK107", kepler, "3.0")),
        (0x1000...0x103F, chip("GK110", kepler, "3.5")),
        (0x1180...0x11BF, chip("GK104", kepler, "3.0")),
        (0x11C0...0x11FF, chip("GK106", kepler, "3.0")),
        (0x1280...0x12BF, chip("GK208", kepler, "3.5")),
        // Maxwell (§2.4: GM107/GM108 0x1340–0x13BF and 0x174x–0x179C, GM204/GM206
        // 0x13AD–0x1436 and 0x1617–0x1676, GM200 0x17C2–0x17FD). The 0x13AD–0x13BF overlap
        // goes to GM107, whose Quadro K620/K1200/K2200 and Tesla M10 ids live there; GM108
        // takes the lower 0x40 of each pair of blocks. CC is 5.0 for both either way.
        (0x1340...0x137F, chip("GM108", maxwell, "5.0")),
        (0x1380...0x13BF, chip("GM107", maxwell, "5.0")),
        (0x13C0...0x13FF, chip("GM204", maxwell, "5.2")),
        (0x1400...0x143F, chip("GM206", maxwell, "5.2")),
        // GP100 (§2.4 lists 0x15C2–0x172F, which overlaps the GM204 mobile ids); only the
        // block with the P100 ids 0x15F7–0x15F9 is certain.
        (0x15C0...0x15FF, chip("GP100", pascal, "6.0")),
        (0x1600...0x167F, chip("GM204", maxwell, "5.2")),
        (0x1740...0x177F, chip("GM108", maxwell, "5.0")),
        (0x1780...0x17BF, chip("GM107", maxwell, "5.0")),
        (0x17C0...0x17FF, chip("GM200", maxwell, "5.2")),
        // Pascal (§2.4: GP102 0x1B00–0x1B78, GP104 0x1B80–0x1BE1, GP106 0x1C00–0x1C70,
        // GP107 0x1C81–0x1CFB, GP108 0x1D01–0x1D56).
        (0x1B00...0x1B7F, chip("GP102", pascal, "6.1")),
        (0x1B80...0x1BFF, chip("GP104", pascal, "6.1")),
        (0x1C00...0x1C7F, chip("GP106", pascal, "6.1")),
        (0x1C80...0x1CFF, chip("GP107", pascal, "6.1")),
        (0x1D00...0x1D7F, chip("GP108", pascal, "6.1")),
        // Volta (§2.4: GV100 0x1D81–0x1DF6).
        (0x1D80...0x1DFF, chip("GV100", volta, "7.0")),
        // Turing (§2.4: TU102 0x1E02–0x1E78, TU104 0x1E81–0x1EF5, TU106 0x1F02–0x1F76,
        // TU117 0x1F81–0x1FF9, TU116 0x2182–0x21D1).
        (0x1E00...0x1E7F, chip("TU102", turing, "7.5")),
        (0x1E80...0x1EFF, chip("TU104", turing, "7.5")),
        (0x1F00...0x1F7F, chip("TU106", turing, "7.5")),
        (0x1F80...0x1FFF, chip("TU117", turing, "7.5")),
        // Ampere (§2.4: GA100 0x2080–0x20FF, GA102 0x2200–0x223F, GA103 0x2414–0x2460,
        // GA104 0x2480–0x24FA, GA106 0x2501–0x2571, GA107 0x2582–0x25FB). GA102 stops at
        // 0x227F: 0x2280 up holds HD-audio functions and NVSwitch/Grace ids.
        (0x2080...0x20FF, chip("GA100", ampere, "8.0")),
        (0x2180...0x21FF, chip("TU116", turing, "7.5")),
        (0x2200...0x227F, chip("GA102", ampere, "8.6")),
        // Hopper (§2.4: GH100 0x2302–0x23F0).
        (0x2300...0x23FF, chip("GH100", hopper, "9.0")),
        (0x2400...0x247F, chip("GA103", ampere, "8.6")),
        (0x2480...0x24FF, chip("GA104", ampere, "8.6")),
        (0x2500...0x257F, chip("GA106", ampere, "8.6")),
        (0x2580...0x25FF, chip("GA107", ampere, "8.6")),
        // Ada (§2.4: AD102 0x2681–0x26F5, AD103 0x2702–0x2770, AD104 0x2782–0x27FB,
        // AD106 0x2803–0x2878, AD107 0x2882–0x28F8).
        (0x2680...0x26FF, chip("AD102", ada, "8.9")),
        (0x2700...0x277F, chip("AD103", ada, "8.9")),
        (0x2780...0x27FF, chip("AD104", ada, "8.9")),
        (0x2800...0x287F, chip("AD106", ada, "8.9")),
        (0x2880...0x28FF, chip("AD107", ada, "8.9")),
        // Blackwell: NVIDIA/gpu-admin-tools gpu/devid_chips.py blocks (§2.4 cross-check).
        (0x2900...0x297F, chip("GB100", blackwell, "10.0")),
        (0x2980...0x29FF, chip("GB102", blackwell, "10.0")),
        (0x2B80...0x2BFF, chip("GB202", blackwell, "12.0")),
        (0x2C00...0x2C7F, chip("GB203", blackwell, "12.0")),
        (0x2D00...0x2D7F, chip("GB206", blackwell, "12.0")),
        (0x2D80...0x2DFF, chip("GB207", blackwell, "12.0")),
        (0x2F00...0x2F7F, chip("GB205", blackwell, "12.0")),
        (0x3180...0x31FF, chip("GB110", blackwell, "10.3")),
        (0x3200...0x327F, chip("GB112", blackwell, "10.3")),
    ]
}
