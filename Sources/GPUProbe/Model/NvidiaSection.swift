/// What the host says about its NVIDIA driver and GPUs.
///
/// `kernelModuleVersion` (from `/proc/driver/nvidia/version`) is the version a container's
/// userspace driver must equal; `driverVersion` is what nvidia-smi's userspace reports. They
/// differ on a host that was upgraded without a reboot.
public struct NvidiaSection: Hashable, Sendable, Codable {
    /// Version of the loaded kernel module, exactly as printed (`550.135`).
    public var kernelModuleVersion: String?
    /// Driver version nvidia-smi reports (R610+: `KMD Version`).
    public var driverVersion: String?
    /// CUDA version nvidia-smi reports (R610+: `CUDA UMD Version`), for example `12.4`.
    public var cudaVersion: String?
    /// One entry per GPU: from nvidia-smi, joined with the PCI bus where both are known.
    public var gpus: [NvidiaGPU]
    /// Processes using the GPUs, as nvidia-smi lists them.
    public var processes: [NvidiaProcess]

    /// Creates a section.
    public init(
        kernelModuleVersion: String? = nil,
        driverVersion: String? = nil,
        cudaVersion: String? = nil,
        gpus: [NvidiaGPU] = [],
        processes: [NvidiaProcess] = []
    ) {
        self.kernelModuleVersion = kernelModuleVersion
        self.driverVersion = driverVersion
        self.cudaVersion = cudaVersion
        self.gpus = gpus
        self.processes = processes
    }

    enum CodingKeys: String, CodingKey {
        case kernelModuleVersion = "kernel_module_version"
        case driverVersion = "driver_version"
        case cudaVersion = "cuda_version"
        case gpus, processes
    }
}

/// One NVIDIA GPU.
public struct NvidiaGPU: Hashable, Sendable, Codable {
    /// nvidia-smi's index (the `--gpus device=N` number); nil when nvidia-smi gave nothing.
    public var index: Int?
    /// Product name as printed; may be cut with `...` in the default table.
    public var name: String?
    /// Bus id normalised to `dddd:bb:dd.f`, joinable with `pci_devices.address`.
    public var busID: PCIAddress?
    /// `GPU-xxxxxxxx-...`.
    public var uuid: String?
    /// PCI device ID, 4 hex digits, from nvidia-smi (`pci.device_id`) or the PCI bus.
    public var pciDeviceID: String?
    /// Framebuffer memory in MiB.
    public var memoryTotalMiB: Int?
    /// Framebuffer memory used, MiB.
    public var memoryUsedMiB: Int?
    /// Compute capability `major.minor`, from nvidia-smi or derived from the device ID.
    public var computeCapability: String?
    /// Architecture name (`Hopper`), derived from the device ID or compute capability.
    public var architecture: String?
    /// `enabled`, `disabled`, or nil when the GPU has no MIG or the source does not say.
    public var migMode: String?
    /// The N of `/dev/nvidiaN`.
    public var minorNumber: Int?
    /// The brand as the NVIDIA container toolkit names it (`nvidia`, `nvidiartx`, `geforce`,
    /// `tesla`...), from nvidia-smi's `Product Brand` (`-q`) or `<product_brand>` (`-q -x`);
    /// nil when the output read has none (the table and CSV forms).
    ///
    /// The toolkit matches `brand=` in an image's `NVIDIA_REQUIRE_CUDA` against this
    /// (libnvidia-container `src/driver.c`, `driver_get_device_brand`); nvidia-smi's label
    /// `NVIDIA RTX` is the toolkit's `nvidiartx` (``GPUBrand/token(label:)``).
    public var productBrand: String?
    /// `WDDM`, `TCC` or `MCDM`: the Windows driver model the GPU runs under, from the
    /// persistence-mode column of the table or `Driver Model` of `-q`; nil on Linux (which
    /// prints `N/A` or On/Off there) and where the output read has none.
    ///
    /// A GPU under a Windows driver model is served by the Windows driver: Linux containers
    /// reach it through WSL 2, whose libraries come from the Windows host.
    public var driverModel: String?

    /// Creates a GPU record.
    public init(
        index: Int? = nil,
        name: String? = nil,
        busID: PCIAddress? = nil,
        uuid: String? = nil,
        pciDeviceID: String? = nil,
        memoryTotalMiB: Int? = nil,
        memoryUsedMiB: Int? = nil,
        computeCapability: String? = nil,
        architecture: String? = nil,
        migMode: String? = nil,
        minorNumber: Int? = nil,
        productBrand: String? = nil,
        driverModel: String? = nil
    ) {
        self.index = index
        self.name = name
        self.busID = busID
        self.uuid = uuid
        self.pciDeviceID = pciDeviceID
        self.memoryTotalMiB = memoryTotalMiB
        self.memoryUsedMiB = memoryUsedMiB
        self.computeCapability = computeCapability
        self.architecture = architecture
        self.migMode = migMode
        self.minorNumber = minorNumber
        self.productBrand = productBrand
        self.driverModel = driverModel
    }

    enum CodingKeys: String, CodingKey {
        case index, name, uuid, architecture
        case busID = "bus_id"
        case pciDeviceID = "pci_device_id"
        case memoryTotalMiB = "memory_total_mib"
        case memoryUsedMiB = "memory_used_mib"
        case computeCapability = "compute_capability"
        case migMode = "mig_mode"
        case minorNumber = "minor_number"
        case productBrand = "product_brand"
        case driverModel = "driver_model"
    }
}

/// A process holding GPU memory, as nvidia-smi lists it.
public struct NvidiaProcess: Hashable, Sendable, Codable {
    /// GPU index the process runs on.
    public var gpuIndex: Int?
    /// Process id (as seen from the namespace nvidia-smi ran in).
    public var pid: Int?
    /// `C` (compute), `G` (graphics) or `C+G`.
    public var type: String?
    /// Process name or path as printed.
    public var name: String?
    /// GPU memory used, MiB; nil when printed as N/A.
    public var usedMemoryMiB: Int?

    /// Creates a process record.
    public init(
        gpuIndex: Int? = nil,
        pid: Int? = nil,
        type: String? = nil,
        name: String? = nil,
        usedMemoryMiB: Int? = nil
    ) {
        self.gpuIndex = gpuIndex
        self.pid = pid
        self.type = type
        self.name = name
        self.usedMemoryMiB = usedMemoryMiB
    }

    enum CodingKeys: String, CodingKey {
        case pid, type, name
        case gpuIndex = "gpu_index"
        case usedMemoryMiB = "used_memory_mib"
    }
}
