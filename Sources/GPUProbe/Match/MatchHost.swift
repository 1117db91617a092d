/// The facts about a host that the matcher decides from, taken from its probe report.
public struct MatchHost: Hashable, Sendable {
    /// One NVIDIA GPU.
    public struct GPU: Hashable, Sendable {
        /// PCI address, when the report has one.
        public var address: PCIAddress?
        /// Marketing name (from nvidia-smi or pci.ids).
        public var name: String
        /// PCI device ID.
        public var deviceID: UInt16?
        /// PCI subsystem vendor ID.
        public var subsystemVendorID: UInt16?
        /// PCI subsystem device ID.
        public var subsystemDeviceID: UInt16?
        /// `Pascal`, `Blackwell`...
        public var architecture: String?
        /// Compute capability, when the chip is known.
        public var computeCapability: ComputeCapability?
        /// The brand as the NVIDIA container toolkit names it (`nvidiartx`), when nvidia-smi's
        /// `-q` or `-q -x` output said.
        public var productBrand: String?

        /// Creates a GPU record.
        public init(
            address: PCIAddress? = nil,
            name: String,
            deviceID: UInt16? = nil,
            subsystemVendorID: UInt16? = nil,
            subsystemDeviceID: UInt16? = nil,
            architecture: String? = nil,
            computeCapability: ComputeCapability? = nil,
            productBrand: String? = nil
        ) {
            self.address = address
            self.name = name
            self.deviceID = deviceID
            self.subsystemVendorID = subsystemVendorID
            self.subsystemDeviceID = subsystemDeviceID
            self.architecture = architecture
            self.computeCapability = computeCapability
            self.productBrand = productBrand
        }

        /// `NVIDIA A100-SXM4-80GB (0000:01:00.0)`, for explanations.
        public var label: String {
            address.map { "\(name) (\($0))" } ?? name
        }
    }

    /// `uname -m` (`x86_64`, `aarch64`), when known.
    public var machine: String?
    /// The loaded kernel module's version (/proc/driver/nvidia/version).
    public var kernelModuleVersion: DriverVersion?
    /// The driver version nvidia-smi reported.
    public var driverVersion: DriverVersion?
    /// The CUDA version the driver supports natively, as nvidia-smi printed it.
    public var cudaVersion: CUDAVersion?
    /// NVIDIA GPUs, from the PCI bus and nvidia-smi joined.
    public var gpus: [GPU]
    /// True when the report has an NVIDIA section (kernel module, nvidia-smi or GPUs seen).
    public var nvidiaSoftwarePresent: Bool
    /// The report's NVIDIA errors and warnings, which explain gaps in these facts.
    public var nvidiaProblems: [String]
    /// True when the report's PCI bus was read and holds no NVIDIA GPU: NVIDIA software
    /// without a GPU is then a fact about the machine, not an unknown.
    public var pciShowsNoNvidiaGPU = false
    /// The Windows driver model (`WDDM`, `TCC`, `MCDM`) the GPUs run under; nil on Linux.
    ///
    /// `WDDM` for a report made in WSL 2. The driver is then Windows', not a kernel module.
    public var windowsDriverModel: String?
    /// True when the report was built from pastes without an nvidia-smi output: the host's
    /// NVIDIA driver is then unknown, not missing.
    public var nvidiaSMINotPasted = false
    /// True when the report was built from pastes without an lspci: its PCI bus is unknown.
    public var lspciNotPasted = false
    /// True when the report has an Ascend section (driver, npu-smi or NPUs seen).
    public var ascendSoftwarePresent: Bool = false
    /// The report's Ascend errors and warnings.
    public var ascendProblems: [String] = []
    /// Ascend NPUs seen on the bus or by npu-smi.
    public var ascendNPUCount: Int
    /// The Ascend driver package version (version.info).
    public var ascendDriverVersion: String?
    /// The Ascend chip names npu-smi and the PCI table gave (`910B4`, `Ascend 310P`).
    public var ascendChipNames: [String] = []

    /// Creates a host record.
    public init(
        machine: String? = nil,
        kernelModuleVersion: DriverVersion? = nil,
        driverVersion: DriverVersion? = nil,
        cudaVersion: CUDAVersion? = nil,
        gpus: [GPU] = [],
        nvidiaSoftwarePresent: Bool = false,
        nvidiaProblems: [String] = [],
        ascendNPUCount: Int = 0,
        ascendDriverVersion: String? = nil
    ) {
        self.machine = machine
        self.kernelModuleVersion = kernelModuleVersion
        self.driverVersion = driverVersion
        self.cudaVersion = cudaVersion
        self.gpus = gpus
        self.nvidiaSoftwarePresent = nvidiaSoftwarePresent || !gpus.isEmpty
        self.nvidiaProblems = nvidiaProblems
        self.ascendNPUCount = ascendNPUCount
        self.ascendDriverVersion = ascendDriverVersion
    }

    /// The version the image's userspace driver must equal: the kernel module's, else the
    /// one nvidia-smi printed (the same number whenever NVML works at all).
    public var targetDriverVersion: DriverVersion? { kernelModuleVersion ?? driverVersion }

    /// Whether any NVIDIA driver is visible (kernel module or a working nvidia-smi).
    public var hasNvidiaDriver: Bool { targetDriverVersion != nil }

    /// Takes the matcher's facts from a probe report.
    ///
    /// GPUs come from the PCI accelerators; nvidia-smi's GPUs fill in what PCI lacks and
    /// stand alone when the report has no PCI data (a report made in a container).
    public static func from(_ report: HostReport) -> MatchHost {
        var host = MatchHost(machine: report.host.architecture)
        let nvidia = report.nvidia
        host.kernelModuleVersion = nvidia?.kernelModuleVersion.flatMap(DriverVersion.init)
        host.driverVersion = nvidia?.driverVersion.flatMap(DriverVersion.init)
        host.cudaVersion = nvidia?.cudaVersion.flatMap(CUDAVersion.init)

        let pciByAddress = Dictionary(
            report.pciDevices.map { ($0.address, $0) },
            uniquingKeysWith: { first, _ in first }
        )
        let smiGPUs = nvidia?.gpus ?? []
        var used = Set<Int>()
        for accelerator in report.accelerators where accelerator.kind == .nvidiaGPU {
            let smiIndex = smiGPUs.firstIndex { $0.busID == accelerator.address }
            if let smiIndex { used.insert(smiIndex) }
            let smi = smiIndex.map { smiGPUs[$0] }
            let pci = pciByAddress[accelerator.address]
            let cc = accelerator.computeCapability ?? smi?.computeCapability
            host.gpus.append(
                GPU(
                    address: accelerator.address,
                    name: smi?.name ?? accelerator.name ?? "NVIDIA device \(accelerator.deviceID)",
                    deviceID: SupportedGPUsList.hexID(accelerator.deviceID),
                    subsystemVendorID: pci?.subsystemVendorID.flatMap(SupportedGPUsList.hexID),
                    subsystemDeviceID: pci?.subsystemDeviceID.flatMap(SupportedGPUsList.hexID),
                    architecture: accelerator.architecture ?? smi?.architecture,
                    computeCapability: cc.flatMap(ComputeCapability.init),
                    productBrand: smi?.productBrand
                )
            )
        }
        for (index, gpu) in smiGPUs.enumerated() where !used.contains(index) {
            host.gpus.append(
                GPU(
                    address: gpu.busID,
                    name: gpu.name ?? "NVIDIA GPU \(index)",
                    deviceID: gpu.pciDeviceID.flatMap(SupportedGPUsList.hexID),
                    architecture: gpu.architecture,
                    computeCapability: gpu.computeCapability.flatMap(ComputeCapability.init),
                    productBrand: gpu.productBrand
                )
            )
        }

        host.nvidiaSoftwarePresent = nvidia != nil || !host.gpus.isEmpty
        if let kinds = PastedHost.kinds(of: report) {
            host.nvidiaSMINotPasted = !kinds.contains(.nvidiaSMI)
            host.lspciNotPasted = !kinds.contains(.lspci)
        }
        // WSL 2 exposes only GPUs under WDDM (or MCDM) to Linux; its nvidia-smi says which.
        host.windowsDriverModel =
            nvidia?.gpus.lazy.compactMap(\.driverModel).first
            ?? (report.host.wsl && nvidia != nil ? "WDDM" : nil)
        host.pciShowsNoNvidiaGPU =
            !report.pciDevices.isEmpty
            && !report.accelerators.contains { $0.kind == .nvidiaGPU }
            && !report.pciDevices.contains(where: \.isNvidiaDisplay)
        host.nvidiaProblems = report.diagnostics
            .filter { $0.source == .nvidia && $0.severity != .info }
            .map { "\($0.code): \($0.message)" }
        let ascendOnBus = report.accelerators.filter { $0.kind == .ascendNPU }.count
        host.ascendNPUCount = max(ascendOnBus, report.ascend?.npus.count ?? 0)
        host.ascendDriverVersion = report.ascend?.driverVersion
        host.ascendChipNames =
            (report.ascend?.npus.compactMap(\.name) ?? [])
            + report.accelerators.filter { $0.kind == .ascendNPU }.compactMap(\.name)
        host.ascendSoftwarePresent = report.ascend != nil || host.ascendNPUCount > 0
        host.ascendProblems = report.diagnostics
            .filter { $0.source == .ascend && $0.severity != .info }
            .map { "\($0.code): \($0.message)" }
        return host
    }
}
