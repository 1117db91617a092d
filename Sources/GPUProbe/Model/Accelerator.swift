/// An accelerator recognised from the PCI bus alone, before any vendor tool runs.
///
/// This is what a host with no driver still tells us: which chip sits in which slot and,
/// for NVIDIA, the architecture and compute capability that decide which driver branches and
/// PyTorch wheels can serve it.
public struct Accelerator: Hashable, Sendable, Codable {
    /// The family of accelerator.
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        /// An NVIDIA GPU (vendor 10de, display class 03xx).
        case nvidiaGPU = "nvidia_gpu"
        /// A Huawei Ascend NPU (vendor 19e5, class 1200).
        case ascendNPU = "ascend_npu"
        /// An AMD/ATI display device (vendor 1002).
        case amdGPU = "amd_gpu"
        /// An Intel display device (vendor 8086).
        case intelGPU = "intel_gpu"
    }

    /// The family.
    public var kind: Kind
    /// Bus address of the function.
    public var address: PCIAddress
    /// Vendor ID, 4 hex digits.
    public var vendorID: String
    /// Device ID, 4 hex digits.
    public var deviceID: String
    /// Marketing name: pci.ids, or gpuprobe's own table for chips pci.ids lacks (Ascend).
    public var name: String?
    /// Chip code name (`GH100`, `AD102`, `Ascend 910B`).
    public var chip: String?
    /// Architecture (`Hopper`, `Ada`, `Blackwell`); nil when the device ID is not in our table.
    public var architecture: String?
    /// CUDA compute capability (`9.0`), NVIDIA only.
    public var computeCapability: String?
    /// The kernel driver bound to it.
    public var kernelDriver: String?

    /// Creates an accelerator record.
    public init(
        kind: Kind,
        address: PCIAddress,
        vendorID: String,
        deviceID: String,
        name: String? = nil,
        chip: String? = nil,
        architecture: String? = nil,
        computeCapability: String? = nil,
        kernelDriver: String? = nil
    ) {
        self.kind = kind
        self.address = address
        self.vendorID = vendorID
        self.deviceID = deviceID
        self.name = name
        self.chip = chip
        self.architecture = architecture
        self.computeCapability = computeCapability
        self.kernelDriver = kernelDriver
    }

    enum CodingKeys: String, CodingKey {
        case kind, address, name, chip, architecture
        case vendorID = "vendor_id"
        case deviceID = "device_id"
        case computeCapability = "compute_capability"
        case kernelDriver = "kernel_driver"
    }
}
